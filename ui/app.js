// The page: three lists (users, a user's conversations, a conversation's messages), each read one page at
// a time, kept live by the server's Server-Sent Events. No framework: a few lists of buttons are all it is.
import * as api from './api.js';
import { el, fillRaw, person, shown, timeElement } from './render.js';
import { setupQuery } from './query.js';

const $ = (id) => document.getElementById(id);
const state = {
  info: undefined,
  users: [],
  usersCursor: null,
  /** Users read ahead of "More users" (so the button never adds nobody), or null while reading. */
  usersAhead: null,
  user: undefined, // the selected user { uuid, display_name, handle }
  conversations: [],
  conversationsCursor: null,
  group: undefined, // the selected conversation (a group row)
  messages: [],
  messagesCursor: null,
};

/** Puts a line in a status element; an error looks like one (class, marker) and is announced (role=alert). */
function say(id, text, { error = false } = {}) {
  const node = $(id);
  if (!node) return; // the write boxes are not on a read-only (prod) page
  node.textContent = text;
  node.classList.toggle('error', error);
  if (error) node.setAttribute('role', 'alert');
  else if (node.getAttribute('role') === 'alert') node.setAttribute('role', 'status');
}

function failed(id, what = 'Could not read') {
  return (error) => say(id, `${what}: ${error.message}`, { error: true });
}

/** An "Items and query" panel back to empty: nothing read for the current selection yet. */
function clearRaw(id) {
  $(id).replaceChildren(el('summary', {}, 'Items and query'));
}

/** Replaces a list's rows, keeping keyboard focus on the same row (a re-render must not drop it to the page). */
function replaceRows(list, rows) {
  const focused = list.contains(document.activeElement) ? document.activeElement : undefined;
  const key = focused?.dataset.uuid ?? focused?.dataset.group;
  list.replaceChildren(...rows);
  if (key) list.querySelector(`[data-uuid="${key}"], [data-group="${key}"]`)?.focus();
}

// ---- users ----------------------------------------------------------------------------------------

function renderUsers() {
  replaceRows(
    $('users'),
    state.users.map((user) =>
      el(
        'li',
        {},
        el(
          'button',
          { type: 'button', 'data-uuid': user.uuid, 'aria-current': user.uuid === state.user?.uuid ? 'true' : undefined, onclick: () => pickUser(user) },
          person(user),
        ),
      ),
    ),
  );
  const ahead = state.usersAhead;
  const more = $('users-more');
  // Shown only when it will add someone (or read on past a stretch of repeats, said so below).
  more.hidden = !ahead || (ahead.found.length === 0 && !ahead.cursor);
  more.disabled = false;
  if (state.users.length === 0 && !state.usersCursor) {
    say('users-status', '');
    $('users-status').append(...emptyTable());
    return;
  }
  const count = `${state.users.length} user${state.users.length === 1 ? '' : 's'}`;
  if (!ahead) say('users-status', `${count} so far; looking for more…`);
  else if (ahead.found.length > 0) say('users-status', `${count} so far; More users adds the next ones.`);
  else if (ahead.cursor)
    say(
      'users-status',
      `${count} so far; the next ${ahead.items} ${state.info?.users === 'postgres' ? 'rows' : 'group items'} name nobody new. More users reads on.`,
    );
  else say('users-status', `${count}: all of them.`);
}

/** What an empty table says: that it is empty, and the command that fills it. */
function emptyTable() {
  const { info } = state;
  if (info?.users === 'postgres') return ['No users in public.users.'];
  const empty = `No conversations yet: ${info?.table} has no group items.`;
  if (!info?.fill) return [empty];
  return [`${empty} Fill it with `, el('code', {}, info.fill), ' (the sample conversations), or start one with New conversation.'];
}

/** Scan pages from `cursor` until one names a user not seen yet, the list ends, or LOOKAHEAD pages were read. */
const LOOKAHEAD = 25;
async function readNewUsers(cursor) {
  const known = new Set(state.users.map((user) => user.uuid));
  const found = [];
  let page;
  let items = 0;
  for (let pages = 0; pages === 0 || (found.length === 0 && cursor && pages < LOOKAHEAD); pages++) {
    page = await api.users(cursor);
    items += page.raw.length;
    cursor = page.cursor;
    for (const user of page.items) {
      if (known.has(user.uuid)) continue;
      known.add(user.uuid);
      found.push(user);
    }
  }
  return { found, cursor, page, items };
}

