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
  const shown = Number.isNaN(date.getTime()) ? text : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return el('time', { datetime: at ?? text, title: text }, shown);
}

const person = (item) => `${item.display_name || '(no name)'} (@${item.handle || '?'})`;
export { person };

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
