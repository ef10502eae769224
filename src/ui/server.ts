/**
 * The HTTP side of `cruddur-ddb ui`, on node:http alone: the page's static files (ui/ in the package,
 * served as they are: no build step), a small JSON API over the access patterns, and the SSE stream.
 * It listens on 127.0.0.1 only, and the send route exists only when the page may write (local).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvalidCursorError } from '../patterns/cursor.js';
import type { TimeRule } from '../patterns/time.js';
import { conversationPage, messagePage, usersFromGroups, type Shown, type UserJson } from './api.js';
import type { EventHub } from './live.js';
import { foreignOrigin, MAX_LIVE_CONNECTIONS, setSecurityHeaders } from './guards.js';
import { HANDLE, HandleScanLimit, userByHandle, userByUuid } from './people.js';
import { usersFromPostgres } from './pg-users.js';
import { SendMessageError, sendMessage } from '../patterns/send-message.js';
import { CliError, EXIT } from '../core/errors.js';
import { deleteFromPage, putFromPage, queryFromPage } from './adhoc.js';

export interface PageInfo {
  env: 'local' | 'prod';
  table: string;
  /** The DynamoDB endpoint, or "AWS <region>" in prod. */
  target: string;
  region: string | undefined;
  /** Prod: the account the credentials belong to, for the banner (when STS could tell). */
  account?: string;
  readOnly: boolean;
  stream: string;
  users: 'postgres' | 'group items';
  /** The command that fills an empty table, for the page to show (local only). */
  fill?: string;
}

export interface UiServerOptions {
  client: DynamoDBClient;
  table: string;
  info: PageInfo;
  hub: EventHub;
  /** Folder of index.html, app.js, style.css. */
  staticDir: string;
  postgresUrl?: string;
  /** The time rule: the zone of times without an offset (reads), and the form new messages take (send). */
  timeRule: TimeRule;
  /** Turns a failure into the one line the page shows (the CLI's own AWS error words). */
  describeError: (error: unknown) => { code: string; message: string };
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  png: 'image/png',
};
const UUIDISH = /^[A-Za-z0-9-]{1,64}$/;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  if (!(request.headers['content-type'] ?? '').startsWith('application/json')) throw new HttpError(415, 'http.json_only', 'Send JSON');
  let text = '';
  for await (const chunk of request) {
    text += chunk;
    if (text.length > 64_000) throw new HttpError(413, 'http.too_large', 'A message is at most 64 kB here');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'http.bad_json', 'The body is not JSON');
  }
  // null, a list, a number: JSON, but not the object a send is.
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'http.bad_json', 'The body must be a JSON object');
  return body as Record<string, unknown>;
}

function idParam(value: string | undefined, what: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(value ?? '');
  } catch {
    throw new HttpError(400, 'http.bad_id', `Not a ${what}: a broken % escape`);
  }
  if (!UUIDISH.test(decoded)) throw new HttpError(400, 'http.bad_id', `Not a ${what}: "${decoded}"`);
  return decoded;
}

function handleParam(value: string | undefined): string {
  const handle = decodeURIComponent(value ?? '')
    .trim()
    .replace(/^@/, '');
  if (!HANDLE.test(handle)) throw new HttpError(400, 'arg.bad_user', `Not a handle: "${handle}"`);
  return handle;
}

