/**
 * `export` and `import` against what dynamodump (the peer) does, on the same table of ~100,000
 * items of ~300 bytes (the messages of `seed --synthetic`), all in one run:
 *   - export vs `aws dynamodb scan` to a file (dynamodump's one sequential Scan):          goal >= 3x
 *   - import through a proxy adding 10 ms a round trip (the network to AWS) vs a boto3 loader doing
 *     dynamodump's restore (25 items a BatchWriteItem, one at a time, unprocessed retried):  goal >= 2.5x
 *   - import straight to DynamoDB Local vs a bare BatchWriteItem loop (same SDK, 8 in flight): goal >= 0.9x
 *   - peak memory of export and import at 100,000 items vs at 20,000:                      goal <= 1.2x
 * Every writer gets its own DynamoDB Local, warmed with 40,000 writes to a table without a stream
 * first (measured on DynamoDB Local: cold it writes ~200 items/s; a second stream-enabled table crawls).
 * BENCH_DATA_ITEMS and BENCH_WARM make it smaller (the goals are ratios; the notes say the size).
 */
// The benchmark's own SDK clients need no Node 20 notice (the CLI silences its own), as in the other benches.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLatencyProxy } from './latency-proxy.mjs';
import { CLI, fmt, localEnv, measure, median, report, startDynamo, syntheticExportFile, verdict, warmDynamo } from './lib.mjs';

const ITEMS = Number(process.env.BENCH_DATA_ITEMS ?? 100_000);
const WARM = Number(process.env.BENCH_WARM ?? 40_000);
const RUNS = Number(process.env.BENCH_DATA_RUNS ?? 3);
const TABLE = 'cruddur-messages';
const SMALL_TABLE = 'cruddur-messages-small';
const DELAY_MS = 10;
const WRITERS = fileURLToPath(new URL('./seed-writers.mjs', import.meta.url));
const RESTORE = fileURLToPath(new URL('./data-restore.py', import.meta.url));
const credentials = { accessKeyId: 'cruddurlocal', secretAccessKey: 'cruddurlocal' };
const clientFor = (url) => new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials });

/** `seed --synthetic n` writes n messages and 2 group items per 200: the n that gives about `items`. */
const messagesFor = (items) => Math.round(items / 1.01);
const itemsFor = (n) => n + 2 * Math.ceil(n / 200);

/** An export file of the synthetic items (the same ones seed-writers.mjs writes for n). */
const makeFile = (n, path) => syntheticExportFile(n, path, TABLE);

/** A fresh, warmed DynamoDB Local with an empty messages table; `fn(url)` runs, then it stops. */
async function onWarmDynamo(fn, table = TABLE) {
  const dynamo = await startDynamo();
  try {
    await warmDynamo(dynamo.url, WARM);
    const { messagesTableInput } = await import('../dist/patterns/index.js');
    const client = clientFor(dynamo.url);
    await client.send(new CreateTableCommand(messagesTableInput(table)));
    client.destroy();
    return await fn(dynamo.url, dynamo);
  } finally {
    await dynamo.stop();
  }
}

const lineCount = (path) => readFileSync(path, 'utf8').split('\n').filter(Boolean).length;

