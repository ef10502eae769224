import { defineCommand, type Input } from '../kit/define.js';

const args = {};

const options = {};

/** What the run function receives: each argument and option above, typed by its parser. */
export type ListTablesInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: 'list-tables',
  description: 'list every table (all pages)',
  args,
  options,
  examples: ['cruddur-ddb list-tables', 'cruddur-ddb list-tables prod', 'cruddur-ddb list-tables -o json'],
  load: async () => (await import('./list-tables.js')).listTables,
});
