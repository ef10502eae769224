/**
 * What a new user tripped on in `cruddur-ddb ui` (issue 21, "The page"), each seen in Debian's Chromium
 * against DynamoDB Local: the send box shown with nothing picked, state left from the previous user,
 * "Live." after the stream stopped, errors in plain grey, an empty table with no way forward, control
 * characters as boxes, two processes applying one checkpoint, a "More users" that adds nobody, and what
 * the last issue left: opening a user by handle without PostgreSQL and starting a conversation.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchWriteItemCommand, DescribeTableCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { visible } from '../src/core/safe-text.js';
import { createMessage, createMessageGroup, groupItem, skTime, type Item, type Participant } from '../src/patterns/index.js';
import { checkpointPath } from '../src/stream/checkpoint.js';
import { CLI, cleanEnv, createMessagesTable, oneLineError, run, testClient } from './helpers/cli.js';
import { launchChromium, startUi, type UiProcess } from './helpers/ui.js';

const client = testClient();
const person = (n: number, displayName: string, handle: string): Participant => ({ uuid: `5e1c2d3e-0000-4000-8000-00000000000${n}`, displayName, handle });
const andrew = person(1, 'Andrew Brown', 'andrewbrown');
const bayko = person(2, 'Andrew Bayko', 'bayko');
const londo = person(3, 'Londo Mollari', 'londo');
const garak = person(4, 'Elim Garak', 'garak');
const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 9, minute)).toISOString();
/** ESC sequences (colour, window title), a bell and a right-to-left override, as the CLI escapes them. */
const HOSTILE = 'red \u001b[31malert\u001b[0m, title \u001b]0;pwned\u0007 and \u202eevil';

async function seedTable(): Promise<{ table: string; long: string; recent: string }> {
  const table = await createMessagesTable('uipage');
  const long = (await createMessageGroup(client, table, { sender: andrew, recipient: bayko, message: 'plan 00', createdAt: at(0) })).message_group_uuid;
  for (let i = 1; i < 45; i++)
    await createMessage(client, table, { messageGroupUuid: long, sender: i % 2 ? bayko : andrew, message: `plan ${i}`, createdAt: at(i) });
  const recent = (await createMessageGroup(client, table, { sender: londo, recipient: andrew, message: HOSTILE, createdAt: at(50) })).message_group_uuid;
  return { table, long, recent };
}

async function open(browser: Browser, url: string, hash = ''): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(url + hash);
  await page.waitForSelector('body[data-ready]');
  return page;
}

const text = (page: Page, selector: string) => page.$eval(selector, (node) => node.textContent ?? '');
/** Whether the element takes space on the page (hidden, or display: none up the tree, does not). */
const shownOnPage = (page: Page, selector: string) => page.$eval(selector, (node) => (node as unknown as { offsetParent: unknown }).offsetParent !== null);

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare function getComputedStyle(element: unknown, pseudo?: string): { color: string; display: string; content: string };
/* eslint-enable @typescript-eslint/no-explicit-any */

const statusOf = (page: Page, selector: string) =>
  page.$eval(selector, (node) => ({
    text: node.textContent ?? '',
    role: node.getAttribute('role'),
    error: node.classList.contains('error'),
    color: getComputedStyle(node).color,
  }));

