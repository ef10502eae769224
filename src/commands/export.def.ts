import { defineCommand, type Input, text } from '../kit/define.js';
import { dryRunEstimate, tableOrDefault, transferSegments } from '../kit/shared-options.js';

const args = { ...tableOrDefault };

const options = {
  file: text('-f, --file <file>', 'where to write (default: stdout); .gz compresses'),
  ...transferSegments(),
  ...dryRunEstimate,
};

/** What the run function receives: each argument and option above, typed by its parser. */
export type ExportInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: 'export',
  description: 'write a table (its shape and every item, in DynamoDB typed JSON) to a file or stdout; gzip when the name ends in .gz',
  args,
  options,
  examples: [
    'cruddur-ddb export -f messages.ndjson.gz',
    'cruddur-ddb export cruddur-messages > messages.ndjson',
    'cruddur-ddb export cruddur-messages prod -f prod-messages.ndjson.gz',
    'cruddur-ddb export cruddur-messages prod --dry-run',
  ],
  helpAfter: 'The file format: docs/export-format.md (a header line, then one {"Item": ...} per line).',
  load: async () => (await import('./export.js')).exportCommand,
});
