/**
 * Runs the command line's bundle (dist/bin/cli.cjs) as a CommonJS module whose compiled code V8 keeps
 * between runs. Node 20 has no compile cache for modules (22.1's module.enableCompileCache), but its vm
 * scripts take V8's code cache: the first run compiles the bundle and, as it exits, writes the code of
 * every function it compiled; later runs start from that instead of parsing 1.2 MB of JavaScript. That
 * is ~50 ms of a ~200 ms `list-tables` (bench/RESULTS.md). The cache is written at exit rather than at
 * compile time because V8 compiles functions lazily: written at compile time it held the top level only,
 * and a command saved ~20 ms instead of ~50.
 *
 * Where: beside the bundle (.v8-cache/), or where that folder cannot be written (a global install owned by
 * another user) the user's cache folder (XDG_CACHE_HOME or ~/.cache, cruddur-ddb/). The file's name holds
 * the bundle's hash, Node's version and the architecture: V8 checks a cache against the source's length
 * and its own flags, not the source's text, so the hash is what keeps one build from another's code. A
 * cache V8 rejects (other flags, a Node built otherwise) is written again; one that cannot be written
 * anywhere is simply not kept. Written to a temporary name and renamed, so two first runs at once leave
 * one whole file. When one is written, caches of other builds written more than a week before are removed.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** What the bundle needs from its host: where to look and where to write, and a hook run at exit. */
export interface CodeCacheHost {
  env: Record<string, string | undefined>;
  /** Node's own options on the command line (process.execArgv). */
  execArgv: readonly string[];
  onExit: (write: () => void) => void;
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Where a cache for this bundle may be: beside it first, then under the user's cache folder. Node's
 * options (NODE_OPTIONS, or flags before the script) are in the name when there are any: V8 refuses a
 * cache made under other flags, and one file for both would be written again by every other run.
 */
function codeCacheFiles(bundle: string, bundleHash: string, env: Record<string, string | undefined>, execArgv: readonly string[] = []): string[] {
  const options = [...execArgv, env.NODE_OPTIONS ?? ''].join(' ').trim();
  const flags = options ? `-${createHash('sha256').update(options).digest('hex').slice(0, 8)}` : '';
  const name = `cli-${bundleHash}-${process.version}-${process.arch}${flags}.v8`;
  const files = [join(dirname(bundle), '.v8-cache', name)];
  try {
    files.push(join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'cruddur-ddb', name));
  } catch {
    // no home folder to be found: beside the bundle only
  }
  return files;
}

/** Runs `bundle` (a CommonJS file) with V8's code cache. */
export function runWithCodeCache(bundle: string, bundleHash: string, host: CodeCacheHost): void {
  const source = readFileSync(bundle, 'utf8');
  const files = codeCacheFiles(bundle, bundleHash, host.env, host.execArgv);
  let cachedData: Buffer | undefined;
  for (const file of files) {
    try {
      cachedData = readFileSync(file);
      break;
    } catch {
      // not there: the next place, or none
    }
  }
  // The same wrapper Node gives a CommonJS module, so the bundle sees require, module and __filename as usual.
  const wrapper = `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
  const script = new Script(wrapper, { filename: bundle, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) host.onExit(() => keep(script.createCachedData(), files, bundleHash));
  const module = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
}

function keep(data: Buffer, files: string[], bundleHash: string): void {
  for (const file of files) {
    const temporary = `${file}.${process.pid}`;
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(temporary, data);
    } catch {
      continue; // not writable here: the next place
    }
    try {
      renameSync(temporary, file);
    } catch {
      rmSync(temporary, { force: true }); // written but not renamed: no stray file left beside the cache
      continue;
    }
    forgetOldBuilds(dirname(file), bundleHash);
    return;
  }
}

function forgetOldBuilds(folder: string, bundleHash: string): void {
  for (const name of readdirSync(folder)) {
    if (!/^cli-[0-9a-f]+-.*\.v8$/.test(name) || name.startsWith(`cli-${bundleHash}-`)) continue;
    try {
      if (Date.now() - statSync(join(folder, name)).mtimeMs > WEEK_MS) rmSync(join(folder, name), { force: true });
    } catch {
      // removed by another run meanwhile
    }
  }
}
