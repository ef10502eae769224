/**
 * `cruddur-ddb send` through the built binary against DynamoDB Local: into an existing conversation
 * (users by uuid, no database), a new one (users by handle, looked up in a real PostgreSQL), and the
 * stream runner then moving the conversation to the new message.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMessageGroup, listMessageGroups, listMessages, type Participant } from '../src/patterns/index.js';
import { createMessagesTable, oneLineError, run, testClient } from './helpers/cli.js';
import { freshDatabase, query } from './helpers/postgres.js';

const client = testClient();
const andrew: Participant = { uuid: '6c0e3b1a-1111-4a2b-9c3d-000000000001', displayName: 'Andrew Brown', handle: 'andrewbrown' };
const bayko: Participant = { uuid: '6c0e3b1a-1111-4a2b-9c3d-000000000002', displayName: 'Andrew Bayko', handle: 'bayko' };

const newTable = () => createMessagesTable('send');

describe('send, users by uuid (no database)', () => {
  it('writes into the conversation they share, with both names from the group items; stream then moves it', async () => {
    const table = await newTable();
    const group = await createMessageGroup(client, table, { sender: andrew, recipient: bayko, message: 'hi', createdAt: '2026-11-25T05:00:00Z' });
    const sent = await run([
      'send',
      '--table',
      table,
      '--from',
      bayko.uuid,
      '--to',
      andrew.uuid,
      'hello from bayko',
      '--at',
      '2026-11-25T05:01:00Z',
      '-o',
      'json',
    ]);
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout)).toEqual({
      message_group_uuid: group.message_group_uuid,
      uuid: expect.any(String),
      display_name: 'Andrew Bayko',
      handle: 'bayko',
      message: 'hello from bayko',
      created_at: '2026-11-25T05:01:00.000000+00:00',
      new_conversation: false,
    });
    expect(sent.stderr).toMatch(/stream --once/);
    const { items } = await listMessages(client, table, group.message_group_uuid);
    expect(items.map((m) => [m.handle, m.message])).toEqual([
      ['andrewbrown', 'hi'],
      ['bayko', 'hello from bayko'],
    ]);
    // The group items still show the first message until the stream moves them.
    expect((await listMessageGroups(client, table, andrew.uuid)).items[0]?.message).toBe('hi');
    const streamed = await run(['stream', '--once', '--table', table, '--checkpoint-dir', `/tmp/cruddur-send-${randomBytes(4).toString('hex')}`]);
    expect(streamed.code).toBe(0);
    expect((await listMessageGroups(client, table, andrew.uuid)).items[0]).toMatchObject({ handle: 'bayko', message: 'hello from bayko' });
  });

  it('cannot start a conversation without names, and says how', async () => {
    const table = await newTable();
    const result = await run(['send', '--table', table, '--from', andrew.uuid, '--to', bayko.uuid, 'hi']);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/share no conversation .* Set CONNECTION_URL/);
  });

  it('needs PostgreSQL for handles, and rejects bad input with exit code 2', async () => {
    const noDb = await run(['send', '--from', 'andrewbrown', '--to', '@bayko', 'hi']);
    expect(noDb.code).toBe(1);
    expect(oneLineError(noDb)).toMatch(/No PostgreSQL configured to look up @andrewbrown and @bayko\. Set CONNECTION_URL/);
    for (const [args, pattern] of [
      [['--from', 'bayko', '--to', '@bayko', 'hi'], /same user/],
      [['--from', 'bayko', '--to', 'andrewbrown', '  '], /Give the message text/],
      [['--from', 'not a handle', '--to', 'bayko', 'hi'], /--from must be a handle or a user uuid/],
      [['--from', 'bayko', '--to', 'andrewbrown', 'hi', '--at', 'yesterday'], /--at must be an ISO-8601 date or time/],
      [['--to', 'bayko', 'hi'], /required option '--from <user>'/],
    ] as const) {
      const result = await run(['send', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(oneLineError(result)).toMatch(pattern);
    }
  });

  it('has examples in its help', async () => {
    const help = await run(['send', '--help']);
    expect(help.stdout).toMatch(/Examples:\n {2}\$ .*cruddur-ddb send/);
  });
});

describe('send, users by handle (PostgreSQL public.users)', () => {
  let url = '';

  beforeAll(async () => {
    url = await freshDatabase();
    for (const user of [andrew, bayko]) {
      await query(url, "INSERT INTO public.users (uuid, display_name, handle, email, cognito_user_id) VALUES ($1, $2, $3, $4, 'MOCK')", [
        user.uuid,
        user.displayName,
        user.handle,
        `${user.handle}@example.com`,
      ]);
    }
  });

  it('starts a conversation between two handles, then writes into it', async () => {
    const table = await newTable();
    const env = { CONNECTION_URL: url };
    const first = await run(['send', '--table', table, '--from', 'andrewbrown', '--to', '@bayko', 'first!', '-o', 'json'], { env });
    expect(first.code).toBe(0);
    const started = JSON.parse(first.stdout);
    expect(started).toMatchObject({ handle: 'andrewbrown', display_name: 'Andrew Brown', message: 'first!', new_conversation: true });
    expect((await listMessageGroups(client, table, bayko.uuid)).items).toEqual([
      { uuid: started.message_group_uuid, display_name: 'Andrew Brown', handle: 'andrewbrown', message: 'first!', created_at: started.created_at },
    ]);
    const reply = await run(['send', '--table', table, '--from', bayko.uuid, '--to', 'andrewbrown', 'reply', '-o', 'json'], { env });
    expect(reply.code).toBe(0);
    expect(JSON.parse(reply.stdout)).toMatchObject({ message_group_uuid: started.message_group_uuid, handle: 'bayko', new_conversation: false });
  });

  it('names a handle that is not there', async () => {
    const result = await run(['send', '--from', 'andrewbrown', '--to', 'nobody', 'hi'], { env: { CONNECTION_URL: url } });
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/No user @nobody in public.users at postgresql:/);
  });
});
