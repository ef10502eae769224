/** Table shapes for tests: the messages table, with a local secondary index added (what ImportTable cannot make). */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { messagesTableInput } from '../../src/patterns/table.js';

export function messagesShapeWithLsi(table: string, indexName: string): CreateTableCommandInput {
  const shape = messagesTableInput(table);
  shape.AttributeDefinitions = [...shape.AttributeDefinitions!, { AttributeName: 'message_uuid', AttributeType: 'S' }];
  shape.LocalSecondaryIndexes = [
    {
      IndexName: indexName,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'message_uuid', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ];
  return shape;
}
