/**
 * Runs one command line in this process: parse, build the context, run the command, render what it
 * returns, and translate any failure once into `error[code]: message. hint` (or, under -o json/ndjson,
 * one JSON object `{code, message, hint}`) on stderr. Returns the exit code; never calls process.exit,
 * so tests run commands here with their own streams and environment.
 */
import type { Readable, Writable } from 'node:stream';
import { CommanderError } from 'commander';
import type { Context, ExitHook, ParentWatch, RunFlags, SignalSource } from '../kit/context.js';
import { CliError, EXIT, errorJson, formatError } from '../core/errors.js';
import { buildProgram, describeProgram, printsHelpOf, type Invocation } from './program.js';
import { commanderError, commanderOutput, wantsJson } from './commander-output.js';
import { annotation, inGitHubActions } from '../core/annotations.js';

export interface Io {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** Ctrl-C, SIGTERM and SIGHUP for long-running commands (default: the process's own). */
  onSignal?: SignalSource;
  /** The end of the parent process (a killed `npx`, a CI step's `kill`); default: the process's own parent. */
  onParentExit?: ParentWatch;
  /** The end of this process, for what must be undone however it ends (default: the process's 'exit' event). */
  onExit?: ExitHook;
  /** The working folder paths are shown relative to (default: the process's own). */
  cwd?: string;
  /** A monotonic clock in nanoseconds and the wall clock in ms (default: the process's own). */
  clock?: () => bigint;
  now?: () => number;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * One Ctrl-C can arrive more than once: the terminal signals the whole foreground group, and a parent
 * passes it on (npm does for `npm start`, and so does scripts/start.mjs), some milliseconds later.
 * Signals this soon after the first are that same one.
 */
const SAME_SIGNAL_MS = 1000;

/**
 * The process's SIGINT, SIGTERM and SIGHUP (a closed terminal): the only place a command's signals come
 * from. The handler hears the first; a later one (a second Ctrl-C) quits at once with the default action.
 */
const processSignals: SignalSource = (handler) => {
  let first: number | undefined;
  const stop = () => {
    for (const signal of SIGNALS) process.off(signal, on);
  };
  const on = (signal: NodeJS.Signals) => {
    if (first === undefined) {
      first = Date.now();
      handler(signal);
    } else if (Date.now() - first >= SAME_SIGNAL_MS) {
      stop();
      process.kill(process.pid, signal);
    }
  };
  for (const signal of SIGNALS) process.on(signal, on);
  return stop;
};

/** A parent that goes away re-parents this process: noticed within a fifth of a second. */
const processParent: ParentWatch = (handler) => {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      handler();
    }
  }, 200);
  timer.unref();
  return () => clearInterval(timer);
};

// The streams are made when first used: creating stdin for a command that never reads it costs start-up time.
const processIo = (): Io => ({
  get stdout() {
    return process.stdout;
  },
  get stderr() {
    return process.stderr;
  },
  get stdin() {
    return process.stdin;
  },
  env: process.env,
  onSignal: processSignals,
  onParentExit: processParent,
});

/** argv is the user's words only (no node, no script path). */
export async function runCli(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let invocation: Invocation | undefined;
  const program = buildProgram((parsed) => (invocation = parsed), commanderOutput(argv, io), printsHelpOf(argv));
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    // A value refused while commander reads it (`--columns ,`): one line, as any other refusal.
    if (error instanceof CliError) {
      await report(error, undefined, { output: wantsJson(argv) ? 'json' : undefined } as RunFlags, io);
      return error.exitCode;
    }
    throw error;
  }
  return invocation ? execute(invocation, io) : EXIT.ok;
}

