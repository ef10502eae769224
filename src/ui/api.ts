/**
 * What the page reads, one page at a time: the users who own conversations, a user's conversations
 * (access pattern 1), a conversation's messages (pattern 2). Every answer carries the DynamoDB query
 * that fetched it and the raw items it returned, so a learner sees how each pattern is served.
 * Nothing here reads a whole table: each call is one Query or one Scan page, with an opaque cursor.
 */
import { ScanCommand, type DynamoDBClient, type ScanCommandInput } from '@aws-sdk/client-dynamodb';
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { decodeToken, encodeCursor, InvalidCursorError, stringKey } from '../patterns/cursor.js';
import {
  plainItem,
  toMessageGroupJson,
  toMessageJson,
  typedItem,
  type Item,
  type MessageGroupJson,
  type MessageJson,
  type PlainItem,
} from '../patterns/items.js';
import { listMessageGroupsInput, listMessagesInput, queryPage } from '../patterns/queries.js';
import { MESSAGE_GROUP_INDEX } from '../patterns/table.js';
import { instantOf } from '../patterns/time.js';

export interface Shown<T> {
  items: T[];
  /** Pass back for the next page (older conversations, older messages, more users); null when there is none. */
  cursor: string | null;
  /** The request sent to DynamoDB (or the SQL sent to PostgreSQL), as it was sent. */
  query: unknown;
  /** What came back, untouched (DynamoDB JSON), for the "items and query" panel. */
  raw: unknown[];
}

export interface UserJson {
  uuid: string;
  display_name: string;
  handle: string;
}

/** A group row for the page: the backend's JSON, the other participant's uuid (the send box needs it), and its instant. */
export interface ConversationJson extends MessageGroupJson {
  user_uuid: string;
  /** created_at as a UTC instant (ISO), read under the zone rule; null when it does not parse. */
  at: string | null;
}

export interface MessageRow extends MessageJson {
  at: string | null;
}

/**
 * A stored time as a UTC instant, for the browser to show in its own zone: a time without an offset is
 * in the configured zone (docs/time.md), which the browser cannot know by itself.
 */
export function instantIso(value: string, zone: string): string | null {
  try {
    return new Date(Number(instantOf(value, zone) / 1000n)).toISOString();
  } catch {
    return null;
  }
}

/** Page sizes: a screenful, so the first render stays fast whatever the table holds. */
export const USERS_PAGE = 200;
export const CONVERSATIONS_PAGE = 50;
export const MESSAGES_PAGE = 40;

/**
 * Users from group items: one page of a Scan of the GSI `message-group-sk-index`, which holds group
 * items alone (only they carry message_group_uuid). Each group item names the OTHER participant, and
 * every conversation has one item per participant, so the names seen cover every owner. A page may
 * repeat users of earlier pages; the page keeps the first of each.
 */
/** A Scan cursor of the index: its key (pk, sk, message_group_uuid), each a string. */
function decodeIndexCursor(cursor: string): Item {
  const key = stringKey(decodeToken(cursor));
  if (!key || !('message_group_uuid' in key)) throw new InvalidCursorError('it belongs to another list');
  return Object.fromEntries(Object.entries(key).map(([name, value]) => [name, { S: value }]));
}

export function usersFromGroupsInput(table: string, cursor: string | undefined, limit = USERS_PAGE): ScanCommandInput {
  return {
    TableName: table,
    IndexName: MESSAGE_GROUP_INDEX,
    ProjectionExpression: 'pk, sk, message_group_uuid, user_uuid, user_display_name, user_handle',
    Limit: limit,
    ExclusiveStartKey: cursor ? decodeIndexCursor(cursor) : undefined,
  };
}

export async function usersFromGroups(client: DynamoDBClient, table: string, cursor?: string): Promise<Shown<UserJson>> {
  const input = usersFromGroupsInput(table, cursor);
  const output = await client.send(new ScanCommand(input));
  const seen = new Map<string, UserJson>();
  for (const item of output.Items ?? []) {
    const uuid = item.user_uuid?.S;
    if (uuid && !seen.has(uuid)) seen.set(uuid, { uuid, display_name: item.user_display_name?.S ?? '', handle: item.user_handle?.S ?? '' });
  }
  return {
    items: [...seen.values()],
    cursor: encodeCursor(output.LastEvaluatedKey && plainItem(output.LastEvaluatedKey)) ?? null,
    query: input,
    raw: output.Items ?? [],
  };
}

/** One page through the library's query: plain items, and the DynamoDB JSON they are stored as. */
async function shownPage(client: DynamoDBClient, input: QueryCommandInput): Promise<{ plain: PlainItem[]; raw: Item[]; cursor: string | null }> {
  const page = await queryPage(client, input);
  return { plain: page.items, raw: page.items.map(typedItem), cursor: page.cursor ?? null };
}

/** Pattern 1, one page: the user's conversations, newest first. */
export async function conversationPage(
  client: DynamoDBClient,
  table: string,
  userUuid: string,
  cursor?: string,
  zone = 'UTC',
): Promise<Shown<ConversationJson>> {
  const input = listMessageGroupsInput(table, userUuid, { limit: CONVERSATIONS_PAGE, cursor });
  const page = await shownPage(client, input);
  return {
    items: page.plain.map((item) => ({ ...toMessageGroupJson(item), user_uuid: item.user_uuid ?? '', at: instantIso(item.sk ?? '', zone) })),
    cursor: page.cursor,
    query: input,
    raw: page.raw,
  };
}

/** Pattern 2, one page: the newest messages before `cursor`, returned oldest first. */
export async function messagePage(client: DynamoDBClient, table: string, messageGroupUuid: string, cursor?: string, zone = 'UTC'): Promise<Shown<MessageRow>> {
  const input = listMessagesInput(table, messageGroupUuid, { limit: MESSAGES_PAGE, cursor });
  const page = await shownPage(client, input);
  return {
    items: [...page.plain].reverse().map((item) => ({ ...toMessageJson(item), at: instantIso(item.sk ?? '', zone) })),
    cursor: page.cursor,
    query: input,
    raw: [...page.raw].reverse(),
  };
}
