import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createContext, type Context } from '../context.js';
import { wholeNumberFlag } from '../flags.js';
import { startDynamoDbLocal } from '../local-dynamodb.js';

export interface LocalOptions {
  port?: string | number;
  dataDir?: string;
  inMemory?: boolean;
  schemaLoad?: boolean;
  /** Write the sample conversations after --schema-load. */
  seed?: boolean;
}

/**
 * Amazon DynamoDB Local in the foreground, with -sharedDb so every tool and every credential sees the
 * same tables. Ctrl-C (SIGINT) or SIGTERM stops it cleanly; the returned promise settles then.
 */
export async function local(options: LocalOptions, context: Context): Promise<{ url: string; exitCode: number | null }> {
  const port = wholeNumberFlag(options.port ?? 8000, '--port', { min: 1, max: 65535 }) as number;
  const dataDir = options.inMemory ? undefined : resolve(options.dataDir ?? '.cruddur/dynamodb');
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
      const here = createContext({ flags: { env: 'local', endpointUrl: dynamo.url, table: context.env.table.value, output: context.format } });
      try {
        if (options.schemaLoad) await (await import('./schema-load.js')).schemaLoad({}, here);
        if (options.seed) await (await import('./seed.js')).seed({}, here);
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
  return { url: dynamo.url, exitCode };
}
