/**
 * The one renderer for every command: `table` for people, `json` and `ndjson` for scripts.
 * Data goes to stdout; messages and progress go to stderr (see context.ts). json and ndjson stream
 * row by row, honouring back-pressure, so a million-row scan runs in constant memory.
 */
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { UsageError } from '../core/errors.js';
import { visible } from '../core/safe-text.js';

export { visible };

export const OUTPUT_FORMATS = ['table', 'json', 'ndjson'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** `--output` when given, else a table on a terminal and JSON in a pipe. */
export function chooseFormat(flag: string | undefined, stdoutIsTTY: boolean): OutputFormat {
  if (flag === undefined) return stdoutIsTTY ? 'table' : 'json';
  if ((OUTPUT_FORMATS as readonly string[]).includes(flag)) return flag as OutputFormat;
  throw new UsageError('output.unknown', `Unknown output format "${flag}"`, `Use one of: ${OUTPUT_FORMATS.join(', ')}`);
}

export interface Column<T> {
  header: string;
  value(row: T): string;
  /** The column that takes the width the others leave (a message, a preview). */
  flex?: boolean;
  /** Never cut: an id that is only useful whole (a uuid to copy into the next command). */
  keep?: boolean;
}

export interface RowSink<T> {
  write(row: T): Promise<void>;
  /** Finishes the output; returns how many rows were written. */
  end(): Promise<number>;
}

export interface SinkOptions<T> {
  format: OutputFormat;
  columns: Column<T>[];
  /** The JSON text the json/ndjson forms print for a row (default: JSON.stringify of the row). */
  jsonText?(row: T): string;
  /** Said on stderr, in table form, when there are no rows. */
  empty: string;
  stdout: Writable;
  /** Where the empty message goes. */
  say: (line: string) => void;
  /** Terminal width, for cutting the flex column. */
  width?: number;
}

async function put(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

export function createSink<T>(options: SinkOptions<T>): RowSink<T> {
  const jsonText = options.jsonText ?? ((row: T) => JSON.stringify(row));
  let count = 0;
  if (options.format === 'ndjson') {
    return {
      write: async (row) => {
        count++;
        await put(options.stdout, jsonText(row) + '\n');
      },
      end: async () => count,
    };
  }
  if (options.format === 'json') {
    return {
      write: async (row) => {
        await put(options.stdout, (count++ === 0 ? '[\n  ' : ',\n  ') + jsonText(row));
      },
      end: async () => {
        await put(options.stdout, count === 0 ? '[]\n' : '\n]\n');
        return count;
      },
    };
  }
  const rows: string[][] = [];
  return {
    write: async (row) => {
      rows.push(options.columns.map((column) => column.value(row)));
    },
    end: async () => {
      if (rows.length === 0) {
        options.say(options.empty);
        return 0;
      }
      await put(options.stdout, await renderTable(options.columns, rows, options.width));
      return rows.length;
    },
  };
}

/**
 * What a command's run function returns; the entry renders it once (src/entry/run.ts calls `render`).
 * Rows may be an array or an async iterable (json/ndjson then stream them as they come).
 */
export type Output = RowsOutput<unknown> | RecordOutput | undefined;

export interface RowsOutput<T> {
  kind: 'rows';
  rows: Iterable<T> | AsyncIterable<T>;
  /** Fixed columns, or (for the table form only) columns chosen from all the rows, e.g. scan's attributes. */
  columns: Column<T>[] | { fromRows(rows: T[]): Column<T>[] };
  /** Said on stderr, in table form, when there are no rows. */
  empty: string;
  jsonText?(row: T): string;
}

export interface RecordOutput {
  kind: 'record';
  record: Record<string, unknown>;
  /** What the table form shows instead, when it differs (e.g. `env` adds each value's source). */
  tableRecord?: Record<string, unknown>;
  /** The json form on one line (`wait`: a script reads one line per call). */
  oneLine?: boolean;
}

export function rows<T>(output: Omit<RowsOutput<T>, 'kind'>): RowsOutput<T> {
  return { kind: 'rows', ...output };
}

export function record(value: object, tableRecord?: Record<string, unknown>, oneLine?: boolean): RecordOutput {
  return { kind: 'record', record: { ...value }, tableRecord, oneLine };
}

/** Where and how to render: a slice of the Context, so this module needs no SDK. */
export interface RenderTarget {
  format: OutputFormat;
  stdout: Writable;
  width: number | undefined;
  say(line: string): void;
}

/** The one renderer: prints a command's output in the chosen format; returns the number of rows. */
export async function render(output: Output, target: RenderTarget): Promise<number> {
  if (output === undefined) return 0;
  if (output.kind === 'record') {
    const table = target.format === 'table';
    const format = output.oneLine && target.format === 'json' ? 'ndjson' : target.format;
    await printRecord(table ? (output.tableRecord ?? output.record) : output.record, format, target.stdout, target.width);
    return 1;
  }
  let columns = output.columns;
  let source = output.rows;
  if (!Array.isArray(columns)) {
    const { fromRows } = columns as { fromRows(rows: unknown[]): Column<unknown>[] };
    if (target.format === 'table') {
      const all: unknown[] = [];
      for await (const row of source) all.push(row);
      columns = fromRows(all);
      source = all;
    } else columns = [];
  }
  const sink = createSink<unknown>({
    format: target.format,
    columns: columns as Column<unknown>[],
    jsonText: output.jsonText,
    empty: output.empty,
    stdout: target.stdout,
    say: target.say,
    width: target.width,
  });
  for await (const row of source) await sink.write(row);
  return sink.end();
}

/** A single record (key/value), e.g. what schema-load made: a two-column table or one JSON object. */
export async function printRecord(record: Record<string, unknown>, format: OutputFormat, stdout: Writable, width?: number): Promise<void> {
  if (format !== 'table') {
    await put(stdout, JSON.stringify(record, null, format === 'json' ? 2 : undefined) + '\n');
    return;
  }
  const rows = Object.entries(record).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]);
  const columns: Column<string[]>[] = [
    { header: 'setting', value: (row) => row[0] ?? '' },
    { header: 'value', value: (row) => row[1] ?? '', flex: true },
  ];
  await put(stdout, await renderTable(columns, rows, width));
}

