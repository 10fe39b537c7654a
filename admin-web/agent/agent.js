// The agent console. Speaks PROTOCOL.md's agent socket; every text from the network is put on the
// page with textContent, never as HTML.
import { channelKinds, channelLabel } from '../shared/channels.js';
import { consoleSocket, logIn, logOut } from '../shared/console.js';
import { errorText } from '../shared/errors.js';
import { outbox } from '../shared/outbox.js';
import { closedText, systemText } from '../shared/system-messages.js';
import { t } from './i18n.js';
import { customerLinks } from './links.js';

const $ = (id) => document.getElementById(id);
const TOKEN = 'sangdam.agent.token';
/** The status (and away reason) this tab last had, so a reload comes back as the agent left it. */
const STATUS = 'sangdam.agent.status';

const state = {
  lang: localStorage.getItem('sangdam.lang') || 'ko',
  connection: null,
  me: null,
  chats: new Map(), // conversation id -> { view, unread, lastSeq, items: [] , hold }
  selected: null,
  pending: new Map(), // rid -> callback
  notes: new Map(), // cmid -> text of a note not yet acknowledged
  rid: 0,
  canned: [],
  kinds: new Map(), // channel code -> kind, read from the server
  kindsAsked: new Set(), // channel codes the kinds were read again for
  cannedIndex: 0,
  flash: null,
  awayReasons: [], // the tenant's away reasons (이석 사유) offered in welcome: [{ code, name, nameEn }]
  // The status (and away reason) this agent last had, set again after a reconnect or a reload.
  chosen: JSON.parse(sessionStorage.getItem(STATUS) || 'null'),
};

const text = (key, values) => t(state.lang, key, values);

// The customer panel's link proposals; an accepted one shows in the history, read again.
const links = customerLinks(text, TOKEN, (id) => {
  if (id === state.selected) {
    request({ type: 'history', conversation: id }, profile);
  }
});

function label() {
  document.documentElement.lang = state.lang;
  document.title = text('title');
  $('title').textContent = text('title');
  $('language').textContent = text('language');
  $('logout').textContent = text('logout');
  $('login-button').textContent = text('login');
  $('send').textContent = text('send');
  $('transfer').textContent = text('transfer');
  $('close').textContent = text('close');
  renderStatus();
  for (const el of document.querySelectorAll('[data-t]')) {
    el.textContent = text(el.dataset.t);
  }
  $('text').placeholder = text('placeholder');
  renderChats();
  renderTitle();
  renderHold();
  links.relabel();
}

function notice(message) {
  $('notice').textContent = message || '';
}

// --- login

async function login(event) {
  event.preventDefault();
  try {
    await logIn(TOKEN);
    // A new sign-in starts OFFLINE, whatever the tab had before.
    sessionStorage.removeItem(STATUS);
    state.chosen = null;
  } catch (e) {
    notice(text('loginFailed', { reason: e.message }));
    return;
  }
  connect();
}

// --- the socket

function connect() {
  state.connection = consoleSocket(TOKEN, {
    onMessage: receive,
    onSignedOut: showLogin,
    onDisconnected: () => notice(text('disconnected')),
  });
}

/** Sends on the socket in use (after a reconnect, the new one). */
function post(message) {
  state.connection.current().send(JSON.stringify(message));
}

// My messages and notes until the server has stored them: refused ones are sent again (shown as
// sending meanwhile), and all of them again after a reconnect.
const outgoing = outbox((frame) => {
  const socket = state.connection && state.connection.current();
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify(frame));
  }
}, (frame, error) => {
  state.notes.delete(frame.cmid);
  const chat = state.chats.get(frame.conversation);
  const item = chat && chat.items.find((i) => i.cmid === frame.cmid);
  if (item) {
    item.name = text('notSent');
    item.kind = 'agent failed';
    if (frame.conversation === state.selected) {
      renderMessages();
    }
  }
  notice(errorText(error, state.lang));
});

