/** get-conversation and list-conversations through the built binary, on seeded data in DynamoDB Local. */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, run, tableName, testClient } from './helpers/cli.js';

const client = testClient();
const ANDREW = '5ae290ed-55d1-47a0-bc6d-fe2bc2700399';
const table = tableName('conv');
let longGroup: string;

type Json = { uuid: string; display_name: string; handle: string; message: string; created_at: string };
const parse = (text: string) => JSON.parse(text) as Json[];

beforeAll(async () => {
  expect((await run(['schema-load', table])).code).toBe(0);
  expect((await run(['seed', '--table', table])).code).toBe(0);
  const groups = parse((await run(['list-conversations', '--user-uuid', ANDREW, '--table', table, '-o', 'json'])).stdout);
  longGroup = groups.find((g) => g.handle === 'bayko')!.uuid;
});

describe('list-conversations', () => {
  it("lists a user's conversations most recent first, in the backend's JSON shape", async () => {
    const result = await run(['list-conversations', 'andrewbrown', '--user-uuid', ANDREW, '--table', table, '-o', 'json']);
    expect(result.code).toBe(0);
    const groups = parse(result.stdout);
    expect(groups.map((g) => [g.handle, g.created_at])).toEqual([
      ['londo', '2026-11-21T18:44:00.000000+00:00'],
      ['bayko', '2026-01-01T12:55:00.000000+00:00'],
    ]);
    expect(Object.keys(groups[0]!)).toEqual(['uuid', 'display_name', 'handle', 'message', 'created_at']);
    expect(groups[0]).toMatchObject({ display_name: 'Londo Mollari', message: 'Works for me. See you there.' });
  });

  it('prints a table with the other participant, time, preview and uuid; an empty list says so', async () => {
    const result = await run(['list-conversations', '--user-uuid', ANDREW, '--table', table, '-o', 'table'], { env: { TZ: 'UTC' } });
    expect(result.stdout).toMatch(/@londo \(Londo Mollari\) .* 2026-11-21 18:44 .* Works for me/);
    expect(result.stdout).toContain(longGroup);
    const nobody = '00000000-0000-4000-8000-000000000000';
    const none = await run(['list-conversations', '--user-uuid', nobody, '--table', table, '-o', 'table']);
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/00000000-0000-4000-8000-000000000000 has no conversations in conv-/);
    // Not a uuid at all: the command line's fault (exit 2), not an empty list.
    expect((await run(['list-conversations', '--user-uuid', 'nobody', '--table', table])).code).toBe(2);
  });

  it('without a database or --user-uuid says which to use', async () => {
    const result = await run(['list-conversations', 'andrewbrown', '--table', table]);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/No PostgreSQL configured to look up @andrewbrown\. Set CONNECTION_URL .* or pass --user-uuid/);
  });
});

