/**
 * A status line for a long wait on someone else's job (AWS's export or import): redrawn in place on a
 * terminal; without one (a CI log), one line when the status changes and at most one a minute besides,
 * so a log shows the job is alive without filling up.
 */
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
