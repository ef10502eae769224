/**
 * A proxy in front of the test DynamoDB Local that passes every call through, after telling `seen` its
 * operation (the X-Amz-Target's last word) and waiting the milliseconds `hold` says for it (a slow
 * DynamoDB for that operation; 0: at once).
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dynamoUrl } from './cli.js';

export interface ForwardingProxy {
  url: string;
  close(): Promise<void>;
}

export async function startForwardingProxy(
  options: { seen?: (operation: string) => void; hold?: (operation: string) => number } = {},
): Promise<ForwardingProxy> {
  const target = new URL(dynamoUrl());
  const server = createServer((incoming, response) => {
    const operation = String(incoming.headers['x-amz-target'] ?? `${incoming.method} ${incoming.url}`)
      .split('.')
      .pop()!;
    options.seen?.(operation);
    const forward = () => {
      const outgoing = httpRequest(
        { host: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers: incoming.headers },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      outgoing.on('error', () => response.destroy());
      incoming.pipe(outgoing);
    };
    const hold = options.hold?.(operation) ?? 0;
    if (hold > 0) setTimeout(forward, hold);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
