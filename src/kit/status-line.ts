/**
 * A status line for a long wait on someone else's job (AWS's export or import): redrawn in place on a
 * terminal; without one (a CI log), one line when the status changes and at most one a minute besides,
 * so a log shows the job is alive without filling up. Ctrl-C stops the wait, never the job.
 */
import type { CliError } from '../core/errors.js';
import { WaitAborted, type WaitOptions } from '../transfer/managed-wait.js';
import type { Context } from './context.js';

export interface StatusLine {
  show(status: string, line: string): void;
  /** Clears the line on a terminal; the caller prints its own summary. */
  done(): void;
}

const QUIET_MS = 60_000;

export function createStatusLine(context: Pick<Context, 'stderr' | 'stderrIsTTY' | 'say'>): StatusLine {
  let lastStatus: string | undefined;
  let lastSaid = 0;
  return {
    show(status, line) {
      if (context.stderrIsTTY) {
        context.stderr.write(`\r\x1b[2K${line}`);
        return;
      }
      const now = Date.now();
      if (status !== lastStatus || now - lastSaid >= QUIET_MS) {
        lastStatus = status;
        lastSaid = now;
        context.say(line);
      }
    },
    done() {
      if (context.stderrIsTTY) context.stderr.write('\r\x1b[2K');
    },
  };
}

/**
 * Runs a service's wait (`waitForExport`, `waitForImport`) with a status line: `lineOf` turns each answer
 * into [status, line], or nothing to show (the final answer is the summary's to say). On Ctrl-C the wait
 * ends with `stopped()`, which says that the job goes on and what to do next.
 */
export async function waitShowing<T>(
  context: Pick<Context, 'stderr' | 'stderrIsTTY' | 'say' | 'onSignal'>,
  wait: (options: WaitOptions) => Promise<T>,
  lineOf: (answer: T, waitedMs: number) => [string, string] | undefined,
  stopped: () => CliError,
): Promise<T> {
  const line = createStatusLine(context);
  const abort = new AbortController();
  const stopListening = context.onSignal(() => abort.abort());
  try {
    return await wait({
      signal: abort.signal,
      onAnswer: (answer, waited) => {
        const shown = lineOf(answer as T, waited);
        if (shown) line.show(...shown);
      },
    });
  } catch (error) {
    if (error instanceof WaitAborted) throw stopped();
    throw error;
  } finally {
    stopListening();
    line.done();
  }
}
