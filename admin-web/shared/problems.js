// What a refusal from the server means to a person, for all three apps: the one table of these sentences, in
// Korean and English. The server answers in English for developers ({"error":{"code","field","message"}} on
// HTTP, {"type":"error","code","field","message"} on the sockets); a screen shows the sentence for the code
// instead, and for a field at fault (missing_field, invalid_field) one that names the field in the reader's
// language. Staff (the consoles) and customers (the widget) read the same table; a customer reads other words
// where staff words would not help them (no "server", no field names of ours).
import { translator } from './i18n.js';

export const PROBLEM_STRINGS = {
  ko: {
    problemWrongPassword: '아이디 또는 비밀번호가 맞지 않습니다. 다시 확인해 주세요.',
    problemUnauthorized: '로그인이 만료되었습니다. 다시 로그인해 주세요.',
    problemForbidden: '이 작업을 할 권한이 없습니다.',
    problemNotFound: '찾는 항목이 없습니다. 이미 삭제되었거나 볼 수 없는 항목입니다.',
    problemConflict: '이미 같은 것이 있거나, 지금 상태에서는 할 수 없는 작업입니다.',
    problemAlreadyTaken: '다른 상담사가 먼저 가져갔습니다.',
    problemAtCapacity: '동시에 맡을 수 있는 상담 수를 넘었습니다.',
    problemAgentUnavailable: '그 상담사는 지금 상담을 받을 수 없습니다.',
    problemConversationClosed: '이미 종료된 상담입니다.',
    problemAlreadyRated: '이미 평가해 주셨습니다.',
    problemCenterClosed: '지금은 상담 시간이 아닙니다.',
    problemTooManySignIns: '로그인 시도가 너무 많습니다. {seconds}초 뒤에 다시 시도해 주세요.',
    problemTooManyAttempts: '요청이 너무 많습니다. {seconds}초 뒤에 다시 시도해 주세요.',
    problemRateLimited: '요청이 너무 잦습니다. 잠시 뒤에 다시 시도해 주세요.',
    problemUnavailable: '서버가 잠시 응답할 수 없습니다. 잠시 뒤에 다시 시도해 주세요.',
    problemTooLarge: '내용이 너무 큽니다.',
    problemTooLong: '글이 너무 깁니다.',
    problemUnsupportedType: '보낼 수 없는 파일 형식입니다.',
    problemBadRequest: '요청을 처리할 수 없습니다. 화면을 새로 고친 뒤 다시 시도해 주세요.',
    problemConnecting: '연결을 준비하고 있습니다. 잠시 후 다시 시도해 주세요.',
    problemInternal: '서버에서 문제가 생겼습니다. 잠시 뒤에 다시 시도해 주세요.',
    problemOffline: '서버에 연결할 수 없습니다. 네트워크를 확인해 주세요.',
    problemCategoryRequired: '상담 분류를 골라야 종료할 수 있습니다.',
    problemMissing: '{field}을(를) 입력해 주세요.',
    problemInvalid: '{field} 값이 올바르지 않습니다.',
    problemNotACode: '{field}은(는) 영문 소문자, 숫자, 하이픈(-)으로 32자까지 쓸 수 있고, 영문 소문자나 숫자로 시작해야 합니다.',
    problemAtLeast: '{field}은(는) {n}자 이상이어야 합니다.',
    problemAtMost: '{field}은(는) {n}자까지 쓸 수 있습니다.',
    problemRange: '{field}은(는) {n}부터 {max}까지의 수로 넣어 주세요.',
    problemUnknown: '고른 {field}을(를) 찾을 수 없습니다. 화면을 새로 고쳐 주세요.',
    problemMissingSomething: '꼭 넣어야 하는 값이 빠졌습니다.',
    problemInvalidSomething: '입력한 값 중 올바르지 않은 것이 있습니다.',
    problemPasswordTooShort: '비밀번호가 너무 짧습니다. 더 길게 입력해 주세요.',
    problemPasswordTooSimple: '비밀번호에 영문 대문자, 소문자, 숫자, 특수문자를 더 섞어 주세요.',
    problemPasswordHasUsername: '비밀번호에 아이디를 넣을 수 없습니다.',
    problemPasswordReused: '최근에 쓴 비밀번호는 다시 쓸 수 없습니다.',
    problemPasswordChangeRequired: '비밀번호를 먼저 변경해 주세요.',
    problemAddressNotAllowed: '허용된 장소(네트워크)에서만 접속할 수 있습니다. 회사 네트워크나 VPN에서 다시 시도해 주세요.',
    // What a customer reads instead (BY_CODE.customer, CUSTOMER_FIELDS).
    problemAddress: '상담 창구 주소가 올바르지 않습니다. 이용하시던 홈페이지에서 상담 창을 다시 열어 주세요.',
    problemChatUnavailable: '지금은 이 상담 창구를 이용할 수 없습니다. 홈페이지에서 다시 시도해 주세요.',
    problemConsentChanged: '동의 내용이 바뀌었습니다. 새 내용을 확인하고 다시 동의해 주세요.',
    problemCheckInput: '입력하신 내용을 다시 확인해 주세요.',
    problemMessageTooLong: '내용이 너무 깁니다. 4,000자 이내로 줄여 주세요.',
    problemTooFast: '요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.',
    problemFileTooLarge: '파일이 너무 큽니다.',
    problemLater: '일시적인 문제로 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.',
    problemGeneric: '요청을 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.',
  },
  en: {
    problemWrongPassword: 'Wrong username or password. Please check and try again.',
    problemUnauthorized: 'Your session has ended. Please log in again.',
    problemForbidden: 'You may not do this.',
    problemNotFound: 'Not found: it was removed, or you may not see it.',
    problemConflict: 'It exists already, or it cannot be done in the current state.',
    problemAlreadyTaken: 'Another agent took it first.',
    problemAtCapacity: 'That is more chats at once than allowed.',
    problemAgentUnavailable: 'That agent cannot take chats right now.',
    problemConversationClosed: 'This chat has already ended.',
    problemAlreadyRated: 'You have already rated this chat.',
    problemCenterClosed: 'We are closed right now.',
    problemTooManySignIns: 'Too many login attempts. Try again in {seconds} seconds.',
    problemTooManyAttempts: 'Too many requests. Try again in {seconds} seconds.',
    problemRateLimited: 'Too many requests. Try again in a moment.',
    problemUnavailable: 'The server cannot answer right now. Try again in a moment.',
    problemTooLarge: 'That is too large.',
    problemTooLong: 'That text is too long.',
    problemUnsupportedType: 'This type of file cannot be sent.',
    problemBadRequest: 'The request could not be handled. Reload the page and try again.',
    problemConnecting: 'Still connecting. Try again in a moment.',
    problemInternal: 'Something went wrong on the server. Try again in a moment.',
    problemOffline: 'Cannot reach the server. Check the network.',
    problemCategoryRequired: 'Choose a category before closing.',
    problemMissing: 'Enter the {field}.',
    problemInvalid: 'The {field} is not valid.',
    problemNotACode: 'The {field} may use lowercase letters, digits and hyphens (up to 32), starting with a letter or digit.',
    problemAtLeast: 'The {field} needs at least {n} characters.',
    problemAtMost: 'The {field} may have at most {n} characters.',
    problemRange: 'The {field} must be a number from {n} to {max}.',
    problemUnknown: 'The {field} chosen no longer exists. Reload the page.',
    problemMissingSomething: 'A required value is missing.',
    problemInvalidSomething: 'One of the values is not valid.',
    problemPasswordTooShort: 'That password is too short.',
    problemPasswordTooSimple: 'Mix more kinds of characters: upper case, lower case, digits and symbols.',
    problemPasswordHasUsername: 'The password must not contain your username.',
    problemPasswordReused: 'You used that password recently. Choose another.',
    problemPasswordChangeRequired: 'Please change your password first.',
    problemAddressNotAllowed: 'Sign-in is allowed only from approved networks. Try again from the office network or VPN.',
    problemAddress: 'This chat link is not valid. Please open the chat again from the website.',
    problemChatUnavailable: 'This chat is not available right now. Please try again from the website.',
    problemConsentChanged: 'The consent text has changed. Please read it and agree again.',
    problemCheckInput: 'Please check what you entered.',
    problemMessageTooLong: 'The message is too long. Please keep it under 4,000 characters.',
    problemTooFast: 'Too many requests. Please try again in a moment.',
    problemFileTooLarge: 'The file is too large.',
    problemLater: 'Something went wrong on our side. Please try again in a moment.',
    problemGeneric: 'Your request could not be completed. Please try again in a moment.',
  },
};

