/**
 * The one renderer for every command: `table` for people, `text` (tab-separated) for cut/awk, `json` and
 * `ndjson` for scripts.
 * Data goes to stdout; messages and progress go to stderr (see context.ts). json and ndjson stream
 * row by row, honouring back-pressure, so a million-row scan runs in constant memory.
 */
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { UsageError } from '../core/errors.js';
import { visible } from '../core/safe-text.js';

export { visible };

export const OUTPUT_FORMATS = ['table', 'text', 'json', 'ndjson'] as const;
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
  /** Free text (a message, a preview): takes the width the others leave, and is cut and left out first. */
  flex?: boolean;
  /**
   * Never cut: a key or an id that is only useful whole (a uuid to copy into the next command). Default: from
   * the header (pk, sk, uuids, subs, ARNs: see isIdHeader).
   */
  keep?: boolean;
}

/** Headers of keys and ids, shown whole or not at all: pk, sk, *uuid*, sub, *arn*, id, *_id. */
export function isIdHeader(header: string): boolean {
  return /^(pk|sk|sub|id|arn)$|uuid|_id$|_arn$|(^| )arn$/i.test(header);
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
  /** Terminal width, for fitting the table. */
  width?: number;
  /** Only these columns, in this order (`--columns`), by header. */
  pick?: string[];
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
  const columns = pickColumns(options.columns, options.pick);
  if (options.format === 'text') {
    // One line a row, cells tab-separated, no header and no decoration (the AWS CLI's `--output text`).
    return {
      write: async (row) => {
        count++;
        await put(options.stdout, columns.map((column) => textCell(column.value(row))).join('\t') + '\n');
      },
      end: async () => count,
    };
  }
  const rows: string[][] = [];
  return {
    write: async (row) => {
      rows.push(columns.map((column) => column.value(row)));
    },
    end: async () => {
      if (rows.length === 0) {
        options.say(options.empty);
        return 0;
      }
      await put(options.stdout, await renderTable(columns, rows, options.width, options.pick ? undefined : options.say));
      return rows.length;
    },
  };
}

/** A cell for `-o text`: one line, tabs and newlines escaped, control characters made visible. */
function textCell(text: string): string {
  return visible(text);
}

/** `--columns a,b,c`: those columns in that order; a name that is not a column is a usage error naming them. */
export function pickColumns<T>(columns: Column<T>[], pick: string[] | undefined): Column<T>[] {
  if (!pick || columns.length === 0) return columns;
  return pick.map((name) => {
    const column = columns.find((c) => c.header === name);
    if (!column) {
      throw new UsageError(
        'output.column_unknown',
        `No column "${name}" in this output`,
        `Use --columns with some of: ${columns.map((c) => c.header).join(', ')}`,
      );
    }
    return column;
  });
}

/**
 * What a command's run function returns; the entry renders it once (src/entry/run.ts calls `render`).
 * Rows may be an array or an async iterable (json/ndjson then stream them as they come).
 */
export type Output = RowsOutput<unknown> | RecordOutput | TextOutput | undefined;

/** Every output may end in a failure: the entry renders what was done first, then reports it (exit 1). */
interface Outcome {
  failure?: Error;
}

export interface RowsOutput<T> extends Outcome {
  kind: 'rows';
  rows: Iterable<T> | AsyncIterable<T>;
  /** Fixed columns, or (for the table form only) columns chosen from all the rows, e.g. scan's attributes. */
  columns: Column<T>[] | { fromRows(rows: T[]): Column<T>[] };
  /** Said on stderr, in table form, when there are no rows. */
  empty: string;
  jsonText?(row: T): string;
}

export interface RecordOutput extends Outcome {
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

/** Text printed as it is in every format: a shell script, names for a shell's completion, a URL. */
export interface TextOutput extends Outcome {
  kind: 'text';
  text: string;
}

export function plain(text: string): TextOutput {
  return { kind: 'text', text };
}

/** The output, and then a failure: the report says what was done, the error why the exit code is 1. */
export function failing<O extends Exclude<Output, undefined>>(output: O, failure: Error): O {
  return { ...output, failure };
}

/** Where and how to render: a slice of the Context, so this module needs no SDK. */
export interface RenderTarget {
  format: OutputFormat;
  stdout: Writable;
  width: number | undefined;
  /** `--columns`: only these, in this order. */
  columns?: string[] | undefined;
  say(line: string): void;
}

/** The one renderer: prints a command's output in the chosen format; returns the number of rows. */
export async function render(output: Output, target: RenderTarget): Promise<number> {
  if (output === undefined) return 0;
  if (output.kind === 'text') {
    await put(target.stdout, output.text);
    return 0;
  }
  if (output.kind === 'record') {
    const table = target.format === 'table';
    const forPeople = table || target.format === 'text';
    const format = output.oneLine && target.format === 'json' ? 'ndjson' : target.format;
    await printRecord(forPeople ? (output.tableRecord ?? output.record) : output.record, format, target.stdout, target.width);
    return 1;
  }
  let columns = output.columns;
  let source = output.rows;
  if (!Array.isArray(columns)) {
    const { fromRows } = columns as { fromRows(rows: unknown[]): Column<unknown>[] };
    if (target.format === 'table' || target.format === 'text') {
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
    pick: target.columns,
  });
  for await (const row of source) await sink.write(row);
  return sink.end();
}

/** A single record (key/value), e.g. what schema-load made: a two-column table or one JSON object. */
export async function printRecord(record: Record<string, unknown>, format: OutputFormat, stdout: Writable, width?: number): Promise<void> {
  if (format === 'json' || format === 'ndjson') {
    await put(stdout, JSON.stringify(record, null, format === 'json' ? 2 : undefined) + '\n');
    return;
  }
  const rows = Object.entries(record).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]);
  if (format === 'text') {
    await put(stdout, rows.map(([key, value]) => `${textCell(key!)}\t${textCell(value ?? '')}\n`).join(''));
    return;
  }
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

