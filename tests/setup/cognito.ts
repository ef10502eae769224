/**
 * Starts one real cognito-local (an HTTP emulator of the Cognito user-pool API, from the npm package)
 * for the test run, on a free port. It keeps its pools in a `.cognito` folder under its working
 * directory, so it runs in a temporary one. Tests read its URL from COGNITO_TEST_URL and make their
 * own pool with tests/helpers/cognito.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/aws/local-dynamodb.js';

let server: ChildProcess | undefined;
let dir: string | undefined;

export async function setup(): Promise<void> {
  const start = createRequire(import.meta.url).resolve('cognito-local/lib/bin/start.js');
  dir = mkdtempSync(join(tmpdir(), 'cruddur-cognito-'));
  const port = await freePort();
  server = spawn(process.execPath, [start], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  server.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    // Any HTTP answer (even an error for an empty request) means it listens.
    const up = await fetch(url, { method: 'POST' }).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`cognito-local did not start: ${log}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.env.COGNITO_TEST_URL = url;
}

export async function teardown(): Promise<void> {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}
