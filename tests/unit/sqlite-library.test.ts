import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteLibraryArgs } from '../../src/aws/local-dynamodb.js';

describe("DynamoDB Local's SQLite library, loaded in place", () => {
  const libDir = mkdtempSync(join(tmpdir(), 'cruddur-sqlite-lib-'));
  afterAll(() => rmSync(libDir, { recursive: true, force: true }));
  for (const name of ['libsqlite4java-linux-amd64.so', 'libsqlite4java-osx-aarch64.dylib', 'sqlite4java-win32-x64.dll']) writeFileSync(join(libDir, name), '');

  it.each([
    ['linux', 'x64', 'libsqlite4java-linux-amd64.so'],
    ['darwin', 'arm64', 'libsqlite4java-osx-aarch64.dylib'],
    ['win32', 'x64', 'sqlite4java-win32-x64.dll'],
  ])('%s %s: the file the package ships for it', (platform, arch, name) => {
    expect(sqliteLibraryArgs(libDir, platform, arch)).toEqual([`-Dorg.sqlite.lib.path=${libDir}`, `-Dorg.sqlite.lib.name=${name}`]);
  });

  it.each([
    ['linux', 'arm64'], // a platform the package ships for, whose file is missing here
    ['freebsd', 'x64'], // a platform it does not ship for
  ])('%s %s: nothing, and DynamoDB Local finds SQLite its own way', (platform, arch) => {
    expect(sqliteLibraryArgs(libDir, platform, arch)).toEqual([]);
  });
});
