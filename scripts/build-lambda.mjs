/**
 * `npm run build:lambda`: bundles the messaging-stream handler (src/lambda/messaging-stream.ts) into one ESM
 * file for the Node.js Lambda runtime, dist/lambda/messaging-stream.mjs (handler:
 * `messaging-stream.handler`), and zips it beside it for `aws lambda update-function-code --zip-file`.
 *
 * The AWS SDK is bundled, not taken from the runtime: the runtime's SDK version changes under a deployed
 * function without notice, and the bundle runs exactly the SDK the tests ran.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/lambda`;
const outfile = `${outdir}/messaging-stream.mjs`;
const zipfile = `${outdir}/messaging-stream.zip`;

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: [`${root}src/lambda/messaging-stream.ts`],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: true,
  legalComments: 'none',
  // Parts of the SDK are CommonJS and call require() for Node built-ins, which an ES module lacks. And the SDK
  // warns on Node 20 (the nodejs20.x runtime) that later releases need Node 22: a line in every cold start's log
  // that nobody running this function can act on, so it is turned off before the SDK loads (unless set).
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';",
  },
  logLevel: 'warning',
});

// python3's zipfile stores the file at the archive root under its base name, as Lambda expects.
const zipped = spawnSync('python3', ['-m', 'zipfile', '-c', zipfile, outfile], { stdio: 'inherit' });
const kb = (path) => `${Math.round(statSync(path).size / 1024)} KB`;
if (zipped.status === 0) console.log(`built ${outfile} (${kb(outfile)}) and ${zipfile} (${kb(zipfile)})`);
else console.log(`built ${outfile} (${kb(outfile)}); no zip: python3 is not available (zip it yourself: zip -j messaging-stream.zip ${outfile})`);
