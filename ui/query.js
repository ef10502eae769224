// "Ask the table": a PartiQL statement or a key condition (the server runs them through the same code as
// `cruddur-ddb query`), one page at a time, and the item view: copy as JSON and, locally, edit or delete
// through the same code as `put` and `delete`. The server refuses the changes in prod; the page does not offer them.
import * as api from './api.js';
import { el, fillRaw, shown } from './render.js';

const $ = (id) => document.getElementById(id);
const STATEMENT = /^\s*(select|exists|insert|update|delete)\b/i;
const state = { request: undefined, cursor: null, items: [], item: undefined };

function say(id, text, error = false) {
  const node = $(id);
  node.textContent = text;
  node.classList.toggle('error', error);
  node.setAttribute('role', error ? 'alert' : 'status');
}

/** What the form asks: a statement (the first word says so), else a key condition on the partition key. */
function request() {
  const text = $('ask-text').value.trim();
  if (STATEMENT.test(text)) {
    const params = $('ask-params')
      .value.split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    return { statement: text, params };
  }
  return { pk: text, skBegins: $('ask-sk').value.trim(), index: $('ask-index').value.trim(), desc: $('ask-desc').checked };
}

const label = (item) =>
  [item.pk, item.sk]
    .filter((v) => v !== undefined)
    .map((v) => shown(typeof v === 'string' ? v : JSON.stringify(v)))
    .join(' · ') || '(item)';

function render() {
  $('ask-items').replaceChildren(
    ...state.items.map((item, i) =>
      el(
        'li',
        {},
        el('button', { type: 'button', 'data-item': i, 'aria-current': item === state.item ? 'true' : undefined, onclick: () => open(item) }, label(item)),
      ),
    ),
  );
  $('ask-more').hidden = !state.cursor;
  say('ask-status', `${state.items.length} item${state.items.length === 1 ? '' : 's'}${state.cursor ? '; More items reads on' : ''}.`);
}

async function ask(more) {
  if (!more) state.request = request();
  if (!state.request.statement && !state.request.pk) return say('ask-status', 'Write a statement or a partition key first.', true);
  say('ask-status', 'Reading…');
  try {
    const page = await api.query({ ...state.request, cursor: more ? state.cursor : undefined });
    state.items = more ? [...state.items, ...page.items] : page.items;
    state.cursor = page.cursor;
    fillRaw($('ask-raw'), page, 'items');
    render();
  } catch (error) {
    say('ask-status', `Could not read: ${error.message}`, true);
  }
}

const asJson = (item) => JSON.stringify(item, null, 2);

function open(item) {
  state.item = item;
  $('item-view').hidden = false;
  $('item-json').textContent = asJson(item);
  $('item-text').value = asJson(item);
  say('item-status', '');
  render();
}

async function copy() {
  const text = asJson(state.item);
  try {
    await window.navigator.clipboard.writeText(text);
    say('item-status', 'Copied the item as JSON.');
  } catch (error) {
    say('item-status', `Could not copy (${error.message}): select the text above instead.`, true);
  }
}

async function save(event) {
  event.preventDefault();
  let item;
  try {
    item = JSON.parse($('item-text').value);
  } catch (error) {
    return say('item-status', `Not JSON: ${error.message}`, true);
  }
  try {
    const change = await api.putItem(item, $('item-force').checked);
    say('item-status', `${change.before ? 'Replaced the item' : 'Put a new item'}.${change.warnings.length ? ` ${change.warnings.join('; ')}` : ''}`);
    state.item = change.after;
    $('item-json').textContent = asJson(change.after);
    await ask(false);
  } catch (error) {
    say('item-status', `Not saved: ${error.message}`, true);
  }
}

async function remove() {
  const { pk, sk } = state.item;
  if (!window.confirm(`Delete the item ${label(state.item)}?`)) return;
  try {
    const change = await api.deleteItem(pk, sk);
    say('item-status', change.before ? 'Deleted the item.' : 'No item had that key; nothing was deleted.');
    state.item = undefined;
    $('item-json').textContent = '';
    await ask(false);
  } catch (error) {
    say('item-status', `Not deleted: ${error.message}`, true);
  }
}

/** Wires the box; the edit form only where the page may write (never in prod). */
export function setupQuery(info) {
  $('ask').addEventListener('submit', (event) => {
    event.preventDefault();
    void ask(false);
  });
  $('ask-more').addEventListener('click', () => void ask(true));
  $('item-copy').addEventListener('click', () => void copy());
  if (info.readOnly) $('item-edit').remove();
  else {
    $('item-edit').hidden = false;
    $('item-edit').addEventListener('submit', save);
    $('item-delete').addEventListener('click', () => void remove());
  }
}
