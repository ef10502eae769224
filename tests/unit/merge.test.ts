/** mergeBounded (src/transfer/merge.ts): the slice's many Queries at once, in bounded memory. */
import { describe, expect, it } from 'vitest';
import { mergeBounded } from '../../src/transfer/merge.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('mergeBounded', () => {
  it('hands on every value of every source, never more than `width` sources open', async () => {
    let open = 0;
    let most = 0;
    const source = async function* (n: number) {
      open++;
      most = Math.max(most, open);
      try {
        for (let i = 0; i < 3; i++) {
          await tick();
          yield `${n}.${i}`;
        }
      } finally {
        open--;
      }
    };
    const seen: string[] = [];
    for await (const value of mergeBounded(
      [0, 1, 2, 3, 4, 5, 6].map((n) => source(n)),
      3,
    ))
      seen.push(value);
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4, 5, 6].flatMap((n) => [0, 1, 2].map((i) => `${n}.${i}`)).sort());
    expect(most).toBe(3);
    expect(open).toBe(0);
  });

  it('opens sources lazily and closes the open ones when the consumer stops or a source fails', async () => {
    const started: number[] = [];
    const closed: number[] = [];
    function* sources(fail: boolean) {
      for (let n = 0; n < 100; n++) {
        yield (async function* () {
          started.push(n);
          try {
            for (let i = 0; ; i++) {
              await tick();
              if (fail && n === 1 && i === 2) throw new Error('source 1 broke');
              yield n;
            }
          } finally {
            closed.push(n);
          }
        })();
      }
    }
    let taken = 0;
    for await (const _ of mergeBounded(sources(false), 2)) if (++taken === 5) break;
    expect(started).toEqual([0, 1]);
    expect(closed.sort()).toEqual([0, 1]);

    started.length = 0;
    closed.length = 0;
    await expect(async () => {
      for await (const _ of mergeBounded(sources(true), 2));
    }).rejects.toThrow('source 1 broke');
    expect(closed.sort()).toEqual([0, 1]);
  });
});