/** Sends a frame with a cmid through the outbox; a message to the customer shows as sending until stored. */
function sendKept(frame, shown) {
  const chat = state.chats.get(frame.conversation);
  if (frame.type === 'send' && chat) {
    chat.items.push({ kind: 'agent pending', text: shown, name: text('sending'), cmid: frame.cmid });
    if (frame.conversation === state.selected) {
      renderMessages();
    }
  }
  outgoing.send(frame);
}

/** The transfer dialog: the tenant's queues by center, and the center's agents, those without room greyed out. */
function transferTargets(m) {
  const queues = $('to-queue');
  queues.replaceChildren(new Option(text('chooseQueue'), ''));
  const groups = new Map();
  for (const q of m.queues) {
    if (!groups.has(q.center)) {
      const group = document.createElement('optgroup');
      group.label = q.centerName;
      groups.set(q.center, group);
      queues.append(group);
    }
    groups.get(q.center).append(new Option(q.name, q.target));
  }
  const agents = $('to-agent');
  agents.replaceChildren(new Option(text('chooseAgent'), ''));
  for (const a of m.agents) {
    const o = new Option(text('agentLoad', { name: a.name, status: text(a.status), open: a.openChats, max: a.maxChats }),
      a.username);
    o.disabled = !a.room;
    agents.append(o);
  }
  $('transfer-form').hidden = false;
}

function request(message, callback) {
  const rid = `r${++state.rid}`;
  if (callback) {
    state.pending.set(rid, callback);
  }
  post({ ...message, rid });
}

function receive(m) {
  if (outgoing.receive(m)) {
    return;
  }
  const callback = m.rid && state.pending.get(m.rid);
  if (callback) {
    state.pending.delete(m.rid);
    if (m.type !== 'error') {
      callback(m);
      return;
    }
  }
  switch (m.type) {
    case 'welcome': return welcome(m);
    case 'status': return statusChanged(m.status, m.reason);
    case 'assigned': return assigned(m.conversation, m.note);
    case 'message': return message(m);
    case 'note': return noted(m);
    case 'ack': return acknowledged(m);
    case 'typing': return typing(m.conversation);
    case 'read': return readUpTo(m.conversation, m.seq);
    case 'closed': return closed(m);
    case 'transferred': return removed(m.conversation, text('transferred'));
    case 'hold': return held(m.conversation, m.hold);
    case 'presence': return presence(m.conversation, m.customer === 'online');
    case 'rated': return notice(text('rated', { score: m.score }));
    case 'waitingAdded': return addWaiting(m.conversation);
    case 'waitingRemoved': return removeWaiting(m.conversation);
    case 'deliveryFailed': return deliveryFailed(m);
    case 'error': return notice(errorText(m, state.lang));
    default: return undefined;
  }
}

function welcome(m) {
  if (m.type === 'error') {
    return;
  }
  notice('');
  state.me = m.user;
  $('me').textContent = `${m.user.name} (${m.user.center || m.user.tenant || ''})`;
  $('login').hidden = true;
  $('console').hidden = false;
  $('status').hidden = false;
  $('logout').hidden = false;
  state.awayReasons = m.awayReasons || [];
  const before = state.chosen;
  statusChanged(m.status, m.reason);
  // A reconnect (or reload) that landed where the agent's status is unknown (another node, or after
  // every tab closed) comes back as the agent left it, reason included, rather than OFFLINE.
  if (before && before.status !== 'OFFLINE' && m.status === 'OFFLINE') {
    setStatus(before.status, before.reason);
  }
  for (const c of m.conversations) {
    track(c);
  }
  renderChats();
  loadKinds();
  request({ type: 'waiting' }, (w) => {
    $('waiting').replaceChildren();
    w.conversations.forEach(addWaiting);
  });
  if (state.selected !== null && state.chats.has(state.selected)) {
    select(state.selected, true);
  }  outgoing.resend();
}

function showLogin(reason) {
  $('console').hidden = true;
  $('status').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  notice(reason || '');
}

