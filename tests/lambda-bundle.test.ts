/**
 * The deployable bundle (`npm run build:lambda`): one ESM file whose `handler` runs the fixture event
 * against DynamoDB Local in a fresh Node process, configured the way Lambda configures it: the table
 * from DDB_MESSAGE_TABLE, the endpoint from the SDK's own AWS_ENDPOINT_URL_DYNAMODB.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoUrl, testClient } from './helpers/cli.js';
import { A, both, FIXTURE, groups, t, tableWithGroups } from './helpers/stream.js';
import { createMessage, type Participant } from '../src/patterns/index.js';
import type { DynamoDBStreamEvent } from '../src/patterns/stream-event.js';
import { awareNow, backendCreateMessage, backendCreateMessageGroup, insertRecord, naiveNow } from './helpers/backend.js';
import { createMessagesTable } from './helpers/cli.js';

/** Runs the bundle's handler on `event` in a fresh Node process, configured as Lambda configures it. */
function invokeBundle(table: string, eventFile: string, extraEnv: Record<string, string> = {}) {
  const script = `
    import { readFileSync } from 'node:fs';
    const { handler } = await import(${JSON.stringify(bundle)});
    const event = JSON.parse(readFileSync(${JSON.stringify(eventFile)}, 'utf8'));
    process.stdout.write('RESULT ' + JSON.stringify(await handler(event)) + '\\n');`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl(),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'cruddurlocal',
    AWS_SECRET_ACCESS_KEY: 'cruddurlocal',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    DDB_MESSAGE_TABLE: table,
    ...extraEnv,
  };
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
  return { ...child, result: /^RESULT (.*)$/m.test(child.stdout) ? JSON.parse(/^RESULT (.*)$/m.exec(child.stdout)![1]!) : undefined };
}

const writeEvent = (event: DynamoDBStreamEvent) => {
  const file = join(mkdtempSync(join(tmpdir(), 'cruddur-event-')), 'event.json');
  writeFileSync(file, JSON.stringify(event));
  return file;
};

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = `${root}dist/lambda/messaging-stream.mjs`;

beforeAll(() => {
  execFileSync(process.execPath, [`${root}scripts/build-lambda.mjs`], { stdio: 'pipe' });
});

