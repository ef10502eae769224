/**
 * How a command is defined: its arguments, options (with their choices, defaults and parsers),
 * examples and which global options its help shows, in one SDK-free object beside its run function.
 * src/entry/program.ts turns definitions into commander commands; nothing here imports commander or
 * the AWS SDK, so every definition can be loaded to print `--help`. See docs/contributing-commands.md.
 */
import type { Context } from './context.js';
import { UsageError } from '../core/errors.js';
import { isoTimeFlag, uuidArg } from '../core/checks.js';
import { checkTableName } from '../core/environment.js';
import type { Output } from './output.js';

/** A positional argument; its key in `args` is its name in help and in the run function's input. */
export interface ArgSpec<T> {
  description: string;
  required: boolean;
  /** Checks the word at parse time (a uuid, a table name) and types it; throws UsageError. */
  parse?(raw: string | undefined): T;
  /** Phantom: the type the run function receives. */
  readonly __type?: T;
}

/** An option: its commander flags (`--batch-size <n>`), help text, and the parser that types it. */
export interface OptionSpec<T> {
  flags: string;
  description: string;
  /** Shown in help and passed to the parser when the flag is absent. */
  default?: string | number | boolean;
  choices?: readonly string[];
  /** commander refuses the command line without it. */
  mandatory?: boolean;
  /** `--no-…` flags of a switch that is on, off, or left to a rule when neither is given (see `toggle`). */
  negation?: { flags: string; description: string };
  /** From commander's raw value (string, true, or the default) to the typed value; throws UsageError. */
  parse(raw: unknown): T;
}

/** Global option groups a command's help shows besides --env, -o, --yes, --no-color. */
export type GlobalGroup = 'dynamodb' | 'aws';

type ArgSpecs = Record<string, ArgSpec<unknown>>;
type OptionSpecs = Record<string, OptionSpec<unknown>>;

/** What the run function receives: each argument and option under its key, typed. */
export type Input<A extends ArgSpecs, O extends OptionSpecs> = { [K in keyof A]: A[K] extends ArgSpec<infer T> ? T : never } & {
  [K in keyof O]: O[K] extends OptionSpec<infer T> ? T : never;
};

export type RunFunction<I> = (input: I, context: Context) => Promise<Output>;

export interface CommandDefinition<A extends ArgSpecs = ArgSpecs, O extends OptionSpecs = OptionSpecs> {
  /** `scan`, or `cognito list-users` for a command under a group. */
  name: string;
  description: string;
  args: A;
  options: O;
  /** Each one a command line that runs as written. */
  examples: string[];
  /** Global options the help shows (default: dynamodb and aws). */
  globals?: GlobalGroup[];
  /** Cognito commands take --user-pool-id and --cognito-endpoint-url. */
  cognito?: boolean;
  /** More help text after the examples. */
  helpAfter?: string;
  /** Left out of --help and of completion (a command for scripts the tool itself writes). */
  hidden?: boolean;
  /** Imports the run module only when the command runs (so `--help` loads no AWS SDK). */
  load(): Promise<RunFunction<Input<A, O>>>;
}

/** Identity, for the type inference: `export default defineCommand({ ... })`. */
export function defineCommand<A extends ArgSpecs, O extends OptionSpecs>(definition: CommandDefinition<A, O>): CommandDefinition<A, O> {
  return definition;
}

// ---- arguments ----

export const required = (description: string): ArgSpec<string> => ({ description, required: true });
export const optional = (description: string): ArgSpec<string | undefined> => ({ description, required: false });

/** A table name argument, checked at parse time (3-255 letters, digits, `_`, `-`, `.`). */
export function tableArgument(description: string, options: { required: true }): ArgSpec<string>;
export function tableArgument(description: string, options?: { required?: false }): ArgSpec<string | undefined>;
export function tableArgument(description: string, options: { required?: boolean } = {}): ArgSpec<string | undefined> {
  return { description, required: Boolean(options.required), parse: (raw) => (raw === undefined ? undefined : checkTableName(raw)) };
}

/**
 * A uuid argument, checked at parse time when it is not blank (a usage error, exit 2, instead of "no
 * such conversation"); a blank one is left to the command, which says what to give.
 */
export function uuidArgument(description: string, what: string): ArgSpec<string> {
  return { description, required: true, parse: (raw) => (raw === undefined || raw.trim() === '' ? (raw ?? '') : (uuidArg(raw, what), raw)) };
}

// ---- options ----

/** A switch: `--once`. */
export function flag(flags: string, description: string): OptionSpec<boolean> {
  return { flags, description, parse: (raw) => raw === true };
}