async function execute(invocation: Invocation, io: Io): Promise<number> {
  let context: Context | undefined;
  let input: Record<string, unknown> = {};
  try {
    input = invocation.input();
    // The command's own modules are fetched while the context's are: the loader reads files off the main
    // thread, so two graphs loading at once fill each other's waits.
    const loading = invocation.definition.load();
    loading.catch(() => undefined); // awaited below; a failure is reported there
    const rendering = import('../kit/output.js');
    rendering.catch(() => undefined);
    const { createContext } = await import('../kit/context.js');
    context = createContext({
      flags: invocation.flags,
      env: io.env,
      stdout: io.stdout,
      stderr: io.stderr,
      get stdin() {
        return io.stdin; // made only if the command reads it
      },
      onSignal: io.onSignal ?? processSignals,
      onParentExit: io.onParentExit ?? processParent,
      onExit: io.onExit,
      cwd: io.cwd,
      clock: io.clock,
      now: io.now,
      // completion prints the tree this program is built from, as --help does: handed down, not rebuilt by a command.
      commandTree: describeProgram,
    });
    const run = await loading;
    const output = await run(input as never, context);
    const { render } = await rendering;
    await render(output, context);
    if (output?.failure) throw output.failure;
    return EXIT.ok;
  } catch (error) {
    const cliError = await toCliError(error, context, input);
    await report(cliError, context, invocation.flags, io);
    return cliError.exitCode;
  } finally {
    context?.close();
  }
}

/** The one translation: ours as is, AWS failures into codes, anything else is a bug of ours. */
export async function toCliError(error: unknown, context: Context | undefined, input: Record<string, unknown>): Promise<CliError> {
  if (error instanceof CliError) return error;
  if (context) {
    const aws = await import('../aws/clients.js');
    const table = typeof input.table === 'string' ? input.table : context.env.table.value;
    if (aws.isAwsFailure(error)) return aws.translateAwsError(error, context.env, table);
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new CliError('internal', `This is a bug in cruddur-ddb (${message.split('\n')[0]})`, {
    hint: 'Run again with CRUDDUR_DEBUG=1 for the stack, and report it',
    cause: error,
  });
}

async function report(error: CliError, context: Context | undefined, flags: RunFlags, io: Io): Promise<void> {
  // Only when asked for (`-o json`): the default JSON of a pipe keeps errors as one line for people reading CI logs.
  const output = flags.output;
  // The last line of defence for what lands in terminals and CI logs: no password in any form, no raw
  // escape sequence from data quoted in a message, one line. (JSON escapes control characters itself.)
  const { redactAll, safeLine } = await import('../core/safe-text.js');
  if (output === 'json' || output === 'ndjson') {
    const json = errorJson(error);
    io.stderr.write(JSON.stringify({ ...json, message: redactAll(json.message, io.env), hint: json.hint && redactAll(json.hint, io.env) }) + '\n');
  } else {
    let prefix = `error[${error.code}]:`;
    // Before the context exists (a value refused while the command line was read), the same rule decides.
    const { wantsColor } = await import('../kit/context.js');
    const color = context?.color ?? wantsColor(flags.color, io.env, Boolean((io.stderr as { isTTY?: boolean }).isTTY));
    if (color) {
      const { Chalk } = await import('chalk');
      prefix = new Chalk({ level: 1 }).red(prefix);
    }
    io.stderr.write(`${prefix} ${safeLine(formatError(error), io.env)}\n`);
  }
  if (inGitHubActions(io.env)) io.stderr.write(`${annotation('error', `cruddur-ddb ${error.code}`, safeLine(formatError(error), io.env))}\n`);
  if (io.env.CRUDDUR_DEBUG) io.stderr.write(`${(error.cause as Error)?.stack ?? error.stack}\n`);
}

/**
 * What a command line parses to, without running it: the command's name, its typed input and the
 * global flags (tests/unit/argv.test.ts checks the table of them). Throws a CliError for a bad line.
 */
export async function parseCommandLine(argv: readonly string[]): Promise<{ name: string; input: Record<string, unknown>; flags: Record<string, unknown> }> {
  let invocation: Invocation | undefined;
  let said = '';
  const program = buildProgram((parsed) => (invocation = parsed), { writeOut: () => undefined, writeErr: (text) => (said += text) }, printsHelpOf(argv));
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) throw commanderError(said || error.message);
    throw error;
  }
  if (!invocation) throw new CliError('usage.command_line', 'no command');
  const input = invocation.input();
  return { name: invocation.definition.name, input, flags: { ...invocation.flags } };
}
