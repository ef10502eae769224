/** `cruddur-ddb ui` as a user runs it (the built binary, its own process), and Debian's Chromium to look at it. */
import { spawn, type ChildProcess } from 'node:child_process';
import puppeteer, { type Browser } from 'puppeteer-core';
import { CLI, cleanEnv } from './cli.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface UiProcess {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  /** Ctrl-C, and the exit code. */
  stop: () => Promise<number | null>;
}

/** Starts the page's server on a free port and resolves once it printed its URL. */
export function startUi(args: string[], env: Record<string, string | undefined> = {}, local = true): Promise<UiProcess> {
  const child = spawn(process.execPath, [CLI, 'ui', '--port', '0', ...args], { env: cleanEnv(env, local) });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /^(http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(stdout)?.[1];
      if (url)
        resolve({
          url,
          child,
          stderr: () => stderr,
          stop: () => {
            if (child.exitCode === null) child.kill('SIGINT');
            return exited;
          },
        });
    });
    void exited.then((code) => reject(new Error(`cruddur-ddb ui exited (${code}) before printing its URL: ${stderr}`)));
  });
}

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: the tests run as root in CI, where Chromium's sandbox refuses to start.
  return puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}
