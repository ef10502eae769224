/**
 * The context every command receives: the resolved environment, the output format, the streams, and
 * lazily built AWS clients. Built once per run by src/cli.ts; tests can build their own.
 */
import type { Writable } from 'node:stream';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CliError, EXIT } from '../core/errors.js';
import { resolveEnv, type GlobalFlags, type ResolvedEnv } from '../core/environment.js';
import { chooseFormat, type OutputFormat } from './output.js';
import { safeLines } from '../core/safe-text.js';
import type { AwsSettings } from '../aws/clients.js';
import { STATE_DIR_NAME } from '../core/state-dir.js';
import { annotation, inGitHubActions } from '../core/annotations.js';
import { detachedEndpoint, STATE_FILE } from '../local/state.js';
import { resolve } from 'node:path';

export interface RunFlags extends GlobalFlags {
  output?: string;
  yes?: boolean;
  color?: boolean;
  /** Tables as wide as their cells, not fitted to the terminal. */
  wide?: boolean;
}

export interface Context {
  env: ResolvedEnv;
  format: OutputFormat;
  yes: boolean;
  stdout: Writable;
  stderr: Writable;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** stdout and stderr are terminals: tables, progress bars and prompts are for people. */
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  color: boolean;
  /** Terminal width for tables, when stdout is one (and no --wide). */
  width: number | undefined;
  /** One line on stderr. */
  say(line: string): void;
  aws(): Promise<AwsSettings>;
  dynamo(): Promise<DynamoDBClient>;
  /** Releases clients and sockets at the end of a run. */
  close(): void;
}

export interface ContextOptions {
  flags: RunFlags;
  env?: Record<string, string | undefined>;
  stdout?: Writable & { isTTY?: boolean; columns?: number };
  stderr?: Writable & { isTTY?: boolean };
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/**
 * Colour on stderr: `--no-color` and `NO_COLOR` (https://no-color.org) always win; then `FORCE_COLOR`
 * (any value but 0/false, as chalk and Node read it) turns it on even in a pipe, e.g. a CI log that
 * renders colour; otherwise only a terminal that is not `dumb` gets it.
 */
export function wantsColor(flag: boolean | undefined, env: Record<string, string | undefined>, stderrIsTTY: boolean): boolean {
  if (flag === false || env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.toLowerCase());
  return stderrIsTTY && env.TERM !== 'dumb';
}

export function createContext(options: ContextOptions): Context {
  const processEnv = options.env ?? process.env;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const stdoutIsTTY = Boolean((stdout as { isTTY?: boolean }).isTTY);
  const stderrIsTTY = Boolean((stderr as { isTTY?: boolean }).isTTY);
  // A `local --detach` in this folder is where local commands go when nothing else is said (state in .cruddur/).
  const env = resolveEnv(options.flags, processEnv, {
    detachedEndpoint: () => {
      const endpoint = detachedEndpoint(resolve(STATE_DIR_NAME));
      return endpoint ? { value: endpoint, source: `local --detach (${STATE_DIR_NAME}/${STATE_FILE})` } : undefined;
    },
  });
  const color = wantsColor(options.flags.color, processEnv, stderrIsTTY);
  let settings: Promise<AwsSettings> | undefined;
  let dynamo: Promise<DynamoDBClient> | undefined;
  const context: Context = {
    env,
    format: chooseFormat(options.flags.output, stdoutIsTTY),
    yes: Boolean(options.flags.yes),
    stdout,
    stderr,
    stdin: options.stdin ?? process.stdin,
    stdoutIsTTY,
    stderrIsTTY,
    color,
    width: stdoutIsTTY && !options.flags.wide ? ((stdout as { columns?: number }).columns ?? 100) : undefined,
    say: (line) => {
      // Lines for people may quote data (a table name, a message): no raw escapes, no passwords.
      const text = safeLines(line, processEnv);
      stderr.write(text + '\n');
      // In GitHub Actions a warning also becomes an annotation on the run's summary.
      if (inGitHubActions(processEnv) && text.startsWith('Warning: ')) stderr.write(annotation('warning', 'cruddur-ddb', text.slice(9)) + '\n');
    },
    aws: () => {
      settings ??= import('../aws/clients.js').then((aws) => aws.resolveAwsSettings(env));
      return settings;
    },
    dynamo: () => {
      dynamo ??= Promise.all([import('../aws/clients.js'), context.aws()]).then(([aws, s]) => aws.createDynamoClient(env, s));
      return dynamo;
    },
    close: () => {
      void dynamo?.then((client) => client.destroy()).catch(() => undefined);
    },
  };
  return context;
}

/** What a prod confirmation names, besides the account or endpoint and the region. */
export interface ConfirmTarget {
  table?: string;
}

/**
 * The prod guard for destructive commands. Locally it does nothing. In prod: first the region and the
 * credentials are resolved (a missing one is said before anyone types anything); then `--yes` passes;
 * on a terminal the user must type `expected` at a prompt naming the account (or endpoint), the
 * region and the table; with no terminal it refuses. Always before any call that changes something.
 * Ctrl-C or Ctrl-D at the prompt cancels: exit 130, nothing changed.
 */
export async function confirmDestructive(context: Context, what: string, expected: string, target: ConfirmTarget = {}): Promise<void> {
  if (context.env.name !== 'prod') return;
  const { describeProdTarget } = await import('../aws/clients.js');
  const where = await describeProdTarget(context);
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
    answer = await Promise.race([rl.question(safeLines(`This will ${what} in PROD (${place}). Type "${expected}" to go on: `, process.env)), closed]);
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
