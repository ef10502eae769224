/** `query`: PartiQL and key conditions against the real DynamoDB Local, on seeded data and on data written the backend's way. */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMessagesTable, oneLineError, run, testClient } from './helpers/cli.js';

const GROUP = '6fd7060e-c610-5e79-b5f3-167bc0fa37bb';
let table: string;

beforeAll(async () => {
  table = await createMessagesTable('query');
  expect((await run(['seed', '--table', table])).code).toBe(0);
});

const json = (stdout: string) => JSON.parse(stdout) as Array<Record<string, unknown>>;

describe('query, PartiQL', () => {
  it('reads every page, the same items as the key condition', async () => {
    const statement = await run(['query', `SELECT * FROM "${table}" WHERE pk = ?`, '--param', `MSG#${GROUP}`, '-o', 'json']);
    expect(statement.code).toBe(0);
    const keyed = await run(['query', table, '--pk', `MSG#${GROUP}`, '-o', 'json']);
    expect(keyed.code).toBe(0);
    expect(json(statement.stdout).length).toBeGreaterThan(100);
    expect(json(statement.stdout).map((m) => m.sk)).toEqual(json(keyed.stdout).map((m) => m.sk));
  });

  it('stops at --limit and resumes with --next', async () => {
    const first = await run(['query', `SELECT * FROM "${table}" WHERE pk = ?`, '--param', `MSG#${GROUP}`, '--limit', '5', '-o', 'json']);
    expect(json(first.stdout)).toHaveLength(5);
    const token = /more: --next (\S+)/.exec(first.stderr)?.[1];
    expect(token).toBeDefined();
    const second = await run(['query', `SELECT * FROM "${table}" WHERE pk = ?`, '--param', `MSG#${GROUP}`, '--limit', '5', '--next', token!, '-o', 'json']);
    const all = await run(['query', `SELECT * FROM "${table}" WHERE pk = ?`, '--param', `MSG#${GROUP}`, '--limit', '10', '-o', 'json']);
    expect([...json(first.stdout), ...json(second.stdout)].map((m) => m.sk)).toEqual(json(all.stdout).map((m) => m.sk));
  });

  it('refuses a write under --read-only, and writes without it', async () => {
    const insert = `INSERT INTO "${table}" VALUE {'pk': ?, 'sk': ?}`;
    const refused = await run(['query', insert, '--param', 'NOTE#1', '--param', '2026-01-01T00:00:00+00:00', '--read-only']);
    expect(refused.code).toBe(2);
    expect(oneLineError(refused)).toMatch(/^error\[query\.read_only\]: /);
    expect(json((await run(['query', `SELECT * FROM "${table}" WHERE pk = 'NOTE#1'`, '-o', 'json'])).stdout)).toHaveLength(0);
    expect((await run(['query', insert, '--param', 'NOTE#1', '2026-01-01T00:00:00+00:00'])).code).toBe(0);
    expect(json((await run(['query', `SELECT * FROM "${table}" WHERE pk = 'NOTE#1'`, '-o', 'json'])).stdout)).toHaveLength(1);
  });

  it('asks before a write in prod, and refuses without a terminal', async () => {
    const result = await run(['query', `DELETE FROM "${table}" WHERE pk = 'x' AND sk = 'y'`, 'prod'], {
      env: { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' },
    });
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/^error\[prod\.unconfirmed\]: /);
  });

  it("says what is wrong with a statement: DynamoDB's message, a --param count", async () => {
    const syntax = await run(['query', `SELEC * FROM "${table}"`]);
    expect(syntax.code).toBe(2);
    expect(oneLineError(syntax)).toMatch(/^error\[partiql\.invalid\]: DynamoDB refused the statement: .+/);
    const dash = await run(['query', `SELECT * FROM ${table}`]);
    expect(oneLineError(dash)).toMatch(/^error\[partiql\.invalid\]: .*A table name with a dash needs double quotes/);
    const count = await run(['query', `SELECT * FROM "${table}" WHERE pk = ? AND sk = ?`, '--param', 'MSG#x']);
    expect(count.code).toBe(2);
    expect(oneLineError(count)).toMatch(/^error\[partiql\.param_count\]: The statement has 2 \? placeholders but 1 --param value/);
  });
});

