/**
 * The baselines `seed.bench.mjs` compares `cruddur-ddb seed --synthetic N` with, each run as its own
 * process (like the CLI, so node and SDK start-up count the same for all):
 *
 *   node bench/seed-writers.mjs put   <endpoint> <table> <n>           one PutItem per item, in sequence (the old script)
 *   node bench/seed-writers.mjs batch <endpoint> <table> <n> <conc>   a bare BatchWriteItem loop, <conc> requests in flight
 *
 * The items are the ones `seed --synthetic n` writes (same generator), so every writer does the same work.
 */
import { BatchWriteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { syntheticItems } from '../dist/seed/synthetic.js';

const [mode, endpoint, table, n, conc] = process.argv.slice(2);
const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'cruddurlocal', secretAccessKey: 'cruddurlocal' } });
const items = [...syntheticItems(Number(n), 'cruddur')];

if (mode === 'put') {
  for (const Item of items) await client.send(new PutItemCommand({ TableName: table, Item }));
} else {
  let next = 0;
  let unprocessed = 0;
  const worker = async () => {
    while (next < items.length) {
      const chunk = items.slice(next, next + 25);
      next += 25;
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: chunk.map((Item) => ({ PutRequest: { Item } })) } }));
      unprocessed += out.UnprocessedItems?.[table]?.length ?? 0;
    }
  };
  await Promise.all(Array.from({ length: Number(conc) }, worker));
  if (unprocessed) console.error(`${unprocessed} unprocessed`);
}
process.stdout.write(`${items.length}\n`);
client.destroy();
