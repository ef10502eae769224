/**
 * `local`'s persistent store vs DynamoDB Local in memory, in the same run: `seed --synthetic N` through the
 * running `cruddur-ddb local --detach` of each store, each on its own DynamoDB Local, warmed first (its JVM
 * writes ~200 items/s cold), the snapshot keeper running at a short interval so its cost is counted.
 *   - memory:   `local --in-memory` (the baseline: nothing kept)
 *   - snapshot: `local` (the default: in memory, snapshot every --snapshot-every s and at stop)
 *   - disk:     `local --disk` (DynamoDB Local's own database file), for reference
 * Goal: snapshot >= 0.8x memory in items/s. Also reported: `local stop` (the last snapshot) and the restart
 * that restores it. Size: BENCH_LOCAL_N (default 20000) items, BENCH_LOCAL_WARM (default 40000) warm-up writes.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { DeleteTableCommand, CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, fill, fmt, localClient, localEnv, measure, report, verdict } from './lib.mjs';

const N = Number(process.env.BENCH_LOCAL_N ?? 20000);
const WARM = Number(process.env.BENCH_LOCAL_WARM ?? 40000);
const EVERY = Number(process.env.BENCH_LOCAL_EVERY ?? 10);
const TABLE = 'cruddur-messages';

async function freePort() {
  const { freePort: free } = await import('../dist/local/ports.js');
  return free();
}

/** Warms the JVM with WARM writes into a table of its own (no stream), then drops it. */
async function warm(url) {
  const client = localClient(url);
  await client.send(
    new CreateTableCommand({
      TableName: 'warmup',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await fill(url, 'warmup', WARM, (i) => ({ pk: { S: `w${i}` }, v: { S: 'x'.repeat(200) } }));
  await client.send(new DeleteTableCommand({ TableName: 'warmup' }));
  client.destroy();
}

/** One store: start, warm, seed (measured), stop (measured), and for the snapshot store a restart (measured). */
async function measureStore(name, flags) {
  const cwd = mkdtempSync(join(tmpdir(), `cruddur-bench-store-${name}-`));
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const env = localEnv(url);
  const local = (args) => measure(process.execPath, [CLI, 'local', ...args], { env, cwd });
  const start = ['--detach', '--port', String(port), '--data-dir', join(cwd, 'data'), '--schema-load', ...flags];
  try {
    await local(start);
    await warm(url);
    const seed = await measure(process.execPath, [CLI, 'seed', '--synthetic', String(N), '--table', TABLE, '--yes'], { env, cwd });
    const stop = await local(['stop']);
    let restart;
    if (name === 'snapshot') {
      restart = await local(start);
      await local(['stop']);
    }
    return { seed, stop, restart };
  } finally {
    await local(['stop']).catch(() => undefined);
    rmSync(cwd, { recursive: true, force: true });
  }
}

export async function run() {
  const items = N + 2 * Math.ceil(N / 200);
  const rate = (r) => items / (r.ms / 1000);
  const memory = await measureStore('memory', ['--in-memory']);
  const snapshot = await measureStore('snapshot', ['--snapshot-every', String(EVERY)]);
  const disk = await measureStore('disk', ['--disk']);
  const row = (store, r) => ({
    store,
    items,
    'seed s': fmt(r.seed.ms / 1000),
    'items/s': fmt(rate(r.seed), 0),
    'stop s': fmt(r.stop.ms / 1000),
    'restart s': r.restart ? fmt(r.restart.ms / 1000) : '-',
  });
  const ratio = rate(snapshot.seed) / rate(memory.seed);
  report(
    `local's store: seed --synthetic ${N} into a running local --detach, snapshot vs in memory`,
    [row('--in-memory (baseline)', memory), row(`snapshot (default; every ${EVERY} s and at stop)`, snapshot), row('--disk (reference)', disk)],
    [
      `Goal snapshot >= 0.8x in memory: ${fmt(ratio, 2)}x, ${verdict(ratio >= 0.8)}. Disk mode: ${fmt(rate(disk.seed) / rate(memory.seed), 2)}x.`,
      `Each store on its own DynamoDB Local, warmed with ${WARM} writes first. "stop s" for the snapshot store includes writing the last snapshot; "restart s" is local --detach restoring it (JVM start included).`,
    ],
  );
}
