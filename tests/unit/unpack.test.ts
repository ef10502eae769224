/**
 * The commands pack (scripts/commands-pack.mjs writes it, src/entry/unpack.ts reads it): what goes in comes
 * out byte for byte, once, beside the pack; where that place cannot take it, under the cache folder with a
 * pointer back to the package.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandLineModule } from '../../src/entry/unpack.js';
// @ts-expect-error a build script, plain JavaScript
import { writeCommandsPack } from '../../scripts/commands-pack.mjs';

let root: string;
let bin: string;
const files: Record<string, string> = {
  'cli.js': 'export const cli = 1;\n',
  'cli.js.map': '{"version":3}',
  'chunks/a-AAAA.js': 'export const a = "é ✓";\n',
  'chunks/b-BBBB.js': 'x'.repeat(100_000),
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cruddur-unpack-'));
  // A package as installed: <root>/dist/bin holding the pack only.
  const build = join(root, 'build');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(build, name, '..'), { recursive: true });
    writeFileSync(join(build, name), text);
  }
  const { file } = writeCommandsPack(build) as { file: string };
  bin = join(root, 'dist', 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, file), readFileSync(join(build, file)));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

const cache = () => ({ XDG_CACHE_HOME: join(root, 'cache') });

describe('the commands pack', () => {
  it('unpacks every file byte for byte beside the pack, once; a clone with cli.js beside the binary never unpacks', () => {
    const module = commandLineModule(bin, cache());
    const folder = join(module, '..');
    expect(module).toMatch(/dist\/bin\/commands-[0-9a-f]{16}\/cli\.js$/);
    for (const [name, text] of Object.entries(files)) expect(readFileSync(join(folder, name), 'utf8'), name).toBe(text);
    writeFileSync(join(folder, 'chunks', 'a-AAAA.js'), 'changed');
    expect(commandLineModule(bin, cache())).toBe(module);
    expect(readFileSync(join(folder, 'chunks', 'a-AAAA.js'), 'utf8')).toBe('changed'); // not unpacked again
    expect(readdirSync(bin).filter((name) => name.startsWith('.'))).toEqual([]);
    writeFileSync(join(bin, 'cli.js'), '');
    expect(commandLineModule(bin, cache())).toBe(join(bin, 'cli.js'));
  });

  it('where the package folder cannot take it, unpacks under the cache folder, with the package named in .package-root', () => {
    const name = readdirSync(bin)[0]!.replace(/\.pack$/, '');
    writeFileSync(join(bin, name), 'a file where the folder would go');
    const module = commandLineModule(bin, cache());
    expect(module.startsWith(join(root, 'cache', 'cruddur-ddb', `${name}-`))).toBe(true);
    expect(readFileSync(join(module, '..', '.package-root'), 'utf8')).toBe(root);
    expect(readFileSync(join(module, '..', 'chunks', 'b-BBBB.js'), 'utf8')).toBe(files['chunks/b-BBBB.js']);
    expect(readdirSync(join(root, 'cache', 'cruddur-ddb')).filter((entry) => entry.startsWith('.'))).toEqual([]);
  });
});
