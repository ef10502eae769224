/**
 * Bounded memory (issue 11): peak resident memory of `seed --synthetic N` and `scan --segments S`
 * at 10x the data vs 1x, measured in the same run. Goal for both: peak at 10x <= 1.3x peak at 1x.
 * Also `scan --segments 100000` of a missing table (once 3.3 GB and 90 s) vs `--segments 1`.
 *
 * Each scale gets its own DynamoDB Local (in memory), warmed first with writes into a table WITHOUT a
 * stream (a big stream table slows every other stream table of the instance; measured on DynamoDB Local), then the
 * messages table (with its stream) is seeded by the binary and scanned by it.
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
// This process's own SDK client (table setup) need not warn about Node 20 either.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { fileURLToPath } from 'node:url';
import { CLI, fmt, localClient, localEnv, measure, report, startDynamo, verdict } from './lib.mjs';

// BENCH_MEMORY_ITEMS: a smaller 1x for a smoke run (the ratios are only meaningful at the default).
const BASE = Number(process.env.BENCH_MEMORY_ITEMS ?? 20_000);
const WARM = Number(process.env.BENCH_MEMORY_ITEMS ?? 20_000);
const SEGMENTS = 64;
const WRITERS = fileURLToPath(new URL('./seed-writers.mjs', import.meta.url));
const TABLE = 'cruddur-messages';

async function atScale(messages) {
  const dynamo = await startDynamo();
  try {
    const { messagesTableInput } = await import('../dist/patterns/index.js');
    const client = localClient(dynamo.url);
    const warm = { ...messagesTableInput('warm-up'), StreamSpecification: undefined };
    await client.send(new CreateTableCommand(warm));
    await client.send(new CreateTableCommand(messagesTableInput(TABLE)));
    client.destroy();
    await measure(process.execPath, [WRITERS, 'batch', dynamo.url, 'warm-up', String(WARM), '16'], { env: localEnv(dynamo.url) });
    const env = localEnv(dynamo.url);
    const seed = await measure(process.execPath, [CLI, 'seed', '--synthetic', String(messages), '--table', TABLE], { env });
    const scan = await measure(process.execPath, [CLI, 'scan', TABLE, '--segments', String(SEGMENTS), '-o', 'ndjson'], { env });
    return { seed, scan };
  } finally {
    await dynamo.stop();
  }
}

/** A missing table scanned with many segments must fail fast and small: every segment at once did not. */
async function missingTable(segments) {
  const dynamo = await startDynamo();
  try {
    const started = process.hrtime.bigint();
    const result = await measure('/bin/sh', ['-c', `"${process.execPath}" "${CLI}" scan no-such-table --segments ${segments} -o ndjson; test $? -eq 1`], {
      env: localEnv(dynamo.url),
    });
    return { ...result, ms: Number(process.hrtime.bigint() - started) / 1e6 };
  } finally {
    await dynamo.stop();
  }
}

export async function run() {
  const one = await atScale(BASE);
  const ten = await atScale(BASE * 10);
  const items = (n) => n + 2 * Math.ceil(n / 200);
  const seedRatio = ten.seed.peakMb / one.seed.peakMb;
  const scanRatio = ten.scan.peakMb / one.scan.peakMb;
  const few = await missingTable(1);
  const many = await missingTable(100_000);
  report(
    `memory: seed --synthetic and scan --segments ${SEGMENTS} at 10x the data vs 1x`,
    [
      { command: `seed --synthetic ${BASE}`, items: items(BASE), seconds: fmt(one.seed.ms / 1000), 'peak MB': fmt(one.seed.peakMb, 0) },
      { command: `seed --synthetic ${BASE * 10}`, items: items(BASE * 10), seconds: fmt(ten.seed.ms / 1000), 'peak MB': fmt(ten.seed.peakMb, 0) },
      { command: `scan --segments ${SEGMENTS} -o ndjson (1x)`, items: items(BASE), seconds: fmt(one.scan.ms / 1000), 'peak MB': fmt(one.scan.peakMb, 0) },
      { command: `scan --segments ${SEGMENTS} -o ndjson (10x)`, items: items(BASE * 10), seconds: fmt(ten.scan.ms / 1000), 'peak MB': fmt(ten.scan.peakMb, 0) },
      { command: 'scan <missing table> --segments 1', items: 0, seconds: fmt(few.ms / 1000), 'peak MB': fmt(few.peakMb, 0) },
      { command: 'scan <missing table> --segments 100000', items: 0, seconds: fmt(many.ms / 1000), 'peak MB': fmt(many.peakMb, 0) },
    ],
    [
      `Goal: peak at 10x <= 1.3x peak at 1x. seed: ${fmt(seedRatio)}x, ${verdict(seedRatio <= 1.3)}. scan: ${fmt(scanRatio)}x, ${verdict(scanRatio <= 1.3)}.`,
      `A missing table with --segments 100000: ${fmt(many.peakMb / few.peakMb)}x the peak memory of --segments 1 (before the fix: 3.3 GB and 90 s).`,
      'Peak = maximum resident set size of the binary (GNU time), one run each on its own warmed DynamoDB Local (in memory). The machine has 2 cores shared with other sessions: times are noisy; memory much less so.',
    ],
  );
}
