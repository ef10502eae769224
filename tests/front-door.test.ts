/**
 * What a new user meets first, through the built binary: colour rules, debug traces that point at
 * src/, .cruddur/ kept out of git, the "latest 40 of 112" note, tables that fit an 80-column terminal.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { wantsColor } from '../src/kit/context.js';
import { makeStateDir } from '../src/core/state-dir.js';
import { CLI, cleanEnv, oneLineError, run, spawnCli, tableName } from './helpers/cli.js';

const RED = '\x1b[31m';
const ERASE_LINE = '\x1b[2K';

describe('colour', () => {
  it('FORCE_COLOR turns it on in a pipe; NO_COLOR and --no-color still win', () => {
    expect(wantsColor(undefined, {}, false)).toBe(false);
    expect(wantsColor(undefined, { FORCE_COLOR: '1' }, false)).toBe(true);
    expect(wantsColor(undefined, { FORCE_COLOR: '' }, false)).toBe(true);
    expect(wantsColor(undefined, { FORCE_COLOR: '0' }, true)).toBe(false);
    expect(wantsColor(undefined, { FORCE_COLOR: '1', NO_COLOR: '1' }, true)).toBe(false);
    expect(wantsColor(false, { FORCE_COLOR: '1' }, true)).toBe(false);
    expect(wantsColor(undefined, { TERM: 'dumb' }, true)).toBe(false);
    expect(wantsColor(undefined, {}, true)).toBe(true);
  });

  it('reaches the binary: a red "error[...]:" in a pipe only when forced', async () => {
    expect((await spawnCli(['scan', 'bad!'], { env: { FORCE_COLOR: '1' } })).stderr).toContain(`${RED}error[`);
    expect((await spawnCli(['scan', 'bad!'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stderr).not.toContain('\x1b[');
    expect((await spawnCli(['scan', 'bad!'])).stderr).not.toContain('\x1b[');
  });
});

describe('CRUDDUR_DEBUG', () => {
  it('adds a stack trace that points at src/ files through the shipped source maps', async () => {
    const result = await spawnCli(['scan', 'bad!'], { env: { CRUDDUR_DEBUG: '1' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\n\s+at .*src[\\/]\S+\.ts:\d+:\d+/);
    expect(result.stderr).not.toMatch(/chunks[\\/]/);
  });

  it('without it, one line and no trace', async () => {
    const result = await spawnCli(['scan', 'bad!']);
    expect(oneLineError(result)).toMatch(/not a valid DynamoDB table name/);
  });
});

describe('.cruddur/ keeps itself out of git', () => {
  it('writes .cruddur/.gitignore when it makes a folder inside, and never overwrites one', () => {
    const repo = mkdtempSync(join(tmpdir(), 'cruddur-git-'));
    const git = (...args: string[]) => spawnSync('git', ['-C', repo, ...args], { encoding: 'utf8' });
    expect(git('init', '-q').status).toBe(0);
    const dir = makeStateDir(join(repo, '.cruddur', 'stream'));
    writeFileSync(join(dir, 'checkpoint.json'), '{}');
    expect(git('status', '--porcelain', '--untracked-files=all').stdout).toBe('');
    writeFileSync(join(repo, '.cruddur', '.gitignore'), 'mine\n');
    makeStateDir(join(repo, '.cruddur', 'dynamodb'));
    expect(readFileSync(join(repo, '.cruddur', '.gitignore'), 'utf8')).toBe('mine\n');
  });

  it('leaves folders elsewhere alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cruddur-plain-'));
    makeStateDir(join(dir, 'data'));
    expect(spawnSync('ls', ['-A', dir], { encoding: 'utf8' }).stdout.trim()).toBe('data');
  });
});

/** Runs the binary on a real terminal (util-linux `script`) of the given width; stdout may go to a file. */
function onTerminal(args: string, columns = 80): string {
  const result = spawnSync('script', ['-qec', `stty cols ${columns} rows 40; ${process.execPath} ${CLI} ${args}`, '/dev/null'], {
    encoding: 'utf8',
    env: cleanEnv({}, true),
  });
  // A redrawn progress line ends in "erase line" codes: keep what is left on screen after them.
  return result.stdout
    .replace(/\r/g, '')
    .split('\n')
    .map((line) => {
      const at = line.lastIndexOf(ERASE_LINE);
      return at < 0 ? line : line.slice(at + ERASE_LINE.length);
    })
    .join('\n');
}

describe('on a terminal, with the sample conversations', () => {
  const table = tableName('front');
  let group = '';
  beforeAll(async () => {
    expect((await run(['schema-load', table])).code).toBe(0);
    expect((await run(['seed', '--table', table])).code).toBe(0);
    const list = await run(['list-conversations', '--user-uuid', '5ae290ed-55d1-47a0-bc6d-fe2bc2700399', '--table', table, '-o', 'json']);
    const groups = JSON.parse(list.stdout) as { uuid: string; handle: string }[];
    group = groups.find((g) => g.handle === 'bayko')!.uuid;
    expect(group).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('get-conversation says "latest 40 of 112; --all for every message" on stderr, and nothing in a pipe', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cruddur-out-')), 'out.json');
    const screen = onTerminal(`get-conversation ${group} --table ${table} -o json > ${out}`);
    expect(screen).toContain('latest 40 of 112; --all for every message');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toHaveLength(40);
    const piped = await run(['get-conversation', group, '--table', table]);
    expect(piped.stderr).toBe('');
    const all = onTerminal(`get-conversation ${group} --table ${table} --all -o json > ${out}`);
    expect(all).not.toContain('latest');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toHaveLength(112);
  });

  it('scan and list-conversations fit 80 columns; --wide shows every cell whole', () => {
    for (const args of [`scan ${table}`, `list-conversations --user-uuid 5ae290ed-55d1-47a0-bc6d-fe2bc2700399 --table ${table}`]) {
      const lines = onTerminal(args).trimEnd().split('\n');
      expect(lines.length).toBeGreaterThan(3);
      for (const line of lines) expect(line.length, `${args}: ${line}`).toBeLessThanOrEqual(80);
    }
    const wide = onTerminal(`scan ${table} --wide`).split('\n');
    expect(Math.max(...wide.map((line) => line.length))).toBeGreaterThan(150);
    expect(wide.join('\n')).toContain('5ae290ed-55d1-47a0-bc6d-fe2bc2700399');
  });
});

describe('a reader that stops early', () => {
  it("`2>&1 | head -1` is the reader's choice: exit 0, not a crash on the closed pipe", async () => {
    const table = tableName('pipe');
    expect((await run(['schema-load', table])).code).toBe(0);
    expect((await run(['seed', '--table', table])).code).toBe(0);
    const result = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${CLI}" stream --once --table ${table} --checkpoint-dir "$(mktemp -d)" -o json 2>&1 | head -1; exit \${PIPESTATUS[0]}`],
      {
        encoding: 'utf8',
        env: cleanEnv({}, true),
      },
    );
    expect(result.stdout).toMatch(/^Reading the stream/);
    expect(result.status).toBe(0);
  });
});
