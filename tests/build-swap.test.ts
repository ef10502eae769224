/**
 * A rebuild under a running command (issue 21): `npm test` or `npm run build` in a clone whose `npm start`
 * stack runs. The running process loads its commands' chunks lazily, by hashed name, from dist/bin/chunks;
 * after the rebuild swaps dist/bin, a chunk whose content changed has another name there. build.mjs carries
 * the previous chunks into the new folder (the package's commands pack holds only the build's own). Here on a copy of the build's inputs in a
 * temporary folder: a `wait` started from the first build is still running when a changed source is built,
 * then made to fail, so it loads the chunks that print its error, which the second build renamed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

const chunks = () => readdirSync(join(dir, 'dist', 'bin', 'chunks')).filter((name) => name.endsWith('.js'));
/** The chunk of src/core/safe-text.ts (the error path imports it lazily). */
const safeTextChunks = () => chunks().filter((name) => name.startsWith('safe-text-'));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cruddur-build-swap-'));
  for (const path of ['package.json', 'build.mjs', 'scripts', 'src']) cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  build();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a rebuild under a running command', () => {
  it('keeps the running command whole: the chunks it has not loaded yet are still there under their old names', async () => {
    const before = safeTextChunks();
    expect(before).toHaveLength(1);
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
      // A change to the module its error path loads: that chunk gets another name.
      appendFileSync(join(dir, 'src', 'core', 'safe-text.ts'), `\nexport const rebuiltAt = '${Date.now()}';\n`);
      build();
      const after = safeTextChunks();
      expect(after.filter((name) => !before.includes(name))).toHaveLength(1);
      expect(child.exitCode).toBeNull();
      held!('<html>not dynamodb</html>');
      const code = await exited;
      expect(stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find module/);
      expect(stderr).toMatch(/^error\[endpoint\.not_dynamodb\]/m);
      expect(code).toBe(1);
      expect(after).toEqual(expect.arrayContaining(before));
    } finally {
      child.kill();
      server.closeAllConnections();
      server.close();
    }
  });

  it("the package's commands pack holds this build's chunks only, not the ones carried for running commands", () => {
    writeFileSync(
      join(dir, 'src', 'core', 'safe-text.ts'),
      `${readText(join(ROOT, 'src', 'core', 'safe-text.ts'))}\nexport const packedAt = '${Date.now()}';\n`,
    );
    build({ npm_command: 'pack' });
    const meta = JSON.parse(readText(join(dir, 'dist', 'bin.meta.json'))) as { outputs: Record<string, unknown> };
    const built = Object.keys(meta.outputs)
      .filter((file) => /\/chunks\/[^/]+\.js$/.test(file))
      .map((file) => file.slice(file.lastIndexOf('/') + 1));
    expect(chunks().length).toBeGreaterThan(built.length); // the carried ones stay in dist/bin/chunks
    const bin = join(dir, 'dist', 'bin');
    const pack = readFileSync(
      join(
        bin,
        readdirSync(bin).find((name) => name.endsWith('.pack'))!,
      ),
    );
    const { files } = JSON.parse(pack.subarray(0, pack.indexOf(10)).toString()) as { files: Array<[string, number]> };
    const packed = files.map(([name]) => name).filter((name) => /^chunks\/[^/]+\.js$/.test(name));
    expect(packed.map((name) => name.slice('chunks/'.length)).sort()).toEqual(built.sort());
  });
});

const readText = (path: string) => readFileSync(path, 'utf8');
