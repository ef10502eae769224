/**
 * A stand-in for Cognito's ListUsers that serves the users in pages of the sizes asked for, each but the
 * last with a PaginationToken, and records every request. cognito-local returns every user in one
 * page, so this is what shows that the commands follow the token through short pages.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInUser {
  username: string;
  handle?: string;
  sub: string;
  email: string;
}

export interface PagesServer {
  url: string;
  /** The JSON bodies of the ListUsers requests, in order. */
  requests: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startPagesServer(users: StandInUser[], pageSizes: number[]): Promise<PagesServer> {
  if (pageSizes.reduce((a, b) => a + b, 0) !== users.length) throw new Error('page sizes must add up to the users');
  const starts = pageSizes.map((_, i) => pageSizes.slice(0, i).reduce((a, b) => a + b, 0));
  const requests: Array<Record<string, unknown>> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const request = JSON.parse(body || '{}') as { PaginationToken?: string };
      requests.push(request);
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(payload));
      };
      if (!String(req.headers['x-amz-target']).endsWith('.ListUsers'))
        return reply(400, { __type: 'UnknownOperationException', message: 'only ListUsers here' });
      const page = request.PaginationToken === undefined ? 0 : Number(request.PaginationToken.replace('page-', ''));
      if (!(page in pageSizes)) return reply(400, { __type: 'InvalidParameterException', message: `bad token ${request.PaginationToken}` });
      const slice = users.slice(starts[page], starts[page]! + pageSizes[page]!);
      reply(200, {
        Users: slice.map((user) => ({
          Username: user.username,
          Attributes: [
            { Name: 'sub', Value: user.sub },
            { Name: 'email', Value: user.email },
            ...(user.handle === undefined ? [] : [{ Name: 'preferred_username', Value: user.handle }]),
          ],
          UserStatus: 'CONFIRMED',
          Enabled: true,
          UserCreateDate: 1_767_225_600,
        })),
        ...(page + 1 < pageSizes.length ? { PaginationToken: `page-${page + 1}` } : {}),
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