const say = translator(PROBLEM_STRINGS);

/**
 * The sentence for each error code: as staff read it (every code the server has), and as a customer does where
 * that differs; a code without a customer sentence reads as problemGeneric to a customer.
 */
const BY_CODE = {
  staff: {
    bad_json: 'problemBadRequest',
    bad_request: 'problemBadRequest',
    hello_required: 'problemConnecting',
    unknown_type: 'problemBadRequest',
    missing_field: 'problemMissingSomething',
    category_required: 'problemCategoryRequired',
    invalid_field: 'problemInvalidSomething',
    too_long: 'problemTooLong',
    unauthorized: 'problemUnauthorized',
    forbidden: 'problemForbidden',
    password_too_short: 'problemPasswordTooShort',
    password_too_simple: 'problemPasswordTooSimple',
    password_has_username: 'problemPasswordHasUsername',
    password_reused: 'problemPasswordReused',
    password_change_required: 'problemPasswordChangeRequired',
    address_not_allowed: 'problemAddressNotAllowed',
    not_found: 'problemNotFound',
    method_not_allowed: 'problemBadRequest',
    conflict: 'problemConflict',
    already_taken: 'problemAlreadyTaken',
    at_capacity: 'problemAtCapacity',
    agent_unavailable: 'problemAgentUnavailable',
    conversation_closed: 'problemConversationClosed',
    already_rated: 'problemAlreadyRated',
    center_closed: 'problemCenterClosed',
    too_large: 'problemTooLarge',
    unsupported_type: 'problemUnsupportedType',
    rate_limited: 'problemRateLimited',
    too_many_attempts: 'problemTooManyAttempts',
    internal: 'problemInternal',
    unavailable: 'problemUnavailable',
  },
  customer: {
    not_found: 'problemChatUnavailable',
    too_long: 'problemMessageTooLong',
    rate_limited: 'problemTooFast',
    too_many_attempts: 'problemTooFast',
    conversation_closed: 'problemConversationClosed',
    already_rated: 'problemAlreadyRated',
    center_closed: 'problemCenterClosed',
    too_large: 'problemFileTooLarge',
    unsupported_type: 'problemUnsupportedType',
    unavailable: 'problemLater',
    internal: 'problemLater',
  },
};

