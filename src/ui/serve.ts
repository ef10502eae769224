/**
 * The ui's lifecycle: describe the table, start the page's server on 127.0.0.1, follow the stream
 * (applying it or only watching), and stop everything when `stopSignal` fires. Takes values (the
 * resolved env, settings, a client, callbacks), never the command line's Context.
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clientOptions, describeTarget, translateAwsError, type AwsSettings } from '../aws/clients.js';
import { timeRuleOf, type ResolvedEnv } from '../core/environment.js';
import { CliError } from '../core/errors.js';
import { packagePath } from '../core/package-root.js';
import type { ExitHook } from '../stream/lock.js';
import { streamOf } from '../stream/table-stream.js';
import { EventHub, followStream, type StreamMode } from './live.js';
import { createUiServer, type PageInfo } from './server.js';

export interface ServeUiOptions {
  env: ResolvedEnv;
  settings: AwsSettings;
  client: DynamoDBClient;
  table: string;
  port: number;
  /** What the stream does; `asked` is whether the user named it (a missing stream is then an error). */
  mode: StreamMode;
  asked: boolean;
  checkpointDir: string;
  /** One line for people. */
  say(line: string): void;
  /** The URL, as soon as the server listens (scripts read it while the page runs). */
  listening(url: string): Promise<void>;
  /** Subscribes to Ctrl-C; returns what stops listening. */
  /** Where the checkpoint's lock learns of the process's end (the Context's onExit). */
  onExit: ExitHook;
  onSignal(handler: () => void): () => void;
  /** The wall clock in ms, for the page's log lines. */
  now(): number;
}

/** Runs the page until a signal; resolves once the server, the stream and its client are stopped. */
export async function serveUi(options: ServeUiOptions): Promise<void> {
  const { env, settings, client, table, port, say } = options;
  let mode = options.mode;
  const readOnly = env.name === 'prod';
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
      if (options.asked) throw error;
      mode = 'off';
      say(`${(error as Error).message}: the page will not move by itself (--stream off).`);
    }
  }
  const info: PageInfo = {
    env: env.name,
    table,
    target: describeTarget(env),
    region: settings.region,
    account,
    readOnly,
    stream: mode === 'off' ? 'off' : mode === 'apply' ? 'applied here (moves conversations)' : 'watched (moved elsewhere)',
    users: env.postgresUrl.value ? 'postgres' : 'group items',
    // An empty table's page shows the command that fills it.
    fill: readOnly ? undefined : `npx cruddur-ddb seed${env.table.source === '--table' ? ` --table ${table}` : ''}`,
  };
  const hub = new EventHub();
  const server = createUiServer({
    client,
    table,
    info,
    hub,
    staticDir: packagePath('ui'),
    postgresUrl: env.postgresUrl.value,
    timeRule: timeRuleOf(env),
    describeError: (error) => {
      const failure = translateAwsError(error, env, table);
      return { code: failure.code, message: failure.hint ? `${failure.message}. ${failure.hint}` : failure.message };
    },
  });
  const url = await listenOn(server, port);
  // The URL goes to stdout at once (not as the command's returned output, which would come only at exit):
  // scripts and tests read it there while the server runs.
  await options.listening(url);
  say(`Serving ${table} at ${info.target}${readOnly ? ' (read-only)' : ''}; stream ${info.stream}. Ctrl-C stops.`);

  const stopping = new AbortController();
  const stop = () => stopping.abort();
  const stopListening = options.onSignal(stop);
  const streams = streamArn ? new DynamoDBStreamsClient(clientOptions(settings, env.endpoint.value)) : undefined;
  const following = streams
    ? followStream({
        mode: mode as 'apply' | 'watch',
        client,
        streams,
        streamArn: streamArn!,
        region: settings.region,
        table,
        zone: env.timeZone.value,
        checkpointDir: options.checkpointDir,
        hub,
        say: (line) => say(`  ${line}`),
        signal: stopping.signal,
        onExit: options.onExit,
      }).catch((error: unknown) => {
        // The page still reads without the stream; say why it stopped moving.
        const failure = translateAwsError(error, env, table);
        say(`The stream stopped: ${failure.message}`);
        hub.send('log', { line: `The stream stopped: ${failure.message}`, at: new Date(options.now()).toISOString() });
        hub.setState({ running: false, mode: 'off', line: `stopped: ${failure.message}` });
      })
    : Promise.resolve();
  await new Promise((resolve) => stopping.signal.addEventListener('abort', resolve, { once: true }));
  say('Stopping...');
  stopListening();
  hub.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await following;
  streams?.destroy();
  say('Stopped.');
}

/** Listens on 127.0.0.1:`port`; a taken port is a usage error that says what to do. */
function listenOn(server: Server, port: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new CliError('ui.port_taken', `Port ${port} on 127.0.0.1 is taken`, { hint: 'Pass another --port (0 picks a free one)' })
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`));
  });
}
