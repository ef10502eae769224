/**
 * Many readers at once, one stream out: `mergeBounded` opens at most `width` of the sources, hands on
 * their values in the order they arrive, and opens the next source when one ends. Each open source has
 * at most one value asked for and not yet taken, so memory is bounded by `width` values (pages of at
 * most 1 MB, for the slice's Queries) whatever the number of sources.
 */

type Answer<T> = { slot: Slot<T>; result: IteratorResult<T> } | { slot: Slot<T>; error: unknown };

interface Slot<T> {
  iterator: AsyncIterator<T>;
  /** Never rejects: a failure is an answer, so one failing source cannot go unhandled beside the others. */
  next: Promise<Answer<T>>;
}

/** Values of every source; sources are taken from `sources` lazily, as slots free up. Stopping early stops them all. */
export async function* mergeBounded<T>(sources: Iterable<AsyncIterable<T>>, width: number): AsyncGenerator<T> {
  const pending = sources[Symbol.iterator]();
  const open = new Set<Slot<T>>();
  const ask = (slot: Slot<T>) => {
    slot.next = slot.iterator.next().then(
      (result): Answer<T> => ({ slot, result }),
      (error: unknown): Answer<T> => ({ slot, error }),
    );
  };
  const openNext = () => {
    const source = pending.next();
    if (source.done) return false;
    const slot = { iterator: source.value[Symbol.asyncIterator]() } as Slot<T>;
    ask(slot);
    open.add(slot);
    return true;
  };
  while (open.size < Math.max(1, width) && openNext());
  try {
    while (open.size > 0) {
      const answer = await Promise.race([...open].map((slot) => slot.next));
      if ('error' in answer) {
        open.delete(answer.slot);
        throw answer.error;
      }
      if (answer.result.done) {
        open.delete(answer.slot);
        openNext();
        continue;
      }
      // Its next value is asked for before this one is handed on, so the sources work while the consumer does.
      ask(answer.slot);
      yield answer.result.value;
    }
  } finally {
    // Done, failed or stopped: let each open source finish its call, then close it.
    await Promise.all(
      [...open].map(async (slot) => {
        const last = await slot.next;
        if (!('error' in last) && !last.result.done) await slot.iterator.return?.();
      }),
    );
  }
}
