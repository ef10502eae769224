/**
 * `cruddur-ddb local`: the local stack (src/local/stack.ts) in the foreground until Ctrl-C, or with
 * --detach in the background until `local stop`; `local status` says what runs. The servers end with this
 * process however it ends (signals here, the watchdog for the rest) unless --detach hands them over.
 */
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, relative } from 'node:path';
import type { Context } from '../kit/context.js';
import { CliError, EXIT, UsageError } from '../core/errors.js';
import { record, type Output } from '../kit/output.js';
import { makeStateDir, STATE_DIR_NAME } from '../core/state-dir.js';
import { timeRuleOf } from '../core/environment.js';
import { LaunchError } from '../local/launcher.js';
import { isStillRunning } from '../local/processes.js';
import type { SnapshotKeeper } from '../local/snapshot.js';
import { loadStackData, readSampleSeed, startStack, type Stack } from '../local/stack.js';
import type { SeedSource } from '../seed/seeding.js';
import { storeWords, type StoreKind } from '../local/store-settings.js';
import { startWatchdog } from '../local/watchdog.js';
import { claimFolder, KEEPER, recordDetached, releaseClaim, statusOf, stopDetached } from '../local/detached.js';
import { claimDataDir, releaseDataDir } from '../local/data-lock.js';

export { sampleEmail } from '../local/stack.js';

/** 127.0.0.0/8 and ::1 are this machine only. */
function isLoopback(host: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === 'localhost';
}

/** An IP address (v4 or v6) or a host name; nothing with spaces, slashes or ports in it. */
function checkHost(host: string): string {
  if (isIP(host) || /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/.test(host)) return host;
  throw new UsageError('flag.bad_host', `--host must be an IP address or host name, got "${host}"`, 'e.g. --host 0.0.0.0 to listen on every interface');
}

export interface LocalOptions {
  /** `status` or `stop` (of a --detach stack); undefined starts one. */
  action: string | undefined;
  /** undefined: CRUDDUR_LOCAL_PORT, else 8000. */
  port: number | undefined;
  dataDir: string;
  inMemory: boolean;
  /** DynamoDB Local's own database file instead of the snapshot store. */
  disk: boolean;
  /** Seconds between snapshots (0: only at stop). */
  snapshotEvery: number;
  schemaLoad: boolean;
  /** Write the sample conversations after --schema-load. */
  seed: boolean;
  /** Address to listen on (127.0.0.1 by default); anything wider is said with a warning. */
  host: string;
  /** false (--no-users-from-db): seed with the uuids of seed/users.txt even when CONNECTION_URL is set. */
  usersFromDb: boolean | undefined;
  postgres: boolean;
  postgresPort: number;
  cognito: boolean;
  cognitoPort: number;
  /** Return once everything asked for is ready and leave it running (state in .cruddur/local.json). */
  detach: boolean;
}

