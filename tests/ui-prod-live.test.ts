/**
 * `ui --env prod`, live (issue 22, "not tried yet"): the page's server pointed at prod through the env
 * resolution (--env prod, prod-looking credentials and region, the endpoint a recording proxy in front of
 * DynamoDB Local, as the prod-guard tests do), followed while messages arrive from elsewhere. Every call it
 * makes is recorded on the wire: it must only read, whatever the page or a script asks of it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tableName } from './helpers/cli.js';
import { startForwardingProxy } from './helpers/forwarding-proxy.js';
import { startUi } from './helpers/ui.js';
import { scaled } from './helpers/time-scale.js';

const ANDREW = '5ae290ed-55d1-47a0-bc6d-fe2bc2700399';
const BAYKO = '05f8fbb5-0d69-4c0b-8f0d-3a2c3c3f7d7a';
const CONVERSATION = '6fd7060e-c610-5e79-b5f3-167bc0fa37bb';
/** The DynamoDB and DynamoDB Streams operations that change nothing. */
const READS = new Set([
  'DescribeTable',
  'DescribeTimeToLive',
  'DescribeContinuousBackups',
  'ListTables',
  'Scan',
  'Query',
  'GetItem',
  'BatchGetItem',
  'ListStreams',
  'DescribeStream',
  'GetShardIterator',
  'GetRecords',
]);

/** Reads the page's live events until one named `event` comes, or the time is up. */
async function nextEvent(url: string, event: string, whileWaiting: () => Promise<void>): Promise<string> {
  const controller = new AbortController();
  const response = await fetch(`${url}api/events`, { signal: controller.signal });
  const reader = response.body!.getReader();
  let text = '';
  const timer = setTimeout(() => controller.abort(), scaled(30_000));
  try {
    await whileWaiting();
    while (!new RegExp(`^event: ${event}$`, 'm').test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    return text;
  } catch {
    return text;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

describe('ui --env prod, live', () => {
  it('follows messages sent elsewhere and makes only read calls, whatever is asked of it', async () => {
    const table = tableName('ui-prod');
    expect((await run(['schema-load', table])).code).toBe(0);
    expect((await run(['seed', '--table', table])).code).toBe(0);
    const operations: string[] = [];
    const proxy = await startForwardingProxy({ seen: (operation) => operations.push(operation) });
    const prod = { AWS_ACCESS_KEY_ID: 'cruddurlocal', AWS_SECRET_ACCESS_KEY: 'cruddurlocal', AWS_REGION: 'eu-west-2' };
    const ui = await startUi(
      ['--env', 'prod', '--endpoint-url', proxy.url, '--table', table, '--checkpoint-dir', mkdtempSync(join(tmpdir(), 'ui-ckpt-'))],
      prod,
      false,
    );
    try {
      expect(await (await fetch(`${ui.url}api/info`)).json()).toMatchObject({ env: 'prod', readOnly: true });
      // Everything the page reads.
      for (const path of ['', 'app.js', 'api/users', `api/users/${ANDREW}/conversations`, `api/conversations/${CONVERSATION}/messages`])
        expect((await fetch(`${ui.url}${path}`)).status, path).toBeLessThan(400);
      // Every way of asking it to write: refused.
      for (const [path, body] of [
        ['api/send', { from: ANDREW, to: BAYKO, text: 'no' }],
        ['api/conversations', { from: ANDREW, to: 'bayko', text: 'no' }],
      ] as const) {
        const refused = await fetch(`${ui.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect(refused.status, path).toBe(403);
      }
      // Live: messages sent and applied elsewhere (straight to DynamoDB Local, not through the proxy) reach the page.
      const events = await nextEvent(ui.url, 'batch', async () => {
        const sent = await run(['send', '--table', table, '--from', BAYKO, '--to', ANDREW, 'seen from prod']);
        expect(sent.code, sent.stderr).toBe(0);
      });
      expect(events).toMatch(/^event: batch$/m);
      expect((await fetch(`${ui.url}api/conversations/${CONVERSATION}/messages`).then((r) => r.text())).includes('seen from prod')).toBe(true);
    } finally {
      expect(await ui.stop()).toBe(0);
      await proxy.close();
    }
    expect(operations).toContain('GetRecords');
    expect(operations.filter((operation) => !READS.has(operation))).toEqual([]);
  }, 120_000);
});
