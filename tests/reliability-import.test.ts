/**
 * Issue 22 (reliability round 3), import: the file's table definition goes through the allow-list;
 * every line is bounded, UTF-8 and nested at most as deep as DynamoDB allows, each refused with
 * file:line; DynamoDB's own refusals name the line and what was written; a key on two lines is
 * written once, the later line winning. Each case failed before the fix.
 */
import { CreateTableCommand, DescribeTableCommand, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { createGzip, constants } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { numberProblem } from '../src/transfer/item-checks.js';
import { messagesTableInput } from '../src/patterns/table.js';
import { run, tableName, testClient, type RunResult } from './helpers/cli.js';

/** The error line: the last on stderr (the one before it may say the table was created), and no stack. */
function oneLineError(result: RunResult): string {
  expect(result.stderr).not.toMatch(/\n\s+at /);
  const lines = result.stderr.trim().split('\n');
  expect(lines.length).toBeLessThanOrEqual(2);
  return lines.at(-1)!;
}

const client = testClient();
afterAll(() => client.destroy());
const dir = mkdtempSync(join(tmpdir(), 'cruddur-import-22-'));
const count = async (table: string) => (await client.send(new ScanCommand({ TableName: table, Select: 'COUNT' }))).Count ?? 0;

/** The messages table without its stream (the shared DynamoDB Local slows with many stream tables). */
function shape(table: string) {
  const { StreamSpecification: _stream, ...rest } = messagesTableInput(table);
  return rest;
}
const header = (table: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: 'cruddur-ddb-export', version: 1, table: { ...shape(table), ...extra } });
const item = (n: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ Item: { pk: { S: `MSG#g` }, sk: { S: `2026-01-01T00:00:${String(n).padStart(2, '0')}.000000+00:00` }, message: { S: `m${n}` }, ...extra } });
function file(name: string, lines: string[] | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, Array.isArray(lines) ? lines.join('\n') + '\n' : lines);
  return path;
}

describe("the file's table definition goes through the allow-list", () => {
  it('a crafted header cannot set a resource policy, a KMS key, tags, a table class or deletion protection; what was left out is said', async () => {
    const table = tableName('crafted');
    const path = file('crafted.ndjson', [
      header(table, {
        ResourcePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'dynamodb:*', Resource: '*' }] }),
        SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'arn:aws:kms:us-east-1:999999999999:key/other-account' },
        Tags: [{ Key: 'owner', Value: 'someone-else' }],
        TableClass: 'STANDARD_INFREQUENT_ACCESS',
        DeletionProtectionEnabled: true,
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH', Extra: 'x' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
      item(1),
    ]);
    const result = await run(['import', path, '--table', table]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /left out of its definition: ResourcePolicy, SSESpecification, Tags, TableClass, DeletionProtectionEnabled; import creates keys, indexes, stream and billing only/,
    );
    const described = (await client.send(new DescribeTableCommand({ TableName: table }))).Table!;
    expect(described.DeletionProtectionEnabled ?? false).toBe(false);
    expect(described.SSEDescription?.KMSMasterKeyArn).toBeUndefined();
    expect(described.TableClassSummary?.TableClass ?? 'STANDARD').toBe('STANDARD');
    // ... so the table can be dropped again.
    expect((await run(['drop', table])).code).toBe(0);
  });
});

describe('each line is bounded, UTF-8 and not too deep, refused with file:line', () => {
  it('a line past 4 MiB is refused at once with its line, even inside a small .gz holding 256 MB', async () => {
    const table = tableName('long');
    const path = join(dir, 'long.ndjson.gz');
    const gzip = createGzip({ level: constants.Z_BEST_SPEED });
    const out = createWriteStream(path);
    gzip.pipe(out);
    gzip.write(header(table) + '\n' + item(1) + '\n' + '{"Item":{"pk":{"S":"');
    const mb = Buffer.alloc(1024 * 1024, 'a');
    for (let i = 0; i < 256; i++) if (!gzip.write(mb)) await new Promise((resolve) => gzip.once('drain', resolve));
    gzip.end('"}}}\n');
    await finished(out);
    const started = Date.now();
    const result = await run(['import', path, '--table', table]);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(
      /^error\[import\.line_too_long\]: .*long\.ndjson\.gz:3: this line is longer than 4 MiB.*\(0 items were written before it\)/,
    );
  });

  it('a file of 40 MB of blank lines reads in linear time, and the line numbers still count them', async () => {
    const table = tableName('blank');
    const path = file(
      'blank.ndjson',
      Buffer.concat([Buffer.from(header(table) + '\n' + item(1) + '\n'), Buffer.alloc(40_000_000, '\n'), Buffer.from('{"Item": nope}\n')]),
    );
    const started = Date.now();
    const result = await run(['import', path, '--table', table]);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(oneLineError(result)).toMatch(/blank\.ndjson:40000003: not JSON/);
  });

  it('bytes that are not UTF-8 are refused with their line, not turned into U+FFFD', async () => {
    const table = tableName('latin1');
    const path = file(
      'latin1.ndjson',
      Buffer.concat([Buffer.from(`${header(table)}\n${item(1)}\n`), Buffer.from(item(2).replace('m2', 'caf\u00e9'), 'latin1'), Buffer.from('\n')]),
    );
    const result = await run(['import', path, '--table', table]);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/^error\[import\.not_utf8\]: .*latin1\.ndjson:3: this line is not UTF-8/);
    // A character split across the reader's chunks is still one character.
    const long = file('utf8.ndjson', [
      header(table),
      ...Array.from({ length: 3000 }, (_, i) => item(i % 60, { pk: { S: `MSG#${i}` }, text: { S: 'é€😀'.repeat(20) } })),
    ]);
    expect((await run(['import', long, '--table', table])).code).toBe(0);
  });

  it('an item nested 20,000 levels deep is a malformed line, not a crash', async () => {
    const table = tableName('deep');
    let value = '{"S":"x"}';
    for (let i = 0; i < 20_000; i++) value = `{"L":[${value}]}`;
    const path = file('deep.ndjson', [header(table), item(1), `{"Item":{"pk":{"S":"MSG#g"},"sk":{"S":"s"},"deep":${value}}}`]);
    const result = await run(['import', path, '--table', table]);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(
      /^error\[import\.malformed\]: .*deep\.ndjson:3: deep(\.L\[0\])+ is nested deeper than 32 levels, DynamoDB's limit; 1 items before it were written/,
    );
  });
});

