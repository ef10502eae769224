/**
 * A closed stdout or stderr is the reader's choice, not an error: `cruddur-ddb scan t | head` closes our
 * stdout early, `cruddur-ddb stream --once 2>&1 | head` our stderr. Set up by both ways in (cli.ts, and
 * the help fast path on first write), before anything is written.
 */
let stdoutGuarded = false;
let stderrGuarded = false;

export function quietClosedStdout(): NodeJS.WriteStream {
  if (!stdoutGuarded) {
    stdoutGuarded = true;
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  return process.stdout;
}

export function quietClosedStderr(): NodeJS.WriteStream {
  if (!stderrGuarded) {
    stderrGuarded = true;
    // The work goes on; its words have no reader.
    process.stderr.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  return process.stderr;
}

export function quietClosedPipes(): void {
  quietClosedStdout();
  quietClosedStderr();
}
