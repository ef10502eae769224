/**
 * THIRD_PARTY_LICENSES lists every package the binary's bundles hold, with its licence text: it is
 * written by build.mjs (scripts/third-party-licenses.mjs) from esbuild's metafile, which the build keeps
 * in dist/bin.meta.json. Checked here against that metafile, so a dependency added to the bundle without
 * a licence file, with a licence we do not accept, or without a rebuild of the list, fails.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script in plain JavaScript, without type declarations
import { ALLOWED_LICENSES, packageOf, thirdPartyLicenses } from '../scripts/third-party-licenses.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const metafile = JSON.parse(readFileSync(join(ROOT, 'dist', 'bin.meta.json'), 'utf8')) as { inputs: Record<string, unknown> };
const text = readFileSync(join(ROOT, 'THIRD_PARTY_LICENSES'), 'utf8');

/** Every package the bundles hold, as name@version, read from the metafile and each package's package.json. */
function bundled(): Map<string, { name: string; version: string; license: string }> {
  const found = new Map<string, { name: string; version: string; license: string }>();
  for (const input of Object.keys(metafile.inputs)) {
    const where = (packageOf as (file: string) => { dir: string } | undefined)(input);
    if (!where) continue;
    const manifest = JSON.parse(readFileSync(join(ROOT, where.dir, 'package.json'), 'utf8')) as { name: string; version: string; license: string };
    found.set(`${manifest.name}@${manifest.version}`, manifest);
  }
  return found;
}

describe('THIRD_PARTY_LICENSES', () => {
  it('names every package in the bundles, at the bundled version, and no other', () => {
    const packages = bundled();
    expect(packages.size).toBeGreaterThan(10);
    expect([...packages.keys()]).toEqual(
      expect.arrayContaining(['commander', 'pg', 'chalk', '@aws-sdk/client-dynamodb'].map((name) => expect.stringMatching(new RegExp(`^${name}@`)))),
    );
    const listed = [...text.matchAll(/^((?:@[^/\s]+\/)?[^@\s]+)@(\S+) \((\S+)\)$/gm)].map((match) => `${match[1]}@${match[2]}`);
    expect(listed.sort()).toEqual([...packages.keys()].sort());
  });

  it('holds each licence text, and only licences we accept', () => {
    for (const p of bundled().values()) {
      expect(ALLOWED_LICENSES.has(p.license), `${p.name}: ${p.license}`).toBe(true);
      // The package's line is followed (after the others sharing its text) by a text that grants permission.
      const section = text.slice(text.indexOf(`${p.name}@${p.version} (`)).split('\n' + '-'.repeat(80))[0]!;
      expect(section, p.name).toMatch(
        /Permission is hereby granted|Permission to use, copy, modify|Licensed under the Apache License|Apache License\s+Version 2\.0|Redistribution and use in source and binary forms/,
      );
    }
  });

  it('is ours to keep whole: the package has no runtime dependency whose licence it would not list', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.dependencies).toBeUndefined();
    expect((manifest.files as string[]).includes('THIRD_PARTY_LICENSES')).toBe(true);
  });

  it('refuses to write the list when a bundled package has no licence text or a licence we do not accept', () => {
    const root = mkdtempSync(join(tmpdir(), 'licences-'));
    const add = (name: string, license: string, licenceFile?: string) => {
      mkdirSync(join(root, 'node_modules', name), { recursive: true });
      writeFileSync(join(root, 'node_modules', name, 'package.json'), JSON.stringify({ name, version: '1.0.0', license }));
      writeFileSync(join(root, 'node_modules', name, 'index.js'), '');
      if (licenceFile) writeFileSync(join(root, 'node_modules', name, 'LICENSE'), licenceFile);
    };
    add('fine', 'MIT', 'Permission is hereby granted, free of charge');
    add('copyleft', 'GPL-3.0', 'GNU GENERAL PUBLIC LICENSE');
    add('silent', 'MIT');
    const inputs = (...names: string[]) => ({ inputs: Object.fromEntries(names.map((name) => [`node_modules/${name}/index.js`, {}])) });
    expect((thirdPartyLicenses(inputs('fine'), root) as { packages: unknown[] }).packages).toEqual([{ name: 'fine', version: '1.0.0', license: 'MIT' }]);
    expect(() => thirdPartyLicenses(inputs('fine', 'copyleft'), root)).toThrow(/copyleft@1\.0\.0: licence "GPL-3\.0" is not in ALLOWED_LICENSES/);
    expect(() => thirdPartyLicenses(inputs('silent'), root)).toThrow(/silent@1\.0\.0: no LICENSE file/);
  });
});
