/**
 * A recorder: a local TCP server that counts the connections made to it and answers nothing useful.
 * Pointed at where a command must NOT go (e.g. the EC2 metadata address, through
 * AWS_EC2_METADATA_SERVICE_ENDPOINT), it proves no connection was made.
 */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Recorder {
  url: string;
  port: number;
  connections: number;
  close(): Promise<void>;
}

export async function startRecorder(answer?: string): Promise<Recorder> {
  const sockets = new Set<Socket>();
  const recorder = { connections: 0 } as Recorder;
  const server = createServer((socket) => {
    recorder.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.once('data', () => {
      if (answer !== undefined) socket.end(answer);
      else socket.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  recorder.port = (server.address() as AddressInfo).port;
  recorder.url = `http://127.0.0.1:${recorder.port}`;
  recorder.close = () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return recorder;
}
