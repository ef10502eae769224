import { mkdirSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { defaultOptions } from '../cli/define.js';
import { createContext, type Context } from '../cli/context.js';
import { startDynamoDbLocal } from '../aws/local-dynamodb.js';
import { CliError, UsageError } from '../cli/errors.js';
import { render, type Output } from '../cli/output.js';
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
}

/**
 * Amazon DynamoDB Local in the foreground, with -sharedDb so every tool and every credential sees the
 * same tables. Ctrl-C (SIGINT) or SIGTERM stops it cleanly; the returned promise settles then.
 */
export async function local(options: LocalOptions, context: Context): Promise<Output> {
  const { port } = options;
  const dataDir = options.inMemory ? undefined : resolve(options.dataDir);
  if (dataDir) mkdirSync(dataDir, { recursive: true });

  const host = checkHost(options.host);
  if (!isLoopback(host)) {
    context.say(
      `Warning: listening on ${host === '0.0.0.0' || host === '::' ? 'every network interface' : host}: DynamoDB Local accepts any credentials, so anyone who can reach this machine on port ${port} can read and delete its tables.`,
    );
  }
  const dynamo = await startDynamoDbLocal({ port, dataDir, host });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    context.say('Stopping DynamoDB Local...');
    void dynamo.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    context.say(`DynamoDB Local listens on ${dynamo.url} (${dataDir ? `data in ${dataDir}` : 'in memory'}, shared database).`);
    if (options.schemaLoad || options.seed) {
      // The other commands talk to this server, whatever the environment variables say.
      // The time rule carries over too (issue 9), so `local --seed --time-form zone-naive` seeds in that form.
      const here = createContext({
        flags: {
          env: 'local',
          endpointUrl: dynamo.url,
          table: context.env.table.value,
          output: context.format,
          timeZone: context.env.timeZone.value,
          timeForm: context.env.timeForm.value,
        },
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
    const endpoint = port === 8000 ? '' : ` --endpoint-url ${dynamo.url}`;
    context.say(
      [
        'From another terminal, try:',
        `  cruddur-ddb list-tables${endpoint}`,
        `  cruddur-ddb scan ${context.env.table.value}${endpoint}`,
        `  cruddur-ddb env${endpoint}`,
        'Ctrl-C stops it.',
      ].join('\n'),
    );
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
  const exitCode = await dynamo.exited;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  if (!stopping) {
    // Nobody asked it to stop: a crash (or a kill from outside). Show why, and fail.
    const lines = dynamo.lastLines();
    if (lines.length > 0) context.say(`DynamoDB Local's last lines:\n${lines.map((line) => `  ${line}`).join('\n')}`);
    const how = exitCode !== null ? `with code ${exitCode}` : `by signal ${dynamo.signal() ?? 'unknown'}`;
    throw new CliError('local.died', `DynamoDB Local stopped by itself (${how}); its tables are no longer served at ${dynamo.url}`, {
      hint: 'See its last lines above; start it again with `cruddur-ddb local`',
    });
  }
  context.say('Stopped.');
  return undefined;
}