describe('the Lambda bundle', () => {
  it('is one file exporting handler, zipped at the archive root', () => {
    expect(existsSync(bundle)).toBe(true);
    const listing = execFileSync('python3', ['-m', 'zipfile', '-l', `${root}dist/lambda/messaging-stream.zip`], { encoding: 'utf8' });
    expect(listing).toMatch(/^messaging-stream\.mjs\s/m);
  });

  it('moves the group items when Lambda calls handler(event)', async () => {
    const client = testClient();
    const table = await tableWithGroups(client);
    const script = `
      import { readFileSync } from 'node:fs';
      const { handler } = await import(${JSON.stringify(bundle)});
      const event = JSON.parse(readFileSync(${JSON.stringify(fileURLToPath(FIXTURE))}, 'utf8'));
      process.stdout.write('RESULT ' + JSON.stringify(await handler(event)) + '\\n');`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl(),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'cruddurlocal',
      AWS_SECRET_ACCESS_KEY: 'cruddurlocal',
      // Nothing else, as in Lambda: the bundle itself keeps the SDK's Node-20 warning out of the function's log.
      DDB_MESSAGE_TABLE: table,
    };
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(JSON.parse(/^RESULT (.*)$/m.exec(child.stdout)![1]!)).toEqual({ batchItemFailures: [] });
    // The summary line Lambda writes to CloudWatch Logs.
    expect(child.stdout).toContain(`"table":"${table}","records":7,"messages":4,"conversations":2,"moved":2`);
    expect(await groups(client, table, A)).toEqual(both(t('03.500000'), 'third, the latest of A'));
  });

  // The batches of tests/real-table.test.ts, given to the deployable bundle.
  const client = testClient();
  const andrew: Participant = { uuid: '9c000000-0000-4000-8000-000000000001', displayName: 'Andrew Brown', handle: 'andrewbrown' };
  const bayko: Participant = { uuid: '9c000000-0000-4000-8000-000000000002', displayName: 'Andrew Bayko', handle: 'bayko' };
  const londo: Participant = { uuid: '9c000000-0000-4000-8000-000000000003', displayName: 'Londo Mollari', handle: 'londo' };

  it('gives a group item whose key is taken the next microsecond (two conversations, one instant)', async () => {
    const table = await createMessagesTable('bundle');
    const g1 = await backendCreateMessageGroup(client, table, andrew, bayko, 'hi', awareNow(new Date('2026-11-30T10:00:00Z'), 'UTC', 1));
    const g2 = await backendCreateMessageGroup(client, table, londo, bayko, 'hi', awareNow(new Date('2026-11-30T11:00:00Z'), 'UTC', 2));
    const at = '2026-12-01T12:00:00.123Z';
    const items = [];
    for (const [group, sender] of [
      [g1, andrew],
      [g2, londo],
    ] as const) {
      const m = await createMessage(client, table, { messageGroupUuid: group, sender, message: `from ${sender.handle}`, createdAt: at });
      items.push(insertRecord({ pk: { S: `MSG#${group}` }, sk: { S: m.created_at }, message: { S: m.message } }));
    }
    const child = invokeBundle(table, writeEvent({ Records: items }));
    expect(child.stderr).toBe('');
    expect(child.result).toEqual({ batchItemFailures: [] });
    expect(child.stdout).toContain('"moved":2');
    const skOf = async (group: string) => (await groups(client, table, group))[`GRP#${bayko.uuid}`]![0];
    expect([await skOf(g1), await skOf(g2)].sort()).toEqual(['2026-12-01T12:00:00.123000+00:00', '2026-12-01T12:00:00.123001+00:00']);
  });

  for (const zone of ['America/New_York', 'Asia/Tokyo']) {
    it(`honours CRUDDUR_TIME_ZONE=${zone}: a no-offset create_message after create_message_group moves the group`, async () => {
      const table = await createMessagesTable('bundle');
      const t0 = new Date('2026-11-25T21:30:59.123Z');
      const group = await backendCreateMessageGroup(client, table, andrew, bayko, 'first', awareNow(t0, zone, 456));
      const item = await backendCreateMessage(client, table, group, bayko, 'second', naiveNow(new Date(t0.getTime() + 2000), zone, 456));
      const file = writeEvent({ Records: [insertRecord(item)] });
      // Without the setting (UTC), the no-offset time reads as hours off: kept, and the log line says so.
      if (zone === 'America/New_York') expect(invokeBundle(table, file).stdout).toContain('"moved":0,"unchanged":0,"older":1');
      const child = invokeBundle(table, file, { CRUDDUR_TIME_ZONE: zone });
      expect(child.result).toEqual({ batchItemFailures: [] });
      expect(child.stdout).toContain('"moved":1');
      expect(Object.values(await groups(client, table, group))).toEqual([
        [item.sk!.S!, 'second'],
        [item.sk!.S!, 'second'],
      ]);
    });
  }

  it('replaces a future-dated group (the bootcamp seed) with the newest real message', async () => {
    const table = await createMessagesTable('bundle');
    const now = new Date();
    const group = await backendCreateMessageGroup(client, table, andrew, bayko, 'seeded ahead', awareNow(new Date(now.getTime() + 6_000_000), 'UTC', 1));
    const item = await backendCreateMessage(client, table, group, bayko, 'real', naiveNow(now, 'UTC', 1));
    const child = invokeBundle(table, writeEvent({ Records: [insertRecord(item)] }));
    expect(child.stdout).toContain('"moved":1');
    expect(child.stdout).toContain('"distrusted":2');
  });

  it('fails loudly on a zone name the runtime does not know', async () => {
    const child = invokeBundle('whatever-table', writeEvent({ Records: [] }), { CRUDDUR_TIME_ZONE: 'Mars/Olympus' });
    expect(child.status).not.toBe(0);
    expect(child.stderr).toContain('CRUDDUR_TIME_ZONE="Mars/Olympus" is not an IANA time zone');
  });
});
