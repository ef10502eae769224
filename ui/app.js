// The page: three lists (users, a user's conversations, a conversation's messages), each read one page at
// a time, kept live by the server's Server-Sent Events. No framework: a few lists of buttons are all it is.
import * as api from './api.js';
import { el, fillRaw, person, timeElement } from './render.js';

const $ = (id) => document.getElementById(id);
const state = {
  info: undefined,
  users: [],
  usersCursor: null,
  user: undefined, // the selected user { uuid, display_name, handle }
  conversations: [],
  conversationsCursor: null,
  group: undefined, // the selected conversation (a group row)
  messages: [],
  messagesCursor: null,
};

function say(id, text) {
  $(id).textContent = text;
}

function failed(id) {
  return (error) => say(id, `Could not read: ${error.message}`);
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
  $('users-more').hidden = !state.usersCursor;
  if (state.users.length === 0)
    say(
      'users-status',
      state.info?.users === 'postgres' ? 'No users in public.users.' : `No conversations in ${state.info?.table} yet: it has no group items.`,
    );
  else say('users-status', `${state.users.length} users${state.usersCursor ? ' so far' : ''}.`);
}

async function loadUsers() {
  const page = await api.users(state.usersCursor);
  const known = new Set(state.users.map((user) => user.uuid));
  state.users.push(...page.items.filter((user) => !known.has(user.uuid)));
  state.usersCursor = page.cursor;
  fillRaw($('users-raw'), page, page.query.sql ? 'rows' : 'group items');
  renderUsers();
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
      el('span', { class: 'preview' }, group.message),
    ),
  );
}

function renderConversations() {
  replaceRows($('conversations'), state.conversations.map(conversationButton));
  $('conversations-more').hidden = !state.conversationsCursor;
  const who = `@${state.user.handle || state.user.uuid}`;
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
  const page = await api.conversations(state.user.uuid, state.conversationsCursor);
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
  renderUsers();
  renderMessages();
  say('conversations-status', 'Reading…');
  $('conversations').replaceChildren();
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
        el('p', {}, message.message),
      ),
    ),
  );
  if (atBottom) list.scrollTop = list.scrollHeight;
  $('messages-more').hidden = !state.messagesCursor;
  const form = $('send');
  if (!state.group) {
    say('messages-status', 'Pick a conversation.');
    if (form) form.hidden = true;
    return;
  }
  say('messages-status', `With ${person(state.group)}: ${state.messages.length} messages${state.messagesCursor ? ' shown; older ones above' : ''}.`);
  if (form) {
    form.hidden = false;
    say('send-label', `Message as @${state.user.handle || state.user.uuid} to @${state.group.handle}`);
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
  const page = await api.messages(state.group.uuid, state.messagesCursor);
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
  renderConversations();
  remember();
  say('messages-status', 'Reading…');
  await refreshMessages().catch(failed('messages-status'));
}

// ---- send box (local only: the server has no send route in prod) -----------------------------------

async function onSend(event) {
  event.preventDefault();
  const text = $('send-text').value;
  if (!text.trim() || !state.group) return;
  say('send-status', 'Sending…');
  try {
    await api.send(state.user.uuid, state.group.user_uuid, text);
    $('send-text').value = '';
    say('send-status', 'Sent. The stream moves the conversation to the top.');
    await refreshMessages();
  } catch (error) {
    say('send-status', `Not sent: ${error.message}`);
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
  events.addEventListener('open', () => say('stream-state', `Stream: ${state.info.stream}. Live.`));
  events.addEventListener('error', () => say('stream-state', `Stream: ${state.info.stream}. Reconnecting…`));
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
  if (!uuid) return;
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
  } else {
    $('send').addEventListener('submit', onSend);
    // Ctrl+Enter (⌘+Enter) sends; Enter alone is a new line, as in most chat boxes.
    $('send-text').addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) $('send').requestSubmit();
    });
  }
  $('users-more').addEventListener('click', () => loadUsers().catch(failed('users-status')));
  $('conversations-more').addEventListener('click', () => loadOlderConversations().catch(failed('conversations-status')));
  $('messages-more').addEventListener('click', () => loadOlderMessages().catch(failed('messages-status')));
  document.addEventListener('keydown', onKey);
  say('stream-state', `Stream: ${info.stream}.`);
  if (info.stream !== 'off') follow();
  await loadUsers().catch(failed('users-status'));
  await restore();
  document.body.dataset.ready = 'true';
}

start().catch((error) => say('where', `The page could not start: ${error.message}`));
