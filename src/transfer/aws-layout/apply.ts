/**
 * The reader's second pass: once verify.ts has found every data file sound, their records become
 * write requests for the same bounded batch writer `import` uses (src/seed/batch-write.ts): puts of
 * `Item` lines; for an incremental export, for each key its last write only (verify.ts chose it), a
 * put of its NewImage, or a delete by its Keys when NewImage is missing.
 */
import type { DynamoDBClient, WriteRequest } from '@aws-sdk/client-dynamodb';
import { CliError } from '../../core/errors.js';
import { batchWriteStream, type BatchWriteResult } from '../../seed/batch-write.js';
import { sendOneByOne } from '../import-items.js';
import type { KeyRules } from '../item-checks.js';
import type { Item } from '../typed-json.js';
import type { FoundExport } from './find.js';
import { changeKey, dataRecords, type Verified } from './verify.js';

export interface ApplyOptions {
  concurrency: number;
  maxRetries: number;
  onWritten: (count: number) => void;
  /** A change made to every item on its way (copy --anonymize). */
  change?: (item: Item) => Item;
}

export async function applyExport(
  client: DynamoDBClient,
  table: string,
  found: FoundExport,
  verified: Verified,
  rules: KeyRules,
  options: ApplyOptions,
): Promise<BatchWriteResult & { deletes: number }> {
  const incremental = found.summary.exportType === 'INCREMENTAL_EXPORT';
  const where = new WeakMap<WriteRequest, { order: number; text: string }>();
  let order = 0;
  let deletes = 0;
  const change = options.change ?? ((item: Item) => item);
  const requests = async function* (): AsyncGenerator<WriteRequest> {
    for (const [file, entry] of found.files.entries()) {
      for await (const { record, line, name } of dataRecords(found, entry, incremental)) {
        let request: WriteRequest;
        if (record.kind === 'put') request = { PutRequest: { Item: change(record.item) } };
        else {
          const last = verified.lastWrites?.get(changeKey(record.keys));
          if (!last || last.file !== file || last.line !== line) continue; // a later write of this key wins
          if (record.newImage) request = { PutRequest: { Item: change(record.newImage) } };
          else {
            request = { DeleteRequest: { Key: record.keys } };
            deletes++;
          }
        }
        where.set(request, { order: order++, text: `${name}:${line}` });
        yield request;
      }
    }
  };
  const keyOf = (request: WriteRequest) => {
    const item = request.PutRequest?.Item ?? request.DeleteRequest?.Key ?? {};
    return JSON.stringify(rules.key.map((attribute) => item[attribute]));
  };
  const onRefused = (chunk: WriteRequest[], error: unknown) =>
    sendOneByOne(
      client,
      table,
      chunk,
      error,
      (request) => where.get(request)?.order ?? 0,
      options.onWritten,
      (request, what) =>
        new CliError('aws_export.refused', `${where.get(request)?.text ?? '?'}: ${what}`, {
          hint: 'Fix the export and run the import again (records already written are written again unchanged)',
        }),
    );
  const result = await batchWriteStream(client, table, requests(), {
    concurrency: options.concurrency,
    maxRetries: options.maxRetries,
    keyOf,
    onRefused,
    onWritten: options.onWritten,
  });
  return { ...result, deletes };
}
