import { defineCommand, flag, type Input, text } from '../kit/define.js';
import { batchWriting, tableOrDefault, transferSegments } from '../kit/shared-options.js';

const args = { ...tableOrDefault };

const options = {
  from: text('--from <where>', "local, prod or an endpoint URL (only read); or a folder or s3:// prefix holding an export in AWS's layout", {
    mandatory: true,
  }),
  to: text('--to <where>', 'local, prod or an endpoint URL (copying into prod asks first)', { mandatory: true }),
  toTable: text('--to-table <name>', 'name of the table at --to (default: the same name)'),
  anonymize: flag('--anonymize', 'replace user_handle, user_display_name and message with deterministic pseudonyms'),
  salt: text('--salt <text>', 'with --anonymize: a secret that makes the pseudonyms unguessable (the same salt gives the same pseudonyms)'),
  ...transferSegments('parallel scan segments on the source'),
  ...batchWriting,
};

/** What the run function receives: each argument and option above, typed by its parser. */
export type CopyInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: 'copy',
  description: 'copy a table from one DynamoDB to another (export piped into import, no file); --anonymize replaces handles, names and texts with pseudonyms',
  args,
  options,
  examples: [
    'cruddur-ddb copy --from prod --to local --anonymize',
    'cruddur-ddb copy cruddur-messages --from http://localhost:8000 --to http://localhost:8001',
    'cruddur-ddb copy --from local --to local --to-table messages-backup',
    'cruddur-ddb copy --from s3://cruddur-exports/2026-12 --to local --to-table messages-anon --anonymize',
  ],
  helpAfter:
    '-o json ends with one object:\n  {"from":"local","to":"http://localhost:8001","table":"cruddur-messages","toTable":"cruddur-messages","anonymized":false,"created":true,"items":132,"seconds":0.5,"itemsPerSecond":264}',
  load: async () => (await import('./copy.js')).copy,
});
