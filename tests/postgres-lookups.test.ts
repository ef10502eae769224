/** The commands that read PostgreSQL public.users, against a real PostgreSQL and DynamoDB Local. */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, run, tableName, testClient } from './helpers/cli.js';
import { freshDatabase, query } from './helpers/postgres.js';

const client = testClient();
const table = tableName('pg');
let url: string;
const DB_ANDREW = '11111111-2222-4333-8444-555555555555';
const DB_BAYKO = '66666666-7777-4888-9999-000000000000';

async function addUser(database: string, uuid: string, handle: string, displayName: string): Promise<void> {
  await query(database, 'INSERT INTO public.users (uuid, display_name, handle, email, cognito_user_id) VALUES ($1, $2, $3, $4, $5)', [
    uuid,
    displayName,
    handle,
    `${handle}@example.com`,
    'MOCK',
  ]);
}

beforeAll(async () => {
  url = await freshDatabase();
  await addUser(url, DB_ANDREW, 'andrewbrown', 'Andrew Brown (db)');
  await addUser(url, DB_BAYKO, 'bayko', 'Andrew Bayko (db)');
  await addUser(url, '99999999-8888-4777-a666-555555555555', 'londo', 'Londo (db)');
  expect((await run(['schema-load', table])).code).toBe(0);
});

describe('seed --users-from-db', () => {
  it("takes each handle's uuid and display name from public.users", async () => {
    const result = await run(['seed', '--table', table, '--users-from-db'], { env: { CONNECTION_URL: url } });
    expect(result.code).toBe(0);
    const { Items } = await client.send(
      new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `GRP#${DB_ANDREW}` } } }),
    );
    expect(Items?.map((item) => [item.user_uuid?.S, item.user_display_name?.S]).sort()).toEqual([
      [DB_BAYKO, 'Andrew Bayko (db)'],
      ['99999999-8888-4777-a666-555555555555', 'Londo (db)'],
    ]);
  });

  it('names a handle missing from public.users, and needs a database', async () => {
    const partial = await freshDatabase();
    await addUser(partial, DB_ANDREW, 'andrewbrown', 'Andrew Brown');
    const missing = await run(['seed', '--table', tableName('pg'), '--users-from-db'], { env: { CONNECTION_URL: partial } });
    expect(missing.code).toBe(1);
    expect(oneLineError(missing)).toMatch(/@bayko, @londo are not in public\.users/);
    const none = await run(['seed', '--table', table, '--users-from-db']);
    expect(oneLineError(none)).toMatch(/No PostgreSQL configured .* Set CONNECTION_URL/);
  });
});

describe('seed: users the app can see', () => {
  it('takes the users from PostgreSQL by default when CONNECTION_URL is set, and says so', async () => {
    const own = tableName('pg');
    expect((await run(['schema-load', own])).code).toBe(0);
    const result = await run(['seed', '--table', own], { env: { CONNECTION_URL: url } });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/User uuids from PostgreSQL public\.users at postgresql:\/\/[^ ]*\.\n$/);
    expect(result.stderr).not.toContain(new URL(url).password || 'no-password-in-url');
    const { Items } = await client.send(
      new QueryCommand({ TableName: own, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `GRP#${DB_ANDREW}` } } }),
    );
    expect(Items).toHaveLength(2);
  });

  it('--no-users-from-db keeps the uuids of seed/users.txt, and says so', async () => {
    const own = tableName('pg');
    expect((await run(['schema-load', own])).code).toBe(0);
    const result = await run(['seed', '--table', own, '--no-users-from-db'], { env: { CONNECTION_URL: url } });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/User uuids from seed\/users\.txt\.\n$/);
    const { Items } = await client.send(
      new QueryCommand({ TableName: own, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `GRP#${DB_ANDREW}` } } }),
    );
    expect(Items).toHaveLength(0);
  });

  it('by default too, a handle missing from public.users is named, with the way out', async () => {
    const partial = await freshDatabase();
    await addUser(partial, DB_ANDREW, 'andrewbrown', 'Andrew Brown');
    const missing = await run(['seed', '--table', tableName('pg')], { env: { CONNECTION_URL: partial } });
    expect(missing.code).toBe(1);
    expect(oneLineError(missing)).toMatch(/@bayko, @londo are not in public\.users.*--no-users-from-db/);
  });
});

describe('list-conversations <handle>', () => {
  it('finds the uuid of the handle in public.users', async () => {
    const result = await run(['list-conversations', '@andrewbrown', '--table', table, '-o', 'json'], { env: { CONNECTION_URL: url } });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as Array<{ handle: string }>).map((g) => g.handle)).toEqual(['londo', 'bayko']);
  });

  it('says when the handle is unknown (password redacted), or the database does not answer', async () => {
    const withPassword = url.replace('postgresql://postgres@', 'postgresql://postgres:secret@');
    const unknown = await run(['list-conversations', 'nobody', '--table', table], { env: { CONNECTION_URL: withPassword } });
    expect(unknown.code).toBe(1);
    const line = oneLineError(unknown);
    expect(line).toMatch(/No user @nobody in public\.users at .*\. Check the handle, or pass --user-uuid/);
    expect(line).not.toContain('secret');
    const down = await run(['list-conversations', 'andrewbrown', '--table', table], {
      env: { CONNECTION_URL: 'postgresql://postgres:pw@127.0.0.1:1/cruddur' },
    });
    expect(down.code).toBe(1);
    expect(oneLineError(down)).toMatch(/PostgreSQL is not answering at postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/cruddur \(ECONNREFUSED\)/);
    const noTable = await run(['list-conversations', 'andrewbrown', '--table', table], { env: { CONNECTION_URL: await freshDatabase({ withUsers: false }) } });
    expect(oneLineError(noTable)).toMatch(/has no such table: relation "public\.users" does not exist/);
  });
});
