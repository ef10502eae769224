/**
 * A rebuild under a running command (issue 21): `npm test` or `npm run build` in a clone whose `npm start`
 * stack runs. build.mjs swaps dist/bin in whole; a process already running must not need anything from
 * the folder it started from (the command line is one bundle, read whole at start; it used to load its
 * commands' chunks lazily, by hashed name, and died at the first one a rebuild had renamed). Here on a copy
 * of the build's inputs in a temporary folder: a `wait` started from the first build is still running
 * when a changed source is built, then made to fail, so it runs the code that prints its error.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
let dir: string;

function build(env: NodeJS.ProcessEnv = {}): void {
  const result = spawnSync(process.execPath, ['build.mjs'], { cwd: dir, env: { ...process.env, npm_command: '', ...env }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build.mjs failed: ${result.stderr}`);
}

const bundleHash = () => readFileSync(join(dir, 'dist', 'bin', 'cruddur-ddb.cjs'), 'utf8').match(/"([0-9a-f]{16})"/)?.[1];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cruddur-build-swap-'));
  for (const path of ['package.json', 'build.mjs', 'scripts', 'src']) cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  build();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a rebuild under a running command', () => {
  it('keeps the running command whole: the code it has not run yet is still its own after the swap', async () => {
    const before = bundleHash();
    expect(before).toMatch(/^[0-9a-f]{16}$/);
    // An endpoint that holds `wait`'s first look unanswered: once the look arrives, the command runs with
    // the chunks it needed so far loaded; answered later with a page that is not DynamoDB, it fails at once.
    let held: ((page: string) => void) | undefined;
    let server!: Server;
    const looked = new Promise<void>((arrived) => {
      server = createServer((_request, response) => {
        held ??= (page) => response.writeHead(200, { 'content-type': 'text/html' }).end(page);
        arrived();
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    const child = spawn(
      process.execPath,
      [join(dir, 'dist', 'bin', 'cruddur-ddb.cjs'), 'wait', '--timeout', '300', '--endpoint-url', `http://127.0.0.1:${port}`],
      {
        env: { PATH: process.env.PATH, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1' },
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', done));
    try {
      await looked;
      // A change to the module its error path uses: the bundle is another one.
      appendFileSync(join(dir, 'src', 'core', 'safe-text.ts'), `\nexport const rebuiltAt = '${Date.now()}';\n`);
      build();
      expect(bundleHash()).not.toBe(before);
      expect(child.exitCode).toBeNull();
      held!('<html>not dynamodb</html>');
      const code = await exited;
      expect(stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find module/);
      expect(stderr).toMatch(/^error\[endpoint\.not_dynamodb\]/m);
      expect(code).toBe(1);
    } finally {
      child.kill();
      server.closeAllConnections();
      server.close();
    }
  });

  it("a new build's first command writes its own code cache; the last build's is gone with its folder", () => {
    const cacheOf = () => (existsSync(join(dir, 'dist', 'bin', '.v8-cache')) ? readdirSync(join(dir, 'dist', 'bin', '.v8-cache')) : []);
    const runEnv = { PATH: process.env.PATH, HOME: dir, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1' };
    const env = () => spawnSync(process.execPath, [join(dir, 'dist', 'bin', 'cruddur-ddb.cjs'), 'env', '-o', 'json'], { env: runEnv, encoding: 'utf8' });
    // (The `wait` above, from the build before, wrote its cache at exit under that build's hash: never read here.)
    const ours = () => cacheOf().filter((name) => name.startsWith(`cli-${bundleHash()}-`));
    expect(env().status).toBe(0);
    expect(ours()).toHaveLength(1);
    appendFileSync(join(dir, 'src', 'core', 'safe-text.ts'), `\nexport const rebuiltAgainAt = '${Date.now()}';\n`);
    build();
    expect(cacheOf()).toEqual([]);
    const result = env();
    expect(result.status, result.stderr).toBe(0);
    expect(cacheOf()).toEqual(ours());
    expect(ours()).toHaveLength(1);
  });
});
