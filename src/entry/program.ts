/**
 * Turns the command definitions (src/commands/index.ts) into a commander program. With run.ts, the
 * only module that touches commander. It applies the one rule for a bare `prod`: wherever it
 * stands in the place of an argument it selects prod; commander has already given every option its
 * value, so `--to prod` or `--table prod` never count (which options take a value comes from the
 * registered definitions, not from a list).
 */
import { Command, Help, Option, type OutputConfiguration } from 'commander';
import { COMMANDS, GROUPS } from '../commands/index.js';
import { TIME_FORMS } from '../patterns/time.js';
import { UsageError } from '../core/errors.js';
import { OUTPUT_FORMATS } from '../kit/output.js';
import type { RunFlags } from '../kit/context.js';
import type { CommandDefinition, GlobalGroup } from '../kit/define.js';
import type { CommandSpec, CompletionSpec, OptionSpec } from '../completion/scripts.js';

// Set by build.mjs (and vitest.config.ts) from package.json, so the binary reads no file to know its version.
declare const CRUDDUR_VERSION: string;

/** What a parsed command line asks for: the definition, the global flags, and its input (parsed on demand, so a bad value is reported like any error). */
export interface Invocation {
  definition: CommandDefinition;
  flags: RunFlags;
  input(): Record<string, unknown>;
}

/** `help <command>` prints a command's help without dispatching to it: then every command is built whole. */
export function printsHelpOf(argv: readonly string[]): boolean {
  return argv.includes('help');
}

/** Global options by the group that shows them in a command's help (--env, -o, -y, --no-color always show). */
const GROUP_OF: Record<string, GlobalGroup> = {
  '--endpoint-url': 'dynamodb',
  '--table': 'dynamodb',
  '--time-zone': 'dynamodb',
  '--time-form': 'dynamodb',
  '--region': 'aws',
  '--profile': 'aws',
};

/** `--columns a,b,c`: the names, trimmed; an empty name is a usage error. */
function columnList(value: string): string[] {
  const names = value.split(',').map((name) => name.trim());
  if (names.some((name) => name === ''))
    throw new UsageError('arg.bad_columns', `--columns "${value}" has an empty name`, 'Give column names separated by commas, e.g. --columns pk,sk,message');
  return names;
}

function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}

/**
 * Builds the program; `onInvoke` receives each parsed command line (the caller runs it). `output` is
 * set before the commands are added, since commander copies it into each one as it is made.
 *
 * A command line runs one command, so the others are declared (name, description, arguments: what the
 * top-level help lists) and only the one dispatched to gets its options, its help text and its action,
 * just before commander parses its part of the line (the `preSubcommand` hook): about a tenth of the
 * start-up of `--help` or `list-tables` went to building thirty-odd commands' options nobody used.
 * `complete` builds every command whole (completion reads the whole tree; `help <command>` prints a
 * command's help without dispatching to it).
 */
