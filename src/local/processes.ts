/**
 * Who a process is, from /proc: its start time (clock ticks since boot, field 22 of /proc/PID/stat) and
 * its command line. A PID alone is not an identity: after a crash and a reboot, or years of uptime, the
 * number comes back as someone else. `local stop` and the watchdog signal a PID only while it is still
 * the process recorded (same start time), so they never kill another program.
 */
import { readFileSync } from 'node:fs';

export interface ProcessIdentity {
  pid: number;
  /** Field 22 of /proc/PID/stat: fixed for the life of the process. */
  startTime: string;
}

/** The identity of a running process, or undefined when there is none with that PID (or no /proc). */
export function identify(pid: number): ProcessIdentity | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces or ')': fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    if (state === 'Z' || state === 'X') return undefined; // ended, waiting to be reaped
    return { pid, startTime: fields[19]! };
  } catch {
    return undefined;
  }
}

/** Its command line, words joined by spaces ('' when gone). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** The recorded process is still running (the same PID and the same start time). */
export function isStillRunning(recorded: ProcessIdentity): boolean {
  const now = identify(recorded.pid);
  return now !== undefined && now.startTime === recorded.startTime;
}

/** Signals the recorded process only if it is still that process; true when it was sent. */
export function signalIfSame(recorded: ProcessIdentity, signal: NodeJS.Signals): boolean {
  if (!isStillRunning(recorded)) return false;
  try {
    process.kill(recorded.pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Resolves true once the process has ended (or is another one now), false after `ms`. */
export async function waitForEnd(recorded: ProcessIdentity, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (let delay = 10; Date.now() < deadline; delay = Math.min(delay * 2, 100)) {
    if (!isStillRunning(recorded)) return true;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  return !isStillRunning(recorded);
}

/** Asks it to stop with `signal`, then SIGKILL after `graceMs`; resolves when it is gone. */
export async function stopProcess(recorded: ProcessIdentity, signal: NodeJS.Signals, graceMs = 10_000): Promise<void> {
  if (!signalIfSame(recorded, signal)) return;
  if (await waitForEnd(recorded, graceMs)) return;
  signalIfSame(recorded, 'SIGKILL');
  await waitForEnd(recorded, 5_000);
}
