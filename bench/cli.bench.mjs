/**
 * Issue 3's goals: cold start, list-tables against the AWS CLI, and an 80,000-item scan to ndjson
 * (4 segments vs 1 vs `aws dynamodb scan`), each against a real DynamoDB Local started here. Issue 23's
 * start-up goals on the same instance: `--help` against `node -e 0`, `list-tables` against the AWS CLI's,
 * `get-conversation` of the seeded 112-message conversation against the AWS CLI's `query` of the same
 * items; medians of BENCH_STARTUP_RUNS (15) interleaved runs. Beside them, for the record, `list-tables`
 * as a first run after an install finds it: no V8 code cache to start from. BENCH_SCAN_ITEMS=0 skips the scan.
 */
// The benchmark's own SDK client needs no Node 20 notice (the CLI silences its own).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CLI, fill, fmt, interleaved, localEnv, measure, median, report, startDynamo, verdict } from './lib.mjs';

const ITEMS = Number(process.env.BENCH_SCAN_ITEMS ?? 80_000);
const STARTUP_RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 15);
/** seed/conversations/building-direct-messages.txt: 112 messages (its uuid is derived from the file name). */
const CONVERSATION = '6fd7060e-c610-5e79-b5f3-167bc0fa37bb';

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
    const start = await interleaved(STARTUP_RUNS, {
      node: () => measure(process.execPath, ['-e', '0']),
      help: () => measure(process.execPath, [CLI, '--help']),
    });
    const { node, help } = start;
    const ratioHelp = help.ms / node.ms;

    await measure(process.execPath, [CLI, 'schema-load', 'bench-scan'], { env });
    // The seeded conversations in a table of their own, so the scan below reads exactly ITEMS items.
    await measure(process.execPath, [CLI, 'schema-load', 'bench-conversations'], { env });
    await measure(process.execPath, [CLI, 'seed', '--table', 'bench-conversations'], { env });
    const awsCli = (args) => measure('aws', ['dynamodb', ...args, '--endpoint-url', dynamo.url, '--output', 'json'], { env });
    const query = ['query', '--table-name', 'bench-conversations', '--key-condition-expression', 'pk = :pk'];
    query.push('--expression-attribute-values', JSON.stringify({ ':pk': { S: `MSG#${CONVERSATION}` } }));
    // A command's first run after an install or a new Node version: a copy of the binary that finds no
    // V8 code cache and can keep none (src/entry/code-cache.ts), so every run parses the whole bundle.
    const uncached = mkdtempSync(join(tmpdir(), 'cruddur-bench-uncached-'));
    mkdirSync(join(uncached, 'dist', 'bin'), { recursive: true });
    for (const file of ['cruddur-ddb.cjs', 'help.cjs', 'cli.cjs']) copyFileSync(join(dirname(CLI), file), join(uncached, 'dist', 'bin', file));
    copyFileSync(join(dirname(CLI), '..', '..', 'package.json'), join(uncached, 'package.json'));
    writeFileSync(join(uncached, 'dist', 'bin', '.v8-cache'), 'not a folder');
    writeFileSync(join(uncached, 'xdg'), 'not a folder');
    const uncachedEnv = { ...env, XDG_CACHE_HOME: join(uncached, 'xdg') };
    const runs = await interleaved(STARTUP_RUNS, {
      ours: () => measure(process.execPath, [CLI, 'list-tables', '-o', 'json'], { env }),
      firstRun: () => measure(process.execPath, [join(uncached, 'dist', 'bin', 'cruddur-ddb.cjs'), 'list-tables', '-o', 'json'], { env: uncachedEnv }),
      aws: () => awsCli(['list-tables']),
      conversation: () => measure(process.execPath, [CLI, 'get-conversation', CONVERSATION, '--table', 'bench-conversations', '--all', '-o', 'json'], { env }),
      awsQuery: () => awsCli(query),
    });
    rmSync(uncached, { recursive: true, force: true });
    const { ours, firstRun, aws, conversation, awsQuery } = runs;
    const ratioList = ours.ms / aws.ms;
    const ratioConversation = conversation.ms / awsQuery.ms;
    const row = (what, r, ratio, goal, ok) => ({
      what,
      ms: fmt(r.ms, 0),
      'peak MB': fmt(r.peakMb, 1),
      ratio,
      goal,
      result: ok === undefined ? '' : verdict(ok),
    });
    report(
      'Start-up: --help, list-tables and get-conversation (median wall time)',
      [
        row('`node -e 0`', node, '1.00', ''),
        row('`cruddur-ddb --help`', help, fmt(ratioHelp), '<= 1.3x node', ratioHelp <= 1.3),
        row('`aws dynamodb list-tables`', aws, '1.00', ''),
        row('`cruddur-ddb list-tables`', ours, fmt(ratioList), '<= 0.30x AWS CLI', ratioList <= 0.3),
        row('`cruddur-ddb list-tables`, no V8 code cache (a first run)', firstRun, fmt(firstRun.ms / aws.ms), '-'),
        row('`aws dynamodb query` (the 112 messages)', awsQuery, '1.00', ''),
        row('`cruddur-ddb get-conversation --all`', conversation, fmt(ratioConversation), '<= 0.35x AWS CLI', ratioConversation <= 0.35),
      ],
      [
        `Medians of ${STARTUP_RUNS} interleaved runs after one warm-up each, on one DynamoDB Local; outputs: ${conversation.bytes} bytes ours, ${awsQuery.bytes} the AWS CLI's.`,
      ],
    );
    if (ITEMS === 0) return;

    const started = Date.now();
    await fill(dynamo.url, 'bench-scan', ITEMS, benchItem);
    console.log(`loaded ${ITEMS} items in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const scanArgs = [CLI, 'scan', 'bench-scan', '-o', 'ndjson'];
    const one = await median(3, () => measure(process.execPath, scanArgs, { env }));
    const four = await median(3, () => measure(process.execPath, [...scanArgs, '--segments', '4'], { env }));
    const cli = await median(1, () =>
      measure('aws', ['dynamodb', 'scan', '--table-name', 'bench-scan', '--endpoint-url', dynamo.url, '--output', 'json'], { env }),
    );
    const scanRow = (what, r, base) => ({
      what,
      s: fmt(r.ms / 1000),
      'items/s': fmt(ITEMS / (r.ms / 1000), 0),
      'peak MB': fmt(r.peakMb, 1),
      'speed vs AWS CLI': fmt(base.ms / r.ms),
      'memory vs AWS CLI': fmt(r.peakMb / base.peakMb),
    });
    report(
      `Scan of ${ITEMS.toLocaleString('en')} items (~300 bytes each) to stdout`,
      [
        scanRow('`aws dynamodb scan` (json)', cli, cli),
        scanRow('`cruddur-ddb scan -o ndjson`', one, cli),
        scanRow('`cruddur-ddb scan -o ndjson --segments 4`', four, cli),
      ],
      [
        `Goal: --segments 4 at least 4x faster than the AWS CLI (${verdict(cli.ms / four.ms >= 4)}: ${fmt(cli.ms / four.ms)}x) with peak memory under 1/3 of its (${verdict(four.peakMb / cli.peakMb < 1 / 3)}: ${fmt(four.peakMb / cli.peakMb)}).`,
        `Output sizes: ours ${fmt(four.bytes / 1e6, 1)} MB ndjson, AWS CLI ${fmt(cli.bytes / 1e6, 1)} MB JSON. Medians of 3 runs (AWS CLI: 1), after one warm-up each.`,
      ],
    );
  } finally {
    await dynamo.stop();
  }
}