export function buildProgram(onInvoke: (invocation: Invocation) => void, output: OutputConfiguration, complete = false): Command {
  const program = new Command('cruddur-ddb')
    .description("Cruddur's DynamoDB, Cognito and PostgreSQL chores in one tool. Local DynamoDB by default; `--env prod` (or a bare `prod` word) for AWS.")
    .version(CRUDDUR_VERSION, '-V, --version')
    .addOption(new Option('--env <name>', 'environment (default: local, or CRUDDUR_ENV)').choices(['local', 'prod']))
    .option('--endpoint-url <url>', 'DynamoDB endpoint (default local: http://localhost:8000; or AWS_ENDPOINT_URL_DYNAMODB)')
    .option('--region <region>', 'AWS region (default: AWS_REGION, the profile, or us-east-1 locally)')
    .option('--profile <name>', 'AWS profile (default: AWS_PROFILE)')
    .option('--table <name>', 'messages table (default: DDB_MESSAGE_TABLE or cruddur-messages)')
    .addOption(
      new Option('-o, --output <format>', 'table | text | json | ndjson (default: table on a terminal, json otherwise; text: tab-separated, no header)'),
    )
    // The time rule (docs/time.md): the zone of times the backend writes without an offset, and the form of ours.
    .option('--time-zone <iana>', 'zone of times written without an offset, e.g. America/New_York (default: CRUDDUR_TIME_ZONE or UTC)')
    .addOption(
      new Option('--time-form <form>', 'how times are written: utc (fixed-width +00:00), zone-offset, zone-naive (default: CRUDDUR_TIME_FORM or utc)').choices(
        TIME_FORMS,
      ),
    )
    .option('-y, --yes', 'do not ask for confirmation in prod')
    .option('--no-color', 'no colour (NO_COLOR is respected too)')
    .option('--wide', 'tables show every cell whole instead of fitting the terminal')
    .option('--columns <list>', 'only these columns of a table or of -o text, in this order, e.g. pk,sk,message', columnList)
    .showSuggestionAfterError()
    .configureHelp({ showGlobalOptions: true })
    .addHelpText(
      'after',
      examples([
        'npx cruddur-ddb local --schema-load',
        'cruddur-ddb list-tables',
        'cruddur-ddb scan cruddur-messages -o ndjson',
        'cruddur-ddb drop cruddur-messages prod --yes',
      ]) + '\nExit codes: 0 ok, 1 the job failed, 2 the command line was wrong.\n',
    );
  program.exitOverride().configureOutput(output);
  const repeated: string[] = [];
  watchRepeats(program, repeated);
  const declared = new Map<Command, CommandDefinition>();
  const finish = (command: Command) => {
    const definition = declared.get(command);
    if (!definition) return;
    declared.delete(command);
    completeCommand(command, definition, onInvoke, repeated);
  };
  // What the top-level (or a group's) help lists for a command, as if its options were there already.
  const subcommandTerm = (command: Command) => {
    const definition = declared.get(command);
    const term = Help.prototype.subcommandTerm.call(Help.prototype, command);
    if (!definition || command.options.length > 0 || (Object.keys(definition.options).length === 0 && !definition.cognito)) return term;
    return term.replace(/^(\S+)/, '$1 [options]');
  };
  program.configureHelp({ showGlobalOptions: true, subcommandTerm });
  program.hook('preSubcommand', (_parent, sub) => finish(sub));
  for (const definition of COMMANDS) {
    const command = declare(program, definition as unknown as CommandDefinition, finish);
    declared.set(command, definition as unknown as CommandDefinition);
  }
  if (complete) for (const command of [...declared.keys()]) finish(command);
  return program;
}

/**
 * commander keeps the last of a repeated option: `--env prod --env local` would run local. Each
 * option that takes a value remembers what it was given, and a second, different value is noted
 * (the same value twice is harmless), to be refused before the command runs.
 */
function watchRepeats(command: Command, repeated: string[]): void {
  for (const option of command.options) {
    // A list option (`--set a=1 --set b=2`, `--param`) is meant to be given many times.
    if ((!option.required && !option.optional) || option.variadic) continue;
    let given: unknown;
    command.on(`option:${option.name()}`, (value: unknown) => {
      if (given !== undefined && value !== given) repeated.push(`${option.long ?? option.flags} was given twice (${String(given)}, then ${String(value)})`);
      given = value;
    });
  }
}

function parentOf(program: Command, name: string, finish: (command: Command) => void): { parent: Command; leaf: string } {
  const words = name.split(' ');
  if (words.length === 1) return { parent: program, leaf: name };
  const groupName = words[0]!;
  const group = GROUPS[groupName as keyof typeof GROUPS];
  let parent = program.commands.find((command) => command.name() === groupName);
  if (!parent) {
    parent = program.command(groupName).description(group.description).addHelpText('after', examples(group.examples));
    parent.hook('preSubcommand', (_group, sub) => finish(sub));
  }
  return { parent, leaf: words.slice(1).join(' ') };
}

/** A command as the top-level help lists it: name, description, arguments. */
function declare(program: Command, definition: CommandDefinition, finish: (command: Command) => void): Command {
  const { parent, leaf } = parentOf(program, definition.name, finish);
  const groups = new Set<GlobalGroup>(definition.globals ?? ['dynamodb', 'aws']);
  const command = parent
    .command(leaf, { hidden: definition.hidden })
    .description(definition.description)
    // A bare `prod` may stand anywhere among the arguments: they are counted after it is taken out.
    .allowExcessArguments(true)
    .configureHelp({
      showGlobalOptions: true,
      visibleGlobalOptions(this: Help, cmd: Command) {
        return Help.prototype.visibleGlobalOptions.call(this, cmd).filter((option) => {
          const group = GROUP_OF[option.long ?? ''];
          return group === undefined || groups.has(group);
        });
      },
    });
  for (const [name, spec] of Object.entries(definition.args)) command.argument(spec.required ? `<${name}>` : `[${name}]`, spec.description);
  return command;
}

