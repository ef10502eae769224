/**
 * `cruddur-ddb ui` in a real Chromium (Debian's, driven by puppeteer-core), against the real DynamoDB
 * Local and, for the users list, a real PostgreSQL. The page's server runs as its own process, the way
 * a developer starts it; `cruddur-ddb send` runs as another.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { createMessage, createMessageGroup, messagesTableInput, type Participant } from '../src/patterns/index.js';
import { dynamoUrl, oneLineError, run, spawnCli, tableName, testClient } from './helpers/cli.js';
import { freshDatabase, query } from './helpers/postgres.js';
import { CHROMIUM, launchChromium, startUi, type UiProcess } from './helpers/ui.js';
import { describeWith } from './helpers/system-tools.js';

const client = testClient();
const person = (n: number, displayName: string, handle: string): Participant => ({ uuid: `7a1c2d3e-0000-4000-8000-00000000000${n}`, displayName, handle });
const andrew = person(1, 'Andrew Brown', 'andrewbrown');
const bayko = person(2, 'Andrew Bayko', 'bayko');
const londo = person(3, 'Londo Mollari', 'londo');
const garak = person(4, 'Elim Garak', 'garak');
const quark = person(5, 'Quark', 'quark'); // in PostgreSQL only: no conversation
const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 9, minute)).toISOString();

/** The messages of the long conversation (andrew and bayko): more than one page of 40. */
const LONG = 45;
const longText = (i: number) => `plan ${String(i).padStart(2, '0')}: ${i % 2 ? 'bring the maps' : 'check the weather'}`;

async function seedTable(): Promise<{ table: string; long: string; recent: string; old: string }> {
  const table = tableName('ui');
  expect((await run(['schema-load', table])).code).toBe(0);
  const long = (await createMessageGroup(client, table, { sender: andrew, recipient: bayko, message: longText(0), createdAt: at(0) })).message_group_uuid;
  for (let i = 1; i < LONG; i++)
    await createMessage(client, table, { messageGroupUuid: long, sender: i % 2 ? bayko : andrew, message: longText(i), createdAt: at(i) });
  const recent = (await createMessageGroup(client, table, { sender: londo, recipient: andrew, message: 'Is the hike still on?', createdAt: at(50) }))
    .message_group_uuid;
  await createMessage(client, table, { messageGroupUuid: recent, sender: andrew, message: 'Yes, eight at the car park.', createdAt: at(51) });
  const old = (await createMessageGroup(client, table, { sender: garak, recipient: andrew, message: 'Your suit is ready.', createdAt: '2025-03-01T10:00:00Z' }))
    .message_group_uuid;
  return { table, long, recent, old };
}

const texts = (page: Page, selector: string) => page.$$eval(selector, (nodes) => nodes.map((node) => node.textContent ?? ''));
const groupsShown = (page: Page) => page.$$eval('#conversations button', (nodes) => nodes.map((node) => node.getAttribute('data-group')));

async function open(browser: Browser, url: string, hash = ''): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  await page.goto(url + hash);
  await page.waitForSelector('body[data-ready]');
  return page;
}

// The callbacks given to page.evaluate and waitForFunction run in the page: its globals, declared here
// for this file alone (the project's TypeScript has no DOM library).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare function getComputedStyle(element: unknown): { backgroundColor: string };
/* eslint-enable @typescript-eslint/no-explicit-any */

const SCREENSHOTS = fileURLToPath(new URL('../docs/', import.meta.url));