/** Shows the users read ahead, then reads ahead again, so the button knows before a click whether it can add anyone. */
async function loadUsers({ peek = true } = {}) {
  const next = state.usersAhead ?? (await readNewUsers(state.usersCursor));
  state.usersAhead = null;
  $('users-more').disabled = true;
  state.users.push(...next.found);
  state.usersCursor = next.cursor;
  fillRaw($('users-raw'), next.page, next.page.query.sql ? 'rows' : 'group items');
  renderUsers();
  if (peek) await peekUsers();
}

async function peekUsers() {
  state.usersAhead = state.usersCursor ? await readNewUsers(state.usersCursor) : { found: [], cursor: null, items: 0 };
  renderUsers();
}

/** Opens a user by handle: PostgreSQL when the page has it, else the group items that name them. */
async function openHandle(event) {
  event?.preventDefault();
  const handle = $('find-handle').value.trim().replace(/^@/, '');
  if (!handle) return say('find-status', 'Write a handle first.', { error: true });
  say('find-status', `Looking for @${handle}…`);
  try {
    const found = await api.handle(handle);
    say('find-status', `@${handle}: ${found.how}.`);
    await pickUser(state.users.find((user) => user.uuid === found.user.uuid) ?? found.user);
  } catch (error) {
    failed('find-status', 'Not found')(error);
  }
}

// ---- conversations -------------------------------------------------------------------------------

function conversationButton(group) {
  return el(
    'li',
    {},
    el(
      'button',
      {
        type: 'button',
        'data-group': group.uuid,
        'aria-current': group.uuid === state.group?.uuid ? 'true' : undefined,
        onclick: () => pickConversation(group),
      },
      el('span', {}, person(group), ' · ', timeElement(group.created_at, group.at)),
      el('span', { class: 'preview' }, shown(group.message)),
    ),
  );
}

function renderConversations() {
  replaceRows($('conversations'), state.conversations.map(conversationButton));
  $('conversations-more').hidden = !state.conversationsCursor;
  const who = `@${shown(state.user.handle) || state.user.uuid}`;
  say(
    'conversations-status',
    state.conversations.length === 0
      ? `${who} has no conversations.`
      : `${who}: ${state.conversations.length} conversations${state.conversationsCursor ? ' so far' : ''}.`,
  );
}

/** Reads the newest page again; a conversation that moved comes first, the older pages already shown stay. */
async function refreshConversations() {
  if (!state.user) return;
  const user = state.user;
  const page = await api.conversations(user.uuid);
  if (state.user !== user) return;
  const fresh = new Set(page.items.map((group) => group.uuid));
  const older = state.conversations.filter((group) => !fresh.has(group.uuid));
  if (state.conversations.length === 0) state.conversationsCursor = page.cursor;
  state.conversations = [...page.items, ...older];
  fillRaw($('conversations-raw'), page, 'group items');
  renderConversations();
}

async function loadOlderConversations() {
  const user = state.user;
  const page = await api.conversations(user.uuid, state.conversationsCursor);
  if (state.user !== user) return;
  const known = new Set(state.conversations.map((group) => group.uuid));
  state.conversations.push(...page.items.filter((group) => !known.has(group.uuid)));
  state.conversationsCursor = page.cursor;
  fillRaw($('conversations-raw'), page, 'group items');
  renderConversations();
}

async function pickUser(user) {
  state.user = user;
  state.group = undefined;
  state.conversations = [];
  state.conversationsCursor = null;
  state.messages = [];
  state.messagesCursor = null;
  // Nothing of the previous user's conversation may stay: its items, its query, its send box.
  clearRaw('conversations-raw');
  clearRaw('messages-raw');
  say('send-status', '');
  say('start-status', '');
  renderUsers();
  renderMessages();
  renderStart();
  say('conversations-status', 'Reading…');
  $('conversations').replaceChildren();
  $('conversations-more').hidden = true;
  remember();
  await refreshConversations().catch(failed('conversations-status'));
}

// ---- messages ------------------------------------------------------------------------------------

function renderMessages() {
  const list = $('messages');
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
  list.replaceChildren(
    ...state.messages.map((message) =>
      el(
        'li',
        { 'data-uuid': message.uuid },
        el('strong', {}, person(message)),
        ' · ',
        timeElement(message.created_at, message.at),
        el('p', {}, shown(message.message)),
      ),
    ),
  );
  if (atBottom) list.scrollTop = list.scrollHeight;
  $('messages-more').hidden = !state.messagesCursor;
  const form = $('send');
  if (!state.group) {
    say('messages-status', 'Pick a conversation.');
    if (form) form.hidden = true;
    say('send-label', 'Message');
    return;
  }
  say('messages-status', `With ${person(state.group)}: ${state.messages.length} messages${state.messagesCursor ? ' shown; older ones above' : ''}.`);
  if (form) {
    form.hidden = false;
    say('send-label', `Message as @${shown(state.user.handle) || state.user.uuid} to @${shown(state.group.handle)}`);
  }
}

