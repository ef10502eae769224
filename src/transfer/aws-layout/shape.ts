/**
 * The table's shape beside AWS's files: `AWSDynamoDB/<ExportId>/cruddur-table.json` =
 * {"format":"cruddur-ddb-table","version":1,"table":<CreateTable input>}. Its own file, not a line of
 * a data file: ImportTable would take a header line for a bad item. `--shape FILE` reads the same
 * file, or our export's header line (the first line of an `export` file, .gz too). Either way only
 * createInputFrom's allow-list reaches CreateTable (keys, indexes, stream, billing).
 */
import { readFile } from 'node:fs/promises';
import type { CreateTableCommandInput, TableDescription } from '@aws-sdk/client-dynamodb';
import { CliError } from '../../core/errors.js';
import { createInputFrom, createInputFromHeader, FORMAT, LineError, parseHeader } from '../format.js';
import { readLines } from '../line-reader.js';

export const SHAPE_FILE = 'cruddur-table.json';
export const SHAPE_FORMAT = 'cruddur-ddb-table';
export const SHAPE_VERSION = 1;

export interface Shape {
  input: CreateTableCommandInput;
  /** What the file held that CreateTable is not given (tags, a KMS key...), for the user. */
  leftOut: string[];
}

/** The text of cruddur-table.json for a table. */
export function writeShape(table: TableDescription): string {
  return JSON.stringify({ format: SHAPE_FORMAT, version: SHAPE_VERSION, table: createInputFrom(table) }) + '\n';
}

const bad = (where: string, what: string) =>
  new CliError('aws_export.bad_shape', `${where}: ${what}`, {
    hint: `Give a ${SHAPE_FILE} written by \`export --layout aws\`, or a file made by \`npx cruddur-ddb export\` (its first line)`,
  });

/** A shape from the text of cruddur-table.json, or of our export's header line. */
export function readShape(text: string, where: string): Shape {
  let json: { format?: unknown; version?: unknown; table?: unknown };
  try {
    json = JSON.parse(text) as typeof json;
  } catch (error) {
    // An export file's text: its first line is the header (the item lines after it are not the shape).
    const first = text.split('\n', 1)[0]!;
    if (first === text) throw bad(where, `not JSON (${(error as Error).message})`);
    return readShape(first, where);
  }
  if (typeof json !== 'object' || json === null) throw bad(where, 'not a JSON object');
  try {
    if (json.format === FORMAT) return createInputFromHeader(parseHeader(JSON.stringify(json)).table);
  } catch (error) {
    if (error instanceof LineError) throw bad(where, error.message);
    throw error;
  }
  if (json.format !== SHAPE_FORMAT) throw bad(where, `neither a ${SHAPE_FORMAT} file nor a ${FORMAT} header`);
  if (json.version !== SHAPE_VERSION) throw bad(where, `version ${String(json.version)} is not one this tool reads (it reads ${SHAPE_VERSION})`);
  const table = json.table as CreateTableCommandInput | undefined;
  if (typeof table !== 'object' || !table || !Array.isArray(table.KeySchema) || !Array.isArray(table.AttributeDefinitions))
    throw bad(where, 'no table with KeySchema and AttributeDefinitions');
  return createInputFromHeader(table);
}

/** `--shape FILE`: a cruddur-table.json (read whole: it may be pretty-printed), or an export file's first line (its header). */
export async function readShapeFile(file: string, stdin: NodeJS.ReadableStream): Promise<Shape> {
  if (/\.json$/i.test(file)) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw bad(file, `cannot be read (${(error as Error).message})`);
    }
    return readShape(text, file);
  }
  const lines = readLines(file, stdin);
  const first = await lines.next();
  await lines.return(undefined);
  if (first.done) throw bad(file, 'empty');
  return readShape(first.value.text, file);
}
