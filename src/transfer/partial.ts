/**
 * A failure in the middle of a bulk write, said with what was done before it: a user re-running an
 * import, copy or reset after DynamoDB died needs to know whether anything landed.
 */
import { CliError } from '../core/errors.js';

/** `failure` with `done` ("12 items were written to T before it") added to its message; code, hint and exit code kept. */
export function failedAfter(failure: CliError, done: string, cause: unknown = failure.cause): CliError {
  return new CliError(failure.code, `${failure.message} (${done})`, { hint: failure.hint, exitCode: failure.exitCode, cause });
}
