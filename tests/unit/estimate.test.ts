/** The --dry-run arithmetic (src/adhoc/estimate.ts) and the pricing of units by where they were spent (src/adhoc/consumed.ts). */
import { describe, expect, it } from 'vitest';
import { estimateRun, sizeOf } from '../../src/adhoc/estimate.js';
import { CapacityTally, estimateOf } from '../../src/adhoc/consumed.js';

const size = sizeOf({
  TableName: 't',
  ItemCount: 1000,
  TableSizeBytes: 1000 * 1500, // 1.5 KB an item: two write units each
  GlobalSecondaryIndexes: [{ IndexName: 'g', ItemCount: 10, IndexSizeBytes: 10 * 300 }],
});

describe('estimateRun', () => {
  it('reads half a unit per 4 KB, writes a unit per started KB on the table and each index', () => {
    expect(estimateRun(size, { writes: false })).toEqual({ items: 1000, bytes: 1_500_000, readUnits: Math.ceil(1_500_000 / 4096) / 2, writeUnits: {} });
    expect(estimateRun(size, { writes: true }).writeUnits).toEqual({ t: 2000, 't/g': 10 });
  });

  it('takes a share of the table for --limit, and an empty table costs nothing', () => {
    const limited = estimateRun(size, { writes: false, limit: 100 });
    expect(limited.items).toBe(100);
    expect(limited.bytes).toBe(150_000);
    expect(estimateRun(sizeOf({ TableName: 'e' }), { writes: true })).toEqual({ items: 0, bytes: 0, readUnits: 0, writeUnits: { e: 0 } });
  });
});

describe('pricing where the units were spent', () => {
  const prices = { date: 'd', currency: 'USD', regions: { 'us-east-1': { readPerMillion: 1e6, writePerMillion: 2e6 } } };

  it('prices prod regions, leaves local out, names a region without a price', () => {
    expect(estimateOf([{ read: 3, write: 0, region: undefined }], prices)).toBeUndefined();
    expect(
      estimateOf(
        [
          { read: 3, write: 1, region: 'us-east-1' },
          { read: 5, write: 5, region: undefined },
        ],
        prices,
      ),
    ).toEqual({
      amount: 5,
      currency: 'USD',
      prices: 'us-east-1 of d',
      unpriced: [],
    });
    expect(estimateOf([{ read: 1, write: 0, region: 'xx-1' }], prices)?.unpriced).toEqual(['xx-1']);
  });

  it('counts a bare CapacityUnits as the operation said (DynamoDB Local reports writes so)', () => {
    const tally = new CapacityTally();
    tally.add({ TableName: 't', CapacityUnits: 4, Table: { CapacityUnits: 2 }, GlobalSecondaryIndexes: { g: { CapacityUnits: 2 } } }, {}, 'write');
    tally.add({ TableName: 't', CapacityUnits: 0.5, Table: { CapacityUnits: 0.5 } }, {}, 'read');
    expect(tally.totals()).toEqual({ read: 0.5, write: 4 });
    expect(tally.line(prices)).toBe('consumed: t 0.5 RCU 2 WCU; t/g 0 RCU 2 WCU');
  });
});
