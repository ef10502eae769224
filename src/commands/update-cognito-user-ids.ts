/**
 * `cruddur-ddb update-cognito-user-ids`: copies each Cognito user's `sub` into PostgreSQL
 * `public.users.cognito_user_id`, matching `users.handle` to the user's `preferred_username`.
 * Every user of the pool is read first; then one transaction reads, locks and updates the rows, with
 * the pairs sent as two array parameters (a handle is data, never SQL), so either every row changes
 * or none does.
 */
import { type CognitoUser, readAllUsers, requireUserPoolId } from '../cognito/list-users.js';
import type { Context } from '../kit/context.js';
import { confirmDestructive } from '../kit/prod-prompt.js';
import { redactUrl } from '../core/environment.js';
import { CliError } from '../core/errors.js';
import { rows as rowsOutput, type Output } from '../kit/output.js';
import { inTransaction, requirePostgresUrl, setTimeouts, withClient } from '../postgres/client.js';

export interface UpdateCognitoUserIdsOptions {
  dryRun: boolean;
  /** Seconds to wait for a row lock held by another session before giving up. */
  lockTimeout: number;
}

/** Any one statement; the work here is two statements over public.users. */
const STATEMENT_TIMEOUT_MS = 60_000;

export type SyncStatus =
  'updated' | 'would update' | 'up to date' | 'not in database' | 'no preferred_username' | 'no sub' | 'handle shared in Cognito' | 'not in Cognito';

export interface SyncRow {
  status: SyncStatus;
  handle: string | null;
  /** The Cognito username (null for a database user no Cognito user matched). */
  username: string | null;
  /**
   * The Cognito user's email. In a pool that signs in by email (Cruddur's) the username is a uuid
   * nobody recognises; the email is how a person knows which user a row is.
   */
  email: string | null;
  sub: string | null;
  /** cognito_user_id before this run (null for Cognito users with no row). */
  previous: string | null;
}

interface DatabaseRow {
  handle: string;
  cognito_user_id: string | null;
  sub: string | null;
}

/** Every row of public.users with the sub Cognito has for its handle, if any; locked until COMMIT. */
const SELECT_SQL = `
  SELECT u.handle, u.cognito_user_id, c.sub
  FROM public.users AS u
  LEFT JOIN unnest($1::text[], $2::text[]) AS c(handle, sub) ON c.handle = u.handle
  ORDER BY u.handle`;

const UPDATE_SQL = `
  UPDATE public.users AS u SET cognito_user_id = c.sub
  FROM unnest($1::text[], $2::text[]) AS c(handle, sub)
  WHERE u.handle = c.handle AND u.cognito_user_id IS DISTINCT FROM c.sub`;

/**
 * Which Cognito users can be matched: those with one `preferred_username` that no other user of the
 * pool shares (two would leave the row's id a coin toss). The rest are reported and skipped.
 */
export function matchable(users: CognitoUser[]): { byHandle: Map<string, CognitoUser>; skipped: SyncRow[] } {
  const groups = new Map<string, CognitoUser[]>();
  const skipped: SyncRow[] = [];
  for (const user of users) {
    if (!user.handle || !user.sub) {
      // Cognito gives every user a sub; a stand-in (or a future API change) might not.
      skipped.push({
        status: user.handle ? 'no sub' : 'no preferred_username',
        handle: user.handle,
        username: user.username,
        email: user.email,
        sub: user.sub,
        previous: null,
      });
      continue;
    }
    groups.set(user.handle, [...(groups.get(user.handle) ?? []), user]);
  }
  const byHandle = new Map<string, CognitoUser>();
  for (const [handle, group] of groups) {
    if (group.length === 1) byHandle.set(handle, group[0]!);
    else
      for (const user of group)
        skipped.push({ status: 'handle shared in Cognito', handle, username: user.username, email: user.email, sub: user.sub, previous: null });
  }
  return { byHandle, skipped };
}

/** The report, from the rows as they are before the update. Pure, so the dry run and the real run agree. */
export function plan(byHandle: Map<string, CognitoUser>, skipped: SyncRow[], rows: DatabaseRow[], dryRun: boolean): SyncRow[] {
  const inDatabase = new Set(rows.map((row) => row.handle));
  const changes: SyncRow[] = [];
  const unchanged: SyncRow[] = [];
  const databaseOnly: SyncRow[] = [];
  for (const row of rows) {
    const user = byHandle.get(row.handle);
    if (!user) {
      databaseOnly.push({ status: 'not in Cognito', handle: row.handle, username: null, email: null, sub: null, previous: row.cognito_user_id });
    } else {
      const status = row.cognito_user_id === row.sub ? 'up to date' : dryRun ? 'would update' : 'updated';
      (status === 'up to date' ? unchanged : changes).push({
        status,
        handle: row.handle,
        username: user.username,
        email: user.email,
        sub: user.sub,
        previous: row.cognito_user_id,
      });
    }
  }
  const cognitoOnly = [...byHandle.values()]
    .filter((user) => !inDatabase.has(user.handle!))
    .map((user): SyncRow => ({ status: 'not in database', handle: user.handle, username: user.username, email: user.email, sub: user.sub, previous: null }));
  return [...changes, ...unchanged, ...cognitoOnly, ...skipped, ...databaseOnly];
}

