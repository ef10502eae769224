/**
 * Tests that need a program the machine may not have (zsh, fish, Chromium): on a fresh machine of this kind
 * those tests are skipped, each file saying in one line which Debian package would run them; `.ci/run`
 * installs every one and sets CRUDDUR_TEST_ALL_TOOLS=1, so there a missing program fails instead of skipping.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe } from 'vitest';

/** Whether `command` runs here: an absolute path that exists, or a name found on PATH. */
export function hasProgram(command: string): boolean {
  if (command.startsWith('/')) return existsSync(command);
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

/**
 * `describe`, or `describe.skip` with one line naming the package, when `command` is missing. `install`
 * says how to get it when that is not a Debian package (moto_server: pip, and only where a wheel is at hand).
 */
export function describeWith(
  command: string,
  debianPackage: string,
  install = `apt-get install ${debianPackage}; .ci/run installs it`,
): typeof describe | typeof describe.skip {
  if (hasProgram(command)) return describe;
  const line = `${command} is not installed: its tests are skipped (${install})`;
  if (process.env.CRUDDUR_TEST_ALL_TOOLS === '1') throw new Error(`${line}, but CRUDDUR_TEST_ALL_TOOLS=1 asks for every test`);
  console.warn(line);
  return describe.skip;
}
