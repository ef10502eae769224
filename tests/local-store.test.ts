/**
 * `local`'s store: DynamoDB Local in memory, kept in <data dir>/snapshot/ (written at intervals and at stop,
 * restored at start), through the built binary in folders of its own on free ports.
 */
import { DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { freePort } from '../src/local/ports.js';
import { CLI, cleanEnv } from './helpers/cli.js';
import { isRunning, reapAfterTest, runIn, startCli, stateOf, tempFolder, until, type Running } from './helpers/local-stack.js';

const client = (port: number) =>
  new DynamoDBClient({
    endpoint: `http://localhost:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'cruddurlocal', secretAccessKey: 'cruddurlocal' },
  });
const TABLE = 'cruddur-messages';
const marker = (value: string) => ({ pk: { S: 'NOTE#store' }, sk: { S: 'kept' }, v: { S: value } });

/** The snapshot file of the messages table, as text ('' when there is none). */
const snapshotText = (dataDir: string) => {
  const file = join(dataDir, 'snapshot', `${TABLE}.ndjson.gz`);
  return existsSync(file) ? gunzipSync(readFileSync(file)).toString() : '';
};

async function foreground(cwd: string, args: string[]): Promise<Running> {
  const running = startCli(['local', ...args], cwd);
  const ready = await until(() => running.stderr().includes('Ctrl-C stops it') || running.child.exitCode !== null, 120_000, 100);
  expect(ready && running.child.exitCode === null, running.stderr()).toBe(true);
  return running;
}

describe('local: the snapshot store', () => {
  it('keeps what was written across a Ctrl-C and a restart, restores before the seed (which then writes nothing), with its stream on', async () => {
    const cwd = tempFolder();
    const dataDir = join(cwd, 'data');
    const port = await freePort();
    const args = ['--port', String(port), '--data-dir', dataDir, '--schema-load', '--seed', '--snapshot-every', '0'];
    const first = await foreground(cwd, args);
    expect(first.stderr()).toContain(`(in memory, kept in ${join(dataDir, 'snapshot')} at stop, shared database)`);
    expect(first.stderr()).toMatch(/Seeded 132 items/);
    const dynamo = client(port);
    await dynamo.send(new PutItemCommand({ TableName: TABLE, Item: marker('one') }));
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(first.stderr()).toContain(`Kept 133 items of 1 table in ${join(dataDir, 'snapshot')}`);
    expect(snapshotText(dataDir)).toContain('NOTE#store');
    // Nothing of DynamoDB Local's own disk database: the data is in the snapshot alone.
    expect(existsSync(join(dataDir, 'shared-local-instance.db'))).toBe(false);

    const second = await foreground(cwd, args);
    expect(second.stderr()).toMatch(/Restored 133 items of 1 table from \S+ in [\d.]+ s\./);
    expect(second.stderr()).toContain(`The sample conversations are in ${TABLE} already (3 conversations): not written again`);
    expect(second.stderr()).not.toMatch(/Seeded/);
    const got = await dynamo.send(new GetItemCommand({ TableName: TABLE, Key: { pk: marker('').pk, sk: marker('').sk } }));
    expect(got.Item?.v).toEqual({ S: 'one' });
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: TABLE }));
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['message-group-sk-index']);
    dynamo.destroy();
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 300_000);

  it("keeps what was written across a terminal's Ctrl-C, which reaches the whole foreground process group (DynamoDB Local's JVM included) and comes again from a parent", async () => {
    const cwd = tempFolder();
    const dataDir = join(cwd, 'data');
    const port = await freePort();
    // As a shell runs it: the tool leads a process group of its own, and Ctrl-C signals that whole group.
    const child = spawn(process.execPath, [CLI, 'local', '--port', String(port), '--data-dir', dataDir, '--schema-load', '--snapshot-every', '0'], {
      cwd,
      env: cleanEnv({}, false),
      detached: true,
    });
    reapAfterTest(() => [child.pid]);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    expect(await until(() => stderr.includes('Ctrl-C stops it') || child.exitCode !== null, 120_000, 100), stderr).toBe(true);
    const dynamo = client(port);
    await dynamo.send(new PutItemCommand({ TableName: TABLE, Item: marker('terminal') }));
    dynamo.destroy();
    process.kill(-child.pid!, 'SIGINT');
    // `npm start` and its script pass the same Ctrl-C on again, some milliseconds later: the same one, not a
    // second that quits at once.
    await new Promise((resolve) => setTimeout(resolve, 30));
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(0);
    expect(stderr).not.toMatch(/snapshot at stop failed/);
    expect(stderr).toContain(`Kept 1 items of 1 table in ${join(dataDir, 'snapshot')}`);
    expect(snapshotText(dataDir)).toContain('"terminal"');
  }, 300_000);

  it('--detach: a keeper writes snapshots at intervals; a killed DynamoDB Local loses only what came after the last one, and never empties it', async () => {
    const cwd = tempFolder();
    const dataDir = join(cwd, 'data');
    const port = await freePort();
    reapAfterTest(() => stateOf(cwd)?.parts.map((part) => part.pid) ?? []);
    const started = await runIn(cwd, [
      'local',
      '--detach',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      '--schema-load',
      '--snapshot-every',
      '1',
      '-o',
      'json',
    ]);
    expect(started.code, started.stderr).toBe(0);
    expect(JSON.parse(started.stdout)).toMatchObject({ store: 'snapshot', inMemory: false, dataDir });
    const parts = stateOf(cwd)!.parts;
    expect(parts.map((part) => part.name)).toEqual(['DynamoDB Local', 'snapshot keeper']);
    const status = await runIn(cwd, ['local', 'status', '-o', 'json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ store: 'snapshot' });

    const dynamo = client(port);
    await dynamo.send(new PutItemCommand({ TableName: TABLE, Item: marker('interval') }));
    dynamo.destroy();
    expect(await until(() => snapshotText(dataDir).includes('interval'), 30_000, 200)).toBe(true);

    // A crash: DynamoDB Local killed outright. The keeper notices, writes nothing more, and ends.
    const [java, keeper] = parts.map((part) => part.pid);
    process.kill(java!, 'SIGKILL');
    expect(await until(() => !isRunning(keeper!), 10_000, 100)).toBe(true);
    expect(snapshotText(dataDir)).toContain('interval');
    const stop = await runIn(cwd, ['local', 'stop']);
    expect(stop.code).toBe(0);
    expect(stop.stderr).toContain('DynamoDB Local had already ended');
    expect(snapshotText(dataDir)).toContain('interval');
  }, 300_000);

  it('--detach and local stop: the last snapshot is written at stop; --disk keeps the old mode, and its database is converted once', async () => {
    const cwd = tempFolder();
    const dataDir = join(cwd, 'data');
    const port = await freePort();
    reapAfterTest(() => stateOf(cwd)?.parts.map((part) => part.pid) ?? []);
    const disk = await runIn(cwd, ['local', '--detach', '--disk', '--port', String(port), '--data-dir', dataDir, '--schema-load']);
    expect(disk.code, disk.stderr).toBe(0);
    expect(disk.stderr).toContain(`data in ${dataDir}, on disk at every write`);
    let dynamo = client(port);
    await dynamo.send(new PutItemCommand({ TableName: TABLE, Item: marker('from disk') }));
    dynamo.destroy();
    expect((await runIn(cwd, ['local', 'stop'])).code).toBe(0);
    expect(existsSync(join(dataDir, 'shared-local-instance.db'))).toBe(true);

    const converted = await runIn(cwd, ['local', '--detach', '--port', String(port), '--data-dir', dataDir, '--snapshot-every', '0']);
    expect(converted.code, converted.stderr).toBe(0);
    expect(converted.stderr).toMatch(/Converted 1 items of 1 table; the old file is kept as \S+shared-local-instance\.db\.before-snapshots/);
    dynamo = client(port);
    const got = await dynamo.send(new GetItemCommand({ TableName: TABLE, Key: { pk: marker('').pk, sk: marker('').sk } }));
    expect(got.Item?.v).toEqual({ S: 'from disk' });
    await dynamo.send(new PutItemCommand({ TableName: TABLE, Item: marker('at stop') }));
    dynamo.destroy();
    const stop = await runIn(cwd, ['local', 'stop']);
    expect(stop.code).toBe(0);
    expect(stop.stderr).toMatch(/^Stopped DynamoDB Local \(pid \d+\); 1 items of 1 table kept in \S+\.\n$/);
    expect(snapshotText(dataDir)).toContain('at stop');
  }, 300_000);
});
