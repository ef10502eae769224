/**
 * For tests of `cruddur-ddb local`: each runs the built binary in a temporary folder of its own (its
 * .cruddur/ state lives there, never in the checkout), on free ports, and every process it starts is
 * ended when the test finishes, whatever happened.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { CLI, cleanEnv } from './cli.js';

export function tempFolder(prefix = 'cruddur-local-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Whether a process with this PID runs (and is not a zombie waiting to be reaped). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export async function until(check: () => boolean | Promise<boolean>, ms: number, every = 50): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, every));
  }
  return check();
}

/** Any HTTP answer on the port. */
export async function answers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}`, { signal: AbortSignal.timeout(1000) }).then(
    () => true,
    () => false,
  );
}

/** The PID listening on a TCP port (from `ss`), if any. */
export async function listenerPid(port: number): Promise<number | undefined> {
  const { spawnSync } = await import('node:child_process');
  const out = spawnSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' }).stdout ?? '';
  const match = /pid=(\d+)/.exec(out);
  return match ? Number(match[1]) : undefined;
}

export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Kills these PIDs (if still running) when the test ends: a failed test leaves nothing behind. */
export function reapAfterTest(pids: () => Array<number | undefined>): void {
  onTestFinished(() => {
    for (const pid of pids()) {
      if (pid && isRunning(pid)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
    }
  });
}

/** The binary in `cwd`, with a clean environment (no endpoint from the test run). */
export function startCli(args: string[], cwd: string, env: Record<string, string | undefined> = {}): Running {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: cleanEnv(env, false) });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  reapAfterTest(() => [child.pid]);
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** One command line to its end, in `cwd`. */
export async function runIn(cwd: string, args: string[], env: Record<string, string | undefined> = {}) {
  const running = startCli(args, cwd, env);
  const code = await running.exited;
  return { code, stdout: running.stdout(), stderr: running.stderr() };
}

export function stateOf(cwd: string): { parts: { pid: number; name: string }[]; endpoint: string } | undefined {
  const file = join(cwd, '.cruddur', 'local.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}