/** The newest page again: new messages join the end. */
async function refreshMessages() {
  const group = state.group;
  if (!group) return;
  const page = await api.messages(group.uuid);
  if (state.group !== group) return;
  const known = new Set(state.messages.map((message) => message.uuid));
  if (state.messages.length === 0) state.messagesCursor = page.cursor;
  state.messages.push(...page.items.filter((message) => !known.has(message.uuid)));
  fillRaw($('messages-raw'), page, 'message items');
  renderMessages();
}

async function loadOlderMessages() {
  const group = state.group;
  const page = await api.messages(group.uuid, state.messagesCursor);
  if (state.group !== group) return;
  const known = new Set(state.messages.map((message) => message.uuid));
  state.messages.unshift(...page.items.filter((message) => !known.has(message.uuid)));
  state.messagesCursor = page.cursor;
  fillRaw($('messages-raw'), page, 'message items');
  renderMessages();
}

async function pickConversation(group) {
  state.group = group;
  state.messages = [];
  state.messagesCursor = null;
  clearRaw('messages-raw');
  say('send-status', '');
  renderConversations();
  renderMessages();
  remember();
  say('messages-status', 'Reading…');
  await refreshMessages().catch(failed('messages-status'));
}

// ---- send box (local only: the server has no send route in prod) -----------------------------------

async function onSend(event) {
  event.preventDefault();
  const text = $('send-text').value;
  // Never silent: a click that cannot send says why.
  if (!state.group) return say('send-status', 'Pick a conversation first.', { error: true });
  if (!text.trim()) return say('send-status', 'Write a message first.', { error: true });
  say('send-status', 'Sending…');
  try {
    await api.send(state.user.uuid, state.group.user_uuid, text);
    $('send-text').value = '';
    say('send-status', 'Sent. The stream moves the conversation to the top.');
    await refreshMessages();
  } catch (error) {
    say('send-status', `Not sent: ${error.message}`, { error: true });
  }
}

// ---- a new conversation (local only): the library's send, which starts one when the two have none ------

function renderStart() {
  const form = $('start');
  if (!form) return;
  form.hidden = !state.user;
  if (state.user) say('start-label', `New conversation as @${shown(state.user.handle) || state.user.uuid}, with`);
}

async function onStart(event) {
  event.preventDefault();
  if (!state.user) return say('start-status', 'Pick a user first.', { error: true });
  const handle = $('start-handle').value.trim().replace(/^@/, '');
  const text = $('start-text').value;
  if (!handle) return say('start-status', 'Write the handle of the other person.', { error: true });
  if (!text.trim()) return say('start-status', 'Write the first message.', { error: true });
  say('start-status', 'Sending…');
  const user = state.user;
  try {
    const sent = await api.start(user.uuid, handle, text);
    $('start-text').value = '';
    $('start-handle').value = '';
    say('start-status', sent.new_conversation ? `Started a conversation with @${handle}.` : `You already talk with @${handle}: sent there.`);
    await refreshConversations();
    const group = state.user === user && state.conversations.find((known) => known.uuid === sent.message_group_uuid);
    if (group) await pickConversation(group);
  } catch (error) {
    say('start-status', `Not sent: ${error.message}`, { error: true });
  }
}

// ---- live ----------------------------------------------------------------------------------------

function logLine(text) {
  const log = $('stream-log');
  log.append(el('li', {}, text));
  while (log.children.length > 50) log.firstElementChild.remove();
  log.scrollTop = log.scrollHeight;
}

function follow() {
  const events = new EventSource('/api/events');
  events.addEventListener('log', (event) => logLine(JSON.parse(event.data).line));
  events.addEventListener('batch', (event) => {
    const batch = JSON.parse(event.data);
    if (batch.groups.length === 0) return;
    const update = () => {
      refreshConversations().catch(failed('conversations-status'));
      if (state.group && batch.groups.includes(state.group.uuid)) refreshMessages().catch(failed('messages-status'));
    };
    update();
    // Watching only: whoever applies the stream (the Lambda, `cruddur-ddb stream`) may not have yet; its
    // own group-item writes come through the stream as well and bring the page here again.
    if (batch.mode === 'watch' && batch.messages > 0) setTimeout(update, 1500);
  });
  // "Live." only while the server says its stream runs: it tells every page (and each new one) when that changes.
  let stream = { running: undefined, line: state.info.stream };
  const show = () => {
    if (stream.running === undefined) say('stream-state', `Stream: ${stream.line}. Connecting…`);
    else if (stream.running) say('stream-state', `Stream: ${stream.line}. Live.`);
    else say('stream-state', `Stream ${stream.line}. The page reads only when you click.`, { error: true });
  };
  events.addEventListener('state', (event) => {
    stream = JSON.parse(event.data);
    show();
  });
  events.addEventListener('error', () => say('stream-state', 'Lost the page’s server; reconnecting…', { error: true }));
  events.addEventListener('open', show);
}

