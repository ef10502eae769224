/**
 * The context every command receives: the resolved environment, the output format, the streams, the
 * signals, and lazily built AWS clients. Built once per run by the entry (src/entry/run.ts) from the
 * `Io` it was handed; commands reach the process only through it. Tests can build their own.
 */
import type { Writable } from 'node:stream';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { resolveEnv, type GlobalFlags, type ResolvedEnv } from '../core/environment.js';
import { chooseFormat, type OutputFormat } from './output.js';
import { safeLines } from '../core/safe-text.js';
import type { AwsSettings } from '../aws/clients.js';
import type { CompletionSpec } from '../completion/scripts.js';
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
  /** `--columns a,b,c`: only these columns of a table (or of -o text), in this order. */
  columns?: string[];
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
  /** `--columns`: the columns a table shows, by header, in order. */
  columns: string[] | undefined;
  /** One line on stderr. */
  say(line: string): void;
  aws(): Promise<AwsSettings>;
  dynamo(): Promise<DynamoDBClient>;
  /** An S3 client on env.s3Endpoint (AWS's own when unset), built at the first call. */
  s3(): Promise<S3Client>;
  /** The environment variables of this run (never process.env directly: tests hand their own). */
  vars: Record<string, string | undefined>;
  /** A monotonic clock in nanoseconds, for how long something took. */
  clock(): bigint;
  /** The wall clock, in milliseconds since the epoch. */
  now(): number;
  /** The working folder of this run, absolute (paths in messages are shown relative to it). */
  cwd: string;
  /** Calls `handler` on the first SIGINT or SIGTERM; returns what stops listening. */
  onSignal(handler: (signal: NodeJS.Signals) => void): () => void;
  /** Calls the handler once when this process's parent goes away; returns the unsubscribe. */
  onParentExit(handler: () => void): () => void;
  /**
   * Calls `handler` (synchronous) when this process exits however it ends, an uncaught error included: the
   * last word for files a run must not leave behind (a lock). Returns the unsubscribe.
   */
  onExit: ExitHook;
  /** The command tree the entry built, as completion scripts read it (handed down, as --help is). */
  commandTree(): CompletionSpec;
  /** Releases clients and sockets at the end of a run. */
  close(): void;
}

/** How a run listens for Ctrl-C: the process's signals in the binary, something else in tests. */
export type SignalSource = (handler: (signal: NodeJS.Signals) => void) => () => void;
/** How a run learns that its parent process went away; returns the unsubscribe. */
export type ParentWatch = (handler: () => void) => () => void;
/** How a run is told that its process exits (synchronous handlers only); returns the unsubscribe. */
export type ExitHook = (handler: () => void) => () => void;

/** The process's own 'exit' event: where the binary's runs learn of their end (the entry may hand another). */
const processExit: ExitHook = (handler) => {
  process.once('exit', handler);
  return () => void process.off('exit', handler);
};

export interface ContextOptions {
  flags: RunFlags;
  env: Record<string, string | undefined>;
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  onSignal: SignalSource;
  /** Default: never (a context built by a test has no parent to lose). */
  onParentExit?: ParentWatch;
  /** Default: the process's own 'exit' event. */
  onExit?: ExitHook;
  /** The working folder (default: the process's own). */
  cwd?: string;
  /** The clocks (default: the process's own; a test may hand others). */
  clock?: () => bigint;
  now?: () => number;
  /** Only the entry knows the program; a context built elsewhere has none to describe. */
  commandTree?: () => CompletionSpec;
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
  const processEnv = options.env;
  const { stdout, stderr } = options;
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
  let s3: Promise<S3Client> | undefined;
  const context: Context = {
    env,
    format: chooseFormat(options.flags.output, stdoutIsTTY),
    yes: Boolean(options.flags.yes),
    stdout,
    stderr,
    get stdin() {
      return options.stdin;
    },
    stdoutIsTTY,
    stderrIsTTY,
    color,
    width: stdoutIsTTY && !options.flags.wide ? ((stdout as { columns?: number }).columns ?? 100) : undefined,
    columns: options.flags.columns,
    say: (line) => {
      // Lines for people may quote data (a table name, a message): no raw escapes, no passwords.
      const text = safeLines(line, processEnv);
      stderr.write(text + '\n');
      // In GitHub Actions a warning also becomes an annotation on the run's summary.
      if (inGitHubActions(processEnv) && text.startsWith('Warning: ')) stderr.write(annotation('warning', 'cruddur-ddb', text.slice(9)) + '\n');
    },
    aws: () => {
      settings ??= import('../aws/clients.js').then((aws) => aws.resolveAwsSettings(env, processEnv));
      return settings;
    },
    dynamo: () => {
      dynamo ??= Promise.all([import('../aws/clients.js'), context.aws()]).then(([aws, s]) => aws.createDynamoClient(env, s));
      return dynamo;
    },
    s3: () => {
      s3 ??= Promise.all([import('../aws/s3.js'), context.aws()]).then(([aws, s]) => aws.createS3Client(s, env.s3Endpoint.value));
      return s3;
    },
    vars: processEnv,
    onSignal: options.onSignal,
    onParentExit: options.onParentExit ?? (() => () => undefined),
    onExit: options.onExit ?? processExit,
    cwd: resolve(options.cwd ?? process.cwd()),
    clock: options.clock ?? (() => process.hrtime.bigint()),
    now: options.now ?? (() => Date.now()),
    commandTree: () => {
      if (!options.commandTree) throw new Error('no command tree: this context was not built by the entry');
      return options.commandTree();
    },
    close: () => {
      void dynamo?.then((client) => client.destroy()).catch(() => undefined);
      void s3?.then((client) => client.destroy()).catch(() => undefined);
    },
  };
  return context;
}
