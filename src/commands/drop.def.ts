import { defineCommand, type Input } from '../kit/define.js';
import { namedTable } from '../kit/shared-options.js';

const args = { ...namedTable };

const options = {};

/** What the run function receives: each argument and option above, typed by its parser. */
export type DropInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: 'drop',
  description: 'delete a table and wait until it is gone (asks first in prod)',
  args,
  options,
  examples: ['cruddur-ddb drop cruddur-messages', 'cruddur-ddb drop cruddur-messages prod', 'cruddur-ddb drop cruddur-messages --env prod --yes'],
  helpAfter: '-o json ends with one object:\n  {"table":"my-messages","dropped":true,"seconds":0.1}',
  load: async () => (await import('./drop.js')).drop,
});
