import { describe, expect, it } from 'vitest';
import { freshDatabase, query } from './helpers/postgres.js';

describe('the test PostgreSQL', () => {
  it("is a real server with a users table shaped like Cruddur's", async () => {
    const url = await freshDatabase();
    await query(url, `INSERT INTO public.users (display_name, handle, email, cognito_user_id) VALUES ($1, $2, $3, 'MOCK')`, [
      'Andrew Brown',
      'andrewbrown',
      'andrew@example.com',
    ]);
    const rows = await query<{ handle: string; version: string }>(url, 'SELECT handle, version() AS version FROM public.users');
    expect(rows[0]?.handle).toBe('andrewbrown');
    expect(rows[0]?.version).toMatch(/^PostgreSQL \d+/);
  });
});
