import { describe, expect, it } from 'vitest';
import { plainItemJson } from '../../src/aws/plain-json.js';
import { typedItemJson } from '../../src/transfer/typed-json.js';

describe('plainItemJson', () => {
  it('prints plain values: numbers that fit, exact strings for those that do not, sets as arrays, binary as base64', () => {
    const text = plainItemJson({
      pk: { S: 'MSG#1' },
      n: { N: '42' },
      big: { N: '12345678901234567890' },
      fraction: { N: '0.25' },
      flag: { BOOL: true },
      none: { NULL: true },
      tags: { SS: ['a', 'b'] },
      blob: { B: new Uint8Array([104, 105]) },
      nested: { M: { list: { L: [{ S: 'x' }, { N: '1' }] } } },
    });
    expect(JSON.parse(text)).toEqual({
      pk: 'MSG#1',
      n: 42,
      big: '12345678901234567890',
      fraction: 0.25,
      flag: true,
      none: null,
      tags: ['a', 'b'],
      blob: 'aGk=',
      nested: { list: ['x', 1] },
    });
  });
});

describe('JSON key order', () => {
  it('puts pk and sk first, then the other attributes sorted, plain and raw alike', () => {
    const item = { user_handle: { S: 'bayko' }, sk: { S: '2026' }, message: { S: 'hi' }, pk: { S: 'MSG#1' }, Zeta: { N: '1' } };
    expect(Object.keys(JSON.parse(plainItemJson(item)))).toEqual(['pk', 'sk', 'Zeta', 'message', 'user_handle']);
    expect(Object.keys(JSON.parse(typedItemJson(item)))).toEqual(['pk', 'sk', 'Zeta', 'message', 'user_handle']);
    expect(typedItemJson(item)).toMatch(/^\{"pk":\{"S":"MSG#1"\},"sk":/);
  });
});

describe('typedItemJson (scan --raw and every export line)', () => {
  it('keeps every type exact: numbers as text, binary as base64, sets sorted, nested maps in the same order', () => {
    const text = typedItemJson({
      sk: { S: '2026' },
      pk: { S: 'MSG#1' },
      big: { N: '12345678901234567890.5' },
      blob: { B: new Uint8Array([104, 105]) },
      tags: { SS: ['z', 'a'] },
      none: { NULL: true },
      nested: { M: { b: { NS: ['10', '9'] }, a: { L: [{ BOOL: false }, { BS: [new Uint8Array([2]), new Uint8Array([1])] }] } } },
    });
    expect(text).toBe(
      '{"pk":{"S":"MSG#1"},"sk":{"S":"2026"},"big":{"N":"12345678901234567890.5"},"blob":{"B":"aGk="},' +
        '"nested":{"M":{"a":{"L":[{"BOOL":false},{"BS":["AQ==","Ag=="]}]},"b":{"NS":["10","9"]}}},"none":{"NULL":true},"tags":{"SS":["a","z"]}}',
    );
  });
});
