/**
 * Tables for people, held at 80, 120 and 200 columns for every command that prints one: no rule between rows,
 * every line within the width, keys and ids (pk, sk, uuids, subs, times) whole or left out (never cut), and
 * what was left out said on stderr with the way to see it. `-o text` is tab-separated with no decoration.
 */
import { describe, expect, it } from 'vitest';
import { addUsers, cognitoUrl, createPool } from './helpers/cognito.js';
import { run, tableName } from './helpers/cli.js';

const WIDTHS = [80, 120, 200] as const;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const ANDREW = '5ae290ed-55d1-47a0-bc6d-fe2bc2700399';
const WITH_BAYKO = '6fd7060e-c610-5e79-b5f3-167bc0fa37bb';

let seeded: Promise<string> | undefined;
function seededTable(): Promise<string> {
  seeded ??= (async () => {
    const table = tableName('tables');
    expect((await run(['schema-load', table])).code).toBe(0);
    expect((await run(['seed', '--table', table])).code).toBe(0);
    return table;
  })();
  return seeded;
}

/** The lines of a table as printed at `width` columns, with what it said on stderr. */
async function tableAt(width: number, args: string[]) {
  const result = await run(args, { terminalWidth: width });
  expect(result.code, result.stderr).toBe(0);
  const lines = result.stdout.trimEnd().split('\n');
  return { lines, stderr: result.stderr, header: lines[0]!, rule: lines[1]!, rows: lines.slice(2) };
}

/** What every table holds: one header, one rule of ─ under it, no other rule, every line within the width. */
function expectShape(table: Awaited<ReturnType<typeof tableAt>>, width: number, rows: number) {
  for (const line of table.lines) expect(line.length, line).toBeLessThanOrEqual(width);
  expect(table.rule).toMatch(/^[─ ]+$/);
  expect(table.rows).toHaveLength(rows);
  for (const row of table.rows) expect(row).not.toMatch(/^[─┼├┤|+ -]+$/);
  expect(table.lines.join('\n')).not.toMatch(/[│┌└┐┘├┤]/);
}

/** Every uuid-shaped value on screen is whole (a cut one would end in … before its 36 characters). */
function expectIdsWhole(text: string) {
  expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f-]{0,27}…/);
  expect(text).not.toMatch(/(MSG|GRP)#[0-9a-f-]{0,35}…/);
  expect(text).not.toMatch(/\d{4}-\d\d(-\d\d)?(T[\d:.]*)?…/);
}

