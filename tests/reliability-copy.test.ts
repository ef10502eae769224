/**
 * Issue 22 (reliability round 3), copy and reset: every spelling of AWS is prod, every spelling of
 * one endpoint is one place, a DynamoDB that dies part-way leaves a count behind, and --anonymize
 * reaches every string of the attributes it rewrites. Each case failed before the fix.
 */
import { CreateTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { endpointKey, isAwsEndpoint } from '../src/core/aws-host.js';
import { resolveEnv } from '../src/core/environment.js';
import { createAnonymizer } from '../src/transfer/anonymize.js';
import { placeOf, resolveSide } from '../src/transfer/sides.js';
import { messagesTableInput } from '../src/patterns/table.js';
import { dynamoUrl, oneLineError, run, tableName, testClient } from './helpers/cli.js';
import { startDyingProxy } from './helpers/dying-proxy.js';

const client = testClient();
afterAll(() => client.destroy());
const count = async (table: string) => (await client.send(new ScanCommand({ TableName: table, Select: 'COUNT' }))).Count ?? 0;

// Every way AWS spells a DynamoDB endpoint, and look-alikes that are not AWS.
const AWS = [
  'https://dynamodb.us-east-1.amazonaws.com',
  'https://dynamodb.us-east-1.amazonaws.com.', // a trailing dot: the same DNS name
  'https://dynamodb.us-east-1.amazonaws.com..',
  'https://DYNAMODB.US-EAST-1.AMAZONAWS.COM',
  'https://dynamodb.us-east-1.amazonaws.com:443/',
  'https://dynamodb.eu-west-1.api.aws', // dual-stack
  'https://dynamodb-fips.us-gov-west-1.amazonaws.com', // FIPS
  'https://dynamodb-fips.us-east-1.api.aws',
  'https://dynamodb.cn-north-1.amazonaws.com.cn', // China
  'https://dynamodb.cn-north-1.api.amazonwebservices.com.cn',
  'https://vpce-0a1b2c3d-4e5f.dynamodb.us-east-1.vpce.amazonaws.com', // a VPC endpoint
  'https://localhost@dynamodb.us-east-1.amazonaws.com', // user info is not the host
  'http://dynamodb.us-east-1.amazonaws.com',
  'https://dynamodb.us-isob-east-1.sc2s.sgov.gov',
  'https://dynamodb.eusc-de-east-1.amazonaws.eu',
];
const NOT_AWS = [
  'http://localhost:8000',
  'http://127.0.0.1:8000/',
  'https://amazonaws.com.example.org',
  'https://dynamodb.us-east-1.amazonaws.co',
  'https://notamazonaws.com',
  'https://example.com/dynamodb.us-east-1.amazonaws.com',
  'https://dynamodb.us-east-1.amazonaws.com.evil.test',
  'https://api.aws.example.org',
];

describe('this is AWS: decided from the parsed, normalised host', () => {
  it.each(AWS)('%s is AWS, for copy --to and for --endpoint-url of every command', (url) => {
    expect(isAwsEndpoint(url)).toBe(true);
    const base = resolveEnv({}, {});
    expect(resolveSide(url, base, '--to').name).toBe('prod');
    expect(resolveEnv({ endpointUrl: url }, {}).name).toBe('prod');
    expect(resolveEnv({ env: 'local' }, { AWS_ENDPOINT_URL_DYNAMODB: url }).name).toBe('prod');
  });
  it.each(NOT_AWS)('%s is not AWS', (url) => {
    expect(isAwsEndpoint(url)).toBe(false);
    expect(resolveEnv({ endpointUrl: url }, {}).name).toBe('local');
  });

  it('copy --to, import and reset on any spelling of AWS refuse without a terminal or --yes, before any call', async () => {
    const offline = { local: false, env: { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' } };
    for (const url of ['https://dynamodb.us-east-1.amazonaws.com.', 'https://dynamodb.eu-west-1.api.aws']) {
      for (const args of [
        ['copy', '--from', 'http://127.0.0.1:9', '--to', url, 'some-table'],
        ['reset', 'cruddur-messages', '--endpoint-url', url],
        ['drop', 'cruddur-messages', '--endpoint-url', url],
      ]) {
        const result = await run(args, offline);
        expect(result.code, args.join(' ')).toBe(1);
        expect(oneLineError(result), args.join(' ')).toMatch(/error\[prod\.unconfirmed\]: Refusing to .* in prod without confirmation/);
      }
    }
  });
});

describe('copy.same_table compares places, not spellings', () => {
  const port = new URL(dynamoUrl()).port;
  it.each([
    [`http://127.0.0.1:${port}/`, `http://localhost:${port}`],
    [`http://localhost:${port}`, `http://LOCALHOST:${port}/`],
    [`http://[::1]:${port}`, `http://127.0.0.1:${port}`],
    ['local', `http://127.0.0.1:${port}/`],
    ['prod', 'https://dynamodb.us-east-1.amazonaws.com.'],
  ])('--from %s --to %s is one table', async (from, to) => {
    const result = await run(['copy', '--from', from, '--to', to, 'some-table', '--region', 'us-east-1']);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toMatch(/^error\[copy\.same_table\]: --from and --to are the same table/);
  });
  it('keeps apart what differs: the port, the scheme, the region, the table', () => {
    const base = resolveEnv({ region: 'us-east-1' }, {});
    const place = (spec: string) => placeOf(resolveSide(spec, base, '--to'));
    expect(place('http://localhost:8000')).not.toBe(place('http://localhost:8001'));
    expect(place('http://localhost:8000')).not.toBe(place('https://localhost:8000'));
    expect(place('https://dynamodb.eu-west-1.amazonaws.com')).not.toBe(place('prod'));
    expect(endpointKey('http://localhost')).toBe(endpointKey('http://127.0.0.1:80/'));
  });
});

/** The messages table without a stream (the shared DynamoDB Local slows with stream tables; DESIGN.md). */
async function streamless(prefix: string): Promise<string> {
  const table = tableName(prefix);
  const { StreamSpecification: _stream, ...shape } = messagesTableInput(table);
  await client.send(new CreateTableCommand(shape));
  return table;
}

describe('a DynamoDB that dies part-way', () => {
  it('copy whose target dies says how many items it wrote', async () => {
    const source = await streamless('copy-src');
    expect((await run(['seed', '--table', source, '--synthetic', '500'])).code).toBe(0);
    const proxy = await startDyingProxy(dynamoUrl(), { on: 'BatchWriteItem', after: 4 });
    try {
      const result = await run(['copy', source, '--from', 'local', '--to', proxy.url, '--to-table', tableName('copy-dst'), '--concurrency', '1']);
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n').pop()).toMatch(
        /^error\[endpoint\.unreachable\]: DynamoDB is not answering at .* \(100 items were written to copy-dst-\w+ at .* before it; the copy created that table\)/,
      );
    } finally {
      await proxy.close();
    }
  });

  it('copy whose source dies fails within seconds, naming the source and what was written', async () => {
    const source = await streamless('copy-src');
    expect((await run(['seed', '--table', source, '--synthetic', '2000'])).code).toBe(0);
    const target = tableName('copy-dst');
    // One segment, pages of 1,000: the second page never comes.
    const proxy = await startDyingProxy(dynamoUrl(), { on: 'Scan', after: 1 });
    try {
      const started = Date.now();
      const result = await run(['copy', source, '--from', proxy.url, '--to', 'local', '--to-table', target, '--segments', '1']);
      const took = Date.now() - started;
      expect(result.code).toBe(1);
      // The line before it says the target was created; the error is the last line.
      const line = result.stderr.trim().split('\n').pop()!;
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(line).toMatch(new RegExp(`^error\\[endpoint\\.unreachable\\]: DynamoDB is not answering at ${proxy.url}`));
      const written = Number(/\((\d+) items were written to/.exec(line)?.[1]);
      expect(written).toBeLessThanOrEqual(1000);
      expect(written).toBe(await count(target));
      expect(took).toBeLessThan(10_000);
    } finally {
      await proxy.close();
    }
  });

  it('reset whose DynamoDB dies says how many items it deleted', async () => {
    const table = await streamless('reset');
    expect((await run(['seed', '--table', table, '--synthetic', '500'])).code).toBe(0);
    const proxy = await startDyingProxy(dynamoUrl(), { on: 'BatchWriteItem', after: 3 });
    try {
      const before = await count(table);
      const result = await run(['reset', table, '--endpoint-url', proxy.url, '--concurrency', '1'], { local: false });
      expect(result.code).toBe(1);
      expect(oneLineError(result)).toMatch(new RegExp(`^error\\[endpoint\\.unreachable\\]: .* \\(75 items were deleted from ${table} before it\\)`));
      expect(await count(table)).toBe(before - 75);
    } finally {
      await proxy.close();
    }
  });
});

describe('copy --anonymize', () => {
  it('rewrites every string inside the handle, name and message attributes, whatever their type', () => {
    const a = createAnonymizer('salt');
    const out = a.item({
      pk: { S: 'MSG#1' },
      user_handle: { L: [{ S: 'bayko' }, { M: { inner: { S: 'andrewbrown' } } }] },
      user_display_name: { SS: ['Andrew Bayko', 'Andrew Brown'] },
      message: { M: { text: { S: 'meet me at noon' }, n: { N: '3' } } },
    });
    const text = JSON.stringify(out);
    for (const secret of ['bayko', 'andrewbrown', 'Andrew', 'noon']) expect(text).not.toContain(secret);
    expect(out.user_handle).toEqual({ L: [{ S: a.handle('bayko') }, { M: { inner: { S: a.handle('andrewbrown') } } }] });
    expect(out.user_display_name!.SS!.sort()).toEqual([a.name('Andrew Bayko'), a.name('Andrew Brown')].sort());
    expect(out.message!.M!.n).toEqual({ N: '3' });
    expect(out.pk).toEqual({ S: 'MSG#1' });
  });

  it('keeps a string set a set when two members share a pseudonym', () => {
    const a = createAnonymizer('salt');
    // One-word texts map onto a small vocabulary: some pair of these collides.
    const words = Array.from({ length: 80 }, (_, i) => `w${i}`);
    const set = a.item({ message: { SS: words } }).message!.SS!;
    expect(new Set(set).size).toBe(set.length);
  });
});
