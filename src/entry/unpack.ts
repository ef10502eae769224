/**
 * Where the command line's ES modules are (cli.js and its chunks). A clone's build has them beside the
 * binary. The package carries them as one file, dist/bin/commands-<hash>.pack (scripts/commands-pack.mjs
 * says why: npm spends about a millisecond per tarball entry, three times per `npx` run), unpacked here
 * once, on the first command that needs them, into a folder named by the hash: beside the pack, or, where
 * the package's folder is not writable (a global install by another user), under the user's cache folder
 * (XDG_CACHE_HOME or ~/.cache), with a `.package-root` file saying where the package is (packagePath
 * reads it, to find seed/ and the rest). Unpacked into a temporary folder and renamed into place, so a
 * command started at the same moment finds all of it or none; the one that loses the rename uses the winner's.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The path of cli.js to import, unpacking it first when needed. */
export function commandLineModule(binDir: string, env: Record<string, string | undefined> = process.env): string {
  const beside = join(binDir, 'cli.js');
  if (existsSync(beside)) return beside;
  const pack = readdirSync(binDir).find((name) => /^commands-[0-9a-f]+\.pack$/.test(name));
  if (!pack) throw new Error(`${binDir} has neither cli.js nor a commands pack: reinstall cruddur-ddb`);
  const hash = pack.slice('commands-'.length, -'.pack'.length);
  const root = dirname(dirname(binDir));
  const places = [
    { base: binDir, name: `commands-${hash}`, pointer: false },
    // Named by the package's folder too: two installs of one version each point at their own seed/.
    { base: cacheFolder(env), name: `commands-${hash}-${createHash('sha256').update(root).digest('hex').slice(0, 8)}`, pointer: true },
  ];
  let failure: unknown;
  for (const place of places) {
    const target = join(place.base, place.name);
    if (existsSync(join(target, 'cli.js'))) return join(target, 'cli.js');
    try {
      unpack(join(binDir, pack), place.base, place.name, place.pointer ? root : undefined);
      return join(target, 'cli.js');
    } catch (error) {
      failure = error; // not writable here: the next place
    }
  }
  throw new Error(`could not unpack the command line (${(failure as Error).message}): check that ${cacheFolder(env)} is writable`);
}

function cacheFolder(env: Record<string, string | undefined>): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'cruddur-ddb');
}

function unpack(packFile: string, base: string, name: string, packageRoot: string | undefined): void {
  mkdirSync(base, { recursive: true });
  const temporary = join(base, `.${name}-${process.pid}-${Date.now()}`);
  try {
    const fd = openSync(packFile, 'r');
    try {
      const { files, offset } = readIndex(fd);
      let at = offset;
      for (const [file, bytes] of files) {
        const body = Buffer.alloc(bytes);
        readSync(fd, body, 0, bytes, at);
        at += bytes;
        mkdirSync(dirname(join(temporary, file)), { recursive: true });
        writeFileSync(join(temporary, file), body);
      }
    } finally {
      closeSync(fd);
    }
    if (packageRoot) writeFileSync(join(temporary, '.package-root'), packageRoot);
    try {
      renameSync(temporary, join(base, name));
    } catch (error) {
      // Another command unpacked the same content first: use it.
      if (!existsSync(join(base, name, 'cli.js'))) throw error;
    }
    // Other versions' folders in the shared cache folder, once a day has passed (a command may still run from one).
    if (packageRoot) {
      for (const old of readdirSync(base).filter((entry) => entry.startsWith('commands-') && entry !== name)) {
        if (Date.now() - statSync(join(base, old)).mtimeMs > DAY_MS) rmSync(join(base, old), { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

/** The pack's first line: which files, how many bytes each (an index of ~300 names is ~15 KB). */
function readIndex(fd: number): { files: Array<[string, number]>; offset: number } {
  const head = Buffer.alloc(256 * 1024);
  const length = readSync(fd, head, 0, head.length, 0);
  const end = head.subarray(0, length).indexOf(10);
  if (end < 0) throw new Error('the commands pack has no index');
  const { files } = JSON.parse(head.subarray(0, end).toString()) as { files: Array<[string, number]> };
  return { files, offset: end + 1 };
}
