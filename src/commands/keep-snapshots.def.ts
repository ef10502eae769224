import { defineCommand, required, text, whole, type Input } from '../kit/define.js';
import { SNAPSHOT_EVERY_SECONDS } from '../local/store-settings.js';

/** Started by `local --detach` (src/local/store.ts), not by people: hidden from --help. */
const args = { dataDir: required('the data folder whose snapshot/ it keeps') };

const options = {
  every: whole('--every <seconds>', 'a snapshot this often (0: none; `local stop` writes the last one)', {
    default: SNAPSHOT_EVERY_SECONDS,
    min: 0,
    max: 86_400,
  }),
  whilePid: text('--while-pid <pid:start>', "DynamoDB Local's pid and start time: the keeper ends once that process has", { mandatory: true }),
};

export type KeepSnapshotsInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: '__keep-snapshots',
  description: "the local stack's snapshots at intervals, for `local --detach`",
  args,
  options,
  examples: [],
  hidden: true,
  globals: ['dynamodb'],
  load: async () => (await import('./keep-snapshots.js')).keepSnapshotsCommand,
});
