/**
 * The one launcher under the local stack's three servers (DynamoDB Local, PostgreSQL, cognito-local):
 * spawn, poll a ready check until a deadline, keep the last lines of output to say why it failed, and
 * stop. A server either comes up or is gone: on any failure (it exits, the deadline passes, start-up is
 * cancelled) it is killed before the error is thrown, so nothing is left behind a failed start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { CliError, type ErrorCode } from '../core/errors.js';
import { identify, stopProcess, type ProcessIdentity } from './processes.js';
import type { Watchdog } from './watchdog.js';

/** How many lines of output a failure shows. */
const TAIL = 20;

/** How long a start is looked at every 10 ms before every 100 ms. */
const FAST_POLL_FOR_MS = 5_000;

export interface LaunchSpec {
  /** For messages: `DynamoDB Local`. */
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** True once the server answers; called until it is, or the deadline passes. */
  ready(): Promise<boolean>;
  deadlineMs: number;
  /** The error code of a failed start. */
  failureCode: ErrorCode;
  /** What asks the server to stop cleanly (PostgreSQL: SIGINT, its fast shutdown). */
  stopSignal: NodeJS.Signals;
  /**
   * The server outlives this process (`local --detach`): output to this file, and not held by this
   * process's event loop. Without it the output is piped here and the server ends with this process (see
   * `watchdog`). Either way the server runs in a session of its own.
   */
  logFile?: string;
  /** Told about the server as soon as it is spawned, so it ends when this process ends. */
  watchdog?: Watchdog;
  /** A folder of the server's own (a cluster, pools) removed once it has stopped or failed to start. */
  temporary?: string;
  /** Ends the start-up early (Ctrl-C): the server is stopped and the promise rejects with the reason. */
  signal?: AbortSignal;
  onOutput?(line: string): void;
  /** Called once the server is spawned: work that blocks this process is best done while it starts. */
  onSpawned?(): void;
}

export interface Launched {
  name: string;
  identity: ProcessIdentity;
  child: ChildProcess;
  /** Resolves with the exit code (null when a signal ended it) once the process has ended. */
  exited: Promise<number | null>;
  /** The signal that ended it, if one did (after `exited` resolves). */
  endedBy(): NodeJS.Signals | null;
  /** Its last lines of output, for saying why it stopped. */
  lastLines(): string[];
  stop(): Promise<number | null>;
}

/** A start that failed, with the server's last lines for the caller to show above the one-line error. */
export class LaunchError extends CliError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly lastLines: string[],
    hint?: string,
  ) {
    super(code, message, { hint });
  }
}

function tailOf(file: string): string[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .slice(-TAIL);
  } catch {
    return [];
  }
}

export async function launch(spec: LaunchSpec): Promise<Launched> {
  spec.signal?.throwIfAborted();
  const logFd = spec.logFile ? openSync(spec.logFile, 'a', 0o600) : undefined;
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    stdio: ['ignore', logFd ?? 'pipe', logFd ?? 'pipe'],
    // A session of its own, in the foreground too: a terminal's Ctrl-C signals the whole foreground group,
    // and a server that took it would be gone before the tool stops things in order (DynamoDB Local before
    // its last snapshot was read). The tool's signal handlers, and the watchdog, stop the servers.
    detached: true,
  });
  if (logFd !== undefined) {
    closeSync(logFd);
    child.unref();
  }
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  let endedBy: NodeJS.Signals | null = null;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, by) => {
      endedBy = by;
      resolve(code);
    }),
  );
  const identity = (child.pid !== undefined && identify(child.pid)) || { pid: child.pid ?? -1, startTime: '' };
  if (child.pid !== undefined) spec.watchdog?.watch(identity, spec.stopSignal);
  spec.onSpawned?.();
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      tail.push(line.trimEnd());
      if (tail.length > TAIL) tail.shift();
      spec.onOutput?.(line);
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const lastLines = () => (spec.logFile ? tailOf(spec.logFile) : [...tail]);
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async () => {
    if (!gone() && identity.startTime) await stopProcess(identity, spec.stopSignal);
    else if (!gone()) child.kill('SIGKILL');
    if (child.pid !== undefined) spec.watchdog?.forget(child.pid);
    if (spec.temporary) rmSync(spec.temporary, { recursive: true, force: true });
    return gone() ? exited : null;
  };

  const deadline = Date.now() + spec.deadlineMs;
  let failure: CliError | undefined;
  const failed = spawnError.then((error) => (failure ??= new LaunchError(spec.failureCode, `${spec.name} could not be started: ${error.message}`, [])));
  void failed;
  // Every 10 ms for the first seconds (a JVM answers after ~1 s, and a start-up waits on this look),
  // then every 100 ms: a refused connection costs next to nothing.
  const fastUntil = Date.now() + FAST_POLL_FOR_MS;
  for (let delay = 10; ; delay = Date.now() < fastUntil ? 10 : 100) {
    if (failure) break;
    if (spec.signal?.aborted) {
      await stop();
      throw spec.signal.reason;
    }
    if (gone()) {
      await exited;
      const lines = lastLines();
      const how = child.exitCode !== null ? `exit code ${child.exitCode}` : `signal ${child.signalCode}`;
      failure = new LaunchError(spec.failureCode, `${spec.name} stopped while starting (${how}): ${lines.at(-1) ?? 'no output'}`, lines);
      break;
    }
    if (await spec.ready().catch(() => false)) {
      if (gone()) continue; // something else answered on the port while ours failed
      return { name: spec.name, identity, child, exited, endedBy: () => endedBy, lastLines, stop };
    }
    if (Date.now() > deadline) {
      const lines = lastLines();
      await stop();
      failure = new LaunchError(spec.failureCode, `${spec.name} did not answer within ${spec.deadlineMs / 1000} s`, lines);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  await stop();
  throw failure;
}
