/**
 * Issue 20's goals, each a ratio within one run against a real DynamoDB Local started here:
 *   - `query` of the seeded 112-message conversation vs `aws dynamodb execute-statement` of the same
 *     statement (medians of 15, interleaved): at most 0.35x;
 *   - every page of one big partition (`query --pk`, ndjson) at flat memory: peak at 50k items at most
 *     1.2x the peak at 5k;
 *   - `ttl sweep` of 100k expired items vs `reset` of 100k items: at least 0.9x reset's rate. Each
 *     writer gets its own DynamoDB Local, so neither measures the other's leftovers.
 * Sizes: BENCH_ADHOC_PARTITION (50,000), BENCH_ADHOC_SWEEP (100,000), BENCH_ADHOC_RUNS (15), for a small smoke run.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { CLI, fill, fmt, localEnv, measure, report, startDynamo, verdict } from './lib.mjs';

const PARTITION = Number(process.env.BENCH_ADHOC_PARTITION ?? 50_000);
const SWEEP = Number(process.env.BENCH_ADHOC_SWEEP ?? 100_000);
const RUNS = Number(process.env.BENCH_ADHOC_RUNS ?? 15);
const GROUP = '6fd7060e-c610-5e79-b5f3-167bc0fa37bb';

const body = 'lorem ipsum dolor sit amet '.repeat(8).slice(0, 200);
const message = (pk) => (i) => ({
  pk: { S: pk },
  sk: { S: `2026-11-01T00:00:00.${String(i).padStart(6, '0')}+00:00` },
  message: { S: body },
  user_handle: { S: 'benchuser' },
});

/** Medians of `RUNS` runs of two commands, run in turn so a slow moment hits both. */
async function interleaved(a, b) {
  await a();
  await b();
  const as = [];
  const bs = [];
  for (let i = 0; i < RUNS; i++) {
    as.push(await a());
    bs.push(await b());
  }
  const mid = (runs) => runs.map((r) => r.ms).sort((x, y) => x - y)[Math.floor(runs.length / 2)];
  return [mid(as), mid(bs)];
}

export async function run() {
  const dynamo = await startDynamo();
  const env = localEnv(dynamo.url);
  try {
    await measure(process.execPath, [CLI, 'schema-load', 'bench-adhoc'], { env });
    await measure(process.execPath, [CLI, 'seed', '--table', 'bench-adhoc'], { env });
    const statement = `SELECT * FROM "bench-adhoc" WHERE pk = 'MSG#${GROUP}'`;
    const [ours, aws] = await interleaved(
      () => measure(process.execPath, [CLI, 'query', statement, '-o', 'json'], { env }),
      () => measure('aws', ['dynamodb', 'execute-statement', '--statement', statement, '--endpoint-url', dynamo.url, '--output', 'json'], { env }),
    );

    const small = Math.max(1, Math.round(PARTITION / 10));
    await fill(dynamo.url, 'bench-adhoc', small, message('MSG#small'));
    await fill(dynamo.url, 'bench-adhoc', PARTITION, message('MSG#big'));
    const peak = async (pk) => (await measure(process.execPath, [CLI, 'query', 'bench-adhoc', '--pk', pk, '-o', 'ndjson'], { env })).peakMb;
    const smallMb = await peak('MSG#small');
    const bigMb = await peak('MSG#big');

    report(
      'query (issue 20)',
      [
        { what: '`aws dynamodb execute-statement`, 112 messages', value: `${fmt(aws, 0)} ms`, ratio: '1.00', goal: '', result: '' },
        {
          what: '`cruddur-ddb query` (PartiQL), same statement',
          value: `${fmt(ours, 0)} ms`,
          ratio: fmt(ours / aws),
          goal: '<= 0.35x',
          result: verdict(ours / aws <= 0.35),
        },
        { what: `\`query --pk\`, ${small} items, ndjson`, value: `${fmt(smallMb, 1)} MB peak`, ratio: '1.00', goal: '', result: '' },
        {
          what: `\`query --pk\`, ${PARTITION} items, ndjson`,
          value: `${fmt(bigMb, 1)} MB peak`,
          ratio: fmt(bigMb / smallMb),
          goal: '<= 1.2x',
          result: verdict(bigMb / smallMb <= 1.2),
        },
      ],
      [`Medians of ${RUNS} interleaved runs after one warm-up each.`],
    );
  } finally {
    await dynamo.stop();
  }

  // One DynamoDB Local per measured writer.
  const rates = {};
  for (const what of ['reset', 'sweep']) {
    const own = await startDynamo();
    const ownEnv = localEnv(own.url);
    try {
      await measure(process.execPath, [CLI, 'schema-load', 'bench-ttl'], { env: ownEnv });
      const expired = Math.floor(Date.now() / 1000) - 3600;
      await fill(own.url, 'bench-ttl', SWEEP, (i) => ({ ...message(`MSG#${i % 500}`)(i), expires_at: { N: String(expired) } }));
      const args = what === 'reset' ? ['reset', 'bench-ttl'] : ['ttl', 'sweep', 'bench-ttl', '--attribute', 'expires_at'];
      const { ms } = await measure(process.execPath, [CLI, ...args], { env: ownEnv });
      rates[what] = SWEEP / (ms / 1000);
    } finally {
      await own.stop();
    }
  }
  report('ttl sweep (issue 20)', [
    { what: `\`reset\` of ${SWEEP} items`, 'items/s': fmt(rates.reset, 0), ratio: '1.00', goal: '', result: '' },
    {
      what: `\`ttl sweep\` of ${SWEEP} expired items`,
      'items/s': fmt(rates.sweep, 0),
      ratio: fmt(rates.sweep / rates.reset),
      goal: '>= 0.9x',
      result: verdict(rates.sweep / rates.reset >= 0.9),
    },
  ]);
}
