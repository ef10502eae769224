/**
 * Copying each Cognito user's `sub` into PostgreSQL `public.users.cognito_user_id`, matching
 * `users.handle` to the user's `preferred_username`: which users can be matched, what will change (a
 * pure plan, so the dry run and the real run agree), and the run itself. Every user of the pool is read
 * first; the update is one transaction in src/postgres/users.ts.
 */
import type { AwsSettings } from '../aws/clients.js';
import type { ResolvedEnv } from '../core/environment.js';
import { setCognitoIds, type CognitoIdRow } from '../postgres/users.js';
import { readAllUsers, type CognitoUser } from './list-users.js';

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
export function plan(byHandle: Map<string, CognitoUser>, skipped: SyncRow[], rows: CognitoIdRow[], dryRun: boolean): SyncRow[] {
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

/** The closing line for people. */
export function describeSync(rows: SyncRow[], dryRun: boolean): string {
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

export interface SyncRequest {
  env: ResolvedEnv;
  settings: AwsSettings;
  userPoolId: string;
  postgresUrl: string;
  dryRun: boolean;
  /** How long to wait for a row lock held by another session. */
  lockMs: number;
}

/** Reads the pool, matches, and sets the ids in one transaction; returns the report, row by row. */
export function syncCognitoUserIds(request: SyncRequest): Promise<SyncRow[]> {
  let matched: ReturnType<typeof matchable> = { byHandle: new Map(), skipped: [] };
  return setCognitoIds(request.postgresUrl, {
    dryRun: request.dryRun,
    lockMs: request.lockMs,
    subs: async () => {
      matched = matchable(await readAllUsers(request.env, request.settings, request.userPoolId));
      return new Map([...matched.byHandle].map(([handle, user]) => [handle, user.sub!]));
    },
    plan: (rows) => {
      const report = plan(matched.byHandle, matched.skipped, rows, request.dryRun);
      return { report, updates: report.filter((row) => row.status === 'updated').length };
    },
  });
}
