/**
 * The table's shape beside AWS's export files: `AWSDynamoDB/<export-id>/cruddur-table.json` =
 * `{"format":"cruddur-ddb-table","version":1,"table":<CreateTable input>}`. AWS's layout has no place
 * for it (ImportTable would read a header line among the data as a bad item), so it is a file of its
 * own. `readShape` also takes our ndjson export's header line (docs/export-format.md), for --shape.
 * (The minimal reader the managed import needs; the layout branch owns this file.)
 */
import type { CreateTableCommandInput, TableDescription } from '@aws-sdk/client-dynamodb';
import { CliError } from '../../core/errors.js';
import { createInputFrom, FORMAT as EXPORT_FORMAT, LineError, parseHeader } from '../format.js';

export const SHAPE_FILE = 'cruddur-table.json';
export const SHAPE_FORMAT = 'cruddur-ddb-table';
const VERSION = 1;

export function writeShape(table: TableDescription): string {
  return JSON.stringify({ format: SHAPE_FORMAT, version: VERSION, table: createInputFrom(table) }) + '\n';
}

/** The CreateTable input in a shape file's text (or an export header line); `name` says where it came from. */
export function readShape(text: string, name: string): CreateTableCommandInput {
  const bad = (why: string) =>
    new CliError('managed.bad_shape', `${name}: ${why}`, { hint: `Give a ${SHAPE_FILE} written by cruddur-ddb, or an export file of ours (its header line)` });
  const firstLine = text.split('\n', 1)[0] ?? '';
  let json: { format?: unknown; version?: unknown; table?: Partial<CreateTableCommandInput> } | null;
  try {
    json = JSON.parse(firstLine) as typeof json;
  } catch {
    throw bad('not JSON');
  }
  if (json?.format === EXPORT_FORMAT) {
    try {
      return parseHeader(firstLine).table;
    } catch (error) {
      if (error instanceof LineError) throw bad(error.message);
      throw error;
    }
  }
  if (json?.format !== SHAPE_FORMAT) throw bad(`not a ${SHAPE_FORMAT} file`);
  if (json.version !== VERSION) throw bad(`version ${String(json.version)} is not one this tool reads (it reads ${VERSION})`);
  const table = json.table;
  if (!table || !Array.isArray(table.KeySchema) || !Array.isArray(table.AttributeDefinitions)) throw bad('no table with KeySchema and AttributeDefinitions');
  return table as CreateTableCommandInput;
}
