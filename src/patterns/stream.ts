/**
 * The `cruddur-messaging-stream` Lambda (DESIGN.md, "The stream"): a thin `handler` around
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
import { compareTimes, moveConversation, type MoveOutcome } from './move-group.js';
import type { DynamoDBStreamRecord, StreamBatchResponse } from './stream-event.js';

export type { DynamoDBStreamEvent, DynamoDBStreamRecord, StreamBatchResponse } from './stream-event.js';

export interface StreamDeps {
  client: DynamoDBClient;
  table: string;
  /** Conversations moved at the same time (default 8). */
  concurrency?: number;
  /** Where to say what was skipped or failed (default: nowhere). */
  log?: (line: string) => void;
}

/** One conversation's latest message in a batch, and every record that carried one of its messages. */
export interface ConversationUpdate {
  messageGroupUuid: string;
  sk: string;
  message: string;
  sequenceNumbers: string[];
}

export interface BatchResult extends StreamBatchResponse {
  records: number;
  /** INSERTs of MSG# items. */
  messages: number;
  conversations: number;
  moved: number;
  /** Already at (or past) the batch's latest message: a duplicate or late record. */
  unchanged: number;
  /** No group items found for the conversation. */
  missing: number;
  failed: number;
}

/** Pure: the latest message of each conversation in the records, and how many records were messages. */
export function latestPerConversation(
  records: readonly DynamoDBStreamRecord[],
  log: (line: string) => void = () => {},
): { updates: ConversationUpdate[]; messages: number } {
  const updates = new Map<string, ConversationUpdate>();
  let messages = 0;
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
      log(`skipped ${data.SequenceNumber ?? record.eventID ?? '?'}: no NewImage with sk and message (stream view type ${data.StreamViewType ?? '?'})`);
      continue;
    }
    const sequence = data.SequenceNumber;
    const current = updates.get(group);
    if (!current) updates.set(group, { messageGroupUuid: group, sk, message: image.message, sequenceNumbers: sequence ? [sequence] : [] });
    else {
      if (sequence) current.sequenceNumbers.push(sequence);
      if (compareTimes(sk, current.sk) > 0) Object.assign(current, { sk, message: image.message });
    }
  }
  return { updates: [...updates.values()], messages };
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
  const { updates, messages } = latestPerConversation(records, log);
  const counts: Record<MoveOutcome | 'failed', number> = { moved: 0, unchanged: 0, missing: 0, failed: 0 };
  const failures: string[] = [];
  await eachLimited(updates, deps.concurrency ?? 8, async (update) => {
    try {
      counts[await moveConversation(deps.client, deps.table, update.messageGroupUuid, update)]++;
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
    ...counts,
  };
}
