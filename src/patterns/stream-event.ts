/**
 * The minimal shapes of the event Lambda hands a DynamoDB Streams function, as documented in
 * https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html#services-dynamodb-event-example, and of
 * the partial-batch response (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html).
 * Written here rather than taken from @types/aws-lambda: these few fields are all the handler and the
 * local runner use.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export type StreamImage = Record<string, AttributeValue>;

export interface StreamRecordData {
  /** Seconds since the epoch (Lambda delivers a number, not a Date). */
  ApproximateCreationDateTime?: number;
  Keys?: StreamImage;
  NewImage?: StreamImage;
  OldImage?: StreamImage;
  SequenceNumber?: string;
  SizeBytes?: number;
  StreamViewType?: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
}

export interface DynamoDBStreamRecord {
  eventID?: string;
  eventName?: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion?: string;
  eventSource?: string;
  awsRegion?: string;
  dynamodb?: StreamRecordData;
  eventSourceARN?: string;
  userIdentity?: { type: string; principalId: string };
}

export interface DynamoDBStreamEvent {
  Records: DynamoDBStreamRecord[];
}

export interface StreamBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}
