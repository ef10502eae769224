/** `cruddur-ddb import <file|->`: re-creates the table from an export file's header when missing, then streams its items in. */
import { isAwsFailure, translateAwsError } from '../aws/clients.js';
import { confirmDestructive, type Context } from '../kit/context.js';
import type { Output } from '../kit/output.js';
import { readLines } from '../data/files.js';
import { incomplete, perSecond, seconds, summarize } from '../data/summary.js';
import { ensureTable } from '../data/table.js';
import { deleteAllItems, readExport, writeItems } from '../data/transfer.js';
import { checkTableName } from '../core/environment.js';
import { CliError } from '../core/errors.js';
import { createProgress } from '../kit/progress.js';

export interface ImportOptions {
  file: string;
  concurrency: number;
  maxRetries: number;
  /** Empty the table first: afterwards it holds exactly the file's items (test fixtures). */
  replace: boolean;
}

export interface ImportSummary {
  table: string;
  file: string;
  created: boolean;
  /** Items deleted first (--replace). */
  deleted: number;
  items: number;
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
  await confirmDestructive(
    context,
    options.replace ? `delete every item of ${table}, then write the items of ${name}` : `write the items of ${name} into ${table}`,
    table,
  );

  const client = await context.dynamo();
  const progress = createProgress(context, `Importing into ${table}:`);
  const started = process.hrtime.bigint();
  let created = false;
  let deleted = 0;
  let written = 0;
  let result;
  try {
    created = await ensureTable(client, table, reader.header.table);
    if (created) context.say(`Created table ${table} from the header of ${name}.`);
    else if (options.replace) {
      // reset, then import: the same deletion `reset` does (the table, its indexes and its stream are kept).
      const emptied = await deleteAllItems(client, table, { segments: 4, concurrency, maxRetries });
      if (emptied.notWritten > 0) throw incomplete('reset.incomplete', emptied.notWritten, emptied.found, table, maxRetries, 'the import --replace');
      deleted = emptied.written;
      context.say(`Deleted the ${deleted} items ${table} held.`);
    }
    result = await writeItems(client, table, reader.items, {
      concurrency,
      maxRetries,
      onWritten: (n) => {
        written += n;
        progress.add(n);
      },
    });
  } catch (error) {
    // Named here, not at the entry: the table may be the file's, which the entry does not know.
    if (!(error instanceof CliError) && !isAwsFailure(error)) throw error;
    const failure = translateAwsError(error, context.env, table);
    throw new CliError(failure.code, `${failure.message} (${written} items were written before it)`, {
      hint: failure.hint,
      exitCode: failure.exitCode,
      cause: error,
    });
  } finally {
    progress.done();
  }
  if (reader.error) {
    throw new CliError(reader.error.code, `${reader.error.message}; ${result.written} items before it were written to ${table}`, {
      hint: 'Fix that line and run the import again (items already written are written again unchanged)',
    });
  }
  if (result.notWritten > 0) throw incomplete('import.incomplete', result.notWritten, result.written + result.notWritten, table, maxRetries, 'the import');
  const secs = seconds(started);
  const summary = {
    table,
    file: name,
    created,
    deleted,
    items: result.written,
    seconds: Number(secs.toFixed(3)),
    itemsPerSecond: perSecond(result.written, secs),
  };
  return summarize(
    context,
    `Imported ${result.written} items from ${name} into ${table} in ${secs.toFixed(2)} s (${summary.itemsPerSecond} items/s).`,
    summary,
  );
}
