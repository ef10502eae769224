/** The batch writer's byte budget counts what a request holds: names and values, nested ones too. */
import { describe, expect, it } from 'vitest';
import { requestBytes } from '../../src/seed/batch-write.js';

describe('requestBytes', () => {
  it('sums attribute names and values of a put, through sets, lists and maps', () => {
    const Item = {
      pk: { S: 'abc' }, // 2 + 3
      n: { N: '12.5' }, // 1 + 4
      b: { B: new Uint8Array(10) }, // 1 + 10
      ss: { SS: ['a', 'bb'] }, // 2 + 3
      l: { L: [{ S: 'xyz' }, { BOOL: true }] }, // 1 + (1 + 3) + (1 + 1)
      m: { M: { k: { S: 'vv' } } }, // 1 + (1 + 2)
      z: { NULL: true }, // 1 + 1
    };
    expect(requestBytes({ PutRequest: { Item } })).toBe(5 + 5 + 11 + 5 + 7 + 4 + 2);
  });

  it('counts a delete by its key, and a 400 KB item as 400 KB', () => {
    expect(requestBytes({ DeleteRequest: { Key: { pk: { S: 'p' }, sk: { S: 's' } } } })).toBe(6);
    expect(requestBytes({ PutRequest: { Item: { pk: { S: 'x'.repeat(400_000) } } } })).toBe(400_002);
  });
});
