/**
 * The documented command lines with a bare `prod` (each failed with "too many arguments" before,
 * or, for schema-load, quietly made a local table named prod), run against DynamoDB Local standing in
 * for AWS: the endpoint variable points prod there.
 */
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createMessagesTable, dynamoUrl, oneLineError, run, tableName, testClient } from './helpers/cli.js';

const prodEnv = () => ({
  AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl(),
  AWS_ACCESS_KEY_ID: 'cruddurlocal',
  AWS_SECRET_ACCESS_KEY: 'cruddurlocal',
  AWS_REGION: 'us-east-1',
});
const client = testClient();
afterAll(() => client.destroy());

async function tables(): Promise<string[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(page.TableNames ?? []));
    start = page.LastEvaluatedTableName;
  } while (start);
  return names;
}

describe('a bare prod among the arguments', () => {
  it('drop <table> prod --yes drops in prod', async () => {
    const table = await createMessagesTable('prodword');
    const result = await run(['drop', table, 'prod', '--yes'], { env: prodEnv() });
    expect(result.stderr).toMatch(`Dropped table ${table} in prod`);
    expect(result.code).toBe(0);
  });

  it('seed --table <table> prod --yes seeds in prod', async () => {
    const table = await createMessagesTable('prodword');
    const result = await run(['seed', '--table', table, 'prod', '--yes'], { env: prodEnv() });
    expect(result.stderr).toMatch(new RegExp(`Seeded \\d+ items .* into ${table}`));
    expect(result.code).toBe(0);
  });

  it('list-tables prod -o json lists in prod', async () => {
    const table = await createMessagesTable('prodword');
    const result = await run(['list-tables', 'prod', '-o', 'json'], { env: prodEnv() });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toContain(table);
  });

  it('schema-load prod --billing provisioned works in prod and makes no table named prod', async () => {
    const table = tableName('prodword');
    const result = await run(['schema-load', 'prod', '--billing', 'provisioned', '-o', 'json'], { env: { ...prodEnv(), DDB_MESSAGE_TABLE: table } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ table, created: true, billing: 'provisioned 5/5' });
    expect(await tables()).not.toContain('prod');
  });

  it('update-cognito-user-ids prod --yes asks for the prod database, not for fewer arguments', async () => {
    const result = await run(['update-cognito-user-ids', 'prod', '--yes', '--user-pool-id', 'p'], { env: prodEnv() });
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/^error\[postgres\.not_configured\]: .*PROD_CONNECTION_URL/);
  });
});

describe('prod as the value of an option', () => {
  it('seed --dir prod reads the folder prod, locally', async () => {
    const result = await run(['seed', '--dir', 'prod']);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/^error\[seed\.missing\]: Cannot read prod\/users\.txt/);
  });

  it('send hi --from ann --to prod looks up the user prod, locally', async () => {
    const result = await run(['send', 'hi', '--from', 'ann', '--to', 'prod']);
    expect(result.code).toBe(1);
    const line = oneLineError(result);
    expect(line).toMatch(/^error\[postgres\.not_configured\]: .*@ann and @prod/);
    expect(line).not.toMatch(/PROD_CONNECTION_URL/);
  });

  it('--table prod names a table called prod', async () => {
    const result = await run(['scan', 'prod-is-not-here', '--table', 'prod']);
    expect(oneLineError(result)).toMatch(/^error\[table\.not_found\]: Table "prod-is-not-here" not found in local/);
  });
});
