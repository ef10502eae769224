#!/usr/bin/env node
/**
 * The binary's first module: it only decides about source maps and V8's code cache, then loads the
 * tool. The bundle is minified, so a stack trace points into chunks nobody can read; the maps beside
 * them lead back to src/. Node reads maps only for modules loaded after `setSourceMapsEnabled(true)`,
 * and parsing them costs start-up time, so they are turned on here, first, and only when CRUDDUR_DEBUG
 * asks for traces.
 */
import module from 'node:module';

if (process.env.CRUDDUR_DEBUG) process.setSourceMapsEnabled(true);
// Node 22.1+ keeps V8's compiled code of the modules loaded after this call in a cache on disk (the
// OS's temporary folder, or NODE_COMPILE_CACHE), so a second run skips most of the compiling, as
// TypeScript's tsc does. Node 20 has no such API for ES modules: there this is a no-op, not a stand-in.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
await import('./cli.js');
