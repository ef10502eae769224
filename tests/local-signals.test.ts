/**
 * Issue 22 #15: the local stack's servers end with the tool however it ends: a signal at any moment
 * (even before it says it is ready), the tool killed outright, its parent killed (a CI script killing
 * `npx`), or an error after a server started. Each through the built binary, in a folder of its own.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freePort } from '../src/local/ports.js';
import { CLI, cleanEnv } from './helpers/cli.js';
import { answers, isRunning, listenerPid, reapAfterTest, startCli, tempFolder, until } from './helpers/local-stack.js';

/** `local --in-memory` in a folder of its own, started and ready; its JVM reaped after the test. */
async function readyLocal() {
  const port = await freePort();
  const running = startCli(['local', '--in-memory', '--port', String(port)], tempFolder());
  const found: { java?: number } = {};
  reapAfterTest(() => [found.java]);
  expect(await until(() => running.stderr().includes('Ctrl-C stops it'), 60_000)).toBe(true);
  found.java = await listenerPid(port);
  return { port, running, found };
}

describe('local ends its servers however it ends', () => {
  it('SIGTERM the moment DynamoDB Local answers, before local says it is ready: no JVM left on the port', async () => {
    const port = await freePort();
    const running = startCli(['local', '--in-memory', '--port', String(port), '--schema-load', '--seed'], tempFolder());
    const found: { java?: number } = {};
    reapAfterTest(() => [found.java]);
    expect(await until(() => answers(port), 60_000, 10)).toBe(true);
    found.java = await listenerPid(port);
    running.child.kill('SIGTERM');
    const code = await running.exited;
    // Cancelled while starting (130), or, if it had just become ready, a clean stop (0); never the default death (143).
    expect([0, 130]).toContain(code);
    expect(found.java && isRunning(found.java)).toBeFalsy();
    expect(await answers(port)).toBe(false);
  }, 120_000);

  it('SIGHUP (its terminal closed) once ready: a clean stop, exit 0, no JVM left', async () => {
    const { running, found } = await readyLocal();
    running.child.kill('SIGHUP');
    // The default action of SIGHUP would be death by signal (code null) with the JVM left to the watchdog.
    expect(await running.exited).toBe(0);
    expect(running.stderr()).toMatch(/SIGHUP/);
    expect(found.java && isRunning(found.java)).toBeFalsy();
  }, 120_000);

  it('the tool killed with SIGKILL: the watchdog ends DynamoDB Local', async () => {
    const { running, found, port } = await readyLocal();
    expect(found.java && isRunning(found.java)).toBeTruthy();
    running.child.kill('SIGKILL');
    expect(await until(() => !isRunning(found.java!), 15_000)).toBe(true);
    expect(await answers(port)).toBe(false);
  }, 120_000);

  it('its parent killed (as a CI script kills `npx`): the tool and DynamoDB Local end', async () => {
    const port = await freePort();
    // A stand-in for npx: a parent that starts the tool and does not pass signals on.
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `require('node:child_process').spawn(process.execPath, [${JSON.stringify(CLI)}, 'local', '--in-memory', '--port', '${port}'], { stdio: 'inherit' }); setInterval(() => {}, 1000);`,
      ],
      { cwd: tempFolder(), env: cleanEnv({}, false), stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    parent.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const found: { java?: number } = {};
    reapAfterTest(() => [parent.pid, found.java]);
    expect(await until(() => stderr.includes('Ctrl-C stops it'), 60_000)).toBe(true);
    found.java = await listenerPid(port);
    parent.kill('SIGKILL');
    expect(await until(() => !isRunning(found.java!), 15_000)).toBe(true);
    expect(await answers(port)).toBe(false);
  }, 120_000);

  it('an error after DynamoDB Local started (seed wants PostgreSQL users, none configured): exit 1 and no JVM left', async () => {
    const port = await freePort();
    const running = startCli(['local', '--in-memory', '--port', String(port), '--schema-load', '--seed', '--users-from-db'], tempFolder());
    const found: { java?: number } = {};
    reapAfterTest(() => [found.java]);
    void until(async () => (found.java ??= await listenerPid(port)) !== undefined, 60_000, 20);
    expect(await running.exited).toBe(1);
    expect(running.stderr().trim().split('\n').at(-1)).toMatch(/^error\[postgres\.not_configured\]/);
    expect(running.stderr()).toContain('DynamoDB Local listens on');
    expect(await answers(port)).toBe(false);
    expect(found.java === undefined || !isRunning(found.java)).toBe(true);
  }, 120_000);

  it('the whole stack (--postgres --cognito) with the tool killed: all three servers end', async () => {
    const [port, postgresPort, cognitoPort] = [await freePort(), await freePort(), await freePort()];
    const running = startCli(
      [
        'local',
        '--in-memory',
        '--port',
        String(port),
        '--postgres',
        '--postgres-port',
        String(postgresPort),
        '--cognito',
        '--cognito-port',
        String(cognitoPort),
      ],
      tempFolder(),
    );
    const pids: Array<number | undefined> = [];
    reapAfterTest(() => pids);
    expect(await until(() => running.stderr().includes('Ctrl-C stops it'), 120_000)).toBe(true);
    for (const p of [port, postgresPort, cognitoPort]) pids.push(await listenerPid(p));
    expect(pids.every((pid) => pid && isRunning(pid))).toBe(true);
    running.child.kill('SIGKILL');
    expect(await until(() => pids.every((pid) => !isRunning(pid!)), 20_000)).toBe(true);
  }, 180_000);
});
