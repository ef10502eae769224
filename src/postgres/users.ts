/** Cruddur's users by handle or uuid, from PostgreSQL `public.users` (the app's own table). */
import type { Participant } from '../patterns/items.js';
import { withClient } from './client.js';

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
