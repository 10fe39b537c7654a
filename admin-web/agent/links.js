// Customer identity across channels, in the customer panel: for a channel's conversation, the agent
// proposes that its customer is the company's member (회원 번호), with how they checked, and sees where
// the customer's proposals stand. A tenant admin accepts or rejects in the admin console; while one is
// pending the panel reads them again every few seconds, and once one is accepted the history is read
// again, so the member's other conversations appear in it.
import { api } from '../shared/console.js';
import { $, el } from '../shared/dom.js';
import { labelFrom, problemText } from '../shared/problems.js';

/** How often pending proposals are read again while the conversation is shown. */
const POLL_MS = 3000;

/**
 * {@code text}: the console's strings; {@code tokenKey}: where its token is; {@code onAccepted(id)}: a
 * proposal of conversation {@code id} was accepted since it was last read.
 */
export function customerLinks(text, tokenKey, onAccepted) {
  const state = { conversation: null, proposals: [], timer: null, reads: 0 };

  function render() {
    const list = $('link-proposals');
    list.replaceChildren();
    for (const p of state.proposals) {
      const li = el('li', `${p.externalId} · ${text(`link${p.status}`)}${p.reason ? ` (${p.reason})` : ''}`);
      li.dataset.status = p.status;
      list.append(li);
    }
  }

  async function load(conversation) {
    clearTimeout(state.timer);
    const read = ++state.reads;
    let proposals;
    try {
      proposals = await api(tokenKey, 'GET', `/api/conversations/${conversation}/customer-link-proposals`);
    } catch (e) {
      return; // read again when the conversation is shown next
    }
    if (conversation !== state.conversation || read !== state.reads) {
      return; // another conversation shown since, or a later read under way
    }
    const before = new Map(state.proposals.map((p) => [p.id, p.status]));
    state.proposals = proposals;
    render();
    if (proposals.some((p) => p.status !== 'PENDING' && before.get(p.id) === 'PENDING')) {
      $('link-notice').textContent = ''; // decided: the list says how
    }
    if (proposals.some((p) => p.status === 'ACCEPTED' && before.get(p.id) === 'PENDING')) {
      onAccepted(conversation);
    }
    if (proposals.some((p) => p.status === 'PENDING')) {
      state.timer = setTimeout(() => load(conversation), POLL_MS);
    }
  }

  async function propose(event) {
    event.preventDefault();
    const conversation = state.conversation;
    const body = { externalId: $('link-external').value.trim() };
    if ($('link-note').value.trim()) {
      body.note = $('link-note').value.trim();
    }
    try {
      const proposal = await api(tokenKey, 'POST', `/api/conversations/${conversation}/customer-link-proposals`, body);
      $('link-form').hidden = true;
      $('link-external').value = '';
      $('link-note').value = '';
      $('link-notice').textContent = text(proposal.status === 'PENDING' ? 'linkProposed' : `link${proposal.status}`);
      load(conversation);
    } catch (e) {
      // The console keeps the page's lang as its reader's language.
      $('link-notice').textContent = problemText(document.documentElement.lang, e, { label: labelFrom(text) });
    }
  }

  $('link-open').addEventListener('click', () => {
    $('link-form').hidden = !$('link-form').hidden;
    if (!$('link-form').hidden) {
      $('link-external').focus();
    }
  });
  $('link-form').addEventListener('submit', propose);

  return {
    /** Shows the panel for a conversation ({@code view}: as the socket gives it); a widget chat has none. */
    show(view) {
      const channel = view && view.channel && view.channel !== 'web';
      $('link').hidden = !channel;
      if (!channel) {
        this.hide();
        return;
      }
      if (state.conversation !== view.id) {
        state.conversation = view.id;
        state.proposals = [];
        $('link-form').hidden = true;
        $('link-notice').textContent = '';
        render();
      }
      load(view.id);
    },
    hide() {
      clearTimeout(state.timer);
      state.conversation = null;
      state.proposals = [];
      $('link').hidden = true;
    },
    relabel: render,
  };
}
