/**
 * `--consumed` on the commands that read or write many items, and `--dry-run` estimates, against the real
 * DynamoDB Local (it reports ConsumedCapacity for Scan, Query and BatchWriteItem). The numbers must add
 * up: the summary's totals are the sum of its tables and indexes, a scan's units are what DynamoDB
 * says the same Scan consumed, a write costs at least one unit per item, and prod is priced.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessagesTable, dynamoUrl, oneLineError, run, tableName, testClient } from './helpers/cli.js';

const GROUP = '6fd7060e-c610-5e79-b5f3-167bc0fa37bb';
const client = testClient();
let table: string;
let seeded: { items: number; consumed: Consumed };

interface Consumed {
  readUnits: number;
  writeUnits: number;
  byTable: Record<string, { readUnits: number; writeUnits: number }>;
  estimate: { amount: number; currency: string; prices: string; unpriced: string[] } | null;
}

/** DynamoDB Local standing in for AWS: prod's guard, prod's pricing, the test's endpoint. */
const prodEnv = (extra: Record<string, string> = {}) => ({
  AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl(),
  AWS_ACCESS_KEY_ID: 'cruddurlocal',
  AWS_SECRET_ACCESS_KEY: 'cruddurlocal',
  AWS_REGION: 'us-east-1',
  ...extra,
});

/** A price file that makes one unit cost one dollar: the estimate is then the units themselves. */
function dollarPerUnit(region = 'us-east-1'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'prices-')), 'prices.json');
  writeFileSync(file, JSON.stringify({ date: '2099-01-01', currency: 'USD', regions: { [region]: { readPerMillion: 1e6, writePerMillion: 1e6 } } }));
  return file;
}

const sum = (consumed: Consumed, key: 'readUnits' | 'writeUnits') => Object.values(consumed.byTable).reduce((a, b) => a + b[key], 0);

beforeAll(async () => {
  table = await createMessagesTable('consumed');
  const result = await run(['seed', '--table', table, '--consumed', '-o', 'json']);
  expect(result.code).toBe(0);
  seeded = JSON.parse(result.stdout) as { items: number; consumed: Consumed };
});

afterAll(() => client.destroy());

describe('--consumed', () => {
  it('seed: the summary says the write units, per table and index, adding up to its total', () => {
    const { consumed, items } = seeded;
    expect(items).toBeGreaterThan(100);
    // Every item is written once (at least one unit each), and the messages are written to the GSI too.
    expect(consumed.byTable[table]!.writeUnits).toBeGreaterThanOrEqual(items);
    expect(consumed.writeUnits).toBeCloseTo(sum(consumed, 'writeUnits'), 5);
    expect(consumed.estimate).toBeNull(); // local costs nothing
  });

  it('scan: the units are what DynamoDB says the same Scan consumed, and the line follows the items', async () => {
    const result = await run(['scan', table, '--consumed', '-o', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveLength(seeded.items);
    const page = await client.send(new ScanCommand({ TableName: table, Limit: 500, ReturnConsumedCapacity: 'TOTAL' }));
    expect(page.LastEvaluatedKey).toBeUndefined();
    const units = page.ConsumedCapacity!.CapacityUnits!;
    expect(units).toBeGreaterThan(0);
    expect(result.stderr).toMatch(new RegExp(`^consumed: ${table} ${units} RCU 0 WCU$`, 'm'));
    expect(result.stderr).not.toMatch(/on-demand/);
  });

  it('get-conversation and list-conversations: the query units, on the index they read', async () => {
    const conversation = await run(['get-conversation', GROUP, '--all', '--table', table, '--consumed', '-o', 'json']);
    expect(conversation.code).toBe(0);
    expect(conversation.stderr).toMatch(/^consumed: .*[1-9][0-9.]* RCU/m);
    const list = await run(['list-conversations', '--user-uuid', '5ae290ed-55d1-47a0-bc6d-fe2bc2700399', '--table', table, '--consumed', '-o', 'json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).length).toBeGreaterThan(0);
    expect(list.stderr).toMatch(/^consumed: .*[1-9][0-9.]* RCU/m);
  });

  it('copy: reads on the source and writes on the target, each named for its side; reset: a unit per item deleted', async () => {
    const target = tableName('consumed-copy');
    const copied = await run(['copy', table, '--from', 'local', '--to', 'local', '--to-table', target, '--consumed', '-o', 'json']);
    expect(copied.code).toBe(0);
    const { items, consumed } = JSON.parse(copied.stdout) as { items: number; consumed: Consumed };
    expect(items).toBe(seeded.items);
    expect(consumed.byTable[`${table} (local)`]!.readUnits).toBeGreaterThan(0);
    expect(consumed.byTable[`${target} (local)`]!.writeUnits).toBeGreaterThanOrEqual(items);
    expect(consumed.readUnits).toBeCloseTo(sum(consumed, 'readUnits'), 5);
    expect(consumed.writeUnits).toBeCloseTo(sum(consumed, 'writeUnits'), 5);

    const reset = await run(['reset', target, '--consumed', '-o', 'json']);
    expect(reset.code).toBe(0);
    const emptied = JSON.parse(reset.stdout) as { deleted: number; consumed: Consumed };
    expect(emptied.deleted).toBe(items);
    expect(emptied.consumed.byTable[target]!.writeUnits).toBeGreaterThanOrEqual(items);
    expect(reset.stderr.trim().split('\n').at(-1)).toMatch(/^consumed: /);
  });

  it('import: the write units of the batches, in the summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'consumed-'));
    const file = join(dir, 'export.ndjson');
    expect((await run(['export', table, '-f', file])).code).toBe(0);
    const target = tableName('consumed-import');
    const imported = await run(['import', file, '--table', target, '--consumed', '-o', 'json']);
    expect(imported.code).toBe(0);
    const { items, consumed } = JSON.parse(imported.stdout) as { items: number; consumed: Consumed };
    expect(consumed.byTable[target]!.writeUnits).toBeGreaterThanOrEqual(items);
  });

  it('prices prod with the price table, or the file CRUDDUR_PRICE_FILE names', async () => {
    const priced = await run(['scan', table, 'prod', '--consumed', '-o', 'json'], { env: prodEnv() });
    expect(priced.code).toBe(0);
    expect(priced.stderr).toMatch(/on-demand ≈ [0-9.e-]+ USD \(us-east-1 prices of 2024-11-01\)/);
    // At a dollar a unit the estimate is the units: the numbers add up.
    const dollar = await run(['seed', '--table', table, 'prod', '--yes', '--consumed', '-o', 'json'], {
      env: prodEnv({ CRUDDUR_PRICE_FILE: dollarPerUnit() }),
    });
    expect(dollar.code).toBe(0);
    const { consumed } = JSON.parse(dollar.stdout) as { consumed: Consumed };
    expect(consumed.writeUnits).toBeGreaterThan(0);
    expect(consumed.estimate!.amount).toBeCloseTo(consumed.readUnits + consumed.writeUnits, 5);
    expect(consumed.estimate!.prices).toBe('us-east-1 of 2099-01-01');
    // A region the table does not price is named, not guessed.
    const elsewhere = await run(['scan', table, 'prod', '--consumed', '--limit', '1', '-o', 'json'], { env: prodEnv({ AWS_REGION: 'ap-south-2' }) });
    expect(elsewhere.stderr).toMatch(/no on-demand price for ap-south-2 \(set CRUDDUR_PRICE_FILE\)/);
  });

  it('refuses a price file that is not a price table, in one line', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'prices-')), 'bad.json');
    writeFileSync(file, JSON.stringify({ date: '2024-11-01', regions: { 'us-east-1': { readPerMillion: 'cheap' } } }));
    const result = await run(['scan', table, '--consumed'], { env: { CRUDDUR_PRICE_FILE: file } });
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/^error\[prices\.bad_file\]: .*not a price table/);
  });
});

