/**
 * The one parallel scanner (src/transfer/scanner.ts) on the real DynamoDB Local: it finishes when more
 * segments are open than pages may be in flight, the consumer is slow and most pages come back empty
 * (the reader it replaced stalled there for good); it keeps its bounds; and `scan --raw` prints an
 * item exactly as an export line holds it.
 */
import { BatchWriteItemCommand, CreateTableCommand, PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanItems, scanPages } from '../src/transfer/scanner.js';
import { createMessagesTable, run, tableName, testClient } from './helpers/cli.js';

type Item = Record<string, AttributeValue>;
const client = testClient();
afterAll(() => client.destroy());

const ITEMS = 600;
/** One item in KEEP passes the filter: most pages come back empty, including most segments' last. */
const KEEP = 15;
const table = tableName('scanner');

beforeAll(async () => {
  await client.send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const items: Item[] = Array.from({ length: ITEMS }, (_, i) => ({ id: { S: `item-${i}` }, keep: { BOOL: i % KEEP === 0 } }));
  for (let i = 0; i < items.length; i += 25) {
    await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
});

/** Scan calls in flight at once, and segments open at once (first call sent, last page not yet answered), seen on a real client. */
function watched(on: DynamoDBClient) {
  const stats = { calls: 0, empty: 0, inFlight: 0, maxInFlight: 0, open: new Set<number>(), maxOpen: 0 };
  on.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { Segment?: number };
      const segment = input.Segment ?? 0;
      stats.calls++;
      stats.open.add(segment);
      stats.maxOpen = Math.max(stats.maxOpen, stats.open.size);
      stats.maxInFlight = Math.max(stats.maxInFlight, ++stats.inFlight);
      try {
        const result = await next(args);
        const output = result.output as { LastEvaluatedKey?: unknown; Items?: unknown[] };
        if (!output.LastEvaluatedKey) stats.open.delete(segment);
        if (!output.Items?.length) stats.empty++;
        return result;
      } finally {
        stats.inFlight--;
      }
    },
    { step: 'initialize', name: 'watchScans' },
  );
  return stats;
}

/** A client of its own, watched, for one test. */
async function withWatchedClient(test: (reader: DynamoDBClient, stats: ReturnType<typeof watched>) => Promise<void>) {
  const reader = testClient();
  try {
    await test(reader, watched(reader));
  } finally {
    reader.destroy();
  }
}

/**
 * Fails the test in words instead of hanging it. A stalled scan leaves nothing pending (its promise just
 * never settles), so the sign is quiet: no Scan call in flight and none started for `quietMs`. A slow
 * machine is not quiet (a call is always out while the scan waits), so this does not fail for being slow.
 */
async function finishes<T>(stats: ReturnType<typeof watched>, work: Promise<T>, quietMs = 5_000): Promise<T> {
  let calls = -1;
  let quietSince = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      if (stats.inFlight > 0 || stats.calls !== calls) {
        calls = stats.calls;
        quietSince = Date.now();
      } else if (Date.now() - quietSince > quietMs) reject(new Error(`the scan stalled: not ended, and no Scan call in flight or started for ${quietMs} ms`));
    }, 250);
  });
  try {
    return await Promise.race([work, stalled]);
  } finally {
    clearInterval(timer);
  }
}

const kept = Array.from({ length: ITEMS }, (_, i) => i)
  .filter((i) => i % KEEP === 0)
  .map((i) => `item-${i}`)
  .sort();
const onlyKept = { FilterExpression: 'keep = :yes', ExpressionAttributeValues: { ':yes': { BOOL: true } } };

