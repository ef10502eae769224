/**
 * The `cruddur-messaging-stream` Lambda (docs/stream.md): a thin `handler` around
 * `processRecords`, which the local runner (`cruddur-ddb stream`) and the tests call directly.
 *
 * For a batch: every record is looked at; only INSERTs of `MSG#` items matter; per conversation the
 * latest message wins, so a batch costs one move per conversation, not one per message. A conversation
 * whose move fails has ALL its records reported in `batchItemFailures` (identifier: SequenceNumber), so
 * Lambda retries them (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html);
 * the moves being idempotent and never backwards, a retried or replayed record changes nothing.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { groupUuidOfMessagePk } from './keys.js';
import { distrustAfter, moveConversation, type MoveOutcome } from './move-group.js';
import { compareTimes, isTime } from './time.js';
import type { DynamoDBStreamRecord, StreamBatchResponse } from './stream-event.js';

export type { DynamoDBStreamEvent, DynamoDBStreamRecord, StreamBatchResponse } from './stream-event.js';

export interface StreamDeps {
  client: DynamoDBClient;
  table: string;
  /** Conversations moved at the same time (default 8). */
  concurrency?: number;
  /** Where to say what was skipped or failed (default: nowhere). */
  log?: (line: string) => void;
  /** IANA zone of times written without an offset (docs/time.md; default UTC). */
  zone?: string;
  /** The handler's clock, for the future-time rule (default Date.now). */
  now?: () => number;
}

/** One conversation's latest message in a batch, and every record that carried one of its messages. */
export interface ConversationUpdate {
  messageGroupUuid: string;
  sk: string;
  message: string;
  sequenceNumbers: string[];
  /** The latest ApproximateCreationDateTime (seconds) among its records, for the future-time rule. */
  createdSeconds?: number;
}

export interface BatchResult extends StreamBatchResponse {
  records: number;
  /** INSERTs of MSG# items. */
  messages: number;
  conversations: number;
  moved: number;
  /** Already at the batch's latest message: a duplicate record. */
  unchanged: number;
  /** Left where they are because the message is older than the group (a late record, or a newer message already applied). */
  older: number;
  /** Group items moved although their time was newer, because it lies in the future (the future-time rule). */
  distrusted: number;
  /** No group items found for the conversation. */
  missing: number;
  failed: number;
  /** INSERTs of MSG# items the handler cannot use (no NewImage, no text, a time that does not parse): counted, never silent. */
  unusable: number;
}

/** Pure: the latest message of each conversation in the records, and how many records were messages. */
export function latestPerConversation(
  records: readonly DynamoDBStreamRecord[],
  log: (line: string) => void = () => {},
  zone = 'UTC',
): { updates: ConversationUpdate[]; messages: number; unusable: number } {
  const updates = new Map<string, ConversationUpdate>();
  let messages = 0;
  let unusable = 0;
  for (const record of records) {
    if (record.eventName !== 'INSERT') continue;
    const data = record.dynamodb ?? {};
    const pk = data.Keys?.pk?.S ?? data.NewImage?.pk?.S;
    const group = pk === undefined ? undefined : groupUuidOfMessagePk(pk);
    if (group === undefined) continue;
    messages++;
    const image = data.NewImage ? unmarshall(data.NewImage) : {};
    const sk = typeof image.sk === 'string' ? image.sk : data.Keys?.sk?.S;
    if (sk === undefined || typeof image.message !== 'string') {
      // Without the new image there is no text to show: the stream must be NEW_IMAGE (or NEW_AND_OLD_IMAGES).
      unusable++;
      log(`skipped ${data.SequenceNumber ?? record.eventID ?? '?'}: no NewImage with sk and message (stream view type ${data.StreamViewType ?? '?'})`);
      continue;
    }
    if (!isTime(sk, zone)) {
      unusable++;
      log(`skipped ${data.SequenceNumber ?? record.eventID ?? '?'}: sk "${sk}" is not an ISO-8601 time`);
      continue;
    }
    const sequence = data.SequenceNumber;
    const created = data.ApproximateCreationDateTime;
    const current = updates.get(group);
    if (!current)
      updates.set(group, { messageGroupUuid: group, sk, message: image.message, sequenceNumbers: sequence ? [sequence] : [], createdSeconds: created });
    else {
      if (sequence) current.sequenceNumbers.push(sequence);
      if (created !== undefined) current.createdSeconds = Math.max(current.createdSeconds ?? 0, created);
      if (compareTimes(sk, current.sk, zone) > 0) Object.assign(current, { sk, message: image.message });
    }
  }
  return { updates: [...updates.values()], messages, unusable };
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Applies a batch of stream records; never throws for a failed conversation, reports it instead. */
export async function processRecords(records: readonly DynamoDBStreamRecord[], deps: StreamDeps): Promise<BatchResult> {
  const log = deps.log ?? (() => {});
  const zone = deps.zone ?? 'UTC';
  const { updates, messages, unusable } = latestPerConversation(records, log, zone);
  const counts: Record<MoveOutcome | 'failed', number> = { moved: 0, unchanged: 0, older: 0, missing: 0, failed: 0 };
  const failures: string[] = [];
  let distrusted = 0;
  await eachLimited(updates, deps.concurrency ?? 8, async (update) => {
    try {
      const rule = { zone, distrustAfter: distrustAfter(update.createdSeconds, (deps.now ?? Date.now)()) };
      const outcome = await moveConversation(deps.client, deps.table, update.messageGroupUuid, update, rule, (n) => (distrusted += n));
      counts[outcome]++;
    } catch (error) {
      counts.failed++;
      failures.push(...update.sequenceNumbers);
      log(`conversation ${update.messageGroupUuid} failed: ${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}`);
    }
  });
  return {
    batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })),
    records: records.length,
    messages,
    conversations: updates.length,
    moved: counts.moved,
    unchanged: counts.unchanged,
    older: counts.older,
    distrusted,
    missing: counts.missing,
    failed: counts.failed,
    unusable,
  };
}
