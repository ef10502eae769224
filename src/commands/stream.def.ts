import { choice, defineCommand, flag, type Input, text, whole } from '../kit/define.js';

const args = {};

const options = {
  from: choice('--from <where>', 'where to start when there is no checkpoint yet', ['trim-horizon', 'latest'], 'trim-horizon'),
  once: flag('--once', 'apply what is in the stream now, then exit (otherwise follow it until Ctrl-C)'),
  checkpointDir: text('--checkpoint-dir <dir>', 'where the place in each stream is kept', { default: '.cruddur/stream' }),
  // GetRecords returns at most 1000 records (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html).
  batchSize: whole('--batch-size <n>', 'records per batch (1-1000), as the event source mapping BatchSize', { default: 100, max: 1000 }),
};

/** What the run function receives: each argument and option above, typed by its parser. */
export type StreamInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: 'stream',
  description: "run the messaging-stream handler on the table's stream (DynamoDB Local or any endpoint): moves each conversation to its latest message",
  args,
  options,
  examples: ['cruddur-ddb stream', 'cruddur-ddb stream --once', 'cruddur-ddb stream --table my-messages --from latest --checkpoint-dir /tmp/cruddur-stream'],
  load: async () => (await import('./stream.js')).stream,
});
