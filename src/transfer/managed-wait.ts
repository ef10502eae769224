/**
 * Waiting on AWS's own long jobs (an export to S3, an import from S3): they run for minutes to hours on
 * AWS's side, so the tool asks how they are doing now and then, tells the caller each answer, and stops
 * asking (not the job) when the caller aborts.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Seconds between two questions: soon at first (a small export ends in minutes), then every 15 s. AWS
 * documents no rate for these jobs, and DescribeExport/DescribeImport are control-plane calls with low
 * rate limits, so never faster than that.
 */
const PAUSES_S = [1, 2, 5, 10, 15];

export interface WaitOptions {
  /** Aborted: stop waiting (the job itself goes on at AWS). */
  signal: AbortSignal;
  /** Each answer, with the milliseconds waited so far. */
  onAnswer(answer: unknown, waitedMs: number): void;
  /** The pause schedule in seconds (tests make it short; the last one repeats). */
  pauses?: readonly number[];
}

/** Thrown when the caller stopped the wait. */
export class WaitAborted extends Error {}

/** Asks `describe` until `done` says the answer is final; returns that answer. */
export async function waitFor<T>(describe: () => Promise<T>, done: (answer: T) => boolean, options: WaitOptions): Promise<T> {
  const pauses = options.pauses ?? PAUSES_S;
  const started = Date.now();
  for (let round = 0; ; round++) {
    if (options.signal.aborted) throw new WaitAborted('stopped waiting');
    const answer = await describe();
    options.onAnswer(answer, Date.now() - started);
    if (done(answer)) return answer;
    try {
      await sleep(pauses[Math.min(round, pauses.length - 1)]! * 1000, undefined, { signal: options.signal });
    } catch {
      throw new WaitAborted('stopped waiting');
    }
  }
}

/** `1h02m`, `3m07s`, `12s`: how long something has taken, for a status line. */
export function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h) return `${h}h${pad(m)}m`;
  if (m) return `${m}m${pad(s % 60)}s`;
  return `${s}s`;
}

/** Bytes for people: `812 B`, `3.4 MB`, `1.20 GB`. */
export function size(bytes: number | undefined): string {
  if (bytes === undefined) return '?';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}
