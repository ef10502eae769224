/**
 * V8's code cache for the command line's bundle (src/entry/code-cache.ts), on a copy of the built binary
 * in a folder of its own: the first command writes it beside the bundle, the next ones use it (a cache
 * V8 accepts is never written again), one V8 refuses is written anew, and where the folder beside the
 * bundle cannot be made the cache goes under the user's cache folder. Whether it makes a command faster
 * is measured in bench/cli.bench.mjs, not here.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, cleanEnv } from './helpers/cli.js';

let dir = '';
let bin = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cruddur-code-cache-'));
  bin = join(dir, 'dist', 'bin');
  mkdirSync(bin, { recursive: true });
  for (const file of ['cruddur-ddb.cjs', 'help.cjs', 'cli.cjs']) copyFileSync(join(dirname(CLI), file), join(bin, file));
  copyFileSync(join(dirname(CLI), '..', '..', 'package.json'), join(dir, 'package.json'));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const env = (extra: Record<string, string> = {}) => {
  const result = spawnSync(process.execPath, [join(bin, 'cruddur-ddb.cjs'), 'env', '-o', 'json'], {
    encoding: 'utf8',
    env: cleanEnv({ HOME: join(dir, 'home'), XDG_CACHE_HOME: join(dir, 'xdg'), AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9', ...extra }, false),
  });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, { value: string }>;
};
const besideTheBundle = () => (existsSync(join(bin, '.v8-cache')) ? readdirSync(join(bin, '.v8-cache')) : []);
const NAME = new RegExp(`^cli-[0-9a-f]{16}-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.v8$`);

describe("V8's code cache for the command line", () => {
  it('is written beside the bundle by the first command, then used as it is: the same answers, the file untouched', () => {
    const first = env();
    const [cache] = besideTheBundle();
    expect(cache).toMatch(NAME);
    const file = join(bin, '.v8-cache', cache!);
    expect(statSync(file).size).toBeGreaterThan(100_000); // the functions the command ran, not only the top level
    const written = statSync(file).mtimeMs;
    const second = env();
    expect(second.environment).toEqual(first.environment);
    expect(second.dynamodb).toEqual(first.dynamodb);
    expect(statSync(file).mtimeMs).toBe(written);
    expect(besideTheBundle()).toEqual([cache]); // nothing half-written left
  });

  it('is written anew when V8 refuses the one there, and the command runs all the same', () => {
    env();
    const [cache] = besideTheBundle();
    const file = join(bin, '.v8-cache', cache!);
    writeFileSync(file, Buffer.alloc(4096, 7));
    expect(env().environment?.value).toBe('local');
    expect(readFileSync(file).equals(Buffer.alloc(4096, 7))).toBe(false);
    expect(statSync(file).size).toBeGreaterThan(100_000);
  });

  it('under Node options of its own is a file of its own, so runs with and without them keep theirs', () => {
    env();
    const plain = besideTheBundle();
    expect(plain).toEqual([expect.stringMatching(NAME)]);
    const written = statSync(join(bin, '.v8-cache', plain[0]!)).mtimeMs;
    env({ NODE_OPTIONS: '--max-semi-space-size=8' });
    env({ NODE_OPTIONS: '--max-semi-space-size=8' });
    const both = besideTheBundle();
    expect(both).toHaveLength(2);
    expect(both.find((name) => name !== plain[0])).toMatch(/^cli-[0-9a-f]{16}-v[\d.]+-[a-z0-9]+-[0-9a-f]{8}\.v8$/);
    env();
    expect(statSync(join(bin, '.v8-cache', plain[0]!)).mtimeMs).toBe(written);
  });

  it("goes under the user's cache folder when the folder beside the bundle cannot be made", () => {
    writeFileSync(join(bin, '.v8-cache'), 'not a folder');
    env();
    expect(readdirSync(join(dir, 'xdg', 'cruddur-ddb'))).toEqual([expect.stringMatching(NAME)]);
  });

  it("of another build is not this build's: the bundle's hash is in the name; another build's a week old goes", () => {
    mkdirSync(join(bin, '.v8-cache'));
    const stale = join(bin, '.v8-cache', `cli-fedcba9876543210-${process.version}-${process.arch}.v8`);
    writeFileSync(stale, 'an old build');
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 60 * 60 * 1000);
    utimesSync(stale, eightDaysAgo, eightDaysAgo);
    env();
    expect(existsSync(stale)).toBe(false);
    const [cache] = besideTheBundle();
    writeFileSync(join(bin, 'cli.cjs'), `${readFileSync(join(bin, 'cli.cjs'), 'utf8')}\n// another build\n`);
    writeFileSync(join(bin, 'cruddur-ddb.cjs'), readFileSync(join(bin, 'cruddur-ddb.cjs'), 'utf8').replace(/"[0-9a-f]{16}"/, '"0123456789abcdef"'));
    env();
    // The first build's cache is new, so it stays beside the second's.
    expect(besideTheBundle()).toHaveLength(2);
    expect(besideTheBundle()).toEqual(expect.arrayContaining([cache, expect.stringContaining('cli-0123456789abcdef-')]));
  });
});
