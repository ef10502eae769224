import { defineCommand, flag, type Input, whole } from '../kit/define.js';

const args = {};

const options = {
  dryRun: flag('--dry-run', 'find and report, change nothing'),
  concurrency: whole('--concurrency <n>', 'conversations repaired at once', { default: 8, max: 64 }),
};

/** What the run function receives: each argument and option above, typed by its parser. */
export type RepairInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: 'repair',
  description: 'heal the group items: one per owner per conversation, at its newest message (asks first in prod)',
  args,
  options,
  examples: [
    'cruddur-ddb repair --dry-run',
    'cruddur-ddb repair -o json > repair-report.json',
    'CRUDDUR_TIME_ZONE=America/New_York cruddur-ddb repair prod --yes',
  ],
  helpAfter:
    '-o json ends with one object:\n  {"table":"cruddur-messages","dryRun":true,"conversations":3,"messages":126,"found":{"behind":0,"ahead":0,"duplicate":0,"missing":0},"repaired":0,"unfixable":[],"unfixableCount":0,"failed":0,"nonCanonical":{"count":0,"examples":[]},"stopped":false}\n(Ctrl-C finishes the conversations under way, prints this with "stopped":true and exits 130.)',
  load: async () => (await import('./repair.js')).repair,
});
