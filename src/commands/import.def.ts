import { defineCommand, flag, required, whole } from '../kit/define.js';

export default defineCommand({
  name: 'import',
  description:
    "load an export file into a table, creating the table from the file's header when it does not exist; a re-run changes nothing (asks first in prod)",
  args: { file: required('an export file (.gz is unzipped), or - for stdin') },
  options: {
    concurrency: whole('--concurrency <n>', 'BatchWriteItem requests in flight', { default: 8, max: 256 }),
    maxRetries: whole('--max-retries <n>', 'retries of unprocessed items before giving up', { default: 8, min: 0, max: 30 }),
    replace: flag('--replace', 'delete every item of the table first (reset, then import): it then holds exactly the file; asks first in prod'),
  },
  examples: [
    'cruddur-ddb import messages.ndjson.gz',
    'cruddur-ddb import messages.ndjson.gz --table fixture-messages',
    'cruddur-ddb export | cruddur-ddb import - --table messages-copy',
    'cruddur-ddb import messages.ndjson.gz --replace -o json',
  ],
  helpAfter:
    'The table is --table (or DDB_MESSAGE_TABLE) when given, else the one the file was exported from.\n-o json ends with one object:\n  {"table":"fixture","file":"messages.ndjson.gz","created":false,"deleted":0,"items":132,"seconds":0.3,"itemsPerSecond":440}',
  load: async () => (await import('./import.js')).importCommand,
});
