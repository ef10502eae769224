/**
 * `cruddur-ddb __keep-snapshots <data dir>`: the snapshot keeper of a `local --detach` stack. It writes a
 * snapshot every --every seconds until SIGTERM (`local stop`, which then writes the last one itself) or until
 * DynamoDB Local is gone (then it writes nothing more: an empty instance on that port must never replace the
 * last good snapshot).
 */
import type { Context } from '../kit/context.js';
import { isStillRunning } from '../local/processes.js';
import { keepSnapshots } from '../local/snapshot.js';
import type { KeepSnapshotsInput } from './keep-snapshots.def.js';

export async function keepSnapshotsCommand(input: KeepSnapshotsInput, context: Context): Promise<undefined> {
  const [pid, startTime] = input.whilePid.split(':');
  const dynamo = { pid: Number(pid), startTime: startTime ?? '' };
  const client = await context.dynamo();
  const keeper = keepSnapshots(
    client,
    input.dataDir,
    input.every * 1000,
    (line) => context.say(`${new Date().toISOString()} ${line}`),
    () => isStillRunning(dynamo),
  );
  await new Promise<void>((resolve) => {
    const finish = () => {
      clearInterval(watch);
      stopListening();
      resolve();
    };
    const stopListening = context.onSignal(finish);
    const watch = setInterval(() => !isStillRunning(dynamo) && finish(), 500);
  });
  await keeper.stop();
  client.destroy();
  return undefined;
}
