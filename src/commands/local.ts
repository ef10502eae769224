import { writeFileSync } from 'node:fs';
import { createServer, isIP } from 'node:net';
import { join, relative } from 'node:path';
import { startDynamoDbLocal } from '../aws/local-dynamodb.js';
import { createContext, type Context } from '../kit/context.js';
import { defaultOptions } from '../kit/define.js';
import { CliError, UsageError } from '../core/errors.js';
import { render, type Output } from '../kit/output.js';
import { makeStateDir, STATE_DIR_NAME } from '../core/state-dir.js';
import schemaLoadDefinition from './schema-load.def.js';
import seedDefinition from './seed.def.js';

/** 127.0.0.0/8 and ::1 are this machine only. */
function isLoopback(host: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === 'localhost';
}

/** An IP address (v4 or v6) or a host name; nothing with spaces, slashes or ports in it. */
function checkHost(host: string): string {
  if (isIP(host) || /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/.test(host)) return host;
  throw new UsageError('flag.bad_host', `--host must be an IP address or host name, got "${host}"`, 'e.g. --host 0.0.0.0 to listen on every interface');
}

export interface LocalOptions {
  port: number;
  dataDir: string;
  inMemory: boolean;
  schemaLoad: boolean;
  /** Write the sample conversations after --schema-load. */
  seed: boolean;
  /** Address to listen on (127.0.0.1 by default); anything wider is said with a warning. */
  host: string;
  /** false (--no-users-from-db): seed with the uuids of seed/users.txt even when CONNECTION_URL is set. */
  usersFromDb: boolean | undefined;
  /** Also PostgreSQL with Cruddur's users table and the sample users. */
  postgres: boolean;
  postgresPort: number;
  /** Also cognito-local with a pool and the sample users. */
  cognito: boolean;
  cognitoPort: number;
}

/** The sample users' emails: made up, in a domain reserved for examples (RFC 2606). */
export const sampleEmail = (handle: string) => `${handle}@example.com`;

async function requireFreePort(port: number, what: string, flag: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
  if (!free)
    throw new CliError('local.port_taken', `Port ${port} (for ${what}) is already taken`, { hint: `Stop what holds it, or pass ${flag} with another port` });
}

interface Part {
  name: string;
  stop(): Promise<unknown>;
}

/**
 * The local stack in the foreground: Amazon DynamoDB Local (with -sharedDb, so every tool and every
 * credential sees the same tables), and with --postgres / --cognito the other two parts the Cruddur
 * commands talk to. Ctrl-C (SIGINT) or SIGTERM stops them all cleanly; the returned promise settles then.
 */
