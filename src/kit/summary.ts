/** The closing line and record of a data command (export, import, copy, reset). */
import type { Context } from './context.js';
import { record, type Output } from './output.js';

/**
 * The summary: one line on stderr for people and, for scripts (-o json/ndjson, or stdout not a
 * terminal), the same facts as the command's output record. Nothing on stdout when it carries the
 * data itself (export to stdout) or in table form (the line says it all, as seed does).
 */
export function summaryOutput(context: Context, line: string, summary: Record<string, unknown>, stdoutFree = true): Output {
  context.say(line);
  return stdoutFree && context.format !== 'table' ? record(summary) : undefined;
}
