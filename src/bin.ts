#!/usr/bin/env node
/**
 * The binary's first module, built as a CommonJS file (build.mjs): it decides about source maps and V8's
 * code cache, then takes one of two ways in.
 *   - Help and the version (help-words.ts): help.cjs, one CommonJS bundle of the program's definitions
 *     without the SDK, so `--help` reads ~90 KB instead of the 1.2 MB bundle a command runs.
 *   - Everything else, or a help-looking line that runs a command after all: cli.cjs, the whole command
 *     line in one CommonJS bundle (its commands evaluated only when they run), loaded with V8's code
 *     cache (code-cache.ts).
 * The bundles are minified, so a stack trace points into code nobody can read; the maps beside them lead
 * back to src/. Node reads maps only for modules it loads itself after `setSourceMapsEnabled(true)`, and
 * parsing them costs start-up time, so under CRUDDUR_DEBUG (and only then) maps are turned on and cli.cjs
 * is required the ordinary way, without the code cache.
 */
import module from 'node:module';
import { join } from 'node:path';
import { asksForHelp } from './entry/help-words.js';

/** The SHA-256 of cli.cjs (16 hex digits), set by build.mjs: the code cache's key. */
declare const CLI_BUNDLE_HASH: string;

if (process.env.CRUDDUR_DEBUG) process.setSourceMapsEnabled(true);
// Node 22.1+ keeps V8's compiled code of the modules loaded after this call in a cache on disk (the
// OS's temporary folder, or NODE_COMPILE_CACHE), so a second run skips most of the compiling, as
// TypeScript's tsc does. Node 20 has no such API: there this is a no-op, not a stand-in.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const runCommandLine = () => {
  const bundle = join(__dirname, 'cli.cjs');
  if (process.env.CRUDDUR_DEBUG) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(bundle);
    return;
  }
  // Required here, not imported at the top: the help path needs none of what it loads (node:vm, node:crypto).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runWithCodeCache } = require('./entry/code-cache.js') as typeof import('./entry/code-cache.js');
  runWithCodeCache(bundle, CLI_BUNDLE_HASH, { env: process.env, execArgv: process.execArgv, onExit: (write) => process.once('exit', write) });
};
const argv = process.argv.slice(2);
if (asksForHelp(argv)) {
  // Built beside this file (build.mjs); the source's help.ts, as CommonJS: a require, not an import, is the point.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const help = require('./help.cjs') as typeof import('./entry/help.js');
  void help.processHelpOnly(argv).then((code) => (code === undefined ? runCommandLine() : (process.exitCode = code)));
} else {
  runCommandLine();
}
