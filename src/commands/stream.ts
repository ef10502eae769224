/**
 * `cruddur-ddb stream`: runs the messaging-stream handler locally against a table's stream (DynamoDB
 * Local, or any endpoint), the way Lambda's event source mapping would: Lambda-shaped batches to the
 * same `processRecords`, partial failures retried, and a checkpoint so a restart does not replay.
 */
import { DescribeTableCommand, type TableDescription } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { clientOptions } from '../aws/clients.js';
import type { Context } from '../cli/context.js';
import { checkTableName } from '../cli/environment.js';
import { CliError } from '../cli/errors.js';
import { record, type Output } from '../cli/output.js';
import { processRecords } from '../patterns/stream.js';
import { Checkpoint } from '../stream/checkpoint.js';
import { runStream, type RunTotals, type StartFrom } from '../stream/runner.js';

export interface StreamOptions {
  from: StartFrom;
  once: boolean;
  checkpointDir: string;
  batchSize: number;
}

export interface StreamResult extends RunTotals {
  table: string;
  stream: string;
  checkpoint: string;
}

/** The table's stream ARN, or a clear error when it has none the handler can use. */
export function streamOf(table: string, description: TableDescription): string {
  const spec = description.StreamSpecification;
  const enable = `aws dynamodb update-table --table-name ${table} --stream-specification StreamEnabled=true,StreamViewType=NEW_IMAGE`;
  if (!spec?.StreamEnabled || !description.LatestStreamArn) {
    throw new CliError('stream.disabled', `Table "${table}" has no stream enabled`, {
      hint: `Enable it with \`${enable}\` (add --endpoint-url for DynamoDB Local); \`cruddur-ddb schema-load\` creates tables with it`,
    });
  }
  if (spec.StreamViewType === 'KEYS_ONLY' || spec.StreamViewType === 'OLD_IMAGE') {
    throw new CliError('stream.no_new_image', `The stream of "${table}" is ${spec.StreamViewType}, but the handler needs each new message (NEW_IMAGE)`, {
      hint: `Disable it (StreamEnabled=false), then \`${enable}\``,
    });
  }
  return description.LatestStreamArn;
}

export async function stream(options: StreamOptions, context: Context): Promise<Output> {
  const table = checkTableName(context.env.table.value);
  const { from, batchSize } = options;
  const client = await context.dynamo();
  const settings = await context.aws();
  const streams = new DynamoDBStreamsClient(clientOptions(settings, context.env.endpoint.value));
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    context.say(`${signal}: stopping after the current batch (again to quit at once)`);
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const { Table: description = {} } = await client.send(new DescribeTableCommand({ TableName: table }));
    const streamArn = streamOf(table, description);
    const checkpoint = await Checkpoint.load(options.checkpointDir, streamArn);
    context.say(`Reading the stream of ${table} ${options.once ? 'once' : 'until Ctrl-C'} (checkpoint ${checkpoint.path}).`);
    const totals = await runStream({
      streams,
      streamArn,
      region: settings.region,
      checkpoint,
      from,
      once: options.once,
      batchSize,
      signal: controller.signal,
      apply: (records) => processRecords(records, { client, table, zone: context.env.timeZone.value, log: (line) => context.say(`  ${line}`) }),
      say: context.say,
    });
    context.say(
      `Done: ${totals.records} records in ${totals.batches} batches, ${totals.messages} messages, conversations moved ${totals.moved}, kept (message older) ${totals.older}, future group times replaced ${totals.distrusted}, unusable records ${totals.unusable}, failed records ${totals.failedRecords}.`,
    );
    const result: StreamResult = { table, stream: streamArn, checkpoint: checkpoint.path, ...totals };
    return record(result);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    streams.destroy();
  }
}
