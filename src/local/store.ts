/**
 * Where `local` keeps DynamoDB Local's data:
 *   - snapshot (the default): DynamoDB Local in memory, at its in-memory speed, with the tables kept in
 *     `<data dir>/snapshot/` (snapshot.ts): restored at start, written at intervals and at stop;
 *   - disk (`--disk`): DynamoDB Local's own database file (-dbPath), every write on disk at once, ~6x slower;
 *   - memory (`--in-memory`): nothing kept.
 * A data folder that holds a database file of an older `local` (disk mode) and no snapshot is converted
 * once: that file is opened by a DynamoDB Local of its own, snapshotted, and set aside, never deleted.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../core/environment.js';
import { packagePath } from '../core/package-root.js';
import { startDynamoDbLocal } from '../aws/local-dynamodb.js';
import { launch, type Launched } from './launcher.js';
import { freePort } from './ports.js';
import type { ProcessIdentity } from './processes.js';
import { countsWords, DISK_DB_FILE, restoreSnapshot, snapshotToRead, writeSnapshot } from './snapshot.js';
import type { Watchdog } from './watchdog.js';

export { SNAPSHOT_EVERY_SECONDS, storeWords, type StoreKind } from './store-settings.js';

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: { ...LOCAL_CREDENTIALS } });
}

/** How `local` describes the store in its first line. */

/**
 * Before the stack starts: a database file of disk mode becomes a snapshot (once), so the data of an
 * older `local` is not left behind. Returns the file's new name when it converted one.
 */
export async function convertDiskDatabase(
  dataDir: string,
  options: { watchdog: Watchdog; signal: AbortSignal; say(line: string): void; cwd?: string; path?: string },
): Promise<string | undefined> {
  const file = join(dataDir, DISK_DB_FILE);
  if (!existsSync(file) || snapshotToRead(dataDir)) return undefined;
  options.say(`Converting ${file} (an earlier local's disk database) into a snapshot, once...`);
  const dynamo = await startDynamoDbLocal({
    port: await freePort(),
    dataDir,
    watchdog: options.watchdog,
    signal: options.signal,
    cwd: options.cwd,
    path: options.path,
  });
  const client = localClient(dynamo.url);
  let counts;
  try {
    counts = await writeSnapshot(client, dataDir);
  } finally {
    client.destroy();
    await dynamo.stop(); // its database file is closed before it is moved
  }
  const aside = `${file}.before-snapshots`;
  renameSync(file, aside);
  options.say(`Converted ${counts ? countsWords(counts) : 'nothing'}; the old file is kept as ${aside}.`);
  return aside;
}

/** Once DynamoDB Local is up and empty: the snapshot's tables back into it (nothing when there is none). */
export async function restoreStore(endpoint: string, dataDir: string, say: (line: string) => void): Promise<void> {
  const dir = snapshotToRead(dataDir);
  if (!dir) return;
  const client = localClient(endpoint);
  try {
    const counts = await restoreSnapshot(client, dir, say);
    say(`Restored ${countsWords(counts)} from ${dir} in ${counts.seconds.toFixed(1)} s.`);
  } finally {
    client.destroy();
  }
}

/**
 * For `local --detach`: the snapshots at intervals are written by a small process of their own (this tool's
 * hidden `__keep-snapshots`), which outlives `local --detach` with the servers and ends when `local stop`
 * stops it or DynamoDB Local (`dynamo`) is gone. `local stop` writes the last snapshot itself.
 */
export async function startKeeper(options: {
  endpoint: string;
  dataDir: string;
  everySeconds: number;
  dynamo: ProcessIdentity;
  logFile: string | undefined;
  watchdog: Watchdog;
  signal: AbortSignal;
}): Promise<Launched> {
  const bin = packagePath(join('dist', 'bin', 'cruddur-ddb.cjs'));
  return launch({
    name: 'snapshot keeper',
    command: process.execPath,
    args: [
      bin,
      '__keep-snapshots',
      options.dataDir,
      '--every',
      String(options.everySeconds),
      '--while-pid',
      `${options.dynamo.pid}:${options.dynamo.startTime}`,
      '--endpoint-url',
      options.endpoint,
    ],
    // Up as soon as it runs: it has nothing to answer.
    ready: async () => true,
    deadlineMs: 10_000,
    failureCode: 'local.failed',
    stopSignal: 'SIGTERM',
    logFile: options.logFile,
    watchdog: options.watchdog,
    signal: options.signal,
  });
}