/** A Cognito user as a person knows them: the email, with the username when it says something else. */
export function userName(row: Pick<SyncRow, 'username' | 'email'>): string {
  if (!row.email) return row.username ?? '';
  if (!row.username || row.username === row.email) return row.email;
  return `${row.email} (${row.username})`;
}

export function summary(rows: SyncRow[], dryRun: boolean): string {
  const count = (status: SyncStatus) => rows.filter((row) => row.status === status).length;
  const withoutHandle = rows.filter((row) => row.status === 'no preferred_username').map(userName);
  const users = (n: number, what: string) => `${n} ${what.replace('user', n === 1 ? 'user' : 'users')}`;
  const parts = [
    `${dryRun ? 'would update' : 'updated'} ${count(dryRun ? 'would update' : 'updated')}`,
    `${count('up to date')} already up to date`,
    users(count('not in database'), 'Cognito user with no matching handle'),
    `${withoutHandle.length} without preferred_username${withoutHandle.length ? ` (skipped: ${withoutHandle.join(', ')})` : ''}`,
    ...(count('handle shared in Cognito') ? [`${count('handle shared in Cognito')} sharing a handle (skipped)`] : []),
    ...(count('no sub') ? [`${count('no sub')} without sub (skipped)`] : []),
    users(count('not in Cognito'), 'database user not in Cognito'),
  ];
  const text = parts.join(', ');
  return dryRun ? `Dry run: ${text}. Nothing was changed.` : `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

function databaseName(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.slice(1)) || 'update';
  } catch {
    return 'update';
  }
}

export async function updateCognitoUserIds(options: UpdateCognitoUserIdsOptions, context: Context): Promise<Output> {
  const { dryRun } = options;
  const url = requirePostgresUrl(context.env, 'update public.users.cognito_user_id');
  const userPoolId = requireUserPoolId(context.env);
  // The guard runs before any call: with no terminal and no --yes, prod is never touched.
  if (!dryRun) await confirmDestructive(context, `set public.users.cognito_user_id in ${redactUrl(url)}`, databaseName(url), { table: 'public.users' });

  // Connect first so that a database that is down fails before a long read of the pool.
  const rows = await withClient(url, async (client) => {
    const { byHandle, skipped } = matchable(await readAllUsers(context.env, await context.aws(), userPoolId));
    const handles = [...byHandle.keys()];
    const subs = handles.map((handle) => byHandle.get(handle)!.sub);
    return inTransaction(
      client,
      url,
      async () => {
        if (dryRun) await client.query('SET TRANSACTION READ ONLY');
        await setTimeouts(client, { lockMs: options.lockTimeout * 1000, statementMs: STATEMENT_TIMEOUT_MS });
        const current = await client.query<DatabaseRow>(dryRun ? SELECT_SQL : `${SELECT_SQL} FOR UPDATE OF u`, [handles, subs]);
        const report = plan(byHandle, skipped, current.rows, dryRun);
        const expected = report.filter((row) => row.status === 'updated').length;
        if (expected > 0) {
          const { rowCount } = await client.query(UPDATE_SQL, [handles, subs]);
          // The rows are locked, so this holds; if it ever did not, the report would be a lie: undo it all.
          if (rowCount !== expected) throw new CliError('postgres.changed', `Expected to update ${expected} rows but updated ${rowCount}`);
        }
        return report;
      },
      'public.users',
    );
  });

  context.say(summary(rows, dryRun));
  return rowsOutput<SyncRow>({
    rows,
    columns: [
      { header: 'status', value: (row) => row.status },
      { header: 'handle', value: (row) => row.handle ?? '' },
      { header: 'email', value: (row) => row.email ?? '' },
      { header: 'cognito username', value: (row) => row.username ?? '' },
      { header: 'sub', value: (row) => row.sub ?? '' },
      { header: 'previous cognito_user_id', value: (row) => row.previous ?? '', flex: true },
    ],
    empty: `No users in Cognito pool ${userPoolId} nor in public.users.`,
  });
}
