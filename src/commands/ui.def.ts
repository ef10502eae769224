import { choice, defineCommand, type Input, text, whole } from '../kit/define.js';

const args = {};

const options = {
  port: whole('--port <port>', 'port on 127.0.0.1 (0 picks a free one)', { default: 8060, min: 0, max: 65535 }),
  stream: choice(
    '--stream <mode>',
    'apply: run the stream handler here; watch: only follow it; auto: apply locally, watch in prod, off when the table has no stream',
    ['auto', 'apply', 'watch', 'off'],
    'auto',
  ),
  checkpointDir: text('--checkpoint-dir <dir>', 'where --stream apply keeps its place (shared with `cruddur-ddb stream`)', { default: '.cruddur/stream' }),
};

/** What the run function receives: each argument and option above, typed by its parser. */
export type UiInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: 'ui',
  description: 'a local page of the messages table: users, their conversations, the messages, and the items and queries behind them, live through the stream',
  args,
  options,
  examples: ['cruddur-ddb ui', 'cruddur-ddb ui --port 0 --stream watch', 'cruddur-ddb ui --env prod --profile cruddur'],
  helpAfter: 'Prod is read-only (no send box) and opens only with an explicit --env prod (or a bare prod).',
  load: async () => (await import('./ui.js')).ui,
});
