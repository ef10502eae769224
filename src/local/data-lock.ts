/**
 * One `local` per data folder: the snapshot store (and --disk's database file) assumes a single writer, so
 * a second `local` on a folder in use would restore a snapshot the first is about to replace and then
 * overwrite the first one's snapshots with its own. Every `local` that keeps data claims the folder with
 * the lock `--detach` already uses (state.ts, claimRecord) on `<data dir>/owner.json`: a foreground run
 * holds it while its own process lives; a detached stack hands it to its servers (their PIDs and start
 * times), and `local stop` removes it. A record whose processes are gone, or whose PIDs now belong to
 * other processes, is stale and taken over.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../core/errors.js';
import { claimRecord, readRecord, startingRecord, writeRecord, type DetachedState } from './state.js';

export const OWNER_FILE = 'owner.json';

const fileOf = (dataDir: string) => join(dataDir, OWNER_FILE);

/** Claims `dataDir` for this process (`cwd`: where it runs, for the message a second one gets). */
export function claimDataDir(dataDir: string, options: { foreground: boolean; cwd: string }): DetachedState {
  const claim = startingRecord({ dataDir, cwd: options.cwd, ...(options.foreground ? { foreground: true } : {}) });
  return claimRecord(fileOf(dataDir), claim, (found) => refusal(dataDir, found));
}

function refusal(dataDir: string, found: DetachedState): CliError {
  const where = found.cwd ? ` in ${found.cwd}` : '';
  const startedWhere = where && `, started${where}`;
  if (found.foreground)
    return new CliError(
      'local.data_dir_in_use',
      `Not started: \`cruddur-ddb local\` (pid ${found.owner.pid}, started ${found.startedAt}${where}) already keeps its data in ${dataDir}; a second one would overwrite its snapshots`,
      { hint: `Stop that one first (Ctrl-C in its terminal, or \`kill ${found.owner.pid}\`), or give this one another --data-dir, or --in-memory` },
    );
  const what =
    found.state === 'starting'
      ? `a \`cruddur-ddb local --detach\` (pid ${found.owner.pid}${startedWhere}) is starting on ${dataDir}`
      : `the stack of \`cruddur-ddb local --detach\` (DynamoDB Local pid ${found.parts[0]?.pid}${startedWhere}) keeps its data in ${dataDir}`;
  return new CliError('local.data_dir_in_use', `Not started: ${what}; a second \`local\` would overwrite its snapshots`, {
    hint: `Stop it first (\`npx cruddur-ddb local stop\`${where}), or give this one another --data-dir, or --in-memory`,
  });
}

/** After `--detach`: the folder is its servers' from now on (live while any of them runs). */
export function handDataDir(dataDir: string, claim: DetachedState, parts: DetachedState['parts']): void {
  writeRecord(fileOf(dataDir), { ...claim, state: 'running', parts });
}

/** Lets the folder go, if the record there is still this claim's (a stale one taken over is another's). */
export function releaseDataDir(dataDir: string, claim: DetachedState): void {
  const found = readRecord(fileOf(dataDir));
  if (found && found.owner.pid === claim.owner.pid && found.owner.startTime === claim.owner.startTime) rmSync(fileOf(dataDir), { force: true });
}
