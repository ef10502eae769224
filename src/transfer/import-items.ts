/**
 * The items of an import file as write requests that remember their line: each is checked before it
 * is sent (item-checks.ts), so what DynamoDB would refuse is named by file:line; a batch DynamoDB
 * refuses anyway is sent again item by item to find the line at fault; and a key on two lines is
 * written once, the later line winning, as two puts in a row would leave it.
 */
import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { CliError } from '../core/errors.js';
import { itemProblem, type KeyRules } from './item-checks.js';
import type { ExportReader } from './transfer.js';

export interface ImportRequests {
  requests: AsyncGenerator<WriteRequest>;
  keyOf: (request: WriteRequest) => string;
  /** Finds the line DynamoDB refused in a refused batch, and throws naming it. */
  onRefused: (chunk: WriteRequest[], error: unknown) => Promise<void>;
}

const refused = (name: string, line: number | undefined, what: string) =>
  new CliError('import.refused', `${name}:${line ?? '?'}: ${what}`, {
    hint: 'Fix that line and run the import again (items already written are written again unchanged)',
  });

export function importRequests(
  reader: ExportReader,
  name: string,
  rules: KeyRules,
  client: DynamoDBClient,
  table: string,
  onWritten: (count: number) => void,
): ImportRequests {
  const lines = new WeakMap<WriteRequest, number>();
  const requests = async function* () {
    for await (const item of reader.items) {
      const problem = itemProblem(item, rules);
      if (problem) throw refused(name, reader.line, problem);
      const request = { PutRequest: { Item: item } };
      lines.set(request, reader.line);
      yield request;
    }
  };
  const keyOf = (request: WriteRequest) => JSON.stringify(rules.key.map((attribute) => request.PutRequest?.Item?.[attribute]));
  const onRefused = (chunk: WriteRequest[], error: unknown) =>
    sendOneByOne(
      client,
      table,
      chunk,
      error,
      (request) => lines.get(request) ?? 0,
      onWritten,
      (request, what) => refused(name, lines.get(request), what),
    );
  return { requests: requests(), keyOf, onRefused };
}

/**
 * After DynamoDB refused a whole batch (ValidationException, which names no item): sends its
 * requests one at a time in source order (puts and deletes are idempotent), and throws `fail`'s
 * error for the first one refused, so the user hears which line it was.
 */
export async function sendOneByOne(
  client: DynamoDBClient,
  table: string,
  chunk: WriteRequest[],
  error: unknown,
  order: (request: WriteRequest) => number,
  onWritten: (count: number) => void,
  fail: (request: WriteRequest, what: string) => Error,
): Promise<void> {
  if ((error as { name?: string }).name !== 'ValidationException') return;
  const inOrder = [...chunk].sort((a, b) => order(a) - order(b));
  for (const request of inOrder) {
    try {
      const output = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: [request] } }));
      if (!output.UnprocessedItems?.[table]?.length) onWritten(1);
    } catch (single) {
      if ((single as { name?: string }).name !== 'ValidationException') return;
      throw fail(request, `DynamoDB refused this item (${(single as Error).message.split('\n')[0]})`);
    }
  }
}
