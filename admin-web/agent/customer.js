// The customer panel beside the chat: who the customer is (name, contact masked, memo, member id), what the
// bot collected, their earlier chats, the channel link proposals; and editing the name, contact and memo
// (PUT /api/conversations/{id}/customer), with the server's refusal said in the agent's language.
import { api } from '../shared/console.js';
import { $, TOKEN, el } from './desk.js';
import { customerLinks } from './links.js';
import { preChatPanel } from './prechat.js';

export function customerPanel(desk) {
  const { state, text } = desk;
  let shown = null; // the customer as last read: { conversation, id, name, contact, memo, masked }
  let lastHistory = null; // drawn again in another language
  let refused = null; // the server's last refusal of an edit

  // What the customer gave in the center's pre-chat form (상담 전 입력 정보), masked as the server sends it.
  const preChat = preChatPanel(desk.text, () => state.lang, TOKEN);
  // The link proposals; an accepted one shows in the history, read again.
  const links = customerLinks(desk.text, TOKEN, (id) => {
    if (id === state.selected) {
      desk.request({ type: 'history', conversation: id }, history);
    }
  });

  function history(h) {
    if (h.conversation !== state.selected) {
      return;
    }
    lastHistory = h;
    $('profile').hidden = false;
    $('profile-external').textContent = h.customer.externalId || '-';
    links.show(state.chats.get(h.conversation) && state.chats.get(h.conversation).view);
    preChat.show(h.conversation);
    // What the bot's forms collected before it handed the conversation off (personal values come masked).
    const fields = h.botFields || [];
    $('bot-fields').hidden = fields.length === 0;
    $('bot-fields-list').replaceChildren(...fields.flatMap((f) => {
      const dd = el('dd', f.value);
      dd.dataset.field = f.name;
      return [el('dt', f.label), dd];
    }));
    const earlier = $('earlier');
    earlier.replaceChildren();
    if (h.earlier.length === 0) {
      earlier.append(el('li', text('noHistory')));
    }
    for (const past of h.earlier) {
      const first = past.messages.find((m) => m.from === 'customer');
      earlier.append(el('li', `${new Date(past.conversation.createdAt).toLocaleDateString(desk.locale())}`
        + ` · ${desk.queueName(past.conversation.queue)}${first ? ` · ${first.text}` : ''}`));
    }
    if (h.truncated) {
      // The server bounds history by size: say that older messages exist but are not shown.
      earlier.append(el('li', text('historyTruncated')));
    }
  }

  async function load(id) {
    let customer;
    try {
      customer = await api(TOKEN, 'GET', `/api/conversations/${id}/customer`);
    } catch (e) {
      return; // read again when the chat is shown next
    }
    if (!customer.masked) {
      rename(id, customer.name);
    }
    if (id === state.selected) {
      shown = customer;
      render();
    }
  }

  function render() {
    const chat = state.chats.get(state.selected);
    if (!chat) {
      return;
    }
    $('profile-name').textContent = desk.customerLabel(chat.view.customer);
    $('profile-contact').textContent = (shown && shown.contact) || '-';
    $('profile-memo').textContent = (shown && shown.memo) || text('noMemo');
    $('profile-memo').classList.toggle('empty', !(shown && shown.memo));
  }

  function openEdit() {
    const chat = state.chats.get(state.selected);
    if (!chat || !shown) {
      return;
    }
    $('customer-name').value = shown.name;
    $('customer-contact').value = '';
    $('customer-contact').placeholder = shown.contact ? text('contactKeep', { contact: shown.contact })
      : text('contactHint');
    $('customer-memo').value = shown.memo || '';
    $('customer-error').textContent = '';
    refused = null;
    $('customer-form').hidden = false;
    $('customer-edit').hidden = true;
    $('customer-name').focus();
  }

  function closeEdit() {
    $('customer-form').hidden = true;
    $('customer-edit').hidden = false;
  }

  async function save(event) {
    event.preventDefault();
    const id = state.selected;
    const body = { name: $('customer-name').value, memo: $('customer-memo').value };
    // The contact is shown masked, so it is never typed back: an empty field keeps it.
    if ($('customer-contact').value.trim()) {
      body.contact = $('customer-contact').value;
    }
    let saved;
    try {
      saved = await api(TOKEN, 'PUT', `/api/conversations/${id}/customer`, body);
    } catch (e) {
      refused = e;
      $('customer-error').textContent = refusal(e);
      return;
    }
    rename(id, saved.name);
    if (id === state.selected) {
      shown = saved;
      closeEdit();
      render();
      desk.notice(() => text('customerSaved'));
    }
  }

  /** Why the server refused an edit, in the agent's words: the field it names, or in general. */
  function refusal(e) {
    const field = /^field '(\w+)'/.exec(e.message);
    if (e.status === 422 && field && desk.has(`invalidCustomer_${field[1]}`)) {
      return text(`invalidCustomer_${field[1]}`);
    }
    return text(e.status === 404 ? 'customerNotYours' : 'customerNotSaved');
  }

  /** The customer of chat {@code id} is called {@code name} now (edited here, or before a reload). */
  function rename(id, name) {
    const chat = state.chats.get(id);
    if (chat && chat.view.customer.name !== name) {
      chat.renamed = name;
      chat.view = { ...chat.view, customer: { ...chat.view.customer, name } };
      desk.emit('customerChanged', id);
    }
  }

  /** Reads the name of a chat's customer as stored: the live view has the one the chat began with. */
  async function readName(id) {
    try {
      const customer = await api(TOKEN, 'GET', `/api/conversations/${id}/customer`);
      if (!customer.masked) {
        rename(id, customer.name);
      }
    } catch (e) {
      // the live view's name stays
    }
  }

  function hide() {
    $('profile').hidden = true;
    links.hide();
    closeEdit();
    shown = null;
  }

  $('customer-edit').addEventListener('click', openEdit);
  $('customer-cancel').addEventListener('click', closeEdit);
  $('customer-form').addEventListener('submit', save);

  desk.on('selected', (id) => {
    shown = null;
    closeEdit();
    render();
    desk.request({ type: 'history', conversation: id }, history);
    load(id);
  });
  desk.on('deselected', hide);
  desk.on('tracked', readName);
  desk.on('names', render);
  desk.on('relabel', () => {
    render();
    links.relabel();
    if (lastHistory && lastHistory.conversation === state.selected) {
      history(lastHistory);
    }
    if (refused) {
      $('customer-error').textContent = refusal(refused);
    }
    if (shown) {
      $('customer-contact').placeholder = shown.contact ? text('contactKeep', { contact: shown.contact })
        : text('contactHint');
    }
  });
}
