import { readdirSync } from 'node:fs';
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.cruddur/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        AbortSignal: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-process-exit': 'off',
    },
  },
  // The direction of the house (docs/contributing-commands.md): entry -> commands -> kit -> services ->
  // core -> patterns. Each room names the rooms above it that it may not import; a wrong-way arrow fails
  // here (tests/import-rules.test.ts shows it does). Lazy `import()` calls are not checked.
  ...directionRules(),
  // The Io seam (src/entry/run.ts): the environment, signals, the process's end, its streams and working folder
  // reach commands and services only through what they are handed (the Context, or values). The entry, the
  // kit's defaults and the Lambda are where the process itself is read; src/local/watchdog.ts is the
  // watchdog process's own script.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/bin.ts', 'src/cli.ts', 'src/entry/**', 'src/kit/**', 'src/lambda/**', 'src/local/watchdog.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['env', 'on', 'once', 'off', 'cwd', 'stdin', 'stdout', 'stderr', 'exit', 'exitCode'].map((property) => ({
          object: 'process',
          property,
          message: 'Commands and services get the environment, signals, streams and working folder through the Context or as values (the Io seam).',
        })),
      ],
    },
  },
  {
    // The page's own modules (ui/) run in the browser.
    files: ['ui/**/*.js'],
    languageOptions: {
      globals: { document: 'readonly', window: 'readonly', location: 'readonly', history: 'readonly', EventSource: 'readonly', URLSearchParams: 'readonly' },
    },
  },
);

/** One `no-restricted-imports` block per room: which relative imports it may not write, and why. */
function directionRules() {
  // Every other folder of src/ is a service room (aws, transfer, seed, stream, local, adhoc, ...): a new one is
  // covered the day it is made, not the day someone remembers to list it.
  const rooms = new Set(['entry', 'kit', 'core', 'commands', 'patterns', 'lambda']);
  const services = readdirSync('src', { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !rooms.has(entry.name))
    .map((entry) => entry.name);
  const upper = ['entry', 'commands', 'kit', ...services, 'lambda'].map((room) => `../${room}/**`);
  const rule = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });
  const forbid = (group, message) => ({ group, message });
  return [
    rule(['src/patterns/**/*.ts'], [forbid(['../**'], 'src/patterns is the library: it imports nothing else of the project.')]),
    rule(['src/core/**/*.ts'], [forbid([...upper, '../cli.js', '../bin.js'], 'src/core is the floor: it imports nothing above it (only src/patterns).')]),
    rule(
      services.map((room) => `src/${room}/**/*.ts`),
      [
        forbid(
          ['../kit/**', '../entry/**', '../commands/**'],
          'Services take values (env, settings, clients, callbacks), never the kit, the entry or a command.',
        ),
      ],
    ),
    rule(['src/kit/**/*.ts'], [forbid(['../commands/**', '../entry/**'], 'The kit is what commands are made of: it never imports a command or the entry.')]),
    rule(
      ['src/commands/**/*.ts'],
      [
        forbid(['../entry/**'], 'Commands never import the entry: what they need from it is handed down through the Context.'),
        forbid(['./*', '!./*.def.js', '!./index.js'], "A command never imports another command's run module: move the shared work into a service."),
      ],
    ),
    rule(['src/lambda/**/*.ts'], [forbid([...upper, '../core/**'], 'The Lambda is a thin handler around src/patterns.')]),
  ];
}
