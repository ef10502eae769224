import { choice, defineCommand, flag, type Input, isoTime, text } from '../kit/define.js';
import { dryRunEstimate, tableOrDefault, transferSegments } from '../kit/shared-options.js';

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
  ...dryRunEstimate,
  // AWS's own Export to S3 (src/transfer/managed.ts): no scan, no read capacity, needs PITR.
  managed: text(
    '--managed <s3-url>',
    "AWS's own export to s3://bucket/prefix (ExportTableToPointInTime): no read capacity used; needs point-in-time recovery on",
  ),
  enablePitr: flag('--enable-pitr', 'with --managed: turn point-in-time recovery on first if it is off (billed per GB-month while it stays on)'),
  incremental: flag('--incremental', 'with --managed: only what changed between --from and --to (15 minutes to 24 hours)'),
  from: isoTime('--from <time>', 'with --incremental: the start of the window'),
  to: isoTime('--to <time>', 'with --incremental: the end of the window'),
  viewType: choice('--view-type <type>', 'with --incremental: new images only, or old ones too', ['NEW_AND_OLD_IMAGES', 'NEW_IMAGE'], 'NEW_AND_OLD_IMAGES'),
  at: isoTime('--at <time>', 'with --managed: a full export of the table as it was then (default: now)'),
  wait: flag('--no-wait', 'with --managed: start the export and return (a re-run of the same command waits for it)'),
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
    'cruddur-ddb export --managed s3://cruddur-exports/messages prod --yes',
    'cruddur-ddb export --managed s3://cruddur-exports/messages --incremental --from 2026-11-24T00:00:00Z --to 2026-11-25T00:00:00Z prod',
    'cruddur-ddb export --layout aws -f ./messages-export',
    'cruddur-ddb export --layout aws -f s3://cruddur-exports/2026-12',
  ],
  helpAfter:
    'The file format: docs/export-format.md (a header line, then one {"Item": ...} per line).\n' +
    'Which path at which size (a scan from here, or --managed), with the time and the price side by side: docs/scale.md.',
  load: async () => (await import('./export.js')).exportCommand,
});
