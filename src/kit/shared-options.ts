/**
 * Options and arguments several commands take, declared once and spread into their definitions, so a
 * default, a range or a help line cannot drift between export, import, copy, reset and seed.
 */
import { flag, tableArgument, whole } from './define.js';

/** The table a command works on when it may fall back to --table (schema-load, scan, export, reset, copy). */
export const tableOrDefault = { table: tableArgument('table name (default: --table, DDB_MESSAGE_TABLE or cruddur-messages)') };

/** The table a command must be given (drop: a table to delete is never a default). */
export const namedTable = { table: tableArgument('table name', { required: true }) };

/**
 * Parallel scan segments of the table transfers (export, copy, reset): the same range as scan's. 1,000,000 is
 * DynamoDB's own ceiling on TotalSegments; the scanner opens a few at a time (src/transfer/scanner.ts).
 */
export const transferSegments = (description = 'parallel scan segments') => ({
  segments: whole('--segments <n>', description, { default: 4, max: 1_000_000 }),
});

/** How the batch writers (seed, import, copy, reset) write: requests in flight, and retries of what DynamoDB hands back. */
export const batchWriting = {
  concurrency: whole('--concurrency <n>', 'BatchWriteItem requests in flight', { default: 8, max: 256 }),
  maxRetries: whole('--max-retries <n>', 'retries of unprocessed items before giving up', { default: 8, min: 0, max: 30 }),
};

/** `--consumed` (scan, query, get-conversation, list-conversations, seed, import, copy, reset): what DynamoDB says the run consumed. */
export const consumedCapacity = {
  consumed: flag(
    '--consumed',
    'say on stderr (and in the -o json summary, where the command has one) the capacity DynamoDB reports consumed, per table and index; in prod an on-demand estimate',
  ),
};

/** `--dry-run` of the commands that read a whole table (scan, export, copy, reset): an estimate from DescribeTable, nothing read. */
export const dryRunEstimate = {
  dryRun: flag('--dry-run', "estimate what the run would read and write (and cost, in prod) from the table's size; read nothing"),
};