describe('get-conversation', () => {
  it('prints the latest 40 messages by default, oldest first', async () => {
    const result = await run(['get-conversation', longGroup, '--table', table, '-o', 'json']);
    expect(result.code).toBe(0);
    const messages = parse(result.stdout);
    expect(messages).toHaveLength(40);
    expect(messages.at(-1)?.message).toBe("We'll see. Have a good evening!");
    const times = messages.map((m) => m.created_at);
    expect([...times].sort()).toEqual(times);
    expect(Object.keys(messages[0]!)).toEqual(['uuid', 'display_name', 'handle', 'message', 'created_at']);
  });

  it('--all reads every page, --limit the latest n, across the new year', async () => {
    const all = parse((await run(['get-conversation', longGroup, '--table', table, '--all', '-o', 'json'])).stdout);
    expect(all).toHaveLength(112);
    expect(all[0]?.created_at.startsWith('2025-12-30')).toBe(true);
    expect(all.at(-1)?.created_at.startsWith('2026-01-01')).toBe(true);
    const ndjson = (await run(['get-conversation', longGroup, '--table', table, '--limit', '3', '-o', 'ndjson'])).stdout.trim().split('\n');
    expect(ndjson.map((line) => (JSON.parse(line) as Json).message)).toEqual(all.slice(-3).map((m) => m.message));
  });

  it('--since and --until pick a time range (bare dates are whole UTC days)', async () => {
    const result = await run([
      'get-conversation',
      longGroup,
      '--table',
      table,
      '--all',
      '--since',
      '2025-12-31',
      '--until',
      '2026-01-01T00:01:30Z',
      '-o',
      'json',
    ]);
    expect(parse(result.stdout).map((m) => m.created_at)).toEqual(['2026-01-01T00:00:00.000000+00:00', '2026-01-01T00:01:00.000000+00:00']);
    const dec30 = parse((await run(['get-conversation', longGroup, '--table', table, '--all', '--until', '2025-12-30', '-o', 'json'])).stdout);
    expect(dec30.length).toBeGreaterThan(50);
    expect(dec30.every((m) => m.created_at.startsWith('2025-12-30'))).toBe(true);
    const none = await run(['get-conversation', longGroup, '--table', table, '--since', '2030-01-01', '-o', 'table']);
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/No messages in conversation .* in that time range/);
  });

  it('refuses a bad date or limit as a usage error, and says when a conversation does not exist', async () => {
    const bad = await run(['get-conversation', longGroup, '--table', table, '--since', 'last tuesday']);
    expect(bad.code).toBe(2);
    expect(oneLineError(bad)).toMatch(/--since must be an ISO-8601 date or time, got "last tuesday"/);
    expect((await run(['get-conversation', longGroup, '--table', table, '--until', '2026-02-30'])).code).toBe(2);
    expect((await run(['get-conversation', longGroup, '--table', table, '--limit', '0'])).code).toBe(2);
    const unknown = await run(['get-conversation', '00000000-0000-4000-8000-00000000beef', '--table', table]);
    expect(unknown.code).toBe(1);
    expect(oneLineError(unknown)).toMatch(/No conversation 00000000-0000-4000-8000-00000000beef in table conv-\w+ \(local\)/);
    const notUuid = await run(['get-conversation', 'no-such-group', '--table', table]);
    expect(notUuid.code).toBe(2);
    expect(oneLineError(notUuid)).toMatch(/message_group_uuid must be a uuid/);
  });

  it('shows sender, local time and message in the table', async () => {
    const result = await run(['get-conversation', longGroup, '--table', table, '--limit', '1', '-o', 'table'], { env: { TZ: 'Asia/Tokyo' } });
    expect(result.stdout).toMatch(/@bayko .* 2026-01-01 21:55 .* We'll see\. Have a good evening!/);
  });

  it('reads messages shaped the way the Flask backend writes them', async () => {
    const FLASK_GROUP = 'f1a5c000-0000-4000-8000-000000000001';
    // boto3 put_item: created_at from Python isoformat() (no fraction when microsecond is 0).
    const put = (sk: string, text: string) =>
      client.send(
        new PutItemCommand({
          TableName: table,
          Item: {
            pk: { S: `MSG#${FLASK_GROUP}` },
            sk: { S: sk },
            message: { S: text },
            message_uuid: { S: `uuid-${text}` },
            user_uuid: { S: ANDREW },
            user_display_name: { S: 'Andrew Brown' },
            user_handle: { S: 'andrewbrown' },
          },
        }),
      );
    await put('2026-11-25T03:07:49.788804+00:00', 'second');
    await put('2026-11-25T03:07:49+00:00', 'first');
    const result = await run(['get-conversation', FLASK_GROUP, '--table', table, '-o', 'json']);
    expect(parse(result.stdout)).toEqual([
      { uuid: 'uuid-first', display_name: 'Andrew Brown', handle: 'andrewbrown', message: 'first', created_at: '2026-11-25T03:07:49+00:00' },
      { uuid: 'uuid-second', display_name: 'Andrew Brown', handle: 'andrewbrown', message: 'second', created_at: '2026-11-25T03:07:49.788804+00:00' },
    ]);
    const table_ = await run(['get-conversation', FLASK_GROUP, '--table', table, '-o', 'table'], { env: { TZ: 'UTC' } });
    expect(table_.stdout).toMatch(/2026-11-25 03:07 .* first/);
  });
});
