import { defineCommand, type Input, required } from '../kit/define.js';

/** Used by the completion scripts, not by people: hidden from --help. */
const args = { what: required('tables') };

const options = {};

/** What the run function receives: each argument and option above, typed by its parser. */
export type CompleteTablesInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: '__complete',
  description: 'table names for shell completion (one a line; nothing when the environment does not answer within a second)',
  args,
  options,
  examples: [],
  hidden: true,
  load: async () => (await import('./complete-tables.js')).completeTables,
});