// --- status

/** The status picker: ONLINE, AWAY without a reason and with each of the tenant's away reasons, OFFLINE. */
function renderStatus() {
  const picker = $('status');
  const options = [new Option(text('ONLINE'), 'ONLINE'), new Option(text('AWAY'), 'AWAY')];
  for (const r of state.awayReasons) {
    options.push(new Option(text('awayWith', { reason: reasonName(r) }), `AWAY:${r.code}`));
  }
  options.push(new Option(text('OFFLINE'), 'OFFLINE'));
  picker.replaceChildren(...options);
  if (state.chosen) {
    picker.value = statusValue(state.chosen.status, state.chosen.reason);
  }
}

function reasonName(r) {
  return state.lang === 'en' && r.nameEn ? r.nameEn : r.name;
}

function statusValue(status, reason) {
  return status === 'AWAY' && reason ? `AWAY:${reason}` : status;
}

function statusChanged(status, reason) {
  state.chosen = { status, reason: reason || null };
  sessionStorage.setItem(STATUS, JSON.stringify(state.chosen));
  renderStatus();
}

function setStatus(status, reason) {
  const frame = { type: 'status', status };
  if (reason) {
    frame.reason = reason;
  }
  request(frame);
}

// --- chats

/** Reads the tenant's channel kinds, then names the channels shown again. */
function loadKinds() {
  if (!state.me || !state.me.tenant) {
    return;
  }
  channelKinds(TOKEN, state.me.tenant).then((kinds) => {
    state.kinds = kinds;
    renderChats();
    renderTitle();
  }, () => {
    // The codes stand in for the labels until the next read.
  });
}

/** The label of a conversation's channel; a code not known yet is read again (once), shown as itself meanwhile. */
function channelOf(view) {
  const code = view.channel || 'web';
  if (code !== 'web' && !state.kinds.has(code) && !state.kindsAsked.has(code)) {
    state.kindsAsked.add(code);
    loadKinds();
  }
  return channelLabel(text, state.kinds, code);
}

function track(view) {
  const known = state.chats.get(view.id);
  if (known) {
    known.view = view;
    return known;
  }
  const chat = { view, unread: 0, lastSeq: 0, ahead: 0, catchUpFrom: null, items: [], hold: view.state === 'HOLD',
    loaded: false };
  state.chats.set(view.id, chat);
  return chat;
}

function assigned(view, note) {
  track(view);
  removeWaiting(view.id);
  renderChats();
  alertNew();
  if (note) {
    state.chats.get(view.id).items.push({ kind: 'note', text: note, name: text('transfer') });
  }
  if (state.selected === null) {
    select(view.id);
  }
}

/** A sound and a flashing title, so a new chat is not missed in another window. */
function alertNew() {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    tone.frequency.value = 880;
    tone.connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.2);
  } catch (e) {
    // no sound where the browser allows none
  }
  if (state.flash === null && document.hidden) {
    let on = false;
    state.flash = setInterval(() => {
      on = !on;
      document.title = on ? text('newAssignment') : text('title');
    }, 800);
  }
}

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && state.flash !== null) {
    clearInterval(state.flash);
    state.flash = null;
    document.title = text('title');
  }
});

function renderChats() {
  const list = $('chats');
  list.replaceChildren();
  for (const [id, chat] of state.chats) {
    const li = document.createElement('li');
    li.dataset.conversation = id;
    li.setAttribute('aria-selected', String(id === state.selected));
    if (chat.unread > 0) {
      const badge = document.createElement('span');
      badge.className = 'unread';
      badge.textContent = String(chat.unread);
      li.append(badge);
    }
    li.append(document.createTextNode(chat.view.customer.name));
    const channel = document.createElement('span');
    channel.className = 'channel';
    channel.textContent = channelOf(chat.view);
    li.append(channel);
    if (chat.view.customerOnline === false) {
      const gone = document.createElement('span');
      gone.className = 'offline';
      gone.textContent = text('customerOffline');
      gone.title = text('customerOfflineHint');
      li.append(gone);
    }
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = `${chat.view.queue} · ${since(chat.view.createdAt)}${chat.hold ? ` · ${text('held')}` : ''}`;
    li.append(meta);
    li.addEventListener('click', () => select(id));
    list.append(li);
  }
  $('no-chats').hidden = state.chats.size > 0;
}

