/** The renderer fits tables to the terminal: pure width arithmetic, then what a table looks like at 80 columns. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fitWidths, layoutColumns, render as renderOutput, rows as rowsOutput, type Column } from '../../src/kit/output.js';

async function render<T>(rows: T[], columns: Column<T>[], width?: number): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  await renderOutput(rowsOutput<T>({ rows, columns, empty: 'none' }), { format: 'table', stdout: out, say: () => undefined, width });
  return text;
}

describe('fitWidths', () => {
  it('leaves a table that fits alone', () => {
    expect(fitWidths([10, 20, 30], 60, 2)).toEqual([10, 20, 30]);
  });
  it('gives the flex column what the others leave', () => {
    expect(fitWidths([10, 20, 300], 60, 2)).toEqual([10, 20, 30]);
  });
  it('cuts the widest other columns to a common cap once the flex column is at its minimum, never a kept one', () => {
    const widths = fitWidths([30, 30, 300, 36], 80, 2, [false, false, false, true]);
    expect(widths[3]).toBe(36);
    expect(widths[2]).toBe(16);
    expect(widths[0]).toBe(widths[1]);
    expect(widths.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(80);
  });
  it('without a flex column, cuts the widest first and leaves narrow ones whole', () => {
    expect(fitWidths([4, 50, 50], 44)).toEqual([4, 20, 20]);
  });
});

describe('layoutColumns', () => {
  it('leaves out free text first, then cuttable columns, then ids from the right; never the first column', () => {
    // pk 40, sk 32, message 90 (flex), handle 20, uuid 36 (kept)
    const natural = [40, 32, 90, 20, 36];
    const flex = [false, false, true, false, false];
    const keep = [true, true, false, false, true];
    expect(layoutColumns(natural, 300, flex, keep)).toEqual(natural);
    const at200 = layoutColumns(natural, 200, flex, keep);
    expect(at200.filter((w, i) => keep[i] && w !== natural[i])).toEqual([]);
    expect(at200[2]).toBeGreaterThanOrEqual(16);
    expect(layoutColumns(natural, 120, flex, keep)).toEqual([40, 32, null, null, 36]);
    expect(layoutColumns(natural, 80, flex, keep)).toEqual([40, 32, null, null, null]);
    expect(layoutColumns(natural, 30, flex, keep)).toEqual([40, null, null, null, null]);
  });
  it('leaves the free text out rather than cut a name to a few letters', () => {
    // with 22, time 16 (kept), preview 31 (flex), uuid 36 (kept) at 80 columns
    expect(layoutColumns([22, 16, 31, 36], 80, [false, false, true, false], [false, true, false, true])).toEqual([22, 16, null, 36]);
  });
});

describe('tables on a terminal', () => {
  const message = 'I am out of prunes, please send more, and also some figs if you have them around the house';
  const rows = [{ handle: '@andrewbrown (Andrew Brown)', time: '2026-11-25 03:07', message, uuid: '5ae290ed-55d1-47a0-bc6d-fe2bc2700399' }];
  type Row = (typeof rows)[number];
  const columns: Column<Row>[] = [
    { header: 'with', value: (r) => r.handle },
    { header: 'last message', value: (r) => r.time },
    { header: 'preview', value: (r) => r.message, flex: true },
    { header: 'message_group_uuid', value: (r) => r.uuid, keep: true },
  ];

  it('fit 80 columns: cells cut with an ellipsis, the uuid whole', async () => {
    const text = await render(rows, columns, 80);
    for (const line of text.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).toContain('…');
    expect(text).toContain(rows[0]!.uuid);
  });

  it('at 120 columns the others are whole and the message takes the rest', async () => {
    const text = await render(rows, columns, 120);
    for (const line of text.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(120);
    expect(text.trimEnd().split('\n')[2]).toHaveLength(120);
    expect(text).toContain('@andrewbrown (Andrew Brown)');
    expect(text).toContain('I am out of prunes, please');
  });

  it('with no width (a pipe, or --wide) every cell is whole, still one line a row', async () => {
    const text = await render([{ ...rows[0]!, message: `${message}\nsecond line` }], columns);
    expect(text).toContain(`${message} second line`);
    expect(text.trimEnd().split('\n')).toHaveLength(3); // header, rule, the row: no border, no rule between rows
  });
});