function makeFolder(dir: string, what: string): string {
  try {
    return makeStateDir(dir);
  } catch (error) {
    throw new CliError('local.data_dir', `Cannot make ${what} ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: 'Pick a folder you can write (--data-dir), or keep nothing on disk with --in-memory',
    });
  }
}

export async function local(options: LocalOptions, context: Context): Promise<Output> {
  const stateDir = () => makeFolder(STATE_DIR_NAME, 'the state folder');
  const cleanups: Array<() => void> = [];
  if (options.action === 'status') return status(stateDir(), context);
  if (options.action === 'stop') {
    const result = await stopDetached(stateDir(), (line) => context.say(line));
    return context.format === 'table' ? undefined : record(result);
  }
  if (options.action !== undefined) throw new UsageError('arg.bad_action', `Unknown action "${options.action}"`, 'Use `local`, `local status` or `local stop`');

  const port = options.port ?? context.env.localPort.value;
  const host = checkHost(options.host);
  if (options.inMemory && options.disk) throw new UsageError('flag.conflict', '--in-memory and --disk contradict each other', 'Give one of them');
  const store: StoreKind = options.inMemory ? 'memory' : options.disk ? 'disk' : 'snapshot';
  const keepsData = store !== 'memory';
  // PostgreSQL's cluster, cognito-local's pools and the env file live in .cruddur/ too, unless --in-memory.
  const state = keepsData || options.detach ? stateDir() : undefined;
  const dataDir = keepsData ? makeFolder(options.dataDir, 'the data folder') : undefined;
  // Before anything starts: with --detach one stack per state folder (said first: it is the nearer news),
  // and one `local` per data folder (a second would overwrite the first one's snapshots).
  const claim = options.detach ? claimFolder(state!) : undefined;
  let dataClaim;
  try {
    dataClaim = dataDir ? claimDataDir(dataDir, { foreground: !options.detach, cwd: context.cwd }) : undefined;
  } catch (error) {
    if (claim) releaseClaim(state!);
    throw error;
  }
  let handedOver = false;
  // From here on, anything that ends this process ends the servers: signals stop them (cancelling a start),
  // the watchdog covers what no handler sees (SIGKILL, a crash), and a parent that goes away (a killed `npx`,
  // a CI step's `kill`) is noticed within a fifth of a second.
  const cancel = new AbortController();
  let stack: Stack | undefined;
  let keeper: SnapshotKeeper | undefined;
  let ready = false;
  const stopRequested = new Promise<string>((resolve) => {
    const on = (why: string) => {
      if (!ready)
        cancel.abort(
          new CliError('local.cancelled', `Cancelled by ${why} while starting; everything started so far was stopped`, { exitCode: EXIT.cancelled }),
        );
      resolve(why);
    };
    const stopSignals = context.onSignal((signal) => on(signal));
    const stopWatching = context.onParentExit(() => on('the end of its parent process'));
    cleanups.push(() => {
      stopSignals();
      stopWatching();
    });
  });
  const watchdog = startWatchdog();
  try {
    if (!isLoopback(host)) {
      context.say(
        `Warning: listening on ${host === '0.0.0.0' || host === '::' ? 'every network interface' : host}: DynamoDB Local accepts any credentials, so anyone who can reach this machine on port ${port} can read and delete its tables.`,
      );
    }
    const say = (line: string) => context.say(line);
    let sampleSeed: Promise<SeedSource> | undefined;
    // The snapshot store's code (and the SDK it needs) is loaded while the JVM starts, for an in-memory run not at all.
    const snapshots = store === 'snapshot' ? await import('../local/store.js') : undefined;
    if (snapshots) await snapshots.convertDiskDatabase(dataDir!, { watchdog, signal: cancel.signal, say, cwd: context.cwd, path: context.vars.PATH });
    stack = await startStack({
      port,
      host,
      dataDir: store === 'disk' ? dataDir : undefined,
      storeWords: storeWords(store, dataDir, options.snapshotEvery),
      stateDir: keepsData ? state : undefined,
      postgresPort: options.postgres ? options.postgresPort : undefined,
      cognitoPort: options.cognito ? options.cognitoPort : undefined,
      logDir: options.detach ? makeFolder(join(state!, 'logs'), 'the log folder') : undefined,
      watchdog,
      signal: cancel.signal,
      say: (line) => context.say(line),
      env: context.vars,
      cwd: context.cwd,
      whileDynamoStarts: () => {
        if (options.seed) sampleSeed ??= readSampleSeed(context.cwd);
      },
    });
    // Restored before anything else writes: the seed then finds its conversations there and writes nothing.
    if (snapshots) await snapshots.restoreStore(stack.dynamo.url, dataDir!, say);
    const tables = await loadStackData(stack.dynamo.url, {
      table: context.env.table.value,
      schemaLoad: options.schemaLoad,
      seed: options.seed,
      usersFromDb: options.usersFromDb,
      postgresUrl: stack.exports.CONNECTION_URL ?? context.env.postgresUrl.value,
      rule: timeRuleOf(context.env),
      say: (line) => context.say(line),
      signal: cancel.signal,
      sampleSeed,
    });
    cancel.signal.throwIfAborted();
    const envFile = writeEnvFile(stack.exports, state, context.cwd);
    if (options.detach) {
      if (store === 'snapshot' && options.snapshotEvery > 0) {
        const logFile = join(state!, 'logs', 'snapshot-keeper.log');
        const { dynamo } = stack;
        const launched = await snapshots!.startKeeper({
          endpoint: dynamo.url,
          dataDir: dataDir!,
          everySeconds: options.snapshotEvery,
          dynamo: dynamo.identity,
          logFile,
          watchdog,
          signal: cancel.signal,
        });
        stack.parts.push({ name: KEEPER, identity: launched.identity, stopSignal: 'SIGTERM', url: join(dataDir!, 'snapshot'), logFile, stop: launched.stop });
      }
      const summary = recordDetached(state!, claim!, stack, { port, dataDir, dataClaim, inMemory: options.inMemory, store, tables });
      handedOver = true;
      ready = true;
      watchdog.release(); // from here the servers are the state file's: `local stop` ends them
      context.say(
        `The local stack runs in the background at ${stack.dynamo.url}${tables.length ? ` (${tables.join(', ')} ready)` : ''}; \`cruddur-ddb local stop\` stops it.${envFile ? ` Settings: source ${envFile}` : ''}`,
      );
      return context.format === 'table' ? undefined : record(summary);
    }
    ready = true;
    if (store === 'snapshot') {
      const dynamo = stack.dynamo;
      const client = snapshots!.localClient(dynamo.url);
      cleanups.push(() => client.destroy());
      const { keepSnapshots } = await import('../local/snapshot.js');
      keeper = keepSnapshots(client, dataDir!, options.snapshotEvery * 1000, say, () => isStillRunning(dynamo.identity));
    }
    context.say(nextSteps(stack.exports, envFile, context.env.table.value));
    return await serve(stack, stopRequested, context, keeper && { keeper, dir: join(dataDir!, 'snapshot') });
  } catch (error) {
    if (error instanceof LaunchError && error.lastLines.length > 0) context.say(`Its last lines:\n${error.lastLines.map((line) => `  ${line}`).join('\n')}`);
    await keeper?.stop();
    await stack?.stop();
    if (claim) releaseClaim(state!);
    throw cancel.signal.aborted ? cancel.signal.reason : error;
  } finally {
    for (const cleanup of cleanups.splice(0)) cleanup();
    // Everything it watched has stopped (or, after --detach, is the state file's): let it go.
    watchdog.release();
    if (dataClaim && !handedOver) releaseDataDir(dataDir!, dataClaim);
  }
}

