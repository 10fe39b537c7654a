// Signing in, the console socket, and the agent's status: the picker (ONLINE, AWAY with the tenant's away
// reasons, OFFLINE), kept across a reload, and a banner while the agent cannot be given chats, with one
// button to go ONLINE (a new sign-in starts OFFLINE, and agents did not notice).
import { api, consoleSocket, logIn, logOut } from '../shared/console.js';
import { sayWhySignedOut, watchIdle } from '../shared/idle.js';
import { passwordFirst } from '../shared/password.js';
import { $, TOKEN } from './desk.js';

/** The status (and away reason) this tab last had, so a reload comes back as the agent left it. */
const STATUS = 'sangdam.agent.status';

export function session(desk) {
  const { state, text } = desk;
  state.awayReasons = []; // the tenant's away reasons (이석 사유) offered in welcome: [{ code, name, nameEn }]
  // The status (and away reason) this agent last had, set again after a reconnect or a reload.
  state.chosen = JSON.parse(sessionStorage.getItem(STATUS) || 'null');

  function connect() {
    state.connection = consoleSocket(TOKEN, {
      onMessage: desk.receive,
      onSignedOut: showLogin,
      onDisconnected: () => desk.notice(() => text('disconnected')),
    });
  }

  async function login(event) {
    event.preventDefault();
    try {
      await logIn(TOKEN);
      // A new sign-in starts OFFLINE, whatever the tab had before.
      sessionStorage.removeItem(STATUS);
      state.chosen = null;
    } catch (e) {
      desk.notice(() => desk.problem(e));
      return;
    }
    passwordFirst(TOKEN, text, () => logOut(TOKEN)).then(connect);
  }

  function welcome(m) {
    desk.notice('');
    state.idle = state.idle || watchIdle(TOKEN, text, () => logOut(TOKEN, state.connection));
    state.me = m.user;
    $('login').hidden = true;
    $('console').hidden = false;
    $('status').hidden = false;
    $('logout').hidden = false;
    state.awayReasons = m.awayReasons || [];
    const before = state.chosen;
    statusChanged(m.status, m.reason);
    // A reconnect (or reload) that landed where the agent's status is unknown (another node, or after
    // every tab closed) comes back as the agent left it, reason included, rather than OFFLINE.
    if (before && before.status !== 'OFFLINE' && m.status === 'OFFLINE') {
      setStatus(before.status, before.reason);
    }
    renderMe();
    loadNames();
    desk.emit('welcome', m);
  }

  /** Where the agent works, by name: the center's and its queues' names stand in for their codes. */
  async function loadNames() {
    try {
      const me = await api(TOKEN, 'GET', '/api/me');
      state.names = { center: me.center && me.center.name,
        queues: new Map(me.queues.map((q) => [q.code, q.name])) };
      renderMe();
      desk.emit('names');
    } catch (e) {
      // The codes stand in until the next sign-in.
    }
  }

  function renderMe() {
    if (state.me) {
      const where = state.names.center || state.me.center || '';
      $('me').textContent = where ? `${state.me.name} · ${where}` : state.me.name;
    }
  }

  function showLogin(reason) {
    $('console').hidden = true;
    $('status').hidden = true;
    $('logout').hidden = true;
    $('offline-banner').hidden = true;
    $('login').hidden = false;
    if (state.idle) {
      state.idle.stop();
      state.idle = null;
    }
    // The server's reason is for logs; the agent is told in their language.
    desk.notice(reason ? () => text('signedOut') : '');
  }

  /** The status picker: ONLINE, AWAY without a reason and with each of the tenant's away reasons, OFFLINE. */
  function renderStatus() {
    const picker = $('status');
    const options = [new Option(text('ONLINE'), 'ONLINE'), new Option(text('AWAY'), 'AWAY')];
    for (const r of state.awayReasons) {
      options.push(new Option(text('awayWith', { reason: reasonName(r) }), `AWAY:${r.code}`));
    }
    options.push(new Option(text('OFFLINE'), 'OFFLINE'));
    picker.replaceChildren(...options);
    if (state.chosen) {
      picker.value = statusValue(state.chosen.status, state.chosen.reason);
    }
    renderBanner();
  }

  /** While OFFLINE or AWAY no chat is given to the agent: the banner says so and offers ONLINE. */
  function renderBanner() {
    const status = state.chosen && state.chosen.status;
    const away = status === 'OFFLINE' || status === 'AWAY';
    $('offline-banner').hidden = !away || !state.me;
    $('offline-banner').dataset.status = status || '';
    $('offline-text').textContent = text(status === 'AWAY' ? 'awayBanner' : 'offlineBanner');
    $('go-online').textContent = text('goOnline');
  }

  function reasonName(r) {
    return state.lang === 'en' && r.nameEn ? r.nameEn : r.name;
  }

  function statusValue(status, reason) {
    return status === 'AWAY' && reason ? `AWAY:${reason}` : status;
  }

  function statusChanged(status, reason) {
    state.chosen = { status, reason: reason || null };
    sessionStorage.setItem(STATUS, JSON.stringify(state.chosen));
    renderStatus();
  }

  function setStatus(status, reason) {
    const frame = { type: 'status', status };
    if (reason) {
      frame.reason = reason;
    }
    desk.request(frame);
  }

  desk.on('frame', (m) => {
    if (m.type === 'welcome') {
      welcome(m);
    } else if (m.type === 'status') {
      statusChanged(m.status, m.reason);
    }
  });
  desk.on('relabel', () => {
    renderStatus();
    renderMe();
  });

  $('login').addEventListener('submit', login);
  $('logout').addEventListener('click', () => logOut(TOKEN, state.connection));
  $('status').addEventListener('change', () => {
    const [status, reason] = $('status').value.split(':');
    setStatus(status, reason);
  });
  $('go-online').addEventListener('click', () => setStatus('ONLINE'));

  return {
    start() {
      if (sessionStorage.getItem(TOKEN)) {
        passwordFirst(TOKEN, text, () => logOut(TOKEN)).then(connect);
      } else {
        showLogin();
        sayWhySignedOut(text);
      }
    },
  };
}
