/**
 * Access pattern 5 (DESIGN.md): move both group items of a conversation to its latest message's time
 * and text. The group items are found through the GSI (only group items carry message_group_uuid);
 * each is moved with a delete of the old key and a put of the new one, all in ONE TransactWriteItems,
 * so a reader never sees a conversation twice or not at all. Never backwards: an item already at or
 * past the message's time is left alone, so a record seen twice or late changes nothing.
 */
import { paginateQuery, TransactWriteItemsCommand, type DynamoDBClient, type TransactWriteItemsCommandInput } from '@aws-sdk/client-dynamodb';
import type { Item } from './items.js';
import { toSkTime } from './keys.js';
import { MESSAGE_GROUP_INDEX } from './table.js';

/** The message a conversation's group items should show. */
export interface LatestMessage {
  sk: string;
  message: string;
}

export type MoveOutcome = 'moved' | 'unchanged' | 'missing';

/** A transaction holds at most 100 actions (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html). */
const MAX_TRANSACTION_ACTIONS = 100;

/** How often a move re-reads and retries after another writer moved the same items first. */
export const MAX_MOVE_ATTEMPTS = 5;

/** Orders two times; any ISO-8601 form compares by instant, an unparsable one as a plain string. */
export function compareTimes(a: string, b: string): number {
  const norm = (value: string) => {
    try {
      return toSkTime(value);
    } catch {
      return value;
    }
  };
  const [x, y] = [norm(a), norm(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The transaction that moves every group item older than `latest`, or undefined when none is (a
 * duplicate or late message). Pure: unit-testable without a table. When the GSI (eventually
 * consistent) briefly shows one owner's item at two times, only the newest is considered.
 */
export function moveGroupItemsInput(table: string, groupItems: readonly Item[], latest: LatestMessage): TransactWriteItemsCommandInput | undefined {
  const newestPerOwner = new Map<string, Item>();
  for (const item of groupItems) {
    const pk = item.pk?.S;
    const sk = item.sk?.S;
    if (pk === undefined || sk === undefined) continue;
    const seen = newestPerOwner.get(pk)?.sk?.S;
    if (seen === undefined || compareTimes(sk, seen) > 0) newestPerOwner.set(pk, item);
  }
  const stale = [...newestPerOwner.values()].filter((item) => compareTimes(item.sk!.S!, latest.sk) < 0);
  if (stale.length === 0) return undefined;
  if (stale.length * 2 > MAX_TRANSACTION_ACTIONS)
    throw new Error(`conversation has ${stale.length} group items; a transaction moves at most ${MAX_TRANSACTION_ACTIONS / 2}`);
  return {
    TransactItems: stale.flatMap((item) => [
      // Still there under the old key: otherwise someone else moved it first, and we re-read.
      { Delete: { TableName: table, Key: { pk: item.pk!, sk: item.sk! }, ConditionExpression: 'attribute_exists(pk)' } },
      { Put: { TableName: table, Item: { ...item, sk: { S: latest.sk }, message: { S: latest.message } }, ConditionExpression: 'attribute_not_exists(pk)' } },
    ]),
  };
}

/** Every group item of a conversation, through the GSI (all pages; there are normally two). */
export async function queryGroupItems(client: DynamoDBClient, table: string, messageGroupUuid: string): Promise<Item[]> {
  const items: Item[] = [];
  const input = {
    TableName: table,
    IndexName: MESSAGE_GROUP_INDEX,
    KeyConditionExpression: 'message_group_uuid = :group',
    ExpressionAttributeValues: { ':group': { S: messageGroupUuid } },
  };
  for await (const page of paginateQuery({ client }, input)) items.push(...(page.Items ?? []));
  return items;
}

/** A cancelled transaction that lost a race (a condition failed, or another transaction held an item): worth a re-read. */
export function isMoveConflict(error: unknown): boolean {
  const { name, CancellationReasons } = (error ?? {}) as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (name !== 'TransactionCanceledException') return false;
  return (CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict');
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Moves a conversation's group items to `latest`: 'moved', 'unchanged' (already there or newer) or
 * 'missing' (no group items: nothing to move). A conflicting concurrent move is re-read and retried;
 * any other failure is thrown for the caller to report.
 */
export async function moveConversation(client: DynamoDBClient, table: string, messageGroupUuid: string, latest: LatestMessage): Promise<MoveOutcome> {
  for (let attempt = 1; ; attempt++) {
    const items = await queryGroupItems(client, table, messageGroupUuid);
    if (items.length === 0) return 'missing';
    const input = moveGroupItemsInput(table, items, latest);
    if (!input) return 'unchanged';
    try {
      await client.send(new TransactWriteItemsCommand(input));
      return 'moved';
    } catch (error) {
      if (!isMoveConflict(error) || attempt >= MAX_MOVE_ATTEMPTS) throw error;
      // The GSI catches up within a moment; give it one before re-reading.
      await pause(20 * 2 ** attempt * Math.random());
    }
  }
}
