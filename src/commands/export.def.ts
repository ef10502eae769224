import { choice, defineCommand, type Input, text } from '../kit/define.js';
import { tableOrDefault, transferSegments } from '../kit/shared-options.js';

const args = { ...tableOrDefault };

const options = {
  file: text('-f, --file <file>', 'where to write (default: stdout); .gz compresses; with --layout aws a folder or s3://bucket/prefix'),
  layout: choice(
    '--layout <layout>',
    "ndjson: our export file; aws: AWS's Export to S3 layout (manifests, one .json.gz a segment), which ImportTable takes",
    ['ndjson', 'aws'],
    'ndjson',
  ),
  ...transferSegments(),
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
    'cruddur-ddb export --layout aws -f ./messages-export',
    'cruddur-ddb export --layout aws -f s3://cruddur-exports/2026-12',
  ],
  helpAfter: 'The file format: docs/export-format.md (a header line, then one {"Item": ...} per line).',
  load: async () => (await import('./export.js')).exportCommand,
});
