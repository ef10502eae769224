/**
 * The messages table as a service: create it (or find it there already) and wait until it can be used,
 * for `schema-load` and `local --schema-load` alike; and the readiness check `wait` polls. Takes a client
 * and values, returns what it found; prints nothing.
 */
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient, type TableDescription } from '@aws-sdk/client-dynamodb';
import { messagesTableInput, shapeDifferences, type Billing } from '../patterns/table.js';
import { CliError, EXIT } from '../core/errors.js';
import { isUnreachable } from './clients.js';

export interface LoadedTable {
  created: boolean;
  description: TableDescription;
  /** How an existing table differs from the messages table's shape (empty: it matches). */
  differences: string[];
}

/**
 * Creates the messages table unless it exists, then waits until it and its index are ACTIVE (a table just
 * created, or still being created by someone else, is usable only then).
 */
export async function loadMessagesTable(client: DynamoDBClient, table: string, billing: Billing, timeoutMs = 300_000): Promise<LoadedTable> {
  let created = true;
  let answer: TableDescription | undefined;
  try {
    answer = (await client.send(new CreateTableCommand(messagesTableInput(table, billing)))).TableDescription;
  } catch (error) {
    if ((error as Error).name !== 'ResourceInUseException') throw error;
    created = false;
  }
  // DynamoDB Local creates a table ACTIVE at once: its answer is the description a first look would fetch.
  const description = answer && isActive(answer) ? answer : await waitUntilReady(client, table, { timeoutMs });
  if (!description) {
    throw new CliError('wait.timeout', `Table ${table} was not ACTIVE within ${timeoutMs / 1000} s`, { exitCode: EXIT.timeout });
  }
  return { created, description, differences: shapeDifferences(description) };
}

function isActive(description: TableDescription): boolean {
  return description.TableStatus === 'ACTIVE' && (description.GlobalSecondaryIndexes ?? []).every((gsi) => gsi.IndexStatus === 'ACTIVE');
}

/** Where a table stands, for `wait`: what is not ready yet, in words, or nothing when everything is. */
export type Readiness = { ready: true; description: TableDescription } | { ready: false; waitingFor: string };

/**
 * One look: the endpoint answers, the table exists, it and every GSI are ACTIVE, and (when asked) its
 * stream is enabled. Throws only what waiting cannot cure (an endpoint that is not DynamoDB, no credentials).
 */
export async function readiness(client: DynamoDBClient, table: string, options: { stream?: boolean; abortSignal?: AbortSignal } = {}): Promise<Readiness> {
  let description: TableDescription | undefined;
  try {
    description = (await client.send(new DescribeTableCommand({ TableName: table }), { abortSignal: options.abortSignal })).Table;
  } catch (error) {
    if (isUnreachable(error) || (error as Error).name === 'TimeoutError') return { ready: false, waitingFor: 'the endpoint to answer' };
    if ((error as Error).name === 'ResourceNotFoundException') return { ready: false, waitingFor: `table ${table} to exist` };
    throw error;
  }
  if (!description) return { ready: false, waitingFor: `table ${table} to exist` };
  if (description.TableStatus !== 'ACTIVE') return { ready: false, waitingFor: `table ${table} to be ACTIVE (it is ${description.TableStatus})` };
  const index = description.GlobalSecondaryIndexes?.find((gsi) => gsi.IndexStatus !== 'ACTIVE');
  if (index) return { ready: false, waitingFor: `index ${index.IndexName} to be ACTIVE (it is ${index.IndexStatus})` };
  if (options.stream && !description.StreamSpecification?.StreamEnabled) return { ready: false, waitingFor: `the stream of ${table} to be enabled` };
  return { ready: true, description };
}

export interface WaitOptions {
  timeoutMs: number;
  stream?: boolean;
  /** Each look that found it not ready yet (for progress lines). */
  onWaiting?(waitingFor: string): void;
}

/** First look at once, then a short capped backoff (25 ms doubling to 200 ms): readiness is noticed within ~200 ms. */
export const FIRST_DELAY_MS = 25;
export const MAX_DELAY_MS = 200;

/**
 * Polls `readiness` until the table is ready (its description) or the timeout passes (undefined, with the
 * last thing it was waiting for in `lastWaitingFor`).
 */
export async function waitUntilReady(
  client: DynamoDBClient,
  table: string,
  options: WaitOptions,
  last: { waitingFor?: string } = {},
): Promise<TableDescription | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  for (let delay = FIRST_DELAY_MS; ; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    const left = deadline - Date.now();
    // A look never outlasts the deadline: an endpoint that accepts and never answers is cut off.
    const state = await readiness(client, table, { stream: options.stream, abortSignal: AbortSignal.timeout(Math.max(left, 1)) }).catch((error: unknown) => {
      if ((error as Error).name === 'AbortError') return { ready: false as const, waitingFor: 'the endpoint to answer' };
      throw error;
    });
    if (state.ready) return state.description;
    last.waitingFor = state.waitingFor;
    options.onWaiting?.(state.waitingFor);
    if (Date.now() + delay > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
