// Callback requests (콜백 예약) in the agent console: the queue of due requests of the agent's queues
// (slot started or starting within the hour, and missed ones marked overdue), a claim (first claim wins;
// the number shows in full only then), and the call's outcome with a note. Read again when the server
// says they changed (callbacksChanged), and every minute, as time makes more of them due.
import { centerTime } from '../shared/center-time.js';
import { api } from '../shared/console.js';
import { $, el } from '../shared/dom.js';

const REFRESH_MS = 60_000;
const OUTCOMES = ['reached', 'no_answer', 'wrong_number', 'cancelled'];

/** {@code text}: the console's strings; {@code tokenKey}: where its token is; {@code locale()}: the reader's. */
export function callbackPanel(text, tokenKey, locale) {
  const state = { tenant: null, items: [], timer: null, reads: 0, error: '' };

  function when(at, zone) {
    return centerTime(at, locale(), zone, { month: 'numeric', day: 'numeric', weekday: 'short', hour: '2-digit',
      minute: '2-digit' });
  }

  function render() {
    const panel = $('callbacks');
    if (!panel || state.tenant === null) {
      return;
    }
    panel.hidden = false;
    const title = el('h2', text('callbacks'));
    const open = state.items.filter((c) => c.state === 'OPEN').length;
    if (open) {
      title.append(el('span', String(open), 'count'));
    }
    const list = el('ul');
    list.id = 'callback-list';
    for (const c of state.items) {
      list.append(item(c));
    }
    const children = [title, list];
    if (!state.items.length) {
      children.push(el('p', text('noCallbacks'), 'empty'));
    }
    if (state.error) {
      children.push(el('p', state.error, 'error'));
    }
    panel.replaceChildren(...children);
  }

  function item(c) {
    const li = el('li');
    li.dataset.callback = String(c.id);
    li.dataset.state = c.state;
    if (c.overdue) {
      li.classList.add('overdue');
    }
    const head = el('div', null, 'head');
    head.append(el('strong', when(c.slotAt, c.timezone)));
    if (c.overdue) {
      head.append(el('span', text('callbackOverdue'), 'flag overdue'));
    } else if (c.due) {
      head.append(el('span', text('callbackDue'), 'flag due'));
    }
    li.append(head);
    // The claiming agent has the number below, to dial; the others see it masked here.
    li.append(el('span', [c.queueName, c.customer.name, c.mine ? null : c.phone].filter(Boolean).join(' · '), 'meta'));
    if (c.attempts > 0) {
      li.append(el('span', text('callbackAttempts', { n: c.attempts }), 'meta'));
    }
    if (c.note) {
      li.append(el('span', c.note, 'meta'));
    }
    if (c.state === 'OPEN') {
      const claim = el('button', text('callbackClaim'), 'primary');
      claim.type = 'button';
      claim.addEventListener('click', () => act(c, 'claim'));
      li.append(claim);
    } else if (c.mine) {
      li.append(calling(c));
    }
    return li;
  }

  /** What the agent holding the claim sees: the number to dial, and the outcome form. */
  function calling(c) {
    const form = el('form', null, 'outcome');
    const phone = el('a', c.phone, 'phone');
    phone.href = `tel:${c.phone.replace(/[^0-9+]/g, '')}`;
    const outcomeLabel = el('label');
    const select = el('select');
    select.name = 'outcome';
    for (const o of OUTCOMES) {
      const option = el('option', text(`outcome_${o}`));
      option.value = o;
      select.append(option);
    }
    outcomeLabel.append(el('span', text('callbackOutcome')), select);
    const noteLabel = el('label');
    const note = el('input');
    note.name = 'note';
    note.maxLength = 1000;
    noteLabel.append(el('span', text('callbackNote')), note);
    const save = el('button', text('callbackSave'), 'primary');
    save.type = 'submit';
    form.append(phone, outcomeLabel, noteLabel, save);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const body = { outcome: select.value };
      if (note.value.trim()) {
        body.note = note.value.trim();
      }
      act(c, 'outcome', body);
    });
    return form;
  }

  async function act(c, what, body) {
    state.error = '';
    try {
      await api(tokenKey, 'POST', `/api/tenants/${encodeURIComponent(state.tenant)}/callbacks/${c.id}/${what}`, body);
    } catch (e) {
      // Taken by another agent, or already recorded: the list read again shows where it stands.
      state.error = text(e.status === 409 && what === 'claim' ? 'callbackTaken' : 'callbackFailed');
    }
    await refresh();
  }

  async function refresh() {
    if (state.tenant === null) {
      return;
    }
    clearTimeout(state.timer);
    state.timer = setTimeout(refresh, REFRESH_MS);
    const read = ++state.reads;
    let items;
    try {
      items = await api(tokenKey, 'GET', `/api/tenants/${encodeURIComponent(state.tenant)}/callbacks?view=queue`);
    } catch (e) {
      return; // read again at the next change or minute
    }
    if (read === state.reads) {
      state.items = items;
      render();
    }
  }

  /** Signed in as {@code user} (of a center): shows the panel and reads the queue. */
  function start(user) {
    if (!user.center) {
      return;
    }
    state.tenant = user.tenant;
    refresh();
  }

  return { start, refresh, relabel: render };
}
