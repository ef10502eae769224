/** `cruddur-ddb local`: a real DynamoDB Local of its own, started and stopped by the binary. */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { freePort } from '../src/aws/local-dynamodb.js';
import { CLI, cleanEnv, oneLineError, run } from './helpers/cli.js';

describe('local', () => {
  it('starts DynamoDB Local with the schema loaded, answers other commands, and stops cleanly on SIGINT', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'cruddur-local-'));
    // Its own folder: .cruddur/ (state, env file) is made there, never in the checkout (issue 21).
    const child = spawn(process.execPath, [CLI, 'local', '--port', String(port), '--data-dir', dataDir, '--schema-load', '-o', 'json'], {
      cwd: mkdtempSync(join(tmpdir(), 'cruddur-local-cwd-')),
      env: cleanEnv({}, false),
    });
    let stderr = '';
    const ready = new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('Ctrl-C stops it')) resolve();
      });
      child.once('exit', () => reject(new Error(`local exited early: ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await ready;
    expect(stderr).toContain(`listens on http://localhost:${port} (in memory, kept in ${join(dataDir, 'snapshot')}`);
    const tables = await run(['list-tables', '-o', 'json', '--endpoint-url', `http://localhost:${port}`], { local: false });
    expect(JSON.parse(tables.stdout)).toEqual(['cruddur-messages']);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/Stopped\.\n$/);
  }, 180_000);

  it('--postgres --cognito: the whole stack, the sample users in all three, settings in .cruddur/env, the same pool on a restart', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cruddur-stack-'));
    const [port, postgresPort, cognitoPort] = [await freePort(), await freePort(), await freePort()];
    const args = ['local', '--port', String(port), '--postgres', '--postgres-port', String(postgresPort), '--cognito', '--cognito-port', String(cognitoPort)];
    // Whatever happens to the test (a timeout, a failed expectation), no stack is left running behind it.
    const running = new Set<ReturnType<typeof spawn>>();
    onTestFinished(async () => {
      for (const child of running) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGINT');
        await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      }
    });
    const start = async (extra: string[]) => {
      const child = spawn(process.execPath, [CLI, ...args, ...extra], { cwd, env: cleanEnv({}, false) });
      running.add(child);
      let stderr = '';
      await new Promise<void>((resolve, reject) => {
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (stderr.includes('Ctrl-C stops it')) resolve();
        });
        child.once('exit', () => reject(new Error(`local exited early: ${stderr}`)));
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      const settings = Object.fromEntries(
        [...readFileSync(join(cwd, '.cruddur', 'env'), 'utf8').matchAll(/^export (\w+)=(.*)$/gm)].map((match) => [match[1]!, match[2]!]),
      );
      return {
        stderr: () => stderr,
        settings,
        stop: async () => {
          child.kill('SIGINT');
          return exited;
        },
      };
    };

    const first = await start(['--schema-load', '--seed']);
    expect(first.stderr()).toContain('source .cruddur/env');
    expect(first.settings).toMatchObject({
      AWS_ENDPOINT_URL_DYNAMODB: `http://localhost:${port}`,
      CONNECTION_URL: `postgresql://postgres@127.0.0.1:${postgresPort}/cruddur`,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: `http://127.0.0.1:${cognitoPort}`,
    });
    const withStack = { local: false, env: first.settings };
    // PostgreSQL knows the sample users by the same uuids as the seeded conversations.
    const inbox = await run(['list-conversations', 'andrewbrown', '-o', 'json'], withStack);
    expect(inbox.code).toBe(0);
    expect((JSON.parse(inbox.stdout) as { handle: string }[]).map((g) => g.handle).sort()).toEqual(['bayko', 'londo']);
    const users = await run(['cognito', 'list-users', '-o', 'json'], withStack);
    expect((JSON.parse(users.stdout) as { handle: string; email: string }[]).map((u) => `${u.handle} ${u.email}`).sort()).toEqual([
      'andrewbrown andrewbrown@example.com',
      'bayko bayko@example.com',
      'londo londo@example.com',
    ]);
    const sync = await run(['update-cognito-user-ids', '-o', 'json'], withStack);
    expect(sync.stderr).toMatch(/^Updated 3, 0 already up to date/);
    expect(await first.stop()).toBe(0);
    expect(first.stderr()).toMatch(
      /SIG[A-Z]+: stopping DynamoDB Local, PostgreSQL, cognito-local\.\.\.\nKept 132 items of 1 table in \S+ \([\d.]+ s\)\.\nStopped\.\n$/,
    );
    expect(readFileSync(join(cwd, '.cruddur', '.gitignore'), 'utf8')).toMatch(/^\*$/m);

    // Everything was kept in .cruddur/: the same pool, the same users, the ids already copied.
    const second = await start([]);
    expect(second.settings.AWS_COGNITO_USER_POOL_ID).toBe(first.settings.AWS_COGNITO_USER_POOL_ID);
    const again = await run(['update-cognito-user-ids', '-o', 'json'], { local: false, env: second.settings });
    expect(again.stderr).toMatch(/^Updated 0, 3 already up to date/);
    expect(await second.stop()).toBe(0);
    // As root in a private temp folder the cluster lives under the system's temp folder instead: remove it.
    const cluster = /PostgreSQL listens on \S+ \(data in ([^)]+)\)/.exec(second.stderr())?.[1];
    expect(cluster).toBeDefined();
    rmSync(cluster!, { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
  }, 240_000);

  it('says what holds a taken port, in one line', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const result = await run(['local', '--in-memory', '--port', String(port)], { local: false });
      expect(result.code).toBe(1);
      expect(oneLineError(result)).toMatch(new RegExp(`Port ${port} is already taken.*--port`));
    } finally {
      server.close();
    }
  });

  it('says Java is missing, in one line', async () => {
    const result = await run(['local', '--in-memory', '--port', String(await freePort())], {
      local: false,
      env: { PATH: '/nonexistent', JAVA_HOME: undefined },
    });
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/Java is not installed.*Java 17/);
  });

  it('rejects a bad port as a usage error', async () => {
    const result = await run(['local', '--port', 'eighty'], { local: false });
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toMatch(/^error\[flag\.bad_number\]: --port must be a whole number from 1 to 65535/);
  });
});
