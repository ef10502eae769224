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
 * Not found: a conversation with messages but no group item at all (nobody sees it in the app, and no item
 * says who its participants are).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { paginateQuery, paginateScan } from '@aws-sdk/lib-dynamodb';
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
}

const EXAMPLES = 5;
const RECENT = 1024;

/** The newest message of a conversation by instant, its message count and its senders, reading page by page. */
async function readMessages(client: DynamoDBClient, table: string, group: string, zone: string, report: RepairReport) {
  let newest: NewestMessage | undefined;
  const people = new Map<string, Participant>();
  const pages = paginateQuery(
    { client: docClient(client) },
    {
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': messagePk(group) },
      ProjectionExpression: 'sk, message, user_uuid, user_display_name, user_handle',
    },
  );
  for await (const page of pages) {
    for (const item of (page.Items ?? []) as PlainItem[]) {
      const { sk } = item;
      if (!sk) continue;
      report.messages++;
      if (!isSkTime(sk)) {
        report.nonCanonical.count++;
        if (report.nonCanonical.examples.length < EXAMPLES) report.nonCanonical.examples.push({ pk: messagePk(group), sk });
      }
      if (!newest || compareTimes(sk, newest.sk, zone) > 0) newest = { sk, message: item.message ?? '' };
      const uuid = item.user_uuid;
      if (uuid && !people.has(uuid) && people.size < 8) people.set(uuid, { uuid, displayName: item.user_display_name ?? '', handle: item.user_handle ?? '' });
    }
  }
  return { newest, people };
}

/** Finds and (unless a dry run) heals one conversation; re-reads when a concurrent writer got there first. */
async function repairConversation(options: RepairOptions, group: string, report: RepairReport): Promise<void> {
  const { client, table } = options;
  const zone = options.zone ?? 'UTC';
  const { newest, people } = await readMessages(client, table, group, zone, report);
  for (let attempt = 1; ; attempt++) {
    const items = await queryGroupItems(client, table, group);
    const plan = planConversationRepair(table, group, items, newest, people, zone);
    // Findings are counted once, from the first look: a retry re-plans only because someone else moved first.
    if (attempt === 1) {
      for (const finding of plan.findings) report.found[finding.kind]++;
      report.unfixableCount += plan.unfixable.length;
      for (const line of plan.unfixable) if (report.unfixable.length < 20) report.unfixable.push(line);
    }
    if (!plan.input) return;
    if (options.dryRun) {
      report.repaired++;
      return;
    }
    try {
      await transactWithFreeKeys(client, plan.input);
      report.repaired++;
      return;
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
  };
  const log = options.log ?? (() => {});
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const recent: string[] = [];
  const recentSet = new Set<string>();
  const inFlight = new Set<Promise<void>>();

  const pages = paginateScan(
    { client: docClient(options.client) },
    { TableName: options.table, IndexName: MESSAGE_GROUP_INDEX, ProjectionExpression: 'message_group_uuid' },
  );
  for await (const page of pages) {
    for (const item of (page.Items ?? []) as PlainItem[]) {
      const group = item.message_group_uuid;
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
