/**
 * Access patterns 1 and 2 (docs/direct-messages.md): a user's message groups, and a group's messages, paged with an
 * opaque cursor. No `begins_with(sk, <year>)` condition: the old scripts' year filter hid every
 * conversation older than 1 January. Each pattern is a pure input builder plus a thin sender.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from './cursor.js';
import { docClient } from './doc-client.js';
import { toMessageGroupJson, toMessageJson, type MessageGroupJson, type MessageJson, type PlainItem } from './items.js';
import { groupPk, messagePk } from './keys.js';

/** The backend's page size. */
export const DEFAULT_PAGE_SIZE = 20;

export interface PageOptions {
  /** Items per page (1 or more; default 20). A page may hold fewer when DynamoDB's 1 MB page limit ends it. */
  limit?: number;
  /** The cursor a previous page returned. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Pass back for the next page; undefined when there is none. */
  cursor: string | undefined;
}

function pageLimit(limit: number | undefined): number {
  const value = limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`limit must be a whole number of at least 1, got ${limit}`);
  return value;
}

/** Query for a user's groups, newest last message first (a document-client input: plain values). */
export function listMessageGroupsInput(table: string, userUuid: string, options: PageOptions = {}): QueryCommandInput {
  const pk = groupPk(userUuid);
  return {
    TableName: table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': pk },
    ScanIndexForward: false,
    Limit: pageLimit(options.limit),
    ExclusiveStartKey: decodeCursor(options.cursor, pk),
  };
}

export interface MessagePageOptions extends PageOptions {
  /** Only messages at or after this fixed-width time (keys.ts toSkTime). */
  since?: string;
  /** Only messages at or before this fixed-width time. */
  until?: string;
}

/** Query for a group's messages, newest first (the caller turns each page round). */
export function listMessagesInput(table: string, messageGroupUuid: string, options: MessagePageOptions = {}): QueryCommandInput {
  const pk = messagePk(messageGroupUuid);
  const values: Record<string, string> = { ':pk': pk };
  let condition = 'pk = :pk';
  if (options.since !== undefined && options.until !== undefined) {
    condition += ' AND sk BETWEEN :since AND :until';
    values[':since'] = options.since;
    values[':until'] = options.until;
  } else if (options.since !== undefined) {
    condition += ' AND sk >= :since';
    values[':since'] = options.since;
  } else if (options.until !== undefined) {
    condition += ' AND sk <= :until';
    values[':until'] = options.until;
  }
  return {
    TableName: table,
    KeyConditionExpression: condition,
    ExpressionAttributeValues: values,
    ScanIndexForward: false,
    Limit: pageLimit(options.limit),
    ExclusiveStartKey: decodeCursor(options.cursor, pk),
  };
}

/** One Query page through the document client: plain items and the cursor to the next page. */
export async function queryPage(client: DynamoDBClient, input: QueryCommandInput): Promise<Page<PlainItem>> {
  const output = await docClient(client).send(new QueryCommand(input));
  return { items: (output.Items ?? []) as PlainItem[], cursor: encodeCursor(output.LastEvaluatedKey) };
}

/** Pattern 1: a user's message groups, most recent conversation first. */
export async function listMessageGroups(client: DynamoDBClient, table: string, userUuid: string, options: PageOptions = {}): Promise<Page<MessageGroupJson>> {
  const page = await queryPage(client, listMessageGroupsInput(table, userUuid, options));
  return { items: page.items.map(toMessageGroupJson), cursor: page.cursor };
}

/**
 * Pattern 2: a group's messages. The first page holds the newest messages; each page is returned
 * oldest first, ready to print; the cursor leads to the older messages before it.
 */
export async function listMessages(
  client: DynamoDBClient,
  table: string,
  messageGroupUuid: string,
  options: MessagePageOptions = {},
): Promise<Page<MessageJson>> {
  const page = await queryPage(client, listMessagesInput(table, messageGroupUuid, options));
  return { items: page.items.reverse().map(toMessageJson), cursor: page.cursor };
}

/** Reads pages of `fetch` while `limit` (default: all) is not reached; pages of at most `pageSize`. */
async function* follow<T>(fetch: (options: PageOptions) => Promise<Page<T>>, limit = Infinity, pageSize = 1000): AsyncGenerator<T[]> {
  let cursor: string | undefined;
  let count = 0;
  do {
    const page = await fetch({ limit: Math.min(pageSize, limit - count), cursor });
    count += page.items.length;
    yield page.items;
    cursor = page.cursor;
  } while (cursor && count < limit);
}

/** Every conversation of a user (or the first `limit`), most recent first, across pages. */
export async function* conversationsOf(
  client: DynamoDBClient,
  table: string,
  userUuid: string,
  options: { limit?: number } = {},
): AsyncGenerator<MessageGroupJson> {
  for await (const items of follow((page) => listMessageGroups(client, table, userUuid, page), options.limit)) yield* items;
}

/**
 * A conversation's messages, newest page first and each page oldest first (as listMessages), across
 * pages; `limit` bounds the count (default: all). Use `messagesInOrder` for one list oldest first.
 */
export async function* messagePagesOf(
  client: DynamoDBClient,
  table: string,
  messageGroupUuid: string,
  options: Omit<MessagePageOptions, 'cursor'> = {},
): AsyncGenerator<MessageJson[]> {
  const { limit, ...range } = options;
  yield* follow((page) => listMessages(client, table, messageGroupUuid, { ...range, ...page }), limit);
}

/** A conversation's latest `limit` messages (default: all), oldest first. */
export async function messagesInOrder(
  client: DynamoDBClient,
  table: string,
  messageGroupUuid: string,
  options: Omit<MessagePageOptions, 'cursor'> = {},
): Promise<MessageJson[]> {
  const pages: MessageJson[][] = [];
  for await (const page of messagePagesOf(client, table, messageGroupUuid, options)) pages.push(page);
  return pages.reverse().flat();
}
