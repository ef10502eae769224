/** `schema-load --diff` on real DynamoDB Local tables: the messages table's shape, and tables made otherwise. */
import { CreateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { messagesTableInput } from '../src/patterns/table.js';
import { createMessagesTable, run, tableName, testClient } from './helpers/cli.js';

const client = testClient();
afterAll(() => client.destroy());

async function create(input: (name: string) => CreateTableCommandInput): Promise<string> {
  const name = tableName('diff');
  await client.send(new CreateTableCommand(input(name)));
  return name;
}

interface Difference {
  part: string;
  live: string;
  expected: string;
  change: string;
  how: string;
}

const diff = async (table: string, ...more: string[]) => {
  const result = await run(['schema-load', table, '--diff', '-o', 'json', ...more]);
  return { ...result, rows: result.stdout ? (JSON.parse(result.stdout) as Difference[]) : [] };
};

describe('schema-load --diff', () => {
  it('says a table of the shape has it, exit 0, and creates nothing', async () => {
    const table = await createMessagesTable('diff');
    const result = await diff(table);
    expect(result.code).toBe(0);
    expect(result.rows).toEqual([]);
    const people = await run(['schema-load', table, '--diff', '-o', 'table']);
    expect(people.stderr).toContain(`Table ${table} in local has the messages table's shape.`);
    const missing = await run(['schema-load', tableName('absent'), '--diff']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error\[table\.not_found\]/m);
  });

  it('names each difference and whether it changes in place or needs a new table; exit 1', async () => {
    const table = await create((name) => ({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    }));
    const result = await diff(table);
    expect(result.code).toBe(1);
    // Under -o json the error is an object on stderr, after the rows on stdout.
    expect(JSON.parse(result.stderr.trim().split('\n').at(-1)!)).toMatchObject({
      code: 'table.shape_differs',
      message: expect.stringMatching(/differs from the messages table's shape in 4 parts$/),
      hint: expect.stringMatching(/^Some need a new table/),
    });
    const byPart = Object.fromEntries(result.rows.map((d) => [d.part, d]));
    expect(byPart.key).toMatchObject({ live: 'pk S (HASH)', expected: 'pk S (HASH), sk S (RANGE)', change: 'new table' });
    expect(byPart['index message-group-sk-index']).toMatchObject({ live: 'missing', change: 'in place' });
    expect(byPart.stream).toMatchObject({ live: 'disabled', expected: 'NEW_IMAGE', change: 'in place' });
    expect(byPart.billing).toMatchObject({ live: 'provisioned 1/1', expected: 'on-demand (--billing)', change: 'in place' });
  });

  it('an index of another projection is re-created in place; another index is extra, not a difference', async () => {
    const keysOnly = await create((name) => {
      const input = messagesTableInput(name);
      input.GlobalSecondaryIndexes![0]!.Projection = { ProjectionType: 'KEYS_ONLY' };
      return input;
    });
    const changed = await diff(keysOnly);
    expect(changed.code).toBe(1);
    expect(changed.rows).toEqual([
      expect.objectContaining({
        part: 'index message-group-sk-index',
        change: 'in place',
        how: expect.stringMatching(/delete the index, then create it again/),
      }),
    ]);
    expect(changed.rows[0]!.live).toMatch(/projection KEYS_ONLY$/);

    const extra = await create((name) => {
      const input = messagesTableInput(name);
      input.AttributeDefinitions!.push({ AttributeName: 'user_uuid', AttributeType: 'S' });
      input.GlobalSecondaryIndexes!.push({
        IndexName: 'by-user',
        KeySchema: [{ AttributeName: 'user_uuid', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      });
      return input;
    });
    const extraOnly = await diff(extra);
    expect(extraOnly.code).toBe(0);
    expect(extraOnly.rows).toEqual([expect.objectContaining({ part: 'index by-user', change: 'extra' })]);
  });

  it('compares billing with --billing', async () => {
    const table = await createMessagesTable('diff');
    const result = await diff(table, '--billing', 'provisioned');
    expect(result.code).toBe(1);
    expect(result.rows).toEqual([expect.objectContaining({ part: 'billing', live: 'on-demand', expected: 'provisioned 5/5 (--billing)', change: 'in place' })]);
    expect(result.stderr).toMatch(/Each can be changed in place with UpdateTable/);
  });
});