function renderTitle() {
  const chat = state.chats.get(state.selected);
  if (chat) {
    $('conversation-title').textContent = `${chat.view.customer.name} · ${channelOf(chat.view)} · ${chat.view.queue}`;
  }
}

function since(at) {
  const minutes = Math.floor((Date.now() - Date.parse(at)) / 60_000);
  return minutes < 1 ? text('justNow') : text('since', { minutes });
}

function select(id, again = false) {
  state.selected = id;
  const chat = state.chats.get(id);
  chat.unread = 0;
  renderChats();
  $('toolbar').hidden = false;
  $('composer').hidden = false;
  renderTitle();
  renderHold();
  renderMessages();
  if (!chat.loaded || again) {
    chat.loaded = true;
    request({ type: 'resume', conversation: id, afterSeq: chat.lastSeq });
    request({ type: 'notes', conversation: id }, (n) => {
      for (const note of n.notes) {
        noted(note);
      }
    });
  }
  request({ type: 'history', conversation: id }, profile);
  $('text').focus();
}

/**
 * A message pushed or replayed, shown in seq order, once. One past a gap (my own message, replayed
 * after its ack; or one the server stored after answering that it had not) is left to a resume
 * from the gap, which replays both in order.
 */
function message(m) {
  const chat = state.chats.get(m.conversation);
  if (!chat || m.seq <= chat.lastSeq) {
    return;
  }
  if (m.seq > chat.lastSeq + 1) {
    chat.ahead = Math.max(chat.ahead, m.seq);
    catchUp(m.conversation, chat);
    return;
  }
  chat.lastSeq = m.seq;
  chat.items.push({ kind: m.from, text: m.text, name: m.name, seq: m.seq, attachment: m.attachment,
    buttons: m.buttons, key: m.key, params: m.params });
  if (m.conversation === state.selected) {
    renderMessages();
    if (m.from === 'customer') {
      post({ type: 'read', conversation: m.conversation, seq: m.seq });
      $('typing').hidden = true;
    }
  } else if (m.from === 'customer') {
    chat.unread += 1;
    renderChats();
  }
}

/**
 * My own message is not pushed back to this console, and a canned one is filled on the server:
 * once it is stored, the console reads what was stored. My own note is shown as acknowledged.
 */
function acknowledged(m) {
  const chat = state.chats.get(m.conversation);
  if (!chat) {
    return;
  }
  const pending = chat.items.findIndex((i) => i.cmid === m.cmid);
  if (pending >= 0) {
    chat.items.splice(pending, 1);
  }
  if (m.note) {
    const noteText = state.notes.get(m.cmid);
    state.notes.delete(m.cmid);
    if (noteText !== undefined) {
      noted({ conversation: m.conversation, id: m.seq, kind: 'NOTE', author: state.me, text: noteText });
    }
  } else if (m.seq > chat.lastSeq) {
    chat.ahead = Math.max(chat.ahead, m.seq);
    catchUp(m.conversation, chat);
  }
}

/** Asks for what is missing after lastSeq, once per gap; a push its replay did not reach is asked for again. */
function catchUp(id, chat) {
  if (chat.catchUpFrom === chat.lastSeq) {
    return;
  }
  chat.catchUpFrom = chat.lastSeq;
  request({ type: 'resume', conversation: id, afterSeq: chat.lastSeq }, () => {
    chat.catchUpFrom = null;
    if (chat.ahead > chat.lastSeq) {
      catchUp(id, chat);
    }
  });
}

