/**
 * The left column when CONNECTION_URL is set: Cruddur's own users from PostgreSQL `public.users`,
 * ordered by handle and paged by the last handle seen (keyset paging: no OFFSET, so page 500 costs
 * what page 1 costs). Unlike group items, this also lists users who have no conversation yet.
 */
import { withClient } from '../postgres/client.js';
import type { Shown, UserJson } from './api.js';
import { USERS_PAGE } from './api.js';

export const USERS_SQL = `SELECT uuid::text AS uuid, display_name, handle FROM public.users WHERE ($1::text IS NULL OR (handle, uuid::text) > ($1, $2)) ORDER BY handle, uuid::text LIMIT $3`;

export async function usersFromPostgres(url: string, cursor?: string): Promise<Shown<UserJson>> {
  const after = cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string]) : null;
  const values = [after?.[0] ?? null, after?.[1] ?? null, USERS_PAGE];
  const rows = await withClient(url, async (client) => (await client.query<UserJson>(USERS_SQL, values)).rows);
  const last = rows.at(-1);
  return {
    items: rows,
    cursor: rows.length === USERS_PAGE && last ? Buffer.from(JSON.stringify([last.handle, last.uuid])).toString('base64url') : null,
    query: { sql: USERS_SQL, values },
    raw: rows,
  };
}
