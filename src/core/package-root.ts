/**
 * Files shipped with the package (seed/), found from wherever the running code lives: src/ under
 * vitest, dist/ for the library, dist/bin/chunks/ for the bundled binary, or a folder the binary unpacked
 * its commands into under the user's cache folder, whose `.package-root` file names the package
 * (src/entry/unpack.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packagePath(relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    if (existsSync(join(dir, '.package-root'))) return join(readFileSync(join(dir, '.package-root'), 'utf8').trim(), relative);
    const up = dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return join(dir, relative);
}
