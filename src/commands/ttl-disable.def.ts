import { defineCommand, optional } from '../kit/define.js';

export default defineCommand({
  name: 'ttl disable',
  description: 'turn time to live off (asks first in prod)',
  args: { table: optional('table name (default: the messages table)') },
  options: {},
  examples: ['cruddur-ddb ttl disable'],
  helpAfter: 'AWS allows one TTL change per table per hour; DynamoDB Local does not enforce it.',
  load: async () => (await import('./ttl.js')).ttlDisable,
});
