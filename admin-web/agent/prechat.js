// What the customer gave in the center's pre-chat form, in the customer panel: name and contact masked as
// the server sends them, the inquiry type, and when they agreed to which version of the consent.
import { api } from '../shared/console.js';
import { $, el } from '../shared/dom.js';

/** {@code text}: the console's strings and language; {@code tokenKey}: where its token is. */
export function preChatPanel(text, lang, tokenKey) {
  let shown = null; // the conversation whose answers are on the panel

  function row(list, labelKey, value) {
    if (!value) {
      return;
    }
    list.append(el('dt', text(labelKey)), el('dd', value));
  }

  /**
   * Shows the answers of {@code conversation}, or hides the panel when its customer filled in no form. The
   * server writes the answers just after the conversation opens, so a chat offered at once may be read a
   * moment early: a few more reads before the panel stays hidden.
   */
  async function show(conversation, tries = 4) {
    shown = conversation;
    const answers = await api(tokenKey, 'GET', `/api/conversations/${conversation}/pre-chat`).catch(() => null);
    if (shown !== conversation) {
      return;
    }
    if (!answers && tries > 1) {
      setTimeout(() => { if (shown === conversation) show(conversation, tries - 1); }, 700);
    }
    $('pre-chat').hidden = !answers;
    const list = $('pre-chat-list');
    list.replaceChildren();
    if (!answers) {
      return;
    }
    row(list, 'preChatName', answers.name);
    row(list, 'preChatContact', answers.contact);
    row(list, 'preChatType', answers.inquiryType);
    if (answers.consent) {
      const at = new Date(answers.consent.agreedAt).toLocaleString(lang() === 'ko' ? 'ko-KR' : 'en-US');
      row(list, 'preChatConsent', text('preChatConsentAgreed', { version: answers.consent.version, at }));
    }
  }

  return { show };
}
