import { defineCommand, flag, optional, text } from '../kit/define.js';

export default defineCommand({
  name: 'put',
  description: 'write one whole item (plain or typed JSON), showing what it replaced (asks first in prod)',
  args: { table: optional('table name (default: the messages table)') },
  options: {
    item: text('--item <json>', 'the item: \'{"pk": "...", "sk": "..."}\' (plain) or \'{"pk": {"S": "..."}}\' (typed)'),
    file: text('--file <path>', 'read the item from a file (- for stdin)'),
    condition: text('--condition <expr>', 'write only if this holds, e.g. "attribute_not_exists(pk)" (else exit 3)'),
    values: text('--values <json>', "the condition's :placeholders, plain or typed JSON"),
    force: flag('--force', 'write a message or group item that breaks the data model'),
    raw: flag('--raw', 'print DynamoDB\'s typed JSON ({"S": ...})'),
  },
  examples: [
    `cruddur-ddb put --item '{"pk": "NOTE#example", "sk": "first", "text": "hello"}'`,
    `cruddur-ddb put --item '{"pk": {"S": "NOTE#example"}, "sk": {"S": "second"}}' --condition 'attribute_not_exists(pk)' -o json`,
  ],
  helpAfter: 'Exit 3 when --condition does not hold (nothing is written).',
  load: async () => (await import('./put.js')).put,
});
