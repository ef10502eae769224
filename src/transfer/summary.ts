/** The numbers of a data command's closing line (time, rate, size), and the one error for items that did not land. */
import { CliError, type ErrorCode } from '../core/errors.js';

/** Seconds between two readings of a monotonic clock in nanoseconds (the Context's `clock`). */
export function seconds(started: bigint, now: bigint): number {
  return Number(now - started) / 1e9;
}

export const perSecond = (count: number, secs: number) => Math.round(count / Math.max(secs, 1e-6));

export function megabytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} KB`;
}

export function incomplete(code: ErrorCode, notWritten: number, total: number, table: string, maxRetries: number, again: string): CliError {
  return new CliError(
    code,
    `${notWritten} of ${total} items were not written to ${table}: DynamoDB still returned them unprocessed after ${maxRetries} retries`,
    {
      hint: `Run ${again} again (it is idempotent), or raise --max-retries`,
    },
  );
}
