/**
 * Issue 11, what reaches a screen or a CI log: no password in any form, no raw escape sequence from
 * the data, and the prod prompt on a real terminal (util-linux `script`): checks first, a prompt that
 * names where, and Ctrl-C / Ctrl-D that cancel cleanly.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, createMessagesTable, dynamoUrl, oneLineError, run, testClient } from './helpers/cli.js';
import { freshDatabase } from './helpers/postgres.js';

const client = testClient();
afterAll(() => client.destroy());
const GROUP = '7d1c0a52-5f4e-4d8e-9a3b-2c1d0e9f8a7b';
const HOSTILE = 'evil\u001b]0;pwned\u0007\u001b[2J\u001b]52;c;ZXZpbA==\u0007\u009b31mend';

describe('escape sequences in the data', () => {
  it('are shown visibly in scan -o table and get-conversation -o table; JSON keeps them exact', async () => {
    const table = await createMessagesTable('escape');
    await client.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          pk: { S: `MSG#${GROUP}` },
          sk: { S: '2026-01-01T10:00:00.000000+00:00' },
          message_uuid: { S: '11111111-1111-4111-8111-111111111111' },
          message: { S: HOSTILE },
          user_uuid: { S: '22222222-2222-4222-8222-222222222222' },
          user_display_name: { S: 'Mallory\u001b[31m' },
          user_handle: { S: 'mallory\u001b[2J' },
        },
      }),
    );
    for (const args of [
      ['scan', table, '-o', 'table'],
      ['get-conversation', GROUP, '--table', table, '-o', 'table'],
    ]) {
      const result = await run(args);
      expect(result.code, result.stderr).toBe(0);
      // eslint-disable-next-line no-control-regex
      expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      expect(result.stdout).toContain('\\x1b]0;pwned');
    }
    const json = await run(['get-conversation', GROUP, '--table', table, '-o', 'json']);
    expect(JSON.parse(json.stdout)[0].message).toBe(HOSTILE);
  });
});

describe('passwords never printed', () => {
  it('env redacts a query-parameter password, a libpq password and one with an unencoded slash', async () => {
    for (const url of [
      'postgresql://postgres@localhost:5432/cruddur?password=hunter2',
      'host=localhost port=5432 user=postgres password=hunter2 dbname=cruddur',
      "host=localhost password='hunter2 two' dbname=cruddur",
      'postgresql://postgres:hun/ter2@localhost:5432/cruddur',
    ]) {
      for (const output of ['json', 'table']) {
        const result = await run(['env', '-o', output], { env: { CONNECTION_URL: url } });
        expect(result.code).toBe(0);
        expect(result.stdout + result.stderr, url).not.toMatch(/hunter2|hun\/ter2|ter2/);
        expect(result.stdout).toContain('***');
      }
    }
  });

  it('PostgreSQL errors and refusals do not carry it either', async () => {
    const url = await freshDatabase();
    const withParam = `${url}?password=hunter2`;
    const ghost = await run(['list-conversations', 'ghost'], { env: { CONNECTION_URL: withParam } });
    expect(oneLineError(ghost)).toMatch(/^error\[user\.unknown\]: No user @ghost in public\.users at .*password=\*\*\*/);
    const down = await run(['list-conversations', 'ghost'], { env: { CONNECTION_URL: 'postgresql://postgres:hun/ter2@127.0.0.1:1/cruddur' } });
    expect(oneLineError(down)).toMatch(/The PostgreSQL connection URL postgresql:\/\/postgres:\*\*\*@127.0.0.1:1\/cruddur cannot be read.*Percent-encode/);
    expect(down.stderr).not.toMatch(/ter2/);
  });
});

/** The binary on a real terminal; `answer` is typed once the prompt shows. */
function onTerminal(args: string[], env: Record<string, string>, answer: string): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve) => {
    const command = [process.execPath, CLI, ...args].map((word) => `'${word}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: cleanEnv(env, false) });
    let screen = '';
    let typed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
      if (!typed && /to go on: /.test(screen)) {
        typed = true;
        child.stdin.write(answer);
      }
    });
    // Colours and cursor moves off, so the assertions read the words.
    // eslint-disable-next-line no-control-regex
    child.on('close', (code) => resolve({ code, screen: screen.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '') }));
  });
}

describe('the prod prompt', () => {
  const prod = { AWS_ENDPOINT_URL_DYNAMODB: '', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLEKEY1234', AWS_SECRET_ACCESS_KEY: 'x' };

  it('names the endpoint, the region and the table', async () => {
    const table = await createMessagesTable('prompt');
    const { code, screen } = await onTerminal(['drop', table, 'prod'], { ...prod, AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl() }, 'no\r');
    expect(code).toBe(1);
    expect(screen).toContain(
      `This will delete the table ${table} in PROD (endpoint ${dynamoUrl()}, region us-east-1, table ${table}). Type "${table}" to go on:`,
    );
    expect(screen).toMatch(/Not confirmed; nothing was changed/);
  });

  it('without an endpoint, names the access key and region', async () => {
    const { screen } = await onTerminal(['drop', 'cruddur-messages', 'prod'], prod, 'no\r');
    expect(screen).toContain('in PROD (AWS, access key …1234, region us-east-1, table cruddur-messages)');
  });

  it.each([
    ['Ctrl-C', '\u0003'],
    ['Ctrl-D', '\u0004'],
  ])('%s cancels: a clean new line, "Cancelled; nothing was changed", exit 130', async (_name, key) => {
    const table = await createMessagesTable('cancel');
    const { code, screen } = await onTerminal(['drop', table, 'prod'], { ...prod, AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl() }, key);
    expect(code).toBe(130);
    expect(screen).toMatch(/to go on: \r?\nerror\[prod\.cancelled\]: Cancelled; nothing was changed\r?\n$/);
    expect(screen).not.toMatch(/AbortError/);
    expect(JSON.parse((await run(['list-tables', '-o', 'json'])).stdout)).toContain(table);
  });

  it('checks the region before asking anything', async () => {
    const { code, screen } = await onTerminal(
      ['drop', 'cruddur-messages', 'prod'],
      { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x', AWS_EC2_METADATA_DISABLED: 'true' },
      'x\r',
    );
    expect(code).toBe(1);
    expect(screen).not.toMatch(/to go on/);
    expect(screen).toMatch(/error\[aws\.no_region\]: No AWS region set for prod/);
  });
});
