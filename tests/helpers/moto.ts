/**
 * moto_server (Python moto, installed on this kind of machine and CI): the one real implementation of
 * DynamoDB's export/import control plane (UpdateContinuousBackups, ExportTableToPointInTime, DescribeExport,
 * ImportTable) and S3 in one process. Each test file starts its own on a free port and stops it after.
 * What moto leaves out is not faked here: its exports write no manifests, and it ignores ClientToken
 * (see startTokenProxy for the one stand-in, and why).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe } from 'vitest';
import { freePort } from '../../src/local/ports.js';
import { describeWith } from './system-tools.js';
import { scaled } from './time-scale.js';

export const MOTO_SERVER = 'moto_server';

/** `describe` where moto_server is installed, else a skip with one line saying how to get it. */
export function describeWithMoto(): typeof describe | typeof describe.skip {
  return describeWith(MOTO_SERVER, 'python3-moto', "pip install 'moto[server]==5.2.1' where a wheel is at hand; machines of this kind, CI included, have it");
}

export interface Moto {
  url: string;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(MOTO_SERVER, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + scaled(30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode} before answering`);
    try {
      if ((await fetch(`${url}/moto-api/`)).ok) return { url, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server did not answer on ${url}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface TokenProxy {
  url: string;
  /** Every DynamoDB call that passed, by its X-Amz-Target operation name, in order. */
  calls: string[];
  /** The ClientToken of each ExportTableToPointInTime / ImportTable request, in order. */
  tokens: string[];
  /** The body of each ExportTableToPointInTime / ImportTable request, in order. */
  starts: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A stand-in for the one thing moto does not do: honour ExportTableToPointInTime's ClientToken. AWS
 * documents that a request with a token seen in the last 8 hours (and the same parameters) returns the
 * export that token started instead of a new one; this proxy in front of moto does exactly that (the
 * answer is moto's own DescribeExport of the first export), records every call, and passes all else
 * through. moto does not check signatures, so the swapped request is accepted.
 */
export async function startTokenProxy(target: string): Promise<TokenProxy> {
  const calls: string[] = [];
  const tokens: string[] = [];
  const starts: Array<Record<string, unknown>> = [];
  const exportsByToken = new Map<string, string>();
  const forward = async (request: IncomingMessage, payload: Buffer, operation?: string) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers))
      if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
    if (operation) headers['x-amz-target'] = `DynamoDB_20120810.${operation}`;
    const response = await fetch(new URL(request.url ?? '/', target), { method: request.method, headers, body: payload.length ? payload : undefined });
    return { status: response.status, contentType: response.headers.get('content-type') ?? 'application/x-amz-json-1.0', text: await response.text() };
  };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const payload = await body(request);
      const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      if (operation) calls.push(operation);
      let answer;
      const start =
        operation === 'ExportTableToPointInTime' || operation === 'ImportTable' ? (JSON.parse(payload.toString()) as Record<string, unknown>) : undefined;
      if (start) starts.push(start);
      const token = start?.ClientToken as string | undefined;
      if (token) tokens.push(token);
      const known = operation === 'ExportTableToPointInTime' && token ? exportsByToken.get(token) : undefined;
      if (known) answer = await forward(request, Buffer.from(JSON.stringify({ ExportArn: known })), 'DescribeExport');
      else {
        answer = await forward(request, payload);
        if (operation === 'ExportTableToPointInTime' && token && answer.status === 200)
          exportsByToken.set(token, (JSON.parse(answer.text) as { ExportDescription: { ExportArn: string } }).ExportDescription.ExportArn);
      }
      response.writeHead(answer.status, { 'content-type': answer.contentType });
      response.end(answer.text);
    })().catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    calls,
    tokens,
    starts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
