/**
 * `cruddur-ddb ui`: a local page of the single-table design (users, their conversations, the messages,
 * and the items and queries behind each), live through the stream. The server lives in src/ui/; this
 * file checks the flags, resolves where to read, starts it, and stops it on Ctrl-C.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { AddressInfo } from 'node:net';
import { clientOptions, describeTarget, translateAwsError } from '../aws/clients.js';
import type { Context } from '../kit/context.js';
import { checkTableName, timeRuleOf } from '../core/environment.js';
import { UsageError } from '../core/errors.js';
import type { Output } from '../kit/output.js';
import { packagePath } from '../core/package-root.js';
import { EventHub, followStream, type StreamMode } from '../ui/live.js';
import { createUiServer, type PageInfo } from '../ui/server.js';
import { streamOf } from './stream.js';

/** Every key of ui.def.ts, typed by its parser (defaults live there, once). */
export interface UiOptions {
  port: number;
  stream: 'auto' | StreamMode;
  checkpointDir: string;
}

/** The stream mode `auto` stands for, and the refusals that keep prod read-only. */
function modeFor(options: UiOptions, context: Context): StreamMode {
  const prod = context.env.name === 'prod';
  // Prod must be asked for on this command line (--env prod, or the old scripts' bare `prod`), not inherited from the shell.
  if (prod && context.env.nameSource === 'CRUDDUR_ENV')
    throw new UsageError('ui.prod_implicit', 'The page opens prod only with an explicit --env prod (prod came from CRUDDUR_ENV)', 'Add --env prod');
  if (prod && options.stream === 'apply')
    throw new UsageError(
      'ui.read_only',
      'The page is read-only in prod: it cannot apply the stream',
      'Use --stream watch (the Lambda moves the conversations)',
    );
  if (options.stream !== 'auto') return options.stream;
  return prod ? 'watch' : 'apply';
}

export async function ui(options: UiOptions, context: Context): Promise<Output> {
  const table = checkTableName(context.env.table.value);
  const { port } = options;
  let mode = modeFor(options, context);
  const readOnly = context.env.name === 'prod';
  const client = await context.dynamo();
  const settings = await context.aws();
  // A failure here (no table, nothing listening) reaches the entry, which words it.
  const description = (await client.send(new DescribeTableCommand({ TableName: table }))).Table ?? {};
  // The table's ARN names its account (arn:aws:dynamodb:<region>:<account>:table/<name>): no extra STS call for the banner.
  const account = description.TableArn?.split(':')[4];
  let streamArn: string | undefined;
  if (mode !== 'off') {
    try {
      streamArn = streamOf(table, description);
    } catch (error) {
      // Asked for by name, a missing stream is an error; by default the page simply reads without one.
      if (options.stream !== 'auto') throw error;
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
    fill: readOnly ? undefined : `npx cruddur-ddb seed${context.env.table.source === '--table' ? ` --table ${table}` : ''}`,
  };
  const hub = new EventHub();
  const server = createUiServer({
    client,
    table,
    info,
    hub,
    staticDir: packagePath('ui'),
    postgresUrl: context.env.postgresUrl.value,
    timeRule: timeRuleOf(context.env),
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
  // The URL goes to stdout at once (not as the command's returned output, which would come only at exit):
  // scripts and tests read it there while the server runs.
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
        zone: context.env.timeZone.value,
        checkpointDir: options.checkpointDir,
        hub,
        say: (line) => context.say(`  ${line}`),
        signal: stopping.signal,
      }).catch((error: unknown) => {
        // The page still reads without the stream; say why it stopped moving.
        const failure = translateAwsError(error, context.env, table);
        context.say(`The stream stopped: ${failure.message}`);
        hub.send('log', { line: `The stream stopped: ${failure.message}`, at: new Date().toISOString() });
        hub.setState({ running: false, mode: 'off', line: `stopped: ${failure.message}` });
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
  return undefined;
}
