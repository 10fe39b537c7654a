// Every string the agent console shows, Korean first. A key missing in English falls back to Korean.
import { translator } from '../shared/i18n.js';
import { DESK_STRINGS } from './strings-desk.js';
import { SECURITY_STRINGS } from '../shared/strings-security.js';

export const STRINGS = {
  ko: {
    title: '상담 콘솔', language: 'English', tenant: '계열사 코드', username: '아이디', password: '비밀번호',
    login: '로그인', logout: '로그아웃',
    ONLINE: '상담 가능', AWAY: '자리 비움', OFFLINE: '오프라인', awayWith: '자리 비움 · {reason}',
    myChats: '내 상담', waitingList: '대기 중 (직접 배정)', noChats: '진행 중인 상담이 없습니다.',
    pick: '가져오기', since: '{minutes}분 전', justNow: '방금', newAssignment: '새 상담!',
    placeholder: '메시지 입력 · /로 상용구 찾기', send: '보내기', note: '메모', noteMode: '메모로 남기기',
    notePlaceholder: '고객에게 보이지 않는 메모', hold: '보류', unhold: '보류 해제', transfer: '이관',
    close: '종료', category: '분류', noCategory: '분류 없음', tags: '태그 (쉼표로 구분)', confirmClose: '상담 종료',
    toQueue: '큐로 이관', toAgent: '상담사에게 이관', chooseQueue: '큐 선택', chooseAgent: '상담사 선택',
    agentLoad: '{name} — {status} {open}/{max}', transferNote: '이관 메모', doTransfer: '이관하기',
    cancel: '취소', botFields: '챗봇이 받은 정보', customer: '고객 정보', contact: '연락처', externalId: '회원 번호', history: '이전 상담',
    noHistory: '이전 상담이 없습니다.', historyTruncated: '더 이전 메시지는 표시되지 않았습니다(대화 검색에서 볼 수 있습니다).', typing: '고객이 입력 중입니다…', read: '읽음', held: '보류 중',
    rated: '고객 평가: {score}점', transferred: '이관되었습니다.',
    disconnected: '연결이 끊겼습니다. 다시 연결하는 중…', whisper: '귓속말',
    sending: '전송 중', notSent: '보내지 못함',
    notDelivered: '고객에게 전달되지 않음', deliveryFailed: '고객의 채널에 전달하지 못했습니다: {reason}',
    customerOffline: '고객 연결 끊김',
    customerOfflineHint: '고객이 창을 닫았습니다. 답변 전에 돌아오지 않으면 포기로 종료됩니다.',
    channelWEB: '웹', channelKAKAO: '카카오톡', channelNAVER_TALKTALK: '네이버 톡톡', channelSMS: '문자',
    proposeLink: '고객 연결 제안', linkNote: '확인 방법 (예: 본인확인: 생년월일+휴대폰 뒷자리)', proposeLinkSubmit: '제안하기',
    linkProposed: '연결을 제안했습니다. 관리자가 승인하면 연결됩니다.', linkPENDING: '승인 대기', linkACCEPTED: '연결됨',
    linkREJECTED: '거절됨',
    // Signed out, and the sign-in's tenant as a refusal names it (the sentences are shared/problems.js's).
    signedOut: '로그아웃되었습니다. 다시 로그인해 주세요.', 'field.tenant': '계열사 코드',
    callbacks: '콜백 예약', noCallbacks: '지금 전화드릴 예약이 없습니다.', callbackDue: '통화 시간', callbackOverdue: '시간 지남',
    callbackAttempts: '부재중 {n}회', callbackClaim: '전화하기', callbackOutcome: '통화 결과', callbackNote: '메모',
    callbackSave: '결과 저장', callbackTaken: '다른 상담사가 먼저 가져갔습니다.', callbackFailed: '저장하지 못했습니다. 목록을 새로 불러왔습니다.',
    outcome_reached: '통화 완료', outcome_no_answer: '부재중 (나중에 다시 걸기)', outcome_wrong_number: '잘못된 번호',
    outcome_cancelled: '고객 취소',
    // The customer's pre-chat form (prechat.js).
    preChat: '상담 전 입력 정보', preChatName: '이름', preChatContact: '연락처', preChatType: '문의 종류',
    preChatConsent: '개인정보 동의', preChatConsentAgreed: '{at} 동의 (안내문 버전 {version})',
    // Sign-in with a company account (shared/company-sign-in.js).
    companySignIn: '회사 계정으로 로그인',
    'sso.expired': '로그인 요청이 만료되었거나 이미 사용되었습니다. 다시 시도해 주세요.',
    'sso.refused': '회사 계정 로그인이 거부되었습니다. 관리자에게 문의해 주세요.',
    'sso.no_role': '회사 계정에 이 서비스를 사용할 권한이 없습니다. 관리자에게 권한을 요청해 주세요.',
    'sso.unavailable': '회사 로그인 서버에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.',
    'sso.other_browser': '이 로그인은 다른 브라우저에서 시작되었거나 브라우저가 쿠키를 허용하지 않습니다. 이 브라우저에서 다시 시도해 주세요.',
    'sso.account_conflict': '이 이름의 계정은 다른 회사 계정에 연결되어 있습니다. 관리자에게 문의해 주세요.',
  },
  en: {
    title: 'Agent console', language: '한국어', tenant: 'Tenant code', username: 'Username', password: 'Password',
    login: 'Log in', logout: 'Log out',
    ONLINE: 'Online', AWAY: 'Away', OFFLINE: 'Offline', awayWith: 'Away · {reason}',
    myChats: 'My chats', waitingList: 'Waiting (pick)', noChats: 'No open chats.',
    pick: 'Pick', since: '{minutes} min ago', justNow: 'just now', newAssignment: 'New chat!',
    placeholder: 'Type a message · / for canned responses', send: 'Send', note: 'Note', noteMode: 'Internal note',
    notePlaceholder: 'A note the customer never sees', hold: 'Hold', unhold: 'Resume', transfer: 'Transfer',
    close: 'Close', category: 'Category', noCategory: 'No category', tags: 'Tags (comma separated)',
    confirmClose: 'Close chat', toQueue: 'To a queue', toAgent: 'To an agent',
    chooseQueue: 'Choose a queue', chooseAgent: 'Choose an agent', agentLoad: '{name} — {status} {open}/{max}',
    transferNote: 'Note for the next agent', doTransfer: 'Transfer', cancel: 'Cancel', botFields: 'From the bot',
    customer: 'Customer',
    contact: 'Contact', externalId: 'Member id', history: 'Earlier chats', noHistory: 'No earlier chats.',
    historyTruncated: 'Older messages are not shown here (see conversation search).',
    typing: 'The customer is typing…', read: 'Read', held: 'On hold', rated: 'Customer rating: {score}',
    transferred: 'Transferred.',
    sending: 'Sending', notSent: 'Not sent',
    notDelivered: 'Not delivered to the customer', deliveryFailed: 'The customer\'s channel did not get it: {reason}',
    disconnected: 'Connection lost. Reconnecting…', whisper: 'Whisper',
    customerOffline: 'Customer offline',
    customerOfflineHint: 'The customer closed their window. Unanswered, the chat ends as abandoned unless they return.',
    channelWEB: 'Web', channelKAKAO: 'KakaoTalk', channelNAVER_TALKTALK: 'Naver TalkTalk', channelSMS: 'SMS',
    proposeLink: 'Propose customer link', linkNote: 'How verified (e.g. birth date + last phone digits)',
    proposeLinkSubmit: 'Propose', linkProposed: 'Link proposed. It takes effect once an admin accepts it.',
    linkPENDING: 'Awaiting approval', linkACCEPTED: 'Linked', linkREJECTED: 'Rejected',
    signedOut: 'You were signed out. Please log in again.', 'field.tenant': 'Tenant code',
    callbacks: 'Call-backs', noCallbacks: 'No call-backs are due.', callbackDue: 'Due now', callbackOverdue: 'Overdue',
    callbackAttempts: '{n} missed', callbackClaim: 'Call', callbackOutcome: 'Result', callbackNote: 'Note',
    callbackSave: 'Save result', callbackTaken: 'Another agent took it first.', callbackFailed: 'Not saved. The list was read again.',
    outcome_reached: 'Reached', outcome_no_answer: 'No answer (call again later)', outcome_wrong_number: 'Wrong number',
    outcome_cancelled: 'Cancelled by the customer',
    // The customer's pre-chat form (prechat.js).
    preChat: 'Before the chat', preChatName: 'Name', preChatContact: 'Contact', preChatType: 'Inquiry type',
    preChatConsent: 'Personal data', preChatConsentAgreed: 'Agreed to version {version} at {at}',
    companySignIn: 'Sign in with company account',
    'sso.expired': 'The sign-in request expired or was already used. Please try again.',
    'sso.refused': 'Your company sign-in was refused. Please contact your administrator.',
    'sso.no_role': 'Your company account has no access to this service. Ask your administrator for access.',
    'sso.unavailable': 'The company sign-in server cannot be reached. Please try again shortly.',
    'sso.other_browser': 'This sign-in was started in another browser, or this browser refuses cookies. Please start again here.',
    'sso.account_conflict': 'The account of this name here belongs to another company account. Please contact your administrator.',
  },
};

Object.assign(STRINGS.ko, DESK_STRINGS.ko);
Object.assign(STRINGS.en, DESK_STRINGS.en);
Object.assign(STRINGS.ko, SECURITY_STRINGS.ko);
Object.assign(STRINGS.en, SECURITY_STRINGS.en);

export const t = translator(STRINGS);