export async function run() {
  const dir = tmpdir();
  const big = join(dir, `cruddur-data-bench-${process.pid}-big.ndjson`);
  const small = join(dir, `cruddur-data-bench-${process.pid}-small.ndjson`);
  const out = join(dir, `cruddur-data-bench-${process.pid}-out.ndjson`);
  const nBig = messagesFor(ITEMS);
  const nSmall = messagesFor(ITEMS / 5);
  const bigFile = await makeFile(nBig, big);
  const smallFile = await makeFile(nSmall, small);
  const rows = [];
  const row = (what, items, r) => ({ what, items, seconds: fmt(r.ms / 1000), 'items/s': fmt(items / (r.ms / 1000), 0), 'peak MB': fmt(r.peakMb, 0) });
  try {
    // Export: one warmed server holding both tables, made without a stream (a second stream-enabled
    // table would load at ~50 items/s; a reader does not care); readers only, so they can share it.
    const exp = await onWarmDynamo(async (url) => {
      const env = localEnv(url);
      const { messagesTableInput } = await import('../dist/patterns/index.js');
      const client = clientFor(url);
      for (const name of [TABLE, SMALL_TABLE]) {
        await client.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined);
        const { StreamSpecification: _stream, ...shape } = messagesTableInput(name);
        await client.send(new CreateTableCommand(shape));
      }
      client.destroy();
      await measure(process.execPath, [CLI, 'import', small, '--table', SMALL_TABLE], { env });
      await measure(process.execPath, [CLI, 'import', big, '--table', TABLE], { env });
      const ours = await median(RUNS, () => measure(process.execPath, [CLI, 'export', TABLE, '-f', out], { env }));
      const exported = lineCount(out) - 1;
      const oursSmall = await median(RUNS, () => measure(process.execPath, [CLI, 'export', SMALL_TABLE, '-f', out], { env }));
      const aws = await median(1, () => measure('sh', ['-c', `aws dynamodb scan --table-name ${TABLE} --output json > ${out}`], { env }));
      const awsCount = JSON.parse(readFileSync(out, 'utf8')).Items.length;
      return { ours, oursSmall, aws, exported, awsCount };
    });
    rows.push(row(`cruddur-ddb export (4 segments) to a file, median of ${RUNS}`, exp.exported, exp.ours));
    rows.push(row(`cruddur-ddb export of the ${smallFile.count}-item table (memory)`, smallFile.count, exp.oursSmall));
    rows.push(row('aws dynamodb scan > file (one sequential Scan, as dynamodump)', exp.awsCount, exp.aws));
    if (process.env.BENCH_DATA_ONLY === 'export') {
      const ratio = exp.aws.ms / exp.awsCount / (exp.ours.ms / exp.exported);
      const memory = exp.ours.peakMb / exp.oursSmall.peakMb;
      return report(`data: export only, ${bigFile.count} items (~${fmt(bigFile.bytesPerItem, 0)} bytes a line)`, rows, [
        `Goal export >= 3x aws dynamodb scan: ${fmt(ratio)}x, ${verdict(ratio >= 3)}. Goal peak memory at ${bigFile.count} items <= 1.2x at ${smallFile.count}: ${fmt(memory)}x, ${verdict(memory <= 1.2)}.`,
        'Run with BENCH_DATA_ONLY=export (the import part skipped). The machine has 2 cores shared with other sessions: noisy.',
      ]);
    }

    // Import through a 10 ms proxy, ours vs dynamodump's restore in boto3: each its own server.
    const viaProxy = (command, args) =>
      onWarmDynamo(async (url) => {
        const proxy = await startLatencyProxy(url, DELAY_MS);
        try {
          return await measure(command, args(proxy.url), { env: localEnv(proxy.url) });
        } finally {
          await proxy.close();
        }
      });
    const oursProxy = await viaProxy(process.execPath, () => [CLI, 'import', big, '--table', TABLE]);
    const boto3Proxy = await viaProxy('python3', (url) => [RESTORE, url, TABLE, big]);
    rows.push(row(`cruddur-ddb import through a ${DELAY_MS} ms proxy`, bigFile.count, oursProxy));
    rows.push(row(`boto3, dynamodump's restore (25 a request, one at a time) through the same proxy`, bigFile.count, boto3Proxy));

    // Straight to DynamoDB Local: ours vs a bare BatchWriteItem loop, 8 in flight, same items.
    const oursStraight = await onWarmDynamo((url) => measure(process.execPath, [CLI, 'import', big, '--table', TABLE], { env: localEnv(url) }));
    const bare = await onWarmDynamo((url) => measure(process.execPath, [WRITERS, 'batch', url, TABLE, String(nBig), '8'], { env: localEnv(url) }));
    const oursSmallImport = await onWarmDynamo((url) => measure(process.execPath, [CLI, 'import', small, '--table', TABLE], { env: localEnv(url) }));
    rows.push(row('cruddur-ddb import straight to DynamoDB Local', bigFile.count, oursStraight));
    rows.push(row('bare BatchWriteItem loop, 8 in flight, same SDK and items (no file to read)', itemsFor(nBig), bare));
    rows.push(row(`cruddur-ddb import of ${smallFile.count} items (memory)`, smallFile.count, oursSmallImport));

    const exportRatio = exp.aws.ms / exp.awsCount / (exp.ours.ms / exp.exported);
    const proxyRatio = boto3Proxy.ms / oursProxy.ms;
    const straightRatio = bare.ms / itemsFor(nBig) / (oursStraight.ms / bigFile.count);
    const exportMemory = exp.ours.peakMb / exp.oursSmall.peakMb;
    const importMemory = oursStraight.peakMb / oursSmallImport.peakMb;
    report(`data: export and import of ${bigFile.count} items (~${fmt(bigFile.bytesPerItem, 0)} bytes a line) vs dynamodump's way`, rows, [
      `Goal export >= 3x aws dynamodb scan: ${fmt(exportRatio)}x, ${verdict(exportRatio >= 3)}.`,
      `Goal import through the ${DELAY_MS} ms proxy >= 2.5x the boto3 restore: ${fmt(proxyRatio)}x, ${verdict(proxyRatio >= 2.5)}.`,
      `Goal import straight >= 0.9x the bare BatchWriteItem loop: ${fmt(straightRatio)}x, ${verdict(straightRatio >= 0.9)}.`,
      `Goal peak memory at ${bigFile.count} items <= 1.2x at ${smallFile.count}: export ${fmt(exportMemory)}x ${verdict(exportMemory <= 1.2)}, import ${fmt(importMemory)}x ${verdict(importMemory <= 1.2)}.`,
      `Each writer had its own DynamoDB Local (in memory), warmed with ${WARM} writes; every command is its own process (start-up included). The machine has 2 cores shared with other sessions: single runs, noisy.`,
    ]);
  } finally {
    for (const file of [big, small, out]) rmSync(file, { force: true });
  }
}
