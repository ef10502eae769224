// Small DOM helpers: every string goes in as text, never as HTML.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.filter((child) => child !== undefined && child !== null));
  return node;
}

/**
 * A stored time, shown in the browser's zone. `at` is the instant the server read it as (a time without an
 * offset is in the configured zone, docs/time.md); the stored text stays in the title and datetime.
 */
export function timeElement(text, at) {
  const date = new Date(at ?? NaN);
  const local = Number.isNaN(date.getTime()) ? text : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return el('time', { datetime: at ?? text, title: text }, local);
}

/**
 * Control characters made visible, as the CLI shows them (src/core/safe-text.ts `visible`, newlines
 * kept): a stored ESC shows as `\x1b`, not as a box the font cannot draw, and a bidi override cannot
 * reorder what follows it. Tabs and newlines stay; the text itself is never changed, only its display.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
export function shown(text) {
  return String(text ?? '').replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

export const person = (item) => `${shown(item.display_name) || '(no name)'} (@${shown(item.handle) || '?'})`;

/** Key attributes first (pk, sk, then the GSI key), the rest by name: how a learner reads an item. */
const FIRST = ['pk', 'sk', 'message_group_uuid'];
function ordered(item) {
  const names = Object.keys(item).sort((a, b) => (FIRST.includes(a) ? FIRST.indexOf(a) : 9) - (FIRST.includes(b) ? FIRST.indexOf(b) : 9) || a.localeCompare(b));
  return Object.fromEntries(names.map((name) => [name, item[name]]));
}

/** The "Items and query" panel: what was sent to DynamoDB (or PostgreSQL), and what came back. */
export function fillRaw(details, page, label) {
  details.replaceChildren(
    el('summary', {}, `Items and query: ${page.raw.length} ${label}`),
    el('h3', {}, 'Query'),
    el('pre', {}, JSON.stringify(page.query, null, 2)),
    el('h3', {}, 'Items'),
    el('pre', {}, JSON.stringify(page.raw.map(ordered), null, 2)),
  );
}