// Generous: the shared machine can be slow; a stall is caught by `finishes`, not by these.
describe('the parallel scanner on DynamoDB Local', { timeout: 180_000 }, () => {
  it('finishes with more segments open than pages in flight, a slow consumer and mostly empty pages', () =>
    withWatchedClient(async (reader, stats) => {
      const ids: string[] = [];
      const settings = { segments: 24, open: 24, pagesInFlight: 1, pageSize: 5, input: onlyKept };
      await finishes(
        stats,
        (async () => {
          for await (const page of scanPages(reader, table, settings)) {
            await sleep(3); // a slow consumer: a file, another table
            for (const item of page) ids.push(item.id!.S!);
          }
        })(),
      );
      expect(ids.sort()).toEqual(kept);
      expect(stats.empty).toBeGreaterThan(stats.calls / 2); // most calls answered no item (the case that stalled)
      expect(stats.maxInFlight).toBe(1);
    }));

  it('opens at most `open` segments at once however many there are, and reads every item once', () =>
    withWatchedClient(async (reader, stats) => {
      const ids: string[] = [];
      await finishes(
        stats,
        (async () => {
          for await (const item of scanItems(reader, table, { segments: 200, pageSize: 10 })) ids.push(item.id!.S!);
        })(),
      );
      expect(ids).toHaveLength(ITEMS);
      expect(new Set(ids).size).toBe(ITEMS);
      expect(stats.maxOpen).toBeLessThanOrEqual(4);
      expect(stats.maxInFlight).toBeLessThanOrEqual(4);
      expect(stats.calls).toBeGreaterThanOrEqual(200);
    }));

  it('stops at the limit and reports each page handed over', () =>
    withWatchedClient(async (reader, stats) => {
      const counts: number[] = [];
      const ids: string[] = [];
      for await (const item of scanItems(reader, table, { segments: 4, pageSize: 50, limit: 7 }, { onPage: (n) => counts.push(n) })) ids.push(item.id!.S!);
      expect(ids).toHaveLength(7);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(7);
      // Pages of 7 (the limit) at most, and no more calls than the segments open plus the one that reached it.
      expect(stats.calls).toBeLessThanOrEqual(5);
      expect(stats.inFlight).toBe(0); // nothing left running after the end
    }));

  it('throws a failing call (a missing table) at once, with nothing left running', () =>
    withWatchedClient(async (reader, stats) => {
      const scan = (async () => {
        for await (const page of scanPages(reader, tableName('missing'), { segments: 100_000 })) void page;
      })();
      await expect(finishes(stats, scan)).rejects.toThrow(/non-existent table|not found|ResourceNotFound/i);
      expect(stats.calls).toBeLessThanOrEqual(4);
      expect(stats.inFlight).toBe(0);
    }));
});

describe('one typed-JSON form', () => {
  it('scan --raw prints each item exactly as the export line holds it', async () => {
    const source = await createMessagesTable('raw');
    const items: Item[] = [
      {
        sk: { S: '2026-01-01T00:00:00.000000+00:00' },
        pk: { S: 'MSG#raw' },
        message_group_uuid: { S: 'g' },
        big: { N: '1234567890123456789012345678.0123456789' },
        bytes: { B: new Uint8Array([0, 250, 255]) },
        tags: { SS: ['b', 'a'] },
        nested: { M: { z: { NS: ['3', '1.5'] }, a: { L: [{ NULL: true }, { BS: [new Uint8Array([2]), new Uint8Array([1])] }] } } },
      },
      { pk: { S: 'GRP#raw' }, sk: { S: '2026-01-02T00:00:00.000000+00:00' }, message_group_uuid: { S: 'g' }, message: { S: 'hi' } },
    ];
    for (const Item of items) await client.send(new PutItemCommand({ TableName: source, Item }));
    const exported = await run(['export', source]);
    const scanned = await run(['scan', source, '--raw', '-o', 'ndjson', '--segments', '3']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(scanned.code, scanned.stderr).toBe(0);
    const exportLines = exported.stdout.trim().split('\n').slice(1).sort();
    const scanLines = scanned.stdout
      .trim()
      .split('\n')
      .map((line) => `{"Item":${line}}`)
      .sort();
    expect(scanLines).toEqual(exportLines);
    expect(scanLines[1]).toMatch(/^\{"Item":\{"pk":\{"S":"MSG#raw"\},"sk":/);
    expect(scanLines[1]).toContain('"tags":{"SS":["a","b"]}');
  });
});
