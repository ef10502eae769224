/**
 * The messaging-stream handler (processRecords) against the real DynamoDB Local, fed the Lambda-shaped
 * batch in tests/fixtures/stream-batch.json. Middleware stands in only for what DynamoDB Local cannot
 * produce on demand: a failing transaction, and a concurrent mover landing between our read and write.
 */
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { groupItemPair, plainItem, type PlainItem } from '../src/patterns/index.js';
import { moveGroupItemsInput } from '../src/patterns/move-group.js';
import { latestPerConversation, processRecords } from '../src/patterns/stream.js';
import { createMessagesTable, testClient } from './helpers/cli.js';
import { A, andrew, B, bayko, both, event, groups, sequence, START, START_B, t, tableWithGroups } from './helpers/stream.js';

/** A client whose TransactWriteItems calls pass through `intercept` first. */
function interceptedClient(intercept: (input: { TransactItems?: unknown[] }) => Promise<void>): DynamoDBClient {
  const client = testClient();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand') await intercept(args.input as { TransactItems?: unknown[] });
      return next(args);
    },
    { step: 'initialize', name: 'intercept-transactions' },
  );
  return client;
}

describe('latestPerConversation (pure)', () => {
  it('keeps the latest message per conversation and only INSERTs of MSG# items', () => {
    const { updates, messages, unusable } = latestPerConversation(event.Records);
    expect(messages).toBe(4);
    expect(unusable).toBe(0);
    expect(updates).toEqual([
      expect.objectContaining({
        messageGroupUuid: A,
        sk: t('03.500000'),
        message: 'third, the latest of A',
        sequenceNumbers: [sequence(0), sequence(1), sequence(2)],
      }),
      expect.objectContaining({ messageGroupUuid: B, sk: t('05.123456'), message: 'the only message of B', sequenceNumbers: [sequence(3)] }),
    ]);
  });

  it('skips an INSERT without a new image, saying why', () => {
    const lines: string[] = [];
    const keysOnly = structuredClone(event.Records[0]!);
    delete keysOnly.dynamodb!.NewImage;
    keysOnly.dynamodb!.StreamViewType = 'KEYS_ONLY';
    const result = latestPerConversation([keysOnly], (line) => lines.push(line));
    expect(result.updates).toEqual([]);
    expect(result.unusable).toBe(1);
    expect(lines[0]).toMatch(/no NewImage .*KEYS_ONLY/);
  });

  it('never builds a move backwards, and moves only the newest item of an owner the GSI shows twice', () => {
    const [a, b] = groupItemPair(andrew, bayko, { messageGroupUuid: A, message: 'm', sk: t('05.000000') }).map(plainItem);
    expect(moveGroupItemsInput('x', [a!, b!], { sk: t('04.000000'), message: 'older' })).toBeUndefined();
    expect(moveGroupItemsInput('x', [a!, b!], { sk: t('05.000000'), message: 'same' })).toBeUndefined();
    const stale: PlainItem = { ...a!, sk: t('01.000000') };
    const input = moveGroupItemsInput('x', [stale, a!, b!], { sk: t('06.000000'), message: 'new' });
    expect(input?.TransactItems).toHaveLength(4);
    expect(input?.TransactItems?.[0]?.Delete).toMatchObject({ Key: { pk: a!.pk, sk: t('05.000000') }, ConditionExpression: 'attribute_exists(pk)' });
    expect(input?.TransactItems?.[1]?.Put).toMatchObject({
      Item: { ...a!, sk: t('06.000000'), message: 'new' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });
});

describe('processRecords on DynamoDB Local', () => {
  it('moves both group items of each conversation to its latest message, one transaction per conversation', async () => {
    let transactions = 0;
    const client = interceptedClient(async () => void transactions++);
    const table = await tableWithGroups(client);
    const result = await processRecords(event.Records, { client, table });
    expect(result).toEqual({
      batchItemFailures: [],
      records: 7,
      messages: 4,
      conversations: 2,
      moved: 2,
      unchanged: 0,
      older: 0,
      distrusted: 0,
      missing: 0,
      failed: 0,
      unusable: 0,
    });
    expect(transactions).toBe(2);
    expect(await groups(client, table, A)).toEqual(both(t('03.500000'), 'third, the latest of A'));
    expect(await groups(client, table, B)).toEqual(both(t('05.123456'), 'the only message of B'));
    // Moved, not copied: the old keys are gone, the other attributes came along.
    const { Items = [] } = await client.send(new ScanCommand({ TableName: table }));
    expect(Items).toHaveLength(4);
    expect(Items.find((item) => item.pk!.S === `GRP#${andrew.uuid}` && item.message_group_uuid!.S === A)).toMatchObject({
      user_uuid: { S: bayko.uuid },
      user_handle: { S: 'bayko' },
      user_display_name: { S: 'Andrew Bayko' },
    });
  });

  it('changes nothing when the batch is delivered again, or a late record arrives', async () => {
    const client = testClient();
    const table = await tableWithGroups(client);
    await processRecords(event.Records, { client, table });
    const again = await processRecords(event.Records, { client, table });
    expect(again).toMatchObject({ batchItemFailures: [], moved: 0, unchanged: 2 });
    const late = await processRecords([event.Records[0]!, event.Records[2]!], { client, table });
    // Counted as kept because the message is older, not folded into "unchanged".
    expect(late).toMatchObject({ batchItemFailures: [], conversations: 1, moved: 0, unchanged: 0, older: 1 });
    expect(await groups(client, table, A)).toEqual(both(t('03.500000'), 'third, the latest of A'));
  });

  it('ignores MODIFY, REMOVE and GRP# inserts entirely', async () => {
    const client = testClient();
    const table = await tableWithGroups(client);
    const ignored = event.Records.slice(4);
    expect(ignored.map((record) => record.eventName)).toEqual(['MODIFY', 'REMOVE', 'INSERT']);
    expect(await processRecords(ignored, { client, table })).toEqual({
      batchItemFailures: [],
      records: 3,
      messages: 0,
      conversations: 0,
      moved: 0,
      unchanged: 0,
      older: 0,
      distrusted: 0,
      missing: 0,
      failed: 0,
      unusable: 0,
    });
    expect(await groups(client, table, A)).toEqual(both(START, 'hello'));
  });

  it('reports every record of a failed conversation and still moves the other', async () => {
    const client = interceptedClient(async (input) => {
      if (JSON.stringify(input).includes(B)) throw Object.assign(new Error('injected failure'), { name: 'InternalServerError' });
    });
    const table = await tableWithGroups(client);
    const lines: string[] = [];
    const result = await processRecords(event.Records, { client, table, log: (line) => lines.push(line) });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: sequence(3) }]);
    expect(result).toMatchObject({ moved: 1, failed: 1 });
    expect(lines.join('\n')).toMatch(new RegExp(`conversation ${B} failed: InternalServerError: injected failure`));
    expect(await groups(client, table, A)).toEqual(both(t('03.500000'), 'third, the latest of A'));
    expect(await groups(client, table, B)).toEqual(both(START_B, 'hello'));
  });

  it('reports all of a conversation’s records when it fails', async () => {
    const client = interceptedClient(async (input) => {
      if (JSON.stringify(input).includes(A)) throw new Error('injected failure');
    });
    const table = await tableWithGroups(client);
    const result = await processRecords(event.Records, { client, table });
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([sequence(0), sequence(1), sequence(2)].sort());
  });

  /** A mover that, before our first transaction, moves conversation A itself to `sk` (a real, conflicting write). */
  function racingClient(table: () => string, sk: string): { client: DynamoDBClient; raced: () => number } {
    let raced = 0;
    const plain = testClient();
    const client = interceptedClient(async () => {
      if (raced++ > 0) return;
      const [andrewsItem, baykosItem] = groupItemPair(andrew, bayko, { messageGroupUuid: A, message: 'raced', sk }).map(plainItem);
      const input = moveGroupItemsInput(
        table(),
        [
          { ...andrewsItem!, sk: START },
          { ...baykosItem!, sk: START },
        ],
        { sk, message: 'raced' },
      );
      await DynamoDBDocumentClient.from(plain).send(new TransactWriteCommand(input!));
    });
    return { client, raced: () => raced };
  }

  it('re-reads and retries when a concurrent move to an older time wins the race', async () => {
    let table = '';
    const { client, raced } = racingClient(() => table, t('02.500000'));
    table = await tableWithGroups(client);
    const result = await processRecords([event.Records[1]!], { client, table });
    expect(raced()).toBe(2); // the first transaction was cancelled (ConditionalCheckFailed), the second went through
    expect(result).toMatchObject({ batchItemFailures: [], moved: 1 });
    expect(await groups(client, table, A)).toEqual(both(t('03.500000'), 'third, the latest of A'));
  });

  it('leaves a concurrent move to a newer time alone', async () => {
    let table = '';
    const { client, raced } = racingClient(() => table, t('04.000000'));
    table = await tableWithGroups(client);
    const result = await processRecords([event.Records[1]!], { client, table });
    expect(raced()).toBe(1);
    expect(result).toMatchObject({ batchItemFailures: [], moved: 0, older: 1 });
    expect(await groups(client, table, A)).toEqual(both(t('04.000000'), 'raced'));
  });

  it('counts a conversation with no group items as missing, not failed', async () => {
    const client = testClient();
    const table = await createMessagesTable('stream');
    expect(await processRecords(event.Records, { client, table })).toMatchObject({ batchItemFailures: [], missing: 2, failed: 0 });
  });
});
