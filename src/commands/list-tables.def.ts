import { defineCommand } from '../kit/define.js';

export default defineCommand({
  name: 'list-tables',
  description: 'list every table (all pages)',
  args: {},
  options: {},
  examples: ['cruddur-ddb list-tables', 'cruddur-ddb list-tables prod', 'cruddur-ddb list-tables -o json'],
  load: async () => (await import('./list-tables.js')).listTables,
});
