/**
 * Cruddur's users in PostgreSQL `public.users` (the app's own table): the one module that writes SQL
 * over it. Lookups by handle or uuid, a page of users for the ui, the sample table for `local`, and
 * the cognito_user_id update of `update-cognito-user-ids`.
 */
import type { Client } from 'pg';
import type { Participant } from '../patterns/items.js';
import { CliError } from '../core/errors.js';
import { inTransaction, setTimeouts, withClient } from './client.js';

/**
 * Cruddur's users table as the backend's db/schema.sql defines it (later weeks: email and NOT NULL).
 * `gen_random_uuid()` (built in since PostgreSQL 13) instead of the backend's uuid-ossp extension,
 * which needs the contrib package; the column is the same.
 */
export const USERS_TABLE_SQL = `
  CREATE TABLE IF NOT EXISTS public.users (
    uuid UUID DEFAULT gen_random_uuid() PRIMARY KEY,
    display_name text NOT NULL,
    handle text NOT NULL,
    email text NOT NULL,
    cognito_user_id text NOT NULL,
    created_at TIMESTAMP DEFAULT current_timestamp NOT NULL
  )`;

// ---- lookups ----

/** Users whose `column` is one of `values`, keyed by that column's value. */
async function findUsers(url: string, column: 'handle' | 'uuid', values: string[]): Promise<Map<string, Participant>> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ uuid: string; display_name: string; handle: string }>(
      `SELECT uuid::text AS uuid, display_name, handle FROM public.users WHERE ${column}::text = ANY($1::text[])`,
      [values],
    );
    return new Map(rows.map((row) => [row[column], { uuid: row.uuid, displayName: row.display_name, handle: row.handle }]));
  });
}

/** The users with these handles (without `@`); handles not found are simply absent from the map. */
export function findUsersByHandle(url: string, handles: string[]): Promise<Map<string, Participant>> {
  return findUsers(url, 'handle', handles);
}

/** The users with these uuids; uuids not found are absent from the map. */
export function findUsersByUuid(url: string, uuids: string[]): Promise<Map<string, Participant>> {
  return findUsers(url, 'uuid', uuids);
}

/**
 * Up to `limit` users in a fixed spread order (the md5 of their uuid: neither the oldest nor the
 * alphabetically first, and the same order every run), after the md5 `after`; for `copy --users N`.
 */
export async function usersInSpreadOrder(url: string, after: string | null, limit: number): Promise<Array<Participant & { order: string }>> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ uuid: string; display_name: string; handle: string; spread: string }>(
      `SELECT uuid::text AS uuid, display_name, handle, md5(uuid::text) AS spread FROM public.users
       WHERE ($1::text IS NULL OR md5(uuid::text) > $1) ORDER BY md5(uuid::text) LIMIT $2`,
      [after, limit],
    );
    return rows.map((row) => ({ uuid: row.uuid, displayName: row.display_name, handle: row.handle, order: row.spread }));
  });
}

// ---- a page, for the ui ----

/** Ordered by handle and paged by the last (handle, uuid) seen: keyset paging, so page 500 costs what page 1 costs. */
export const USERS_PAGE_SQL = `SELECT uuid::text AS uuid, display_name, handle FROM public.users WHERE ($1::text IS NULL OR (handle, uuid::text) > ($1, $2)) ORDER BY handle, uuid::text LIMIT $3`;

export interface UserPageRow {
  uuid: string;
  display_name: string;
  handle: string;
}

/** Up to `limit` users after (handle, uuid) `after`; the SQL and its values too, for the page to show. */
export async function usersPage(
  url: string,
  after: readonly [handle: string, uuid: string] | null,
  limit: number,
): Promise<{ rows: UserPageRow[]; sql: string; values: unknown[] }> {
  const values = [after?.[0] ?? null, after?.[1] ?? null, limit];
  const rows = await withClient(url, async (client) => (await client.query<UserPageRow>(USERS_PAGE_SQL, values)).rows);
  return { rows, sql: USERS_PAGE_SQL, values };
}

