/** get, put, update, delete: one item, before and after, conditions, the model check, bad input. */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMessagesTable, oneLineError, run, testClient } from './helpers/cli.js';

const GROUP = '6fd7060e-c610-5e79-b5f3-167bc0fa37bb';
const MSG = `MSG#${GROUP}`;
const FIRST = '2025-12-30T09:14:00.000000+00:00';
let table: string;

beforeAll(async () => {
  table = await createMessagesTable('item');
  expect((await run(['seed', '--table', table])).code).toBe(0);
});

async function stored(pk: string, sk: string) {
  const client = testClient();
  try {
    return (await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk }, sk: { S: sk } }, ConsistentRead: true }))).Item;
  } finally {
    client.destroy();
  }
}

describe('get', () => {
  it('prints one seeded item, plain or typed', async () => {
    const plain = await run(['get', table, '--pk', MSG, '--sk', FIRST, '-o', 'json']);
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.stdout)).toMatchObject({ pk: MSG, sk: FIRST, user_handle: 'andrewbrown' });
    const raw = await run(['get', table, '--pk', MSG, '--sk', FIRST, '--raw', '-o', 'json']);
    expect(JSON.parse(raw.stdout)).toMatchObject({ pk: { S: MSG } });
  });

  it('says when there is no such item, and when a key part is missing', async () => {
    const none = await run(['get', table, '--pk', MSG, '--sk', 'nope']);
    expect(none.code).toBe(1);
    expect(oneLineError(none)).toMatch(/^error\[item\.not_found\]: /);
    const missing = await run(['get', table, '--pk', MSG]);
    expect(missing.code).toBe(2);
    expect(oneLineError(missing)).toMatch(/^error\[key\.missing\]: .*--sk/);
  });
});