// ---- keyboard: arrows move within a list, left/right between lists ------------------------------------

const LISTS = ['users', 'conversations', 'messages'];

function onKey(event) {
  const button = event.target.closest?.('.list button');
  if (!button) return;
  const list = button.closest('.list');
  const buttons = [...list.querySelectorAll('button')];
  const at = buttons.indexOf(button);
  let next;
  if (event.key === 'ArrowDown') next = buttons[Math.min(at + 1, buttons.length - 1)];
  else if (event.key === 'ArrowUp') next = buttons[Math.max(at - 1, 0)];
  else if (event.key === 'Home') next = buttons[0];
  else if (event.key === 'End') next = buttons.at(-1);
  else if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
    const other = $(LISTS[LISTS.indexOf(list.id) + (event.key === 'ArrowRight' ? 1 : -1)] ?? '');
    next = other?.querySelector('[aria-current="true"]') ?? other?.querySelector('button') ?? (other ? $(`${other.id}-heading`) : undefined);
  }
  if (next) {
    event.preventDefault();
    next.focus();
  }
}

// ---- where we are: the selection lives in the address (#user=…&group=…), so a reload keeps it ---------

function remember() {
  const params = new URLSearchParams();
  if (state.user) params.set('user', state.user.uuid);
  if (state.group) params.set('group', state.group.uuid);
  history.replaceState(null, '', `#${params}`);
}

async function restore() {
  const params = new URLSearchParams(location.hash.slice(1));
  const uuid = params.get('user');
  if (!uuid) {
    // #handle=<handle> opens a user by handle (the address then names the uuid).
    if (params.get('handle')) {
      $('find-handle').value = params.get('handle');
      await openHandle();
    }
    return;
  }
  const user = state.users.find((known) => known.uuid === uuid) ?? { uuid, display_name: '', handle: '' };
  await pickUser(user);
  const group = state.conversations.find((known) => known.uuid === params.get('group'));
  if (group) await pickConversation(group);
}

async function start() {
  state.info = await api.info();
  const { info } = state;
  say('where', `${info.env} · table ${info.table} · ${info.target}${info.readOnly ? ' · read-only' : ''} · users from ${info.users}`);
  say(
    'users-how',
    info.users === 'postgres' ? 'From PostgreSQL public.users, by handle.' : 'From group items: a Scan of the GSI message-group-sk-index, one page at a time.',
  );
  if (info.readOnly) {
    const banner = $('prod-banner');
    banner.hidden = false;
    banner.textContent = `PROD, read-only: account ${info.account ?? 'unknown'}, region ${info.region ?? 'unknown'}, table ${info.table}. Nothing here writes.`;
    $('send').remove();
    $('start').remove();
  } else {
    $('start').addEventListener('submit', onStart);
    $('send').addEventListener('submit', onSend);
    // Ctrl+Enter (⌘+Enter) sends; Enter alone is a new line, as in most chat boxes.
    $('send-text').addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) $('send').requestSubmit();
    });
  }
  setupQuery(info);
  $('users-more').addEventListener('click', () => loadUsers().catch(failed('users-status')));
  $('find-user').addEventListener('submit', openHandle);
  $('conversations-more').addEventListener('click', () => loadOlderConversations().catch(failed('conversations-status')));
  $('messages-more').addEventListener('click', () => loadOlderMessages().catch(failed('messages-status')));
  document.addEventListener('keydown', onKey);
  say('stream-state', `Stream: ${info.stream}.`);
  if (info.stream !== 'off') follow();
  // The first page of users, then the selection in the address; reading ahead for "More users" comes after,
  // so a first render costs the same whatever the table holds.
  let listed = true;
  await loadUsers({ peek: false }).catch((error) => {
    listed = false;
    failed('users-status')(error);
  });
  await restore();
  document.body.dataset.ready = 'true';
  if (listed) await peekUsers().catch(failed('users-status'));
}

start().catch((error) => say('where', `The page could not start: ${error.message}`, { error: true }));
