/**
 * Access patterns 3 and 4 (docs/direct-messages.md, docs/stream.md): a new message in an existing group, and a new group with its
 * first message. Each is a pure input builder plus a thin sender.
 *
 * The key of a message is (MSG#<group>, created time), so two messages of one group in the same
 * microsecond would share a key and the second put would overwrite the first. Every put is therefore
 * conditional (attribute_not_exists), and a collision is retried one microsecond later.
 */
import { ConditionalCheckFailedException, TransactionCanceledException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactWriteCommand, type PutCommandInput, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { docClient } from './doc-client.js';
import { plainGroupItem, plainMessageItem, type Participant } from './items.js';
import { DEFAULT_TIME_RULE, nextMicrosecondLike, nowInRule, toRuleTime, type TimeRule } from './time.js';

/** How many successive microseconds a write tries before giving up. */
export const MAX_KEY_ATTEMPTS = 50;

/** What both create functions return: the backend's message JSON plus the group it belongs to. */
export interface CreatedMessage {
  message_group_uuid: string;
  uuid: string;
  display_name: string;
  handle: string;
  message: string;
  created_at: string;
}

/** Succeeds only if no item has this key yet (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html#Expressions.ConditionExpressions.PreventingOverwrites). */
const NEW_KEY = 'attribute_not_exists(pk)';

export interface NewMessage {
  messageGroupUuid: string;
  sender: Participant;
  message: string;
  /** Default: now. Any ISO-8601 time (no offset: in the rule's zone); stored in the rule's form (default fixed-width UTC). */
  createdAt?: string;
  /** Default: a random uuid. */
  messageUuid?: string;
}

/** A document-client input (plain values). */
export function createMessageInput(table: string, fields: Required<NewMessage>, rule: TimeRule = DEFAULT_TIME_RULE): PutCommandInput {
  return {
    TableName: table,
    Item: plainMessageItem({ ...fields, sk: toRuleTime(fields.createdAt, rule) }),
    ConditionExpression: NEW_KEY,
  };
}

export interface NewMessageGroup {
  sender: Participant;
  recipient: Participant;
  /** The first message. */
  message: string;
  createdAt?: string;
  messageGroupUuid?: string;
  messageUuid?: string;
}

/** Both group items and the first message, all or nothing (one TransactWriteItems; a document-client input). */
export function createMessageGroupInput(table: string, fields: Required<NewMessageGroup>, rule: TimeRule = DEFAULT_TIME_RULE): TransactWriteCommandInput {
  const sk = toRuleTime(fields.createdAt, rule);
  const shared = { messageGroupUuid: fields.messageGroupUuid, message: fields.message, sk };
  const items = [
    plainGroupItem({ ...shared, owner: fields.sender, other: fields.recipient }),
    plainGroupItem({ ...shared, owner: fields.recipient, other: fields.sender }),
    plainMessageItem({ ...shared, messageUuid: fields.messageUuid, sender: fields.sender }),
  ];
  return { TransactItems: items.map((Item) => ({ Put: { TableName: table, Item, ConditionExpression: NEW_KEY } })) };
}

function created(messageGroupUuid: string, messageUuid: string, sender: Participant, message: string, sk: string): CreatedMessage {
  return { message_group_uuid: messageGroupUuid, uuid: messageUuid, display_name: sender.displayName, handle: sender.handle, message, created_at: sk };
}

function isKeyTaken(error: unknown): boolean {
  if (error instanceof ConditionalCheckFailedException) return true;
  if (error instanceof TransactionCanceledException) return (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed');
  const name = (error as { name?: string })?.name;
  return name === 'ConditionalCheckFailedException';
}

/** Tries `attempt(sk)` at `first`, then at each next microsecond while the key is taken. */
async function atFreeTime(first: string, attempt: (sk: string) => Promise<void>): Promise<string> {
  let sk = first;
  for (let tries = 1; ; tries++) {
    try {
      await attempt(sk);
      return sk;
    } catch (error) {
      if (!isKeyTaken(error) || tries >= MAX_KEY_ATTEMPTS) throw error;
      sk = nextMicrosecondLike(sk);
    }
  }
}

/**
 * Pattern 3: a message in an existing group. Returns it with the time it was stored under. `rule` names the
 * zone of a time without offset and the form written (docs/time.md; default fixed-width UTC).
 */
export async function createMessage(client: DynamoDBClient, table: string, fields: NewMessage, rule: TimeRule = DEFAULT_TIME_RULE): Promise<CreatedMessage> {
  const full: Required<NewMessage> = {
    ...fields,
    createdAt: toRuleTime(fields.createdAt ?? nowInRule(rule), rule),
    messageUuid: fields.messageUuid ?? randomUUID(),
  };
  const sk = await atFreeTime(full.createdAt, async (createdAt) => {
    await docClient(client).send(new PutCommand(createMessageInput(table, { ...full, createdAt }, rule)));
  });
  return created(full.messageGroupUuid, full.messageUuid, full.sender, full.message, sk);
}

/** Pattern 4: a new group between sender and recipient with its first message; `message_group_uuid` is the new group's uuid. */
export async function createMessageGroup(
  client: DynamoDBClient,
  table: string,
  fields: NewMessageGroup,
  rule: TimeRule = DEFAULT_TIME_RULE,
): Promise<CreatedMessage> {
  const full: Required<NewMessageGroup> = {
    ...fields,
    createdAt: toRuleTime(fields.createdAt ?? nowInRule(rule), rule),
    messageGroupUuid: fields.messageGroupUuid ?? randomUUID(),
    messageUuid: fields.messageUuid ?? randomUUID(),
  };
  const sk = await atFreeTime(full.createdAt, async (createdAt) => {
    await docClient(client).send(new TransactWriteCommand(createMessageGroupInput(table, { ...full, createdAt }, rule)));
  });
  return created(full.messageGroupUuid, full.messageUuid, full.sender, full.message, sk);
}