/**
 * A switch with its `--no-` form: true, false, or undefined when neither is given, so a command can
 * choose by a rule (seed takes users from PostgreSQL when CONNECTION_URL is set, unless told).
 */
export function toggle(flags: string, description: string, noFlags: string, noDescription: string): OptionSpec<boolean | undefined> {
  return { flags, description, negation: { flags: noFlags, description: noDescription }, parse: (raw) => (raw === undefined ? undefined : raw === true) };
}

/** A text value: `--dir <dir>`, with an optional default. */
export function text(flags: string, description: string): OptionSpec<string | undefined>;
export function text(flags: string, description: string, options: { default: string } | { mandatory: true }): OptionSpec<string>;
export function text(flags: string, description: string, options: { default?: string; mandatory?: true } = {}): OptionSpec<string | undefined> {
  return { flags, description, default: options.default, mandatory: options.mandatory, parse: (raw) => (raw === undefined ? undefined : String(raw)) };
}

/**
 * A repeatable or many-valued option: `--param <value...>` takes `--param a b` and `--param a --param b`
 * alike (commander's variadic option); an empty list when absent.
 */
export function list(flags: string, description: string): OptionSpec<string[]> {
  return { flags, description, parse: (raw) => (raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map(String)) };
}

/** One of a fixed list, e.g. `--billing <mode>`; commander refuses other values (exit 2). */
export function choice<const C extends readonly string[]>(flags: string, description: string, choices: C, fallback: C[number]): OptionSpec<C[number]> {
  return {
    flags,
    description,
    choices,
    default: fallback,
    parse: (raw) => {
      const value = raw === undefined ? fallback : String(raw);
      if (!choices.includes(value)) throw new UsageError('flag.bad_choice', `${longName(flags)} must be one of ${choices.join(', ')}, got "${value}"`);
      return value as C[number];
    },
  };
}

/** A uuid value: `--user-uuid <uuid>`, checked at parse time; the value as given (the command lower-cases it). */
export function uuidOption(flags: string, description: string): OptionSpec<string | undefined> {
  return { flags, description, parse: (raw) => (raw === undefined ? undefined : (uuidArg(String(raw), longName(flags)), String(raw))) };
}

/**
 * An ISO-8601 date or time, checked strictly at parse time (no 30 February, four-digit years, offsets
 * up to ±14:00); the text as given, which the command turns into a key time under its own rule.
 */
export function isoTime(flags: string, description: string, code: 'flag.bad_time' | 'flag.bad_date' = 'flag.bad_time'): OptionSpec<string | undefined> {
  return { flags, description, parse: (raw) => (raw === undefined ? undefined : (isoTimeFlag(String(raw), longName(flags), code), String(raw))) };
}

interface WholeRange {
  min?: number;
  max?: number;
}

/** A whole number within [min (default 1), max]: `--limit <n>`. Undefined when absent and no default. */
export function whole(flags: string, description: string, range?: WholeRange): OptionSpec<number | undefined>;
export function whole(flags: string, description: string, range: WholeRange & { default: number }): OptionSpec<number>;
export function whole(flags: string, description: string, range: WholeRange & { default?: number } = {}): OptionSpec<number | undefined> {
  return { flags, description, default: range.default, parse: (raw) => wholeNumber(raw, longName(flags), range) };
}

/**
 * A flag's value as a whole number within [min, max]; the message names the flag and the range.
 * Decimal digits only: `Number()` would take "0x2", "1e1" and "" (as 0).
 */
export function wholeNumber(value: unknown, flagName: string, range: WholeRange = {}): number | undefined {
  if (value === undefined) return undefined;
  const { min = 1, max } = range;
  // Not trimmed: ' 4' is a quoting mistake in a script, and accepting it hides the next one.
  const text = String(value);
  const n = typeof value === 'number' ? value : /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || (max !== undefined && n > max)) {
    const bounds = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError('flag.bad_number', `${flagName} must be a whole number ${bounds}, got "${String(value)}"`);
  }
  return n;
}

/** `--batch-size` from `--batch-size <n>` (or `-o, --output <format>`). */
export function longName(flags: string): string {
  return /--[\w-]+/.exec(flags)?.[0] ?? flags;
}

/** The input a command gets when every option is left at its default (for commands run by other commands). */
export function defaultOptions<O extends OptionSpecs>(options: O): { [K in keyof O]: O[K] extends OptionSpec<infer T> ? T : never } {
  return Object.fromEntries(Object.entries(options).map(([key, spec]) => [key, spec.parse(spec.default)])) as never;
}
