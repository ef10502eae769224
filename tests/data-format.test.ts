/** The pure parts of the data commands: typed JSON, the file format, pseudonyms, copy's sides; and the writer's bound on what it holds. */
import { CreateTableCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createAnonymizer } from '../src/transfer/anonymize.js';
import { createInputFrom, headerLine, itemLine, LineError, parseHeader, parseItemLine } from '../src/transfer/format.js';
import { resolveSide } from '../src/transfer/sides.js';
import { decodeItem, encodeItem } from '../src/transfer/typed-json.js';
import { resolveEnv } from '../src/core/environment.js';
import { parseCommandLine } from '../src/entry/run.js';
import { messagesTableInput } from '../src/patterns/table.js';
import { batchWriteStream } from '../src/seed/batch-write.js';
import { tableName, testClient } from './helpers/cli.js';

describe('typed JSON lines', () => {
  const item: Record<string, AttributeValue> = {
    z: { S: '' },
    a: { N: '-1.000000000000000000000000000000000001e-10' },
    b: { B: new Uint8Array([255, 0]) },
    s: { SS: ['z', 'a'] },
    m: { M: { y: { L: [{ NULL: true }, { BOOL: true }, { BS: [new Uint8Array([2]), new Uint8Array([1])] }] }, x: { NS: ['10', '9'] } } },
  };

  it('encodes with sorted names and set members, and decodes back to the same values', () => {
    const line = itemLine(item);
    expect(line).toBe(
      '{"Item":{"a":{"N":"-1.000000000000000000000000000000000001e-10"},"b":{"B":"/wA="},"m":{"M":{"x":{"NS":["10","9"]},"y":{"L":[{"NULL":true},{"BOOL":true},{"BS":["AQ==","Ag=="]}]}}},"s":{"SS":["a","z"]},"z":{"S":""}}}\n',
    );
    const back = parseItemLine(line.trim());
    expect(encodeItem(back)).toEqual(encodeItem(item));
    expect([...back.b!.B!]).toEqual([255, 0]);
  });

  it('names what is wrong, with the path inside the item', () => {
    const bad = (text: string) => {
      try {
        parseItemLine(text);
      } catch (error) {
        expect(error).toBeInstanceOf(LineError);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad('[1]')).toBe('expected {"Item": {...}}');
    expect(bad('{"Item": {"a": {"N": "ten"}}}')).toBe('a.N must be a number as text');
    expect(bad('{"Item": {"a": {"S": "x", "N": "1"}}}')).toMatch(/^a must have exactly one type key/);
    expect(bad('{"Item": {"a": {"M": {"b": {"L": [{"B": "***"}]}}}}}')).toBe('a.M.b.L[0].B must be base64 text');
    expect(bad('{"Item": {"a": {"SS": []}}}')).toBe('a.SS must be a non-empty list of strings');
    expect(bad('{"Item": ')).toMatch(/^not JSON/);
    expect(() => decodeItem({ a: { NULL: false } })).toThrow('a.NULL must be true');
  });

  it('the header is a CreateTable input, and an unknown version is refused', () => {
    const table = {
      ...messagesTableInput('t-1', 'provisioned'),
      TableStatus: 'ACTIVE',
      ItemCount: 3,
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5, NumberOfDecreasesToday: 0 },
      BillingModeSummary: undefined,
    };
    const header = parseHeader(headerLine(table as never));
    expect(header.table).toEqual(messagesTableInput('t-1', 'provisioned'));
    expect(createInputFrom({ ...table, BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } } as never)).toEqual(messagesTableInput('t-1', 'on-demand'));
    expect(() => parseHeader('{"format":"cruddur-ddb-export","version":2,"table":{}}')).toThrow('format version 2 is not one this tool reads');
  });
});

