// What the agent does to the chat shown, from its toolbar: hold, transfer (이관) to a queue or an agent, and
// close with a category and tags.
import { $ } from './desk.js';

export function actions(desk) {
  const { state, text } = desk;
  let targets = null; // the transfer dialog's last answer, drawn again in another language
  let hint = null;

  function renderHold() {
    const chat = state.chats.get(state.selected);
    $('hold').textContent = text(chat && chat.hold ? 'unhold' : 'hold');
  }

  function toggleHold() {
    const chat = state.chats.get(state.selected);
    if (chat) {
      desk.request({ type: 'hold', conversation: state.selected, hold: !chat.hold }, (h) => desk.held(h.conversation,
        h.hold));
    }
  }

  /**
   * The transfer dialog: the tenant's queues by center, and the center's agents, those without room greyed out;
   * with nowhere to transfer to, it says so instead of offering an empty list.
   */
  function transferTargets(m) {
    targets = m;
    hint = null;
    drawTargets(m);
    $('transfer-form').hidden = false;
    (m.queues.length === 0 && m.agents.length === 0 ? $('transfer-cancel') : $('to-queue')).focus();
  }

  function drawTargets(m) {
    const queues = $('to-queue');
    const chosen = { queue: queues.value, agent: $('to-agent').value };
    queues.replaceChildren(new Option(text(m.queues.length ? 'chooseQueue' : 'noQueueTarget'), ''));
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
    queues.disabled = m.queues.length === 0;
    const agents = $('to-agent');
    agents.replaceChildren(new Option(text(m.agents.length ? 'chooseAgent' : 'noAgentTarget'), ''));
    for (const a of m.agents) {
      const o = new Option(text('agentLoad', { name: a.name, status: text(a.status), open: a.openChats,
        max: a.maxChats }), a.username);
      o.disabled = !a.room;
      agents.append(o);
    }
    agents.disabled = m.agents.length === 0;
    const none = m.queues.length === 0 && m.agents.length === 0;
    $('transfer-empty').hidden = !none;
    $('transfer-empty').textContent = text('noTransferTarget');
    $('transfer-form').querySelector('button[type=submit]').disabled = none;
    $('transfer-hint').textContent = hint ? text(hint) : '';
    queues.value = chosen.queue;
    agents.value = chosen.agent;
  }

  function openTransfer() {
    if (state.selected !== null) {
      desk.request({ type: 'transferTargets', conversation: state.selected }, transferTargets);
    }
  }

  function transfer(event) {
    event.preventDefault();
    const frame = { type: 'transfer', conversation: state.selected };
    if ($('to-queue').value) {
      frame.toQueue = $('to-queue').value;
    } else if ($('to-agent').value) {
      frame.toAgent = $('to-agent').value;
    } else {
      hint = 'chooseTarget';
      $('transfer-hint').textContent = text(hint);
      return;
    }
    if ($('transfer-note').value.trim()) {
      frame.note = $('transfer-note').value.trim();
    }
    desk.request(frame, (m) => desk.removed(m.conversation, () => text('transferred')));
  }

  function openClose() {
    if (state.selected === null) {
      return;
    }
    desk.request({ type: 'categories' }, (c) => {
      const select = $('category');
      select.replaceChildren(new Option(text('noCategory'), ''));
      for (const category of c.categories) {
        select.append(new Option(`${'　'.repeat(category.level - 1)}${category.name}`, String(category.id)));
      }
      $('close-form').hidden = false;
      select.focus();
    });
  }

  function close(event) {
    event.preventDefault();
    const frame = { type: 'close', conversation: state.selected };
    if ($('category').value) {
      frame.category = Number($('category').value);
    }
    const tags = $('tags').value.split(',').map((tag) => tag.trim()).filter((tag) => tag);
    if (tags.length > 0) {
      frame.tags = tags;
    }
    desk.request(frame);
  }

  /** Hides the dialogs; true if one was open. */
  function closeDialogs() {
    const open = !$('transfer-form').hidden || !$('close-form').hidden;
    $('transfer-form').hidden = true;
    $('close-form').hidden = true;
    return open;
  }

  $('hold').addEventListener('click', toggleHold);
  $('transfer').addEventListener('click', openTransfer);
  // A queue or an agent, never both: choosing one clears the other.
  $('to-queue').addEventListener('change', () => { $('to-agent').value = ''; });
  $('to-agent').addEventListener('change', () => { $('to-queue').value = ''; });
  $('transfer-cancel').addEventListener('click', () => { $('transfer-form').hidden = true; });
  $('transfer-form').addEventListener('submit', transfer);
  $('close').addEventListener('click', openClose);
  $('close-cancel').addEventListener('click', () => { $('close-form').hidden = true; });
  $('close-form').addEventListener('submit', close);

  desk.on('selected', () => {
    closeDialogs();
    renderHold();
  });
  desk.on('deselected', closeDialogs);
  desk.on('hold', renderHold);
  desk.on('relabel', () => {
    $('transfer').textContent = text('transfer');
    $('close').textContent = text('close');
    renderHold();
    if (targets && !$('transfer-form').hidden) {
      drawTargets(targets);
    }
  });

  desk.toggleHold = toggleHold;
  desk.openTransfer = openTransfer;
  /** Ctrl+Enter: opens the close dialog, and in it confirms. */
  desk.closeChat = () => {
    if (!$('close-form').hidden) {
      $('close-form').requestSubmit();
    } else {
      openClose();
    }
  };
  desk.closeDialogs = closeDialogs;
}
