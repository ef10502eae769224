/**
 * How many items `query --pk` (key-query.ts) asks DynamoDB for a page: about PAGE_BYTES of items, not DynamoDB's
 * 1 MB. (PartiQL keeps 1 MB pages: partiql.ts says why.)
 *
 * Why: a 1 MB page is several MB of objects once the SDK has parsed it (the body's buffers, its text, the
 * typed items), all alive while the page is printed, so they outlive V8's young generation and pile up in
 * the old one until a full collection; every page read added to the peak (50,000 items of 300 B peaked at
 * 1.47x 5,000). Pages of about 128 KB are printed and dropped within a young collection or two: measured on
 * DynamoDB Local, 50,000 items peaked at 1.12x 5,000 with 500-item pages (1.37x with 1,000, 1.47x with 1 MB),
 * and ran faster too. DynamoDB's Limit counts items, not bytes, so the next page's Limit comes from the size
 * of the items just read (the first page asks for FIRST_PAGE items). A page is never over 1 MB either way.
 */
import { itemSize } from '../transfer/item-checks.js';
import type { Item } from '../transfer/typed-json.js';

export const PAGE_BYTES = 128 * 1024;
/** Before any item is seen: 128 KB of items of about 250 bytes (a message item with a short message). */
export const FIRST_PAGE = 500;
/** Tiny items: no more per page than this, so one page is never a huge number of objects. */
const MOST = 5_000;
/** Items looked at for their size: enough for an average, few enough to cost nothing next to printing them. */
const SAMPLE = 16;

/** The Limit of the page after `items` (the page just read): about PAGE_BYTES of items like them. */
export function nextPageLimit(items: readonly Item[], previous: number): number {
  if (items.length === 0) return previous;
  const step = Math.max(1, Math.floor(items.length / SAMPLE));
  let bytes = 0;
  let seen = 0;
  for (let i = 0; i < items.length; i += step) {
    bytes += itemSize(items[i]!);
    seen++;
  }
  return Math.min(MOST, Math.max(1, Math.floor(PAGE_BYTES / Math.max(1, bytes / seen))));
}