/** `local status`: exit 0 with what runs, or 1 (local.not_running) saying why not. */
function status(stateDir: string, context: Context): Output {
  const found = statusOf(stateDir);
  if (!found.running) throw new CliError('local.not_running', `Not running: ${found.why}`, { hint: 'Start one with `npx cruddur-ddb local --detach`' });
  const { state } = found;
  const summary = {
    running: true,
    endpoint: state.endpoint,
    pid: state.parts[0]?.pid,
    startedAt: state.startedAt,
    dataDir: state.dataDir ?? null,
    inMemory: state.inMemory ?? false,
    store: state.store ?? (state.inMemory ? 'memory' : 'disk'),
    ...(state.store === 'snapshot' && state.dataDir ? { snapshotAt: snapshotTime(state.dataDir) } : {}),
    parts: state.parts.map((part) => ({ name: part.name, pid: part.pid, url: part.url, running: isStillRunning(part) })),
    ...(state.postgres ? { postgres: state.postgres } : {}),
    ...(state.cognito ? { cognito: state.cognito } : {}),
    tables: state.tables ?? [],
  };
  context.say(
    `The local stack runs at ${state.endpoint} since ${state.startedAt} (${summary.parts.map((part) => `${part.name} pid ${part.pid}`).join(', ')}).`,
  );
  return context.format === 'table' ? undefined : record(summary);
}

