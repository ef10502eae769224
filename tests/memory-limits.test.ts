/**
 * Memory at the largest values the command line accepts (issue 22, "not tried yet"): the peak resident set
 * (VmHWM in /proc/PID/status) of the real binary, in a child process, while it works at that value. Each
 * run is stopped after a few seconds of work: what is measured is that the peak stays flat, not how fast
 * anything goes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startDynamoDbLocal, type LocalDynamo } from '../src/aws/local-dynamodb.js';
import { CLI, cleanEnv, createMessagesTable, run, tableName } from './helpers/cli.js';
import { startForwardingProxy } from './helpers/forwarding-proxy.js';
import { scaled } from './helpers/time-scale.js';

const MB = 1024 * 1024;

// These runs write hundreds of MB as fast as DynamoDB Local takes them: on the shared instance they starve every
// test file running beside them (a `wait --timeout 5` saw no answer at all). So this file has an instance of its own.
let own: LocalDynamo | undefined;
let shared: string | undefined;
beforeAll(async () => {
  own = await startDynamoDbLocal({ port: await freePort() });
  shared = process.env.DYNAMODB_URL;
  process.env.DYNAMODB_URL = own.url;
}, 120_000);
afterAll(async () => {
  process.env.DYNAMODB_URL = shared;
  await own?.stop();
});

/** The peak resident set of the binary running `args` for at most `seconds` (then SIGKILL), in MB. */
async function peakRss(args: string[], seconds: number, env: Record<string, string> = {}): Promise<{ peakMb: number; code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: cleanEnv(env, !('AWS_ENDPOINT_URL_DYNAMODB' in env)), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let peak = 0;
  let running = true;
  void exited.then(() => (running = false));
  const until = Date.now() + seconds * 1000;
  while (running && Date.now() < until) {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      peak = Math.max(peak, Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024);
    } catch {
      // It has just exited.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  return { peakMb: Math.round(peak / MB), code: await exited, stderr };
}

describe('memory at the largest accepted values', () => {
  it('import --concurrency 256 of a file of 350 KB items holds a bounded number of bytes in flight, not 256 batches of them', async () => {
    // 700 items of 350 KB (245 MB of items, a 0.3 MB .gz): all 28 batches fit in 256 requests in flight.
    const file = join(mkdtempSync(join(tmpdir(), 'cruddur-mem-')), 'big.ndjson');
    const header = {
      format: 'cruddur-ddb-export',
      version: 1,
      table: {
        TableName: 'big',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      },
    };
    const text = 'x'.repeat(350_000);
    const lines = [JSON.stringify(header)];
    for (let i = 0; i < 700; i++) lines.push(JSON.stringify({ Item: { pk: { S: `BIG#${i}` }, sk: { S: 'a' }, message: { S: text } } }));
    writeFileSync(file, `${lines.join('\n')}\n`);
    // A slow DynamoDB: each BatchWriteItem is held 20 s before it reaches DynamoDB Local, so every batch taken is in flight at once.
    const slow = await startForwardingProxy({ hold: (operation) => (operation === 'BatchWriteItem' ? scaled(20_000) : 0) });
    try {
      const small = await peakRss(['import', file, '--table', tableName('mem-import'), '--concurrency', '1'], 10, { AWS_ENDPOINT_URL_DYNAMODB: slow.url });
      const widest = await peakRss(['import', file, '--table', tableName('mem-import'), '--concurrency', '256'], 10, { AWS_ENDPOINT_URL_DYNAMODB: slow.url });
      // One batch in flight costs what it costs; 256 may cost a few more, never every batch of the file at once.
      expect(widest.peakMb, `--concurrency 1: ${small.peakMb} MB`).toBeLessThan(small.peakMb + 150);
    } finally {
      await slow.close();
    }
  }, 120_000);

  it('seed --synthetic 10000000 --concurrency 256 stays flat while it writes', async () => {
    const table = await createMessagesTable('mem-seed');
    const first = await peakRss(['seed', '--table', table, '--synthetic', '10000', '--concurrency', '256'], 12);
    const largest = await peakRss(['seed', '--table', table, '--synthetic', '10000000', '--concurrency', '256'], 25);
    expect(largest.stderr).not.toMatch(/error|heap/i);
    expect(largest.peakMb, `--synthetic 10000: ${first.peakMb} MB`).toBeLessThan(first.peakMb + 100);
  }, 120_000);

  it('scan --segments 1000000 and repair --concurrency 64 stay flat', async () => {
    const table = await createMessagesTable('mem-scan');
    expect((await run(['seed', '--table', table])).code).toBe(0);
    const scan = await peakRss(['scan', table, '--segments', '1000000', '-o', 'ndjson'], 10);
    expect(scan.stderr).toBe('');
    expect(scan.peakMb).toBeLessThan(200);
    const repair = await peakRss(['repair', '--table', table, '--concurrency', '64'], 30);
    expect(repair.code).toBe(0);
    expect(repair.peakMb).toBeLessThan(200);
  }, 120_000);
});
