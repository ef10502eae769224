/**
 * `cruddur-ddb repair` over a damaged table of 200,000 messages in 2,000 conversations (REPAIR_BENCH_MESSAGES
 * and REPAIR_BENCH_CONVERSATIONS change the size; REPAIR_BENCH_SMALL adds a first, 10x smaller table in the
 * same run so peak memory can be compared across sizes): wall time and peak memory.
 *
 * Baselines, measured in the same run against the same table:
 *   - `list-tables`: the CLI's fixed memory (start-up, SDK loaded, one call); repair's "constant memory"
 *     goal is a peak close to it, not one that grows with the table;
 *   - `scan <table> -o ndjson > /dev/null`: reading every item once, streamed: repair reads every message
 *     once too (per conversation) and writes one transaction per damaged conversation, so its time is
 *     compared with this one.
 *
 * Damage (the kinds the old Lambda and the backend left): a quarter of the conversations behind (both items),
 * a quarter with a duplicate owner item, a quarter ahead (a future time), a quarter fine; messages are
 * half in the backend's no-offset form. Its own DynamoDB Local, in memory.
 */
import { BatchWriteItemCommand, CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { performance } from 'node:perf_hooks';
import { CLI, fmt, localClient, localEnv, measure, report, startDynamo } from './lib.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const MESSAGES = Number(process.env.REPAIR_BENCH_MESSAGES ?? 200_000);
const CONVERSATIONS = Number(process.env.REPAIR_BENCH_CONVERSATIONS ?? 2_000);

const uuid = (kind, n) => `${kind}0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const BASE = Date.parse('2026-01-01T00:00:00Z');
const utc = (ms) => new Date(ms).toISOString().replace('Z', '000+00:00');
const naive = (ms) => new Date(ms).toISOString().slice(0, 23) + '123'; // the backend's create_message form (zone UTC)

/** Every item of a damaged table, conversation by conversation (a generator: the bench holds one conversation at a time). */
function* items(patterns, conversations, perConversation) {
  for (let c = 0; c < conversations; c++) {
    const a = { uuid: uuid('a', c), displayName: `User A${c}`, handle: `a${c}` };
    const b = { uuid: uuid('b', c), displayName: `User B${c}`, handle: `b${c}` };
    const group = uuid('c', c);
    let last;
    for (let m = 0; m < perConversation; m++) {
      const ms = BASE + c * 1000 + m * 60_000;
      const sk = m % 2 ? naive(ms) : utc(ms);
      last = { sk, message: `message ${m} of ${c}` };
      yield patterns.messageItem({ messageGroupUuid: group, messageUuid: `${group}-${m}`, sender: m % 2 ? b : a, message: last.message, sk });
    }
    const kind = c % 4;
    const first = { sk: utc(BASE + c * 1000), message: `message 0 of ${c}` };
    const groupAt = kind === 0 ? first : kind === 2 ? { sk: utc(BASE + 365 * 86_400_000 + c), message: 'ahead' } : last;
    const pair = patterns.groupItemPair(a, b, { messageGroupUuid: group, ...groupAt });
    yield* pair;
    if (kind === 1) yield patterns.groupItem({ owner: a, other: b, messageGroupUuid: group, ...first });
  }
}

async function load(client, patterns, table, conversations, perConversation) {
  await client.send(new CreateTableCommand(patterns.messagesTableInput(table)));
  let chunk = [];
  const inFlight = new Set();
  let written = 0;
  const flush = async (requests) => {
    let pending = requests;
    while (pending.length) {
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
      pending = out.UnprocessedItems?.[table] ?? [];
    }
    written += requests.length;
  };
  for (const Item of items(patterns, conversations, perConversation)) {
    chunk.push({ PutRequest: { Item } });
    if (chunk.length === 25) {
      const work = flush(chunk).finally(() => inFlight.delete(work));
      inFlight.add(work);
      chunk = [];
      if (inFlight.size >= 8) await Promise.race(inFlight);
    }
  }
  if (chunk.length) await flush(chunk);
  await Promise.all(inFlight);
  return written;
}

async function measureSize(dynamo, client, patterns, messages, conversations) {
  const table = `bench-repair-${messages}`;
  const perConversation = Math.round(messages / conversations);
  const started = performance.now();
  const written = await load(client, patterns, table, conversations, perConversation);
  const loadSeconds = (performance.now() - started) / 1000;
  console.log(`loaded ${written} items into ${table} in ${fmt(loadSeconds, 0)} s`);
  const env = localEnv(dynamo.url, { DDB_MESSAGE_TABLE: table });
  const cli = (...args) => measure(process.execPath, [CLI, ...args], { env });
  const rows = [];
  const listTables = await cli('list-tables', '-o', 'json');
  rows.push({ run: 'list-tables (baseline: fixed memory)', size: '-', ms: fmt(listTables.ms, 0), 'peak MB': fmt(listTables.peakMb, 0) });
  const scan = await cli('scan', table, '-o', 'ndjson');
  rows.push({ run: 'scan -o ndjson (baseline: read every item)', size: `${written} items`, ms: fmt(scan.ms, 0), 'peak MB': fmt(scan.peakMb, 0) });
  const dry = await cli('repair', '--dry-run', '-o', 'json');
  rows.push({ run: 'repair --dry-run', size: `${messages} messages, ${conversations} conversations`, ms: fmt(dry.ms, 0), 'peak MB': fmt(dry.peakMb, 0) });
  const heal = await cli('repair', '-o', 'json');
  rows.push({ run: 'repair (heals 3/4 of the conversations)', size: `${messages} messages`, ms: fmt(heal.ms, 0), 'peak MB': fmt(heal.peakMb, 0) });
  const again = await cli('repair', '-o', 'json');
  rows.push({ run: 'repair again (nothing to do)', size: `${messages} messages`, ms: fmt(again.ms, 0), 'peak MB': fmt(again.peakMb, 0) });
  return { rows, listTables, scan, heal, loadSeconds, written };
}

export async function run() {
  const patterns = await import('../dist/patterns/index.js');
  const sizes = process.env.REPAIR_BENCH_SMALL
    ? [
        [MESSAGES / 10, CONVERSATIONS / 10],
        [MESSAGES, CONVERSATIONS],
      ]
    : [[MESSAGES, CONVERSATIONS]];
  for (const [messages, conversations] of sizes) {
    // Its own DynamoDB Local per size, in memory: no other table's stream slows its writes (a big stream table slows every other stream table of an instance).
    const dynamo = await startDynamo();
    try {
      const client = localClient(dynamo.url);
      const result = await measureSize(dynamo, client, patterns, messages, conversations);
      report(`repair: ${messages} messages in ${conversations} conversations`, result.rows, [
        `repair vs scan (same table, same run): ${fmt(result.heal.ms / result.scan.ms, 1)}x the time of reading every item once; peak memory ${fmt(result.heal.peakMb, 0)} MB vs ${fmt(result.listTables.peakMb, 0)} MB for list-tables (${fmt(result.heal.peakMb / result.listTables.peakMb, 2)}x) and ${fmt(result.scan.peakMb, 0)} MB for the streamed scan.`,
        `Loading the ${result.written} items took ${fmt(result.loadSeconds, 0)} s (BatchWriteItem, 8 in flight, DynamoDB Local in memory). 2 cores shared with other sessions: times are noisy.`,
      ]);
    } finally {
      await dynamo.stop();
    }
  }
}
