/** `cruddur-ddb import <file|->`: re-creates the table from an export file's header when missing, then streams its items in. */
import { isAwsFailure, translateAwsError } from '../aws/clients.js';
import type { Context } from '../kit/context.js';
import { confirmDestructive } from '../kit/prod-prompt.js';
import type { Output } from '../kit/output.js';
import { readLines } from '../transfer/line-reader.js';
import { createInputFromHeader } from '../transfer/format.js';
import { importRequests } from '../transfer/import-items.js';
import { keyRulesOf } from '../transfer/item-checks.js';
import { incomplete, perSecond, seconds } from '../transfer/summary.js';
import { prepareLoadTarget } from '../transfer/stream-hold.js';
import { isAwsEndpoint } from '../core/aws-host.js';
import { meterFor, meteredSummary } from '../kit/consumed.js';
import { deleteAllItems, readExport } from '../transfer/transfer.js';
import { batchWriteStream } from '../seed/batch-write.js';
import { checkTableName } from '../core/environment.js';
import { CliError } from '../core/errors.js';
import { createProgress } from '../kit/progress.js';
import { failedAfter } from '../transfer/partial.js';
import type { ImportInput } from './import.def.js';

/** The definition's arguments and options, typed there (defaults and choices live there, once). */
export type ImportOptions = ImportInput;

export interface ImportSummary {
  table: string;
  file: string;
  created: boolean;
  /** Items deleted first (--replace). */
  deleted: number;
  items: number;
  /** Lines whose key a later line of the same batch had (that line won). */
  replaced: number;
  seconds: number;
  itemsPerSecond: number;
}

export async function importCommand(options: ImportOptions, context: Context): Promise<Output> {
  const { concurrency, maxRetries } = options;
  const name = options.file === '-' ? 'stdin' : options.file;
  // The header is read (and checked) before anything is asked or sent.
  const reader = await readExport(readLines(options.file, context.stdin), name);
  // --table (or DDB_MESSAGE_TABLE) names the target; else the table the file came from.
  const table = checkTableName(context.env.table.source === 'default' ? (reader.header.table.TableName ?? context.env.table.value) : context.env.table.value);
  // Only the table's shape is taken from the file (keys, indexes, stream, billing): a header is data, not a policy.
  const { input: shape, leftOut } = createInputFromHeader(reader.header.table);
  await confirmDestructive(
    context,
    options.replace ? `delete every item of ${table}, then write the items of ${name}` : `write the items of ${name} into ${table}`,
    table,
  );

  const client = await context.dynamo();
  const meter = meterFor(context, options.consumed);
  await meter?.watch(client);
  const progress = createProgress(context, `Importing into ${table}:`);
  const started = context.clock();
  let created = false;
  let deleted = 0;
  let written = 0;
  let result;
  let target;
  try {
    // A table created here gets its stream only once loaded (src/transfer/stream-hold.ts).
    const endpoint = context.env.endpoint.value;
    target = await prepareLoadTarget(client, table, shape, {
      local: endpoint !== undefined && !isAwsEndpoint(endpoint),
      say: (line) => context.say(line),
      wayOut: `import into a new table (--table NAME), or drop ${table} and import again`,
    });
    created = target.created;
    if (created)
      context.say(
        `Created table ${table} from the header of ${name}${leftOut.length ? ` (left out of its definition: ${leftOut.join(', ')}; import creates keys, indexes, stream and billing only)` : ''}.`,
      );
    else if (options.replace) {
      // reset, then import: the same deletion `reset` does (the table, its indexes and its stream are kept).
      const emptied = await deleteAllItems(client, table, { segments: 4, concurrency, maxRetries });
      if (emptied.notWritten > 0) throw incomplete('reset.incomplete', emptied.notWritten, emptied.found, table, maxRetries, 'the import --replace');
      deleted = emptied.written;
      context.say(`Deleted the ${deleted} items ${table} held.`);
    }
    const onWritten = (n: number) => {
      written += n;
      progress.add(n);
      target!.written(n);
    };
    const { requests, keyOf, onRefused } = importRequests(reader, name, keyRulesOf(shape), client, table, onWritten);
    result = await batchWriteStream(client, table, requests, { concurrency, maxRetries, keyOf, onRefused, onWritten });
  } catch (error) {
    // Named here, not at the entry: the table may be the file's, which the entry does not know.
    if (!(error instanceof CliError) && !isAwsFailure(error)) throw error;
    throw failedAfter(translateAwsError(error, context.env, table), `${written} items were written before it`, error);
  } finally {
    progress.done();
    await target?.finish();
  }
  if (reader.error) {
    throw new CliError(reader.error.code, `${reader.error.message}; ${result.written} items before it were written to ${table}`, {
      hint: 'Fix that line and run the import again (items already written are written again unchanged)',
    });
  }
  if (result.notWritten > 0) throw incomplete('import.incomplete', result.notWritten, result.written + result.notWritten, table, maxRetries, 'the import');
  const secs = seconds(started, context.clock());
  const replaced = result.replaced ?? 0;
  const summary = {
    table,
    file: name,
    created,
    deleted,
    items: result.written,
    replaced,
    seconds: Number(secs.toFixed(3)),
    itemsPerSecond: perSecond(result.written, secs),
  };
  // A key on two lines is written once, the later line winning: said, so a count below the lines is explained.
  const twice = replaced ? `; ${replaced} lines had the key of a later line, which won` : '';
  return meteredSummary(
    context,
    meter,
    `Imported ${result.written} items from ${name} into ${table} in ${secs.toFixed(2)} s (${summary.itemsPerSecond} items/s)${twice}.`,
    summary,
  );
}
