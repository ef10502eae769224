/**
 * The SDK's document client over a caller's DynamoDBClient: items go in and come out as plain objects
 * (every attribute of the messages table is a string), so the patterns write no `{ S: ... }` by hand.
 * Callers keep passing a DynamoDBClient; the wrapper is made once per client and cached (a WeakMap, so a
 * client that is dropped takes its wrapper with it).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const wrapped = new WeakMap<DynamoDBClient, DynamoDBDocumentClient>();

export function docClient(client: DynamoDBClient): DynamoDBDocumentClient {
  let doc = wrapped.get(client);
  if (!doc) {
    doc = DynamoDBDocumentClient.from(client);
    wrapped.set(client, doc);
  }
  return doc;
}
