// The agent's past chats: the ones they closed today, listed under their open chats, and a search of every
// chat they carried (by customer name or by what was said, and by day), each opened read-only over the
// chat area. Both go through conversation search, which shows an agent only the chats they carried, masked.
import { api } from '../shared/console.js';
import { $, TOKEN, el } from './desk.js';
import { renderItems } from './transcript.js';

/** The chats of yesterday and today read for today's list; a busier day's earlier ones are found by search. */
const TODAY_LIMIT = 100;
const SEARCH_LIMIT = 30;

export function past(desk) {
  const { state, text } = desk;
  let today = null; // the agent's date (YYYY-MM-DD) and time zone where they work, from /api/me/today
  let zone = null;
  let openId = null;
  let found = null; // the last search's results, drawn again in another language

  function conversations(query) {
    return api(TOKEN, 'GET', `/api/tenants/${encodeURIComponent(state.me.tenant)}/conversations?${query}`);
  }

  async function loadToday() {
    if (!today || !state.me || !state.me.tenant) {
      return;
    }
    // Search finds chats by the day they began: one begun yesterday and closed after midnight is today's too.
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    let page;
    try {
      page = await conversations(new URLSearchParams({ state: 'CLOSED', from: yesterday, to: today,
        limit: String(TODAY_LIMIT) }));
    } catch (e) {
      return; // read again at the next close
    }
    const closed = page.conversations.filter((c) => c.closedAt && dayIn(c.closedAt) === today)
      .sort((a, b) => Date.parse(b.closedAt) - Date.parse(a.closedAt));
    fill($('closed-today'), closed, 'noClosedToday');
    $('closed-count').textContent = String(closed.length);
  }

  /** The date (YYYY-MM-DD) of an instant where the agent works. */
  function dayIn(at) {
    return new Date(at).toLocaleDateString('en-CA', { timeZone: zone });
  }

  /** Puts found chats on {@code list}: customer, queue and when; each opens its transcript. */
  function fill(list, found, emptyKey) {
    list.replaceChildren();
    if (found.length === 0) {
      list.append(el('li', text(emptyKey), 'empty'));
    }
    for (const c of found) {
      const li = el('li');
      li.dataset.conversation = c.id;
      li.tabIndex = 0;
      li.append(el('span', desk.customerLabel(c.customer), 'who'));
      const when = c.closedAt || c.createdAt;
      const day = new Date(when).toDateString() === new Date().toDateString() ? '' : `${desk.day(when)} `;
      li.append(el('span', `${desk.queueName(c.queue)} · ${day}${desk.clock(when)}`, 'meta'));
      li.addEventListener('click', () => open(c.id));
      li.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') {
          open(c.id);
        }
      });
      list.append(li);
    }
  }

  async function search(event) {
    event.preventDefault();
    const words = $('past-query').value.trim();
    const day = $('past-date').value;
    const query = new URLSearchParams({ limit: String(SEARCH_LIMIT) });
    if (words) {
      query.set($('past-kind').value, words);
    }
    if (day) {
      query.set('from', day);
      query.set('to', day);
    }
    try {
      const page = await conversations(query);
      found = page.conversations;
      fill($('past-results'), found, 'noPastFound');
      $('past-results').hidden = false;
    } catch (e) {
      found = null;
      $('past-results').replaceChildren(el('li', e.status === 422 ? text('pastSearchInvalid')
        : text('pastSearchFailed'), 'empty'));
      $('past-results').hidden = false;
    }
  }

  /** Shows a past chat's transcript, read-only, over the chat area. */
  async function open(id) {
    let c;
    try {
      c = await api(TOKEN, 'GET', `/api/conversations/${id}`);
    } catch (e) {
      desk.notice(() => text('pastNotShown'));
      return;
    }
    openId = id;
    const items = [
      ...c.messages.map((m) => ({ kind: m.from, text: m.text, name: m.name, at: m.at, attachment: m.attachment,
        key: m.key, params: m.params })),
      ...c.notes.map((n) => ({ kind: 'note', text: n.text, at: n.at,
        name: `${n.kind === 'WHISPER' ? text('whisper') : text('note')} · ${n.author}` })),
    ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    $('past-title').textContent = `${desk.customerLabel(c.customer)} · ${desk.channelOf(c)} · ${desk.queueName(c.queue)}`;
    const facts = [desk.day(c.createdAt)];
    if (c.closeReason) {
      facts.push(text('closedBecause', { reason: desk.has(`closeReason_${c.closeReason}`)
        ? text(`closeReason_${c.closeReason}`) : text('closeReason_other') }));
    }
    if (c.csat) {
      facts.push(text('rated', { score: c.csat.score }));
    }
    $('past-facts').textContent = facts.join(' · ');
    $('past-view').hidden = false;
    renderItems(desk, $('past-messages'), items, { customer: c.customer });
    $('past-back').focus();
  }

  function close() {
    openId = null;
    $('past-view').hidden = true;
  }

  $('past-form').addEventListener('submit', search);
  $('past-back').addEventListener('click', close);

  desk.on('today', (figures) => {
    const first = today === null;
    today = figures.date;
    zone = figures.timezone;
    if (first) {
      loadToday();
    }
  });
  desk.on('frame', (m) => {
    if (m.type === 'closed') {
      loadToday();
    }
  });
  desk.on('relabel', () => {
    loadToday();
    if (found) {
      fill($('past-results'), found, 'noPastFound');
    }
    if (openId !== null) {
      open(openId);
    }
  });
  desk.on('selected', close);

  desk.closePast = () => {
    const wasOpen = !$('past-view').hidden;
    close();
    return wasOpen;
  };
}
