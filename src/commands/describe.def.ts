import { defineCommand, optional } from '../kit/define.js';

export default defineCommand({
  name: 'describe',
  description: "a table's shape and settings: keys, indexes, stream, TTL, point-in-time recovery, billing, size, tags",
  args: { table: optional('table name (default: the messages table)') },
  options: {},
  examples: ['cruddur-ddb describe', 'cruddur-ddb describe cruddur-messages -o json'],
  helpAfter: "Item count and size are DynamoDB's own figures, which it refreshes about every six hours.",
  load: async () => (await import('./describe.js')).describe,
});
