/**
 * `npm run bench`: runs every bench/*.bench.mjs in name order (or only those named on the command
 * line: `npm run bench -- cli`) and appends their results to bench/RESULTS.md.
 */
import { readdirSync } from 'node:fs';

const only = process.argv.slice(2);
const files = readdirSync(new URL('.', import.meta.url))
  .filter((file) => file.endsWith('.bench.mjs'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();
let failed = false;
for (const file of files) {
  console.log(`\n== ${file}`);
  try {
    const module = await import(new URL(`./${file}`, import.meta.url));
    await module.run();
  } catch (error) {
    failed = true;
    console.error(`${file} failed: ${error.stack ?? error}`);
  }
}
process.exitCode = failed ? 1 : 0;