describe('anonymizer', () => {
  it('is deterministic, keyed by the salt, and keeps keys and uuids', () => {
    const a = createAnonymizer();
    const b = createAnonymizer();
    expect(a.handle('andrewbrown')).toBe(b.handle('andrewbrown'));
    expect(a.handle('andrewbrown')).toMatch(/^[a-z]+[0-9a-f]{10}$/);
    expect(a.handle('andrewbrown')).not.toBe(a.handle('bayko'));
    expect(createAnonymizer('secret').handle('andrewbrown')).not.toBe(a.handle('andrewbrown'));
    expect(a.text('one two three')).toMatch(/^[A-Z][a-z]* [a-z]+ [a-z]+\.$/);
    expect(a.text('')).toBe('');
    const item = {
      pk: { S: 'MSG#g' },
      sk: { S: 't' },
      user_uuid: { S: 'u' },
      user_handle: { S: 'bayko' },
      user_display_name: { S: 'Andrew Bayko' },
      message: { S: 'hi' },
    };
    const out = a.item(item);
    expect(out).toMatchObject({ pk: item.pk, sk: item.sk, user_uuid: item.user_uuid });
    expect(out.user_handle).toEqual({ S: a.handle('bayko') });
    expect(out.user_display_name).toEqual({ S: a.name('Andrew Bayko') });
    expect(item.user_handle).toEqual({ S: 'bayko' }); // the original is not changed
  });
});

describe("copy's sides", () => {
  const base = resolveEnv({}, { AWS_ENDPOINT_URL_DYNAMODB: 'http://localhost:9000' });
  it('local keeps the run endpoint, prod drops it, a URL is local unless it is AWS', () => {
    expect(resolveSide('local', base, '--from').endpoint.value).toBe('http://localhost:9000');
    expect(resolveSide('prod', base, '--to')).toMatchObject({ name: 'prod', endpoint: { value: undefined } });
    expect(resolveSide('http://localhost:8001', base, '--to')).toMatchObject({ name: 'local', endpoint: { value: 'http://localhost:8001' } });
    expect(resolveSide('https://dynamodb.eu-west-1.amazonaws.com', base, '--to').name).toBe('prod');
    expect(() => resolveSide('ftp://x', base, '--to')).toThrow(/not an http\(s\) URL/);
  });
  it('prod after --to or --from is their value, not --env prod; a bare prod is the environment', async () => {
    const copy = await parseCommandLine(['copy', '--from', 'local', '--to', 'prod']);
    expect(copy.input).toMatchObject({ from: 'local', to: 'prod', segments: undefined, concurrency: 8, maxRetries: 8, anonymize: false });
    expect(copy.flags.env).toBeUndefined();
    const reset = await parseCommandLine(['reset', 'cruddur-messages', 'prod']);
    expect(reset.input).toMatchObject({ table: 'cruddur-messages' });
    expect(reset.flags.env).toBe('prod');
  });
});

describe('the streaming writer', () => {
  it('pulls from its source only as fast as it writes: never more than concurrency x 25 requests ahead', async () => {
    const client = testClient();
    const table = tableName('stream');
    // No stream: the shared DynamoDB Local writes slowly to yet another stream table (DynamoDB Local slows every stream table once one holds many records).
    const { StreamSpecification: _stream, ...shape } = messagesTableInput(table);
    await client.send(new CreateTableCommand(shape));
    let pulled = 0;
    let written = 0;
    let mostAhead = 0;
    async function* source() {
      for (let i = 0; i < 1000; i++) {
        pulled++;
        mostAhead = Math.max(mostAhead, pulled - written);
        yield { PutRequest: { Item: { pk: { S: `MSG#${i % 7}` }, sk: { S: String(i).padStart(6, '0') } } } };
      }
    }
    const result = await batchWriteStream(client, table, source(), { concurrency: 2, maxRetries: 8, onWritten: (n) => (written += n) });
    client.destroy();
    expect(result).toEqual({ written: 1000, notWritten: 0 });
    expect(mostAhead).toBeLessThanOrEqual(2 * 25 + 1);
  });
});