describe('query, key condition', () => {
  it('queries the GSI and names the indexes when one is unknown', async () => {
    const gsi = await run(['query', table, '--index', 'message-group-sk-index', '--pk', GROUP, '-o', 'json']);
    expect(gsi.code).toBe(0);
    expect(json(gsi.stdout)).toHaveLength(2);
    const unknown = await run(['query', table, '--index', 'nope', '--pk', GROUP]);
    expect(unknown.code).toBe(2);
    expect(oneLineError(unknown)).toMatch(/^error\[index\.not_found\]: .*nope.*message-group-sk-index \(gsi\)/);
  });

  it('orders with --desc, filters with --values, plain or typed', async () => {
    const desc = json((await run(['query', table, '--pk', `MSG#${GROUP}`, '--desc', '--limit', '3', '-o', 'json'])).stdout);
    const asc = json((await run(['query', table, '--pk', `MSG#${GROUP}`, '-o', 'json'])).stdout);
    expect(desc.map((m) => m.sk)).toEqual(
      asc
        .slice(-3)
        .reverse()
        .map((m) => m.sk),
    );
    const plain = json(
      (await run(['query', table, '--pk', `MSG#${GROUP}`, '--filter', 'user_handle = :h', '--values', '{":h": "bayko"}', '-o', 'json'])).stdout,
    );
    const typed = json(
      (await run(['query', table, '--pk', `MSG#${GROUP}`, '--filter', 'user_handle = :h', '--values', '{":h": {"S": "bayko"}}', '-o', 'json'])).stdout,
    );
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.every((m) => m.user_handle === 'bayko')).toBe(true);
    expect(typed).toEqual(plain);
    const bad = await run(['query', table, '--pk', `MSG#${GROUP}`, '--filter', 'user_handle = :h', '--values', '{":h": {"S": 5}}']);
    expect(bad.code).toBe(2);
    expect(oneLineError(bad)).toMatch(/^error\[value\.bad_typed_json\]: /);
  });

  it('compares --sk-before/--sk-after as instants across naive and offset times', async () => {
    const client = testClient();
    // The backend's forms: naive local (read in --time-zone), an offset, and our own UTC form.
    const times = ['2026-03-01T09:00:00.000000', '2026-03-01T05:30:00-05:00', '2026-03-01T10:00:00.000000+00:00'];
    for (const sk of times) await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'MSG#instants' }, sk: { S: sk } } }));
    client.destroy();
    // 05:30-05:00 is 10:30 UTC: as a string it sorts first, as an instant last.
    const after = json((await run(['query', table, '--pk', 'MSG#instants', '--sk-after', '2026-03-01T10:15:00Z', '-o', 'json'])).stdout);
    expect(after.map((m) => m.sk)).toEqual(['2026-03-01T05:30:00-05:00']);
    const before = json((await run(['query', table, '--pk', 'MSG#instants', '--sk-before', '2026-03-01T09:30:00Z', '-o', 'json'])).stdout);
    expect(before.map((m) => m.sk)).toEqual(['2026-03-01T09:00:00.000000']);
    // In New York the naive 09:00 is 14:00 UTC: after 10:15Z.
    const zoned = json(
      (await run(['query', table, '--pk', 'MSG#instants', '--sk-after', '2026-03-01T10:15:00Z', '--time-zone', 'America/New_York', '-o', 'json'])).stdout,
    );
    expect(zoned.map((m) => m.sk).sort()).toEqual(['2026-03-01T05:30:00-05:00', '2026-03-01T09:00:00.000000']);
  });

  it('refuses --sk-between with the bounds reversed, a missing --pk, a number for a text key', async () => {
    const reversed = await run(['query', table, '--pk', `MSG#${GROUP}`, '--sk-between', '2026-02-01', '2026-01-01']);
    expect(reversed.code).toBe(2);
    expect(oneLineError(reversed)).toMatch(/^error\[flag\.bad_range\]: /);
    const missing = await run(['query', table, '--sk', 'x']);
    expect(oneLineError(missing)).toMatch(/^error\[key\.missing\]: /);
    const typed = await run(['query', table, '--pk', '{"N": "5"}']);
    expect(typed.code).toBe(2);
    expect(oneLineError(typed)).toMatch(/^error\[key\.bad_type\]: --pk is of type N, but this key attribute is of type S/);
  });

  it('resumes a limited key query with --next', async () => {
    const first = await run(['query', table, '--pk', `MSG#${GROUP}`, '--limit', '4', '-o', 'json']);
    const token = /more: --next (\S+)/.exec(first.stderr)?.[1];
    const second = await run(['query', table, '--pk', `MSG#${GROUP}`, '--limit', '4', '--next', token!, '-o', 'json']);
    const all = json((await run(['query', table, '--pk', `MSG#${GROUP}`, '--limit', '8', '-o', 'json'])).stdout);
    expect([...json(first.stdout), ...json(second.stdout)]).toEqual(all);
  });
});

