import { defineCommand, flag, optional, text } from '../kit/define.js';

export default defineCommand({
  name: 'delete',
  description: 'delete one item by its key, showing what it held (asks first in prod)',
  args: { table: optional('table name (default: the messages table)') },
  options: {
    pk: text('--pk <value>', 'partition key value (text, or typed JSON)'),
    sk: text('--sk <value>', 'sort key value'),
    condition: text('--condition <expr>', 'delete only if this holds (else exit 3)'),
    values: text('--values <json>', "the condition's :placeholders, plain or typed JSON"),
    raw: flag('--raw', 'print DynamoDB\'s typed JSON ({"S": ...})'),
  },
  examples: [
    'cruddur-ddb delete --pk NOTE#example --sk first',
    `cruddur-ddb delete --pk NOTE#example --sk second --condition 'attribute_not_exists(locked)' -o json`,
  ],
  helpAfter: 'Exit 3 when --condition does not hold (nothing is deleted).',
  load: async () => (await import('./delete.js')).deleteCommand,
});
