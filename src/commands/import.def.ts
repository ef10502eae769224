import { defineCommand, type Input, required } from '../kit/define.js';
import { batchWriting } from '../kit/shared-options.js';

const args = { file: required('an export file (.gz is unzipped), or - for stdin') };

const options = {
  ...batchWriting,
};

/** What the run function receives: each argument and option above, typed by its parser. */
export type ImportInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: 'import',
  description:
    "load an export file into a table, creating the table from the file's header when it does not exist; a re-run changes nothing (asks first in prod)",
  args,
  options,
  examples: [
    'cruddur-ddb import messages.ndjson.gz',
    'cruddur-ddb import messages.ndjson.gz --table fixture-messages',
    'cruddur-ddb export | cruddur-ddb import - --table messages-copy',
  ],
  helpAfter: 'The table is --table (or DDB_MESSAGE_TABLE) when given, else the one the file was exported from.',
  load: async () => (await import('./import.js')).importCommand,
});
