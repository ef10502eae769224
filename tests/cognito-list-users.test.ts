/** `cognito list-users` through the built binary, against the real cognito-local (and a stand-in for paging). */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { CognitoUser } from '../src/cognito/list-users.js';
import { freePort } from '../src/aws/local-dynamodb.js';
import { oneLineError, run } from './helpers/cli.js';
import { addUsers, cognitoUrl, createPool } from './helpers/cognito.js';
import { startPagesServer, type StandInUser } from './helpers/cognito-pages.js';

type UserJson = CognitoUser;

const listUsers = (poolId: string, ...args: string[]) =>
  run(['cognito', 'list-users', '--user-pool-id', poolId, '--cognito-endpoint-url', cognitoUrl(), ...args]);

describe('cognito list-users on cognito-local', () => {
  it('lists more than 60 users with their sub read from the attributes, a user without preferred_username included', async () => {
    const poolId = await createPool();
    const wanted = Array.from({ length: 64 }, (_, i) => ({ email: `user${i}@example.com`, handle: `handle${i}` }));
    const created = await addUsers(poolId, [...wanted, { email: 'zed@example.com' }]);

    const result = await listUsers(poolId, '-o', 'json');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const listed = JSON.parse(result.stdout) as UserJson[];
    expect(listed).toHaveLength(65);
    const byName = new Map(listed.map((user) => [user.username, user]));
    for (const user of created) {
      expect(byName.get(user.username)).toMatchObject({ handle: user.handle ?? null, sub: user.sub, email: user.email, enabled: true });
    }
    expect(created.at(-1)!.handle).toBeUndefined();
    for (const user of listed) {
      expect(user.status).toBe('FORCE_CHANGE_PASSWORD');
      expect(Date.parse(user.created!)).toBeGreaterThan(Date.parse('2020-01-01'));
    }
  });

  it('shows a table with username, handle, sub, email, status and created; ndjson is one user a line', async () => {
    const poolId = await createPool();
    const [andrew] = await addUsers(poolId, [{ email: 'andrew@exampro.co', handle: 'andrewbrown' }]);
    const table = await listUsers(poolId, '-o', 'table');
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toMatch(/^username\s+handle\s+sub\s+email\s+status\s+created$/);
    expect(table.stdout).toMatch(new RegExp(`^${andrew!.username}\\s+andrewbrown  ${andrew!.sub}  andrew@exampro.co  FORCE_CHANGE_PASSWORD  \\d{4}-`, 'm'));

    const ndjson = await listUsers(poolId, '-o', 'ndjson');
    const rows = ndjson.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as UserJson);
    expect(rows.map((row) => row.sub)).toEqual([andrew!.sub]);
  });

  it("passes --filter to Cognito's own filter", async () => {
    const poolId = await createPool();
    await addUsers(poolId, [
      { handle: 'ann', email: 'ann@example.com' },
      { handle: 'alf', email: 'alf@example.com' },
      { handle: 'bob', email: 'bob@example.com' },
    ]);
    const result = await listUsers(poolId, '--filter', 'email ^= "a"', '-o', 'json');
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as UserJson[]).map((user) => user.handle).sort()).toEqual(['alf', 'ann']);

    const none = await listUsers(poolId, '--filter', 'email ^= "q"', '-o', 'table');
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe(`No users in ${poolId} match email ^= "q".\n`);
  });

  it('takes the pool and the endpoint from AWS_COGNITO_USER_POOL_ID and AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', async () => {
    const poolId = await createPool();
    await addUsers(poolId, [{ handle: 'carol', email: 'carol@example.com' }]);
    const result = await run(['cognito', 'list-users', '-o', 'json'], {
      env: { AWS_COGNITO_USER_POOL_ID: poolId, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognitoUrl() },
    });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as UserJson[]).map((user) => user.handle)).toEqual(['carol']);
  });

  it('says so in one line when there is no pool, an unknown pool, or nothing at the endpoint', async () => {
    const missing = await run(['cognito', 'list-users']);
    expect(missing.code).toBe(2);
    expect(oneLineError(missing)).toBe('error[cognito.no_pool]: No Cognito user pool given. Pass --user-pool-id <id> or set AWS_COGNITO_USER_POOL_ID');

    const unknown = await listUsers('local_nosuchpool');
    expect(unknown.code).toBe(1);
    expect(oneLineError(unknown)).toMatch(
      /^error\[cognito\.pool_not_found\]: User pool "local_nosuchpool" not found in Cognito at http:\/\/127\.0\.0\.1:\d+\. Check --user-pool-id/,
    );

    const closed = `http://127.0.0.1:${await freePort()}`;
    const down = await run(['cognito', 'list-users', '--user-pool-id', 'local_x', '--cognito-endpoint-url', closed]);
    expect(down.code).toBe(1);
    expect(oneLineError(down)).toBe(
      `error[cognito.unreachable]: Cognito is not answering at ${closed}. Start the emulator there, or fix --cognito-endpoint-url`,
    );
  });
});

describe('help', () => {
  it('has examples for the cognito commands', async () => {
    for (const command of [['cognito'], ['cognito', 'list-users'], ['update-cognito-user-ids']]) {
      const help = await run([...command, '--help']);
      expect(help.code, command.join(' ')).toBe(0);
      expect(help.stdout, command.join(' ')).toMatch(/Examples:\n {2}\$ cruddur-ddb/);
    }
  });
});

describe('cognito list-users paging (stand-in: cognito-local serves one page)', () => {
  const users: StandInUser[] = Array.from({ length: 130 }, (_, i) => ({
    username: `u${String(i).padStart(3, '0')}`,
    handle: `h${i}`,
    sub: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    email: `u${i}@example.com`,
  }));

  it('follows PaginationToken through full and short pages, 60 at a time, without asking for sub in AttributesToGet', async () => {
    const server = await startPagesServer(users, [60, 5, 55, 10]);
    try {
      const result = await run([
        'cognito',
        'list-users',
        '--user-pool-id',
        'us-east-1_Paged',
        '--cognito-endpoint-url',
        server.url,
        '--filter',
        'status = "Enabled"',
        '-o',
        'ndjson',
      ]);
      expect(result.code).toBe(0);
      const listed = result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as UserJson);
      expect(listed.map((user) => user.username)).toEqual(users.map((user) => user.username));
      expect(listed.map((user) => user.sub)).toEqual(users.map((user) => user.sub));
      expect(server.requests).toHaveLength(4);
      expect(server.requests.map((request) => request.PaginationToken)).toEqual([undefined, 'page-1', 'page-2', 'page-3']);
      for (const request of server.requests) {
        expect(request).toMatchObject({ UserPoolId: 'us-east-1_Paged', Limit: 60, Filter: 'status = "Enabled"' });
        expect(request).not.toHaveProperty('AttributesToGet');
      }
    } finally {
      await server.close();
    }
  });

  it('turns NotAuthorizedException into one line', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'NotAuthorizedException', message: 'Access Token has been revoked' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const result = await run(['cognito', 'list-users', '--user-pool-id', 'us-east-1_X', '--cognito-endpoint-url', url]);
      expect(result.code).toBe(1);
      expect(oneLineError(result)).toMatch(
        new RegExp(`^error\\[cognito\\.access_denied\\]: Cognito at ${url} refused: Access Token has been revoked\\. Check the credentials`),
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
