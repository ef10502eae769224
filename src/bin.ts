#!/usr/bin/env node
/**
 * The binary's first module: it only decides about source maps, then loads the tool. The bundle is
 * minified, so a stack trace points into chunks nobody can read; the maps beside them lead back to
 * src/. Node reads maps only for modules loaded after `setSourceMapsEnabled(true)`, and parsing them
 * costs start-up time, so they are turned on here, first, and only when CRUDDUR_DEBUG asks for traces.
 */
if (process.env.CRUDDUR_DEBUG) process.setSourceMapsEnabled(true);
await import('./cli.js');