describe('--dry-run', () => {
  it('scan and export: the size DescribeTable gives, the read units it makes, no item read', async () => {
    const described = (await client.send(new DescribeTableCommand({ TableName: table }))).Table!;
    const scan = await run(['scan', table, '--dry-run', '-o', 'json']);
    expect(scan.code).toBe(0);
    const estimate = JSON.parse(scan.stdout) as Record<string, unknown>;
    expect(estimate).toMatchObject({ dryRun: true, table, items: described.ItemCount, bytes: described.TableSizeBytes, writeUnits: {} });
    expect(estimate.readUnits).toBe(Math.ceil(described.TableSizeBytes! / 4096) / 2);
    expect(scan.stderr).toMatch(/^Dry run: scan of .* nothing was read\.$/m);
    const exported = await run(['export', table, '--dry-run', '-o', 'json']);
    expect(JSON.parse(exported.stdout)).toMatchObject({ dryRun: true, items: described.ItemCount });
  });

  it('reset in prod: no prompt, nothing deleted, writes on the table and its index, priced', async () => {
    const result = await run(['reset', table, 'prod', '--dry-run', '-o', 'json'], { env: prodEnv({ CRUDDUR_PRICE_FILE: dollarPerUnit() }) });
    expect(result.code).toBe(0);
    const estimate = JSON.parse(result.stdout) as { items: number; readUnits: number; writeUnits: Record<string, number>; estimate: Consumed['estimate'] };
    expect(estimate.writeUnits[table]).toBeGreaterThanOrEqual(estimate.items);
    expect(estimate.writeUnits[`${table}/message-group-sk-index`]).toBeGreaterThan(0);
    const writes = Object.values(estimate.writeUnits).reduce((a, b) => a + b, 0);
    expect(estimate.estimate!.amount).toBeCloseTo(estimate.readUnits + writes, 5);
    const still = await run(['scan', table, '--limit', '1', '-o', 'json']);
    expect(JSON.parse(still.stdout)).toHaveLength(1);
  });

  it('copy: the reads and the writes on the target, no prompt, no table made', async () => {
    const target = tableName('dry-copy');
    const result = await run(['copy', table, '--from', 'local', '--to', dynamoUrl(), '--to-table', target, '--dry-run', '-o', 'json']);
    expect(result.code).toBe(0);
    const estimate = JSON.parse(result.stdout) as { items: number; readUnits: number; writeUnits: Record<string, number>; estimate: unknown };
    expect(estimate.readUnits).toBeGreaterThan(0);
    expect(estimate.writeUnits[table]).toBeGreaterThanOrEqual(estimate.items);
    expect(estimate.estimate).toBeNull(); // neither side is prod
    const listed = await run(['list-tables', '-o', 'json']);
    expect(listed.stdout).not.toContain(target);
  });
});