// ---- the sample table (local --postgres, tests) ----

/** A user of the sample data, as public.users holds them. */
export interface UserRow {
  uuid: string;
  handle: string;
  displayName: string;
  email: string;
}

/**
 * The users table if missing, and these users (inserted once, matched by handle; cognito_user_id
 * 'MOCK' as the backend's seed.sql has it until update-cognito-user-ids runs).
 */
export async function createSampleUsers(client: Client, users: UserRow[]): Promise<void> {
  await client.query(USERS_TABLE_SQL);
  await client.query(
    `INSERT INTO public.users (uuid, display_name, handle, email, cognito_user_id)
     SELECT u.uuid::uuid, u.display_name, u.handle, u.email, 'MOCK'
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(uuid, display_name, handle, email)
     WHERE NOT EXISTS (SELECT 1 FROM public.users AS p WHERE p.handle = u.handle)`,
    [users.map((u) => u.uuid), users.map((u) => u.displayName), users.map((u) => u.handle), users.map((u) => u.email)],
  );
}

// ---- cognito_user_id ----

/** A row of public.users with the sub Cognito has for its handle, if any. */
export interface CognitoIdRow {
  handle: string;
  cognito_user_id: string | null;
  sub: string | null;
}

/** Every row of public.users with the sub Cognito has for its handle, if any; locked until COMMIT. */
const SELECT_IDS_SQL = `
  SELECT u.handle, u.cognito_user_id, c.sub
  FROM public.users AS u
  LEFT JOIN unnest($1::text[], $2::text[]) AS c(handle, sub) ON c.handle = u.handle
  ORDER BY u.handle`;

const UPDATE_IDS_SQL = `
  UPDATE public.users AS u SET cognito_user_id = c.sub
  FROM unnest($1::text[], $2::text[]) AS c(handle, sub)
  WHERE u.handle = c.handle AND u.cognito_user_id IS DISTINCT FROM c.sub`;

/** Any one statement; the work here is two statements over public.users. */
const STATEMENT_TIMEOUT_MS = 60_000;

export interface SetCognitoIds<T> {
  /** Read only, change nothing. */
  dryRun: boolean;
  /** How long to wait for a row lock held by another session. */
  lockMs: number;
  /** handle -> sub, asked for once connected (so a database that is down fails before a long read of Cognito). */
  subs(): Promise<ReadonlyMap<string, string>>;
  /** From the rows as they are (locked): the report, and how many rows the update must change. */
  plan(rows: CognitoIdRow[]): { report: T; updates: number };
}

/**
 * One transaction: read and lock the rows, let `plan` decide, then set cognito_user_id where it
 * differs. The pairs go as two array parameters (a handle is data, never SQL), and either every row
 * changes or none does.
 */
export async function setCognitoIds<T>(url: string, options: SetCognitoIds<T>): Promise<T> {
  return withClient(url, async (client) => {
    const pairs = await options.subs();
    const handles = [...pairs.keys()];
    const subs = handles.map((handle) => pairs.get(handle)!);
    return inTransaction(
      client,
      url,
      async () => {
        if (options.dryRun) await client.query('SET TRANSACTION READ ONLY');
        await setTimeouts(client, { lockMs: options.lockMs, statementMs: STATEMENT_TIMEOUT_MS });
        const current = await client.query<CognitoIdRow>(options.dryRun ? SELECT_IDS_SQL : `${SELECT_IDS_SQL} FOR UPDATE OF u`, [handles, subs]);
        const { report, updates } = options.plan(current.rows);
        if (updates > 0) {
          const { rowCount } = await client.query(UPDATE_IDS_SQL, [handles, subs]);
          // The rows are locked, so this holds; if it ever did not, the report would be a lie: undo it all.
          if (rowCount !== updates) throw new CliError('postgres.changed', `Expected to update ${updates} rows but updated ${rowCount}`);
        }
        return report;
      },
      'public.users',
    );
  });
}
