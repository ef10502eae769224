import { defineCommand, type Input } from '../kit/define.js';
import { batchWriting, consumedCapacity, dryRunEstimate, tableOrDefault, transferSegments } from '../kit/shared-options.js';

const args = { ...tableOrDefault };

const options = {
  ...transferSegments(),
  ...batchWriting,
  ...consumedCapacity,
  ...dryRunEstimate,
};

/** What the run function receives: each argument and option above, typed by its parser. */
export type ResetInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: 'reset',
  description: 'delete every item of a table and keep the table, its indexes and its stream; reports how many (asks first in prod)',
  args,
  options,
  examples: [
    'cruddur-ddb reset',
    'cruddur-ddb reset messages-backup -o json',
    'cruddur-ddb reset cruddur-messages prod --yes',
    'cruddur-ddb reset messages-backup --consumed',
    'cruddur-ddb reset cruddur-messages prod --dry-run',
  ],
  helpAfter: '-o json ends with one object:\n  {"table":"cruddur-messages","deleted":132,"seconds":0.2}',
  load: async () => (await import('./reset.js')).reset,
});
