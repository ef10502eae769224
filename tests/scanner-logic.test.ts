/**
 * The scanner's scheduling alone (src/transfer/scanner.ts), with a page source written here instead of
 * DynamoDB: answers in random order after random delays, many empty pages, a slow consumer, up to
 * DynamoDB's 1,000,000 segments. tests/scanner.test.ts shows the same on the real DynamoDB Local;
 * this one runs thousands of schedules that a real table could not produce on demand.
 */
import type { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { scanItems, scanPages, type ScanSettings } from '../src/transfer/scanner.js';

/** A deterministic random source, so a failing schedule can be replayed. */
function random(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/**
 * `segments` segments of `pagesOf(segment)` pages each; a page holds 0 or 1 item (empty ones more often).
 * Counts what the scanner must bound: calls in flight and segments open at once.
 */
function fakeSource(options: { segments: number; pagesOf: (segment: number) => number; seed: number; maxDelayMs: number; itemChance?: number }) {
  const next = random(options.seed);
  const stats = { calls: 0, inFlight: 0, maxInFlight: 0, open: new Set<number>(), maxOpen: 0, wrongTotal: 0 };
  const made: string[] = [];
  // A segment's pages exist from its first call to its last page, so the fake holds no more than the scanner opens.
  const pages = new Map<number, string[][]>();
  const pagesOf = (segment: number) => {
    let list = pages.get(segment);
    if (!list) {
      list = Array.from({ length: options.pagesOf(segment) }, (_, page) => (next() < (options.itemChance ?? 0.3) ? [`${segment}/${page}`] : []));
      made.push(...list.flat());
      pages.set(segment, list);
    }
    return list;
  };
  const client = {
    async send(command: ScanCommand) {
      const { Segment = 0, TotalSegments, ExclusiveStartKey } = command.input;
      if ((TotalSegments ?? 1) !== options.segments) stats.wrongTotal++;
      stats.calls++;
      stats.open.add(Segment);
      stats.maxOpen = Math.max(stats.maxOpen, stats.open.size);
      stats.maxInFlight = Math.max(stats.maxInFlight, ++stats.inFlight);
      const delay = Math.floor(next() * (options.maxDelayMs + 1));
      if (delay > 0) await sleep(delay);
      else await Promise.resolve();
      stats.inFlight--;
      const list = pagesOf(Segment);
      const index = ExclusiveStartKey ? Number(ExclusiveStartKey.page!.N) + 1 : 0;
      const last = index >= list.length - 1;
      if (last) {
        stats.open.delete(Segment);
        pages.delete(Segment);
      }
      return {
        Items: (list[index] ?? []).map((id) => ({ id: { S: id } })),
        ...(last ? {} : { LastEvaluatedKey: { page: { N: String(index) } } }),
      };
    },
  };
  const expected = () => [...made].sort();
  return { client: client as unknown as DynamoDBClient, stats, expected };
}

async function readAll(client: DynamoDBClient, settings: ScanSettings, consumerMs: number) {
  const ids: string[] = [];
  for await (const page of scanPages(client, 'fake', settings)) {
    if (consumerMs) await sleep(consumerMs);
    for (const item of page) ids.push(item.id!.S!);
  }
  return ids.sort();
}

describe('the scanner schedules without losing a wake-up', () => {
  it('finishes every schedule: more segments than pages in flight, empty pages, slow and fast consumers', async () => {
    for (let seed = 1; seed <= 120; seed++) {
      const shape = random(seed * 7919);
      const segments = 1 + Math.floor(shape() * 40);
      const open = 1 + Math.floor(shape() * 12);
      const pagesInFlight = 1 + Math.floor(shape() * 4);
      const source = fakeSource({ segments, pagesOf: () => Math.floor(shape() * 6) + 1, seed, maxDelayMs: 2 });
      const ids = await readAll(source.client, { segments, open, pagesInFlight }, seed % 3);
      const bound = Math.min(open, segments);
      expect(ids, `seed ${seed}`).toEqual(source.expected());
      expect(source.stats.maxOpen, `seed ${seed}`).toBeLessThanOrEqual(bound);
      expect(source.stats.maxInFlight, `seed ${seed}`).toBeLessThanOrEqual(Math.min(pagesInFlight, bound));
      expect(source.stats.inFlight).toBe(0);
      expect(source.stats.wrongTotal).toBe(0);
    }
  });

  it('reads 1,000,000 segments (the ceiling of DynamoDB) with at most 4 open, in flat memory', async () => {
    // One empty page a segment, answered at once: what is held is the scanner's own, nothing else.
    let calls = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const client = {
      async send() {
        calls++;
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await Promise.resolve();
        inFlight--;
        return { Items: [] };
      },
    } as unknown as DynamoDBClient;
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed - before)), 50);
    try {
      for await (const page of scanPages(client, 'fake', { segments: 1_000_000 })) void page;
    } finally {
      clearInterval(sample);
    }
    // One call a segment, each segment's only page its last: so at most 4 open means at most 4 in flight.
    expect(calls).toBe(1_000_000);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    // Opening every segment at once took gigabytes; garbage not yet collected stays well under this.
    expect(peak).toBeLessThan(200 * 1024 * 1024);
  }, 120_000);

  it('a consumer that stops early stops the scan and leaves no call running', async () => {
    const source = fakeSource({ segments: 8, pagesOf: () => 50, seed: 7, maxDelayMs: 3 });
    const ids: string[] = [];
    for await (const item of scanItems(source.client, 'fake', { segments: 8 })) {
      ids.push(item.id!.S!);
      if (ids.length === 3) break;
    }
    expect(ids).toHaveLength(3);
    expect(source.stats.inFlight).toBe(0);
    const callsAtStop = source.stats.calls;
    await sleep(20);
    expect(source.stats.calls).toBe(callsAtStop);
  });

  it('hands over `limit` items at most, cutting the last page', async () => {
    const source = fakeSource({ segments: 3, pagesOf: () => 40, seed: 3, maxDelayMs: 1 });
    const seen: number[] = [];
    const ids: string[] = [];
    for await (const item of scanItems(source.client, 'fake', { segments: 3, limit: 5 }, { onPage: (n) => seen.push(n) })) ids.push(item.id!.S!);
    expect(ids).toHaveLength(5);
    expect(seen.reduce((a, b) => a + b, 0)).toBe(5);
  });
});
