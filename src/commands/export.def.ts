import { defineCommand, optional, text, whole } from '../kit/define.js';

export default defineCommand({
  name: 'export',
  description: 'write a table (its shape and every item, in DynamoDB typed JSON) to a file or stdout; gzip when the name ends in .gz',
  args: { table: optional('table name (default: --table, DDB_MESSAGE_TABLE or cruddur-messages)') },
  options: {
    file: text('-f, --file <file>', 'where to write (default: stdout); .gz compresses'),
    // 1,000,000 is DynamoDB's own ceiling on TotalSegments; the scanner opens a few at a time (src/data/scanner.ts).
    segments: whole('--segments <n>', 'parallel scan segments', { default: 4, max: 1_000_000 }),
  },
  examples: [
    'cruddur-ddb export -f messages.ndjson.gz',
    'cruddur-ddb export cruddur-messages > messages.ndjson',
    'cruddur-ddb export cruddur-messages prod -f prod-messages.ndjson.gz',
  ],
  helpAfter: 'The file format: docs/export-format.md (a header line, then one {"Item": ...} per line).',
  load: async () => (await import('./export.js')).exportCommand,
});
