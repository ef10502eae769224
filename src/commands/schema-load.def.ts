import { choice, defineCommand, flag, type Input } from '../kit/define.js';
import { tableOrDefault } from '../kit/shared-options.js';
import { BILLING_MODES } from '../patterns/table.js';

const args = { ...tableOrDefault };

const options = {
  billing: choice('--billing <mode>', 'on-demand, or provisioned 5/5 on table and index', BILLING_MODES, 'on-demand'),
  diff: flag('--diff', "create nothing: show how the live table differs from the messages table's shape, and which changes UpdateTable can make in place"),
};

/** What the run function receives: each argument and option above, typed by its parser. */
export type SchemaLoadInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: 'schema-load',
  description: 'create the messages table: pk/sk, GSI message-group-sk-index, stream NEW_IMAGE',
  args,
  options,
  examples: [
    'cruddur-ddb schema-load',
    'cruddur-ddb schema-load my-messages --billing provisioned',
    'cruddur-ddb schema-load prod',
    'cruddur-ddb schema-load --diff',
    'cruddur-ddb schema-load cruddur-messages --diff -o json',
  ],
  helpAfter:
    '--diff lists each difference (part, live, expected, change: in place, new table or extra) and exits 0 when the\n' +
    'table has the shape (extra indexes are not differences), 1 when it differs; -o json gives the same list.\n' +
    '-o json ends with one object:\n  {"table":"cruddur-messages","created":true,"matches":true,"status":"ACTIVE","key":"pk (HASH), sk (RANGE)","index":"message-group-sk-index: ...","stream":"NEW_IMAGE arn:...","billing":"on-demand","arn":"arn:...","seconds":0.05}',
  load: async () => (await import('./schema-load.js')).schemaLoad,
});