describe.each(WIDTHS)('tables at %i columns', (width) => {
  it('scan: pk and sk whole; what does not fit is left out whole and named, never cut', async () => {
    const table = await seededTable();
    const shown = await tableAt(width, ['scan', table, '--limit', '5']);
    expectShape(shown, width, 5);
    expectIdsWhole(shown.lines.join('\n'));
    expect(shown.header).toMatch(/^pk +sk/);
    for (const row of shown.rows) expect(row).toMatch(/^(MSG|GRP)#[0-9a-f-]{36} +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00/);
    const all = ['message', 'message_uuid', 'user_display_name', 'user_handle', 'user_uuid'];
    const left = all.filter((name) => !shown.header.split(/ {2,}/).includes(name));
    if (left.length > 0) {
      const note = shown.stderr.split('\n').find((line) => line.startsWith('left out to fit (see --wide, --columns): '))!;
      expect(note.length).toBeLessThanOrEqual(width);
      expect(`left out to fit (see --wide, --columns): ${left.join(', ')}`.startsWith(note.replace(/…$/, ''))).toBe(true);
    } else expect(shown.stderr).not.toContain('left out');
    if (width === 200) expect(left).toEqual([]);
  });

  it('get-conversation: from, time whole, the message takes what is left', async () => {
    await seededTable();
    const table = await seededTable();
    const shown = await tableAt(width, ['get-conversation', WITH_BAYKO, '--table', table, '--limit', '40']);
    expectShape(shown, width, 40);
    expect(shown.header).toMatch(/^from +time +message$/);
    for (const row of shown.rows) expect(row).toMatch(/^@\w+ +\d{4}-\d\d-\d\d \d\d:\d\d {2}\S/);
    expect(shown.lines).toHaveLength(42); // 40 rows, a header and its rule: nothing between the rows
  });

  it('list-conversations: the uuid and the time whole; the preview goes first when short of room', async () => {
    const table = await seededTable();
    const shown = await tableAt(width, ['list-conversations', '--user-uuid', ANDREW, '--table', table]);
    expectShape(shown, width, 2);
    expectIdsWhole(shown.lines.join('\n'));
    expect(shown.lines.join('\n').match(UUID)).toHaveLength(2);
    for (const row of shown.rows) expect(row).toMatch(/@\w+ \([^)…]+\) +\d{4}-\d\d-\d\d \d\d:\d\d/);
    if (width === 80) expect(shown.stderr).toContain('left out to fit (see --wide, --columns): preview\n');
    else expect(shown.header).toContain('preview');
  });

  it('list-tables and the key/value records (env, schema-load): one line a setting', async () => {
    const table = await seededTable();
    const tables = await tableAt(width, ['list-tables']);
    expectShape(tables, width, tables.rows.length);
    expect(tables.rows).toContain(table);
    const env = await tableAt(width, ['env', '--table', table]);
    expectShape(env, width, env.rows.length);
    expect(env.rows.length).toBeGreaterThanOrEqual(7);
    expect(env.rows.find((row) => row.startsWith('messages table'))).toMatch(new RegExp(`${table} \\[--table\\]`));
    const again = await tableAt(width, ['schema-load', table]);
    expectShape(again, width, again.rows.length);
  });

  it('cognito list-users: username and sub whole', async () => {
    const poolId = await createPool();
    const [user] = await addUsers(poolId, [{ email: 'a.rather.long.address.for.a.table@example.com', handle: 'andrewbrown' }]);
    const shown = await tableAt(width, ['cognito', 'list-users', '--user-pool-id', poolId, '--cognito-endpoint-url', cognitoUrl()]);
    expectShape(shown, width, 1);
    expectIdsWhole(shown.lines.join('\n'));
    expect(shown.rows[0]).toContain(user!.sub);
    expect(shown.rows[0]).toContain(user!.username);
  });
});

describe('-o text and --columns', () => {
  it('prints tab-separated cells, no header, no rule; --columns picks and orders them', async () => {
    const table = await seededTable();
    const text = await run(['get-conversation', WITH_BAYKO, '--table', table, '--limit', '3', '-o', 'text']);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line.split('\t')).toHaveLength(3);
    expect(lines.at(-1)).toMatch(/^@bayko\t2026-01-01 12:55\tWe'll see\. Have a good evening!$/);

    const picked = await run(['scan', table, '--limit', '2', '-o', 'text', '--columns', 'sk,pk']);
    for (const line of picked.stdout.trimEnd().split('\n')) expect(line).toMatch(/^\d{4}-[^\t]+\t(MSG|GRP)#[0-9a-f-]{36}$/);
    const record = await run(['env', '-o', 'text']);
    expect(record.stdout).toMatch(/^environment\tlocal +\[default\]$/m);

    const wrong = await run(['scan', table, '--limit', '1', '-o', 'text', '--columns', 'pk,nope']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^error\[output\.column_unknown\]: No column "nope" in this output\. Use --columns with some of: pk, sk, message/);
    expect(wrong.stdout).toBe('');
  });

  it('a table narrowed with --columns shows just those, in that order', async () => {
    const table = await seededTable();
    const shown = await tableAt(80, ['scan', table, '--limit', '3', '--columns', 'sk,message']);
    expect(shown.header).toMatch(/^sk +message$/);
    expect(shown.stderr).not.toContain('left out');
  });
});
