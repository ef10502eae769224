import { defineCommand, flag, type Input, type OptionSpec, text, whole } from '../kit/define.js';
import { batchWriting, consumedCapacity, dryRunEstimate, tableOrDefault } from '../kit/shared-options.js';
import { parseUsers, type UsersSpec } from '../transfer/slice-users.js';

/** Scan segments of a whole-table copy; written here once (help and the run function take it from here). */
export const COPY_SEGMENTS = 4;

/** `--users 20` or `--users andrewbrown,bayko`: parsed at parse time, so a bad value is exit 2 before any call. */
const users: OptionSpec<UsersSpec | undefined> = {
  flags: '--users <who>',
  description: 'copy only a slice: N users (picked for you) or handles/uuids separated by commas, with their whole conversations (Query only, no scan)',
  parse: (raw) => (raw === undefined ? undefined : parseUsers(String(raw))),
};

const args = { ...tableOrDefault };

const options = {
  from: text('--from <where>', "local, prod or an endpoint URL (only read); or a folder or s3:// prefix holding an export in AWS's layout", {
    mandatory: true,
  }),
  to: text('--to <where>', 'local, prod or an endpoint URL (copying into prod asks first)', { mandatory: true }),
  toTable: text('--to-table <name>', 'name of the table at --to (default: the same name)'),
  anonymize: flag('--anonymize', 'replace user_handle, user_display_name and message with deterministic pseudonyms'),
  salt: text('--salt <text>', 'with --anonymize: a secret that makes the pseudonyms unguessable (the same salt gives the same pseudonyms)'),
  users,
  // No default given to commander: --users must tell a --segments the user gave (it refuses one) from none.
  segments: whole('--segments <n>', `parallel scan segments on the source (default: ${COPY_SEGMENTS}; not with --users)`, { max: 1_000_000 }),
  ...batchWriting,
  ...consumedCapacity,
  ...dryRunEstimate,
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
    'cruddur-ddb copy --from local --to local --to-table messages-slice --users 5 --anonymize',
    'cruddur-ddb copy --from prod --to local --users andrewbrown,bayko',
    'cruddur-ddb copy --from local --to local --to-table messages-backup --consumed',
    'cruddur-ddb copy --from prod --to local --dry-run',
    'cruddur-ddb copy --from s3://cruddur-exports/2026-12 --to local --to-table messages-anon --anonymize',
  ],
  helpAfter:
    '-o json ends with one object:\n  {"from":"local","to":"http://localhost:8001","table":"cruddur-messages","toTable":"cruddur-messages","anonymized":false,"created":true,"items":132,"seconds":0.5,"itemsPerSecond":264}\n' +
    'With --users, the users come from public.users of the --from side (PROD_CONNECTION_URL for prod, else CONNECTION_URL) when set, else from\n' +
    "the first group items of the message-group-sk-index. A slice's object has users, participants, conversations, groupItems, messages,\nitemsRead and itemsWritten in place of items.",
  load: async () => (await import('./copy.js')).copy,
});
