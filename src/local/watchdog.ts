/**
 * The watchdog: a tiny Node process that ends the local stack's servers when this tool ends, however it
 * ends. Signal handlers cover Ctrl-C and SIGTERM, `finally` covers a thrown error, but nothing in a process
 * runs after SIGKILL (or a crash of Node itself), and a JVM or a postmaster does not notice that its parent
 * is gone. The watchdog holds the read end of a pipe from this process: the kernel closes the write end
 * whenever this process ends, for any reason, and the watchdog then signals every server it was told
 * about (only while each PID is still the process recorded: see processes.ts), waits, and SIGKILLs the rest.
 *
 * It runs in its own session so a Ctrl-C in the terminal (which reaches the whole process group) does not
 * end it before it has done its job. `release()` lets the servers outlive this process (`local --detach`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import type { ProcessIdentity } from './processes.js';

// Plain JavaScript run with `node -e`, so it needs no file of its own in the bundle.
const WATCHDOG_SOURCE = `
const fs = require('node:fs');
const watched = new Map();
const start = (pid) => { try { const s = fs.readFileSync('/proc/' + pid + '/stat', 'utf8'); const f = s.slice(s.lastIndexOf(')') + 2).split(' '); return f[0] === 'Z' ? undefined : f[19]; } catch { return undefined; } };
const same = (w) => start(w.pid) === w.startTime;
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => {});
let buffered = '';
process.stdin.on('data', (chunk) => {
  buffered += chunk;
  let at;
  while ((at = buffered.indexOf('\\n')) >= 0) {
    const [verb, pid, startTime, signal] = buffered.slice(0, at).split(' ');
    buffered = buffered.slice(at + 1);
    if (verb === 'watch') watched.set(pid, { pid: Number(pid), startTime, signal });
    else if (verb === 'forget') watched.delete(pid);
    else if (verb === 'release') process.exit(0);
  }
});
process.stdin.on('close', () => {
  const left = [...watched.values()].filter(same);
  for (const w of left) { try { process.kill(w.pid, w.signal); } catch {} }
  const deadline = Date.now() + 10000;
  const check = () => {
    const alive = left.filter(same);
    if (alive.length === 0) process.exit(0);
    if (Date.now() > deadline) { for (const w of alive) { try { process.kill(w.pid, 'SIGKILL'); } catch {} } process.exit(0); }
    setTimeout(check, 50);
  };
  check();
});
`;

export interface Watchdog {
  /** From now on, `signal` ends this process if the tool ends first. */
  watch(process: ProcessIdentity, signal: NodeJS.Signals): void;
  forget(pid: number): void;
  /** The servers outlive the tool: the watchdog leaves without signalling anyone. */
  release(): void;
  /** Its own PID (for tests and for `local status` to leave alone). */
  pid: number | undefined;
}

export function startWatchdog(): Watchdog {
  const child: ChildProcess = spawn(process.execPath, ['-e', WATCHDOG_SOURCE], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  child.unref();
  // The pipe must not keep this process alive: the watchdog's whole point is to notice when it ends.
  (child.stdin as unknown as Socket).unref();
  child.stdin!.on('error', () => undefined);
  const send = (line: string) => {
    if (child.stdin?.writable) child.stdin.write(`${line}\n`);
  };
  return {
    pid: child.pid,
    watch: (identity, signal) => send(`watch ${identity.pid} ${identity.startTime} ${signal}`),
    forget: (pid) => send(`forget ${pid} - -`),
    release: () => {
      send('release');
      child.stdin?.end();
    },
  };
}
