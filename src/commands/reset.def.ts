import { defineCommand, optional, whole } from '../kit/define.js';

export default defineCommand({
  name: 'reset',
  description: 'delete every item of a table and keep the table, its indexes and its stream; reports how many (asks first in prod)',
  args: { table: optional('table name (default: --table, DDB_MESSAGE_TABLE or cruddur-messages)') },
  options: {
    segments: whole('--segments <n>', 'parallel scan segments', { default: 4, max: 1000 }),
    concurrency: whole('--concurrency <n>', 'BatchWriteItem requests in flight', { default: 8, max: 256 }),
    maxRetries: whole('--max-retries <n>', 'retries of unprocessed items before giving up', { default: 8, min: 0, max: 30 }),
  },
  examples: ['cruddur-ddb reset', 'cruddur-ddb reset messages-backup -o json', 'cruddur-ddb reset cruddur-messages prod --yes'],
  helpAfter: '-o json ends with one object:\n  {"table":"cruddur-messages","deleted":132,"seconds":0.2}',
  load: async () => (await import('./reset.js')).reset,
});
