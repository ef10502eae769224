/**
 * Progress on stderr for long work: one line redrawn in place on a terminal, at most ten times a
 * second; nothing at all when stderr is not a terminal (CI logs stay quiet; the command's own summary
 * line says what happened).
 */
import type { Context } from './context.js';

export interface Progress {
  add(count: number): void;
  /** Clears the line; the caller prints its own summary. */
  done(): void;
}

export function createProgress(context: Pick<Context, 'stderr' | 'stderrIsTTY'>, label: string, total?: number): Progress {
  if (!context.stderrIsTTY) return { add: () => undefined, done: () => undefined };
  let count = 0;
  let last = 0;
  const started = Date.now();
  const draw = () => {
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(count / seconds) : 0;
    let bar = '';
    if (total) {
      const filled = Math.min(20, Math.round((count / total) * 20));
      bar = `[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${count}/${total}`;
    } else bar = String(count);
    context.stderr.write(`\r\x1b[2K${label} ${bar} (${rate}/s)`);
  };
  return {
    add(n) {
      count += n;
      const now = Date.now();
      if (now - last >= 100) {
        last = now;
        draw();
      }
    },
    done() {
      context.stderr.write('\r\x1b[2K');
    },
  };
}
