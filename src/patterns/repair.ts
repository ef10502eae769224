/**
 * `repair`'s executor: walks a messages table at constant memory and heals each conversation's group items
 * with planConversationRepair (repair-plan.ts), one transaction per conversation.
 *
 * Constant memory: the GSI (which holds group items only) is scanned page by page (1 MB at most,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html), projecting just
 * message_group_uuid; each conversation is then read on its own (its group items, then its messages page by
 * page, keeping only the newest by instant and the senders' names) and forgotten. A scan returns one
 * conversation's group items together, so a short list of recently seen conversations is enough to visit each
 * once; were one seen again, repairing it twice changes nothing (the plan is idempotent).
 *
 * Duplicate messages (the same message_uuid twice in one conversation: a seed run again in another time form,
 * or a backend retry, wrote it under another sk) are found while the messages are read, reported as their own
 * kind, and, unless a dry run, all but one removed: the copy in the fixed-width UTC form if there is one, else
 * the first in key order; each delete is conditional on the copy still holding that message_uuid.
 *
 * Not found: a conversation with messages but no group item at all (nobody sees it in the app, and no item
 * says who its participants are).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, paginateQuery, paginateScan } from '@aws-sdk/lib-dynamodb';
import { docClient } from './doc-client.js';
import { transactWithFreeKeys } from './group-transaction.js';
import type { Participant, PlainItem } from './items.js';
import { messagePk } from './keys.js';
import { isSkTime } from './time.js';
import { isMoveConflict, MAX_MOVE_ATTEMPTS, queryGroupItems } from './move-group.js';
import { FINDING_KINDS, planConversationRepair, type FindingKind, type NewestMessage } from './repair-plan.js';
import { MESSAGE_GROUP_INDEX } from './table.js';
import { compareTimes } from './time.js';

export interface RepairOptions {
  client: DynamoDBClient;
  table: string;
  /** IANA zone of times without an offset (docs/time.md; default UTC). */
  zone?: string;
  /** Find and report, change nothing. */
  dryRun?: boolean;
  /** Conversations repaired at once (default 8). */
  concurrency?: number;
  /** Called once per conversation looked at. */
  onConversation?: () => void;
  /** Where to say what failed (default: nowhere). */
  log?: (line: string) => void;
  /**
   * The conversations to visit, page by page: the message_group_uuid of each item a Scan with
   * GROUPS_SCAN_INPUT returns, in its order (default: that scan, run here through the document client).
   * A caller with a scanner of its own (the command's bounded one) hands its pages in.
   */
  groups?: AsyncIterable<Array<string | undefined>>;
  /** Stops the walk: no new conversation is started, the ones under way finish, and the report says `stopped`. */
  signal?: AbortSignal;
}

/** What the walk reads: the GSI, which holds group items only, projected to the conversation's id. */
export const GROUPS_SCAN_INPUT = { IndexName: MESSAGE_GROUP_INDEX, ProjectionExpression: 'message_group_uuid' } as const;

/** The default reader of `groups`: one sequential scan of the GSI, plain values. */
async function* scanGroups(client: DynamoDBClient, table: string): AsyncGenerator<Array<string | undefined>> {
  for await (const page of paginateScan({ client: docClient(client) }, { TableName: table, ...GROUPS_SCAN_INPUT })) {
    yield ((page.Items ?? []) as PlainItem[]).map((item) => item.message_group_uuid);
  }
}

export interface RepairReport {
  table: string;
  dryRun: boolean;
  conversations: number;
  messages: number;
  /** Group items found wrong, by kind. */
  found: Record<FindingKind, number>;
  /** Conversations changed (in a dry run: that would be). */
  repaired: number;
  /** Problems no write can fix, in words (the first 20). */
  unfixable: string[];
  unfixableCount: number;
  failed: number;
  /** Messages whose sk is not in the fixed-width UTC form (counted, never rewritten: the sk is their key). */
  nonCanonical: { count: number; examples: { pk: string; sk: string }[] };
  /** Extra copies of a message (same message_uuid, another sk, one conversation); `removed` of them deleted. */
  duplicateMessages: { count: number; removed: number; examples: { pk: string; sk: string; messageUuid: string }[] };
  /** Stopped before the end (the signal): the counts are of the conversations looked at. */
  stopped: boolean;
}