function noted(n) {
  const chat = state.chats.get(n.conversation);
  if (!chat || chat.items.some((i) => i.noteId === n.id)) {
    return;
  }
  chat.items.push({ kind: 'note', text: n.text, name: `${n.kind === 'WHISPER' ? text('whisper') : text('note')} · ${n.author ? n.author.name : ''}`, noteId: n.id });
  if (n.conversation === state.selected) {
    renderMessages();
  }
}

function renderMessages() {
  const chat = state.chats.get(state.selected);
  const list = $('messages');
  list.replaceChildren();
  if (!chat) {
    return;
  }
  for (const item of chat.items) {
    const li = document.createElement('li');
    li.className = item.kind;
    if (item.name && item.kind !== 'system') {
      const who = document.createElement('span');
      who.className = 'meta';
      who.textContent = item.name;
      li.append(who);
    }
    li.append(document.createTextNode(item.attachment ? `📎 ${item.attachment.name}`
      : item.kind === 'system' ? systemText(item, state.lang) : item.text));
    if (item.buttons && item.buttons.length) {
      // The bot's buttons as the customer saw them; the customer's answer follows as their message.
      const offered = document.createElement('span');
      offered.className = 'meta';
      offered.textContent = item.buttons.map((b) => `[${b.label}]`).join(' ');
      li.append(offered);
    }
    if (item.kind === 'agent' && item.seq && item.seq <= (chat.readSeq || 0)) {
      const read = document.createElement('span');
      read.className = 'meta';
      read.textContent = text('read');
      li.append(read);
    }
    list.append(li);
  }
  list.scrollTop = list.scrollHeight;
}

function typing(conversation) {
  if (conversation !== state.selected) {
    return;
  }
  $('typing').textContent = text('typing');
  $('typing').hidden = false;
  clearTimeout(state.typingTimer);
  state.typingTimer = setTimeout(() => { $('typing').hidden = true; }, 5_000);
}

function readUpTo(conversation, seq) {
  const chat = state.chats.get(conversation);
  if (chat) {
    chat.readSeq = Math.max(chat.readSeq || 0, seq);
    if (conversation === state.selected) {
      renderMessages();
    }
  }
}

/** A channel never got the message (or the end): the message shows it, and the notice says why. */
function deliveryFailed(m) {
  const chat = state.chats.get(m.conversation);
  const item = m.item === 'message' && chat && chat.items.find((i) => i.seq === m.seq);
  if (item) {
    item.name = text('notDelivered');
    item.kind = 'agent failed';
    if (m.conversation === state.selected) {
      renderMessages();
    }
  }
  notice(text('deliveryFailed', { reason: m.reason }));
}

function closed(m) {
  removed(m.conversation, closedText(m.reason, state.lang, 'staff'));
}

function removed(id, why) {
  state.chats.delete(id);
  if (state.selected === id) {
    state.selected = null;
    $('toolbar').hidden = true;
    $('composer').hidden = true;
    $('profile').hidden = true;
    links.hide();
    $('messages').replaceChildren();
    $('close-form').hidden = true;
    $('transfer-form').hidden = true;
  }
  renderChats();
  notice(why);
}

function held(id, hold) {
  const chat = state.chats.get(id);
  if (chat) {
    chat.hold = hold;
    renderChats();
    renderHold();
  }
}

/** The customer closed their last window, or came back: marked on the chat in the list. */
function presence(id, online) {
  const chat = state.chats.get(id);
  if (chat) {
    chat.view = { ...chat.view, customerOnline: online };
    renderChats();
  }
}

function renderHold() {
  const chat = state.chats.get(state.selected);
  $('hold').textContent = text(chat && chat.hold ? 'unhold' : 'hold');
}

