/**
 * Shared pieces of the benchmarks: a real DynamoDB Local on a free port, timing of commands with
 * their peak memory (GNU time's "Maximum resident set size"), and the RESULTS.md writer.
 * Every goal is a ratio against a baseline measured in the same run, so the machine's speed cancels out.
 */
import { BatchWriteItemCommand, CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { spawn } from 'node:child_process';
import { appendFileSync, createWriteStream, existsSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI = fileURLToPath(new URL('../dist/bin/cruddur-ddb.cjs', import.meta.url));
export const RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

export async function startDynamo() {
  const { freePort, startDynamoDbLocal } = await import('../dist/aws/local-dynamodb.js');
  return startDynamoDbLocal({ port: await freePort() });
}

/** The benchmark's own SDK client for DynamoDB Local at `url` (fixed local credentials, like localEnv). */
export function localClient(url) {
  return new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'cruddurlocal', secretAccessKey: 'cruddurlocal' } });
}

/** Environment for commands aimed at the benchmark's DynamoDB Local (ours and the AWS CLI). */
export function localEnv(url, extra = {}) {
  return {
    ...process.env,
    AWS_ENDPOINT_URL_DYNAMODB: url,
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: 'cruddurlocal',
    AWS_SECRET_ACCESS_KEY: 'cruddurlocal',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    ...extra,
  };
}

/**
 * Runs a command once with stdout sent to /dev/null (or counted), and returns its wall time in ms and
 * peak resident memory in MB.
 */
export function measure(command, args, { env = process.env, stdin = 'ignore', cwd = undefined } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%M', command, ...args], { env, cwd, stdio: [stdin, 'pipe', 'pipe'] });
    let bytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk) => (bytes += chunk.length));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const lines = stderr.trim().split('\n');
      const kb = Number(lines.at(-1));
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${lines.slice(-3).join(' | ')}`));
      resolve({ ms, peakMb: kb / 1024, bytes });
    });
  });
}

/** The median of n runs (after one warm-up run), for wall time; peak memory is the median too. */
export async function median(n, fn) {
  await fn();
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(await fn());
  const mid = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { ms: mid(runs.map((r) => r.ms)), peakMb: mid(runs.map((r) => r.peakMb)), bytes: runs[0].bytes };
}

/**
 * Medians of n runs of each of several commands, interleaved (a, b, a, b, ...) after one warm-up run of
 * each, so a change in the machine's load falls on all of them alike. Returns one result per key.
 */
export async function interleaved(n, fns) {
  for (const fn of Object.values(fns)) await fn();
  const runs = Object.fromEntries(Object.keys(fns).map((key) => [key, []]));
  for (let i = 0; i < n; i++) for (const [key, fn] of Object.entries(fns)) runs[key].push(await fn());
  const mid = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return Object.fromEntries(
    Object.entries(runs).map(([key, list]) => [key, { ms: mid(list.map((r) => r.ms)), peakMb: mid(list.map((r) => r.peakMb)), bytes: list[0].bytes }]),
  );
}

let started = false;
/** Appends a section to bench/RESULTS.md; the first call of a run writes the run's heading. */
export function report(title, rows, notes = []) {
  if (!existsSync(RESULTS))
    writeFileSync(RESULTS, '# Benchmark results\n\nAppended by `npm run bench`; each ratio compares two things measured in the same run.\n');
  if (!started) {
    started = true;
    appendFileSync(RESULTS, `\n## Run of ${new Date().toISOString()} (node ${process.version}, ${cpuNote()})\n`);
  }
  const header = Object.keys(rows[0]);
  const lines = [
    `\n### ${title}\n`,
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${header.map((h) => row[h]).join(' | ')} |`),
    ...notes.map((note) => `\n${note}`),
  ];
  appendFileSync(RESULTS, lines.join('\n') + '\n');
  console.log(lines.join('\n'));
}

function cpuNote() {
  return `${process.env.CI ? 'CI, ' : ''}${availableParallelism()} cores`;
}

export const fmt = (n, digits = 2) => Number(n).toFixed(digits);
export const verdict = (ok) => (ok ? 'met' : '**missed**');

/** Puts `count` items made by `make(i)` into `table` at `url`, 25 a request, 8 requests in flight, retrying what comes back unprocessed. */
export async function fill(url, table, count, make) {
  const client = localClient(url);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const start = next;
      next += 25;
      const requests = [];
      for (let i = start; i < Math.min(start + 25, count); i++) requests.push({ PutRequest: { Item: make(i) } });
      let items = { [table]: requests };
      while (Object.keys(items).length) items = (await client.send(new BatchWriteItemCommand({ RequestItems: items }))).UnprocessedItems ?? {};
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  client.destroy();
}

/**
 * Warms a fresh DynamoDB Local's JVM with `writes` writes to a stream-less table it then drops (measured
 * on DynamoDB Local: cold it writes ~200 items/s, warm ~4,000-5,800).
 */
export async function warmDynamo(url, writes) {
  const client = localClient(url);
  await client.send(
    new CreateTableCommand({
      TableName: 'warm-up',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  let next = 0;
  const filler = 'x'.repeat(250);
  const worker = async () => {
    while (next < writes) {
      const start = next;
      next += 25;
      const requests = Array.from({ length: Math.min(25, writes - start) }, (_, i) => ({
        PutRequest: { Item: { pk: { S: `w${start + i}` }, v: { S: filler } } },
      }));
      await client.send(new BatchWriteItemCommand({ RequestItems: { 'warm-up': requests } }));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  await client.send(new DeleteTableCommand({ TableName: 'warm-up' }));
  client.destroy();
}

/** An export file (ours) of the items `seed --synthetic n` writes (n messages, 2 group items per 200), for `table`. */
export async function syntheticExportFile(n, path, table) {
  const { syntheticItems } = await import('../dist/seed/synthetic.js');
  const { itemLine } = await import('../dist/transfer/format.js');
  const { messagesTableInput } = await import('../dist/patterns/index.js');
  const out = createWriteStream(path);
  out.write(JSON.stringify({ format: 'cruddur-ddb-export', version: 1, table: messagesTableInput(table) }) + '\n');
  let count = 0;
  let text = '';
  for (const item of syntheticItems(n, 'cruddur')) {
    text += itemLine(item);
    count++;
    if (text.length < 1 << 16) continue;
    if (!out.write(text)) await once(out, 'drain');
    text = '';
  }
  out.end(text);
  await once(out, 'close');
  return { count, bytesPerItem: statSync(path).size / count };
}