describe("DynamoDB's refusals name the line and what was written", () => {
  const cases: Array<[string, string, RegExp]> = [
    ['a missing key', '{"Item":{"pk":{"S":"MSG#g"},"message":{"S":"no sk"}}}', /the key attribute sk is missing/],
    ['a key of the wrong type', '{"Item":{"pk":{"S":"MSG#g"},"sk":{"N":"12"}}}', /the key attribute sk is of type N, but the table declares S/],
    ['an empty index key', '{"Item":{"pk":{"S":"GRP#g"},"sk":{"S":"s"},"message_group_uuid":{"S":""}}}', /message_group_uuid is an empty string/],
    ['a number DynamoDB cannot hold', '{"Item":{"pk":{"S":"MSG#g"},"sk":{"S":"s"},"n":{"N":"1e200"}}}', /1e200 is larger than DynamoDB's/],
    [
      'an item over 400 KB',
      `{"Item":{"pk":{"S":"MSG#g"},"sk":{"S":"s"},"big":{"S":"${'x'.repeat(410 * 1024)}"}}}`,
      /the item is 410\.\d KB; DynamoDB takes at most 400 KB/,
    ],
  ];
  it.each(cases)('%s', async (_what, line, words) => {
    const table = tableName('refused');
    const path = file(`refused-${table}.ndjson`, [header(table), item(1), item(2), line, item(3)]);
    const result = await run(['import', path, '--table', table]);
    expect(result.code).toBe(1);
    const error = oneLineError(result);
    expect(error).toMatch(new RegExp(`^error\\[import\\.refused\\]: .*refused-${table}\\.ndjson:4: `));
    expect(error).toMatch(words);
    expect(error).toMatch(/\((\d+) items were written before it\)/);
    expect(Number(/\((\d+) items were written/.exec(error)![1])).toBe(await count(table));
  });

  it('what the checks cannot know (the table exists with another key type) is found by DynamoDB and still named by line', async () => {
    const table = tableName('other-type');
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    const numbered = (n: number) => JSON.stringify({ Item: { pk: { S: 'p' }, sk: { N: String(n) } } });
    const header2 = JSON.stringify({
      format: 'cruddur-ddb-export',
      version: 1,
      table: {
        ...shape(table),
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: undefined,
      },
    });
    const path = file('other-type.ndjson', [header2, JSON.stringify({ Item: { pk: { S: 'p' }, sk: { S: 'text' } } })]);
    void numbered;
    const result = await run(['import', path, '--table', table]);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(
      /^error\[import\.refused\]: .*other-type\.ndjson:2: DynamoDB refused this item \(.*\) \(0 items were written before it\)/,
    );
  });

  it('a key on two lines is written once, the later line winning, in one batch or across batches', async () => {
    const table = tableName('twice');
    const lines = [header(table), item(1), item(2), item(1, { message: { S: 'later' } })];
    for (let i = 0; i < 60; i++) lines.push(item(i % 50, { pk: { S: 'MSG#h' }, message: { S: `v${i}` } }));
    const result = await run(['import', file('twice.ndjson', lines), '--table', table, '--concurrency', '4', '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/lines had the key of a later line, which won/);
    const get = async (pk: string, n: number) =>
      (
        await client.send(
          new GetItemCommand({ TableName: table, Key: { pk: { S: pk }, sk: { S: `2026-01-01T00:00:${String(n).padStart(2, '0')}.000000+00:00` } } }),
        )
      ).Item?.message?.S;
    expect(await get('MSG#g', 1)).toBe('later');
    for (let n = 0; n < 10; n++) expect(await get('MSG#h', n)).toBe(`v${n + 50}`);
    expect(await count(table)).toBe(52);
  });
});

describe('the number rule', () => {
  it.each([
    ['0', undefined],
    ['12.5', undefined],
    ['125', undefined],
    ['-5', undefined],
    ['0.0001', undefined],
    ['0.000e999', undefined],
    ['9.9999999999999999999999999999999999999E+125', undefined],
    ['1E-130', undefined],
    ['1e200', /larger/],
    ['1E+126', /larger/],
    ['1E-131', /closer to zero/],
    ['123456789012345678901234567890123456789', /38 significant digits/],
  ])('%s', (text, problem) => {
    if (problem) expect(numberProblem(text)).toMatch(problem);
    else expect(numberProblem(text)).toBeUndefined();
  });
});