describe('put', () => {
  it('writes plain JSON and typed JSON, from --item, a file and stdin, with before and after', async () => {
    const first = await run(['put', table, '--item', '{"pk": "NOTE#a", "sk": "1", "n": 5}', '-o', 'json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ before: null, after: { pk: 'NOTE#a', sk: '1', n: 5 } });
    const dir = mkdtempSync(join(tmpdir(), 'put-'));
    writeFileSync(join(dir, 'item.json'), '{"pk": {"S": "NOTE#a"}, "sk": {"S": "1"}, "n": {"N": "6"}}');
    const second = await run(['put', table, '--file', join(dir, 'item.json'), '-o', 'json']);
    expect(JSON.parse(second.stdout)).toEqual({ before: { pk: 'NOTE#a', sk: '1', n: 5 }, after: { pk: 'NOTE#a', sk: '1', n: 6 } });
    const third = await run(['put', table, '-o', 'json'], { input: '{"pk": "NOTE#a", "sk": "2"}' });
    expect(third.code).toBe(0);
    expect((await stored('NOTE#a', '2'))?.pk?.S).toBe('NOTE#a');
  });

  it('leaves the item alone when the condition fails: exit 3', async () => {
    const result = await run(['put', table, '--item', '{"pk": "NOTE#a", "sk": "1", "n": 0}', '--condition', 'attribute_not_exists(pk)']);
    expect(result.code).toBe(3);
    expect(oneLineError(result)).toMatch(/^error\[item\.condition_failed\]: /);
    expect((await stored('NOTE#a', '1'))?.n?.N).toBe('6');
  });

  it('needs --force for a group item without message_group_uuid or a message whose sk is not a time', async () => {
    const group = await run(['put', table, '--item', '{"pk": "GRP#x", "sk": "2026-01-01T00:00:00+00:00"}']);
    expect(group.code).toBe(2);
    expect(oneLineError(group)).toMatch(/^error\[item\.breaks_model\]: .*message_group_uuid/);
    const message = await run(['put', table, '--item', '{"pk": "MSG#x", "sk": "yesterday"}']);
    expect(oneLineError(message)).toMatch(/^error\[item\.breaks_model\]: .*sk must be a time/);
    expect(await stored('MSG#x', 'yesterday')).toBeUndefined();
    const forced = await run(['put', table, '--item', '{"pk": "MSG#x", "sk": "yesterday"}', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/warning: a message item's sk must be a time/);
    // The backend's own forms pass: a naive local time.
    expect((await run(['put', table, '--item', '{"pk": "MSG#x", "sk": "2026-01-01T10:00:00.123456"}'])).code).toBe(0);
  });

  it('refuses bad input before writing: invalid typed JSON, a missing key, a wrong key type, over 400 KB', async () => {
    const typed = await run(['put', table, '--item', '{"pk": {"S": "NOTE#b"}, "sk": {"N": "x"}}']);
    expect(typed.code).toBe(2);
    expect(oneLineError(typed)).toMatch(/^error\[value\.bad_typed_json\]: .*sk\.N/);
    const bad = await run(['put', table, '--item', '{"pk": "NOTE#b"']);
    expect(oneLineError(bad)).toMatch(/^error\[value\.bad_json\]: /);
    const missing = await run(['put', table, '--item', '{"pk": "NOTE#b"}']);
    expect(oneLineError(missing)).toMatch(/^error\[key\.missing\]: .*sk/);
    const wrong = await run(['put', table, '--item', '{"pk": "NOTE#b", "sk": 5}']);
    expect(oneLineError(wrong)).toMatch(/^error\[key\.bad_type\]: .*sk must be of type S/);
    const big = await run(['put', table, '--item', JSON.stringify({ pk: 'NOTE#b', sk: '1', blob: 'x'.repeat(410 * 1024) })]);
    expect(big.code).toBe(2);
    expect(oneLineError(big)).toMatch(/^error\[item\.too_large\]: /);
    expect(await stored('NOTE#b', '1')).toBeUndefined();
  });
});

describe('update and delete', () => {
  it('sets, adds and removes, showing a diff for people and {before, after} for scripts', async () => {
    await run(['put', table, '--item', '{"pk": "NOTE#u", "sk": "1", "n": 1, "gone": true}']);
    const result = await run(['update', table, '--pk', 'NOTE#u', '--sk', '1', '--set', 'text=hello', '--add', 'n=2', '--remove', 'gone', '-o', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ before: { pk: 'NOTE#u', sk: '1', n: 1, gone: true }, after: { pk: 'NOTE#u', sk: '1', n: 3, text: 'hello' } });
    const table_ = await run(['update', table, '--pk', 'NOTE#u', '--sk', '1', '--set', 'text=bye', '-o', 'table']);
    expect(table_.stdout).toMatch(/^~ {2}text +hello +bye$/m);
    expect(table_.stdout).toMatch(/^ {3}pk +NOTE#u +NOTE#u$/m);
  });

  it('changes nothing when the condition fails: exit 3', async () => {
    const result = await run(['update', table, '--pk', 'NOTE#u', '--sk', '1', '--set', 'text=no', '--condition', 'n = :n', '--values', '{":n": 99}']);
    expect(result.code).toBe(3);
    expect(oneLineError(result)).toMatch(/^error\[item\.condition_failed\]: /);
    expect((await stored('NOTE#u', '1'))?.text?.S).toBe('bye');
    const deleted = await run(['delete', table, '--pk', 'NOTE#u', '--sk', '1', '--condition', 'n = :n', '--values', '{":n": 99}']);
    expect(deleted.code).toBe(3);
    expect(await stored('NOTE#u', '1')).toBeDefined();
  });

  it('needs --force to take message_group_uuid off a group item', async () => {
    const group = JSON.parse((await run(['query', table, '--index', 'message-group-sk-index', '--pk', GROUP, '-o', 'json'])).stdout)[0] as {
      pk: string;
      sk: string;
    };
    const result = await run(['update', table, '--pk', group.pk, '--sk', group.sk, '--remove', 'message_group_uuid']);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toMatch(/^error\[item\.breaks_model\]: /);
    expect((await stored(group.pk, group.sk))?.message_group_uuid?.S).toBe(GROUP);
  });

  it('deletes with the old item shown', async () => {
    const result = await run(['delete', table, '--pk', 'NOTE#u', '--sk', '1', '-o', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ before: { pk: 'NOTE#u' }, after: null });
    expect(await stored('NOTE#u', '1')).toBeUndefined();
  });
});
