// What the agent and admin consoles share: signing in over REST, the REST calls with the token kept, and the
// console socket (/ws/agent) that says hello with the token and reconnects with backoff until signed out.
import { $ } from './dom.js';
import { call, fetchAs, refusal } from './http.js';

/** How often a sign-in answered "busy" is tried again before the message is shown. */
const BUSY_TRIES = 5;

/**
 * Where a sign-in's duty to change its password first is kept beside its token (shared/password.js shows
 * the screen for it), so that a reload asks again.
 */
export const passwordChangeKey = (tokenKey) => `${tokenKey}.passwordChange`;

/** When the token kept under {@code tokenKey} expires, as the server last said (sign-in, renewal). */
export const expiryKey = (tokenKey) => `${tokenKey}.expiresAt`;

/** Signs in; resolves with the server's answer, or rejects with the server's refusal marked {@code signIn}. */
async function signIn(tenant, username, password) {
  const body = { username, password };
  if (tenant) {
    body.tenant = tenant;
  }
  for (let tried = 1; ; tried++) {
    const response = await fetch('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body) });
    const answer = await response.json().catch(() => ({}));
    if (response.ok) {
      return answer;
    }
    // 503 with a short Retry-After: passwords are checked a few at a time (at shift start, a whole
    // office signs in at once), so wait as told and try again rather than make the agent click.
    const wait = Number(response.headers.get('Retry-After'));
    if (response.status === 503 && tried < BUSY_TRIES && wait > 0 && wait <= 10) {
      await new Promise(resolve => setTimeout(resolve, wait * 1000));
      continue;
    }
    const error = refusal(response, answer);
    error.signIn = true;
    throw error;
  }
}

/** The token of the console signed in, kept under {@code tokenKey} for the tab's life. */
const kept = (tokenKey) => sessionStorage.getItem(tokenKey);

/**
 * Calls the REST API as the console signed in: resolves with the answer's JSON (null for 204), or rejects with
 * the server's refusal (see http.js).
 */
export function api(tokenKey, method, path, body) {
  return call(kept(tokenKey), method, path, body);
}

/** Sends {@code content} (a text, a file) of {@code type} as it is; resolves with the answer's JSON. */
export async function sendContent(tokenKey, method, path, content, type) {
  return (await fetchAs(kept(tokenKey), method, path, content, type)).json().catch(() => ({}));
}

/** Reads what is not JSON (a CSV, a file): resolves with the answer, to take its body and headers from. */
export function fetchFile(tokenKey, path) {
  return fetchAs(kept(tokenKey), 'GET', path);
}

/**
 * Signs in with a console's login form (#tenant, #username, #password) and keeps the token under
 * {@code tokenKey}; the password field is cleared. Rejects with the server's refusal (see problems.js).
 */
export async function logIn(tokenKey) {
  const answer = await signIn($('tenant').value.trim(), $('username').value.trim(), $('password').value);
  sessionStorage.setItem(tokenKey, answer.token);
  sessionStorage.setItem(expiryKey(tokenKey), answer.expiresAt);
  if (answer.passwordChangeRequired) {
    sessionStorage.setItem(passwordChangeKey(tokenKey), '1');
  } else {
    sessionStorage.removeItem(passwordChangeKey(tokenKey));
  }
  $('password').value = '';
}

/** Forgets the token, closes the console socket (if any), tells the server, and starts the page over. */
export function logOut(tokenKey, connection) {
  const token = kept(tokenKey);
  sessionStorage.removeItem(tokenKey);
  if (connection) {
    connection.close();
  }
  fetchAs(token, 'POST', '/api/logout').catch(() => {}); // the page starts over whatever the server says
  location.reload();
}

/**
 * Opens the console socket with the token kept under {@code tokenKey}. Every frame goes to
 * {@code onMessage}; a close by the server for policy (1008: signed out, disabled) or a token gone
 * calls {@code onSignedOut}; any other loss calls {@code onDisconnected} and tries again.
 * {@code current()} is the socket in use.
 */
export function consoleSocket(tokenKey, { onMessage, onSignedOut, onDisconnected }) {
  let socket = null;
  let retry = 0;
  const open = () => {
    socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/agent`);
    socket.onopen = () => socket.send(JSON.stringify({ type: 'hello', token: kept(tokenKey) }));
    socket.onmessage = (event) => {
      const m = JSON.parse(event.data);
      if (m.type === 'welcome') {
        retry = 0;
      }
      onMessage(m);
    };
    socket.onclose = (event) => {
      // A socket closes when the token it said hello with reaches the expiry it had then; renewed since, the
      // token goes on, and so does the console on a new socket.
      const renewed = event.reason === 'token expired'
        && Date.parse(sessionStorage.getItem(expiryKey(tokenKey)) || '') > Date.now();
      if ((event.code === 1008 && !renewed) || !kept(tokenKey)) {
        sessionStorage.removeItem(tokenKey);
        onSignedOut(event.reason);
        return;
      }
      onDisconnected();
      retry += 1;
      setTimeout(open, Math.min(10_000, 500 * 2 ** retry));
    };
  };
  open();
  return {
    current: () => socket,
    close: () => {
      socket.onclose = null;
      socket.close();
    },
  };
}