/** Characters of a cell on one line; longer text is cut with an ellipsis. */
export function cut(text: string, max: number): string {
  const flat = oneLine(text);
  return flat.length <= max ? flat : flat.slice(0, Math.max(0, max - 1)) + '…';
}

/** A cell's text on one line (a table row must stay one row), control characters made visible. */
export function oneLine(text: string): string {
  return visible(text.replace(/[ \t\n\r]+/g, ' '));
}

/** The narrowest a cut column gets: room for a few characters and the ellipsis. */
const MIN_COLUMN = 6;
/** The flex column keeps at least this much before the other columns are cut too. */
const MIN_FLEX = 16;

/**
 * Column widths that fit `budget` characters of cell text (the terminal's width less borders and
 * padding). The flex column takes what the others leave, down to MIN_FLEX; past that the widest
 * other columns are cut to a common cap (never below MIN_COLUMN, never a `keep` column), and last the
 * flex column below its minimum. When even that cannot fit, the table is as narrow as it can be and
 * wraps: better than cutting ids to nothing.
 */
export function fitWidths(natural: number[], budget: number, flexIndex = -1, keep: boolean[] = []): number[] {
  const total = natural.reduce((sum, w) => sum + w, 0);
  if (total <= budget) return [...natural];
  const widths = [...natural];
  const others = natural.reduce((sum, w, i) => (i === flexIndex ? sum : sum + w), 0);
  if (flexIndex >= 0) {
    const flexMin = Math.min(natural[flexIndex]!, MIN_FLEX);
    widths[flexIndex] = Math.max(flexMin, budget - others);
    if (others + widths[flexIndex]! <= budget) return widths;
  }
  // Water-fill the cuttable columns: the largest cap c with sum(min(w, c)) within what is left.
  const fixed = widths.reduce((sum, w, i) => (i === flexIndex || !keep[i] ? sum : sum + w), 0);
  const room = budget - fixed - (flexIndex >= 0 ? widths[flexIndex]! : 0);
  const cuttable = natural.map((w, i) => (i === flexIndex || keep[i] ? -1 : w));
  const used = (cap: number) => cuttable.reduce((sum, w) => (w < 0 ? sum : sum + Math.min(w, cap)), 0);
  let cap = Math.max(...cuttable);
  while (cap > MIN_COLUMN && used(cap) > room) cap--;
  const fitted = widths.map((w, i) => (cuttable[i]! < 0 ? w : Math.min(w, Math.max(cap, Math.min(w, MIN_COLUMN)))));
  // Still too wide with every other column at its narrowest: the flex column gives up its minimum too.
  if (flexIndex >= 0) {
    const rest = fitted.reduce((sum, w, i) => (i === flexIndex ? sum : sum + w), 0);
    fitted[flexIndex] = Math.min(fitted[flexIndex]!, Math.max(MIN_COLUMN, budget - rest));
  }
  return fitted;
}

async function renderTable<T>(columns: Column<T>[], rows: string[][], width?: number): Promise<string> {
  const { default: Table } = await import('cli-table3');
  let head = columns.map((column) => oneLine(column.header));
  let body = rows.map((row) => row.map(oneLine));
  if (width) {
    const natural = columns.map((column, i) => Math.max(head[i]!.length, ...body.map((row) => (row[i] ?? '').length)));
    // borders and padding take 3 characters a column, plus 1
    const fitted = fitWidths(
      natural,
      width - 3 * columns.length - 1,
      columns.findIndex((column) => column.flex),
      columns.map((column) => Boolean(column.keep)),
    );
    head = head.map((text, i) => cut(text, fitted[i]!));
    body = body.map((row) => row.map((text, i) => cut(text, fitted[i]!)));
  }
  // Every cell and header went through oneLine, so visible(): cli-table3 would pass escape sequences on.
  const table = new Table({ head, style: { head: [], border: [] }, wordWrap: false });
  for (const row of body) table.push(row);
  return table.toString() + '\n';
}
