/** The stream fixture (tests/fixtures/stream-batch.json) and the table state it applies to. */
import { BatchWriteItemCommand, CreateTableCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readFileSync } from 'node:fs';
import { groupItemPair, messagesTableInput, type Participant } from '../../src/patterns/index.js';
import type { DynamoDBStreamEvent } from '../../src/patterns/stream.js';
import { tableName } from './cli.js';

export const FIXTURE = new URL('../fixtures/stream-batch.json', import.meta.url);
export const event = JSON.parse(readFileSync(FIXTURE, 'utf8')) as DynamoDBStreamEvent;
export const A = '5ae290ed-55d1-47a0-bc6d-fe2bc2700399';
export const B = '14fa2b53-f3c0-4b5e-a8d3-7f64e0c3a9d1';
export const andrew: Participant = { uuid: '90e4a1a0-6cc9-4e0d-9b0a-3a1b3b0c6f11', displayName: 'Andrew Brown', handle: 'andrewbrown' };
export const bayko: Participant = { uuid: 'b7c9d4a2-2f5e-4d3b-8a61-0e5c1f9d2a77', displayName: 'Andrew Bayko', handle: 'bayko' };
export const START = '2026-11-25T03:00:00.000000+00:00';
/** Group items share pk GRP#<owner>, so the two conversations need different times to be two items. */
export const START_B = '2026-11-25T03:00:00.100000+00:00';
export const t = (seconds: string) => `2026-11-25T03:00:${seconds}+00:00`;
export const sequence = (index: number) => event.Records[index]!.dynamodb!.SequenceNumber!;

/** A fresh table holding both conversations' group items at START (as createMessageGroup leaves them). */
export async function tableWithGroups(client: DynamoDBClient): Promise<string> {
  const table = tableName('stream');
  await client.send(new CreateTableCommand(messagesTableInput(table)));
  const items = [
    ...groupItemPair(andrew, bayko, { messageGroupUuid: A, message: 'hello', sk: START }),
    ...groupItemPair(andrew, bayko, { messageGroupUuid: B, message: 'hello', sk: START_B }),
  ];
  await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: items.map((Item) => ({ PutRequest: { Item } })) } }));
  return table;
}

/** pk -> [sk, message] of every group item of a conversation. */
export async function groups(client: DynamoDBClient, table: string, group: string): Promise<Record<string, [string, string]>> {
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName: table,
      IndexName: 'message-group-sk-index',
      KeyConditionExpression: 'message_group_uuid = :g',
      ExpressionAttributeValues: { ':g': { S: group } },
    }),
  );
  return Object.fromEntries(Items.map((item) => [item.pk!.S!, [item.sk!.S!, item.message!.S!]]));
}

export const both = (sk: string, message: string) => ({ [`GRP#${andrew.uuid}`]: [sk, message], [`GRP#${bayko.uuid}`]: [sk, message] });
