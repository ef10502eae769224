/**
 * Issue 22 (reliability round 3), items 4 and 12: the page's server checks Origin on a send, forbids
 * framing, sets a CSP the page still works under (real Chromium, no violation reported), bounds its
 * live connections with a clear refusal, and answers client mistakes with 400, not 502.
 * Each case failed before the fix.
 */
import { get, request, createServer, type ClientRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, tableName } from './helpers/cli.js';
import { launchChromium, startUi, type UiProcess } from './helpers/ui.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
/* eslint-enable @typescript-eslint/no-explicit-any */

let ui: UiProcess;
let browser: Browser;
let table = '';
let users: Array<{ uuid: string }> = [];

beforeAll(async () => {
  table = tableName('ui-guard');
  expect((await run(['schema-load', table])).code).toBe(0);
  expect((await run(['seed', '--table', table])).code).toBe(0);
  ui = await startUi(['--table', table, '--stream', 'off']);
  users = ((await fetch(`${ui.url}api/users`).then((response) => response.json())) as { items: Array<{ uuid: string }> }).items;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await ui?.stop();
});

const send = (headers: Record<string, string>, body: string) =>
  fetch(`${ui.url}api/send`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('the page under its own CSP, in Chromium', () => {
  it('sends the headers, renders and works with no CSP violation', async () => {
    const response = await fetch(ui.url);
    expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(ui.url);
    await page.waitForSelector('#users button');
    await page.click('#users button');
    await page.waitForSelector('#conversations button');
    await page.click('#conversations button');
    await page.waitForSelector('#messages li');
    expect(violations).toEqual([]);
    await page.close();
  });

  it('another site cannot frame it', async () => {
    const site: Server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<!doctype html><iframe id="f" src="${ui.url}"></iframe>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    try {
      const page = await browser.newPage();
      const refused: string[] = [];
      page.on('console', (message) => refused.push(message.text()));
      await page.goto(`http://localhost:${(site.address() as AddressInfo).port}/`, { waitUntil: 'domcontentloaded' });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
      // Blocked: the frame never holds the page's list (Chromium shows its error page in its place).
      const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000));
      const rendered = frame ? await Promise.race([frame.evaluate(() => Boolean(document.querySelector('#users'))).catch(() => false), timeout]) : false;
      expect(rendered).toBe(false);
      expect(refused.join('\n')).toMatch(/frame-ancestors|X-Frame-Options/);
      await page.close();
    } finally {
      site.closeAllConnections(); // Chromium keeps its connection alive; close would wait for it
      await new Promise<void>((resolve) => site.close(() => resolve()));
    }
  });
});

describe('a send comes from the page only', () => {
  it('a foreign Origin or a cross-site fetch is refused before anything is read or written', async () => {
    const body = JSON.stringify({ from: users[0]!.uuid, to: users[1]!.uuid, text: 'from elsewhere' });
    for (const headers of [
      { origin: 'https://attacker.example' } as Record<string, string>,
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ]) {
      const response = await send(headers, body);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(await response.json()).toMatchObject({ code: 'http.origin' });
    }
    // The page's own origin passes the check (and then fails on what it sent, not on where from).
    const own = await send({ origin: ui.url.replace(/\/$/, ''), 'sec-fetch-site': 'same-origin' }, JSON.stringify({ from: 'not a uuid!', to: 'x', text: 'y' }));
    expect(own.status).toBe(400);
    expect(await own.json()).toMatchObject({ code: 'http.bad_id' });
  });
});

describe('client mistakes are 400s', () => {
  it('a broken % escape in an id, and a null, list or number JSON body', async () => {
    const broken = await fetch(`${ui.url}api/users/%E0%A4%A/conversations`);
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ code: 'http.bad_id' });
    const messages = await fetch(`${ui.url}api/conversations/%/messages`);
    expect(messages.status).toBe(400);
    for (const body of ['null', '[]', '12', '"text"']) {
      const response = await send({}, body);
      expect(response.status, body).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'http.bad_json' });
    }
  });
});

describe('live connections are bounded', () => {
  it('past 64 open pages a new one is refused with 503 and a reason; the API still answers; a closed one frees a place', async () => {
    const open: ClientRequest[] = [];
    const connect = () =>
      new Promise<{ status: number; body: string; request: ClientRequest }>((resolve, reject) => {
        const req = get(`${ui.url}api/events`, (response) => {
          if (response.statusCode === 200) return resolve({ status: 200, body: '', request: req });
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body, request: req }));
        });
        req.on('error', reject);
      });
    try {
      for (let i = 0; i < 64; i++) {
        const live = await connect();
        expect(live.status).toBe(200);
        open.push(live.request);
      }
      const refused = await connect();
      expect(refused.status).toBe(503);
      expect(JSON.parse(refused.body)).toMatchObject({ code: 'http.too_many_pages' });
      expect((await fetch(`${ui.url}api/info`)).status).toBe(200);
      open.pop()!.destroy();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const again = await connect();
      expect(again.status).toBe(200);
      open.push(again.request);
    } finally {
      for (const req of open) req.destroy();
    }
    void request;
  });
});