describeWith(CHROMIUM, 'chromium')('cruddur-ddb ui', () => {
  let browser: Browser;
  let seeded: Awaited<ReturnType<typeof seedTable>>;
  let ui: UiProcess;

  beforeAll(async () => {
    seeded = await seedTable();
    const checkpoints = mkdtempSync(join(tmpdir(), 'cruddur-ui-test-'));
    // Group items move through the stream: apply what is there, then the page's own runner goes on from that place.
    expect((await run(['stream', '--once', '--table', seeded.table, '--checkpoint-dir', checkpoints])).code).toBe(0);
    ui = await startUi(['--table', seeded.table, '--checkpoint-dir', checkpoints]);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('shows the users who own conversations, and a user’s conversations newest first', async () => {
    const page = await open(browser, ui.url);
    expect((await texts(page, '#users button')).sort()).toEqual([
      'Andrew Bayko (@bayko)',
      'Andrew Brown (@andrewbrown)',
      'Elim Garak (@garak)',
      'Londo Mollari (@londo)',
    ]);
    await page.click(`#users button[data-uuid="${andrew.uuid}"]`);
    await page.waitForSelector('#conversations button');
    expect(await groupsShown(page)).toEqual([seeded.recent, seeded.long, seeded.old]);
    expect((await texts(page, '#conversations .preview'))[0]).toBe('Yes, eight at the car park.');
    expect(await page.$eval('#conversations-status', (node) => node.textContent)).toBe('@andrewbrown: 3 conversations.');
    // The items and the query behind the list, on demand.
    await page.click('#conversations-raw summary');
    const raw = await page.$eval('#conversations-raw', (node) => node.textContent ?? '');
    expect(raw).toContain(`"S": "GRP#${andrew.uuid}"`);
    expect(raw).toContain('"KeyConditionExpression": "pk = :pk"');
    expect(raw).toContain('"ScanIndexForward": false');
    await page.close();
  });

  it('clicking through shows the messages oldest first, and older pages before them', async () => {
    const page = await open(browser, ui.url);
    await page.click(`#users button[data-uuid="${andrew.uuid}"]`);
    await page.waitForSelector(`#conversations button[data-group="${seeded.long}"]`);
    await page.click(`#conversations button[data-group="${seeded.long}"]`);
    await page.waitForSelector('#messages li');
    const firstPage = await texts(page, '#messages p');
    expect(firstPage).toEqual(Array.from({ length: 40 }, (_, i) => longText(i + LONG - 40)));
    await page.click('#messages-more');
    await page.waitForFunction((n) => document.querySelectorAll('#messages li').length === n, {}, LONG);
    expect(await texts(page, '#messages p')).toEqual(Array.from({ length: LONG }, (_, i) => longText(i)));
    expect(await page.$eval('#messages-more', (node) => node.hasAttribute('hidden'))).toBe(true);
    expect(await page.$eval('#messages li strong', (node) => node.textContent)).toBe('Andrew Brown (@andrewbrown)');
    // The address keeps the selection: a reload opens the same conversation.
    expect(page.url()).toContain(`group=${seeded.long}`);
    await page.close();
  });

  it('moves a conversation to the top when `cruddur-ddb send` runs in another process', async () => {
    const page = await open(browser, ui.url, `#user=${andrew.uuid}`);
    await page.waitForSelector('#conversations button');
    expect((await groupsShown(page)).at(-1)).toBe(seeded.old);
    const sent = await spawnCli(['send', '--table', seeded.table, '--from', garak.uuid, '--to', andrew.uuid, 'Come for a fitting tomorrow.']);
    expect(sent.code).toBe(0);
    await page.waitForFunction(
      (group) => document.querySelector('#conversations button')?.getAttribute('data-group') === group,
      { timeout: 15_000 },
      seeded.old,
    );
    expect((await texts(page, '#conversations .preview'))[0]).toBe('Come for a fitting tomorrow.');
    expect(await groupsShown(page)).toEqual([seeded.old, seeded.recent, seeded.long]);
    // The page shows the runner's batch lines.
    expect((await texts(page, '#stream-log li')).join('\n')).toMatch(/shardId-\S+: \d+ records, 1 messages, conversations moved 1/);
    await page.close();
  });

  it('sends from the page: the message lands at the end and the conversation moves up', async () => {
    const page = await open(browser, ui.url, `#user=${andrew.uuid}&group=${seeded.long}`);
    await page.waitForSelector('#messages li');
    expect(await page.$eval('#send-label', (node) => node.textContent)).toBe('Message as @andrewbrown to @bayko');
    await page.type('#send-text', 'Sent from the page.');
    await page.keyboard.down('Control');
    await page.keyboard.press('Enter');
    await page.keyboard.up('Control');
    await page.waitForFunction(() => document.querySelector('#messages li:last-child p')?.textContent === 'Sent from the page.');
    await page.waitForFunction(
      (group) => document.querySelector('#conversations button')?.getAttribute('data-group') === group,
      { timeout: 15_000 },
      seeded.long,
    );
    await page.close();
  });

  it('can be used from the keyboard alone', async () => {
    const page = await open(browser, ui.url);
    await page.focus('#users button');
    const users = await page.$$eval('#users button', (nodes) => nodes.map((node) => node.getAttribute('data-uuid')));
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForFunction((uuid) => document.querySelector('#users [aria-current="true"]')?.getAttribute('data-uuid') === uuid, {}, users[1]);
    await page.waitForSelector('#conversations button');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.closest('ul')?.id)).toBe('conversations');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#messages li');
    await page.close();
  });

  it('takes the screenshots of docs/ui.md, light and dark (written there with CRUDDUR_SCREENSHOTS=1)', async () => {
    const page = await open(browser, ui.url, `#user=${andrew.uuid}&group=${seeded.recent}`);
    await page.waitForSelector('#messages li');
    await page.setViewport({ width: 1280, height: 1000 });
    await page.click('#conversations-raw summary');
    const write = process.env.CRUDDUR_SCREENSHOTS === '1';
    if (write) mkdirSync(SCREENSHOTS, { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      // Dark really is dark: the page follows the system's colour scheme.
      expect(background).toBe(scheme === 'dark' ? 'rgb(22, 24, 28)' : 'rgb(253, 253, 251)');
      const png = await page.screenshot({ type: 'png', ...(write ? { path: join(SCREENSHOTS, `ui-${scheme}.png`) } : {}) });
      expect(png.byteLength).toBeGreaterThan(10_000);
    }
    await page.close();
  });

  it('answers bad requests with one JSON error, and only to pages of this machine', async () => {
    const badCursor = await fetch(`${ui.url}api/users/${andrew.uuid}/conversations?cursor=not-a-cursor`);
    expect(badCursor.status).toBe(400);
    expect(await badCursor.json()).toMatchObject({ code: 'http.bad_cursor' });
    // A cursor of another conversation is refused rather than read.
    const first = (await fetch(`${ui.url}api/conversations/${seeded.long}/messages`).then((response) => response.json())) as { cursor: string };
    expect(first).toMatchObject({ cursor: expect.any(String), query: { Limit: 40 } });
    const elsewhere = await fetch(`${ui.url}api/conversations/${seeded.recent}/messages?cursor=${first.cursor}`);
    expect(elsewhere.status).toBe(400);
    expect((await fetch(`${ui.url}api/nope`)).status).toBe(404);
    expect((await fetch(`${ui.url}package.json`)).status).toBe(404);
    const foreign = await new Promise<number | undefined>((resolve, reject) =>
      get(ui.url, { headers: { host: 'attacker.example' } }, (response) => resolve(response.statusCode)).on('error', reject),
    );
    expect(foreign).toBe(403);
  });

  it('stops on Ctrl-C, and refuses a taken port in one line', async () => {
    const port = Number(new URL(ui.url).port);
    const taken = await run(['ui', '--table', seeded.table, '--port', String(port)]);
    // A taken port is the job failing, not a wrong command line: exit 1, as for `local`.
    expect(taken.code).toBe(1);
    expect(oneLineError(taken)).toMatch(new RegExp(`^error\\[ui.port_taken\\]: Port ${port} on 127.0.0.1 is taken`));
    const other = await startUi(['--table', seeded.table, '--stream', 'off']);
    expect(await fetch(`${other.url}api/info`).then((response) => response.json())).toMatchObject({ env: 'local', readOnly: false, stream: 'off' });
    expect(await other.stop()).toBe(0);
    expect(other.stderr()).toContain('Stopped.');
    await expect(fetch(other.url)).rejects.toThrow();
  });
});

describeWith(CHROMIUM, 'chromium')('cruddur-ddb ui with PostgreSQL, and in prod', () => {
  let browser: Browser;
  let seeded: Awaited<ReturnType<typeof seedTable>>;

  beforeAll(async () => {
    seeded = await seedTable();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('lists the users of public.users, and says so when one has no conversations', async () => {
    const url = await freshDatabase();
    for (const user of [andrew, bayko, londo, garak, quark])
      await query(url, `INSERT INTO public.users (uuid, display_name, handle, email, cognito_user_id) VALUES ($1, $2, $3, $4, 'x')`, [
        user.uuid,
        user.displayName,
        user.handle,
        `${user.handle}@example.com`,
      ]);
    const ui = await startUi(['--table', seeded.table, '--stream', 'off'], { CONNECTION_URL: url });
    try {
      const page = await open(browser, ui.url);
      expect(await texts(page, '#users button')).toEqual([
        'Andrew Brown (@andrewbrown)',
        'Andrew Bayko (@bayko)',
        'Elim Garak (@garak)',
        'Londo Mollari (@londo)',
        'Quark (@quark)',
      ]);
      await page.click(`#users button[data-uuid="${quark.uuid}"]`);
      await page.waitForFunction(() => document.querySelector('#conversations-status')?.textContent === '@quark has no conversations.');
      expect(await page.$$('#conversations button')).toHaveLength(0);
      // With PostgreSQL, handles and the sender's names come from public.users: quark, who has no conversation
      // (so no group item names him), opens by handle and starts one.
      await page.type('#find-handle', 'quark');
      await page.click('#find-user button');
      await page.waitForFunction(() => document.querySelector('#find-status')?.textContent === '@quark: found in PostgreSQL public.users.');
      await page.type('#start-handle', 'bayko');
      await page.type('#start-text', 'Lobes for sale.');
      await page.click('#start button[type="submit"]');
      await page.waitForFunction(() => document.querySelector('#messages li p')?.textContent === 'Lobes for sale.');
      expect(await page.$eval('#messages li strong', (node) => node.textContent)).toBe('Quark (@quark)');
      expect(await page.$eval('#start-status', (node) => node.textContent)).toBe('Started a conversation with @bayko.');
    } finally {
      await ui.stop();
    }
  });

  it('--stream watch follows a stream applied elsewhere: `send`, then `stream --once` in other processes, and the page moves', async () => {
    const ui = await startUi(['--table', seeded.table, '--stream', 'watch']);
    try {
      const page = await open(browser, ui.url, `#user=${andrew.uuid}`);
      await page.waitForSelector('#conversations button');
      // Nothing applied the stream yet: the group items are where the conversations began.
      expect(await groupsShown(page)).toEqual([seeded.recent, seeded.long, seeded.old]);
      expect((await spawnCli(['send', '--table', seeded.table, '--from', garak.uuid, '--to', andrew.uuid, 'Fitting at noon.'])).code).toBe(0);
      const checkpoints = mkdtempSync(join(tmpdir(), 'cruddur-ui-test-'));
      expect((await run(['stream', '--once', '--table', seeded.table, '--checkpoint-dir', checkpoints])).code).toBe(0);
      await page.waitForFunction(
        (group) => document.querySelector('#conversations button')?.getAttribute('data-group') === group,
        { timeout: 15_000 },
        seeded.old,
      );
      expect((await texts(page, '#conversations .preview'))[0]).toBe('Fitting at noon.');
    } finally {
      await ui.stop();
    }
  });

  it('reads a table without a stream, saying the page will not move by itself; --stream apply on it is an error', async () => {
    const table = tableName('ui-nostream');
    const { StreamSpecification: _none, ...input } = messagesTableInput(table);
    await client.send(new CreateTableCommand(input));
    const ui = await startUi(['--table', table]);
    try {
      expect(await fetch(`${ui.url}api/info`).then((response) => response.json())).toMatchObject({ stream: 'off' });
      expect(ui.stderr()).toMatch(/has no stream enabled: the page will not move by itself/);
    } finally {
      await ui.stop();
    }
    const asked = await run(['ui', '--port', '0', '--table', table, '--stream', 'apply']);
    expect(asked.code).toBe(1);
    expect(oneLineError(asked)).toMatch(/^error\[stream\.disabled\]: .*has no stream enabled/);
  });

  it('prod is read-only: a banner names the account and region, there is no send box, and the send route refuses', async () => {
    const prod = { AWS_ACCESS_KEY_ID: 'cruddurlocal', AWS_SECRET_ACCESS_KEY: 'cruddurlocal', AWS_REGION: 'eu-west-2' };
    const ui = await startUi(['--env', 'prod', '--endpoint-url', dynamoUrl(), '--table', seeded.table], prod, false);
    try {
      const page = await open(browser, ui.url, `#user=${andrew.uuid}&group=${seeded.recent}`);
      await page.waitForSelector('#messages li');
      const banner = await page.$eval('#prod-banner', (node) => ({ text: node.textContent, hidden: node.hasAttribute('hidden') }));
      expect(banner.hidden).toBe(false);
      expect(banner.text).toMatch(/^PROD, read-only: account 000000000000, region eu-west-2, table ui-/);
      expect(await page.$('#send')).toBeNull();
      const refused = await fetch(`${ui.url}api/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: andrew.uuid, to: londo.uuid, text: 'no' }),
      });
      expect(refused.status).toBe(403);
      // Nor can it start a conversation.
      expect(await page.$('#start')).toBeNull();
      const starting = await fetch(`${ui.url}api/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: andrew.uuid, to: 'quark', text: 'no' }),
      });
      expect(starting.status).toBe(403);
      expect(await fetch(`${ui.url}api/info`).then((response) => response.json())).toMatchObject({
        env: 'prod',
        readOnly: true,
        stream: 'watched (moved elsewhere)',
      });
    } finally {
      await ui.stop();
    }
    // Prod only when asked for by name: CRUDDUR_ENV=prod is not enough for the page.
    const implicit = await run(['ui', '--port', '0', '--table', seeded.table], { env: { ...prod, CRUDDUR_ENV: 'prod' } });
    expect(implicit.code).toBe(2);
    expect(oneLineError(implicit)).toMatch(/^error\[ui\.prod_implicit\]: .*explicit --env prod/);
    const applying = await run(['ui', '--port', '0', '--env', 'prod', '--stream', 'apply', '--table', seeded.table], { env: prod });
    expect(applying.code).toBe(2);
    expect(oneLineError(applying)).toMatch(/^error\[ui\.read_only\]: .*read-only in prod/);
  });
});
