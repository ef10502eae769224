/**
 * The tool's own folder in a project, `.cruddur/` (DynamoDB Local's data, the stream runner's place).
 * It must never end up in git by accident, so whenever the tool makes a folder inside it, it also
 * leaves a `.gitignore` there that ignores everything (the way pytest keeps `.pytest_cache` out):
 * nobody has to edit their own .gitignore.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';

export const STATE_DIR_NAME = '.cruddur';

const GITIGNORE = '# Created by cruddur-ddb: local data and state, never for git.\n*\n';

/** Makes `dir` (recursively); when it lies in a `.cruddur` folder, makes sure that folder ignores itself. */
export function makeStateDir(dir: string): string {
  const full = resolve(dir);
  mkdirSync(full, { recursive: true });
  const parts = full.split(sep);
  const at = parts.lastIndexOf(STATE_DIR_NAME);
  if (at > 0) {
    const stateDir = parts.slice(0, at + 1).join(sep) || sep;
    const ignore = `${stateDir}${sep}.gitignore`;
    if (!existsSync(ignore)) writeFileSync(ignore, GITIGNORE, { flag: 'wx' }); // never overwrite the user's own
  }
  return full;
}

/** makeStateDir for the folder a file goes into. */
export function makeStateDirFor(file: string): string {
  return makeStateDir(dirname(file));
}