describe('query --consumed', () => {
  it('says the capacity DynamoDB reports, per table and index, after the items', async () => {
    const keyed = await run(['query', table, '--index', 'message-group-sk-index', '--pk', GROUP, '--consumed', '-o', 'json']);
    expect(keyed.code).toBe(0);
    expect(json(keyed.stdout)).toHaveLength(2);
    expect(keyed.stderr).toMatch(new RegExp(`^consumed: .*${table}/message-group-sk-index [0-9.]+ RCU`, 'm'));
    const statement = await run(['query', `SELECT * FROM "${table}" WHERE pk = ?`, '--param', `MSG#${GROUP}`, '--consumed', '-o', 'json']);
    // DynamoDB Local gives no ConsumedCapacity for ExecuteStatement (AWS does): the line says so rather than 0.
    expect(statement.stderr).toMatch(/^consumed: (nothing reported|.*[0-9.]+ RCU)/m);
    // Locally there is no price: no estimate.
    expect(statement.stderr).not.toMatch(/on-demand/);
  });
});

describe('the capacity tally', () => {
  it('sums per table and index and prices on-demand units only where they cost money', async () => {
    const { CapacityTally } = await import('../src/adhoc/consumed.js');
    const tally = new CapacityTally();
    const prod = { region: 'us-east-1' };
    tally.add({ TableName: 't', CapacityUnits: 3, Table: { ReadCapacityUnits: 1 }, GlobalSecondaryIndexes: { g: { ReadCapacityUnits: 2 } } }, prod);
    tally.add([{ TableName: 't', CapacityUnits: 4, WriteCapacityUnits: 4 }], prod);
    expect(tally.totals()).toEqual({ read: 3, write: 4 });
    const prices = { date: '2024-11-01', currency: 'USD', regions: { 'us-east-1': { readPerMillion: 1, writePerMillion: 10 } } };
    expect(tally.line(prices)).toBe('consumed: t 1 RCU 4 WCU; t/g 2 RCU 0 WCU; on-demand ≈ 0.000043 USD (us-east-1 prices of 2024-11-01)');
    // A region the table does not price says so instead of guessing; local units cost nothing.
    const elsewhere = new CapacityTally();
    elsewhere.add({ TableName: 't', Table: { ReadCapacityUnits: 1 } }, { region: 'eu-west-9' });
    expect(elsewhere.line(prices)).toMatch(/no on-demand price for eu-west-9 \(set CRUDDUR_PRICE_FILE\)$/);
    const local = new CapacityTally();
    local.add({ TableName: 't', Table: { ReadCapacityUnits: 1 } });
    expect(local.line(prices)).toBe('consumed: t 1 RCU 0 WCU');
    expect(local.json(prices)).toEqual({ readUnits: 1, writeUnits: 0, byTable: { t: { readUnits: 1, writeUnits: 0 } }, estimate: null });
  });
});
