/**
 * GitHub Actions annotations: when GITHUB_ACTIONS=true, an error (or a warning) is also printed as a
 * workflow command (`::error title=…::…`), which GitHub shows on the run's summary page. Elsewhere nothing
 * changes. Data in a command is escaped as the runner expects (%, CR, LF; and in a property also : and ,)
 * so a message can neither end the command early nor smuggle a second one in.
 */
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function inGitHubActions(env: Record<string, string | undefined>): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

/** `::error title=cruddur-ddb table.not_found::message` (one line). */
export function annotation(kind: 'error' | 'warning', title: string, message: string): string {
  return `::${kind} title=${escapeProperty(title)}::${escapeData(message)}`;
}
