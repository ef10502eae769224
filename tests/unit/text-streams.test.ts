/** `-o text --columns`: rows whose columns come from the data stream as they come, as json and ndjson do. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { render, rows } from '../../src/kit/output.js';
import { itemColumns, namedItemColumns } from '../../src/kit/item-columns.js';
import type { Item } from '../../src/transfer/typed-json.js';

function target(columns: string[] | undefined) {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stdout, text: () => text, format: 'text' as const, say: () => undefined, width: undefined, columns };
}

/** Three items, then a source that only ends when the test says so. */
function source(release: Promise<void>): AsyncIterable<Item> {
  return (async function* (): AsyncGenerator<Item> {
    yield { pk: { S: 'a' }, sk: { S: '1' } };
    yield { pk: { S: 'b' }, sk: { S: '2' }, message: { S: 'hi' } };
    yield { pk: { S: 'c' }, sk: { S: '3' } };
    await release;
  })();
}

const output = (items: AsyncIterable<Item>) =>
  rows<Item>({ rows: items, columns: { fromRows: (all) => itemColumns(all, false), named: (names) => namedItemColumns(names, false) }, empty: 'none' });

describe('-o text', () => {
  it('with --columns prints each row before the source ends', async () => {
    let end!: () => void;
    const released = new Promise<void>((resolve) => (end = resolve));
    const into = target(['pk', 'message']);
    const done = render(output(source(released)) as never, into);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(into.text()).toBe('a\t\nb\thi\nc\t\n');
    end();
    expect(await done).toBe(3);
  });

  it('without --columns reads every row first (the columns are every attribute seen)', async () => {
    let end!: () => void;
    const released = new Promise<void>((resolve) => (end = resolve));
    const into = target(undefined);
    const done = render(output(source(released)) as never, into);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(into.text()).toBe('');
    end();
    await done;
    expect(into.text().split('\n')[1]).toBe('b\t2\thi');
  });
});
