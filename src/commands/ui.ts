/**
 * `cruddur-ddb ui`: a local page of the single-table design (users, their conversations, the messages,
 * and the items and queries behind each), live through the stream. The server lives in src/ui/; this
 * file checks the flags, resolves where to read, starts it, and stops it on Ctrl-C.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { AddressInfo } from 'node:net';
import { clientOptions, describeTarget, translateAwsError } from '../aws.js';
import type { Context } from '../context.js';
import { checkTableName } from '../env.js';
import { UsageError } from '../errors.js';
import { wholeNumberFlag } from '../flags.js';
import { packagePath } from '../package-root.js';
import { DEFAULT_CHECKPOINT_DIR } from '../stream/checkpoint.js';
import { EventHub, followStream, type StreamMode } from '../ui/live.js';
import { createUiServer, type PageInfo } from '../ui/server.js';
import { streamOf } from './stream.js';

export interface UiOptions {
  port?: string | number;
  stream?: string;
  checkpointDir?: string;
}

export const DEFAULT_UI_PORT = 8060;
const MODES: readonly StreamMode[] = ['apply', 'watch', 'off'];

function parseOptions(options: UiOptions, context: Context): { port: number; mode: StreamMode } {
  const port = wholeNumberFlag(options.port ?? DEFAULT_UI_PORT, '--port', { min: 0, max: 65535 }) as number;
  const prod = context.env.name === 'prod';
  // Prod must be asked for on this command line (--env prod, or the old scripts' bare `prod`), not inherited from the shell.
  if (prod && context.env.nameSource === 'CRUDDUR_ENV')
    throw new UsageError('ui.prod_implicit', 'The page opens prod only with an explicit --env prod (prod came from CRUDDUR_ENV)', 'Add --env prod');
  const mode = (options.stream ?? (prod ? 'watch' : 'apply')) as StreamMode;
  if (!MODES.includes(mode)) throw new UsageError('flag.bad_stream', `--stream must be apply, watch or off, got "${options.stream}"`);
  if (prod && mode === 'apply')
    throw new UsageError(
      'ui.read_only',
      'The page is read-only in prod: it cannot apply the stream',
      'Use --stream watch (the Lambda moves the conversations)',
    );
  return { port, mode };
}

export async function ui(options: UiOptions, context: Context): Promise<{ url: string }> {
  const table = checkTableName(context.env.table.value);
  const parsed = parseOptions(options, context);
  const port = parsed.port;
  let mode = parsed.mode;
  const readOnly = context.env.name === 'prod';
  const client = await context.dynamo();
  const settings = await context.aws();
  let description;
  try {
    description = (await client.send(new DescribeTableCommand({ TableName: table }))).Table ?? {};
  } catch (error) {
    throw translateAwsError(error, context.env, table);
  }
  // The table's ARN names its account (arn:aws:dynamodb:<region>:<account>:table/<name>): no extra STS call for the banner.
  const account = description.TableArn?.split(':')[4];
  let streamArn: string | undefined;
  if (mode !== 'off') {
    try {
      streamArn = streamOf(table, description);
    } catch (error) {
      // Asked for by name, a missing stream is an error; by default the page simply reads without one.
      if (options.stream !== undefined) throw error;
      mode = 'off';
      context.say(`${(error as Error).message}: the page will not move by itself (--stream off).`);
    }
  }
  const info: PageInfo = {
    env: context.env.name,
    table,
    target: describeTarget(context.env),
    region: settings.region,
    account,
    readOnly,
    stream: mode === 'off' ? 'off' : mode === 'apply' ? 'applied here (moves conversations)' : 'watched (moved elsewhere)',
    users: context.env.postgresUrl.value ? 'postgres' : 'group items',
  };
  const hub = new EventHub();
  const server = createUiServer({
    client,
    table,
    info,
    hub,
    staticDir: packagePath('ui'),
    postgresUrl: context.env.postgresUrl.value,
    describeError: (error) => {
      const failure = translateAwsError(error, context.env, table);
      return { code: failure.code, message: failure.hint ? `${failure.message}. ${failure.hint}` : failure.message };
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' ? new UsageError('ui.port_taken', `Port ${port} on 127.0.0.1 is taken`, 'Pass another --port (0 picks a free one)') : error,
      ),
    );
    server.listen(port, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  context.stdout.write(`${url}\n`);
  context.say(`Serving ${table} at ${info.target}${readOnly ? ' (read-only)' : ''}; stream ${info.stream}. Ctrl-C stops.`);

  const stopping = new AbortController();
  const stop = () => stopping.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const streams = streamArn ? new DynamoDBStreamsClient(clientOptions(settings, context.env.endpoint.value)) : undefined;
  const following = streams
    ? followStream({
        mode: mode as 'apply' | 'watch',
        client,
        streams,
        streamArn: streamArn!,
        region: settings.region,
        table,
        checkpointDir: options.checkpointDir ?? DEFAULT_CHECKPOINT_DIR,
        hub,
        say: (line) => context.say(`  ${line}`),
        signal: stopping.signal,
      }).catch((error: unknown) => {
        // The page still reads without the stream; say why it stopped moving.
        const failure = translateAwsError(error, context.env, table);
        context.say(`The stream stopped: ${failure.message}`);
        hub.send('log', { line: `The stream stopped: ${failure.message}`, at: new Date().toISOString() });
      })
    : Promise.resolve();
  await new Promise((resolve) => stopping.signal.addEventListener('abort', resolve, { once: true }));
  context.say('Stopping...');
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  hub.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await following;
  streams?.destroy();
  context.say('Stopped.');
  return { url };
}
