import { defineCommand, required } from '../kit/define.js';

/** Used by the completion scripts, not by people: hidden from --help. */
export default defineCommand({
  name: '__complete',
  description: 'table names for shell completion (one a line; nothing when the environment does not answer within a second)',
  args: { what: required('tables') },
  options: {},
  examples: [],
  hidden: true,
  load: async () => (await import('./complete-tables.js')).completeTables,
});
