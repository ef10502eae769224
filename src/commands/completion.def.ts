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
    '`cruddur-ddb completion fish > ~/.config/fish/completions/cruddur-ddb.fish`. In a clone, `npm link` first.',
  load: async () => (await import('./completion.js')).completion,
});
