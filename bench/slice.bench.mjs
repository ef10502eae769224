/**
 * `copy --users 20` (a slice, by Query) against a full `copy` of the same table, in one run (issue 19):
 *   - a table of BENCH_SLICE_ITEMS (default 200,000) items in conversations of ~100 messages
 *     (2,000 by default) between BENCH_SLICE_ITEMS / 200 users, so each user is in ~4 conversations;
 *   - items read at most 1.2x the items copied, counted by a proxy in front of the source that sums the
 *     ScannedCount of every Query and Scan (bench/counting-proxy.mjs), and no Scan of the table's items;
 *   - the slice at least 10x faster than the full copy (wall time of the command, median of 3 slices).
 * Three DynamoDB Locals: the source, and one per measured writer (the full copy fills a stream-enabled
 * table with every item; DESIGN.md: a second stream table in that instance would crawl), each warmed
 * with BENCH_WARM writes to a stream-less table first. The users are picked without PostgreSQL (a
 * bounded Scan of the index), the path a developer without prod's database URL takes.
 * BENCH_SLICE_ITEMS and BENCH_WARM make it smaller (the goals are ratios; the notes say the size).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'node:child_process';
import { startCountingProxy } from './counting-proxy.mjs';
import { CLI, fill, fmt, localClient, localEnv, measure, report, startDynamo, verdict } from './lib.mjs';

const ITEMS = Number(process.env.BENCH_SLICE_ITEMS ?? 200_000);
const WARM = Number(process.env.BENCH_WARM ?? 40_000);
const USERS = Number(process.env.BENCH_SLICE_USERS ?? 20);
const RUNS = 3;
const TABLE = 'cruddur-messages';
const PER_CONVERSATION = 100; // two group items and 98 messages on average
const conversations = Math.max(1, Math.round(ITEMS / PER_CONVERSATION));
const people = Math.max(4, Math.round(conversations / 2));

const uuid = (kind, n) => `${kind}${String(n).padStart(7, '0')}-0000-4000-8000-000000000000`.slice(0, 36);
/** A fixed pseudo-random number generator (mulberry32), so every run holds the same table. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Conversation c: its two people and its message count (20 to 176, 98 on average), fixed by c. */
function conversation(c) {
  const next = random(c + 1);
  const a = Math.floor(next() * people);
  const b = (a + 1 + Math.floor(next() * (people - 1))) % people;
  return { a, b, messages: 20 + Math.floor(next() * 157) };
}

/** Every item of the table in order: per conversation, its two group items then its messages. */
function* items() {
  const base = Date.UTC(2026, 0, 1);
  for (let c = 0; c < conversations; c++) {
    const { a, b, messages } = conversation(c);
    const group = uuid('c', c);
    const person = (p) => ({ user_uuid: { S: uuid('a', p) }, user_handle: { S: `user${p}` }, user_display_name: { S: `User ${p}` } });
    const last = new Date(base + c * 60_000 + messages * 1000);
    // The backend's forms: group times in local time with an offset, message times without one.
    const groupSk = last
      .toISOString()
      .replace('Z', '')
      .replace(/\.(\d{3})$/, '.$1000-05:00');
    for (const [owner, other] of [
      [a, b],
      [b, a],
    ])
      yield { pk: { S: `GRP#${uuid('a', owner)}` }, sk: { S: groupSk }, message_group_uuid: { S: group }, message: { S: `last of ${c}` }, ...person(other) };
    for (let m = 0; m < messages; m++) {
      const sk = new Date(base + c * 60_000 + m * 1000).toISOString().replace('Z', '000');
      yield {
        pk: { S: `MSG#${group}` },
        sk: { S: sk },
        message_uuid: { S: uuid('e', c * 1000 + m) },
        message: { S: `message ${m} of ${c} `.repeat(8) },
        ...person(m % 2 ? b : a),
      };
    }
  }
}

async function warm(url) {
  await localClient(url).send(
    new CreateTableCommand({
      TableName: 'warm-up',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await fill(url, 'warm-up', WARM, (i) => ({ pk: { S: `w${i}` }, v: { S: 'x'.repeat(250) } }));
}

/** Runs the CLI once and returns its -o json summary (measure() only times it). Not spawnSync: the proxy lives in this process. */
function summaryOf(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, '-o', 'json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`copy ${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

export async function run() {
  const [source, fullTarget, sliceTarget] = [await startDynamo(), await startDynamo(), await startDynamo()];
  const proxy = await startCountingProxy(source.url);
  try {
    const { messagesTableInput } = await import('../dist/patterns/index.js');
    await localClient(source.url).send(new CreateTableCommand(messagesTableInput(TABLE)));
    const all = [...items()];
    await fill(source.url, TABLE, all.length, (i) => all[i]);
    await Promise.all([warm(fullTarget.url), warm(sliceTarget.url)]);

    const env = (target) => localEnv(target.url);
    const copyArgs = (target, name) => ['copy', TABLE, '--from', proxy.url, '--to', target.url, '--to-table', name];

    // The slice: one run for its counts (through the proxy; it creates the table), then RUNS timed runs.
    proxy.reset();
    const counted = await summaryOf([...copyArgs(sliceTarget, 'slice'), '--users', String(USERS)], env(sliceTarget));
    const read = proxy.stats.itemsRead;
    const tableScans = proxy.stats.scans.filter((scan) => scan.index === undefined).length;
    const picking = proxy.stats.scans.reduce((n, scan) => n + scan.scanned, 0);
    const times = [];
    // Into the one table the counted run created: a second stream-enabled table in that instance would crawl (DESIGN.md).
    for (let i = 0; i < RUNS; i++)
      times.push((await measure(process.execPath, [CLI, ...copyArgs(sliceTarget, 'slice'), '--users', String(USERS)], { env: env(sliceTarget) })).ms);
    const sliceMs = times.sort((x, y) => x - y)[Math.floor(RUNS / 2)];
    const full = await measure(process.execPath, [CLI, ...copyArgs(fullTarget, 'full')], { env: env(fullTarget) });

    const readRatio = read / counted.itemsWritten;
    const speedup = full.ms / sliceMs;
    report(
      `copy --users ${USERS} vs a full copy (${all.length} items, ${conversations} conversations, ${people} users)`,
      [
        {
          measure: 'items read / items copied (slice)',
          value: `${read} / ${counted.itemsWritten} = ${fmt(readRatio)}`,
          goal: '<= 1.2',
          result: verdict(readRatio <= 1.2),
        },
        { measure: 'Scans of the table (not the index)', value: String(tableScans), goal: '0', result: verdict(tableScans === 0) },
        {
          measure: 'full copy / slice, wall time',
          value: `${fmt(full.ms / 1000)} s / ${fmt(sliceMs / 1000)} s = ${fmt(speedup, 1)}x`,
          goal: '>= 10x',
          result: verdict(speedup >= 10),
        },
      ],
      [
        `The slice: ${counted.users} users, ${counted.conversations} conversations, ${counted.messages} messages; picked without PostgreSQL (a Scan of the index of ${picking} items).`,
        `Three DynamoDB Locals (source; one per writer, each warmed with ${WARM} writes); both copies read through the same counting proxy.`,
      ],
    );
  } finally {
    await proxy.close();
    await Promise.all([source, fullTarget, sliceTarget].map((dynamo) => dynamo.stop()));
  }
}
