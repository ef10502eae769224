import { defineCommand, flag, optional, text, whole } from '../kit/define.js';

export default defineCommand({
  name: 'copy',
  description: 'copy a table from one DynamoDB to another (export piped into import, no file); --anonymize replaces handles, names and texts with pseudonyms',
  args: { table: optional('table name (default: --table, DDB_MESSAGE_TABLE or cruddur-messages)') },
  options: {
    from: text('--from <where>', 'local, prod or an endpoint URL (only read)', { mandatory: true }),
    to: text('--to <where>', 'local, prod or an endpoint URL (copying into prod asks first)', { mandatory: true }),
    toTable: text('--to-table <name>', 'name of the table at --to (default: the same name)'),
    anonymize: flag('--anonymize', 'replace user_handle, user_display_name and message with deterministic pseudonyms'),
    salt: text('--salt <text>', 'with --anonymize: a secret that makes the pseudonyms unguessable (the same salt gives the same pseudonyms)'),
    segments: whole('--segments <n>', 'parallel scan segments on the source', { default: 4, max: 1000 }),
    concurrency: whole('--concurrency <n>', 'BatchWriteItem requests in flight', { default: 8, max: 256 }),
    maxRetries: whole('--max-retries <n>', 'retries of unprocessed items before giving up', { default: 8, min: 0, max: 30 }),
  },
  examples: [
    'cruddur-ddb copy --from prod --to local --anonymize',
    'cruddur-ddb copy cruddur-messages --from http://localhost:8000 --to http://localhost:8001',
    'cruddur-ddb copy --from local --to local --to-table messages-backup',
  ],
  helpAfter:
    '-o json ends with one object:\n  {"from":"local","to":"http://localhost:8001","table":"cruddur-messages","toTable":"cruddur-messages","anonymized":false,"created":true,"items":132,"seconds":0.5,"itemsPerSecond":264}',
  load: async () => (await import('./copy.js')).copy,
});
