// Server errors as sentences a person reads, chosen by the error's code (and, for a field in error, its
// name), in the reader's language. The server's own message is English for operators and logs; it is
// never shown. A code this table does not know reads as the general sentence.

const BY_CODE = {
  ko: {
    bad_json: '요청을 처리하지 못했습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.',
    bad_request: '요청을 처리하지 못했습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.',
    hello_required: '연결을 준비하고 있습니다. 잠시 후 다시 시도해 주세요.',
    unknown_type: '요청을 처리하지 못했습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.',
    missing_field: '필수 항목을 입력해 주세요.',
    invalid_field: '입력한 내용을 확인해 주세요.',
    category_required: '상담을 종료하려면 분류를 선택해 주세요.',
    too_long: '내용이 너무 깁니다. 4,000자 이내로 줄여 주세요.',
    password_too_short: '비밀번호가 너무 짧습니다. 더 길게 입력해 주세요.',
    password_too_simple: '비밀번호에 영문 대문자, 소문자, 숫자, 특수문자를 더 섞어 주세요.',
    password_has_username: '비밀번호에 아이디를 넣을 수 없습니다.',
    password_reused: '최근에 쓴 비밀번호는 다시 쓸 수 없습니다.',
    unauthorized: '로그인이 필요합니다. 다시 로그인해 주세요.',
    forbidden: '이 작업을 할 권한이 없습니다.',
    password_change_required: '비밀번호를 먼저 변경해 주세요.',
    address_not_allowed: '허용된 장소(네트워크)에서만 접속할 수 있습니다. 회사 네트워크나 VPN에서 다시 시도해 주세요.',
    not_found: '찾을 수 없습니다. 이미 다른 곳으로 옮겨졌거나 삭제되었을 수 있습니다.',
    method_not_allowed: '요청을 처리하지 못했습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.',
    conflict: '이미 같은 내용이 있거나 다른 변경과 겹쳤습니다. 새로 고친 뒤 확인해 주세요.',
    already_taken: '다른 상담사가 먼저 가져갔습니다.',
    at_capacity: '동시에 맡을 수 있는 상담 수를 넘었습니다.',
    agent_unavailable: '상대 상담사가 지금 상담할 수 없는 상태입니다.',
    conversation_closed: '이미 종료된 상담입니다.',
    already_rated: '이미 평가를 보내셨습니다.',
    center_closed: '지금은 상담 시간이 아닙니다.',
    too_large: '파일이 너무 큽니다.',
    unsupported_type: '보낼 수 없는 형식의 파일입니다.',
    rate_limited: '요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.',
    too_many_attempts: '로그인 시도가 너무 많습니다. 잠시 후 다시 시도해 주세요.',
    internal: '일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요.',
    unavailable: '지금은 처리할 수 없습니다. 잠시 후 다시 시도해 주세요.',
    other: '요청을 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.',
  },
  en: {
    bad_json: 'The request could not be processed. Reload the page and try again.',
    bad_request: 'The request could not be processed. Reload the page and try again.',
    hello_required: 'Still connecting. Try again in a moment.',
    unknown_type: 'The request could not be processed. Reload the page and try again.',
    missing_field: 'Please fill in the required fields.',
    invalid_field: 'Please check what you entered.',
    category_required: 'Choose a category to close the chat.',
    too_long: 'That is too long. Keep it under 4,000 characters.',
    password_too_short: 'That password is too short.',
    password_too_simple: 'Mix more kinds of characters: upper case, lower case, digits and symbols.',
    password_has_username: 'The password must not contain your username.',
    password_reused: 'You used that password recently. Choose another.',
    unauthorized: 'Please sign in again.',
    forbidden: 'You do not have permission to do this.',
    password_change_required: 'Please change your password first.',
    address_not_allowed: 'Sign-in is allowed only from approved networks. Try again from the office network or VPN.',
    not_found: 'Not found. It may have been moved or deleted.',
    method_not_allowed: 'The request could not be processed. Reload the page and try again.',
    conflict: 'This already exists or clashed with another change. Reload and check.',
    already_taken: 'Another agent picked it up first.',
    at_capacity: 'That would be more chats than allowed at once.',
    agent_unavailable: 'That agent cannot take chats right now.',
    conversation_closed: 'This chat has already ended.',
    already_rated: 'You have already rated this chat.',
    center_closed: 'We are closed right now.',
    too_large: 'The file is too large.',
    unsupported_type: 'This type of file cannot be sent.',
    rate_limited: 'Too many requests. Try again in a moment.',
    too_many_attempts: 'Too many sign-in attempts. Try again in a moment.',
    internal: 'Something went wrong. Try again in a moment.',
    unavailable: 'This cannot be done right now. Try again in a moment.',
    other: 'The request could not be processed. Try again in a moment.',
  },
};

/** A field in error (missing_field, invalid_field) named as the person knows it. */
const BY_FIELD = {
  ko: {
    tenant: '상담 창구 주소가 올바르지 않습니다. 안내받은 주소로 다시 열어 주세요.',
    center: '상담 창구 주소가 올바르지 않습니다. 안내받은 주소로 다시 열어 주세요.',
    queue: '문의 유형을 다시 선택해 주세요.',
    text: '메시지를 입력해 주세요.',
    contact: '연락처를 확인해 주세요.',
    username: '아이디를 확인해 주세요.',
    password: '비밀번호를 확인해 주세요.',
    code: '코드는 영문 소문자, 숫자, 하이픈(-)으로 32자 이내로 입력해 주세요.',
  },
  en: {
    tenant: 'This chat address is not valid. Open it again from the link you were given.',
    center: 'This chat address is not valid. Open it again from the link you were given.',
    queue: 'Please choose the inquiry type again.',
    text: 'Please type a message.',
    contact: 'Please check your contact details.',
    username: 'Please check your username.',
    password: 'Please check your password.',
    code: 'Codes are lowercase letters, digits and dashes, up to 32 characters.',
  },
};

/**
 * The sentence for an error {code, field?} (a WebSocket error frame, a REST answer's {@code error}, or an
 * Error carrying {@code code} and {@code field}) in {@code lang}.
 */
export function errorText(error, lang) {
  const codes = BY_CODE[lang] || BY_CODE.ko;
  const fields = BY_FIELD[lang] || BY_FIELD.ko;
  const code = error && error.code;
  const field = error && error.field;
  if ((code === 'invalid_field' || code === 'missing_field') && field && fields[field]) {
    return fields[field];
  }
  return codes[code] || codes.other;
}
