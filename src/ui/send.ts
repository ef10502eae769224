/**
 * The page's send box: a message from the selected user to the other participant of the selected
 * conversation, through the library's write (pattern 3). The sender's name is the one the other
 * participant's group item carries, exactly as `cruddur-ddb send` finds it.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { findConversation } from '../patterns/conversation-between.js';
import { createMessage, type CreatedMessage } from '../patterns/writes.js';

export class SendRefused extends Error {}

export async function sendFromPage(client: DynamoDBClient, table: string, fromUuid: string, toUuid: string, text: string): Promise<CreatedMessage> {
  if (text.trim() === '') throw new SendRefused('Write a message first');
  const mine = await findConversation(client, table, fromUuid, toUuid);
  const theirs = await findConversation(client, table, toUuid, fromUuid);
  if (!mine?.message_group_uuid?.S || !theirs?.user_handle?.S) throw new SendRefused(`${fromUuid} and ${toUuid} share no conversation in ${table}`);
  const sender = { uuid: fromUuid, displayName: theirs.user_display_name?.S ?? '', handle: theirs.user_handle.S };
  return createMessage(client, table, { messageGroupUuid: mine.message_group_uuid.S, sender, message: text });
}
