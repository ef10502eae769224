/**
 * The page's live side: Server-Sent Events to every open page, fed by the stream.
 *
 * - `apply` (local default): the same local runner and handler as `cruddur-ddb stream`, so a message sent
 *   from anywhere (the CLI, the real backend, the page) moves its conversation, and the page hears of it.
 * - `watch` (prod, or when `cruddur-ddb stream` / the Lambda does the moving): reads the stream without
 *   writing anything and tells the page which conversations got a message; the page reads them again.
 * Each batch line the runner prints is sent to the page too.
 */
import type { ServerResponse } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GROUP_PREFIX } from '../patterns/keys.js';
import { latestPerConversation, processRecords, type BatchResult } from '../patterns/stream.js';
import type { DynamoDBStreamRecord } from '../patterns/stream-event.js';
import { Checkpoint } from '../stream/checkpoint.js';
import { runStream } from '../stream/runner.js';

export type StreamMode = 'apply' | 'watch' | 'off';

/** The open pages, each an SSE response. */
export class EventHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly keepAlive: NodeJS.Timeout;

  constructor() {
    // A comment line now and then keeps proxies and idle timeouts from closing the stream.
    this.keepAlive = setInterval(() => this.clients.forEach((response) => response.write(': keep-alive\n\n')), 15_000);
    this.keepAlive.unref();
  }

  /** Open pages now (the server refuses more than it can hold). */
  get size(): number {
    return this.clients.size;
  }

  add(response: ServerResponse): void {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    response.write('retry: 1000\n\n');
    this.clients.add(response);
    response.on('close', () => this.clients.delete(response));
  }

  send(event: string, data: unknown): void {
    const text = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const response of this.clients) response.write(text);
  }

  close(): void {
    clearInterval(this.keepAlive);
    for (const response of this.clients) response.end();
    this.clients.clear();
  }
}

export interface FollowOptions {
  mode: Exclude<StreamMode, 'off'>;
  client: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  streamArn: string;
  region: string | undefined;
  table: string;
  /** IANA zone of stored times without an offset (docs/time.md). */
  zone: string;
  /** Where `apply` keeps its place (shared with `cruddur-ddb stream` by default). */
  checkpointDir: string;
  hub: EventHub;
  say: (line: string) => void;
  signal: AbortSignal;
}

/** Reads the batch without writing: what the page needs to know, in the handler's own counts. */
function watchBatch(records: DynamoDBStreamRecord[], zone: string): BatchResult {
  const { updates, messages, unusable } = latestPerConversation(records, () => undefined, zone);
  const none = { moved: 0, unchanged: 0, older: 0, distrusted: 0, missing: 0, failed: 0 };
  return { batchItemFailures: [], records: records.length, messages, conversations: updates.length, unusable, ...none };
}

/**
 * The conversations a batch touches: a new message (MSG# insert), or a group item put in place (GRP#
 * insert: the stream handler, wherever it runs, moving a conversation). The page reads those again.
 */
export function touchedGroups(records: readonly DynamoDBStreamRecord[], zone = 'UTC'): string[] {
  const groups = new Set(latestPerConversation(records, () => undefined, zone).updates.map((update) => update.messageGroupUuid));
  for (const record of records) {
    const image = record.dynamodb?.NewImage;
    if (record.eventName === 'INSERT' && image?.pk?.S?.startsWith(GROUP_PREFIX) && image.message_group_uuid?.S) groups.add(image.message_group_uuid.S);
  }
  return [...groups];
}

/** Follows the stream until `signal`; every batch goes to the page as a `batch` event. */
export async function followStream(options: FollowOptions): Promise<void> {
  const { mode, hub } = options;
  // Watching starts at the tip each time, in a throwaway checkpoint: it changes nothing, so it need not resume.
  const dir = mode === 'apply' ? options.checkpointDir : await mkdtemp(join(tmpdir(), 'cruddur-ui-'));
  const checkpoint = await Checkpoint.load(dir, options.streamArn);
  const line = (text: string) => {
    options.say(text);
    hub.send('log', { line: text, at: new Date().toISOString() });
  };
  await runStream({
    streams: options.streams,
    streamArn: options.streamArn,
    region: options.region,
    checkpoint,
    from: mode === 'apply' ? 'trim-horizon' : 'latest',
    once: false,
    batchSize: 100,
    signal: options.signal,
    say: line,
    apply: async (records) => {
      const result =
        mode === 'apply'
          ? await processRecords(records, { client: options.client, table: options.table, zone: options.zone, log: line })
          : watchBatch(records, options.zone);
      hub.send('batch', { mode, groups: touchedGroups(records, options.zone), records: result.records, messages: result.messages, moved: result.moved });
      return result;
    },
  });
}