/** The rest of a command: its options, its help text, and the action that hands the parsed line over. */
function completeCommand(command: Command, definition: CommandDefinition, onInvoke: (invocation: Invocation) => void, repeated: string[]): void {
  const attributes: Array<[key: string, attribute: string]> = [];
  for (const [key, spec] of Object.entries(definition.options)) {
    const option = new Option(spec.flags, spec.description);
    if (spec.choices) option.choices(spec.choices);
    if (spec.default !== undefined) option.default(spec.default);
    if (spec.mandatory) option.makeOptionMandatory();
    command.addOption(option);
    // Both forms write one attribute; with neither given it stays undefined (commander sets no default for a pair).
    if (spec.negation) command.addOption(new Option(spec.negation.flags, spec.negation.description));
    attributes.push([key, option.attributeName()]);
  }
  if (definition.cognito) {
    command
      .option('--user-pool-id <id>', 'Cognito user pool (default: AWS_COGNITO_USER_POOL_ID)')
      .option('--cognito-endpoint-url <url>', "Cognito endpoint, e.g. a local emulator (default: AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, else AWS's own)");
  }
  watchRepeats(command, repeated);
  command.addHelpText('after', examples(definition.examples) + (definition.helpAfter ? `\n${definition.helpAfter}\n` : ''));
  command.action(function (this: Command) {
    const flags = this.optsWithGlobals<RunFlags>();
    const raw = this.opts();
    const input = () => {
      if (repeated.length) throw new UsageError('flag.repeated', repeated[0]!, 'Give each option once');
      return parseInput(definition, this.args, raw, attributes, flags);
    };
    onInvoke({ definition, flags, input });
  });
}

/**
 * The typed input: arguments by name (a bare `prod` taken out and turned into `--env prod`), options
 * through their parsers. Runs inside the entry's error handling, so a bad value is one line, exit 2.
 */
export function parseInput(
  definition: CommandDefinition,
  operands: readonly string[],
  raw: Record<string, unknown>,
  attributes: Array<[string, string]>,
  flags: RunFlags,
): Record<string, unknown> {
  const args = operands.filter((word) => word !== 'prod');
  if (args.length !== operands.length) {
    if (flags.env !== undefined && flags.env !== 'prod')
      throw new UsageError('env.conflict', `A bare "prod" and --env ${flags.env} disagree`, 'Give one of them');
    flags.env = 'prod';
  }
  const names = Object.keys(definition.args);
  if (args.length > names.length) {
    throw new UsageError(
      'arg.too_many',
      `Too many arguments for ${definition.name}: expected at most ${names.length}, got ${args.length} (${args.map((a) => `"${a}"`).join(' ')})`,
      'A table really named prod is named with --table prod',
    );
  }
  const input: Record<string, unknown> = {};
  names.forEach((name, i) => {
    if (definition.args[name]!.required && args[i] === undefined)
      throw new UsageError('arg.missing', `Missing the ${name} argument of ${definition.name}`, `See cruddur-ddb ${definition.name} --help`);
    const spec = definition.args[name]!;
    input[name] = spec.parse ? spec.parse(args[i]) : args[i];
  });
  for (const [key, attribute] of attributes) input[key] = definition.options[key]!.parse(raw[attribute]);
  return input;
}

/**
 * The command tree as plain data for the completion scripts (src/completion/scripts.ts): read from the
 * program the definitions build, so every command, option and choice completes as it parses.
 * Arguments and options named `table` complete with table names; `<dir>` values with folders, `<file>` and
 * `<path>` values with file names, and no other value with file names (a port, a limit, a URL).
 */
export function describeProgram(): CompletionSpec {
  const program = buildProgram(() => undefined, { writeOut: () => undefined, writeErr: () => undefined }, true);
  const option = (o: Option): OptionSpec => ({
    flags: [o.short, o.long].filter((flag): flag is string => Boolean(flag)),
    description: o.description,
    value:
      o.required || o.optional
        ? {
            choices: o.long === '--output' ? [...OUTPUT_FORMATS] : o.argChoices,
            // `<where>` (copy's --from/--to) is local, prod or a URL: the two words are offered, a URL may be typed.
            words: !o.argChoices && /<where>/.test(o.flags) ? ['local', 'prod'] : undefined,
            kind: o.long === '--table' ? 'table' : /<dir>/.test(o.flags) ? 'dir' : /<file>|<path>/.test(o.flags) ? 'file' : undefined,
          }
        : undefined,
  });
  const visible = (command: Command) => command.commands.filter((sub) => !sub.name().startsWith('__') && sub.name() !== 'help');
  const describe = (command: Command): CommandSpec => ({
    name: command.name(),
    description: command.description(),
    options: command.options.map(option),
    args: command.registeredArguments.map((argument) => ({ name: argument.name(), kind: argument.name() === 'table' ? ('table' as const) : undefined })),
    commands: visible(command).map(describe),
  });
  return {
    name: program.name(),
    options: [...program.options.map(option), { flags: ['-h', '--help'], description: 'display help' }],
    commands: visible(program).map(describe),
  };
}
