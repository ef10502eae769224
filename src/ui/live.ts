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
import { claimApply, describeHolder, lockHolder, type ExitHook } from '../stream/lock.js';
import { runStream } from '../stream/runner.js';

export type StreamMode = 'apply' | 'watch' | 'off';

/**
 * What the stream is doing now, for the page's "Stream:" line: a page must not say "Live." once the
 * stream has stopped, nor "applied here" while another process applies it.
 */
export interface StreamState {
  running: boolean;
  /** The mode in effect (an `apply` that found another process applying watches instead). */
  mode: StreamMode;
  /** One line for people: what happens, and why when it is not what was asked for. */
  line: string;
}

/** The open pages, each an SSE response. */
export class EventHub {
  private readonly clients = new Set<ServerResponse>();
  /** The last state, sent to every page that connects later. */
  state: StreamState | undefined;
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
    if (this.state) response.write(`event: state\ndata: ${JSON.stringify(this.state)}\n\n`);
  }

  setState(state: StreamState): void {
    this.state = state;
    this.send('state', state);
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
  /** Where the checkpoint's lock learns of the process's end (the Context's onExit). */
  onExit: ExitHook;
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

/** How often a page that watches because another process applies looks whether that process stopped. */
const LOCK_POLL_MS = 2000;

/**
 * Follows the stream until `signal`; every batch goes to the page as a `batch` event. `apply` applies
 * only while it holds the checkpoint's lock (src/stream/lock.ts): when `cruddur-ddb stream` (or another
 * page) already applies this stream from the same folder, the page watches, says why, and takes over
 * applying once that process stops.
 */
export async function followStream(options: FollowOptions): Promise<void> {
  const { hub } = options;
  const line = (text: string) => {
    options.say(text);
    hub.send('log', { line: text, at: new Date().toISOString() });
  };
  try {
    if (options.mode === 'watch') {
      hub.setState({ running: true, mode: 'watch', line: 'watched (moved elsewhere)' });
      return await follow(options, 'watch', options.signal, line);
    }
    while (!options.signal.aborted) {
      const claim = await claimApply(options.checkpointDir, options.streamArn, 'cruddur-ddb ui', options.onExit);
      if (claim.held) {
        try {
          hub.setState({ running: true, mode: 'apply', line: 'applied here (moves conversations)' });
          return await follow(options, 'apply', options.signal, line);
        } finally {
          await claim.held.release();
        }
      }
      const why = `${describeHolder(claim.holder)} applies this stream from ${options.checkpointDir}`;
      line(`Not applying the stream: ${why}. Watching instead; applying here once it stops.`);
      hub.setState({ running: true, mode: 'watch', line: `watched: ${why}` });
      const free = new AbortController();
      const poll = setInterval(() => void lockHolder(claim.path).then((holder) => holder || free.abort()), LOCK_POLL_MS);
      try {
        await follow(options, 'watch', AbortSignal.any([options.signal, free.signal]), line);
      } finally {
        clearInterval(poll);
      }
      if (!options.signal.aborted) line(`${describeHolder(claim.holder)} stopped: applying the stream here from now on.`);
    }
  } finally {
    // The caller words a failure (the CLI's AWS error words) and says it again, with the reason.
    if (hub.state?.running) hub.setState({ running: false, mode: 'off', line: 'stopped' });
  }
}

async function follow(options: FollowOptions, mode: 'apply' | 'watch', signal: AbortSignal, line: (text: string) => void): Promise<void> {
  const { hub } = options;
  // Watching starts at the tip each time, in a throwaway checkpoint: it changes nothing, so it need not resume.
  const dir = mode === 'apply' ? options.checkpointDir : await mkdtemp(join(tmpdir(), 'cruddur-ui-'));
  const checkpoint = await Checkpoint.load(dir, options.streamArn);
  await runStream({
    streams: options.streams,
    streamArn: options.streamArn,
    region: options.region,
    checkpoint,
    from: mode === 'apply' ? 'trim-horizon' : 'latest',
    once: false,
    batchSize: 100,
    signal,
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