const EXAMPLES = 5;
const RECENT = 1024;

/** What one read of a conversation's messages found (counted into the report once, from the first read). */
interface MessagesRead {
  newest: NewestMessage | undefined;
  /** What the messages say about their senders (at most 8). */
  people: Map<string, Participant>;
  /** The extra copies of duplicated messages. */
  extra: { messageUuid: string; sk: string }[];
  count: number;
  /** The sks not in the fixed-width UTC form (the first EXAMPLES), and how many. */
  nonCanonical: { count: number; examples: string[] };
}

/**
 * The newest message of a conversation by instant, its message count and its senders, reading page by page.
 * Consistent reads: a message written before the read starts is always seen (the base table allows them; the
 * GSI does not), which is what makes reading the group items first safe (repairConversation).
 */
async function readMessages(client: DynamoDBClient, table: string, group: string, zone: string): Promise<MessagesRead> {
  const read: MessagesRead = { newest: undefined, people: new Map(), extra: [], count: 0, nonCanonical: { count: 0, examples: [] } };
  const sksOf = new Map<string, string[]>();
  const pages = paginateQuery(
    { client: docClient(client) },
    {
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': messagePk(group) },
      ProjectionExpression: 'sk, message, message_uuid, user_uuid, user_display_name, user_handle',
      ConsistentRead: true,
    },
  );
  for await (const page of pages) {
    for (const item of (page.Items ?? []) as PlainItem[]) {
      const { sk } = item;
      if (!sk) continue;
      read.count++;
      if (!isSkTime(sk)) {
        read.nonCanonical.count++;
        if (read.nonCanonical.examples.length < EXAMPLES) read.nonCanonical.examples.push(sk);
      }
      if (!read.newest || compareTimes(sk, read.newest.sk, zone) > 0) read.newest = { sk, message: item.message ?? '' };
      if (typeof item.message_uuid === 'string') {
        const sks = sksOf.get(item.message_uuid);
        if (sks) sks.push(sk);
        else sksOf.set(item.message_uuid, [sk]);
      }
      const uuid = item.user_uuid;
      if (uuid && !read.people.has(uuid) && read.people.size < 8)
        read.people.set(uuid, { uuid, displayName: item.user_display_name ?? '', handle: item.user_handle ?? '' });
    }
  }
  for (const [messageUuid, sks] of sksOf) {
    if (sks.length < 2) continue;
    const keep = sks.find(isSkTime) ?? [...sks].sort()[0]!;
    for (const sk of sks) if (sk !== keep) read.extra.push({ messageUuid, sk });
  }
  return read;
}

/** Adds what the first look at a conversation found to the report. */
function countFirstLook(report: RepairReport, group: string, read: MessagesRead, plan: ReturnType<typeof planConversationRepair>): void {
  report.messages += read.count;
  report.nonCanonical.count += read.nonCanonical.count;
  for (const sk of read.nonCanonical.examples)
    if (report.nonCanonical.examples.length < EXAMPLES) report.nonCanonical.examples.push({ pk: messagePk(group), sk });
  for (const finding of plan.findings) report.found[finding.kind]++;
  report.unfixableCount += plan.unfixable.length;
  for (const line of plan.unfixable) if (report.unfixable.length < 20) report.unfixable.push(line);
}

