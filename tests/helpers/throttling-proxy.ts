/**
 * A stand-in for what DynamoDB Local never does: throttle. An HTTP proxy in front of the real
 * DynamoDB Local that, for BatchWriteItem, forwards only part of each request and hands the rest back
 * as UnprocessedItems, and now and then answers ProvisionedThroughputExceededException instead.
 * Every other call passes through untouched. (DynamoDB Local does not check request signatures, so a
 * rewritten body is accepted.)
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyOptions {
  /** 'some': part of each batch goes through; 'none': nothing ever does (the retry limit is hit). */
  mode: 'some' | 'none';
  /** Every nth BatchWriteItem request is answered with a throttling error (0: never). */
  throttleEvery?: number;
}

export interface ThrottlingProxy {
  url: string;
  stats: { batches: number; unprocessed: number; throttled: number };
  close(): Promise<void>;
}

type WriteRequest = { PutRequest?: unknown; DeleteRequest?: unknown };

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startThrottlingProxy(target: string, options: ProxyOptions): Promise<ThrottlingProxy> {
  const stats = { batches: 0, unprocessed: 0, throttled: 0 };
  const forward = async (request: IncomingMessage, payload: Buffer) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers))
      if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
    const response = await fetch(new URL(request.url ?? '/', target), { method: request.method, headers, body: payload.length ? payload : undefined });
    return { status: response.status, contentType: response.headers.get('content-type') ?? 'application/x-amz-json-1.0', text: await response.text() };
  };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const payload = await body(request);
      const target = String(request.headers['x-amz-target'] ?? '');
      if (!target.endsWith('.BatchWriteItem')) {
        const answer = await forward(request, payload);
        response.writeHead(answer.status, { 'content-type': answer.contentType });
        return response.end(answer.text);
      }
      stats.batches++;
      if (options.throttleEvery && stats.batches % options.throttleEvery === 0) {
        stats.throttled++;
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        return response.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
            message: 'The level of configured provisioned throughput for the table was exceeded.',
          }),
        );
      }
      const input = JSON.parse(payload.toString('utf8')) as { RequestItems: Record<string, WriteRequest[]> };
      const kept: Record<string, WriteRequest[]> = {};
      const held: Record<string, WriteRequest[]> = {};
      for (const [table, requests] of Object.entries(input.RequestItems)) {
        // 'some': the first half (rounded up) goes through, so every retry makes progress.
        const through = options.mode === 'some' ? Math.ceil(requests.length / 2) : 0;
        kept[table] = requests.slice(0, through);
        held[table] = requests.slice(through);
        stats.unprocessed += held[table].length;
      }
      const nonEmpty = Object.fromEntries(Object.entries(kept).filter(([, list]) => list.length > 0));
      if (Object.keys(nonEmpty).length > 0) {
        const answer = await forward(request, Buffer.from(JSON.stringify({ ...input, RequestItems: nonEmpty })));
        if (answer.status !== 200) {
          response.writeHead(answer.status, { 'content-type': answer.contentType });
          return response.end(answer.text);
        }
      }
      const unprocessed = Object.fromEntries(Object.entries(held).filter(([, list]) => list.length > 0));
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ UnprocessedItems: unprocessed }));
    })().catch((error: Error) => {
      response.writeHead(500);
      response.end(error.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
