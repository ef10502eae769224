/**
 * The messaging-stream Lambda: a thin handler around the library's `processRecords`, so the same code
 * runs in Lambda, in `cruddur-ddb stream` and in the tests. Bundled by scripts/build-lambda.mjs.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { processRecords, type DynamoDBStreamEvent, type StreamBatchResponse } from '../patterns/stream.js';
import { isTimeZone } from '../patterns/time.js';

/** The backend's own default table name. */
const DEFAULT_TABLE = 'cruddur-messages';

let lambdaClient: DynamoDBClient | undefined;

/**
 * The Lambda's time rule: CRUDDUR_TIME_ZONE, as for the CLI (default UTC). A name the runtime does not know
 * fails every invocation loudly rather than misordering messages quietly.
 */
function lambdaZone(): string {
  const zone = process.env.CRUDDUR_TIME_ZONE || 'UTC';
  if (!isTimeZone(zone)) throw new Error(`CRUDDUR_TIME_ZONE="${zone}" is not an IANA time zone (e.g. America/New_York)`);
  return zone;
}

/**
 * The Lambda entry point. The table is DDB_MESSAGE_TABLE (default cruddur-messages); the client takes
 * its region, credentials and endpoint (AWS_ENDPOINT_URL_DYNAMODB, when set) from the SDK's own chain.
 * Built once per execution environment and reused across invocations.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<StreamBatchResponse> {
  lambdaClient ??= new DynamoDBClient({});
  const table = process.env.DDB_MESSAGE_TABLE || DEFAULT_TABLE;
  const zone = lambdaZone();
  const result = await processRecords(event.Records ?? [], { client: lambdaClient, table, zone, log: (line) => console.log(line) });
  const { batchItemFailures, ...summary } = result;
  console.log(JSON.stringify({ table, ...summary, failedRecords: batchItemFailures.length }));
  return { batchItemFailures };
}