describe('the page, as a new user meets it', () => {
  let browser: Browser;
  let seeded: Awaited<ReturnType<typeof seedTable>>;
  let ui: UiProcess;

  beforeAll(async () => {
    seeded = await seedTable();
    ui = await startUi(['--table', seeded.table, '--checkpoint-dir', mkdtempSync(join(tmpdir(), 'cruddur-uipage-'))]);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('shows no send box until a conversation is picked, and a send that cannot go says why', async () => {
    const page = await open(browser, ui.url, `#user=${andrew.uuid}`);
    await page.waitForSelector('#conversations button');
    // `form { display: grid }` used to beat the hidden attribute.
    expect(await page.$eval('#send', (node) => getComputedStyle(node).display)).toBe('none');
    expect(await shownOnPage(page, '#send-text')).toBe(false);
    await page.click(`#conversations button[data-group="${seeded.long}"]`);
    await page.waitForSelector('#messages li');
    expect(await shownOnPage(page, '#send-text')).toBe(true);
    await page.click('#send button[type="submit"]');
    const said = await statusOf(page, '#send-status');
    expect(said).toMatchObject({ text: 'Write a message first.', role: 'alert', error: true });
    await page.close();
  });

  it('switching user leaves nothing of the previous conversation: label, Older messages, item count, send box', async () => {
    const page = await open(browser, ui.url, `#user=${andrew.uuid}&group=${seeded.long}`);
    await page.waitForSelector('#messages li');
    expect(await text(page, '#send-label')).toBe('Message as @andrewbrown to @bayko');
    expect(await shownOnPage(page, '#messages-more')).toBe(true);
    expect(await text(page, '#messages-raw summary')).toBe('Items and query: 40 message items');
    await page.click(`#users button[data-uuid="${londo.uuid}"]`);
    await page.waitForFunction(() => document.querySelector('#conversations-status')?.textContent === '@londo: 1 conversations.');
    expect(await shownOnPage(page, '#messages-more')).toBe(false);
    expect(await shownOnPage(page, '#send')).toBe(false);
    expect(await text(page, '#send-label')).not.toContain('@andrewbrown');
    expect(await text(page, '#messages-raw summary')).toBe('Items and query');
    expect(await page.$$('#messages li')).toHaveLength(0);
    expect(await text(page, '#messages-status')).toBe('Pick a conversation.');
    await page.close();
  });

  it('shows errors as errors: marked, coloured apart from ordinary text, and announced', async () => {
    const page = await open(browser, ui.url, '#user=not%20a%20uuid');
    await page.waitForFunction(() => document.querySelector('#conversations-status')?.textContent.startsWith('Could not read'));
    const error = await statusOf(page, '#conversations-status');
    expect(error).toMatchObject({ role: 'alert', error: true });
    expect(error.text).toContain('Not a user uuid');
    const ordinary = await statusOf(page, '#messages-status');
    expect(ordinary).toMatchObject({ role: 'status', error: false });
    expect(error.color).not.toBe(ordinary.color);
    // The marker says "error" without colour.
    expect(await page.$eval('#conversations-status', (node) => getComputedStyle(node, '::before').content)).toContain('⚠');
    await page.close();
  });

  it('shows control characters as the CLI does (\\x1b), in the list and in the conversation', async () => {
    const page = await open(browser, ui.url, `#user=${andrew.uuid}&group=${seeded.recent}`);
    await page.waitForSelector('#messages li');
    const expected = visible(HOSTILE, true);
    expect(expected).toContain('\\x1b[31malert');
    expect(await text(page, `#conversations button[data-group="${seeded.recent}"] .preview`)).toBe(expected);
    expect(await text(page, '#messages li p')).toBe(expected);
    await page.close();
  });

  it('opens a user by handle without PostgreSQL, from the group items that name them', async () => {
    const page = await open(browser, ui.url);
    await page.type('#find-handle', `@${garak.handle}`);
    await page.click('#find-user button');
    // garak has no conversation yet: nobody names him.
    await page.waitForFunction(() => document.querySelector('#find-status')?.classList.contains('error'));
    expect(await text(page, '#find-status')).toMatch(/No group item names @garak/);
    await page.$eval('#find-handle', (node) => ((node as { value: string }).value = ''));
    await page.type('#find-handle', 'londo');
    await page.click('#find-user button');
    await page.waitForFunction((uuid) => document.querySelector('#users [aria-current="true"]')?.getAttribute('data-uuid') === uuid, {}, londo.uuid);
    await page.waitForFunction(() => document.querySelector('#conversations-status')?.textContent === '@londo: 1 conversations.');
    expect(await text(page, '#find-status')).toMatch(/^@londo: named on a group item/);
    expect(page.url()).toContain(`user=${londo.uuid}`);
    // The address can name a handle too.
    const byAddress = await open(browser, ui.url, '#handle=bayko');
    await byAddress.waitForFunction(() => document.querySelector('#conversations-status')?.textContent === '@bayko: 1 conversations.');
    await page.close();
    await byAddress.close();
  });

  it('starts a new conversation from the page (local), through the same library send as `cruddur-ddb send`', async () => {
    const page = await open(browser, ui.url, `#user=${bayko.uuid}`);
    await page.waitForSelector('#conversations button');
    expect(await text(page, '#start-label')).toBe('New conversation as @bayko, with');
    await page.type('#start-handle', '@londo');
    await page.type('#start-text', 'Shall we climb on Sunday?');
    await page.click('#start button[type="submit"]');
    await page.waitForFunction(() => document.querySelector('#messages li p')?.textContent === 'Shall we climb on Sunday?');
    expect(await text(page, '#start-status')).toBe('Started a conversation with @londo.');
    expect(await page.$$('#conversations button')).toHaveLength(2);
    // Both group items are there: londo's list has it too, naming bayko.
    const theirs = (await fetch(`${ui.url}api/users/${londo.uuid}/conversations`).then((response) => response.json())) as { items: Array<{ handle: string }> };
    expect(theirs.items.map((group) => group.handle).sort()).toEqual(['andrewbrown', 'bayko']);
    // An unknown handle is an error, in words.
    await page.type('#start-handle', 'nobody');
    await page.type('#start-text', 'hello?');
    await page.click('#start button[type="submit"]');
    await page.waitForFunction(() => document.querySelector('#start-status')?.classList.contains('error'));
    expect(await text(page, '#start-status')).toMatch(/^Not sent: No group item names @nobody/);
    await page.close();
  });
});

describe('the page beside other processes and other tables', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('an empty table says so, with the command that fills it', async () => {
    const table = await createMessagesTable('uipage-empty');
    const ui = await startUi(['--table', table, '--stream', 'off']);
    try {
      const page = await open(browser, ui.url);
      const said = await text(page, '#users-status');
      expect(said).toContain('No conversations yet');
      expect(said).toContain(`npx cruddur-ddb seed --table ${table}`);
      expect(await shownOnPage(page, '#users-more')).toBe(false);
    } finally {
      await ui.stop();
    }
  });

  it('"More users" shows only when it can add someone, and says when every user is listed', async () => {
    const table = await createMessagesTable('uipage-more');
    // 201 conversations between the same two people (the real backend can leave such duplicates): the
    // index's Scan pages of 200 name them both on the first page, and nobody new after it.
    const items: Item[] = [];
    for (let i = 0; i < 201; i++) {
      const fields = {
        messageGroupUuid: `5e2d0000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        message: 'hi',
        sk: skTime(new Date(Date.UTC(2026, 0, 1, 0, i))),
      };
      items.push(groupItem({ ...fields, owner: andrew, other: bayko }), groupItem({ ...fields, owner: bayko, other: andrew }));
    }
    for (let i = 0; i < items.length; i += 25) {
      let requests: WriteRequest[] = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      while (requests.length)
        requests = (await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }))).UnprocessedItems?.[table] ?? [];
    }
    const ui = await startUi(['--table', table, '--stream', 'off']);
    try {
      const page = await open(browser, ui.url);
      await page.waitForFunction(() => document.querySelector('#users-status')?.textContent === '2 users: all of them.', { timeout: 20_000 });
      expect(await shownOnPage(page, '#users-more')).toBe(false);
      expect(await page.$$('#users button')).toHaveLength(2);
    } finally {
      await ui.stop();
    }
  });

  it('does not say "Live." once its stream has stopped, and says why', async () => {
    const { table } = await seedTable();
    const arn = (await client.send(new DescribeTableCommand({ TableName: table }))).Table!.LatestStreamArn!;
    const checkpoints = mkdtempSync(join(tmpdir(), 'cruddur-uipage-'));
    writeFileSync(checkpointPath(checkpoints, arn), '{ not a checkpoint');
    const ui = await startUi(['--table', table, '--checkpoint-dir', checkpoints]);
    try {
      const page = await open(browser, ui.url);
      await page.waitForFunction(() => document.querySelector('#stream-state')?.textContent.includes('stopped'), { timeout: 15_000 });
      const state = await statusOf(page, '#stream-state');
      expect(state.text).not.toContain('Live.');
      expect(state.text).toMatch(/^Stream stopped: .*checkpoint .* is not valid/);
      expect(state).toMatchObject({ role: 'alert', error: true });
    } finally {
      await ui.stop();
    }
  });

  it('lets one process apply a checkpoint: `stream` first, the page watches and says why, then takes over', async () => {
    const { table } = await seedTable();
    const checkpoints = mkdtempSync(join(tmpdir(), 'cruddur-uipage-'));
    const stream = spawn(process.execPath, [CLI, 'stream', '--table', table, '--checkpoint-dir', checkpoints], { env: cleanEnv({}, true) });
    let streamErr = '';
    stream.stderr.on('data', (chunk: Buffer) => (streamErr += chunk.toString()));
    const streamExit = new Promise((resolve) => stream.once('exit', resolve));
    await expect.poll(() => streamErr, { timeout: 20_000 }).toContain('Reading the stream');
    const ui = await startUi(['--table', table, '--checkpoint-dir', checkpoints]);
    try {
      const page = await open(browser, ui.url);
      await page.waitForFunction(() => document.querySelector('#stream-state')?.textContent.includes('Live.'), { timeout: 15_000 });
      expect(await text(page, '#stream-state')).toMatch(
        new RegExp(`^Stream: watched: cruddur-ddb stream \\(pid ${stream.pid}, since [^)]+\\) applies this stream from ${checkpoints}\\. Live\\.$`),
      );
      // A second `stream --once` on the same folder is told who applies it, in one line.
      const once = await run(['stream', '--once', '--table', table, '--checkpoint-dir', checkpoints]);
      expect(once.code).toBe(1);
      expect(oneLineError(once)).toMatch(
        new RegExp(`^error\\[stream\\.locked\\]: cruddur-ddb stream \\(pid ${stream.pid}, .*already applies the stream of ${table}`),
      );
      // The stream stops: the page applies from here on.
      stream.kill('SIGINT');
      await streamExit;
      await page.waitForFunction(() => document.querySelector('#stream-state')?.textContent === 'Stream: applied here (moves conversations). Live.', {
        timeout: 15_000,
      });
      expect(ui.stderr()).toMatch(/applying the stream here from now on/);
      // And now it is the page's: `stream --once` is refused naming the page.
      const refused = await run(['stream', '--once', '--table', table, '--checkpoint-dir', checkpoints]);
      expect(oneLineError(refused)).toMatch(/^error\[stream\.locked\]: cruddur-ddb ui \(pid \d+, .*already applies/);
      await page.close();
    } finally {
      if (stream.exitCode === null) stream.kill('SIGKILL');
      await ui.stop();
    }
    // Stopped, the page leaves no lock behind: `stream --once` applies again.
    expect((await run(['stream', '--once', '--table', table, '--checkpoint-dir', checkpoints])).code).toBe(0);
  });
});
