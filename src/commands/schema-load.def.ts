import { choice, defineCommand, type Input } from '../kit/define.js';
import { tableOrDefault } from '../kit/shared-options.js';
import { BILLING_MODES } from '../patterns/table.js';

const args = { ...tableOrDefault };

const options = {
  billing: choice('--billing <mode>', 'on-demand, or provisioned 5/5 on table and index', BILLING_MODES, 'on-demand'),
};

/** What the run function receives: each argument and option above, typed by its parser. */
export type SchemaLoadInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: 'schema-load',
  description: 'create the messages table: pk/sk, GSI message-group-sk-index, stream NEW_IMAGE',
  args,
  options,
  examples: ['cruddur-ddb schema-load', 'cruddur-ddb schema-load my-messages --billing provisioned', 'cruddur-ddb schema-load prod'],
  helpAfter:
    '-o json ends with one object:\n  {"table":"cruddur-messages","created":true,"matches":true,"status":"ACTIVE","key":"pk (HASH), sk (RANGE)","index":"message-group-sk-index: ...","stream":"NEW_IMAGE arn:...","billing":"on-demand","arn":"arn:...","seconds":0.05}',
  load: async () => (await import('./schema-load.js')).schemaLoad,
});
