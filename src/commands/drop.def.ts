import { defineCommand, required } from '../kit/define.js';

export default defineCommand({
  name: 'drop',
  description: 'delete a table and wait until it is gone (asks first in prod)',
  args: { table: required('table name') },
  options: {},
  examples: ['cruddur-ddb drop cruddur-messages', 'cruddur-ddb drop cruddur-messages prod', 'cruddur-ddb drop cruddur-messages --env prod --yes'],
  helpAfter: '-o json ends with one object:\n  {"table":"my-messages","dropped":true,"seconds":0.1}',
  load: async () => (await import('./drop.js')).drop,
});
