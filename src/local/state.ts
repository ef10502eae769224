/**
 * What `local --detach` leaves behind for the commands after it: `.cruddur/local.json` (pids with their
 * start times, ports, the endpoint, what to remove at stop). It can hold a connection URL, so it is
 * written 0600, atomically (a temporary file renamed over it), and its creation doubles as the lock that
 * keeps two `--detach` in one folder from fighting over the port: the first creates it (`wx`), the
 * second finds it and says so. The same claim (claimRecord) guards a data folder (data-lock.ts): one
 * `local`, foreground or detached, writes a folder's snapshots at a time.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../core/errors.js';
import { identify, isStillRunning, type ProcessIdentity } from './processes.js';
import type { StoreKind } from './store-settings.js';

export const STATE_FILE = 'local.json';

export interface PartRecord extends ProcessIdentity {
  name: string;
  stopSignal: NodeJS.Signals;
  url: string;
  logFile: string;
  /** A temporary folder to remove once it has stopped (PostgreSQL or cognito-local without a data dir). */
  temporary?: string;
}

export interface DetachedState {
  state: 'starting' | 'running';
  /** The `local --detach` process (while starting), or the foreground `local`. */
  owner: ProcessIdentity;
  /** A foreground `local` (a data folder's owner file only): live while its owner runs. */
  foreground?: boolean;
  /** The folder it was started in (where `local stop` finds its state). */
  cwd?: string;
  startedAt: string;
  endpoint?: string;
  port?: number;
  dataDir?: string | null;
  inMemory?: boolean;
  /** Where DynamoDB Local's data is kept (absent in records of older versions: inMemory says). */
  store?: StoreKind;
  parts: PartRecord[];
  postgres?: { url: string; port: number };
  cognito?: { url: string; userPoolId: string };
  tables?: string[];
}

const fileOf = (stateDir: string) => join(stateDir, STATE_FILE);

export function readState(stateDir: string): DetachedState | undefined {
  return readRecord(fileOf(stateDir));
}

/** A record of this shape at `file` (the state file, or a data folder's owner file), or undefined. */
export function readRecord(file: string): DetachedState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const state = JSON.parse(text) as DetachedState;
    return typeof state === 'object' && state && Array.isArray(state.parts) ? state : undefined;
  } catch {
    return undefined; // half-written by a process that died mid-write: as good as stale
  }
}

/** Running: its owner still starting it, or its servers still serving (each checked by start time, not PID alone). */
export function isLive(state: DetachedState): boolean {
  if (state.state === 'starting') return isStillRunning(state.owner) || state.parts.some(isStillRunning);
  return state.parts.length > 0 && state.parts.some(isStillRunning);
}

export function writeState(stateDir: string, state: DetachedState): void {
  writeRecord(fileOf(stateDir), state);
}

export function writeRecord(file: string, state: DetachedState): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  renameSync(temporary, file);
}

export function removeState(stateDir: string): void {
  rmSync(fileOf(stateDir), { force: true });
}

/** A new claim's record: `starting`, owned by this process. */
export function startingRecord(extra: Partial<DetachedState> = {}): DetachedState {
  const owner = identify(process.pid) ?? { pid: process.pid, startTime: '' };
  return { state: 'starting', owner, startedAt: new Date().toISOString(), parts: [], ...extra };
}

/**
 * Claims the folder for a new `--detach`: creates the state file (`wx`, 0600) as `starting`. A live
 * state there is an error naming it; a stale one (its processes gone) is removed and the claim retried.
 */
export function claimState(stateDir: string): DetachedState {
  return claimRecord(fileOf(stateDir), startingRecord(), (found) => {
    const what =
      found.state === 'starting'
        ? `another \`local --detach\` (pid ${found.owner.pid}) is starting the stack in this folder`
        : `the stack of \`local --detach\` already runs here at ${found.endpoint} (pid ${found.parts[0]?.pid})`;
    return new CliError('local.already_running', `Not started: ${what}`, {
      hint: 'Use it as it is (`npx cruddur-ddb local status`), or stop it first with `npx cruddur-ddb local stop`',
    });
  });
}

/**
 * The one lock of `local`: creates `file` (`wx`, 0600) holding `state`. A live record there (isLive: its
 * owner or its servers still run, each by PID and start time) is `refuse(found)`, thrown; a stale one
 * (its processes gone, or their PIDs now other processes) is removed and the claim retried.
 */
export function claimRecord(file: string, state: DetachedState, refuse: (found: DetachedState) => Error): DetachedState {
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify(state, null, 2) + '\n');
      closeSync(fd);
      return state;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 50) throw error;
    }
    const found = readRecord(file);
    if (found && isLive(found)) throw refuse(found);
    // Stale (or unreadable, from a process killed mid-write): nothing of it runs, so it is safe to replace.
    if (found || modifiedMsAgo(file) > 2_000) rmSync(file, { force: true });
    else sleepSync(50); // just created by another claimant, not yet written: look again
  }
}

function modifiedMsAgo(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The endpoint of a live `local --detach` in this folder, for commands run after it without flags. */
export function detachedEndpoint(stateDir: string): string | undefined {
  const state = readState(stateDir);
  return state?.state === 'running' && state.endpoint && isLive(state) ? state.endpoint : undefined;
}
