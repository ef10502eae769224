/**
 * Typed errors. Commands throw these; only the entry point (src/cli.ts) turns them into an exit code
 * and one line on stderr. Nothing else in the tool calls process.exit.
 */

/** Exit codes that mean something: 0 ok, 1 the job failed, 2 the command line was wrong, 130 cancelled (Ctrl-C). */
export const EXIT = { ok: 0, failure: 1, usage: 2, cancelled: 130 } as const;

export class CliError extends Error {
  /** A dotted code a script can match on, e.g. `table.not_found`. */
  readonly code: string;
  readonly exitCode: number;
  /** What the user can do about it; printed after the message. */
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CliError';
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? EXIT.failure;
  }
}

/** A wrong command line: bad flag value, invalid name. Exit code 2. */
export class UsageError extends CliError {
  constructor(code: string, message: string, hint?: string) {
    super(code, message, { hint, exitCode: EXIT.usage });
    this.name = 'UsageError';
  }
}

/** The one line printed for an error: message, then the hint. */
export function formatError(error: CliError): string {
  return error.hint ? `${error.message}. ${error.hint}` : error.message;
}
