/** `update-cognito-user-ids` through the built binary: the real cognito-local and a real PostgreSQL. */
import { describe, expect, it } from 'vitest';
import { freePort } from '../src/aws/local-dynamodb.js';
import { oneLineError, run, type RunResult } from './helpers/cli.js';
import { addUsers, cognitoUrl, createPool, type CreatedUser } from './helpers/cognito.js';
import { startPagesServer } from './helpers/cognito-pages.js';
import { freshDatabase, query } from './helpers/postgres.js';

const NASTY = `o'brien"; DROP TABLE users; --`;

interface Row {
  status: string;
  handle: string | null;
  username: string | null;
  email: string | null;
  sub: string | null;
  previous: string | null;
}

/** Rows in public.users for these handles, each with this cognito_user_id. */
async function insertUsers(url: string, handles: string[], cognitoUserId = 'MOCK'): Promise<void> {
  await query(
    url,
    `INSERT INTO public.users (display_name, handle, email, cognito_user_id)
     SELECT h, h, h || '@example.com', $2 FROM unnest($1::text[]) AS h`,
    [handles, cognitoUserId],
  );
}

async function idsByHandle(url: string): Promise<Map<string, string>> {
  const rows = await query<{ handle: string; cognito_user_id: string }>(url, 'SELECT handle, cognito_user_id FROM public.users');
  return new Map(rows.map((row) => [row.handle, row.cognito_user_id]));
}

function update(url: string, poolId: string, args: string[] = [], cognito = cognitoUrl(), env: Record<string, string> = {}): Promise<RunResult> {
  return run(['update-cognito-user-ids', '--user-pool-id', poolId, '--cognito-endpoint-url', cognito, ...args], { env: { CONNECTION_URL: url, ...env } });
}

/** The one summary object of -o json; its keys are what a CI script reads with jq, so they are held here. */
interface Summary {
  dryRun: boolean;
  rows: Row[];
  [count: string]: unknown;
}
const SUMMARY_KEYS = [
  'database',
  'dryRun',
  'handleShared',
  'noPreferredUsername',
  'noSub',
  'notInCognito',
  'notInDatabase',
  'rows',
  'seconds',
  'upToDate',
  'updated',
  'userPoolId',
];
const summaryOf = (stdout: string): Summary => {
  const summary = JSON.parse(stdout) as Summary;
  expect(Object.keys(summary).sort()).toEqual(SUMMARY_KEYS);
  return summary;
};

const statuses = (rows: Row[]) => rows.reduce<Record<string, number>>((counts, row) => ({ ...counts, [row.status]: (counts[row.status] ?? 0) + 1 }), {});

/** A pool of 70 users with handles (one of them SQL-shaped), one without, one not in the database, two sharing a handle. */
async function scenario(): Promise<{ url: string; poolId: string; users: CreatedUser[] }> {
  const poolId = await createPool();
  const handles = [...Array.from({ length: 69 }, (_, i) => `user${i}`), NASTY];
  const users = await addUsers(poolId, [
    ...handles.map((handle, i) => ({ email: `u${i}@example.com`, handle })),
    { email: 'nohandle@example.com' },
    { email: 'stranger@example.com', handle: 'stranger' },
    { email: 'twin1@example.com', handle: 'twin' },
    { email: 'twin2@example.com', handle: 'twin' },
  ]);
  const url = await freshDatabase();
  await insertUsers(url, [...handles, 'ghost', 'twin']);
  // One row already carries its sub.
  await query(url, "UPDATE public.users SET cognito_user_id = $1 WHERE handle = 'user0'", [users[0]!.sub]);
  return { url, poolId, users };
}

