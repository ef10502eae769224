import { defineCommand, type Input, required } from '../kit/define.js';

const args = { shell: required('bash, zsh or fish') };

const options = {};

/** What the run function receives: each argument and option above, typed by its parser. */
export type CompletionInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: 'completion',
  description: 'print a shell completion script (bash, zsh or fish): commands, options, choices, and table names from the current environment',
  args,
  options,
  examples: [
    'cruddur-ddb completion bash',
    'source <(cruddur-ddb completion bash)',
    'source <(cruddur-ddb completion zsh)',
    'cruddur-ddb completion fish | source',
  ],
  globals: [],
  helpAfter:
    'To keep it: add `source <(cruddur-ddb completion bash)` to ~/.bashrc (zsh: ~/.zshrc), or for fish\n' +
    '`cruddur-ddb completion fish > ~/.config/fish/completions/cruddur-ddb.fish`.\n' +
    'The scripts complete the command `cruddur-ddb` on PATH. In a project that installed it (npm install -D cruddur-ddb),\n' +
    'put node_modules/.bin on PATH (`export PATH="$PWD/node_modules/.bin:$PATH"`, or direnv\'s `PATH_add node_modules/.bin`);\n' +
    'in a clone of this tool, `npm link`. Not `npx`: it costs 1.5-2 s a call, and each Tab asks for table names.',
  load: async () => (await import('./completion.js')).completion,
});
