// Conversation search (상담 이력 조회) and transcripts. Personal data comes masked; a manager or
// admin reveals one item at a time, and each reveal is on the audit log before it is shown.
import { kindLabel } from '../shared/channels.js';
import { customerLabel } from '../shared/customers.js';
import { systemText } from '../shared/system-messages.js';
import { $, app, button, cell, channelFilters, el, fillCenters, fillChannels, fillTenants, path, tenantOf, when }
  from './app.js';
import { downloadWithReason } from './exports.js';
import { centerName, queueName, readDirectory } from './pickers.js';

const state = { cursor: null, conversation: null, revealed: new Map(), searched: false,
  directory: { tenant: null, centers: [], queues: new Map() } };

/** "서울 · 카드": where a conversation is, by the names of its center and queue. */
const place = (c) => `${centerName(state.directory, c.center)} · ${queueName(state.directory, c.center, c.queue)}`;

/** The tenant's centers and queues for their names, read again when the tenant changes. */
async function names(tenant) {
  if (state.directory.tenant !== tenant) {
    state.directory = { tenant, ...(await readDirectory(tenant)) };
  }
}

function filters() {
  const params = new URLSearchParams({ limit: '50' });
  const fields = { center: 'search-center', state: 'search-state', from: 'search-from', to: 'search-to',
    customer: 'search-customer', q: 'search-q' };
  for (const [name, id] of Object.entries(fields)) {
    if ($(id).value.trim()) {
      params.set(name, $(id).value.trim());
    }
  }
  channelFilters(params, $('search-channel'), $('search-kind'));
  return params;
}

async function find(more) {
  const params = filters();
  if (more && state.cursor) {
    params.set('cursor', state.cursor);
  }
  let answer;
  try {
    await names(tenantOf($('search-tenant')));
    answer = await app.call('GET', `/api/tenants/${path(tenantOf($('search-tenant')))}/conversations?${params}`);
  } catch (e) {
    app.failed(e);
    return;
  }
  state.searched = true;
  app.notice(answer.conversations.length === 0 && !more ? app.text('nothingFound') : '');
  const body = $('search-results').tBodies[0];
  if (!more) {
    body.replaceChildren();
  }
  for (const c of answer.conversations) {
    const row = body.insertRow();
    row.dataset.conversation = c.id;
    [c.id, when(c.createdAt), place(c), kindLabel(app.text, c.channelKind, c.channel),
      `${customerLabel(c.customer, app.text)} ${c.customer.contact}`,
      c.agent ? c.agent.name : '—', app.text(c.state), c.category ? c.category.name : '',
      c.csat ? `${'★'.repeat(c.csat.score)}` : ''].forEach((v) => cell(row, v));
    row.addEventListener('click', () => transcript(c.id));
  }
  state.cursor = answer.nextCursor;
  $('search-more').hidden = !answer.nextCursor;
}

async function transcript(id) {
  let c;
  try {
    c = await app.call('GET', `/api/conversations/${id}`);
  } catch (e) {
    app.failed(e);
    return;
  }
  state.conversation = id;
  state.revealed.clear();
  $('transcript').hidden = false;
  $('transcript-title').textContent = app.text('transcriptTitle', { id });
  $('transcript-customer').textContent = customerLabel(c.customer, app.text);
  $('transcript-contact').textContent = c.customer.contact;
  $('contact-part').hidden = !c.customer.contact;
  $('unmask-contact').hidden = false;
  $('unmask-name').hidden = false;
  $('transcript-meta').textContent = [place(c),
    kindLabel(app.text, c.channelKind, c.channel), app.text(c.state),
    c.agent ? c.agent.name : '', when(c.createdAt), c.closedAt ? `→ ${when(c.closedAt)}` : '',
    c.category ? c.category.name : '', c.tags.length ? `#${c.tags.join(' #')}` : '',
    c.csat ? `${'★'.repeat(c.csat.score)} ${c.csat.comment || ''}` : ''].filter(Boolean).join(' · ');
  const messages = $('transcript-messages');
  messages.replaceChildren();
  for (const m of c.messages) {
    const li = el('li', null, m.from);
    li.dataset.seq = m.seq;
    const who = m.from === 'customer' ? customerLabel(c.customer, app.text) : m.name || app.text('system');
    li.append(el('span', `${who} · ${when(m.at)}`, 'who'),
      el('span', m.attachment ? `${m.text || ''} [${m.attachment.name}]`
        : m.from === 'system' ? systemText(m, app.lang) : m.text, 'text'));
    // A masked item shows as stars; each click reveals the next one of this message.
    if (/\*/.test(`${m.text} ${m.attachment ? m.attachment.name : ''}`)) {
      const revealed = el('span', null, 'revealed');
      li.append(button(app.text('reveal'), (event) => reveal(m.seq, event.target, revealed), 'small'), revealed);
    }
    messages.append(li);
  }
  const notes = $('transcript-notes');
  notes.replaceChildren();
  for (const n of c.notes) {
    const li = el('li', null, `note ${n.kind}`);
    li.append(el('span', `${n.kind === 'WHISPER' ? app.text('whisper') : app.text('note')} · ${n.author} · ${when(n.at)}`,
      'who'), el('span', n.text, 'text'));
    notes.append(li);
  }
  $('transcript').scrollIntoView({ block: 'nearest' });
}

async function reveal(seq, trigger, into) {
  const item = state.revealed.get(seq) || 0;
  try {
    const answer = await app.call('POST', `/api/conversations/${state.conversation}/unmask`, { seq, item });
    state.revealed.set(seq, item + 1);
    into.textContent = `${into.textContent ? `${into.textContent}, ` : ''}${answer.value}`;
  } catch (e) {
    if (e.status === 404) {
      trigger.hidden = true;
      return;
    }
    app.failed(e);
  }
}

async function revealField(field, target, trigger) {
  try {
    target.textContent = (await app.call('POST', `/api/conversations/${state.conversation}/unmask`, { field })).value;
    trigger.hidden = true;
  } catch (e) {
    app.failed(e);
  }
}

/** The results carry translated states: asked again in the new language. */
export function relabel() {
  if (state.searched) {
    find(false);
  }
}

export async function open() {
  if ($('search-center').options.length === 0) {
    await fillTenants($('search-tenant'));
    await fillCenters($('search-center'), tenantOf($('search-tenant')), true);
  }
  await fillChannels($('search-channel'), tenantOf($('search-tenant')));
}

export function init() {
  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    find(false);
  });
  $('search-more').addEventListener('click', () => find(true));
  // Every match as a file for Excel: personal data, so a reason is asked first (접속기록).
  $('search-csv').addEventListener('click', () => {
    const params = filters();
    params.delete('limit');
    params.set('format', 'csv');
    downloadWithReason(`/api/tenants/${path(tenantOf($('search-tenant')))}/conversations?${params}`, 'conversations.csv');
  });
  $('search-tenant').addEventListener('change', () => Promise.all([
    fillCenters($('search-center'), tenantOf($('search-tenant')), true),
    fillChannels($('search-channel'), tenantOf($('search-tenant')))]).catch(app.failed));
  $('transcript-close').addEventListener('click', () => {
    $('transcript').hidden = true;
  });
  $('unmask-name').addEventListener('click', (event) => revealField('customerName', $('transcript-customer'),
    event.target));
  $('unmask-contact').addEventListener('click', (event) => revealField('customerContact', $('transcript-contact'),
    event.target));
}
