/**
 * The local store's snapshot: `local` runs DynamoDB Local in memory (its disk mode writes ~6x slower,
 * DESIGN.md) and keeps the data in `<data dir>/snapshot/`, one ordinary export file per table
 * (`<table>.ndjson.gz`, docs/export-format.md: `import` reads each one), written through export's own
 * writer at intervals and when the stack stops, and read back through import's reader when it starts.
 *
 * A snapshot is written whole or not at all: into `snapshot.new-<pid>/`, each file flushed to disk, then
 * swapped in by renames (`snapshot` -> `snapshot.old`, the new one -> `snapshot`, `snapshot.old` removed).
 * A crash between the renames leaves `snapshot.old`, which the next start reads. What a crash loses is what
 * was written after the last snapshot. Tables are scanned one after the other while writes may go on, so a
 * snapshot is per table, not one instant across tables (as AWS's own exports are).
 */
import { paginateListTables, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { closeSync, createReadStream, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { batchWriteStream } from '../seed/batch-write.js';
import { isGzipName, openOutput } from '../transfer/files.js';
import { createInputFromHeader } from '../transfer/format.js';
import { readLinesFrom } from '../transfer/line-reader.js';
import { prepareLoadTarget } from '../transfer/stream-hold.js';
import { exportTable, putRequests, readExport } from '../transfer/transfer.js';

export const SNAPSHOT = 'snapshot';
const OLD = 'snapshot.old';
const SUFFIX = '.ndjson.gz';
/** DynamoDB Local's own database file in disk mode (-dbPath with -sharedDb). */
export const DISK_DB_FILE = 'shared-local-instance.db';

export interface SnapshotCounts {
  tables: number;
  items: number;
  seconds: number;
}

/** The folder the next start reads: the snapshot, or the one a crash left half-swapped. */
export function snapshotToRead(dataDir: string): string | undefined {
  for (const name of [SNAPSHOT, OLD]) if (existsSync(join(dataDir, name))) return join(dataDir, name);
  return undefined;
}

/** "132 items of 1 table", for the lines that report a snapshot. */
export const countsWords = (counts: SnapshotCounts) => `${counts.items} items of ${counts.tables} table${counts.tables === 1 ? '' : 's'}`;

const elapsed = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

function flushToDisk(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

async function tableNames(client: DynamoDBClient): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListTables({ client }, {})) names.push(...(page.TableNames ?? []));
  return names;
}

/** Every table of the instance into a new snapshot, swapped in atomically. */
export async function writeSnapshot(client: DynamoDBClient, dataDir: string, isLive: () => boolean = () => true): Promise<SnapshotCounts | undefined> {
  // A DynamoDB Local that is gone (or replaced by another, empty one on its port) must never replace the last snapshot.
  if (!isLive()) return undefined;
  const started = process.hrtime.bigint();
  // Left by a writer that was killed: never read, so safe to remove.
  for (const name of readdirSync(dataDir)) if (name.startsWith(`${SNAPSHOT}.new-`)) rmSync(join(dataDir, name), { recursive: true, force: true });
  const fresh = join(dataDir, `${SNAPSHOT}.new-${process.pid}`);
  mkdirSync(fresh, { mode: 0o700 });
  let items = 0;
  const tables = await tableNames(client);
  try {
    for (const table of tables) {
      const file = join(fresh, `${table}${SUFFIX}`);
      const output = openOutput(file); // a file, never stdout
      try {
        items += (await exportTable(client, table, output)).items;
        await output.close();
      } catch (error) {
        await output.abort();
        throw error;
      }
      flushToDisk(file);
    }
    flushToDisk(fresh);
    if (!isLive()) throw new Error('DynamoDB Local ended while the snapshot was written');
  } catch (error) {
    rmSync(fresh, { recursive: true, force: true });
    throw error;
  }
  const current = join(dataDir, SNAPSHOT);
  const old = join(dataDir, OLD);
  if (existsSync(current)) {
    rmSync(old, { recursive: true, force: true });
    renameSync(current, old);
  }
  renameSync(fresh, current);
  rmSync(old, { recursive: true, force: true });
  flushToDisk(dataDir);
  return { tables: tables.length, items, seconds: elapsed(started) };
}

/**
 * The snapshot's tables into an empty DynamoDB Local: each created from its file's header without its
 * stream, loaded, then given its stream (so a restore makes no stream records: stream-hold.ts).
 */
export async function restoreSnapshot(client: DynamoDBClient, dir: string, say: (line: string) => void): Promise<SnapshotCounts> {
  const started = process.hrtime.bigint();
  let items = 0;
  const files = readdirSync(dir)
    .filter((name) => name.endsWith(SUFFIX))
    .sort();
  for (const name of files) {
    const file = join(dir, name);
    const reader = await readExport(readLinesFrom(createReadStream(file), file, isGzipName(file)), file);
    const table = reader.header.table.TableName ?? name.slice(0, -SUFFIX.length);
    const target = await prepareLoadTarget(client, table, createInputFromHeader(reader.header.table).input, { local: false, say, wayOut: '' });
    try {
      const result = await batchWriteStream(client, table, putRequests(reader.items), { concurrency: 8, maxRetries: 8 });
      if (reader.error) throw reader.error;
      if (result.notWritten > 0) say(`Warning: ${result.notWritten} items of ${file} could not be restored into ${table}.`);
      items += result.written;
    } finally {
      await target.finish();
    }
  }
  return { tables: files.length, items, seconds: elapsed(started) };
}

export interface SnapshotKeeper {
  /** Writes one now (after any under way); resolves with its counts (undefined: DynamoDB Local is gone). */
  flush(): Promise<SnapshotCounts | undefined>;
  /** No more snapshots at intervals (one under way finishes). */
  stop(): Promise<void>;
}

/** A snapshot every `everyMs`, never two at once; a failed one is said and the next one tried. */
export function keepSnapshots(
  client: DynamoDBClient,
  dataDir: string,
  everyMs: number,
  say: (line: string) => void,
  isLive: () => boolean = () => true,
): SnapshotKeeper {
  let chain: Promise<unknown> = Promise.resolve();
  const flush = () => {
    const next = chain.then(() => writeSnapshot(client, dataDir, isLive));
    chain = next.catch(() => undefined);
    return next;
  };
  const timer =
    everyMs > 0
      ? setInterval(() => {
          flush().catch((error: Error) => say(`Warning: the snapshot of ${new Date().toISOString()} failed (${error.message}); the last one is kept.`));
        }, everyMs)
      : undefined;
  timer?.unref();
  return {
    flush,
    stop: async () => {
      if (timer) clearInterval(timer);
      await chain;
    },
  };
}
