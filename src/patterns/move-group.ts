/**
 * Access pattern 5 (docs/stream.md, "What the handler does"): move both group items of a conversation to its latest message's time
 * and text. The group items are found through the GSI (only group items carry message_group_uuid);
 * each is moved with a delete of the old key and a put of the new one, all in ONE TransactWriteItems,
 * so a reader never sees a conversation twice or not at all. Never backwards: an item already at or
 * past the message's time is left alone, so a record seen twice or late changes nothing.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { paginateQuery, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { docClient } from './doc-client.js';
import { transactWithFreeKeys } from './group-transaction.js';
import type { PlainItem } from './items.js';
import { MESSAGE_GROUP_INDEX } from './table.js';
import { compareTimes, instantOf } from './time.js';

/** The message a conversation's group items should show. */
export interface LatestMessage {
  sk: string;
  message: string;
}

/**
 * 'moved'; 'unchanged' (already at this message); 'older' (the message is older than the group, which
 * stays where it is: counted and reported, never silent); 'missing' (no group items).
 */
export type MoveOutcome = 'moved' | 'unchanged' | 'older' | 'missing';

/** The rule a move follows (docs/time.md). */
export interface MoveRule {
  /** IANA zone of times without an offset (default UTC). */
  zone?: string;
  /**
   * The future-time rule: a group time later than this instant (µs since the epoch) is not trusted (the
   * bootcamp's seed dates messages up to ~100 minutes ahead), so the newest real message replaces it.
   * Undefined: every group time is trusted.
   */
  distrustAfter?: bigint;
}

/** The clock-skew allowance of the future-time rule. */
export const FUTURE_ALLOWANCE_MS = 2 * 60_000;

/**
 * The instant after which a group time is not trusted, for a record created at `recordSeconds` (its
 * ApproximateCreationDateTime) and handled at `nowMs`: the later of the two plus the allowance. The later of
 * the two, so a record replayed hours later never moves a group back from a real newer message.
 */
export function distrustAfter(recordSeconds: number | undefined, nowMs = Date.now()): bigint {
  const base = Math.max(nowMs, (recordSeconds ?? 0) * 1000);
  return BigInt(base + FUTURE_ALLOWANCE_MS) * 1000n;
}

export interface MovePlan {
  input: TransactWriteCommandInput | undefined;
  outcome: Exclude<MoveOutcome, 'missing'>;
  /** Group items moved although newer, because their time is in the future. */
  distrusted: number;
}

/** A transaction holds at most 100 actions (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html). */
const MAX_TRANSACTION_ACTIONS = 100;

/** How often a move re-reads and retries after another writer moved the same items first. */
export const MAX_MOVE_ATTEMPTS = 5;

const isDistrusted = (sk: string, rule: MoveRule): boolean => {
  if (rule.distrustAfter === undefined) return false;
  try {
    return instantOf(sk, rule.zone) > rule.distrustAfter;
  } catch {
    return false;
  }
};

/**
 * What a move does: the transaction that moves every group item older than `latest` (or dated in the
 * future, see MoveRule), and why nothing moves when none is. Pure: unit-testable without a table. When the
 * GSI (eventually consistent) briefly shows one owner's item at two times, only the newest is considered.
 */
export function planMove(table: string, groupItems: readonly PlainItem[], latest: LatestMessage, rule: MoveRule = {}): MovePlan {
  const newestPerOwner = new Map<string, PlainItem>();
  for (const item of groupItems) {
    const { pk, sk } = item;
    if (pk === undefined || sk === undefined) continue;
    const seen = newestPerOwner.get(pk)?.sk;
    if (seen === undefined || compareTimes(sk, seen, rule.zone) > 0) newestPerOwner.set(pk, item);
  }
  let distrusted = 0;
  let newer = 0;
  const stale = [...newestPerOwner.values()].filter((item) => {
    const order = compareTimes(item.sk!, latest.sk, rule.zone);
    if (order < 0) return true;
    if (order > 0 && isDistrusted(item.sk!, rule) && !isDistrusted(latest.sk, rule)) {
      distrusted++;
      return true;
    }
    if (order > 0) newer++;
    return false;
  });
  if (stale.length === 0) return { input: undefined, outcome: newer > 0 ? 'older' : 'unchanged', distrusted: 0 };
  if (stale.length * 2 > MAX_TRANSACTION_ACTIONS)
    throw new Error(`conversation has ${stale.length} group items; a transaction moves at most ${MAX_TRANSACTION_ACTIONS / 2}`);
  return {
    outcome: 'moved',
    distrusted,
    input: {
      TransactItems: stale.flatMap((item) => [
        // Still there under the old key: otherwise someone else moved it first, and we re-read.
        { Delete: { TableName: table, Key: { pk: item.pk!, sk: item.sk! }, ConditionExpression: 'attribute_exists(pk)' } },
        // A free key: when another conversation of this owner holds it, transactWithFreeKeys takes the next microsecond.
        { Put: { TableName: table, Item: { ...item, sk: latest.sk, message: latest.message }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ]),
    },
  };
}

/** The transaction of planMove, or undefined when nothing moves. */
export function moveGroupItemsInput(
  table: string,
  groupItems: readonly PlainItem[],
  latest: LatestMessage,
  rule: MoveRule = {},
): TransactWriteCommandInput | undefined {
  return planMove(table, groupItems, latest, rule).input;
}

/** Every group item of a conversation, through the GSI (all pages; there are normally two). */
export async function queryGroupItems(client: DynamoDBClient, table: string, messageGroupUuid: string): Promise<PlainItem[]> {
  const input = {
    TableName: table,
    IndexName: MESSAGE_GROUP_INDEX,
    KeyConditionExpression: 'message_group_uuid = :group',
    ExpressionAttributeValues: { ':group': messageGroupUuid },
  };
  const items: PlainItem[] = [];
  for await (const page of paginateQuery({ client: docClient(client) }, input)) items.push(...((page.Items ?? []) as PlainItem[]));
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
export async function moveConversation(
  client: DynamoDBClient,
  table: string,
  messageGroupUuid: string,
  latest: LatestMessage,
  rule: MoveRule = {},
  onDistrusted: (count: number) => void = () => {},
): Promise<MoveOutcome> {
  for (let attempt = 1; ; attempt++) {
    const items = await queryGroupItems(client, table, messageGroupUuid);
    if (items.length === 0) return 'missing';
    const plan = planMove(table, items, latest, rule);
    if (!plan.input) return plan.outcome;
    try {
      await transactWithFreeKeys(client, plan.input);
      if (plan.distrusted) onDistrusted(plan.distrusted);
      return 'moved';
    } catch (error) {
      if (!isMoveConflict(error) || attempt >= MAX_MOVE_ATTEMPTS) throw error;
      // The GSI catches up within a moment; give it one before re-reading.
      await pause(20 * 2 ** attempt * Math.random());
    }
  }
}
