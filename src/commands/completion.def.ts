import { defineCommand, required } from '../kit/define.js';

export default defineCommand({
  name: 'completion',
  description: 'print a shell completion script (bash, zsh or fish): commands, options, choices, and table names from the current environment',
  args: { shell: required('bash, zsh or fish') },
  options: {},
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