function profile(h) {
  if (h.conversation !== state.selected) {
    return;
  }
  $('profile').hidden = false;
  $('profile-name').textContent = h.customer.name;
  $('profile-contact').textContent = h.customer.contact || '-';
  $('profile-external').textContent = h.customer.externalId || '-';
  links.show(state.chats.get(h.conversation) && state.chats.get(h.conversation).view);
  // What the bot's forms collected before it handed the conversation off (personal values come masked).
  const fields = h.botFields || [];
  $('bot-fields').hidden = fields.length === 0;
  $('bot-fields-list').replaceChildren(...fields.flatMap((f) => {
    const dt = document.createElement('dt');
    dt.textContent = f.label;
    const dd = document.createElement('dd');
    dd.textContent = f.value;
    dd.dataset.field = f.name;
    return [dt, dd];
  }));
  const earlier = $('earlier');
  earlier.replaceChildren();
  if (h.earlier.length === 0) {
    const li = document.createElement('li');
    li.textContent = text('noHistory');
    earlier.append(li);
  }
  for (const past of h.earlier) {
    const li = document.createElement('li');
    const first = past.messages.find((m) => m.from === 'customer');
    li.textContent = `${new Date(past.conversation.createdAt).toLocaleDateString(state.lang === 'ko' ? 'ko-KR' : 'en-US')}`
      + ` · ${past.conversation.queue}${first ? ` · ${first.text}` : ''}`;
    earlier.append(li);
  }
  if (h.truncated) {
    // The server bounds history by size: say that older messages exist but are not shown.
    const li = document.createElement('li');
    li.textContent = text('historyTruncated');
    earlier.append(li);
  }
}

// --- waiting list (MANUAL queues)

function addWaiting(view) {
  if ($('waiting').querySelector(`[data-conversation="${view.id}"]`)) {
    return;
  }
  const li = document.createElement('li');
  li.dataset.conversation = view.id;
  li.append(document.createTextNode(view.customer.name));
  const meta = document.createElement('span');
  meta.className = 'meta';
  meta.textContent = `${channelOf(view)} · ${view.queue} · ${since(view.createdAt)}`;
  const pick = document.createElement('button');
  pick.type = 'button';
  pick.textContent = text('pick');
  pick.addEventListener('click', () => request({ type: 'pick', conversation: view.id }));
  li.append(meta, pick);
  $('waiting').append(li);
  $('waiting-title').hidden = false;
}

function removeWaiting(id) {
  const li = $('waiting').querySelector(`[data-conversation="${id}"]`);
  if (li) {
    li.remove();
  }
  $('waiting-title').hidden = $('waiting').children.length === 0;
}

// --- composing

function send(event) {
  event.preventDefault();
  const value = $('text').value.trim();
  if (!value || state.selected === null) {
    return;
  }
  if (!$('canned').hidden && state.canned.length > 0) {
    sendCanned(state.canned[state.cannedIndex]);
    return;
  }
  const cmid = crypto.randomUUID();
  if ($('as-note').checked) {
    state.notes.set(cmid, value);
    sendKept({ type: 'note', conversation: state.selected, cmid, text: value });
  } else {
    sendKept({ type: 'send', conversation: state.selected, cmid, text: value }, value);
  }
  $('text').value = '';
}

function sendCanned(response) {
  sendKept({ type: 'send', conversation: state.selected, cmid: crypto.randomUUID(), canned: response.id },
    response.text || response.title || '');
  $('text').value = '';
  $('canned').hidden = true;
}

/** A text that starts with / looks up canned responses (상용구) by shortcut or words. */
function lookUpCanned() {
  const value = $('text').value;
  if (!value.startsWith('/') || $('as-note').checked) {
    $('canned').hidden = true;
    return;
  }
  request({ type: 'canned', q: value }, (c) => {
    if ($('text').value !== value) {
      return;
    }
    state.canned = c.responses;
    state.cannedIndex = 0;
    renderCanned();
  });
}

