// System messages in the reader's language. The server sends a system message's key and params beside
// the tenant's text (docs/protocol.md 4.8); a key this table does not know shows the text as sent. A
// conversation's end has no message of its own: its reason is said here as a sentence for the reader.

const WORDING = {
  ko: {
    'conversation.transferredToQueue': '상담을 담당 창구로 연결해 드리겠습니다. 잠시만 기다려 주세요.',
    'conversation.transferredToAgent': '{agent} 상담사가 이어서 상담해 드리겠습니다.',
    'conversation.takenOver': '{name} 님이 상담을 이어받았습니다.',
    'conversation.held': '상담사가 내용을 확인하고 있습니다. 잠시만 기다려 주세요.',
    'conversation.resumed': '기다려 주셔서 감사합니다. 상담을 이어가겠습니다.',
    'conversation.idleWarning': '고객님, 더 궁금하신 점이 있으신가요? {minutes}분 동안 응답이 없으시면 상담이 자동으로 종료됩니다.',
    'conversation.agentLost': '상담사와의 연결이 끊어져 다른 상담사를 연결해 드리겠습니다. 잠시만 기다려 주세요.',
  },
  en: {
    'conversation.transferredToQueue': 'We are connecting you to the right team. Please wait a moment.',
    'conversation.transferredToAgent': '{agent} will continue helping you.',
    'conversation.takenOver': '{name} has taken over this chat.',
    'conversation.held': 'Your agent is looking into this. Please wait a moment.',
    'conversation.resumed': 'Thank you for waiting. Let\'s continue.',
    'conversation.idleWarning': 'Is there anything else we can help with? Without a reply within {minutes} min, this chat will end.',
    'conversation.agentLost': 'We lost the connection to your agent and are connecting you to another. Please wait a moment.',
  },
};

/** Messages stored before their key carried a param, said without it. */
const WITHOUT_PARAMS = {
  ko: { 'conversation.idleWarning': '고객님, 더 궁금하신 점이 있으신가요? 응답이 없으시면 잠시 후 상담이 자동으로 종료됩니다.' },
  en: { 'conversation.idleWarning': 'Is there anything else we can help with? Without a reply, this chat will end shortly.' },
};

/** The end of a conversation by its reason, as each side reads it: the customer (widget) and staff (consoles). */
const CLOSED = {
  customer: {
    ko: {
      agent: '상담사가 상담을 종료했습니다.', customer: '상담을 종료했습니다.',
      timeout: '응답이 없어 상담이 자동으로 종료되었습니다.', abandoned: '상담이 종료되었습니다.',
      bot: '상담이 종료되었습니다.', other: '상담이 종료되었습니다.',
    },
    en: {
      agent: 'The agent ended the chat.', customer: 'You ended the chat.',
      timeout: 'The chat ended because there was no reply.', abandoned: 'The chat has ended.',
      bot: 'The chat has ended.', other: 'The chat has ended.',
    },
  },
  staff: {
    ko: {
      agent: '상담사가 상담을 종료했습니다.', customer: '고객이 상담을 종료했습니다.',
      timeout: '고객의 응답이 없어 상담이 자동으로 종료되었습니다.',
      abandoned: '고객이 상담사 연결 전에 나가 상담이 종료되었습니다.', bot: '챗봇이 상담을 종료했습니다.',
      other: '상담이 종료되었습니다.',
    },
    en: {
      agent: 'The agent ended the chat.', customer: 'The customer ended the chat.',
      timeout: 'The chat ended automatically: the customer did not reply.',
      abandoned: 'The customer left before an agent answered.', bot: 'The bot ended the chat.',
      other: 'The chat has ended.',
    },
  },
};

function fill(template, params) {
  return template.replace(/\{(\w+)\}/g, (m, name) => (params && name in params ? String(params[name]) : ''));
}

/** A system message ({key, params, text}) in {@code lang}: from its key when known, else its text as sent. */
export function systemText(message, lang) {
  const table = WORDING[lang] || WORDING.ko;
  const template = message.key && table[message.key];
  if (!template) {
    return message.text;
  }
  const lacking = [...template.matchAll(/\{(\w+)\}/g)].some(([, name]) => !(message.params && name in message.params));
  const older = (WITHOUT_PARAMS[lang] || WITHOUT_PARAMS.ko)[message.key];
  return fill(lacking && older ? older : template, message.params);
}

/** The sentence for a conversation's end with {@code reason}, for a {@code reader} of 'customer' or 'staff'. */
export function closedText(reason, lang, reader) {
  const table = (CLOSED[reader] || CLOSED.staff)[lang] || CLOSED.staff.ko;
  return table[reason] || table.other;
}

/**
 * Puts a system message in {@code element} in {@code lang}, keeping what it says on the element so that
 * {@link relabelSystem} can say it again in another language.
 */
export function showSystem(element, message, lang) {
  element.dataset.systemKey = message.key || '';
  element.dataset.systemParams = JSON.stringify(message.params || {});
  element.dataset.systemText = message.text || '';
  element.textContent = systemText(message, lang);
}

/** Every system message shown under {@code root} with {@link showSystem}, again in {@code lang}. */
export function relabelSystem(root, lang) {
  for (const element of root.querySelectorAll('[data-system-key]')) {
    element.textContent = systemText({ key: element.dataset.systemKey, params: JSON.parse(element.dataset.systemParams),
      text: element.dataset.systemText }, lang);
  }
}
