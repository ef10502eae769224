/**
 * `query` reads every page of a partition at flat memory (issue 20's benchmark goal, checked here without a
 * clock): the peak resident set (VmHWM in /proc/PID/status) of the real binary over a partition of N items
 * against one of 10N. A run that held pages, or read 1 MB pages whose parsed items outlive V8's young
 * generation and pile up in the old one until a full collection, peaks higher the more pages it reads.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BatchWriteItemCommand, DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startDynamoDbLocal, type LocalDynamo } from '../src/aws/local-dynamodb.js';
import { CLI, cleanEnv, createMessagesTable } from './helpers/cli.js';

const MB = 1024 * 1024;
const SMALL = 2_000;
// Message items of about 300 bytes, as the backend writes them: 10N items are 6 MB, six of DynamoDB's 1 MB pages.
// (Measured on the 1 MB pages query used to read: 2,000 items peaked at 70 MB, 20,000 at 100-112 MB.)
const BODY = 'lorem ipsum dolor sit amet '.repeat(8).slice(0, 200);

// Its own DynamoDB Local, as in memory-limits.test.ts: 22,000 items written as fast as it takes them slow every file beside it.
let own: LocalDynamo | undefined;
let shared: string | undefined;
let table = '';
beforeAll(async () => {
  own = await startDynamoDbLocal({ port: await freePort() });
  shared = process.env.DYNAMODB_URL;
  process.env.DYNAMODB_URL = own.url;
  table = await createMessagesTable('mem-query');
  const client = new DynamoDBClient({ endpoint: own.url, region: 'us-east-1', credentials: { accessKeyId: 'cruddurlocal', secretAccessKey: 'cruddurlocal' } });
  try {
    await fill(client, 'MSG#small', SMALL);
    await fill(client, 'MSG#big', SMALL * 10);
  } finally {
    client.destroy();
  }
}, 120_000);
afterAll(async () => {
  process.env.DYNAMODB_URL = shared;
  await own?.stop();
});

/** `count` message items in partition `pk`, eight batch writers at a time. */
async function fill(client: DynamoDBClient, pk: string, count: number): Promise<void> {
  let next = 0;
  const writer = async () => {
    while (next < count) {
      const start = next;
      next = Math.min(count, next + 25);
      const requests: WriteRequest[] = [];
      for (let i = start; i < next; i++) {
        const sk = `2026-11-01T00:00:00.${String(i).padStart(6, '0')}+00:00`;
        requests.push({ PutRequest: { Item: { pk: { S: pk }, sk: { S: sk }, message: { S: BODY }, user_handle: { S: 'memuser' } } } });
      }
      let items: Record<string, WriteRequest[]> = { [table]: requests };
      while (Object.keys(items).length > 0) items = (await client.send(new BatchWriteItemCommand({ RequestItems: items }))).UnprocessedItems ?? {};
    }
  };
  await Promise.all(Array.from({ length: 8 }, writer));
}

/** Runs the binary to its end with stdout read through a pipe (as a script reads it); its peak resident set in MB and its lines. */
async function peak(args: string[]): Promise<{ peakMb: number; lines: number; code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: cleanEnv({}, true), stdio: ['ignore', 'pipe', 'pipe'] });
  let lines = 0;
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 10) lines++;
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let running = true;
  void exited.then(() => (running = false));
  let high = 0;
  while (running) {
    try {
      // VmHWM is the high-water mark: sampling it late still sees the peak, until the process is gone.
      high = Math.max(high, Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024);
    } catch {
      // It has just exited.
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { peakMb: high / MB, lines, code: await exited, stderr };
}

describe('query: every page of a partition at flat memory', () => {
  it('peaks at 10N items within 1.2x of its peak at N items, in ndjson and json', async () => {
    for (const format of ['ndjson', 'json']) {
      const small = await peak(['query', table, '--pk', 'MSG#small', '-o', format]);
      const big = await peak(['query', table, '--pk', 'MSG#big', '-o', format]);
      expect(small.stderr + big.stderr).toBe('');
      expect([small.code, big.code]).toEqual([0, 0]);
      // Every item printed (json adds its two bracket lines).
      const extra = format === 'json' ? 2 : 0;
      expect([small.lines, big.lines]).toEqual([SMALL + extra, SMALL * 10 + extra]);
      const say = `${format}: ${SMALL} items ${small.peakMb.toFixed(1)} MB, ${SMALL * 10} items ${big.peakMb.toFixed(1)} MB`;
      expect(big.peakMb / small.peakMb, say).toBeLessThanOrEqual(1.2);
    }
  }, 120_000);
});
