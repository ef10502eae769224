/**
 * What a CI step relies on: every command that writes ends with one summary object under -o json (the
 * keys held here: a script asserts on them with jq), `import --replace` leaves exactly the file, and in
 * GitHub Actions an error is also an annotation.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dynamoUrl, oneLineError, run, tableName } from './helpers/cli.js';

async function json(args: string[]): Promise<Record<string, unknown>> {
  const result = await run([...args, '-o', 'json']);
  expect(result.code, result.stderr).toBe(0);
  // One object, and nothing else on stdout.
  const value = JSON.parse(result.stdout) as unknown;
  expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true);
  return value as Record<string, unknown>;
}

describe('summaries under -o json', () => {
  it('schema-load, seed, send, repair, export/import (--replace), copy, reset, drop: one object each, stable keys', async () => {
    const table = tableName('summary');
    const other = tableName('summary-copy');
    const file = join(mkdtempSync(join(tmpdir(), 'cruddur-ci-')), 'fixture.ndjson');

    expect(Object.keys(await json(['schema-load', table])).sort()).toEqual(
      ['arn', 'billing', 'created', 'index', 'key', 'matches', 'seconds', 'status', 'stream', 'table'].sort(),
    );
    const seeded = await json(['seed', '--table', table]);
    expect(Object.keys(seeded).sort()).toEqual(['conversations', 'items', 'itemsPerSecond', 'present', 'reconciled', 'seconds', 'table', 'users', 'usersFrom']);
    expect(seeded).toMatchObject({ table, items: 132, conversations: 3, users: 3, reconciled: 0, usersFrom: 'files' });

    expect((await run(['export', '--table', table, '-f', file])).code).toBe(0);
    // The table changes after the export; import --replace puts it back to exactly the file.
    const sent = await json([
      'send',
      '--table',
      table,
      '--from',
      '5ae290ed-55d1-47a0-bc6d-fe2bc2700399',
      '--to',
      '05f8fbb5-0d69-4c0b-8f0d-3a2c3c3f7d7a',
      'one more',
    ]);
    expect(sent).toHaveProperty('message_group_uuid');
    const repaired = await json(['repair', '--table', table, '--dry-run']);
    expect(repaired).toHaveProperty('conversations');
    const replaced = await json(['import', file, '--table', table, '--replace', '--yes']);
    expect(Object.keys(replaced).sort()).toEqual(['created', 'deleted', 'file', 'items', 'itemsPerSecond', 'replaced', 'seconds', 'table']);
    expect(replaced).toMatchObject({ table, created: false, deleted: 133, items: 132 });
    const copied = await json(['copy', table, '--from', dynamoUrl(), '--to', 'local', '--to-table', other]);
    expect(Object.keys(copied).sort()).toEqual(['anonymized', 'created', 'from', 'items', 'itemsPerSecond', 'seconds', 'table', 'to', 'toTable']);
    expect(copied).toMatchObject({ items: 132 });
    const emptied = await json(['reset', other]);
    expect(Object.keys(emptied).sort()).toEqual(['deleted', 'seconds', 'table']);
    expect(emptied).toMatchObject({ deleted: 132 });
    const dropped = await json(['drop', other]);
    expect(Object.keys(dropped).sort()).toEqual(['dropped', 'seconds', 'table']);
    await run(['drop', table]);
  }, 120_000);
});

describe('GitHub Actions annotations', () => {
  it('with GITHUB_ACTIONS=true an error is also one ::error line (escaped); elsewhere nothing changes', async () => {
    const args = ['get-conversation', 'not-a-uuid'];
    const plain = await run(args);
    expect(plain.stderr).not.toContain('::');
    const inActions = await run(args, { env: { GITHUB_ACTIONS: 'true' } });
    expect(inActions.code).toBe(plain.code);
    const [line, annotation, ...rest] = inActions.stderr.trimEnd().split('\n');
    expect(line).toBe(oneLineError(plain));
    expect(annotation).toMatch(/^::error title=cruddur-ddb arg\.bad_uuid::.*not-a-uuid/);
    expect(rest).toEqual([]);
    // A message cannot end the command early or start another one: newlines and % are escaped.
    const { annotation: make } = await import('../src/core/annotations.js');
    expect(make('error', 'a:b,c', '50% done\n::error::forged')).toBe('::error title=a%3Ab%2Cc::50%25 done%0A::error::forged');
  });

  it('a warning is also a ::warning line', async () => {
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const result = await run(['local', '--in-memory', '--host', '0.0.0.0', '--port', String(port)], { local: false, env: { GITHUB_ACTIONS: 'true' } });
      expect(result.stderr).toMatch(/^Warning: listening on every network interface.*\n::warning title=cruddur-ddb::listening on every network interface/);
      expect(result.stderr).toMatch(/\n::error title=cruddur-ddb local\.port_taken::Port/);
    } finally {
      server.close();
    }
  });
});
