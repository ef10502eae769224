import { describe, expect, it } from 'vitest';
import { plainItemJson, rawItemJson } from '../../src/aws/plain-json.js';

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
    expect(Object.keys(JSON.parse(rawItemJson(item)))).toEqual(['pk', 'sk', 'Zeta', 'message', 'user_handle']);
    expect(rawItemJson(item)).toMatch(/^\{"pk":\{"S":"MSG#1"\},"sk":/);
  });
});
