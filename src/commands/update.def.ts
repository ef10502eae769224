import { defineCommand, flag, list, optional, text } from '../kit/define.js';

export default defineCommand({
  name: 'update',
  description: 'change attributes of one item (--set, --add, --remove), showing before and after (asks first in prod)',
  args: { table: optional('table name (default: the messages table)') },
  options: {
    pk: text('--pk <value>', 'partition key value (text, or typed JSON)'),
    sk: text('--sk <value>', 'sort key value'),
    set: list('--set <name=value...>', 'set attributes; the value is JSON when it parses (5, true, "5"), else text'),
    add: list('--add <name=value...>', 'add a number to a number attribute (or members to a set)'),
    remove: list('--remove <name...>', 'remove attributes'),
    condition: text('--condition <expr>', 'update only if this holds, e.g. "attribute_exists(pk)" (else exit 3)'),
    values: text('--values <json>', "the condition's :placeholders, plain or typed JSON"),
    force: flag('--force', 'write a message or group item that breaks the data model'),
    raw: flag('--raw', 'print DynamoDB\'s typed JSON ({"S": ...})'),
  },
  examples: [
    "cruddur-ddb update --pk MSG#6fd7060e-c610-5e79-b5f3-167bc0fa37bb --sk 2025-12-30T09:14:00.000000+00:00 --set 'message=Morning! Did the table come up?' --condition 'attribute_exists(pk)'",
    `cruddur-ddb update --pk MSG#6fd7060e-c610-5e79-b5f3-167bc0fa37bb --sk 2025-12-30T09:14:00.000000+00:00 --add edits=1 --condition 'user_handle = :h' --values '{":h": "andrewbrown"}' -o json`,
  ],
  helpAfter: 'Exit 3 when --condition does not hold (nothing is changed). Key attributes cannot be updated in place.',
  load: async () => (await import('./update.js')).update,
});
