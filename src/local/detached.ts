/**
 * `local --detach`'s life after the command returns: the state it records, what `local status` reports,
 * and `local stop`, which signals only the processes it recorded, each checked to still be that process.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { identify, isStillRunning, stopProcess } from './processes.js';
import { claimState, isLive, readState, removeState, writeState, type DetachedState } from './state.js';
import type { Stack } from './stack.js';
import type { StoreKind } from './store-settings.js';
import { handDataDir, releaseDataDir } from './data-lock.js';

/** The part that writes the snapshot at intervals (store.ts, startKeeper). */
export const KEEPER = 'snapshot keeper';

export const claimFolder = claimState;
export const releaseClaim = removeState;

export interface DetachedSummary {
  endpoint: string;
  pid: number;
  dataDir: string | null;
  inMemory: boolean;
  store: StoreKind;
  postgres?: { url: string; port: number };
  cognito?: { url: string; userPoolId: string };
  tables: string[];
}

/** Turns the claim into the running stack's record; returns what `--detach -o json` prints. */
export function recordDetached(
  stateDir: string,
  claim: DetachedState,
  stack: Stack,
  facts: { port: number; dataDir: string | undefined; dataClaim?: DetachedState; inMemory: boolean; store: StoreKind; tables: string[] },
): DetachedSummary {
  const { exports } = stack;
  const postgres = stack.parts.find((part) => part.name === 'PostgreSQL');
  const cognito = stack.parts.find((part) => part.name === 'cognito-local');
  const summary: DetachedSummary = {
    endpoint: stack.dynamo.url,
    pid: stack.dynamo.identity.pid,
    dataDir: facts.dataDir ?? null,
    inMemory: facts.inMemory,
    store: facts.store,
    ...(postgres && exports.CONNECTION_URL ? { postgres: { url: exports.CONNECTION_URL, port: Number(new URL(postgres.url).port) } } : {}),
    ...(cognito && exports.AWS_COGNITO_USER_POOL_ID ? { cognito: { url: cognito.url, userPoolId: exports.AWS_COGNITO_USER_POOL_ID } } : {}),
    tables: facts.tables,
  };
  const parts = stack.parts.map((part) => ({
    name: part.name,
    ...part.identity,
    stopSignal: part.stopSignal,
    url: part.url,
    logFile: part.logFile ?? '',
    ...(part.temporary ? { temporary: part.temporary } : {}),
  }));
  writeState(stateDir, {
    ...claim,
    state: 'running',
    endpoint: summary.endpoint,
    port: facts.port,
    dataDir: summary.dataDir,
    inMemory: facts.inMemory,
    store: facts.store,
    parts,
    postgres: summary.postgres,
    cognito: summary.cognito,
    tables: facts.tables,
  });
  // The data folder is the servers' from now on: a `local` started on it while they run is refused.
  if (facts.dataClaim && facts.dataDir) handDataDir(facts.dataDir, facts.dataClaim, parts);
  return summary;
}

export type Status = { running: true; state: DetachedState } | { running: false; why: string };

/** What runs here: a live stack, or why not (nothing recorded, or a stale record, which is removed). */
export function statusOf(stateDir: string): Status {
  const state = readState(stateDir);
  if (!state) return { running: false, why: 'no `local --detach` stack runs in this folder' };
  if (isLive(state)) return { running: true, state };
  removeState(stateDir);
  return { running: false, why: `the stack recorded in .cruddur/local.json is gone (${staleWords(state)}); the stale record was removed` };
}

function staleWords(state: DetachedState): string {
  const first = state.parts[0] ?? state.owner;
  const now = identify(first.pid);
  return now ? `pid ${first.pid} is now another process` : `pid ${first.pid} has ended`;
}

export interface StopResult {
  stopped: string[];
  /** Recorded PIDs that are now other processes: left alone. */
  leftAlone: number[];
  removed: string[];
}

/**
 * Stops what `--detach` started, last started first, each by its recorded PID only while that PID is
 * still the recorded process (same start time), waiting for each to end; removes temporary data folders
 * and the record. A no-op (with a clear line) when nothing runs.
 */
export async function stopDetached(stateDir: string, say: (line: string) => void): Promise<StopResult> {
  const state = readState(stateDir);
  const result: StopResult = { stopped: [], leftAlone: [], removed: [] };
  if (!state) {
    say('Nothing to stop: no `local --detach` stack runs in this folder.');
    return result;
  }
  if (state.state === 'starting' && isStillRunning(state.owner)) {
    // Its own start-up is under way: ask it to cancel; its handlers stop what it has started.
    process.kill(state.owner.pid, 'SIGTERM');
  }
  // The snapshot store: the keeper first (it writes no more), then the last snapshot, while DynamoDB Local still serves.
  let kept = '';
  const snapshotting = state.state === 'running' && state.store === 'snapshot' && state.dataDir && state.endpoint;
  if (snapshotting) {
    for (const part of state.parts.filter((p) => p.name === KEEPER && isStillRunning(p))) {
      await stopProcess(part, part.stopSignal);
      result.stopped.push(`${part.name} (pid ${part.pid})`);
    }
    kept = await lastSnapshot(state, say);
  }
  for (const part of [...state.parts].reverse()) {
    if (snapshotting && part.name === KEEPER) continue;
    if (isStillRunning(part)) {
      await stopProcess(part, part.stopSignal);
      result.stopped.push(`${part.name} (pid ${part.pid})`);
    } else if (identify(part.pid)) result.leftAlone.push(part.pid);
    if (part.temporary) {
      rmSync(part.temporary, { recursive: true, force: true });
      result.removed.push(part.temporary);
    }
  }
  removeState(stateDir);
  if (state.dataDir) releaseDataDir(state.dataDir, state);
  if (result.stopped.length > 0)
    say(
      `Stopped ${result.stopped.join(', ')}${state.inMemory ? '; in memory, so nothing was kept' : kept ? `; ${kept}` : state.dataDir ? `; data kept in ${state.dataDir}` : ''}.`,
    );
  else say('Nothing was running: the stack recorded in .cruddur/local.json had already ended; the record was removed.');
  if (result.leftAlone.length > 0)
    say(`Left alone: pid ${result.leftAlone.join(', ')} now belong${result.leftAlone.length === 1 ? 's' : ''} to another process.`);
  return result;
}

/** The snapshot at `local stop`, while DynamoDB Local still serves; says what was kept ('' when nothing could be). */
async function lastSnapshot(state: DetachedState, say: (line: string) => void): Promise<string> {
  const dynamo = state.parts.find((part) => part.name === 'DynamoDB Local');
  const dir = join(state.dataDir!, 'snapshot');
  if (!dynamo || !isStillRunning(dynamo)) {
    say(`DynamoDB Local had already ended: ${dir} keeps the last snapshot it wrote.`);
    return '';
  }
  // Loaded only here: `local --detach` and `status` never need the snapshot's code or the SDK.
  const [{ countsWords, writeSnapshot }, { localClient }] = await Promise.all([import('./snapshot.js'), import('./store.js')]);
  const client = localClient(state.endpoint!);
  try {
    const counts = await writeSnapshot(client, state.dataDir!, () => isStillRunning(dynamo));
    return counts ? `${countsWords(counts)} kept in ${dir}` : '';
  } catch (error) {
    say(`Warning: the snapshot at stop failed (${(error as Error).message}); ${dir} keeps the one before.`);
    return '';
  } finally {
    client.destroy();
  }
}
