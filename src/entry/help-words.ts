/**
 * Whether a command line only asks for help or the version: `-h`/`--help`/`-V`/`--version` anywhere before a
 * `--`, a bare `help` command, or no words at all. The binary's first module (src/bin.ts) reads it to take
 * the help fast path (help.ts); kept apart so that module stays a few lines.
 */
export function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const words = end === -1 ? argv : argv.slice(0, end);
  return words.length === 0 || words[0] === 'help' || words.some((word) => word === '-h' || word === '--help' || word === '-V' || word === '--version');
}