export function createUiServer(options: UiServerOptions): Server {
  const { client, table, info, hub } = options;

  const users = (cursor?: string): Promise<Shown<UserJson>> =>
    options.postgresUrl ? usersFromPostgres(options.postgresUrl, cursor) : usersFromGroups(client, table, cursor);

  async function foundHandle(handle: string) {
    const found = await userByHandle(client, table, handle, options.postgresUrl).catch((error: unknown) => {
      if (error instanceof HandleScanLimit) throw new HttpError(404, 'user.unknown', error.message);
      throw error;
    });
    if (!found)
      throw new HttpError(
        404,
        'user.unknown',
        options.postgresUrl
          ? `No user @${handle} in public.users`
          : `No group item names @${handle}: without CONNECTION_URL, only users with a conversation are known`,
      );
    return found;
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const cursor = url.searchParams.get('cursor') || undefined;
    const path = url.pathname;
    const get = request.method === 'GET' || request.method === 'HEAD';
    let match: RegExpExecArray | null;
    if (get && (path === '/' || /^\/[a-z-]+\.(js|css|html)$/.test(path))) {
      const name = path === '/' ? 'index.html' : path.slice(1);
      const body = await readFile(join(options.staticDir, name)).catch(() => undefined);
      if (!body) throw new HttpError(404, 'http.not_found', `No ${path} here`);
      response.writeHead(200, { 'content-type': TYPES[name.split('.').pop()!] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      response.end(body);
    } else if (get && path === '/api/info') json(response, 200, info);
    else if (get && path === '/api/events') {
      if (hub.size >= MAX_LIVE_CONNECTIONS)
        throw new HttpError(503, 'http.too_many_pages', `${MAX_LIVE_CONNECTIONS} pages are following this server already; close some tabs`);
      hub.add(response);
    } else if (get && path === '/api/users') json(response, 200, await users(cursor));
    else if (get && (match = /^\/api\/users\/([^/]+)\/conversations$/.exec(path)))
      json(response, 200, await conversationPage(client, table, idParam(match[1], 'user uuid'), cursor, options.timeRule.zone));
    else if (get && (match = /^\/api\/conversations\/([^/]+)\/messages$/.exec(path)))
      json(response, 200, await messagePage(client, table, idParam(match[1], 'conversation uuid'), cursor, options.timeRule.zone));
    else if (request.method === 'POST' && path === '/api/send') {
      const foreign = foreignOrigin(request);
      if (foreign) throw new HttpError(403, 'http.origin', `Sends come from this page only, not from ${foreign}`);
      if (info.readOnly) throw new HttpError(403, 'ui.read_only', 'This page is read-only (prod)');
      const body = await readJson(request);
      const from = idParam(String(body.from ?? ''), 'user uuid');
      const to = idParam(String(body.to ?? ''), 'user uuid');
      const message = String(body.text ?? '');
      if (message.trim() === '') throw new HttpError(400, 'send.empty', 'Write a message first');
      // The library's send: into the conversation the two share (the page only offers those).
      json(response, 200, await sendMessage(client, table, { from: { uuid: from }, to: { uuid: to }, message }, options.timeRule));
    } else if (get && (match = /^\/api\/handles\/([^/]+)$/.exec(path))) json(response, 200, await foundHandle(handleParam(match[1])));
    else if (request.method === 'POST' && path === '/api/conversations') {
      // A new conversation: the same library send as `cruddur-ddb send` (pattern 4 when the two have none).
      const foreign = foreignOrigin(request);
      if (foreign) throw new HttpError(403, 'http.origin', `New conversations come from this page only, not from ${foreign}`);
      if (info.readOnly) throw new HttpError(403, 'ui.read_only', 'This page is read-only (prod)');
      const body = await readJson(request);
      const from = idParam(String(body.from ?? ''), 'user uuid');
      const handle = handleParam(String(body.to ?? ''));
      const message = String(body.text ?? '');
      if (message.trim() === '') throw new HttpError(400, 'send.empty', 'Write a message first');
      const to = (await foundHandle(handle)).user;
      if (to.uuid === from) throw new HttpError(400, 'arg.same_user', 'That is the same user: a conversation needs two people');
      const sender = await userByUuid(client, table, from, options.postgresUrl);
      if (!sender) throw new HttpError(404, 'user.unknown', `No name for ${from}: ${options.postgresUrl ? 'not in public.users' : 'no group item names them'}`);
      const recipient = { uuid: to.uuid, displayName: to.display_name, handle: to.handle };
      json(response, 200, await sendMessage(client, table, { from: sender, to: recipient, message }, options.timeRule));
    } else if (request.method === 'POST' && path === '/api/query') {
      // Reads only, but a POST (the statement is a body): from this page only, like the writes.
      const foreign = foreignOrigin(request);
      if (foreign) throw new HttpError(403, 'http.origin', `Queries come from this page only, not from ${foreign}`);
      json(response, 200, await queryFromPage(client, table, await readJson(request), options.timeRule.zone));
    } else if (request.method === 'POST' && (path === '/api/item/put' || path === '/api/item/delete')) {
      // The item view's edit and delete: the same services as `put` and `delete`; never in prod.
      const foreign = foreignOrigin(request);
      if (foreign) throw new HttpError(403, 'http.origin', `Changes come from this page only, not from ${foreign}`);
      if (info.readOnly) throw new HttpError(403, 'ui.read_only', 'This page is read-only (prod)');
      const body = await readJson(request);
      json(
        response,
        200,
        path === '/api/item/put'
          ? await putFromPage(client, table, body.item, options.timeRule.zone, body.force === true)
          : await deleteFromPage(client, table, body.pk, body.sk),
      );
    } else throw new HttpError(404, 'http.not_found', `No ${request.method} ${path} here`);
  }

  return createServer((request, response) => {
    setSecurityHeaders(response);
    // Only this machine's pages: a foreign Host header is another site trying its luck (DNS rebinding).
    const host = request.headers.host ?? '';
    if (!/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host)) return json(response, 403, { code: 'http.host', message: 'Open the page at 127.0.0.1' });
    route(request, response).catch((error: unknown) => {
      if (response.headersSent) return response.end();
      if (error instanceof HttpError) return json(response, error.status, { code: error.code, message: error.message });
      if (error instanceof InvalidCursorError || error instanceof SyntaxError) return json(response, 400, { code: 'http.bad_cursor', message: error.message });
      // A broken % escape anywhere the request is decoded is the client's mistake, not DynamoDB's.
      if (error instanceof URIError) return json(response, 400, { code: 'http.bad_escape', message: 'A % escape in the request is broken' });
      if (error instanceof SendMessageError) return json(response, 409, { code: error.code, message: error.message });
      // The adhoc services' own errors: a bad request (usage) or a change refused (a condition, the model).
      if (error instanceof CliError)
        return json(response, error.exitCode === EXIT.usage ? 400 : 409, { code: error.code, message: error.message, hint: error.hint });
      json(response, 502, options.describeError(error));
    });
  });
}
