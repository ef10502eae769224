#!/usr/bin/env node
/**
 * The binary's first module, built as a CommonJS file (build.mjs): it decides about source maps and V8's
 * code cache, then takes one of two ways in.
 *   - Help and the version (help-words.ts): help.cjs, one CommonJS bundle of the program's definitions,
 *     so `--help` never starts Node's ES module loader (about 10 ms of a 100 ms start on Node 20).
 *   - Everything else, or a help-looking line that runs a command after all: cli.js, the ES module
 *     bundle whose commands load lazily, chunk by chunk (unpacked first from the package, unpack.ts).
 * The bundle is minified, so a stack trace points into chunks nobody can read; the maps beside them lead
 * back to src/. Node reads maps only for modules loaded after `setSourceMapsEnabled(true)`, and parsing
 * them costs start-up time, so they are turned on here, first, and only when CRUDDUR_DEBUG asks for traces.
 */
import module from 'node:module';
import { pathToFileURL } from 'node:url';
import { asksForHelp } from './entry/help-words.js';
import { commandLineModule } from './entry/unpack.js';

if (process.env.CRUDDUR_DEBUG) process.setSourceMapsEnabled(true);
// Node 22.1+ keeps V8's compiled code of the modules loaded after this call in a cache on disk (the
// OS's temporary folder, or NODE_COMPILE_CACHE), so a second run skips most of the compiling, as
// TypeScript's tsc does. Node 20 has no such API: there this is a no-op, not a stand-in.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// cli.js beside this file in a clone's build; unpacked from the package's one commands pack otherwise (unpack.ts).
const runCommandLine = () => import(pathToFileURL(commandLineModule(__dirname)).href);
const argv = process.argv.slice(2);
if (asksForHelp(argv)) {
  // Built beside this file (build.mjs); the source's help.ts, as CommonJS: a require, not an import, is the point.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const help = require('./help.cjs') as typeof import('./entry/help.js');
  void help.processHelpOnly(argv).then((code) => (code === undefined ? runCommandLine() : (process.exitCode = code)));
} else {
  void runCommandLine();
}
