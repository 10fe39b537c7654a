// The agent's chats: the list (with unread and waiting-for-a-reply badges), choosing one, and the waiting
// list of MANUAL queues to pick from. Every chat's transcript is read as soon as it is the agent's, so the
// list knows which customers wait for an answer even in chats not opened yet.
import { channelKinds, channelLabel } from '../shared/channels.js';
import { closedText } from '../shared/system-messages.js';
import { $, TOKEN, el } from './desk.js';

/** How often the waiting badges and "n min ago" are brought up to date. */
const TICK_MS = 15_000;
/** Past these many seconds a customer waiting for a reply is shown as waiting long, then too long. */
const WAIT_WARN = 60;
const WAIT_LATE = 180;

export function chats(desk) {
  const { state, text } = desk;
  const waiting = new Map(); // conversation id -> view, of the waiting list

  /** Reads the tenant's channel kinds, then names the channels shown again. */
  function loadKinds() {
    if (!state.me || !state.me.tenant) {
      return;
    }
    channelKinds(TOKEN, state.me.tenant).then((kinds) => {
      state.kinds = kinds;
      render();
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
      // The server's live view keeps the name the chat began with; one edited since is the customer's now.
      known.view = known.renamed ? { ...view, customer: { ...view.customer, name: known.renamed } } : view;
      return known;
    }
    const chat = { view, unread: 0, lastSeq: 0, ahead: 0, catchUpFrom: null, items: [], hold: view.state === 'HOLD',
      loaded: false, replaying: false, awaitingSince: null };
    state.chats.set(view.id, chat);
    load(view.id);
    desk.emit('tracked', view.id);
    return chat;
  }

  /**
   * Reads what the chat has after what is shown, and its notes: all of it the first time (what was said before
   * is not unread), what was missed after a reconnect.
   */
  function load(id) {
    const chat = state.chats.get(id);
    const first = !chat.loaded;
    chat.loaded = true;
    chat.replaying = first;
    desk.request({ type: 'resume', conversation: id, afterSeq: chat.lastSeq }, () => {
      chat.replaying = false;
      render();
    });
    desk.request({ type: 'notes', conversation: id }, (n) => n.notes.forEach((note) => desk.emit('note', note)));
  }

  function assigned(view, note) {
    track(view);
    removeWaiting(view.id);
    render();
    desk.emit('assigned', view);
    if (note) {
      state.chats.get(view.id).items.push({ kind: 'note', text: note, name: text('transfer') });
    }
    if (state.selected === null) {
      select(view.id);
    }
  }

  function render() {
    const list = $('chats');
    list.replaceChildren();
    for (const [id, chat] of state.chats) {
      const li = el('li');
      li.dataset.conversation = id;
      li.setAttribute('aria-selected', String(id === state.selected));
      if (chat.unread > 0) {
        const badge = el('span', String(chat.unread), 'unread');
        badge.title = text('unreadCount', { count: chat.unread });
        li.append(badge);
      }
      li.append(el('span', desk.customerLabel(chat.view.customer), 'who'));
      li.append(el('span', channelOf(chat.view), 'channel'));
      if (chat.view.customerOnline === false) {
        const gone = el('span', text('customerOffline'), 'offline');
        gone.title = text('customerOfflineHint');
        li.append(gone);
      }
      if (chat.awaitingSince && !chat.hold) {
        const seconds = (Date.now() - Date.parse(chat.awaitingSince)) / 1000;
        const waiting = el('span', text('awaitingReply', { time: desk.duration(seconds) }),
          `waiting${seconds >= WAIT_LATE ? ' late' : seconds >= WAIT_WARN ? ' warn' : ''}`);
        waiting.title = text('awaitingReplyHint');
        li.append(waiting);
      }
      li.append(el('span', `${desk.queueName(chat.view.queue)} · ${desk.since(chat.view.createdAt)}`
        + `${chat.hold ? ` · ${text('held')}` : ''}`, 'meta'));
      li.addEventListener('click', () => select(id));
      list.append(li);
    }
    $('no-chats').hidden = state.chats.size > 0;
  }

  function renderTitle() {
    const chat = state.chats.get(state.selected);
    if (chat) {
      $('conversation-title').textContent = `${desk.customerLabel(chat.view.customer)} · ${channelOf(chat.view)}`
        + ` · ${desk.queueName(chat.view.queue)}`;
    }
  }

  function select(id) {
    state.selected = id;
    const chat = state.chats.get(id);
    chat.unread = 0;
    render();
    $('toolbar').hidden = false;
    $('composer').hidden = false;
    $('pick-chat').hidden = true;
    renderTitle();
    desk.emit('selected', id);
    $('text').focus();
  }

  /** The next (or, with {@code step} -1, the previous) chat in the list, round the end. */
  function step(by) {
    const ids = [...state.chats.keys()];
    if (ids.length === 0) {
      return;
    }
    const at = ids.indexOf(state.selected);
    select(ids[(at + by + ids.length) % ids.length]);
  }

  function removed(id, why) {
    state.chats.delete(id);
    if (state.selected === id) {
      state.selected = null;
      $('toolbar').hidden = true;
      $('composer').hidden = true;
      $('pick-chat').hidden = false;
      $('messages').replaceChildren();
      desk.emit('deselected', id);
    }
    render();
    desk.notice(why);
  }

  function held(id, hold) {
    const chat = state.chats.get(id);
    if (chat) {
      chat.hold = hold;
      render();
      desk.emit('hold', id);
    }
  }

  /** The customer closed their last window, or came back: marked on the chat in the list. */
  function presence(id, online) {
    const chat = state.chats.get(id);
    if (chat) {
      chat.view = { ...chat.view, customerOnline: online };
      render();
    }
  }

  // --- waiting list (MANUAL queues)

  function addWaiting(view) {
    waiting.set(view.id, view);
    if ($('waiting').querySelector(`[data-conversation="${view.id}"]`)) {
      return;
    }
    const li = el('li');
    li.dataset.conversation = view.id;
    li.dataset.created = view.createdAt;
    li.append(document.createTextNode(desk.customerLabel(view.customer)));
    const meta = el('span', `${channelOf(view)} · ${desk.queueName(view.queue)} · ${desk.since(view.createdAt)}`,
      'meta');
    const pick = el('button', text('pick'));
    pick.type = 'button';
    pick.addEventListener('click', () => desk.request({ type: 'pick', conversation: view.id }));
    li.append(meta, pick);
    $('waiting').append(li);
    $('waiting-title').hidden = false;
  }

  function removeWaiting(id) {
    waiting.delete(id);
    const li = $('waiting').querySelector(`[data-conversation="${id}"]`);
    if (li) {
      li.remove();
    }
    $('waiting-title').hidden = $('waiting').children.length === 0;
  }

  desk.on('frame', (m) => {
    switch (m.type) {
      case 'assigned': return assigned(m.conversation, m.note);
      case 'closed': return removed(m.conversation, () => closedText(m.reason, desk.state.lang, 'staff'));
      case 'transferred': return removed(m.conversation, () => text('transferred'));
      case 'hold': return held(m.conversation, m.hold);
      case 'presence': return presence(m.conversation, m.customer === 'online');
      case 'waitingAdded': return addWaiting(m.conversation);
      case 'waitingRemoved': return removeWaiting(m.conversation);
      default: return undefined;
    }
  });
  desk.on('welcome', (m) => {
    for (const c of m.conversations) {
      // A chat known before a reconnect reads what it missed; a new one is read whole as it is tracked.
      const known = state.chats.has(c.id);
      track(c);
      if (known) {
        load(c.id);
      }
    }
    render();
    loadKinds();
    desk.request({ type: 'waiting' }, (w) => {
      waiting.clear();
      $('waiting').replaceChildren();
      w.conversations.forEach(addWaiting);
    });
    if (state.selected !== null && state.chats.has(state.selected)) {
      select(state.selected);
    }
  });
  /** The waiting list drawn again: in the language now chosen, or with the queues' names once they are read. */
  function redrawWaiting() {
    const views = [...waiting.values()];
    $('waiting').replaceChildren();
    views.forEach(addWaiting);
  }
  desk.on('relabel', () => {
    render();
    renderTitle();
    redrawWaiting();
  });
  desk.on('names', () => {
    render();
    renderTitle();
    redrawWaiting();
  });
  desk.on('chats', render);
  desk.on('customerChanged', () => {
    render();
    renderTitle();
  });
  setInterval(render, TICK_MS);

  desk.select = select;
  desk.removed = removed;
  desk.held = held;
  desk.step = step;
  desk.channelOf = channelOf;
}
