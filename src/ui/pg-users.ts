/**
 * The left column when CONNECTION_URL is set: Cruddur's own users from PostgreSQL `public.users`,
 * ordered by handle and paged by the last handle seen (keyset paging: no OFFSET, so page 500 costs
 * what page 1 costs). Unlike group items, this also lists users who have no conversation yet.
 */
import { decodeToken, encodeToken, InvalidCursorError } from '../patterns/cursor.js';
import { usersPage } from '../postgres/users.js';
import type { Shown, UserJson } from './api.js';
import { USERS_PAGE } from './api.js';

/** The (handle, uuid) a users cursor holds. */
function position(value: unknown): [string, string] {
  if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string')) return value as [string, string];
  throw new InvalidCursorError('it belongs to another list');
}

export async function usersFromPostgres(url: string, cursor?: string): Promise<Shown<UserJson>> {
  const after = cursor ? position(decodeToken(cursor)) : null;
  const { rows, sql, values } = await usersPage(url, after, USERS_PAGE);
  const last = rows.at(-1);
  return {
    items: rows,
    cursor: rows.length === USERS_PAGE && last ? encodeToken([last.handle, last.uuid]) : null,
    query: { sql, values },
    raw: rows,
  };
}