/** When the snapshot folder was last swapped in (null: none yet). */
function snapshotTime(dataDir: string): string | null {
  try {
    return statSync(join(dataDir, 'snapshot')).mtime.toISOString();
  } catch {
    return null;
  }
}

/** The foreground: until a signal (exit 0, "Stopped.") or DynamoDB Local's own end (an error with its last lines). */
async function serve(stack: Stack, stopRequested: Promise<string>, context: Context, snapshots?: { keeper: SnapshotKeeper; dir: string }): Promise<Output> {
  const { dynamo } = stack;
  let why = '';
  const ended = await Promise.race([stopRequested.then((reason) => ((why = reason), 'asked' as const)), dynamo.exited.then(() => 'died' as const)]);
  await snapshots?.keeper.stop();
  if (ended === 'asked') {
    context.say(`${why}: stopping ${stack.parts.map((part) => part.name).join(', ')}...`);
    if (snapshots) await lastSnapshot(snapshots.keeper, snapshots.dir, context);
    await stack.stop();
    context.say('Stopped.');
    return undefined;
  }
  // Nobody asked it to stop: a crash (or a kill from outside). Stop the rest of the stack, show why, and fail.
  await stack.stop();
  if (snapshots) context.say(`What was written after the last snapshot (${snapshots.dir}) is lost.`);
  const lines = dynamo.lastLines();
  if (lines.length > 0) context.say(`DynamoDB Local's last lines:\n${lines.map((line) => `  ${line}`).join('\n')}`);
  const code = await dynamo.exited;
  const how = code !== null ? `with code ${code}` : `by signal ${dynamo.signal() ?? 'unknown'}`;
  throw new CliError('local.died', `DynamoDB Local stopped by itself (${how}); its tables are no longer served at ${dynamo.url}`, {
    hint: 'See its last lines above; start it again with `npx cruddur-ddb local`',
  });
}

/** The snapshot at stop; a failure keeps the last one and is said, and the stack stops all the same. */
async function lastSnapshot(keeper: SnapshotKeeper, dir: string, context: Context): Promise<void> {
  try {
    const counts = await keeper.flush();
    const { countsWords } = await import('../local/snapshot.js');
    if (counts) context.say(`Kept ${countsWords(counts)} in ${dir} (${counts.seconds.toFixed(1)} s).`);
  } catch (error) {
    context.say(`Warning: the snapshot at stop failed (${(error as Error).message}); ${dir} keeps the one before.`);
  }
}

/** `.cruddur/env` for `source`: it can hold a connection URL, so only its owner may read it (0600). */
function writeEnvFile(exports: Record<string, string>, stateDir: string | undefined, cwd: string): string | undefined {
  const lines = Object.entries(exports).map(([name, value]) => `export ${name}=${value}`);
  if (lines.length === 0 || !stateDir) return undefined;
  const file = join(stateDir, 'env');
  writeFileSync(file, `# Written by cruddur-ddb local: the settings for the stack it runs.\n${lines.join('\n')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // an older file keeps its mode through writeFileSync
  return relative(cwd, file) || file;
}

function nextSteps(exports: Record<string, string>, envFile: string | undefined, table: string): string {
  const lines = ['From another terminal (in this folder), try:'];
  if (envFile) lines.push(`  source ${envFile}`);
  else for (const [name, value] of Object.entries(exports)) lines.push(`  export ${name}=${value}`);
  lines.push(`  npx cruddur-ddb list-tables`, `  npx cruddur-ddb scan ${table}`);
  if (exports.CONNECTION_URL) lines.push('  npx cruddur-ddb list-conversations andrewbrown');
  if (exports.AWS_COGNITO_USER_POOL_ID) lines.push('  npx cruddur-ddb cognito list-users');
  lines.push('Ctrl-C stops it.');
  return lines.join('\n');
}
