/**
 * One `local` per data folder (src/local/data-lock.ts): a second `local` on a folder in use, foreground or
 * --detach, starts nothing and leaves the first one's snapshots alone; a claim whose process has ended,
 * or whose pid is now another process, is taken over. The built binary on real DynamoDB Local, in folders
 * of its own, on free ports.
 */
import { PutItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { claimDataDir, OWNER_FILE, releaseDataDir } from '../src/local/data-lock.js';
import { freePort } from '../src/local/ports.js';
import { identify } from '../src/local/processes.js';
import { answers, reapAfterTest, runIn, startCli, stateOf, tempFolder, until, type Running } from './helpers/local-stack.js';

const TABLE = 'cruddur-messages';
const client = (port: number) =>
  new DynamoDBClient({
    endpoint: `http://localhost:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'cruddurlocal', secretAccessKey: 'cruddurlocal' },
  });
const marker = (value: string) => ({ pk: { S: 'NOTE#lock' }, sk: { S: value }, v: { S: value } });

/** Every file of the snapshot folder with its size, time and bytes: what "untouched" means. */
function snapshotPrint(dataDir: string): string {
  const dir = join(dataDir, 'snapshot');
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const stat = statSync(join(dir, name));
      return `${name} ${stat.size} ${stat.mtimeMs} ${readFileSync(join(dir, name)).toString('base64')}`;
    })
    .join('\n');
}

const snapshotText = (dataDir: string) => gunzipSync(readFileSync(join(dataDir, 'snapshot', `${TABLE}.ndjson.gz`))).toString();

async function foreground(cwd: string, args: string[]): Promise<Running> {
  const running = startCli(['local', ...args], cwd);
  const ready = await until(() => running.stderr().includes('Ctrl-C stops it') || running.child.exitCode !== null, 120_000, 100);
  expect(ready && running.child.exitCode === null, running.stderr()).toBe(true);
  return running;
}

/** A second `local` refused: exit 1 within `ms`, and its one line. */
async function refused(cwd: string, args: string[], ms = 30_000): Promise<{ code: number | null; stderr: string }> {
  const second = startCli(['local', ...args], cwd);
  const ended = await until(() => second.child.exitCode !== null, ms, 50);
  if (!ended) second.child.kill('SIGINT'); // the old code starts a second one: stop it, and fail below
  return { code: await second.exited, stderr: second.stderr() };
}

describe('local: one per data folder', () => {
  it('a second foreground (or --detach) local on a data folder in use starts nothing, names the pid, and leaves the snapshots alone', async () => {
    const dataDir = join(tempFolder(), 'data');
    const [firstCwd, secondCwd] = [tempFolder(), tempFolder()];
    const [port, otherPort] = [await freePort(), await freePort()];
    const args = ['--data-dir', dataDir, '--snapshot-every', '0'];
    // A snapshot from an earlier run, then the first `local` serving it.
    let first = await foreground(firstCwd, ['--port', String(port), ...args, '--schema-load']);
    let dynamo = client(port);
    await dynamo.send(new PutItemCommand({ TableName: TABLE, Item: marker('earlier') }));
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(existsSync(join(dataDir, OWNER_FILE))).toBe(false);
    first = await foreground(firstCwd, ['--port', String(port), ...args]);
    await dynamo.send(new PutItemCommand({ TableName: TABLE, Item: marker('first') }));
    const before = snapshotPrint(dataDir);

    const second = await refused(secondCwd, ['--port', String(otherPort), ...args]);
    expect(second.code).toBe(1);
    const pid = first.child.pid!;
    expect(second.stderr).toMatch(
      new RegExp(
        `^error\\[local\\.data_dir_in_use\\]: Not started: \`cruddur-ddb local\` \\(pid ${pid}, started [^ ]+ in ${firstCwd}\\) already keeps its data in ${dataDir}; a second one would overwrite its snapshots\\. Stop that one first \\(Ctrl-C in its terminal, or \`kill ${pid}\`\\), or give this one another --data-dir, or --in-memory\\n$`,
      ),
    );
    expect(await answers(otherPort)).toBe(false);
    expect(existsSync(join(secondCwd, '.cruddur', 'env'))).toBe(false);
    // --detach on the folder is refused the same way, and leaves no claim of its own behind.
    const detached = await refused(secondCwd, ['--detach', '--port', String(otherPort), ...args]);
    expect(detached.code).toBe(1);
    expect(detached.stderr).toMatch(/^error\[local\.data_dir_in_use\]: Not started: `cruddur-ddb local` \(pid \d+/);
    expect(stateOf(secondCwd)).toBeUndefined();
    expect(snapshotPrint(dataDir)).toBe(before);

    // The first one goes on as if nothing happened: its snapshot at stop has what it was given.
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(snapshotText(dataDir)).toContain('"first"');
    expect(existsSync(join(dataDir, OWNER_FILE))).toBe(false);
    dynamo.destroy();
    // Now free: the folder's next `local` starts, on the first one's data.
    const next = await foreground(secondCwd, ['--port', String(otherPort), ...args]);
    dynamo = client(otherPort);
    await dynamo.send(new PutItemCommand({ TableName: TABLE, Item: marker('next') }));
    dynamo.destroy();
    next.child.kill('SIGINT');
    expect(await next.exited).toBe(0);
    expect(snapshotText(dataDir)).toMatch(/"first"[^]*"next"|"next"[^]*"first"/);
  }, 400_000);

  it('a --detach stack holds its data folder until `local stop`; a foreground local is told where to stop it', async () => {
    const dataDir = join(tempFolder(), 'data');
    const [firstCwd, secondCwd] = [tempFolder(), tempFolder()];
    const [port, otherPort] = [await freePort(), await freePort()];
    reapAfterTest(() => stateOf(firstCwd)?.parts.map((part) => part.pid) ?? []);
    const started = await runIn(firstCwd, ['local', '--detach', '--port', String(port), '--data-dir', dataDir, '--snapshot-every', '1']);
    expect(started.code, started.stderr).toBe(0);
    const java = stateOf(firstCwd)!.parts[0]!.pid;
    const second = await refused(secondCwd, ['--port', String(otherPort), '--data-dir', dataDir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      `error[local.data_dir_in_use]: Not started: the stack of \`cruddur-ddb local --detach\` (DynamoDB Local pid ${java}, started in ${firstCwd}) keeps its data in ${dataDir}; a second \`local\` would overwrite its snapshots. Stop it first (\`npx cruddur-ddb local stop\` in ${firstCwd}), or give this one another --data-dir, or --in-memory\n`,
    );
    expect(await answers(otherPort)).toBe(false);
    const stop = await runIn(firstCwd, ['local', 'stop']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(existsSync(join(dataDir, OWNER_FILE))).toBe(false);
  }, 300_000);

  it('a foreground local killed outright (SIGKILL) leaves a claim the next one takes over', async () => {
    const dataDir = join(tempFolder(), 'data');
    const cwd = tempFolder();
    const [port, otherPort] = [await freePort(), await freePort()];
    const args = ['--data-dir', dataDir, '--snapshot-every', '0'];
    const killed = await foreground(cwd, ['--port', String(port), ...args]);
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(JSON.parse(readFileSync(join(dataDir, OWNER_FILE), 'utf8')).owner.pid).toBe(killed.child.pid);
    const next = await foreground(cwd, ['--port', String(otherPort), ...args]);
    expect(next.stderr()).not.toMatch(/data_dir_in_use/);
    next.child.kill('SIGINT');
    expect(await next.exited).toBe(0);
    expect(existsSync(join(dataDir, OWNER_FILE))).toBe(false);
  }, 300_000);

  it('takes over a claim whose process has ended or whose pid is now another process; a live one is refused', async () => {
    const dataDir = tempFolder();
    const owner = join(dataDir, OWNER_FILE);
    const claimOf = (pid: number, startTime: string, extra: object = {}) =>
      JSON.stringify({ state: 'starting', owner: { pid, startTime }, startedAt: '2026-01-01T00:00:00Z', parts: [], foreground: true, ...extra });
    // Ended: a process that has exited.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(owner, claimOf(gone, '1'));
    let claim = claimDataDir(dataDir, { foreground: true, cwd: dataDir });
    expect(claim.owner.pid).toBe(process.pid);
    releaseDataDir(dataDir, claim);
    expect(existsSync(owner)).toBe(false);
    // Reused: this very pid, but with another start time (the recorded process ended; the number came back).
    writeFileSync(owner, claimOf(process.pid, '0'));
    claim = claimDataDir(dataDir, { foreground: true, cwd: dataDir });
    expect(JSON.parse(readFileSync(owner, 'utf8')).owner).toEqual(identify(process.pid));
    // A claim taken over by another is not ours to remove.
    writeFileSync(owner, claimOf(process.pid, '0'));
    releaseDataDir(dataDir, claim);
    expect(existsSync(owner)).toBe(true);
    // Live: a running process with its real start time.
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    reapAfterTest(() => [sleeper.pid]);
    await until(() => identify(sleeper.pid!) !== undefined, 5_000);
    writeFileSync(owner, claimOf(sleeper.pid!, identify(sleeper.pid!)!.startTime, { cwd: '/somewhere' }));
    expect(() => claimDataDir(dataDir, { foreground: true, cwd: dataDir })).toThrow(
      expect.objectContaining({
        code: 'local.data_dir_in_use',
        message: expect.stringContaining(`(pid ${sleeper.pid}, started 2026-01-01T00:00:00Z in /somewhere)`),
      }),
    );
    // Unreadable and old (a process killed mid-write): stale.
    writeFileSync(owner, '{"state":');
    const old = new Date(Date.now() - 10_000);
    const { utimesSync } = await import('node:fs');
    utimesSync(owner, old, old);
    claim = claimDataDir(dataDir, { foreground: true, cwd: dataDir });
    releaseDataDir(dataDir, claim);
    expect(existsSync(owner)).toBe(false);
    sleeper.kill();
  });
});