/** A refusal without a code of ours (a proxy's answer, a download's): by its HTTP status, as staff read it. */
const BY_STATUS = {
  401: 'problemUnauthorized',
  403: 'problemForbidden',
  404: 'problemNotFound',
  409: 'problemConflict',
  413: 'problemTooLarge',
  422: 'problemInvalidSomething',
  429: 'problemRateLimited',
  503: 'problemUnavailable',
};

/** The rules a field breaks, in the server's own words (Fields and the endpoints), and their sentences. */
const BLANK = /must not be blank/;
const RULES = [
  [/must match \[a-z0-9\]/, 'problemNotACode'],
  [/at least (\d+) characters/, 'problemAtLeast'],
  [/at most (\d+) characters/, 'problemAtMost'],
  [/(?:from|between) (-?\d+) (?:to|and) (-?\d+)/, 'problemRange'],
  [/names (?:unknown|no) /, 'problemUnknown'],
];

/** The fields a customer may get wrong that the widget itself does not show, and what they read for them. */
const CUSTOMER_FIELDS = {
  tenant: 'problemAddress',
  center: 'problemAddress',
  'form.consentVersion': 'problemConsentChanged',
  text: 'problemMessageTooLong',
};

/**
 * The field an error names ("weekly.MON", "form.name"), or null: the server's {@code field}, or for a refusal
 * without one, its message's "field '<name>' ..." (Fields.missing/invalid write it so).
 */
