/**
 * Every command example a user can read: the code blocks and `npx cruddur-ddb ...` spans of README.md and
 * docs/*.md, and the "Examples:" of every command's --help (read from the built binary, so commands
 * added later are picked up without touching this file). tests/examples.test.ts runs them.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI } from './cli.js';

export interface Example {
  /** The command line as written (comment and continuation lines folded). */
  text: string;
  /** Where it is written: `README.md:23`, `--help of scan`. */
  sources: string[];
}

const ROOT = new URL('../..', import.meta.url).pathname;

/** A line that runs the tool: optional VAR=value assignments, then `cruddur-ddb` or `npx cruddur-ddb` and a subcommand. */
const INVOCATION = /^(?:[A-Z_][A-Z0-9_]*=\S*\s+)*(?:npx\s+)?cruddur-ddb\s+[a-z-]/;

/** Drops a trailing `# comment` (outside quotes) and surrounding space. */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i).trim();
  }
  return line.trim();
}

/** Examples in one Markdown file: lines of fenced code blocks, and inline spans in prose and tables. */
export function markdownExamples(file: string, text: string): Example[] {
  const examples: Example[] = [];
  const lines = text.split('\n');
  let fence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trimStart().startsWith('```')) {
      fence = !fence;
      continue;
    }
    if (fence) {
      let command = stripComment(line);
      const first = i;
      while (command.endsWith('\\') && i + 1 < lines.length) command = `${command.slice(0, -1).trim()} ${stripComment(lines[++i]!)}`;
      if (INVOCATION.test(command)) examples.push({ text: command, sources: [`${file}:${first + 1}`] });
      continue;
    }
    for (const [, span] of line.matchAll(/`([^`]+)`/g)) {
      const command = span!.replace(/\\\|/g, '|').trim();
      // In prose, only the runnable form counts as an example (`cruddur-ddb local` alone names a command).
      if (/^(?:[A-Z_][A-Z0-9_]*=\S*\s+)*npx\s+cruddur-ddb\s+[a-z-]/.test(command)) examples.push({ text: command, sources: [`${file}:${i + 1}`] });
    }
  }
  return examples;
}

function help(args: string[]): string {
  const result = spawnSync(process.execPath, [CLI, ...args, '--help'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} --help failed: ${result.stderr}`);
  return result.stdout;
}

/** The subcommands a help text lists (commander's "Commands:" section), without `help`. */
export function listedCommands(text: string): string[] {
  const at = text.indexOf('\nCommands:\n');
  if (at < 0) return [];
  const names: string[] = [];
  for (const line of text.slice(at + 11).split('\n')) {
    if (!line.startsWith('  ')) break;
    const name = /^ {2}([a-z][a-z0-9-]*)/.exec(line)?.[1];
    if (name && name !== 'help') names.push(name);
  }
  return names;
}

/** The `$ ...` lines under "Examples:" in a help text. */
export function helpExamples(text: string): string[] {
  const at = text.indexOf('Examples:\n');
  if (at < 0) return [];
  const examples: string[] = [];
  for (const line of text.slice(at + 10).split('\n')) {
    const match = /^\s+\$ (.+)$/.exec(line);
    if (match) examples.push(stripComment(match[1]!));
    else if (line.trim() !== '') break;
  }
  return examples;
}

/** Every command's --help examples, walking the command tree from the top-level help. */
export function allHelpExamples(): Example[] {
  const examples: Example[] = [];
  const visit = (path: string[]) => {
    const text = help(path);
    const where = path.length ? `--help of ${path.join(' ')}` : '--help';
    for (const example of helpExamples(text)) examples.push({ text: example, sources: [where] });
    for (const name of listedCommands(text)) visit([...path, name]);
  };
  visit([]);
  return examples;
}

/** README.md, docs/*.md and every --help, each distinct example once (with all its sources). */
export function collectExamples(): Example[] {
  const found: Example[] = [];
  const files = [
    'README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ];
  for (const file of files) found.push(...markdownExamples(file, readFileSync(join(ROOT, file), 'utf8')));
  found.push(...allHelpExamples());
  const byText = new Map<string, Example>();
  for (const example of found) {
    const key = example.text.replace(/^npx\s+/, '').replace(/(^|\s)npx\s+cruddur-ddb/g, '$1cruddur-ddb');
    const seen = byText.get(key);
    if (seen) seen.sources.push(...example.sources);
    else byText.set(key, { text: example.text, sources: [...example.sources] });
  }
  return [...byText.values()];
}