export async function local(options: LocalOptions, context: Context): Promise<Output> {
  const { port } = options;
  const postgresPort = options.postgres ? options.postgresPort : undefined;
  const cognitoPort = options.cognito ? options.cognitoPort : undefined;
  // Every port is checked before anything starts: a half-started stack is worse than none.
  if (postgresPort) await requireFreePort(postgresPort, 'PostgreSQL', '--postgres-port');
  if (cognitoPort) await requireFreePort(cognitoPort, 'cognito-local', '--cognito-port');
  // PostgreSQL's cluster, cognito-local's pools and the env file live in .cruddur/ too, unless --in-memory.
  const stateDir = options.inMemory ? undefined : makeStateDir(STATE_DIR_NAME);
  const dataDir = options.inMemory ? undefined : makeStateDir(options.dataDir ?? '.cruddur/dynamodb');

  const host = checkHost(options.host);
  if (!isLoopback(host)) {
    context.say(
      `Warning: listening on ${host === '0.0.0.0' || host === '::' ? 'every network interface' : host}: DynamoDB Local accepts any credentials, so anyone who can reach this machine on port ${port} can read and delete its tables.`,
    );
  }
  const dynamo = await startDynamoDbLocal({ port, dataDir, host });
  const parts: Part[] = [{ name: 'DynamoDB Local', stop: () => dynamo.stop() }];
  let stopped: Promise<void> | undefined;
  const stopAll = () =>
    (stopped ??= (async () => {
      for (const part of [...parts].reverse()) await part.stop().catch(() => undefined);
    })());
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    context.say(`Stopping ${parts.map((part) => part.name).join(', ')}...`);
    void stopAll();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const exports: Record<string, string> = {};
  if (port !== 8000) exports.AWS_ENDPOINT_URL_DYNAMODB = dynamo.url;
  try {
    context.say(`DynamoDB Local listens on ${dynamo.url} (${dataDir ? `data in ${dataDir}` : 'in memory'}, shared database).`);
    if (postgresPort || cognitoPort) {
      const { readSeedDir } = await import('../seed/files.js');
      const { DEFAULT_SEED_DIR } = await import('./seed.js');
      const { users } = await readSeedDir(DEFAULT_SEED_DIR);
      if (postgresPort) {
        const { prepareCruddurDatabase, startPostgres } = await import('../postgres/local-server.js');
        const postgres = await startPostgres({ port: postgresPort, dataDir: stateDir ? join(stateDir, 'postgres') : undefined });
        parts.push({ name: 'PostgreSQL', stop: () => postgres.stop() });
        const rows = users.map((user) => ({ uuid: user.uuid, handle: user.handle, displayName: user.displayName, email: sampleEmail(user.handle) }));
        exports.CONNECTION_URL = await prepareCruddurDatabase(postgres.url, 'cruddur', rows);
        context.say(
          `PostgreSQL listens on 127.0.0.1:${postgresPort} (data in ${postgres.dataDir}): database cruddur, table public.users with ${rows.length} sample users.`,
        );
      }
      if (cognitoPort) {
        const { prepareCruddurPool, startCognitoLocal } = await import('../cognito/local-server.js');
        const cognito = await startCognitoLocal({ port: cognitoPort, dataDir: stateDir ? join(stateDir, 'cognito') : undefined });
        parts.push({ name: 'cognito-local', stop: () => cognito.stop() });
        const poolUsers = users.map((user) => ({ email: sampleEmail(user.handle), handle: user.handle, displayName: user.displayName }));
        exports.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = cognito.url;
        exports.AWS_COGNITO_USER_POOL_ID = await prepareCruddurPool(cognito.url, 'cruddur-local', poolUsers);
        context.say(
          `cognito-local listens on ${cognito.url}: pool ${exports.AWS_COGNITO_USER_POOL_ID} with ${poolUsers.length} sample users (preferred_username = handle).`,
        );
      }
    }
    if (options.schemaLoad || options.seed) {
      // The other commands talk to this server, whatever the environment variables say; with --postgres,
      // seed takes the users from the PostgreSQL just started (issue 9's rule: CONNECTION_URL set means
      // users from the database). The time rule carries over too, so `--time-form zone-naive` seeds in that form.
      const here = createContext({
        flags: {
          env: 'local',
          endpointUrl: dynamo.url,
          table: context.env.table.value,
          output: context.format,
          timeZone: context.env.timeZone.value,
          timeForm: context.env.timeForm.value,
        },
        env: exports.CONNECTION_URL ? { ...context.vars, CONNECTION_URL: exports.CONNECTION_URL } : context.vars,
        stdout: context.stdout,
        stderr: context.stderr,
        stdin: context.stdin,
        onSignal: context.onSignal,
      });
      try {
        // Each runs as if typed on its own with no options: their defaults come from their definitions.
        if (options.schemaLoad)
          await render(await (await schemaLoadDefinition.load())({ table: undefined, ...defaultOptions(schemaLoadDefinition.options) }, here), here);
        if (options.seed)
          await render(await (await seedDefinition.load())({ ...defaultOptions(seedDefinition.options), usersFromDb: options.usersFromDb }, here), here);
      } finally {
        here.close();
      }
    }
    const lines = ['From another terminal (in this folder), try:'];
    const exportLines = Object.entries(exports).map(([name, value]) => `export ${name}=${value}`);
    if (exportLines.length && stateDir) {
      const envFile = join(stateDir, 'env');
      writeFileSync(envFile, `# Written by cruddur-ddb local: the settings for the stack it runs.\n${exportLines.join('\n')}\n`);
      lines.push(`  source ${relative(process.cwd(), envFile) || envFile}`);
    } else for (const line of exportLines) lines.push(`  ${line}`);
    lines.push(`  npx cruddur-ddb list-tables`, `  npx cruddur-ddb scan ${context.env.table.value}`);
    if (exports.CONNECTION_URL) lines.push('  npx cruddur-ddb list-conversations andrewbrown');
    if (exports.AWS_COGNITO_USER_POOL_ID) lines.push('  npx cruddur-ddb cognito list-users');
    lines.push('Ctrl-C stops it.');
    context.say(lines.join('\n'));
  } catch (error) {
    await stopAll();
    throw error;
  }
  const exitCode = await dynamo.exited;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  if (!stopping) {
    // Nobody asked it to stop: a crash (or a kill from outside). Stop the rest of the stack, show why, and fail.
    stopping = true;
    await stopAll();
    const lines = dynamo.lastLines();
    if (lines.length > 0) context.say(`DynamoDB Local's last lines:\n${lines.map((line) => `  ${line}`).join('\n')}`);
    const how = exitCode !== null ? `with code ${exitCode}` : `by signal ${dynamo.signal() ?? 'unknown'}`;
    throw new CliError('local.died', `DynamoDB Local stopped by itself (${how}); its tables are no longer served at ${dynamo.url}`, {
      hint: 'See its last lines above; start it again with `cruddur-ddb local`',
    });
  }
  await stopAll();
  context.say('Stopped.');
  return undefined;
}
