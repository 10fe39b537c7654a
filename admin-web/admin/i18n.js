// Every string the admin console shows, Korean first. A key missing in English falls back to Korean.
import { translator } from '../shared/i18n.js';

export const STRINGS = {
  ko: {
    title: '관리 콘솔', language: 'English', tenant: '계열사 코드 (본사는 비움)', username: '아이디',
    password: '비밀번호', login: '로그인', logout: '로그아웃', loginFailed: '로그인하지 못했습니다: {reason}',
    dashboard: '실시간 현황', updated: '{time} 기준', center: '센터', open: '운영', closed: '운영 종료',
    waiting: '대기', longestWait: '최장 대기', inProgress: '상담 중', online: '상담 가능', away: '자리 비움',
    offline: '오프라인', queue: '큐', agent: '상담사', status: '상태', openChats: '진행 상담',
    timeInStatus: '상태 유지', back: '전체 보기', seconds: '{n}초', minutes: '{n}분', disconnected: '연결이 끊겼습니다. 다시 연결하는 중…',
    ONLINE: '상담 가능', AWAY: '자리 비움', OFFLINE: '오프라인', error: '오류: {reason}',
  },
  en: {
    title: 'Admin console', language: '한국어', tenant: 'Tenant code (empty for HQ)', username: 'Username',
    password: 'Password', login: 'Log in', logout: 'Log out', loginFailed: 'Could not log in: {reason}',
    dashboard: 'Live dashboard', updated: 'as of {time}', center: 'Center', open: 'Open', closed: 'Closed',
    waiting: 'Waiting', longestWait: 'Longest wait', inProgress: 'In progress', online: 'Online', away: 'Away',
    offline: 'Offline', queue: 'Queue', agent: 'Agent', status: 'Status', openChats: 'Open chats',
    timeInStatus: 'In status', back: 'All centers', seconds: '{n} s', minutes: '{n} min',
    disconnected: 'Connection lost. Reconnecting…', ONLINE: 'Online', AWAY: 'Away', OFFLINE: 'Offline',
    error: 'Error: {reason}',
  },
};

export const t = translator(STRINGS);