/** Two spaces between columns, no border, no rule between rows: psql's aligned output, `gh`'s tables. */
const GAP = 2;
/** A cut column narrower than this (a handle, a display name) says nothing: the free text goes first. */
const MIN_LEGIBLE = 12;

/**
 * Which columns a table of `width` characters shows, and how wide: null for a column left out. First every
 * column whole; then the free-text and other cuttable columns cut (fitWidths); when even that is too wide,
 * columns are left out, never cut when they are keys or ids: free text first, then the other cuttable ones, then
 * ids from the right, always keeping the first. What is left is fitted again, so it gets the room back.
 */
export function layoutColumns(natural: number[], width: number, flex: boolean[], keep: boolean[]): (number | null)[] {
  const shown = natural.map((_, i) => i);
  const fit = () => {
    const budget = width - GAP * (shown.length - 1);
    const widths = fitWidths(
      shown.map((i) => natural[i]!),
      budget,
      shown.findIndex((i) => flex[i]),
      shown.map((i) => keep[i]!),
    );
    // A fit that leaves a name or a handle a few letters long shows nothing: leaving a column out is better.
    const legible = shown.every((i, k) => flex[i] || keep[i] || widths[k]! >= Math.min(natural[i]!, MIN_LEGIBLE));
    return { widths, fits: widths.reduce((sum, w) => sum + w, 0) <= budget && legible };
  };
  let attempt = fit();
  while (!attempt.fits && shown.length > 1) {
    const rank = (i: number) => (flex[i] ? 0 : keep[i] ? 2 : 1);
    // The lowest rank, rightmost first; never the first column (what a row is: its key).
    let drop = -1;
    for (let k = shown.length - 1; k >= 1; k--) if (drop < 0 || rank(shown[k]!) < rank(shown[drop]!)) drop = k;
    shown.splice(drop, 1);
    attempt = fit();
  }
  const out: (number | null)[] = natural.map(() => null);
  shown.forEach((i, k) => (out[i] = attempt.widths[k]!));
  return out;
}

async function renderTable<T>(columns: Column<T>[], rows: string[][], width?: number, say?: (line: string) => void): Promise<string> {
  const { default: Table } = await import('cli-table3');
  let head = columns.map((column) => oneLine(column.header));
  let body = rows.map((row) => row.map(oneLine));
  let widths = columns.map((_, i) => Math.max(head[i]!.length, ...body.map((row) => (row[i] ?? '').length)));
  if (width) {
    const keep = columns.map((column) => column.keep ?? isIdHeader(column.header));
    const layout = layoutColumns(
      widths,
      width,
      columns.map((column) => Boolean(column.flex)),
      keep,
    );
    const left = columns.filter((_, i) => layout[i] === null).map((column) => column.header);
    // One line within the width: what was left out, and the two ways to see it.
    if (left.length > 0 && say) say(cut(`left out to fit (see --wide, --columns): ${left.join(', ')}`, width));
    const kept = (_: unknown, i: number) => layout[i] !== null;
    widths = layout.filter((w): w is number => w !== null);
    head = head.filter(kept).map((text, i) => cut(text, widths[i]!));
    body = body.map((row) => row.filter(kept).map((text, i) => cut(text, widths[i]!)));
  }
  // Every cell and header went through oneLine, so visible(): cli-table3 would pass escape sequences on.
  const none = { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '' };
  const table = new Table({
    chars: { ...none, left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: ' '.repeat(GAP) },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    wordWrap: false,
  });
  table.push(
    head,
    widths.map((w) => '─'.repeat(w)),
  );
  for (const row of body) table.push(row);
  // cli-table3 pads the last column too: trailing spaces are noise in a terminal and in a copied line.
  return (
    table
      .toString()
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n') + '\n'
  );
}
