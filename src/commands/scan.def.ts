import { defineCommand, flag, type Input, whole } from '../kit/define.js';
import { consumedCapacity, dryRunEstimate, tableOrDefault } from '../kit/shared-options.js';

const args = { ...tableOrDefault };

const options = {
  // 1,000,000 is DynamoDB's own ceiling on TotalSegments; the scanner opens a few at a time (src/transfer/scanner.ts).
  segments: whole('--segments <n>', 'parallel scan with n segments', { default: 1, max: 1_000_000 }),
  limit: whole('--limit <n>', 'stop after n items'),
  raw: flag('--raw', 'print DynamoDB\'s typed JSON ({"S": ...})'),
  ...consumedCapacity,
  ...dryRunEstimate,
};

/** What the run function receives: each argument and option above, typed by its parser. */
export type ScanInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: 'scan',
  description: "dump a table's items (all pages), as plain JSON values or, with --raw, DynamoDB JSON",
  args,
  options,
  examples: [
    'cruddur-ddb scan cruddur-messages',
    'cruddur-ddb scan cruddur-messages -o ndjson --segments 4 > items.ndjson',
    'cruddur-ddb scan cruddur-messages --limit 10 --raw -o json',
    'cruddur-ddb scan cruddur-messages -o text --columns pk,sk,message_uuid',
    'cruddur-ddb scan cruddur-messages -o ndjson --consumed > items.ndjson',
    'cruddur-ddb scan cruddur-messages --dry-run',
  ],
  load: async () => (await import('./scan.js')).scan,
});
