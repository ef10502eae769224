/** One applier per stream and checkpoint folder (src/stream/lock.ts): held, refused, released, and taken over when stale. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyLock, claimApply, describeHolder, lockPath } from '../src/stream/lock.js';

const ARN = 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026-01-01T00:00:00.000';
const folder = () => mkdtempSync(join(tmpdir(), 'cruddur-lock-'));

/** An exit hook as the Context hands one, recording what is listening: `exit()` plays the process's end. */
function exitHook() {
  const handlers = new Set<() => void>();
  const hook = (handler: () => void) => {
    handlers.add(handler);
    return () => void handlers.delete(handler);
  };
  const exit = () => {
    const now = [...handlers];
    handlers.clear(); // once, as the process's 'exit' event
    for (const handler of now) handler();
  };
  return { hook, listening: () => handlers.size, exit };
}
const onExit = exitHook().hook;

describe('the stream lock', () => {
  it('lets one process hold it, names the holder to the next, and frees it on release', async () => {
    const dir = folder();
    const first = await claimApply(dir, ARN, 'cruddur-ddb stream', onExit);
    expect(first.held?.path).toBe(lockPath(dir, ARN));
    expect(JSON.parse(readFileSync(lockPath(dir, ARN), 'utf8'))).toMatchObject({ command: 'cruddur-ddb stream', pid: process.pid, host: hostname() });
    const second = await claimApply(dir, ARN, 'cruddur-ddb ui', onExit);
    expect(second.held).toBeUndefined();
    expect(describeHolder(second.holder!)).toMatch(new RegExp(`^cruddur-ddb stream \\(pid ${process.pid}, since \\d{4}-`));
    // Another stream (another ARN) in the same folder is another lock.
    expect((await claimApply(dir, `${ARN}x`, 'cruddur-ddb ui', onExit)).held).toBeDefined();
    await first.held!.release();
    expect(existsSync(lockPath(dir, ARN))).toBe(false);
    const third = await claimApply(dir, ARN, 'cruddur-ddb ui', onExit);
    expect(third.held).toBeDefined();
    await third.held!.release();
  });

  it('takes over a lock whose process is gone', async () => {
    const dir = folder();
    const gone = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
    writeFileSync(lockPath(dir, ARN), JSON.stringify({ command: 'cruddur-ddb stream', pid: gone, host: hostname(), since: '2026-01-01T00:00:00Z' }));
    const claim = await claimApply(dir, ARN, 'cruddur-ddb ui', onExit);
    expect(claim.held).toBeDefined();
    expect(JSON.parse(readFileSync(lockPath(dir, ARN), 'utf8'))).toMatchObject({ command: 'cruddur-ddb ui', pid: process.pid });
    await claim.held!.release();
  });

  it('--once refuses a held lock in words; following waits and stops with its signal', async () => {
    const dir = folder();
    const held = (await claimApply(dir, ARN, 'cruddur-ddb ui', onExit)).held!;
    const base = { dir, streamArn: ARN, command: 'cruddur-ddb stream', what: 't', onExit };
    await expect(applyLock({ ...base, once: true, signal: new AbortController().signal }, () => undefined)).rejects.toMatchObject({
      code: 'stream.locked',
      message: expect.stringMatching(/^cruddur-ddb ui \(pid \d+, since .*\) already applies the stream of t from /),
    });
    const lines: string[] = [];
    const stop = new AbortController();
    const waiting = applyLock({ ...base, once: false, signal: stop.signal }, (line) => lines.push(line));
    await expect.poll(() => lines.length).toBe(1);
    expect(lines[0]).toMatch(/waiting until it stops/);
    // The holder stops: the waiter gets the lock.
    await held.release();
    const got = await waiting;
    expect(got?.path).toBe(lockPath(dir, ARN));
    expect(lines.at(-1)).toMatch(/applying the stream here now/);
    await got!.release();
    stop.abort();
  });

  it('is removed through the exit hook it was handed when its process ends unreleased, and a release stops listening', async () => {
    const dir = folder();
    const exiting = exitHook();
    const crashed = (await claimApply(dir, ARN, 'cruddur-ddb stream', exiting.hook)).held!;
    expect(exiting.listening()).toBe(1);
    exiting.exit(); // the process ends (an uncaught error) before `release`
    expect(existsSync(crashed.path)).toBe(false);
    const next = (await claimApply(dir, ARN, 'cruddur-ddb stream', exiting.hook)).held!;
    expect(existsSync(next.path)).toBe(true);
    expect(exiting.listening()).toBe(1);
    await next.release();
    expect(exiting.listening()).toBe(0);
    expect(existsSync(next.path)).toBe(false);
  });
});
