/** The closing line and record every data command prints, and the one error for items that did not land. */
import type { Context } from '../kit/context.js';
import { CliError, type ErrorCode } from '../core/errors.js';
import { record, type Output } from '../kit/output.js';

export function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export const perSecond = (count: number, secs: number) => Math.round(count / Math.max(secs, 1e-6));

export function megabytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} KB`;
}

/**
 * The summary: one line on stderr for people and, for scripts (-o json/ndjson, or stdout not a
 * terminal), the same facts as the command's output record. Nothing on stdout when it carries the
 * data itself (export to stdout) or in table form (the line says it all, as seed does).
 */
export function summarize(context: Context, line: string, summary: Record<string, unknown>, stdoutFree = true): Output {
  context.say(line);
  return stdoutFree && context.format !== 'table' ? record(summary) : undefined;
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
