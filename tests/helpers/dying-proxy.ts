/**
 * A DynamoDB that dies on cue: an HTTP proxy in front of the test DynamoDB Local that forwards every
 * call until `after` calls of one operation (`Scan`, `BatchWriteItem`) have been answered, then closes
 * every socket and refuses new ones, as a killed DynamoDB Local does.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface DyingProxy {
  url: string;
  calls: Record<string, number>;
  close(): Promise<void>;
}

export async function startDyingProxy(target: string, dies: { on: string; after: number }): Promise<DyingProxy> {
  const calls: Record<string, number> = {};
  const sockets = new Set<Socket>();
  let dead = false;
  const die = () => {
    if (!dead) server.close();
    dead = true;
    for (const socket of sockets) socket.destroy();
  };
  const server: Server = createServer((request: IncomingMessage, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const operation =
        String(request.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      calls[operation] = (calls[operation] ?? 0) + 1;
      if (dead || (operation === dies.on && calls[operation]! > dies.after)) return die();
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers))
        if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
      const answer = await fetch(new URL(request.url ?? '/', target), { method: request.method, headers, body: Buffer.concat(chunks) });
      response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/x-amz-json-1.0' });
      response.end(await answer.text());
    })().catch(() => response.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: async () => {
      if (!dead) die();
    },
  };
}
