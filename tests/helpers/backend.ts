/**
 * The real Cruddur backend's writes, reproduced exactly (omenking/aws-bootcamp-cruddur-2023,
 * backend-flask/lib/ddb.py), for a backend machine whose local zone is `zone`:
 *   - create_message:       sk = datetime.now().isoformat()                           -> local time, NO offset,
 *                           and Python drops `.ffffff` when the microseconds are 0
 *   - create_message_group: now = datetime.now(timezone.utc).astimezone().isoformat() -> local time WITH offset,
 *                           for both group items and the first message (one batch_write_item)
 * and the Lambda-shaped stream records DynamoDB Streams makes of them.
 */
import { BatchWriteItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { groupItemPair, messageItem, type Item, type Participant } from '../../src/patterns/index.js';
import type { DynamoDBStreamRecord } from '../../src/patterns/stream-event.js';
import { zoneOffsetMinutes } from '../../src/patterns/time.js';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Python's isoformat of a local wall clock: microseconds only when non-zero, offset when aware. */
function pythonIso(utcMs: number, micros: number, zone: string, aware: boolean): string {
  const offset = zoneOffsetMinutes(zone, utcMs);
  const d = new Date(utcMs + offset * 60_000);
  const us = (d.getUTCMilliseconds() * 1000 + micros) % 1_000_000;
  let text = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  if (us) text += `.${pad(us, 6)}`;
  if (aware) text += `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return text;
}

/** `datetime.now().isoformat()` on a machine in `zone`, at the UTC instant `at`. */
export const naiveNow = (at: Date, zone: string, micros = 0) => pythonIso(at.getTime(), micros, zone, false);
/** `datetime.now(timezone.utc).astimezone().isoformat()` on a machine in `zone`. */
export const awareNow = (at: Date, zone: string, micros = 0) => pythonIso(at.getTime(), micros, zone, true);

/** create_message_group: both group items and the first message, with the local-offset time. */
export async function backendCreateMessageGroup(
  client: DynamoDBClient,
  table: string,
  me: Participant,
  other: Participant,
  message: string,
  sk: string,
  messageGroupUuid = randomUUID(),
): Promise<string> {
  const items: Item[] = [
    ...groupItemPair(me, other, { messageGroupUuid, message, sk }),
    messageItem({ messageGroupUuid, messageUuid: randomUUID(), sender: me, message, sk }),
  ];
  await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: items.map((Item) => ({ PutRequest: { Item } })) } }));
  return messageGroupUuid;
}

/** create_message: one put with the no-offset local time. Returns the item (for a stream record). */
export async function backendCreateMessage(
  client: DynamoDBClient,
  table: string,
  group: string,
  sender: Participant,
  message: string,
  sk: string,
): Promise<Item> {
  const item = messageItem({ messageGroupUuid: group, messageUuid: randomUUID(), sender, message, sk });
  await client.send(new PutItemCommand({ TableName: table, Item: item }));
  return item;
}

let sequence = 1000;

/** The INSERT record DynamoDB Streams delivers to Lambda for an item (NEW_IMAGE view). */
export function insertRecord(item: Item, createdSeconds = Math.floor(Date.now() / 1000)): DynamoDBStreamRecord {
  sequence++;
  return {
    eventID: `e${sequence}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: createdSeconds,
      Keys: { pk: item.pk!, sk: item.sk! },
      NewImage: item,
      SequenceNumber: String(sequence).padStart(21, '0'),
      SizeBytes: 200,
      StreamViewType: 'NEW_IMAGE',
    },
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/cruddur-messages/stream/2026-11-25T00:00:00.000',
  };
}
