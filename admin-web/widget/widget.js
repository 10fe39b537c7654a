// The customer's chat widget. Speaks PROTOCOL.md's customer socket; every text from the network is
// put on the page with textContent, never as HTML.
import { $ } from '../shared/dom.js';
import { fetchAs } from '../shared/http.js';
import { outbox } from '../shared/outbox.js';
import { fieldOf, problemText } from '../shared/problems.js';
import { centerTime } from '../shared/center-time.js';
import { callbackForm } from './callback.js';
import { closedText, relabelSystem, showSystem } from '../shared/system-messages.js';
import { t } from './i18n.js';
import { applyAppearance, loadAppearance } from './appearance.js';
import { collectPreChat, controlOf, fieldSentence, markField, renderPreChat } from './prechat.js';
import { offerTranscript } from './transcript.js';

const params = new URLSearchParams(location.search);
const tenant = params.get('tenant') || '';
const center = params.get('center') || '';
const visitorKey = `sangdam.visitor.${tenant}`;

const state = {
  lang: params.get('lang') === 'en' ? 'en' : (localStorage.getItem('sangdam.lang') || 'ko'),
  socket: null,
  conversation: null, // the open conversation's id
  lastSeq: 0, // every message up to this seq is on the page: a push past lastSeq + 1 means some are missing
  shown: new Set(), // seqs of the messages on the page, mine once acknowledged included
  ahead: 0, // the highest seq pushed past a gap, left to the resume that fills the gap
  catchUpFrom: null, // the lastSeq a resume for a gap was asked from, until its resumed
  readSeq: 0, // what the agent has read up to
  queue: null,
  pending: new Map(), // cmid -> <li> of a message not yet acknowledged
  mine: new Map(), // seq -> <li> of my messages, for read receipts
  typingSentAt: 0,
  typingTimer: null,
  rid: 0,
  retry: 0,
  score: 0,
  settings: null, // the center's widget settings (look, pre-chat form), null until loaded or when unavailable
  verified: false, // the company vouched for this customer: no pre-chat form
};

function text(key, values) {
  return t(state.lang, key, values);
}

const callback = callbackForm({ $, text, request: (frame) => request(frame), finished: (m) => finished(m),
  locale: () => (state.lang === 'ko' ? 'ko-KR' : 'en-US') });

function show(section) {
  for (const id of ['choose', 'offline', 'chat', 'rating', 'done']) {
    $(id).hidden = id !== section;
  }
}

function status(message) {
  $('status').textContent = message || '';
}

/** Puts every static label in the current language. */
function label() {
  document.documentElement.lang = state.lang;
  const labels = {
    title: 'title', language: 'language', 'choose-title': 'chooseQueue',
    'first-label': 'firstMessage', start: 'start', 'offline-intro': 'offlineIntro', 'contact-label': 'contact',
    'inquiry-label': 'inquiry', 'leave-inquiry': 'leaveInquiry', attach: 'attach', send: 'send', leave: 'leave',
    'rate-question': 'rateQuestion', 'comment-label': 'comment', rate: 'rate', again: 'newChat',
  };
  for (const [id, key] of Object.entries(labels)) {
    $(id).textContent = text(key);
  }
  $('text').placeholder = text('placeholder');
  $('text-label').textContent = text('message');
  $('messages').setAttribute('aria-label', text('messages'));
  $('logo').alt = text('logo');
  for (const box of document.querySelectorAll('.transcript')) {
    box.querySelector('.copy').textContent = text('transcriptCopy');
    box.querySelector('.save').textContent = text('transcriptSave');
  }
  applyAppearance(state.settings, text('title'));
  renderPreChat(preChatForm(), text);
  callback.label();
  renderStars();
}

/** The pre-chat form to show: the center's, unless the customer is verified. */
function preChatForm() {
  return state.settings && !state.verified ? state.settings.form : null;
}

/** A refusal from the server as a sentence in the customer's language. */
function problem(error) {
  return problemText(state.lang, error, { reader: 'customer', fieldSentence: (field) => fieldSentence(field, text) });
}

/** A refusal from the server, said where the customer reads it: by the field at fault, and on the status line. */
function sayError(error) {
  const control = controlOf(fieldOf(error));
  if (control) {
    markField(control.id, problem(error));
    control.focus();
  }
  status(problem(error));
}