/** Deletes the extra copies of duplicated messages (each only while it still holds that message_uuid). */
async function removeDuplicateMessages(options: RepairOptions, group: string, extra: { messageUuid: string; sk: string }[], report: RepairReport) {
  const pk = messagePk(group);
  for (const { messageUuid, sk } of extra) {
    report.duplicateMessages.count++;
    if (report.duplicateMessages.examples.length < EXAMPLES) report.duplicateMessages.examples.push({ pk, sk, messageUuid });
    if (options.dryRun) continue;
    try {
      await docClient(options.client).send(
        new DeleteCommand({
          TableName: options.table,
          Key: { pk, sk },
          ConditionExpression: 'message_uuid = :uuid',
          ExpressionAttributeValues: { ':uuid': messageUuid },
        }),
      );
      report.duplicateMessages.removed++;
    } catch (error) {
      // Gone or changed since it was read: someone else's write wins, nothing to remove.
      if ((error as Error)?.name !== 'ConditionalCheckFailedException') throw error;
    }
  }
}

/**
 * Finds and (unless a dry run) heals one conversation, safe beside a running `send` and stream:
 * - the group items are read BEFORE the messages: the stream moves a group item only to a message already
 *   written, so every group item read is at or behind the newest message read, and a message arriving
 *   meanwhile can never make the plan move a group item back (reading the messages first did: a message sent
 *   and applied between the two reads looked "ahead" and was moved back to the older one);
 * - after a write the conversation is read again, until a look finds nothing to do: a stream move that read
 *   the group items before ours landed (so it never saw an item we put) is caught on that look;
 * - a write that lost a race (a condition failed) is re-read and re-planned.
 * At most MAX_MOVE_ATTEMPTS looks: a conversation that keeps changing that long is reported as failed.
 */
async function repairConversation(options: RepairOptions, group: string, report: RepairReport): Promise<void> {
  const { client, table } = options;
  const zone = options.zone ?? 'UTC';
  let written = false;
  for (let attempt = 1; ; attempt++) {
    const items = await queryGroupItems(client, table, group);
    const read = await readMessages(client, table, group, zone);
    const plan = planConversationRepair(table, group, items, read.newest, read.people, zone);
    // Findings are counted once, from the first look: a later look re-plans only because someone else wrote.
    if (attempt === 1) {
      countFirstLook(report, group, read, plan);
      if (read.extra.length > 0) await removeDuplicateMessages(options, group, read.extra, report);
    }
    if (!plan.input) return;
    if (options.dryRun) {
      report.repaired++;
      return;
    }
    if (attempt > MAX_MOVE_ATTEMPTS) throw new Error(`it was still changing after ${MAX_MOVE_ATTEMPTS} writes (messages kept arriving)`);
    try {
      await transactWithFreeKeys(client, plan.input);
      if (!written) report.repaired++;
      written = true;
    } catch (error) {
      if (!isMoveConflict(error) || attempt >= MAX_MOVE_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt * Math.random()));
    }
  }
}

export async function repairTable(options: RepairOptions): Promise<RepairReport> {
  const report: RepairReport = {
    table: options.table,
    dryRun: Boolean(options.dryRun),
    conversations: 0,
    messages: 0,
    found: Object.fromEntries(FINDING_KINDS.map((kind) => [kind, 0])) as Record<FindingKind, number>,
    repaired: 0,
    unfixable: [],
    unfixableCount: 0,
    failed: 0,
    nonCanonical: { count: 0, examples: [] },
    duplicateMessages: { count: 0, removed: 0, examples: [] },
    stopped: false,
  };
  const log = options.log ?? (() => {});
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const recent: string[] = [];
  const recentSet = new Set<string>();
  const inFlight = new Set<Promise<void>>();

  walk: for await (const page of options.groups ?? scanGroups(options.client, options.table)) {
    for (const group of page) {
      if (options.signal?.aborted) {
        report.stopped = true;
        break walk;
      }
      if (!group || recentSet.has(group)) continue;
      recent.push(group);
      recentSet.add(group);
      if (recent.length > RECENT) recentSet.delete(recent.shift()!);
      report.conversations++;
      const work = repairConversation(options, group, report)
        .catch((error: unknown) => {
          report.failed++;
          log(`conversation ${group} failed: ${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}`);
        })
        .finally(() => {
          inFlight.delete(work);
          options.onConversation?.();
        });
      inFlight.add(work);
      // Bounded: at most `concurrency` conversations in memory at once.
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    }
  }
  await Promise.all(inFlight);
  return report;
}
