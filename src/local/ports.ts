/**
 * Ports of the local stack: is one free, who holds it, and a free one for tests and benchmarks. The one
 * place that probes a port (DynamoDB Local, PostgreSQL and cognito-local all ask here).
 */
import { spawnSync } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { CliError } from '../core/errors.js';

/** Whether nothing listens on the port (on every address, as the servers bind their own). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/**
 * Whether something accepts a TCP connection on host:port now. A start-up asks this every 10 ms until
 * the server listens: a refused connection costs next to nothing, where an HTTP request (fetch) each time
 * cost this process ~200 ms of CPU over a JVM's start, taken from the JVM on a machine of two cores.
 */
export function acceptsConnections(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** `java (pid 123)` for the process listening on the port, when `ss` can tell. */
export function whoListens(port: number): string | undefined {
  const result = spawnSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const match = /users:\(\("([^"]+)",pid=(\d+)/.exec(result.stdout ?? '');
  return match ? `${match[1]} (pid ${match[2]})` : undefined;
}

/**
 * Resolves when the port is free; otherwise one clear error naming what holds it. `what` is the part
 * that wanted it (left unsaid for the main one, DynamoDB Local), `flag` the option that picks another;
 * `more` adds to the message (e.g. "answers like DynamoDB").
 */
export async function requireFreePort(port: number, what: string | undefined, flag: string, more?: (port: number) => Promise<string>): Promise<void> {
  if (await isPortFree(port)) return;
  const holder = whoListens(port);
  const extra = more ? await more(port) : '';
  throw new CliError('local.port_taken', `Port ${port}${what ? ` (for ${what})` : ''} is already taken${holder ? ` by ${holder}` : ''}${extra}`, {
    hint: `Stop what holds it, or pass ${flag} with another port`,
  });
}

/** A port nobody listens on right now (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