/** A frame on the socket if it is open; else dropped (the outbox sends its messages again on reconnect). */
function post(frame) {
  if (state.socket && state.socket.readyState === WebSocket.OPEN) {
    state.socket.send(JSON.stringify(frame));
  }
}

// My messages until the server has stored them: refused ones are sent again, and stay "sending".
const outgoing = outbox(post, (frame, error) => {
  const li = state.pending.get(frame.cmid);
  state.pending.delete(frame.cmid);
  if (li) {
    li.classList.add('failed');
    li.querySelector('.receipt').textContent = text('notSent');
  }
  sayError(error);
});

function request(message) {
  const rid = `r${++state.rid}`;
  state.socket.send(JSON.stringify({ ...message, rid }));
  return rid;
}

function connect() {
  status(text(state.retry ? 'reconnecting' : 'connecting'));
  const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/customer`);
  state.socket = socket;
  socket.addEventListener('open', () => {
    const hello = { type: 'hello', tenant, center };
    const visitor = localStorage.getItem(visitorKey);
    if (visitor) {
      hello.visitor = visitor;
    }
    // The company page may pass what it knows of its customer.
    for (const key of ['name', 'externalId', 'signature']) {
      if (params.get(key)) {
        hello[key] = params.get(key);
      }
    }
    socket.send(JSON.stringify(hello));
  });
  socket.addEventListener('message', (event) => receive(JSON.parse(event.data)));
  socket.addEventListener('close', () => {
    state.retry += 1;
    setTimeout(connect, Math.min(10_000, 500 * 2 ** state.retry));
  });
}

function receive(m) {
  if (outgoing.receive(m) || callback.receive(m)) {
    return undefined;
  }
  switch (m.type) {
    case 'welcome': return welcome(m);
    case 'queues': return queues(m);
    case 'started': return started(m.conversation);
    case 'inquiryStored': return finished(text('inquiryStored'));
    case 'queue': return waiting(m);
    case 'assigned': return assigned(m);
    case 'message': return message(m);
    case 'ack': return acknowledged(m);
    case 'resumed': return resumed(m);
    case 'typing': return agentTyping();
    case 'read': return readUpTo(m.seq);
    case 'closed': return closed(m);
    case 'rated': return finished(text('thanks'));
    case 'error': return failed(m);
    default: return undefined;
  }
}

function welcome(m) {
  state.retry = 0;
  status('');
  localStorage.setItem(visitorKey, m.visitor);
  state.verified = m.identity === 'verified';
  renderPreChat(preChatForm(), text);
  const open = (m.open || [])[0];
  if (open) {
    resume(open);
  } else if (state.conversation === null) {
    request({ type: 'queues' });
  }
  outgoing.resend();
}

function resume(conversation) {
  if (state.conversation !== conversation.id) {
    state.conversation = conversation.id;
    state.lastSeq = 0;
    clearMessages();
  }
  show('chat');
  $('waiting').hidden = conversation.state !== 'WAITING';
  if (conversation.state === 'WAITING') {
    $('waiting').textContent = text('waiting');
  }
  request({ type: 'resume', conversation: conversation.id, afterSeq: state.lastSeq });
}

function queues(m) {
  const list = $('queue-list');
  list.replaceChildren();
  state.queue = null;
  for (const q of m.queues) {
    const button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('role', 'radio');
    button.setAttribute('aria-checked', 'false');
    button.dataset.queue = q.code;
    button.textContent = q.name;
    button.addEventListener('click', () => {
      state.queue = q.code;
      for (const b of list.children) {
        b.setAttribute('aria-checked', String(b === button));
      }
    });
    list.append(button);
  }
  if (m.queues.length === 1) {
    list.firstChild.click();
  }
  const closedNote = $('closed-note');
  closedNote.hidden = m.open;
  if (!m.open) {
    closedNote.textContent = text('closedNow') + (m.opensAt
      ? ` ${text('opensAt', { time: centerTime(m.opensAt, state.lang === 'ko' ? 'ko-KR' : 'en-US', m.timezone,
        { month: 'long', day: 'numeric', weekday: 'short', hour: 'numeric', minute: '2-digit' }) })}`
      : '');
  }
  state.offline = !m.open && m.outOfHours === 'OFFLINE_FORM';
  show(state.offline ? 'offline' : 'choose');
  if (state.offline) {
    $('offline-intro').textContent = `${closedNote.textContent} ${text('offlineIntro')}`;
    if (m.queues.length > 0) {
      callback.offer(m.queues[0].code);
    }
  }
}

function clearMessages() {
  $('messages').replaceChildren();
  state.shown.clear();
  state.ahead = 0;
  state.catchUpFrom = null;
  state.readSeq = 0;
}

function started(conversation) {
  state.conversation = conversation.id;
  state.lastSeq = conversation.lastSeq || 0;
  clearMessages();
  show('chat');
  // With a bot (state BOT) nobody waits yet: the bot's messages follow; queue positions come after its hand-off.
  $('waiting').hidden = conversation.state === 'BOT';
  $('waiting').textContent = text('waiting');
  if ($('first').value.trim()) {
    addMessage({ from: 'customer', name: '', text: $('first').value.trim(), seq: state.lastSeq });
    state.shown.add(state.lastSeq);
    $('first').value = '';
  }
  if (conversation.state === 'BOT') {
    // With many servers the bot's greeting may be pushed before started, while this page knew no conversation
    // to show it in: read what came after lastSeq once (pushes already shown are dropped by their seq).
    catchUp();
  }
}

/** Position and wait in words: "대기 3번째, 약 2분". */
function waiting(m) {
  const parts = [text('position', { position: m.position })];
  if (m.etaSeconds !== null && m.etaSeconds !== undefined) {
    parts.push(m.etaSeconds < 60 ? text('etaSoon') : text('eta', { minutes: Math.round(m.etaSeconds / 60) }));
  }
  $('waiting').hidden = false;
  $('waiting').textContent = `${text('waiting')} ${parts.join(', ')}`;
}

function assigned(m) {
  $('waiting').hidden = true;
  addSystem(text('assigned', { name: m.agent ? m.agent.name : '' }));
}

/**
 * A message pushed or replayed: shown in seq order, once. One past a gap (a message this page never
 * got, say one the server stored after answering that it had not) is left to a resume from the
 * gap, which replays both in order.
 */
function message(m) {
  if (m.conversation !== state.conversation || m.seq <= state.lastSeq) {
    return undefined;
  }
  if (m.seq > state.lastSeq + 1) {
    state.ahead = Math.max(state.ahead, m.seq);
    return catchUp();
  }
  state.lastSeq = m.seq;
  if (state.shown.has(m.seq)) {
    return undefined; // mine, on the page since its ack
  }
  state.shown.add(m.seq);
  const li = addMessage(m);
  if (m.from === 'agent' && document.visibilityState === 'visible') {
    state.socket.send(JSON.stringify({ type: 'read', conversation: m.conversation, seq: m.seq }));
  }
  if (m.from === 'agent') {
    $('typing').hidden = true;
  } else if (m.seq <= state.readSeq) {
    readUpTo(state.readSeq);
  }
  return li;
}

function addMessage(m) {
  const li = document.createElement('li');
  li.className = m.from;
  li.dataset.seq = m.seq;
  if ((m.from === 'agent' || m.from === 'bot') && m.name) {
    const who = document.createElement('span');
    who.className = 'meta who';
    who.textContent = m.name;
    li.append(who);
  }
  const body = document.createElement('span');
  body.className = 'body';
  if (m.attachment) {
    body.append(attachment(m.attachment));
  } else if (m.from === 'system' && !m.local) {
    showSystem(body, m, state.lang);
  } else {
    body.textContent = m.text;
  }
  li.append(body);
  if (m.from !== 'system') {
    li.append(stamp(m.at));
  }
  if (m.buttons && m.buttons.length) {
    li.append(choices(m.buttons));
  }
  if (m.from === 'customer') {
    const meta = document.createElement('span');
    meta.className = 'meta receipt';
    li.append(meta);
    state.mine.set(m.seq, li);
  }
  $('messages').append(li);
  li.scrollIntoView({ block: 'end' });
  return li;
}

/** When a message was said, as the customer's clock reads it (now, for one not yet stored). */
function stamp(at) {
  const when = at ? new Date(at) : new Date();
  const time = document.createElement('time');
  time.dateTime = when.toISOString();
  time.textContent = when.toLocaleTimeString(state.lang === 'ko' ? 'ko-KR' : 'en-US',
    { hour: 'numeric', minute: '2-digit' });
  return time;
}

function addSystem(message) {
  addMessage({ from: 'system', text: message, seq: state.lastSeq, local: true });
}

/** A file: its name as a link that downloads it with the visitor's token; an image also shows its preview. */
function attachment(a) {
  const box = document.createElement('span');
  const link = document.createElement('a');
  link.href = '#';
  link.textContent = `📎 ${a.name} (${Math.ceil(a.size / 1024)} KB)`;
  link.addEventListener('click', async (event) => {
    event.preventDefault();
    const url = URL.createObjectURL(await fetchFile(a.url));
    const save = document.createElement('a');
    save.href = url;
    save.download = a.name;
    save.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
  box.append(link);
  if (a.previewUrl) {
    const img = document.createElement('img');
    img.alt = a.name;
    fetchFile(a.previewUrl).then((blob) => { img.src = URL.createObjectURL(blob); }).catch(() => img.remove());
    box.append(img);
  }
  return box;
}

async function fetchFile(url) {
  return (await fetchAs(localStorage.getItem(visitorKey), 'GET', url)).blob();
}

/**
 * My message is stored. If a resume already showed it (it was stored but its first ack was lost
 * with the socket, and this ack answers the resend), the "sending" copy goes.
 */
function acknowledged(m) {
  const li = state.pending.get(m.cmid);
  if (!li || m.conversation !== state.conversation) {
    return;
  }
  state.pending.delete(m.cmid);
  if (state.shown.has(m.seq)) {
    li.remove();
    return;
  }
  state.shown.add(m.seq);
  li.dataset.seq = m.seq;
  li.querySelector('.receipt').textContent = '';
  state.mine.set(m.seq, li);
  if (m.seq <= state.readSeq) {
    readUpTo(state.readSeq);
  }
  if (m.seq === state.lastSeq + 1) {
    state.lastSeq = m.seq;
  } else if (m.seq > state.lastSeq + 1) {
    state.ahead = Math.max(state.ahead, m.seq);
    catchUp();
  }
}

/** Asks for what is missing after lastSeq, once per gap. */
function catchUp() {
  if (state.catchUpFrom !== state.lastSeq) {
    state.catchUpFrom = state.lastSeq;
    request({ type: 'resume', conversation: state.conversation, afterSeq: state.lastSeq });
  }
}

/** A resume is done; a push it did not reach (stored after its replay was read) is asked for again. */
function resumed(m) {
  if (m.conversation !== state.conversation) {
    return;
  }
  state.catchUpFrom = null;
  if (state.ahead > state.lastSeq) {
    catchUp();
  }
}

/** The agent read up to {@code seq}: also what is acknowledged after (the agent is told of a message before its ack leaves). */
function readUpTo(seq) {
  state.readSeq = Math.max(state.readSeq, seq);
  for (const [mineSeq, li] of state.mine) {
    if (mineSeq <= seq) {
      li.querySelector('.receipt').textContent = text('read');
      state.mine.delete(mineSeq);
    }
  }
}

function agentTyping() {
  $('typing').textContent = text('typing');
  $('typing').hidden = false;
  clearTimeout(state.typingTimer);
  state.typingTimer = setTimeout(() => { $('typing').hidden = true; }, 5_000);
}

function closed(m) {
  if (m.conversation !== state.conversation) {
    return;
  }
  addSystem(closedText(m.reason, state.lang, 'customer'));
  state.conversation = null;
  if (m.rate) {
    state.rated = m.conversation;
    state.score = 0;
    renderStars();
    show('rating');
  } else {
    finished(closedText(m.reason, state.lang, 'customer'));
  }
}

function finished(message) {
  $('done-text').textContent = message;
  show('done');
}

function failed(m) {
  if (m.code === 'center_closed') {
    request({ type: 'queues' });
    return;
  }
  if (fieldOf(m) === 'form.consentVersion') {
    refreshAppearance();
  }
  sayError(m);
}

function renderStars() {
  const stars = $('stars');
  stars.replaceChildren();
  for (let n = 1; n <= 5; n++) {
    const star = document.createElement('button');
    star.type = 'button';
    star.textContent = '★';
    star.dataset.score = String(n);
    star.setAttribute('role', 'radio');
    star.setAttribute('aria-label', text('stars', { n }));
    star.setAttribute('aria-checked', String(n <= state.score));
    star.addEventListener('click', () => { state.score = n; renderStars(); });
    stars.append(star);
  }
}

function sendText() {
  const value = $('text').value.trim();
  if (!value || state.conversation === null) {
    return;
  }
  say(value, undefined);
  $('text').value = '';
}

/** The customer's message: shown at once as sending, acknowledged by the server with its seq. */
function say(value, button) {
  const cmid = crypto.randomUUID();
  const li = addMessage({ from: 'customer', text: value, seq: 0 });
  li.querySelector('.receipt').textContent = text('sending');
  state.mine.delete(0);
  state.pending.set(cmid, li);
  const frame = { type: 'send', conversation: state.conversation, cmid, text: value };
  if (button !== undefined) {
    frame.button = button;
  }
  outgoing.send(frame);
}

/**
 * A bot's buttons under its message: a click sends the label as the customer's text with the button's id, as
 * typing it would (the server reads the id); the buttons of that message are then spent.
 */
function choices(buttons) {
  const box = document.createElement('div');
  box.className = 'choices';
  for (const b of buttons) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = b.label;
    button.dataset.button = b.id;
    button.addEventListener('click', () => {
      if (state.conversation === null) {
        return;
      }
      box.querySelectorAll('button').forEach((x) => { x.disabled = true; });
      say(b.label, b.id);
    });
    box.append(button);
  }
  return box;
}

async function sendFile(file) {
  const url = `/api/conversations/${state.conversation}/attachments?name=${encodeURIComponent(file.name)}`
    + `&cmid=${crypto.randomUUID()}`;
  try {
    await fetchAs(localStorage.getItem(visitorKey), 'POST', url, file, file.type || 'application/octet-stream');
  } catch (e) {
    status(text('fileFailed', { reason: problem(e) }));
  }
}

function wire() {
  $('language').addEventListener('click', () => {
    state.lang = state.lang === 'ko' ? 'en' : 'ko';
    localStorage.setItem('sangdam.lang', state.lang);
    label();
    relabelSystem($('messages'), state.lang);
  });
  $('start').addEventListener('click', () => {
    if (!state.queue) {
      $('queue-list').focus();
      return;
    }
    const form = collectPreChat(text);
    if (form === null) {
      return;
    }
    const start = { type: 'start', queue: state.queue };
    if (form) {
      start.form = form;
    }
    const first = $('first').value.trim();
    if (first) {
      start.text = first;
    }
    request(start);
  });
  $('leave-inquiry').addEventListener('click', () => {
    const first = state.queue || ($('queue-list').firstChild && $('queue-list').firstChild.dataset.queue);
    request({ type: 'start', queue: first, offline: true, contact: $('contact').value.trim(),
      text: $('inquiry').value.trim() });
  });
  $('composer').addEventListener('submit', (event) => { event.preventDefault(); sendText(); });
  $('text').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendText();
    }
  });
  $('text').addEventListener('input', () => {
    const now = Date.now();
    if (state.conversation !== null && now - state.typingSentAt > 3_000) {
      state.typingSentAt = now;
      state.socket.send(JSON.stringify({ type: 'typing', conversation: state.conversation }));
    }
  });
  $('attach').addEventListener('click', () => $('file').click());
  $('file').addEventListener('change', () => {
    const file = $('file').files[0];
    if (file) {
      sendFile(file);
    }
    $('file').value = '';
  });
  $('leave').addEventListener('click', () => {
    if (state.conversation !== null) {
      request({ type: 'leave', conversation: state.conversation });
    }
  });
  $('rate').addEventListener('click', () => {
    if (state.score < 1) {
      return;
    }
    const rate = { type: 'rate', conversation: state.rated, score: state.score };
    const comment = $('comment').value.trim();
    if (comment) {
      rate.comment = comment;
    }
    request(rate);
  });
  $('again').addEventListener('click', () => request({ type: 'queues' }));
}

/** The center's look and form, loaded again when the server says its consent changed. */
async function refreshAppearance() {
  state.settings = await loadAppearance(tenant, center).catch(() => null);
  applyAppearance(state.settings, text('title'));
  renderPreChat(preChatForm(), text);
  offerTranscript(Boolean(state.settings && state.settings.allowTranscript), (key) => status(text(key)));
}

label();
wire();
refreshAppearance().finally(connect);
