import { defineCommand, flag, list, optional, text, whole } from '../kit/define.js';
import { consumedCapacity } from '../kit/shared-options.js';

export default defineCommand({
  name: 'query',
  description: 'ask the table anything: a PartiQL statement, or a key condition on the table, a GSI or an LSI',
  args: { target: optional('a PartiQL statement (quoted), or the table for a key condition (default: the messages table)') },
  options: {
    param: list('--param <value...>', 'PartiQL: a value for each ?, in order (text, or typed JSON like \'{"N":"5"}\')'),
    readOnly: flag('--read-only', 'PartiQL: refuse INSERT, UPDATE and DELETE'),
    pk: text('--pk <value>', 'key condition: the partition key value (of the index with --index)'),
    sk: text('--sk <value>', 'sort key equals'),
    skBegins: text('--sk-begins <prefix>', 'sort key begins with'),
    skBetween: list('--sk-between <low-and-high...>', 'two values: sort key between low and high, inclusive (DynamoDB compares the strings)'),
    skBefore: text('--sk-before <time>', 'sort key is a time before this instant (compared as instants, see below)'),
    skAfter: text('--sk-after <time>', 'sort key is a time after this instant (compared as instants, see below)'),
    index: text('--index <name>', 'query a global or local secondary index'),
    filter: text('--filter <expr>', 'a filter expression on the items read, e.g. "user_handle = :h"'),
    values: text('--values <json>', 'the filter\'s values: \'{":h": "bayko"}\' (plain) or \'{":h": {"S": "bayko"}}\' (typed)'),
    desc: flag('--desc', 'newest (highest sort key) first'),
    limit: whole('--limit <n>', 'stop after n items (default: every page)'),
    next: text('--next <token>', 'resume where a --limit run stopped (its "more:" line prints the token)'),
    ...consumedCapacity,
    raw: flag('--raw', 'print DynamoDB\'s typed JSON ({"S": ...})'),
  },
  examples: [
    `cruddur-ddb query 'SELECT * FROM "cruddur-messages" WHERE pk = ?' --param 'MSG#6fd7060e-c610-5e79-b5f3-167bc0fa37bb' --limit 5`,
    'cruddur-ddb query --pk MSG#6fd7060e-c610-5e79-b5f3-167bc0fa37bb --sk-after 2023-01-01T00:00:00 --desc --limit 3',
    'cruddur-ddb query cruddur-messages --index message-group-sk-index --pk 6fd7060e-c610-5e79-b5f3-167bc0fa37bb -o json --consumed',
    `cruddur-ddb query --pk MSG#6fd7060e-c610-5e79-b5f3-167bc0fa37bb --filter 'user_handle = :h' --values '{":h": "bayko"}' -o ndjson`,
  ],
  helpAfter: [
    'PartiQL statements run through ExecuteStatement; INSERT, UPDATE and DELETE are writes (the prod guard asks first;',
    '--read-only refuses them). Put the statement before --param (--param takes every word after it).',
    '--sk, --sk-begins, --sk-between compare as DynamoDB does: strings by their characters, numbers by value.',
    '--sk-before/--sk-after compare instants: the backend writes naive local times and times with other offsets,',
    'whose strings do not sort by instant. A time without an offset is read in --time-zone (default UTC); items whose',
    'sort key is not a time are left out.',
  ].join('\n'),
  load: async () => (await import('./query.js')).query,
});
