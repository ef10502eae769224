/**
 * The operation a backend most needs: send a message from one user to another, into the conversation
 * they already share or a new one (both group items and the first message, in one transaction).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { findConversation } from './conversation-between.js';
import type { Participant, PlainItem } from './items.js';
import { DEFAULT_TIME_RULE, type TimeRule } from './time.js';
import { createMessage, createMessageGroup, type CreatedMessage } from './writes.js';

/** A user with their names, or just a uuid (enough when the two already share a conversation). */
export type UserRef = Participant | { uuid: string };

export interface SendMessageInput {
  from: UserRef;
  to: UserRef;
  message: string;
  /** Default: now. Any ISO-8601 time (without an offset: in the rule's zone). */
  createdAt?: string;
}

export interface SentMessage extends CreatedMessage {
  new_conversation: boolean;
}

/** Why a message could not be sent; `code` matches the CLI's error codes. */
export class SendMessageError extends Error {
  constructor(
    readonly code: 'conversation.none' | 'conversation.incomplete',
    message: string,
  ) {
    super(message);
    this.name = 'SendMessageError';
  }
}

const hasNames = (user: UserRef): user is Participant => 'handle' in user && 'displayName' in user;

/** The participant a group item names (its other side). */
const otherOf = (item: PlainItem): Participant => ({ uuid: item.user_uuid ?? '', displayName: item.user_display_name ?? '', handle: item.user_handle ?? '' });

/**
 * `rule` names the zone of times without an offset and the form the key is written in (docs/time.md;
 * default fixed-width UTC). A backend that writes naive local times passes its own zone and form.
 */
export async function sendMessage(client: DynamoDBClient, table: string, input: SendMessageInput, rule: TimeRule = DEFAULT_TIME_RULE): Promise<SentMessage> {
  const { from, to, message, createdAt } = input;
  const existing = await findConversation(client, table, from.uuid, to.uuid);
  if (existing) {
    // The sender's own name is on the recipient's group item, which names the sender.
    const sender = hasNames(from) ? from : otherOf((await findConversation(client, table, to.uuid, from.uuid)) ?? {});
    if (!sender.handle)
      throw new SendMessageError('conversation.incomplete', `The conversation ${existing.message_group_uuid} has no group item for ${to.uuid}`);
    const created = await createMessage(client, table, { messageGroupUuid: existing.message_group_uuid!, sender, message, createdAt }, rule);
    return { ...created, new_conversation: false };
  }
  if (!hasNames(from) || !hasNames(to)) {
    throw new SendMessageError('conversation.none', `${from.uuid} and ${to.uuid} share no conversation in ${table}, and their names are needed to start one`);
  }
  const created = await createMessageGroup(client, table, { sender: from, recipient: to, message, createdAt }, rule);
  return { ...created, new_conversation: true };
}
