import { defineCommand, optional } from '../kit/define.js';

export default defineCommand({
  name: 'ttl status',
  description: 'whether time to live is on, and on which attribute',
  args: { table: optional('table name (default: the messages table)') },
  options: {},
  examples: ['cruddur-ddb ttl status', 'cruddur-ddb ttl status cruddur-messages -o json'],
  load: async () => (await import('./ttl.js')).ttlStatus,
});
