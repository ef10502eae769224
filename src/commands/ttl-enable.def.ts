import { defineCommand, optional, required } from '../kit/define.js';

export default defineCommand({
  name: 'ttl enable',
  description: 'turn time to live on: items whose attribute (epoch seconds) is past are deleted by DynamoDB (asks first in prod)',
  args: { attribute: required('the attribute holding the expiry time, in epoch seconds'), table: optional('table name (default: the messages table)') },
  options: {},
  examples: ['cruddur-ddb ttl enable expires_at', 'cruddur-ddb ttl enable expires_at cruddur-messages -o json'],
  load: async () => (await import('./ttl.js')).ttlEnable,
});