describe('update-cognito-user-ids', () => {
  it('sets every matched handle in one run, skips and names the rest, and a second run changes nothing', async () => {
    const { url, poolId, users } = await scenario();
    const result = await update(url, poolId, ['-o', 'json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      'Updated 69, 1 already up to date, 1 Cognito user with no matching handle, 1 without preferred_username (skipped: ' +
        `nohandle@example.com (${users[70]!.username})), 2 sharing a handle (skipped), 2 database users not in Cognito.\n`,
    );
    const summary = summaryOf(result.stdout);
    expect(summary).toMatchObject({
      dryRun: false,
      userPoolId: poolId,
      updated: 69,
      upToDate: 1,
      notInDatabase: 1,
      noPreferredUsername: 1,
      handleShared: 2,
      noSub: 0,
      notInCognito: 2,
    });
    expect(summary.database).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/test_\w+$/);
    const { rows } = summary;
    expect(statuses(rows)).toEqual({
      updated: 69,
      'up to date': 1,
      'not in database': 1,
      'no preferred_username': 1,
      'handle shared in Cognito': 2,
      'not in Cognito': 2,
    });
    expect(rows.find((row) => row.handle === NASTY)).toEqual({
      status: 'updated',
      handle: NASTY,
      username: users[69]!.username,
      email: 'u69@example.com',
      sub: users[69]!.sub,
      previous: 'MOCK',
    });
    expect(rows.filter((row) => row.status === 'not in Cognito').map((row) => row.handle)).toEqual(['ghost', 'twin']);

    const ids = await idsByHandle(url);
    for (const user of users.slice(0, 70)) expect(ids.get(user.handle!), user.handle).toBe(user.sub);
    expect(ids.get('ghost')).toBe('MOCK');
    expect(ids.get('twin')).toBe('MOCK');
    expect(ids.size).toBe(72);

    const again = await update(url, poolId, ['-o', 'json']);
    expect(again.code).toBe(0);
    expect(statuses(summaryOf(again.stdout).rows)).toMatchObject({ 'up to date': 70 });
    expect(summaryOf(again.stdout)).toMatchObject({ updated: 0, upToDate: 70 });
    expect(again.stderr).toMatch(/^Updated 0, 70 already up to date,/);
    expect(await idsByHandle(url)).toEqual(ids);
  });

  it('--dry-run reports the same and changes nothing', async () => {
    const { url, poolId } = await scenario();
    const before = await idsByHandle(url);
    const dry = await update(url, poolId, ['--dry-run', '-o', 'json']);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toMatch(/^Dry run: would update 69, 1 already up to date, .* 2 database users not in Cognito\. Nothing was changed\.\n$/);
    expect(await idsByHandle(url)).toEqual(before);
    // In a dry run `updated` counts what would be: a script reads one key either way.
    expect(summaryOf(dry.stdout)).toMatchObject({ dryRun: true, updated: 69, upToDate: 1 });

    const real = await update(url, poolId, ['-o', 'json']);
    const rename = (rows: Row[]) => rows.map((row) => ({ ...row, status: row.status === 'would update' ? 'updated' : row.status }));
    expect(summaryOf(real.stdout).rows).toEqual(rename(summaryOf(dry.stdout).rows));
  });

  it('shows a table for people', async () => {
    const poolId = await createPool();
    const [bob] = await addUsers(poolId, [{ email: 'bob@example.com', handle: 'bob' }]);
    const url = await freshDatabase();
    await insertUsers(url, ['bob']);
    const result = await update(url, poolId, ['-o', 'table']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^status\s+handle\s+email\s+cognito username\s+sub\s+previous cognito_user_id$/m);
    expect(result.stdout).toContain(`updated  bob     bob@example.com  ${bob!.username}  ${bob!.sub}  MOCK`);
  });

  it('follows every page of a pool larger than one ListUsers call (stand-in serving 60, 5, 55, 10)', async () => {
    const users = Array.from({ length: 130 }, (_, i) => ({
      username: `u${i}`,
      handle: `h${i}`,
      sub: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      email: `u${i}@example.com`,
    }));
    const server = await startPagesServer(users, [60, 5, 55, 10]);
    try {
      const url = await freshDatabase();
      await insertUsers(
        url,
        users.map((user) => user.handle),
      );
      const result = await update(url, 'us-east-1_Paged', ['-o', 'json'], server.url);
      expect(result.code).toBe(0);
      expect(server.requests).toHaveLength(4);
      expect(statuses(summaryOf(result.stdout).rows)).toEqual({ updated: 130 });
      const ids = await idsByHandle(url);
      for (const user of users) expect(ids.get(user.handle)).toBe(user.sub);
    } finally {
      await server.close();
    }
  });

  it('leaves every row as it was when one row fails halfway (a trigger refuses it)', async () => {
    const { url, poolId } = await scenario();
    await query(
      url,
      `CREATE FUNCTION refuse_user40() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.handle = 'user40' THEN RAISE EXCEPTION 'user40 may not change'; END IF;
         RETURN NEW;
       END $$`,
    );
    await query(url, 'CREATE TRIGGER refuse_user40 BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION refuse_user40()');
    const before = await idsByHandle(url);
    const result = await update(url, poolId);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(
      /^error\[postgres\.error\]: PostgreSQL at postgresql:\/\/postgres@127\.0\.0\.1:\d+\/test_\w+ failed: user40 may not change\. The transaction was rolled back: nothing was changed$/,
    );
    expect(result.stdout).toBe('');
    expect(await idsByHandle(url)).toEqual(before);
  });

  it('says in one line when the database is down, the table or the column is missing, or Cognito fails, and changes nothing', async () => {
    const poolId = await createPool();
    await addUsers(poolId, [{ email: 'bob@example.com', handle: 'bob' }]);

    const closed = `postgresql://cruddur:secret@127.0.0.1:${await freePort()}/cruddur`;
    const down = await update(closed, poolId);
    expect(down.code).toBe(1);
    expect(oneLineError(down)).toMatch(
      /^error\[postgres\.unreachable\]: PostgreSQL is not answering at postgresql:\/\/cruddur:\*\*\*@127\.0\.0\.1:\d+\/cruddur \(ECONNREFUSED\)\. Start it/,
    );

    const noTable = await update(await freshDatabase({ withUsers: false }), poolId);
    expect(noTable.code).toBe(1);
    expect(oneLineError(noTable)).toMatch(/has no such table: relation "public\.users" does not exist\. The transaction was rolled back/);

    const noColumn = await freshDatabase({ withUsers: false });
    await query(noColumn, 'CREATE TABLE public.users (uuid uuid PRIMARY KEY DEFAULT gen_random_uuid(), handle text NOT NULL)');
    await query(noColumn, "INSERT INTO public.users (handle) VALUES ('bob')");
    const missing = await update(noColumn, poolId);
    expect(missing.code).toBe(1);
    expect(oneLineError(missing)).toMatch(/has no such column: column u\.cognito_user_id does not exist\. The transaction was rolled back/);

    const url = await freshDatabase();
    await insertUsers(url, ['bob']);
    const unknownPool = await update(url, 'local_nosuchpool');
    expect(unknownPool.code).toBe(1);
    expect(oneLineError(unknownPool)).toMatch(/^error\[cognito\.pool_not_found\]: User pool "local_nosuchpool" not found in Cognito at http/);
    const cognitoDown = await update(url, poolId, [], `http://127.0.0.1:${await freePort()}`);
    expect(oneLineError(cognitoDown)).toMatch(/^error\[cognito\.unreachable\]: Cognito is not answering at/);
    expect(await idsByHandle(url)).toEqual(new Map([['bob', 'MOCK']]));
  });

  it('needs a connection URL and a pool, and in prod a confirmation', async () => {
    const local = await run(['update-cognito-user-ids', '--user-pool-id', 'x']);
    expect(local.code).toBe(1);
    expect(oneLineError(local)).toMatch(
      /^error\[postgres\.not_configured\]: No PostgreSQL configured to update public\.users\.cognito_user_id\. Set CONNECTION_URL /,
    );
    const prod = await run(['update-cognito-user-ids', '--user-pool-id', 'x', 'prod']);
    expect(oneLineError(prod)).toMatch(/Set PROD_CONNECTION_URL /);
    const noPool = await run(['update-cognito-user-ids'], { env: { CONNECTION_URL: 'postgresql://localhost/cruddur' } });
    expect(noPool.code).toBe(2);
    expect(oneLineError(noPool)).toMatch(/No Cognito user pool given/);

    const poolId = await createPool();
    const [bob] = await addUsers(poolId, [{ email: 'bob@example.com', handle: 'bob' }]);
    const url = await freshDatabase();
    await insertUsers(url, ['bob']);
    const aws = { AWS_ACCESS_KEY_ID: 'cruddurlocal', AWS_SECRET_ACCESS_KEY: 'cruddurlocal', AWS_REGION: 'us-east-1' };
    const args = ['update-cognito-user-ids', '--env', 'prod', '--user-pool-id', poolId, '--cognito-endpoint-url', cognitoUrl()];
    const refused = await run(args, { env: { PROD_CONNECTION_URL: url, CONNECTION_URL: 'postgresql://127.0.0.1:1/wrong', ...aws } });
    expect(refused.code).toBe(1);
    expect(oneLineError(refused)).toBe(
      'error[prod.unconfirmed]: Refusing to set public.users.cognito_user_id in ' +
        url +
        ' in prod without confirmation. Run it on a terminal to confirm, or pass --yes',
    );
    expect(await idsByHandle(url)).toEqual(new Map([['bob', 'MOCK']]));

    const confirmed = await run([...args, '--yes'], { env: { PROD_CONNECTION_URL: url, ...aws } });
    expect(confirmed.code).toBe(0);
    expect(await idsByHandle(url)).toEqual(new Map([['bob', bob!.sub]]));
  });
});
