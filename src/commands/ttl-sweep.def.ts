import { defineCommand, flag, optional, text, whole } from '../kit/define.js';

export default defineCommand({
  name: 'ttl sweep',
  description: "delete the expired items now, as DynamoDB's TTL job would later (local by default; prod needs --yes)",
  args: { table: optional('table name (default: the messages table)') },
  options: {
    attribute: text('--attribute <name>', "the TTL attribute (default: the table's TTL setting)"),
    dryRun: flag('--dry-run', 'count the expired items, delete nothing'),
    segments: whole('--segments <n>', 'parallel scan segments reading the keys', { default: 4, max: 1000 }),
    concurrency: whole('--concurrency <n>', 'BatchWriteItem requests in flight (25 deletes each)', { default: 8, max: 256 }),
    maxRetries: whole('--max-retries <n>', 'retries of unprocessed deletes', { default: 8, min: 0, max: 100 }),
  },
  examples: ['cruddur-ddb ttl sweep --attribute expires_at', 'cruddur-ddb ttl sweep cruddur-messages --attribute expires_at --dry-run -o json'],
  helpAfter: [
    'Expired: the attribute is a Number of epoch seconds in the past, but not more than five years past (AWS ignores those).',
    "The deletes are ordinary deletes: the stream sees each one as a REMOVE (AWS marks its own TTL deletes as the service's).",
  ].join('\n'),
  load: async () => (await import('./ttl.js')).ttlSweep,
});
