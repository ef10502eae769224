/**
 * The page's query box and item view (issue 20), in Debian's Chromium against DynamoDB Local: a key
 * condition and a PartiQL SELECT, copy as JSON, edit and delete through the same services as `put` and
 * `delete`; in prod the box reads and nothing changes; the server's guards (Host, Origin) hold for the new routes.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMessagesTable, dynamoUrl, run, testClient } from './helpers/cli.js';
import { describeWith } from './helpers/system-tools.js';
import { CHROMIUM, launchChromium, startUi, type UiProcess } from './helpers/ui.js';

const GROUP = '6fd7060e-c610-5e79-b5f3-167bc0fa37bb';
const client = testClient();

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const navigator: any;
/* eslint-enable @typescript-eslint/no-explicit-any */

async function open(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(url);
  await page.waitForSelector('body[data-ready]');
  return page;
}

const text = (page: Page, selector: string) => page.$eval(selector, (node) => node.textContent ?? '');
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function ask(page: Page, what: string, params = ''): Promise<void> {
  await page.$eval('#ask-text', (node, value) => ((node as unknown as { value: string }).value = value), what);
  await page.$eval('#ask-params', (node, value) => ((node as unknown as { value: string }).value = value), params);
  await page.click('#ask button[type="submit"]');
  await page.waitForFunction(
    () => !/Reading/.test(document.getElementById('ask-status').textContent) && document.getElementById('ask-status').textContent !== '',
  );
}

