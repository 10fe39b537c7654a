// The console's side of the session policy: it signs out after the tenant's idle minutes without input
// (keys, clicks, touches, the wheel), with a warning a minute before, and renews its token while the
// person works (at most once a minute), so that neither the token's lifetime nor the server's own idle
// limit ends a sign-in in use. After an idle sign-out, the next page says why.
import { api, expiryKey } from './console.js';

/** Input that says a person is at the console. */
const INPUT = ['keydown', 'pointerdown', 'wheel', 'touchstart'];
const WARN_BEFORE_MS = 60_000;
const RENEW_EVERY_MS = 60_000;
/** Kept across the reload an idle sign-out does: how many minutes it waited. */
const SIGNED_OUT = 'sangdam.idleSignedOut';

function banner(id) {
  const node = document.createElement('div');
  node.id = id;
  node.className = 'idle-banner';
  node.setAttribute('role', 'alert');
  node.hidden = true;
  document.body.prepend(node);
  return node;
}

/**
 * Watches the console signed in under {@code tokenKey}; {@code text} is the console's (key, values) lookup,
 * {@code signOut} its own sign-out (it reloads the page). Returns {@code stop()}, for a sign-out by other means.
 */
export function watchIdle(tokenKey, text, signOut) {
  let idleMs = 0;
  let idleMinutes = 0;
  let lastInput = Date.now();
  let lastRenewal = Date.now();
  let stopped = false;
  const warning = document.getElementById('idle-warning') || banner('idle-warning');
  const message = document.createElement('span');
  const stay = document.createElement('button');
  stay.type = 'button';
  warning.replaceChildren(message, stay);

  const renew = () => {
    lastRenewal = Date.now();
    api(tokenKey, 'POST', '/api/token/renew')
      .then((answer) => sessionStorage.setItem(expiryKey(tokenKey), answer.expiresAt))
      .catch(() => {}); // A token that cannot be renewed ends as it would have: the console hears so.
  };
  const onInput = () => {
    lastInput = Date.now();
    warning.hidden = true;
    if (Date.now() - lastRenewal >= RENEW_EVERY_MS) {
      renew();
    }
  };
  INPUT.forEach((type) => document.addEventListener(type, onInput, { capture: true, passive: true }));

  const timer = setInterval(() => {
    if (stopped || idleMs === 0) {
      return;
    }
    const left = idleMs - (Date.now() - lastInput);
    if (left <= 0) {
      stop();
      sessionStorage.setItem(SIGNED_OUT, String(idleMinutes));
      signOut();
    } else if (left <= WARN_BEFORE_MS) {
      message.textContent = text('idleWarning', { seconds: Math.ceil(left / 1000) });
      stay.textContent = text('idleStay');
      warning.hidden = false;
    }
  }, 1000);

  function stop() {
    stopped = true;
    clearInterval(timer);
    warning.hidden = true;
    INPUT.forEach((type) => document.removeEventListener(type, onInput, { capture: true }));
  }

  api(tokenKey, 'GET', '/api/me/session').then((session) => {
    idleMinutes = session.idleMinutes;
    idleMs = session.idleMinutes * 60_000;
    sessionStorage.setItem(expiryKey(tokenKey), session.expiresAt);
  }).catch(() => {}); // Without the policy the console keeps no idle timer; the server still keeps its own.
  return { stop };
}

/** After an idle sign-out, says why on the sign-in page (in the console's {@code text}), until the next key. */
export function sayWhySignedOut(text) {
  const minutes = sessionStorage.getItem(SIGNED_OUT);
  if (!minutes) {
    return;
  }
  sessionStorage.removeItem(SIGNED_OUT);
  const notice = banner('idle-signed-out');
  notice.textContent = text('idleSignedOut', { minutes });
  notice.hidden = false;
  document.addEventListener('keydown', () => notice.remove(), { once: true });
}
