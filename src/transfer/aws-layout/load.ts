/**
 * `import` and `copy --from` of an export in AWS's layout, free of the command line: find the export,
 * take the table's shape, check every data file against the manifests (nothing is written until all
 * of them match), create the table when it is missing, then write the records through the import's
 * batch writer. The commands hand in the place, the client and callbacks.
 */
import type { CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CliError } from '../../core/errors.js';
import { createInputFrom } from '../format.js';
import { keyRulesOf } from '../item-checks.js';
import { describeTable, ensureTable } from '../table.js';
import { applyExport, type ApplyOptions } from './apply.js';
import { findExport, type FoundExport } from './find.js';
import type { Place } from './place.js';
import { readShape, readShapeFile, SHAPE_FILE } from './shape.js';
import { readAll } from './streams.js';
import { verifyExport } from './verify.js';

export interface LoadOptions extends ApplyOptions {
  /** The target table when the user named one; else the shape's, else the exported table's, else `fallbackTable`. */
  table: string | undefined;
  fallbackTable: string;
  /** `--shape FILE`. */
  shapeFile: string | undefined;
  stdin: NodeJS.ReadableStream;
  say: (line: string) => void;
  /** Called after every file checked out and before the first write (the prod guard). */
  beforeWriting: (table: string, found: FoundExport) => Promise<void>;
  onChecked?: (records: number) => void;
}

export interface LoadResult {
  table: string;
  exportId: string;
  exportType: string;
  created: boolean;
  records: number;
  written: number;
  deleted: number;
  replaced: number;
}

/** The table's name in an ARN (`arn:aws:dynamodb:region:account:table/NAME`). */
const tableOfArn = (arn: string | null | undefined) => (arn ? /:table\/([^/]+)/.exec(arn)?.[1] : undefined);

async function shapeOf(found: FoundExport, options: LoadOptions, client: DynamoDBClient, table: () => string) {
  if (options.shapeFile) return { ...(await readShapeFile(options.shapeFile, options.stdin)), from: options.shapeFile };
  if (await found.folder.exists(SHAPE_FILE)) {
    const text = await readAll(await found.folder.read(SHAPE_FILE));
    return { ...readShape(text, found.folder.name(SHAPE_FILE)), from: found.folder.name(SHAPE_FILE) };
  }
  const existing = await describeTable(client, table());
  if (existing) return { input: createInputFrom(existing), leftOut: [], from: `table ${table()}` };
  return undefined;
}

export async function loadAwsExport(client: DynamoDBClient, place: Place, options: LoadOptions): Promise<LoadResult> {
  const found = await findExport(place);
  if (found.note) options.say(found.note);
  const incremental = found.summary.exportType === 'INCREMENTAL_EXPORT';
  let table = options.table;
  const pick = () => (table ??= tableOfArn(found.summary.tableArn) ?? options.fallbackTable);
  const shape = await shapeOf(found, options, client, pick);
  table ??= shape?.input.TableName ?? pick();
  if (!shape)
    throw new CliError(
      'aws_export.no_shape',
      `Table ${table} does not exist, and the export at ${found.folder.name('')} says nothing of its shape (no ${SHAPE_FILE})`,
      {
        hint: 'Create the table first (schema-load), or pass --shape FILE (a cruddur-table.json, or a file made by `npx cruddur-ddb export`)',
      },
    );
  const input: CreateTableCommandInput = shape.input;
  const rules = keyRulesOf(input);
  const verified = await verifyExport(found, rules, options.onChecked);
  options.say(
    `Checked ${found.files.length} data files of ${incremental ? 'incremental ' : ''}export ${found.id}: ${verified.records} records, counts and MD5s as manifest-files.json says.`,
  );
  await options.beforeWriting(table, found);
  const created = await ensureTable(client, table, input);
  if (created)
    options.say(`Created table ${table} from ${shape.from}${shape.leftOut.length ? ` (left out of its definition: ${shape.leftOut.join(', ')})` : ''}.`);
  const result = await applyExport(client, table, found, verified, rules, options);
  if (result.notWritten > 0)
    throw new CliError(
      'aws_export.incomplete',
      `${result.notWritten} records were not written to ${table}: DynamoDB still returned them unprocessed after ${options.maxRetries} retries`,
      { hint: 'Run it again (it is idempotent), or raise --max-retries' },
    );
  return {
    table,
    exportId: found.id,
    exportType: found.summary.exportType ?? 'FULL_EXPORT',
    created,
    records: verified.records,
    written: result.written - result.deletes,
    deleted: result.deletes,
    replaced: result.replaced ?? 0,
  };
}

/** The closing line (after "Imported " / "Copied ") and record of an import or copy of an export. */
export function loadSummary(result: LoadResult, from: string, secs: number) {
  const itemsPerSecond = Math.round((result.written + result.deleted) / Math.max(secs, 1e-6));
  const summary = {
    table: result.table,
    file: from,
    exportId: result.exportId,
    exportType: result.exportType,
    created: result.created,
    records: result.records,
    items: result.written,
    deleted: result.deleted,
    replaced: result.replaced,
    seconds: Number(secs.toFixed(3)),
    itemsPerSecond,
  };
  const deletes = result.deleted ? ` and deleted ${result.deleted}` : '';
  return {
    summary,
    what: `${result.written} items${deletes} from export ${result.exportId} (${from})`,
    timing: `in ${secs.toFixed(2)} s (${itemsPerSecond} items/s)`,
  };
}
