// The admin console: for now its live dashboard, from the console socket's dashboard feed (pushed
// at most once a second when something changed). Every text from the network goes in as text.
import { consoleSocket, signIn, signOut } from '../shared/console.js';
import { t } from './i18n.js';

const $ = (id) => document.getElementById(id);
const TOKEN = 'sangdam.admin.token';

const state = {
  lang: localStorage.getItem('sangdam.lang') || 'ko',
  connection: null,
  center: null, // "tenant/center" when drilled into one
  role: null,
  last: null,
  rid: 0,
};

const text = (key, values) => t(state.lang, key, values);

function label() {
  document.documentElement.lang = state.lang;
  document.title = text('title');
  $('title').textContent = text('title');
  $('language').textContent = text('language');
  $('logout').textContent = text('logout');
  $('login-button').textContent = text('login');
  $('back').textContent = text('back');
  for (const el of document.querySelectorAll('[data-t]')) {
    el.textContent = text(el.dataset.t);
  }
  if (state.last) {
    render(state.last);
  }
}

function notice(message) {
  $('notice').textContent = message || '';
}

async function login(event) {
  event.preventDefault();
  try {
    sessionStorage.setItem(TOKEN, await signIn($('tenant').value.trim(), $('username').value.trim(),
      $('password').value));
  } catch (e) {
    notice(text('loginFailed', { reason: e.message }));
    return;
  }
  $('password').value = '';
  connect();
}

function logout() {
  const token = sessionStorage.getItem(TOKEN);
  sessionStorage.removeItem(TOKEN);
  if (state.connection) {
    state.connection.close();
  }
  signOut(token);
  location.reload();
}

function connect() {
  state.connection = consoleSocket(TOKEN, {
    onMessage: receive,
    onSignedOut: showLogin,
    onDisconnected: () => notice(text('disconnected')),
  });
}

function watch() {
  const message = { type: 'dashboard', rid: `d${++state.rid}`, live: true };
  if (state.center) {
    message.center = state.center;
  }
  state.connection.current().send(JSON.stringify(message));
}

function receive(m) {
  switch (m.type) {
    case 'welcome':
      notice('');
      state.role = m.user.role;
      $('me').textContent = `${m.user.name} (${m.user.role})`;
      $('login').hidden = true;
      $('dashboard').hidden = false;
      $('logout').hidden = false;
      watch();
      return;
    case 'dashboard':
      state.last = m;
      render(m);
      return;
    case 'error':
      notice(text('error', { reason: m.message }));
      return;
    default:
  }
}

function showLogin(reason) {
  $('dashboard').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  notice(reason || '');
}

function duration(seconds) {
  return seconds < 60 ? text('seconds', { n: seconds }) : text('minutes', { n: Math.floor(seconds / 60) });
}

function cell(row, value, className) {
  const td = document.createElement('td');
  td.textContent = String(value);
  if (className) {
    td.className = className;
  }
  row.append(td);
}

function render(m) {
  $('updated').textContent = text('updated', { time: new Date(m.at).toLocaleTimeString(state.lang === 'ko' ? 'ko-KR' : 'en-US') });
  // A manager's scope is one center; anyone else sees cards until they drill into one.
  const drilled = (state.center !== null || state.role === 'CENTER_MANAGER') && m.tenants.length === 1
    && m.tenants[0].centers.length === 1 && Boolean(m.tenants[0].centers[0].agentDetails);
  $('tenants').hidden = Boolean(drilled);
  $('center-detail').hidden = !drilled;
  $('back').hidden = state.center === null;
  if (drilled) {
    renderCenter(m.tenants[0], m.tenants[0].centers[0]);
    return;
  }
  const root = $('tenants');
  root.replaceChildren();
  for (const tenant of m.tenants) {
    const box = document.createElement('section');
    box.className = 'tenant';
    box.dataset.tenant = tenant.code;
    const title = document.createElement('h3');
    title.textContent = `${tenant.name} (${tenant.code})`;
    const grid = document.createElement('div');
    grid.className = 'centers';
    for (const center of tenant.centers) {
      grid.append(card(tenant, center));
    }
    box.append(title, grid);
    root.append(box);
  }
}

function card(tenant, center) {
  const div = document.createElement('div');
  div.className = 'card';
  div.dataset.center = `${tenant.code}/${center.code}`;
  const h = document.createElement('h4');
  h.textContent = center.name;
  const openNow = document.createElement('span');
  openNow.className = 'state';
  openNow.textContent = text(center.open ? 'open' : 'closed');
  h.append(openNow);
  const dl = document.createElement('dl');
  const figures = [
    ['waiting', center.waiting, center.waiting > 0 ? 'alert' : ''],
    ['longestWait', duration(center.longestWaitSeconds), center.longestWaitSeconds >= 60 ? 'alert' : ''],
    ['inProgress', center.inProgress, ''],
    ['online', center.agents.online, ''],
    ['away', center.agents.away, ''],
    ['offline', center.agents.offline, ''],
  ];
  for (const [key, value, className] of figures) {
    const dt = document.createElement('dt');
    dt.textContent = text(key);
    const dd = document.createElement('dd');
    dd.textContent = String(value);
    dd.dataset.figure = key;
    if (className) {
      dd.className = className;
    }
    dl.append(dt, dd);
  }
  div.append(h, dl);
  div.addEventListener('click', () => {
    state.center = div.dataset.center;
    watch();
  });
  return div;
}

function renderCenter(tenant, center) {
  $('center-name').textContent = `${tenant.name} · ${center.name} — ${text('waiting')} ${center.waiting}, `
    + `${text('inProgress')} ${center.inProgress}`;
  const queues = $('queues').tBodies[0];
  queues.replaceChildren();
  for (const q of center.queues) {
    const row = queues.insertRow();
    cell(row, q.name);
    cell(row, q.waiting);
    cell(row, duration(q.longestWaitSeconds));
    cell(row, q.inProgress);
  }
  const agents = $('agents').tBodies[0];
  agents.replaceChildren();
  for (const a of center.agentDetails) {
    const row = agents.insertRow();
    cell(row, `${a.name} (${a.username})`);
    cell(row, text(a.status));
    cell(row, a.openChats);
    cell(row, duration(a.statusSeconds));
  }
}

$('login').addEventListener('submit', login);
$('logout').addEventListener('click', logout);
$('back').addEventListener('click', () => {
  state.center = null;
  watch();
});
$('language').addEventListener('click', () => {
  state.lang = state.lang === 'ko' ? 'en' : 'ko';
  localStorage.setItem('sangdam.lang', state.lang);
  label();
});
label();
if (sessionStorage.getItem(TOKEN)) {
  connect();
} else {
  showLogin();
}
