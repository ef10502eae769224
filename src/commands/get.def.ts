import { defineCommand, flag, optional, text } from '../kit/define.js';

export default defineCommand({
  name: 'get',
  description: 'one item by its key (a consistent read)',
  args: { table: optional('table name (default: the messages table)') },
  options: {
    pk: text('--pk <value>', 'partition key value (text, or typed JSON like \'{"N":"5"}\')'),
    sk: text('--sk <value>', 'sort key value, for a table with one'),
    raw: flag('--raw', 'print DynamoDB\'s typed JSON ({"S": ...})'),
  },
  examples: [
    'cruddur-ddb get --pk MSG#6fd7060e-c610-5e79-b5f3-167bc0fa37bb --sk 2025-12-30T09:14:00.000000+00:00',
    'cruddur-ddb get cruddur-messages --pk MSG#6fd7060e-c610-5e79-b5f3-167bc0fa37bb --sk 2025-12-30T09:14:00.000000+00:00 --raw -o json',
  ],
  load: async () => (await import('./get.js')).get,
});
