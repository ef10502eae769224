/**
 * Loading a table without DynamoDB Local's stream trap (DESIGN.md, "DynamoDB Local, as measured here"):
 * once one stream-enabled table holds ~40,000 stream records, writes to every other stream-enabled table of
 * the same instance crawl at ~50 items/s. A table that import, copy or a snapshot restore CREATES is made
 * without its stream, loaded, and only then given the stream its shape asks for, as AWS's ImportTable does
 * (an imported table starts with no stream records). A user's own table that exists with a stream is
 * loaded as it is, with one warning naming the way out once the load grows large on a local endpoint.
 */
import {
  DescribeTableCommand,
  UpdateTableCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type StreamSpecification,
} from '@aws-sdk/client-dynamodb';
import { describeTable, ensureTable } from './table.js';

/** Items written into an existing stream table of DynamoDB Local before the warning is said. */
export const STREAM_WARN_ITEMS = 10_000;

export interface LoadTarget {
  /** The table was created for this load (its stream, if any, waits for `finish`). */
  created: boolean;
  /** Count what lands (the batch writer's onWritten): says the warning once, when it applies. */
  written(count: number): void;
  /** Turns on the stream held back at creation; safe to call more than once, and after a failed load. */
  finish(): Promise<void>;
}

export interface LoadTargetOptions {
  /** The target is DynamoDB Local (or another non-AWS endpoint), where the trap is. */
  local: boolean;
  say(line: string): void;
  /** How the user avoids the trap, for the warning: e.g. "import into a new table (--table NAME)". */
  wayOut: string;
  /** Items before the warning (default STREAM_WARN_ITEMS). */
  warnAt?: number;
}

export async function prepareLoadTarget(
  client: DynamoDBClient,
  table: string,
  shape: CreateTableCommandInput,
  options: LoadTargetOptions,
): Promise<LoadTarget> {
  const stream = shape.StreamSpecification?.StreamEnabled ? shape.StreamSpecification : undefined;
  const { StreamSpecification: _held, ...withoutStream } = shape;
  void _held;
  const created = await ensureTable(client, table, stream ? withoutStream : shape);
  let finished: Promise<void> | undefined;
  const finish = () => (finished ??= created && stream ? turnStreamOn(client, table, stream) : Promise.resolve());
  if (created) return { created, written: () => undefined, finish };

  // An existing table: warned about once, only where the trap is (a local endpoint, a stream on).
  const existing = options.local ? await describeTable(client, table) : undefined;
  const trapped = Boolean(existing?.StreamSpecification?.StreamEnabled);
  let count = 0;
  let warned = false;
  return {
    created,
    finish,
    written: (n) => {
      count += n;
      if (!trapped || warned || count < (options.warnAt ?? STREAM_WARN_ITEMS)) return;
      warned = true;
      options.say(
        `Note: ${table} has a stream, and DynamoDB Local slows writes to every other stream table of this instance once one holds ~40,000 stream records. For large loads, ${options.wayOut}: a table this command creates is loaded first and gets its stream after.`,
      );
    },
  };
}

/** UpdateTable with the held-back stream, then waits for ACTIVE (instant on DynamoDB Local, seconds on AWS). */
async function turnStreamOn(client: DynamoDBClient, table: string, stream: StreamSpecification): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
  if (Table?.StreamSpecification?.StreamEnabled) return;
  await client.send(
    new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: stream.StreamViewType ?? 'NEW_IMAGE' } }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 600, minDelay: 1, maxDelay: 5 }, { TableName: table });
}
