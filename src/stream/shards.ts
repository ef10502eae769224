/**
 * The shards of a DynamoDB stream and their records, as the local runner needs them: every shard
 * (DescribeStream pages), the order to read them in (a child only after its parent is finished:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html#Streams.Processing),
 * and each record reshaped exactly as Lambda delivers it, so the same handler runs on both.
 */
import { DescribeStreamCommand, type DynamoDBStreamsClient, type Shard, type _Record } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamRecord, StreamImage, StreamRecordData } from '../patterns/stream-event.js';
import type { Checkpoint } from './checkpoint.js';

/** Every shard of the stream, oldest first as DescribeStream lists them (100 per page at most). */
export async function listShards(client: DynamoDBStreamsClient, streamArn: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let start: string | undefined;
  do {
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }));
    shards.push(...(StreamDescription?.Shards ?? []));
    start = StreamDescription?.LastEvaluatedShardId;
  } while (start);
  return shards;
}

/** A shard is closed when it has an ending sequence number: nothing more will be written to it. */
export const isClosed = (shard: Shard): boolean => shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;

/**
 * The shards to start reading now: not finished, not skipped, and whose parent is finished or no
 * longer listed (trimmed after 24 hours).
 */
export function readyShards(shards: readonly Shard[], checkpoint: Checkpoint, skip: ReadonlySet<string>): Shard[] {
  const listed = new Set(shards.map((shard) => shard.ShardId));
  const finished = (id: string | undefined) => id === undefined || !listed.has(id) || checkpoint.place(id)?.done === true;
  return shards.filter((shard) => !skip.has(shard.ShardId!) && !finished(shard.ShardId) && finished(shard.ParentShardId));
}

/** A stream record as the Lambda event carries it (times in epoch seconds, the source ARN on each record). */
export function toLambdaRecord(record: _Record, streamArn: string, region: string | undefined): DynamoDBStreamRecord {
  const data = record.dynamodb ?? {};
  const dynamodb: StreamRecordData = {
    ...(data.ApproximateCreationDateTime ? { ApproximateCreationDateTime: Math.floor(data.ApproximateCreationDateTime.getTime() / 1000) } : {}),
    ...(data.Keys ? { Keys: data.Keys as StreamImage } : {}),
    ...(data.NewImage ? { NewImage: data.NewImage as StreamImage } : {}),
    ...(data.OldImage ? { OldImage: data.OldImage as StreamImage } : {}),
    SequenceNumber: data.SequenceNumber,
    SizeBytes: data.SizeBytes,
    StreamViewType: data.StreamViewType,
  };
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? region,
    dynamodb,
    eventSourceARN: streamArn,
  };
}
