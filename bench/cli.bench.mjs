/**
 * Issue 3's goals: cold start, list-tables against the AWS CLI, and an 80,000-item scan to ndjson
 * (4 segments vs 1 vs `aws dynamodb scan`), each against a real DynamoDB Local started here.
 */
// The benchmark's own SDK client needs no Node 20 notice (the CLI silences its own).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { CLI, fill, fmt, localEnv, measure, median, report, startDynamo, verdict } from './lib.mjs';

const ITEMS = Number(process.env.BENCH_SCAN_ITEMS ?? 80_000);

const body = 'lorem ipsum dolor sit amet '.repeat(8).slice(0, 200);
const benchItem = (i) => ({
  pk: { S: `MSG#${String(i % 500).padStart(8, '0')}-group` },
  sk: { S: `2026-11-${String((i % 28) + 1).padStart(2, '0')}T10:00:00.${String(i).padStart(6, '0')}+00:00` },
  message_uuid: { S: `message-${i}` },
  message: { S: body },
  user_handle: { S: 'benchuser' },
});

export async function run() {
  const dynamo = await startDynamo();
  const env = localEnv(dynamo.url);
  try {
    // Cold start: what a user waits for before anything happens.
    const node = await median(15, () => measure(process.execPath, ['-e', '0']));
    const help = await median(15, () => measure(process.execPath, [CLI, '--help']));
    const ratioHelp = help.ms / node.ms;

    await measure(process.execPath, [CLI, 'schema-load', 'bench-scan'], { env });
    const ours = await median(7, () => measure(process.execPath, [CLI, 'list-tables', '-o', 'json'], { env }));
    const aws = await median(5, () => measure('aws', ['dynamodb', 'list-tables', '--endpoint-url', dynamo.url, '--output', 'json'], { env }));
    const ratioList = ours.ms / aws.ms;
    report('Cold start and list-tables (median wall time)', [
      { what: '`node -e 0`', ms: fmt(node.ms, 0), 'peak MB': fmt(node.peakMb, 1), ratio: '1.00', goal: '', result: '' },
      {
        what: '`cruddur-ddb --help`',
        ms: fmt(help.ms, 0),
        'peak MB': fmt(help.peakMb, 1),
        ratio: fmt(ratioHelp),
        goal: '<= 1.5x node',
        result: verdict(ratioHelp <= 1.5),
      },
      { what: '`aws dynamodb list-tables`', ms: fmt(aws.ms, 0), 'peak MB': fmt(aws.peakMb, 1), ratio: '1.00', goal: '', result: '' },
      {
        what: '`cruddur-ddb list-tables`',
        ms: fmt(ours.ms, 0),
        'peak MB': fmt(ours.peakMb, 1),
        ratio: fmt(ratioList),
        goal: '<= 0.35x AWS CLI',
        result: verdict(ratioList <= 0.35),
      },
    ]);

    const started = Date.now();
    await fill(dynamo.url, 'bench-scan', ITEMS, benchItem);
    console.log(`loaded ${ITEMS} items in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const scanArgs = [CLI, 'scan', 'bench-scan', '-o', 'ndjson'];
    const one = await median(3, () => measure(process.execPath, scanArgs, { env }));
    const four = await median(3, () => measure(process.execPath, [...scanArgs, '--segments', '4'], { env }));
    const cli = await median(1, () =>
      measure('aws', ['dynamodb', 'scan', '--table-name', 'bench-scan', '--endpoint-url', dynamo.url, '--output', 'json'], { env }),
    );
    const row = (what, r, base) => ({
      what,
      s: fmt(r.ms / 1000),
      'items/s': fmt(ITEMS / (r.ms / 1000), 0),
      'peak MB': fmt(r.peakMb, 1),
      'speed vs AWS CLI': fmt(base.ms / r.ms),
      'memory vs AWS CLI': fmt(r.peakMb / base.peakMb),
    });
    report(
      `Scan of ${ITEMS.toLocaleString('en')} items (~300 bytes each) to stdout`,
      [row('`aws dynamodb scan` (json)', cli, cli), row('`cruddur-ddb scan -o ndjson`', one, cli), row('`cruddur-ddb scan -o ndjson --segments 4`', four, cli)],
      [
        `Goal: --segments 4 at least 4x faster than the AWS CLI (${verdict(cli.ms / four.ms >= 4)}: ${fmt(cli.ms / four.ms)}x) with peak memory under 1/3 of its (${verdict(four.peakMb / cli.peakMb < 1 / 3)}: ${fmt(four.peakMb / cli.peakMb)}).`,
        `Output sizes: ours ${fmt(four.bytes / 1e6, 1)} MB ndjson, AWS CLI ${fmt(cli.bytes / 1e6, 1)} MB JSON. Medians of 3 runs (AWS CLI: 1), after one warm-up each.`,
      ],
    );
  } finally {
    await dynamo.stop();
  }
}
