/**
 * The prod guard for destructive commands: in prod, name where the change would land and ask the user
 * to type a word before anything is changed (or refuse without a terminal, unless --yes).
 */
import { CliError, EXIT } from '../core/errors.js';
import { safeLines } from '../core/safe-text.js';
import type { Context } from './context.js';

/** What a prod confirmation names, besides the account or endpoint and the region. */
export interface ConfirmTarget {
  table?: string;
}

/**
 * Locally it does nothing. In prod: first the region and the credentials are resolved (a missing one
 * is said before anyone types anything); then `--yes` passes; on a terminal the user must type
 * `expected` at a prompt naming the account (or endpoint), the region and the table; with no terminal
 * it refuses. Always before any call that changes something. Ctrl-C or Ctrl-D at the prompt cancels:
 * exit 130, nothing changed.
 */
export async function confirmDestructive(context: Context, what: string, expected: string, target: ConfirmTarget = {}): Promise<void> {
  if (context.env.name !== 'prod') return;
  const { describeProdTarget } = await import('../aws/clients.js');
  const where = await describeProdTarget(context.env, await context.aws());
  if (context.yes) return;
  if (!(context.stdin.isTTY && context.stderrIsTTY)) {
    throw new CliError('prod.unconfirmed', `Refusing to ${what} in prod without confirmation`, {
      hint: 'Run it on a terminal to confirm, or pass --yes',
    });
  }
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: context.stdin, output: context.stderr });
  // Ctrl-D closes the input: without this the question would wait forever.
  const closed = new Promise<never>((_, reject) => rl.once('close', () => reject(new Error('closed'))));
  closed.catch(() => undefined);
  let answer: string;
  try {
    const place = [where, target.table ? `table ${target.table}` : undefined].filter(Boolean).join(', ');
    answer = await Promise.race([rl.question(safeLines(`This will ${what} in PROD (${place}). Type "${expected}" to go on: `, context.vars)), closed]);
  } catch {
    // Ctrl-C (readline's AbortError) or Ctrl-D: end the prompt's line, then one clean message.
    context.stderr.write('\n');
    throw new CliError('prod.cancelled', 'Cancelled; nothing was changed', { exitCode: EXIT.cancelled });
  } finally {
    rl.close();
  }
  if (answer.trim() !== expected) {
    throw new CliError('prod.unconfirmed', `Not confirmed; nothing was changed`, { hint: `Type "${expected}" exactly, or pass --yes` });
  }
}