function renderCanned() {
  const list = $('canned');
  list.replaceChildren();
  state.canned.forEach((r, i) => {
    const li = document.createElement('li');
    li.setAttribute('role', 'option');
    li.setAttribute('aria-selected', String(i === state.cannedIndex));
    li.dataset.shortcut = r.shortcut;
    li.append(document.createTextNode(`${r.shortcut} ${r.title}`));
    const body = document.createElement('span');
    body.className = 'meta';
    body.textContent = r.body.length > 40 ? `${r.body.slice(0, 40)}…` : r.body;
    li.append(body);
    li.addEventListener('click', () => sendCanned(r));
    list.append(li);
  });
  list.hidden = state.canned.length === 0;
}

function wire() {
  $('login').addEventListener('submit', login);
  $('logout').addEventListener('click', () => logOut(TOKEN, state.connection));
  $('language').addEventListener('click', () => {
    state.lang = state.lang === 'ko' ? 'en' : 'ko';
    localStorage.setItem('sangdam.lang', state.lang);
    label();
    renderMessages();
  });
  $('status').addEventListener('change', () => {
    const [status, reason] = $('status').value.split(':');
    setStatus(status, reason);
  });
  $('composer').addEventListener('submit', send);
  $('text').addEventListener('keydown', (event) => {
    if (!$('canned').hidden && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      const n = state.canned.length;
      state.cannedIndex = (state.cannedIndex + (event.key === 'ArrowDown' ? 1 : n - 1)) % n;
      renderCanned();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      send(event);
    } else if (event.key === 'Escape') {
      $('canned').hidden = true;
    }
  });
  $('text').addEventListener('input', () => {
    lookUpCanned();
    if (state.selected !== null && !$('as-note').checked && Date.now() - (state.typingSentAt || 0) > 3_000) {
      state.typingSentAt = Date.now();
      post({ type: 'typing', conversation: state.selected });
    }
  });
  $('as-note').addEventListener('change', () => {
    $('composer').classList.toggle('note', $('as-note').checked);
    $('text').placeholder = text($('as-note').checked ? 'notePlaceholder' : 'placeholder');
  });
  $('hold').addEventListener('click', () => {
    const chat = state.chats.get(state.selected);
    request({ type: 'hold', conversation: state.selected, hold: !chat.hold }, (h) => held(h.conversation, h.hold));
  });
  $('transfer').addEventListener('click', () => request({ type: 'transferTargets', conversation: state.selected },
    transferTargets));
  // A queue or an agent, never both: choosing one clears the other.
  $('to-queue').addEventListener('change', () => { $('to-agent').value = ''; });
  $('to-agent').addEventListener('change', () => { $('to-queue').value = ''; });
  $('transfer-cancel').addEventListener('click', () => { $('transfer-form').hidden = true; });
  $('transfer-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const transfer = { type: 'transfer', conversation: state.selected };
    if ($('to-queue').value) {
      transfer.toQueue = $('to-queue').value;
    } else if ($('to-agent').value) {
      transfer.toAgent = $('to-agent').value;
    } else {
      return;
    }
    if ($('transfer-note').value.trim()) {
      transfer.note = $('transfer-note').value.trim();
    }
    request(transfer, (m) => removed(m.conversation, text('transferred')));
  });
  $('close').addEventListener('click', () => {
    request({ type: 'categories' }, (c) => {
      const select = $('category');
      select.replaceChildren(new Option(text('noCategory'), ''));
      for (const category of c.categories) {
        select.append(new Option(`${'　'.repeat(category.level - 1)}${category.name}`, String(category.id)));
      }
      $('close-form').hidden = false;
    });
  });
  $('close-cancel').addEventListener('click', () => { $('close-form').hidden = true; });
  $('close-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const close = { type: 'close', conversation: state.selected };
    if ($('category').value) {
      close.category = Number($('category').value);
    }
    const tags = $('tags').value.split(',').map((tag) => tag.trim()).filter((tag) => tag);
    if (tags.length > 0) {
      close.tags = tags;
    }
    request(close);
  });
}

label();
wire();
if (sessionStorage.getItem(TOKEN)) {
  connect();
} else {
  showLogin();
}