export function fieldOf(error) {
  if (!error) {
    return null;
  }
  if (error.field) {
    return error.field;
  }
  const named = /^field '([^']+)'/.exec(error.message || '');
  return named ? named[1] : null;
}

/**
 * A field's name on screen from an app's strings ({@code text(key)}, which answers a key it lacks with the key):
 * its "field.<name>" string where a label reads differently on its own screen, else its "<name>" string; null
 * when the app has neither.
 */
export function labelFrom(text) {
  return (field) => {
    for (const key of [`field.${field}`, field]) {
      const label = text(key);
      if (label !== key) {
        return label;
      }
    }
    return null;
  };
}

/**
 * The sentence for a refusal in {@code lang}. {@code error} is an error frame, a REST answer's {@code error}, or
 * what http.js and console.js reject with: code, field, status, retryAfter (seconds), signIn (it answered a
 * sign-in), message (the server's, never shown). {@code reader} is 'staff' (the default) or 'customer'.
 * Staff: {@code label(field)} names a field ("weekly.MON" -> "월요일 운영시간"), or null when the app has no name
 * for it. Customer: {@code fieldSentence(field)} is the app's own sentence for a field it shows (the pre-chat
 * form's, the same its own check shows), or null.
 */
export function problemText(lang, error, { reader = 'staff', label = () => null, fieldSentence = () => null } = {}) {
  const code = (error && error.code) || '';
  const text = (key, values) => say(lang, key, values);
  const fieldError = code === 'missing_field' || code === 'invalid_field';
  if (reader === 'customer') {
    const field = fieldOf(error);
    if (fieldError) {
      return fieldSentence(field) || text(CUSTOMER_FIELDS[field] || 'problemCheckInput');
    }
    return text(BY_CODE.customer[code] || 'problemGeneric');
  }
  if (error.signIn && code === 'unauthorized') {
    return text('problemWrongPassword');
  }
  if (fieldError) {
    return fieldProblem(text, label, error);
  }
  if (code === 'too_many_attempts') {
    return text(error.signIn ? 'problemTooManySignIns' : 'problemTooManyAttempts', { seconds: error.retryAfter || 60 });
  }
  if (BY_CODE.staff[code]) {
    return text(BY_CODE.staff[code]);
  }
  if (BY_STATUS[error.status]) {
    return text(BY_STATUS[error.status]);
  }
  // No answer from the server at all (fetch failed) or an answer that is not ours (a proxy's 502).
  return text(error.status ? 'problemInternal' : 'problemOffline');
}

/** A missing or invalid field as staff read it: the field by its name on screen, and the rule it breaks. */
function fieldProblem(text, label, error) {
  const field = fieldOf(error);
  const name = field ? label(field) : null;
  if (!name) {
    return text(BY_CODE.staff[error.code]);
  }
  if (error.code === 'missing_field' || BLANK.test(error.message)) {
    return text('problemMissing', { field: name });
  }
  for (const [rule, key] of RULES) {
    const found = rule.exec(error.message);
    if (found) {
      return text(key, { field: name, n: found[1], max: found[2] });
    }
  }
  return text('problemInvalid', { field: name });
}
