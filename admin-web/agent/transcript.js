// The transcript of the chat shown: messages in seq order, once, with gaps asked for again; notes beside
// them; each with its time, and a line with the date where the day changes. My own messages and notes go
// through the outbox and show as sending until the server has stored them.
import { outbox } from '../shared/outbox.js';
import { systemText } from '../shared/system-messages.js';
import { $, el } from './desk.js';

/**
 * Puts {@code items} on {@code list} (an ol), with the customer named as the console names them and a date
 * line before the first item of each day. Also used for the read-only transcripts of past chats.
 */
export function renderItems(desk, list, items, { customer, readSeq = 0 } = {}) {
  list.replaceChildren();
  let lastDay = null;
  for (const item of items) {
    if (item.at) {
      const day = new Date(item.at).toDateString();
      if (day !== lastDay) {
        const separator = el('li', desk.day(item.at), 'day');
        separator.setAttribute('role', 'separator');
        list.append(separator);
        lastDay = day;
      }
    }
    const li = el('li', null, item.kind);
    const name = item.kind === 'customer' && customer ? desk.customerLabel(customer) : item.name;
    const time = item.at ? desk.clock(item.at) : '';
    if (item.kind !== 'system' && (name || time)) {
      li.append(el('span', [name, time].filter((x) => x).join(' · '), 'meta'));
    }
    li.append(document.createTextNode(item.attachment ? `📎 ${item.attachment.name}`
      : item.kind === 'system' ? systemText(item, desk.state.lang) : item.text));
    if (item.buttons && item.buttons.length) {
      // The bot's buttons as the customer saw them; the customer's answer follows as their message.
      li.append(el('span', item.buttons.map((b) => `[${b.label}]`).join(' '), 'meta'));
    }
    if (item.kind === 'system' && time) {
      li.append(el('time', time, 'meta'));
    }
    if (item.kind === 'agent' && item.seq && item.seq <= readSeq) {
      li.append(el('span', desk.text('read'), 'meta'));
    }
    if (item.at) {
      li.dataset.at = item.at;
    }
    list.append(li);
  }
  list.scrollTop = list.scrollHeight;
}

export function transcript(desk) {
  const { state, text } = desk;
  const notes = new Map(); // cmid -> text of a note not yet acknowledged

  function render() {
    const chat = state.chats.get(state.selected);
    if (!chat) {
      $('messages').replaceChildren();
      return;
    }
    renderItems(desk, $('messages'), chat.items, { customer: chat.view.customer, readSeq: chat.readSeq || 0 });
  }

  function renderIfShown(id) {
    if (id === state.selected) {
      render();
    }
  }

  // My messages and notes until the server has stored them: refused ones are sent again (shown as
  // sending meanwhile), and all of them again after a reconnect.
  const outgoing = outbox((frame) => {
    const socket = state.connection && state.connection.current();
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
    }
  }, (frame, error) => {
    notes.delete(frame.cmid);
    const chat = state.chats.get(frame.conversation);
    const item = chat && chat.items.find((i) => i.cmid === frame.cmid);
    if (item) {
      item.name = text('notSent');
      item.kind = 'agent failed';
      renderIfShown(frame.conversation);
    }
    desk.notice(() => desk.problem(error));
  });

  /** Sends a message ({@code shown}: what it says) or a note through the outbox. */
  function sendKept(frame, shown) {
    const chat = state.chats.get(frame.conversation);
    if (frame.type === 'note') {
      notes.set(frame.cmid, frame.text);
    } else if (chat) {
      chat.items.push({ kind: 'agent pending', text: shown, name: text('sending'), cmid: frame.cmid });
      renderIfShown(frame.conversation);
    }
    outgoing.send(frame);
  }

  /** Whether the customer now waits for a reply: from their first message after the last answer, until the next. */
  function waitingFor(chat, from, at) {
    if (from === 'customer') {
      chat.awaitingSince = chat.awaitingSince || at;
    } else if (from === 'agent' || from === 'bot') {
      chat.awaitingSince = null;
    }
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
    chat.items.push({ kind: m.from, text: m.text, name: m.name, seq: m.seq, at: m.at, attachment: m.attachment,
      buttons: m.buttons, key: m.key, params: m.params });
    if (chat.undelivered && chat.undelivered.delete(m.seq)) {
      markUndelivered(chat.items[chat.items.length - 1]);
    }
    waitingFor(chat, m.from, m.at);
    if (m.conversation === state.selected) {
      render();
      if (m.from === 'customer') {
        desk.post({ type: 'read', conversation: m.conversation, seq: m.seq });
        $('typing').hidden = true;
      }
    } else if (m.from === 'customer' && !chat.replaying) {
      chat.unread += 1;
    }
    if (m.from === 'customer' && !chat.replaying) {
      desk.emit('customerMessage', chat, m);
    }
    desk.emit('chats');
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
      const noteText = notes.get(m.cmid);
      notes.delete(m.cmid);
      if (noteText !== undefined) {
        noted({ conversation: m.conversation, id: m.seq, kind: 'NOTE', author: state.me, text: noteText,
          at: new Date().toISOString() });
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
    desk.request({ type: 'resume', conversation: id, afterSeq: chat.lastSeq }, () => {
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
    chat.items.push({ kind: 'note', text: n.text, at: n.at, noteId: n.id,
      name: `${n.kind === 'WHISPER' ? text('whisper') : text('note')} · ${n.author ? n.author.name : ''}` });
    renderIfShown(n.conversation);
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
      renderIfShown(conversation);
    }
  }

  /** A channel never got the message (or the end): the message shows it, and the notice says why. */
  /**
   * A message the customer's channel refused, marked on it; one not shown yet (the failure can overtake the
   * agent's own message, which comes back by replay after its ack) is marked when it comes.
   */
  function deliveryFailed(m) {
    const chat = state.chats.get(m.conversation);
    if (m.item === 'message' && chat) {
      const item = chat.items.find((i) => i.seq === m.seq);
      if (item) {
        markUndelivered(item);
        renderIfShown(m.conversation);
      } else {
        (chat.undelivered = chat.undelivered || new Set()).add(m.seq);
      }
    }
    desk.notice(() => text('deliveryFailed', { reason: m.reason }));
  }

  function markUndelivered(item) {
    item.name = text('notDelivered');
    item.kind = 'agent failed';
  }

  desk.on('frame', (m) => {
    switch (m.type) {
      case 'message': return message(m);
      case 'note': return noted(m);
      case 'ack': return acknowledged(m);
      case 'typing': return typing(m.conversation);
      case 'read': return readUpTo(m.conversation, m.seq);
      case 'deliveryFailed': return deliveryFailed(m);
      default: return undefined;
    }
  });
  desk.on('note', noted);
  desk.on('welcome', () => outgoing.resend());
  desk.on('selected', render);
  desk.on('relabel', render);
  desk.on('customerChanged', render);

  desk.sendKept = sendKept;
  /** Whether the outbox takes this frame (its answer) itself. */
  desk.outboxReceives = (m) => outgoing.receive(m);
}
