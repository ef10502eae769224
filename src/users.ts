/** Cruddur's users by handle, from PostgreSQL `public.users` (the app's own table). */
import type { Participant } from './patterns/items.js';
import { withClient } from './postgres.js';

/** The users with these handles (without `@`); handles not found are simply absent from the map. */
export async function findUsersByHandle(url: string, handles: string[]): Promise<Map<string, Participant>> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ uuid: string; display_name: string; handle: string }>(
      'SELECT uuid::text AS uuid, display_name, handle FROM public.users WHERE handle = ANY($1::text[])',
      [handles],
    );
    return new Map(rows.map((row) => [row.handle, { uuid: row.uuid, displayName: row.display_name, handle: row.handle }]));
  });
}
