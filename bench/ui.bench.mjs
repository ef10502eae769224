/**
 * `cruddur-ddb ui` in Debian's Chromium:
 * (1) send to page: from starting `cruddur-ddb send` (its own process) to the page showing that
 *     conversation on top (the page's server applies the stream and tells the page over SSE), median of 20.
 *     Baseline, same run: the `send` process alone, start to exit; the difference is what the stream,
 *     SSE and the page add.
 * (2) first render of a user's conversations with 100,000 conversations, against a user with 10 in the
 *     same table (baseline): paging means the size of the list must not matter (goal: within 1.2x).
 * Sizes for a smoke run: CRUDDUR_BENCH_UI_BIG (conversations of the busy user), CRUDDUR_BENCH_UI_SENDS,
 * CRUDDUR_BENCH_UI_RENDERS.
 */
/* global document -- the waitForFunction callback runs in the page */
import { BatchWriteItemCommand, CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import puppeteer from 'puppeteer-core';
import { CLI, fmt, localClient, localEnv, report, startDynamo, verdict } from './lib.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const SENDS = Number(process.env.CRUDDUR_BENCH_UI_SENDS ?? 20);
const RENDERS = Number(process.env.CRUDDUR_BENCH_UI_RENDERS ?? 10);
const BIG = Number(process.env.CRUDDUR_BENCH_UI_BIG ?? 100_000);
const RENDER_GOAL = 1.2;
const SMALL = 10;
const user = (n, name) => ({ uuid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, displayName: name, handle: name.toLowerCase() });
const mid = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function startUi(env, args) {
  const child = spawn(process.execPath, [CLI, 'ui', '--port', '0', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const url = /^(http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(stdout)?.[1];
      if (url) resolve({ url, stop: () => new Promise((done) => (child.once('exit', done), child.kill('SIGINT'))) });
    });
    child.once('exit', (code) => reject(new Error(`ui exited ${code}: ${stderr}`)));
  });
}

function timedSend(env, args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, 'send', ...args], { env, stdio: 'ignore' });
    child.once('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`send exited ${code}`))));
  });
}

async function writeAll(client, table, items) {
  const batches = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  const next = async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length) {
        const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
        requests = out.UnprocessedItems?.[table] ?? [];
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, next));
}

async function sendToPage(browser, env, patterns, client) {
  const table = `ui-live-${Date.now()}`;
  await client.send(new CreateTableCommand(patterns.messagesTableInput(table)));
  const me = user(1, 'Reader');
  const others = Array.from({ length: 5 }, (_, i) => user(100 + i, `Friend${i}`));
  const groups = [];
  for (const [i, other] of others.entries())
    groups.push(
      (
        await patterns.createMessageGroup(client, table, {
          sender: other,
          recipient: me,
          message: 'hello',
          createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
        })
      ).message_group_uuid,
    );
  const ui = await startUi(env, ['--table', table, '--checkpoint-dir', mkdtempSync(join(tmpdir(), 'cruddur-bench-ui-'))]);
  const page = await browser.newPage();
  await page.goto(`${ui.url}#user=${me.uuid}`);
  await page.waitForSelector('#conversations button');
  const total = [];
  const alone = [];
  for (let round = 0; round <= SENDS; round++) {
    const bottom = await page.$eval('#conversations li:last-child button', (node) => node.getAttribute('data-group'));
    const other = others[groups.indexOf(bottom)];
    const started = performance.now();
    const onTop = page.waitForFunction(
      (group) => document.querySelector('#conversations button')?.getAttribute('data-group') === group,
      { polling: 'mutation', timeout: 30_000 },
      bottom,
    );
    const sendMs = await timedSend(env, ['--table', table, '--from', other.uuid, '--to', me.uuid, `round ${round}`]);
    await onTop;
    // Round 0 warms the JIT, the page and DynamoDB Local's stream; it is not counted.
    if (round > 0) {
      total.push(performance.now() - started);
      alone.push(sendMs);
    }
  }
  await page.close();
  await ui.stop();
  const added = total.map((t, i) => t - alone[i]);
  return { total: mid(total), alone: mid(alone), added: mid(added), worst: Math.max(...added) };
}

async function firstRender(browser, env, patterns, client) {
  const table = `ui-big-${Date.now()}`;
  await client.send(new CreateTableCommand(patterns.messagesTableInput(table)));
  const big = user(2, 'Busy');
  const small = user(3, 'Quiet');
  const item = (owner, i) =>
    patterns.groupItem({
      owner,
      other: user(10_000 + i, `Other${i}`),
      messageGroupUuid: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      message: `last message ${i}`,
      sk: patterns.skTime(new Date(Date.UTC(2026, 0, 1) + i * 60_000)),
    });
  const started = performance.now();
  await writeAll(client, table, [...Array.from({ length: BIG }, (_, i) => item(big, i)), ...Array.from({ length: SMALL }, (_, i) => item(small, BIG + i))]);
  console.log(`wrote ${BIG + SMALL} group items in ${fmt((performance.now() - started) / 1000, 1)} s`);
  const ui = await startUi(env, ['--table', table, '--stream', 'off']);
  const times = { [big.uuid]: [], [small.uuid]: [] };
  for (let round = 0; round <= RENDERS; round++) {
    // Alternate which goes first, so neither always gets the warmer server.
    for (const who of round % 2 ? [big, small] : [small, big]) {
      const page = await browser.newPage();
      const begin = performance.now();
      await page.goto(`${ui.url}#user=${who.uuid}`);
      await page.waitForSelector('#conversations button');
      if (round > 0) times[who.uuid].push(performance.now() - begin);
      await page.close();
    }
  }
  await ui.stop();
  return { big: mid(times[big.uuid]), small: mid(times[small.uuid]) };
}

export async function run() {
  const dynamo = await startDynamo();
  const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const client = localClient(dynamo.url);
  const patterns = await import('../dist/patterns/index.js');
  const env = localEnv(dynamo.url);
  try {
    const send = await sendToPage(browser, env, patterns, client);
    const render = await firstRender(browser, env, patterns, client);
    const { added } = send;
    report(
      `ui: from \`cruddur-ddb send\` to the page showing the conversation on top (median of ${SENDS})`,
      [
        { run: '`send` process alone, start to exit (baseline)', ms: fmt(send.alone, 0) },
        { run: 'start of `send` to the conversation on top in the page', ms: fmt(send.total, 0) },
        { run: 'after `send` exits: stream + SSE + page (median of the rounds; worst round)', ms: `${fmt(added, 0)}; ${fmt(send.worst, 0)}` },
      ],
      [
        `Goal: on top within a second of the send: ${fmt(added, 0)} ms after \`send\` exits (${fmt(send.total / send.alone)}x the send alone), ${verdict(added < 1000)}. The page's server polls the stream every 250 ms (as Lambda does, about four times a second).`,
      ],
    );
    report(
      `ui: first render of a user's conversations (median of ${RENDERS}, page load to first row)`,
      [
        { user: `${SMALL} conversations (baseline)`, ms: fmt(render.small, 0) },
        { user: `${BIG.toLocaleString('en')} conversations`, ms: fmt(render.big, 0) },
      ],
      [
        `Goal: the list's size does not matter (<= ${RENDER_GOAL}x the baseline): ${fmt(render.big / render.small)}x, ${verdict(render.big / render.small <= RENDER_GOAL)}. One page of 50 is read; older pages load on demand.`,
      ],
    );
  } finally {
    await browser.close();
    client.destroy();
    await dynamo.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
