/**
 * AWS's export layout against our ndjson, the same ~100,000 items (the messages of `seed --synthetic`), in one run:
 *   - `import DIR` (AWS's layout: both passes, the MD5/count check and the write) vs `import FILE.ndjson`:  goal >= 0.9x
 *   - `export --layout aws -f DIR` vs `export -f FILE.ndjson`, same table, interleaved runs:               goal >= 0.9x
 *   - peak memory of `export --layout aws` at 100,000 items vs at 20,000:                                  goal <= 1.2x
 * Each importer gets its own DynamoDB Local warmed with 40,000 writes (cold it writes ~200 items/s); the
 * exports share one (readers only), tables made without a stream. Every command is its own process.
 * BENCH_AWS_LAYOUT_ITEMS, BENCH_WARM and BENCH_AWS_LAYOUT_RUNS make it smaller (the goals are ratios).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, fmt, interleaved, localClient, localEnv, measure, report, startDynamo, syntheticExportFile, verdict, warmDynamo } from './lib.mjs';

const ITEMS = Number(process.env.BENCH_AWS_LAYOUT_ITEMS ?? 100_000);
const WARM = Number(process.env.BENCH_WARM ?? 40_000);
const RUNS = Number(process.env.BENCH_AWS_LAYOUT_RUNS ?? 3);
const TABLE = 'cruddur-messages';
const SMALL_TABLE = 'cruddur-messages-small';

/** An export file of ~`items` synthetic items (seed --synthetic's); returns how many it holds. */
const makeFile = async (items, path) => (await syntheticExportFile(Math.round(items / 1.01), path, TABLE)).count;

/** A fresh, warmed DynamoDB Local; `fn(url)` runs, then it stops. */
async function onWarmDynamo(fn) {
  const dynamo = await startDynamo();
  try {
    await warmDynamo(dynamo.url, WARM);
    return await fn(dynamo.url);
  } finally {
    await dynamo.stop();
  }
}

/** Tables without a stream (readers do not care; a second stream table would load slowly). */
async function createTables(url, names) {
  const { messagesTableInput } = await import('../dist/patterns/index.js');
  const client = localClient(url);
  for (const name of names) {
    const { StreamSpecification: _stream, ...shape } = messagesTableInput(name);
    await client.send(new CreateTableCommand(shape));
  }
  client.destroy();
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'cruddur-aws-layout-bench-'));
  const big = join(dir, 'big.ndjson');
  const small = join(dir, 'small.ndjson');
  const layoutBig = join(dir, 'layout-big');
  const layoutSmall = join(dir, 'layout-small');
  const out = join(dir, 'out');
  const rows = [];
  const row = (what, items, r) => ({ what, items, seconds: fmt(r.ms / 1000), 'items/s': fmt(items / (r.ms / 1000), 0), 'peak MB': fmt(r.peakMb, 0) });
  try {
    const nBig = await makeFile(ITEMS, big);
    const nSmall = await makeFile(ITEMS / 5, small);
    // Exports: one server holding both tables, loaded by our import.
    const exp = await onWarmDynamo(async (url) => {
      const env = localEnv(url);
      await createTables(url, [TABLE, SMALL_TABLE]);
      await measure(process.execPath, [CLI, 'import', big, '--table', TABLE], { env });
      await measure(process.execPath, [CLI, 'import', small, '--table', SMALL_TABLE], { env });
      // The layouts the imports below read: written once here, by the command under test.
      await measure(process.execPath, [CLI, 'export', TABLE, '--layout', 'aws', '-f', layoutBig], { env });
      await measure(process.execPath, [CLI, 'export', SMALL_TABLE, '--layout', 'aws', '-f', layoutSmall], { env });
      const fresh = () => rmSync(out, { recursive: true, force: true });
      const times = await interleaved(RUNS, {
        ndjson: () => (fresh(), measure(process.execPath, [CLI, 'export', TABLE, '-f', `${out}.ndjson`], { env })),
        aws: () => (fresh(), measure(process.execPath, [CLI, 'export', TABLE, '--layout', 'aws', '-f', out], { env })),
      });
      fresh();
      const awsSmall = await measure(process.execPath, [CLI, 'export', SMALL_TABLE, '--layout', 'aws', '-f', out], { env });
      return { ...times, awsSmall };
    });
    rows.push(row(`export -f FILE.ndjson, median of ${RUNS}`, nBig, exp.ndjson));
    rows.push(row(`export --layout aws -f DIR, median of ${RUNS}`, nBig, exp.aws));
    rows.push(row(`export --layout aws of the ${nSmall}-item table (memory)`, nSmall, exp.awsSmall));

    // Imports: each its own warmed server and an empty table (created by the import from the shape).
    const importOf = (source) => onWarmDynamo((url) => measure(process.execPath, [CLI, 'import', source, '--table', TABLE], { env: localEnv(url) }));
    const ndjsonImport = await importOf(big);
    const awsImport = await importOf(layoutBig);
    rows.push(row('import FILE.ndjson', nBig, ndjsonImport));
    rows.push(row("import DIR (AWS's layout: checked, then written)", nBig, awsImport));

    const importRatio = ndjsonImport.ms / awsImport.ms;
    const exportRatio = exp.ndjson.ms / exp.aws.ms;
    const memory = exp.aws.peakMb / exp.awsSmall.peakMb;
    report(`aws-layout: AWS's export layout vs our ndjson, ${nBig} items (${fmt(statSync(big).size / nBig, 0)} bytes a line)`, rows, [
      `Goal import of AWS's layout >= 0.9x import of ndjson: ${fmt(importRatio)}x, ${verdict(importRatio >= 0.9)}.`,
      `Goal export --layout aws >= 0.9x export to ndjson: ${fmt(exportRatio)}x, ${verdict(exportRatio >= 0.9)}.`,
      `Goal peak memory of export --layout aws at ${nBig} items <= 1.2x at ${nSmall}: ${fmt(memory)}x, ${verdict(memory <= 1.2)}.`,
      `Each importer had its own DynamoDB Local (in memory), warmed with ${WARM} writes; the exports shared one. Single runs of the imports; the machine may be shared: noisy.`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
