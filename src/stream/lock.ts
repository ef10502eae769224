/**
 * Only one process applies a stream from one checkpoint: `cruddur-ddb stream` and `cruddur-ddb ui
 * --stream apply` run side by side in the README's developer loop, and both reading the same checkpoint
 * would apply every batch twice and race each other's checkpoint writes. The one that comes first holds
 * a lock file next to the checkpoint (`<checkpoint>.lock`: who, which pid, since when); the second one is
 * told who holds it, and watches or waits instead. A lock whose process is gone (killed, crashed) on this
 * machine is taken over; one whose process ends without releasing it (an uncaught error) is removed by the
 * exit hook the caller hands in (the Context's onExit), so this service never listens to the process itself.
 */
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { checkpointPath } from './checkpoint.js';
import { CliError } from '../core/errors.js';
import { makeStateDirFor } from '../core/state-dir.js';

export interface LockHolder {
  /** What applies the stream, as a person would start it (`cruddur-ddb stream`, `cruddur-ddb ui`). */
  command: string;
  pid: number;
  host: string;
  since: string;
}

export interface HeldLock {
  path: string;
  release: () => Promise<void>;
}

/** Calls a synchronous handler when the process exits; returns the unsubscribe (the Context's onExit). */
export type ExitHook = (handler: () => void) => () => void;

export type Claim = { held: HeldLock; holder?: undefined } | { held?: undefined; holder: LockHolder; path: string };

export function lockPath(dir: string, streamArn: string): string {
  return checkpointPath(dir, streamArn).replace(/\.json$/, '.lock');
}

/** The process that holds the lock, or undefined when none does (no file, or its process is gone). */
export async function lockHolder(path: string): Promise<LockHolder | undefined> {
  let holder: LockHolder;
  try {
    holder = JSON.parse(await readFile(path, 'utf8')) as LockHolder;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // Not ours to judge (a hand-edited file): treat it as held, and the message names the file.
    return { command: 'an unknown process', pid: 0, host: '?', since: '?' };
  }
  if (holder.host === hostname() && !alive(holder.pid)) return undefined;
  return holder;
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock of `streamArn`'s checkpoint in `dir` for `command`, or says who holds it. */
export async function claimApply(dir: string, streamArn: string, command: string, onExit: ExitHook): Promise<Claim> {
  const path = lockPath(dir, streamArn);
  makeStateDirFor(path);
  const mine: LockHolder = { command, pid: process.pid, host: hostname(), since: new Date().toISOString() };
  // Written whole to a file of our own, then linked into place: link() fails when the lock exists, so two
  // processes starting together cannot both win, and nobody ever reads half a file.
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(mine) + '\n');
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(temporary, path);
        return { held: heldLock(path, onExit) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = await lockHolder(path);
      if (holder) return { holder, path };
      // Its process is gone: move the stale file aside (a rename, so only one taker succeeds) and try again.
      await rename(path, `${path}.stale.${process.pid}`).then(
        () => unlink(`${path}.stale.${process.pid}`),
        () => undefined,
      );
    }
    const holder = await lockHolder(path);
    return holder ? { holder, path } : { holder: { command: 'an unknown process', pid: 0, host: '?', since: '?' }, path };
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

function heldLock(path: string, onExit: ExitHook): HeldLock {
  // A process that exits without releasing (an uncaught error) still removes its lock.
  const stopWatching = onExit(() => {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  });
  let released = false;
  return {
    path,
    release: async () => {
      if (released) return;
      released = true;
      stopWatching();
      await unlink(path).catch(() => undefined);
    },
  };
}

/** "cruddur-ddb stream (pid 123, since 10:04:05)": who holds a lock, for a person. */
export function describeHolder(holder: LockHolder): string {
  if (holder.pid === 0) return holder.command;
  const elsewhere = holder.host === hostname() ? '' : ` on ${holder.host}`;
  return `${holder.command} (pid ${holder.pid}${elsewhere}, since ${holder.since})`;
}

/**
 * The lock for a process whose whole job is to apply (`cruddur-ddb stream`): with `once`, a lock held
 * elsewhere is an error (the holder applies already); following, it says who holds it once and waits
 * until that process stops. Undefined when `signal` stopped the wait.
 */
export async function applyLock(
  options: { dir: string; streamArn: string; command: string; once: boolean; signal: AbortSignal; what: string; onExit: ExitHook },
  say: (line: string) => void,
): Promise<HeldLock | undefined> {
  let told = false;
  while (!options.signal.aborted) {
    const claim = await claimApply(options.dir, options.streamArn, options.command, options.onExit);
    if (claim.held) {
      if (told) say('The other process stopped: applying the stream here now.');
      return claim.held;
    }
    const who = describeHolder(claim.holder);
    if (options.once)
      throw new CliError('stream.locked', `${who} already applies the stream of ${options.what} from ${options.dir}`, {
        hint: `It moves the conversations itself; stop it first, or give another --checkpoint-dir to apply the stream a second time (lock: ${claim.path})`,
      });
    if (!told) say(`${who} already applies the stream of ${options.what} from ${options.dir}; waiting until it stops (Ctrl-C to quit).`);
    told = true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, LOCK_WAIT_MS);
      options.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
  return undefined;
}

const LOCK_WAIT_MS = 1000;