describeWith(CHROMIUM, 'chromium')('the page asks the table', () => {
  let browser: Browser;
  let table: string;
  let ui: UiProcess;

  beforeAll(async () => {
    table = await createMessagesTable('uiquery');
    expect((await run(['seed', '--table', table])).code).toBe(0);
    ui = await startUi(['--table', table, '--stream', 'off']);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    client.destroy();
  });

  it('runs a key condition and a PartiQL SELECT, and refuses a PartiQL write', async () => {
    const page = await open(browser, ui.url);
    await ask(page, `MSG#${GROUP}`);
    expect(await text(page, '#ask-status')).toMatch(/^50 items; More items reads on\.$/);
    await page.click('#ask-more');
    await page.waitForFunction(() => /^(?!50 )\d+ items/.test(document.getElementById('ask-status').textContent));
    expect(await text(page, '#ask-status')).toBe('100 items; More items reads on.');

    await ask(page, `SELECT * FROM "${table}" WHERE pk = ? AND sk >= ?`, `MSG#${GROUP}\n2999`);
    expect(await text(page, '#ask-status')).toBe('0 items.');
    await ask(page, `SELECT * FROM "${table}" WHERE pk = ?`, `GRP#5ae290ed-55d1-47a0-bc6d-fe2bc2700399`);
    expect(await text(page, '#ask-status')).toMatch(/^[1-9]\d* items?\.$/);
    expect(await text(page, '#ask-raw')).toContain('"Statement"');

    await ask(page, `DELETE FROM "${table}" WHERE pk = ? AND sk = ?`, 'a\nb');
    const refused = await page.$eval('#ask-status', (node) => ({
      text: node.textContent,
      role: node.getAttribute('role'),
      error: node.classList.contains('error'),
    }));
    expect(refused).toEqual({ text: expect.stringMatching(/^Could not read: The query box only reads/), role: 'alert', error: true });
  });

  it('shows an item, copies it as JSON, edits and deletes it through the put and delete services', async () => {
    const context = browser.defaultBrowserContext();
    await context.overridePermissions(ui.url.replace(/\/$/, ''), ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
    const page = await open(browser, ui.url);
    await ask(page, `MSG#${GROUP}`);
    await page.click('#ask-items li:first-child button');
    const shown = JSON.parse(await text(page, '#item-json')) as Record<string, string>;
    expect(shown.pk).toBe(`MSG#${GROUP}`);
    await page.click('#item-copy');
    await page.waitForFunction(() => /Copied/.test(document.getElementById('item-status').textContent));
    expect(JSON.parse(await page.evaluate(() => navigator.clipboard.readText()))).toEqual(shown);

    const key = { pk: { S: shown.pk! }, sk: { S: shown.sk! } };
    const edited = { ...shown, message: 'edited on the page' };
    await page.$eval('#item-text', (node, value) => ((node as unknown as { value: string }).value = value), JSON.stringify(edited));
    await page.click('#item-edit button[type="submit"]');
    await page.waitForFunction(() => /Replaced the item|Not saved/.test(document.getElementById('item-status').textContent));
    expect(await text(page, '#item-status')).toMatch(/^Replaced the item\./);
    expect((await client.send(new GetItemCommand({ TableName: table, Key: key }))).Item?.message).toEqual({ S: 'edited on the page' });

    // The model check of `put`: an sk that is not a time is refused unless forced.
    await page.$eval('#item-text', (node, value) => ((node as unknown as { value: string }).value = value), JSON.stringify({ ...shown, sk: 'not a time' }));
    await page.click('#item-edit button[type="submit"]');
    await page.waitForFunction(() => /Not saved/.test(document.getElementById('item-status').textContent));
    expect(await text(page, '#item-status')).toMatch(/break the data model/);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('#item-delete');
    await page.waitForFunction(() => /Deleted|Not deleted/.test(document.getElementById('item-status').textContent));
    expect(await text(page, '#item-status')).toBe('Deleted the item.');
    expect((await client.send(new GetItemCommand({ TableName: table, Key: key }))).Item).toBeUndefined();
  });

  it('guards the new routes: another Host, another Origin; a bad body is a 400 with the code', async () => {
    const foreign = await post(`${ui.url}api/item/delete`, { pk: 'a', sk: 'b' }, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ code: 'http.origin' });
    const queried = await post(`${ui.url}api/query`, { pk: 'x' }, { 'sec-fetch-site': 'cross-site' });
    expect(queried.status).toBe(403);
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const call = request(`${ui.url}api/query`, { method: 'POST', headers: { host: 'evil.example', 'content-type': 'application/json' } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      call.on('error', reject);
      call.end('{"pk":"x"}');
    });
    expect(status).toBe(403);
    const bad = await post(`${ui.url}api/query`, { statement: `SELECT * FROM "${table}" WHERE pk = ?` });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'partiql.param_count' });
    const unknownIndex = await post(`${ui.url}api/query`, { pk: 'x', index: 'nope' });
    expect(unknownIndex.status).toBe(400);
  });

  it('in prod the box reads, and there is no edit, delete or route for them', async () => {
    const prod = { AWS_ACCESS_KEY_ID: 'cruddurlocal', AWS_SECRET_ACCESS_KEY: 'cruddurlocal', AWS_REGION: 'eu-west-2' };
    const prodUi = await startUi(['--env', 'prod', '--endpoint-url', dynamoUrl(), '--table', table, '--stream', 'off'], prod, false);
    try {
      const page = await open(browser, prodUi.url);
      await ask(page, `MSG#${GROUP}`);
      expect(await text(page, '#ask-status')).toMatch(/^50 items/);
      await page.click('#ask-items li:first-child button');
      expect(await text(page, '#item-json')).toContain(`MSG#${GROUP}`);
      expect(await page.$('#item-edit')).toBeNull();
      expect(await page.$('#item-delete')).toBeNull();
      const item = JSON.parse(await text(page, '#item-json')) as Record<string, string>;
      for (const [path, body] of [
        ['api/item/put', { item: { ...item, message: 'no' } }],
        ['api/item/delete', { pk: item.pk, sk: item.sk }],
      ] as const) {
        const refused = await post(`${prodUi.url}${path}`, body);
        expect(refused.status).toBe(403);
        expect(await refused.json()).toMatchObject({ code: 'ui.read_only' });
      }
      const still = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: item.pk! }, sk: { S: item.sk! } } }));
      expect(still.Item?.message).toEqual({ S: item.message });
    } finally {
      await prodUi.stop();
    }
  });
});
