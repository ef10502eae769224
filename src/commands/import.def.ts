import { defineCommand, flag, type Input, optional, text } from '../kit/define.js';
import { batchWriting, consumedCapacity } from '../kit/shared-options.js';

const args = {
  file: optional("an export file (.gz is unzipped), - for stdin, or a folder or s3:// prefix holding an export in AWS's layout (none with --managed)"),
};

const options = {
  ...batchWriting,
  ...consumedCapacity,
  shape: text(
    '--shape <file>',
    "AWS's layout (read here or with --managed): the table's shape when it must be created (a cruddur-table.json, or a file made by export); default: cruddur-table.json beside the manifest",
  ),
  replace: flag('--replace', 'delete every item of the table first (reset, then import): it then holds exactly the file; asks first in prod'),
  // AWS's own Import from S3 (src/transfer/managed-import.ts): a NEW table, no write capacity used.
  managed: text('--managed <s3-url>', "AWS's own import (ImportTable) of an export in AWS's layout at s3://bucket/prefix into a NEW table (--table)"),
};

/** What the run function receives: each argument and option above, typed by its parser. */
export type ImportInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: 'import',
  description:
    "load an export file into a table, creating the table from the file's header when it does not exist; a re-run changes nothing (asks first in prod)",
  args,
  options,
  examples: [
    'cruddur-ddb import messages.ndjson.gz',
    'cruddur-ddb import messages.ndjson.gz --table fixture-messages',
    'cruddur-ddb export | cruddur-ddb import - --table messages-copy',
    'cruddur-ddb import messages.ndjson.gz --replace -o json',
    'cruddur-ddb import messages.ndjson.gz --table fixture-messages --consumed',
    'cruddur-ddb import --managed s3://cruddur-exports/messages/AWSDynamoDB/01764800000000-a1b2c3d4 --table messages-restored prod --yes',
    'cruddur-ddb import ./messages-export --table fixture-messages',
    'cruddur-ddb import s3://cruddur-exports/2026-12 --table fixture-messages -o json',
  ],
  helpAfter:
    'The table is --table (or DDB_MESSAGE_TABLE) when given, else the one the file was exported from.\n-o json ends with one object:\n  {"table":"fixture","file":"messages.ndjson.gz","created":false,"deleted":0,"items":132,"replaced":0,"seconds":0.3,"itemsPerSecond":440}\n' +
    'Which path at which size (BatchWriteItem from here, or --managed), with the time and the price side by side: docs/scale.md.',
  load: async () => (await import('./import.js')).importCommand,
});
