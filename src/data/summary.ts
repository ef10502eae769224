/** The closing line and record every data command prints, and the one error for items that did not land. */
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import { printRecord } from '../output.js';

export function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export const perSecond = (count: number, secs: number) => Math.round(count / Math.max(secs, 1e-6));

export function megabytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} KB`;
}

/**
 * The summary: one line on stderr for people, and, unless stdout carries the data itself or is a
 * terminal without -o, the same facts as a JSON record on stdout for scripts.
 */
export async function summarize(context: Context, line: string, record: Record<string, unknown>, stdoutFree = true): Promise<void> {
  context.say(line);
  if (stdoutFree && context.format !== 'table') await printRecord(record, context.format, context.stdout);
}

export function incomplete(code: string, notWritten: number, total: number, table: string, maxRetries: number, again: string): CliError {
  return new CliError(
    code,
    `${notWritten} of ${total} items were not written to ${table}: DynamoDB still returned them unprocessed after ${maxRetries} retries`,
    {
      hint: `Run ${again} again (it is idempotent), or raise --max-retries`,
    },
  );
}
