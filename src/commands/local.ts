import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultOptions } from '../cli/define.js';
import { createContext, type Context } from '../cli/context.js';
import { startDynamoDbLocal } from '../aws/local-dynamodb.js';
import { render, type Output } from '../cli/output.js';
import schemaLoadDefinition from './schema-load.def.js';
import seedDefinition from './seed.def.js';

export interface LocalOptions {
  port: number;
  dataDir: string;
  inMemory: boolean;
  schemaLoad: boolean;
  /** Write the sample conversations after --schema-load. */
  seed: boolean;
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

  const dynamo = await startDynamoDbLocal({ port, dataDir });
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
  if (!stopping) context.say(`DynamoDB Local exited by itself (code ${exitCode}).`);
  else context.say('Stopped.');
  return undefined;
}
