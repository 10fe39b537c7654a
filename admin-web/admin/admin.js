// The admin console's shell: sign in, the console socket, and the screens a role may open (the
// audit log for HQ and tenant admins only; agents are sent to their own console). Every text from
// the network goes in as text.
import { consoleSocket, logIn, logOut } from '../shared/console.js';
import { $, TOKEN, app } from './app.js';
import * as accesslog from './accesslog.js';
import * as audit from './audit.js';
import * as bot from './bot.js';
import * as callbacks from './callbacks.js';
import * as dashboard from './dashboard.js';
import * as links from './links.js';
import * as manage from './manage.js';
import * as search from './search.js';
import * as stats from './stats.js';
import * as supervise from './supervise.js';
import * as wallboard from './wallboard.js';
import * as widget from './widgetsettings.js';

const SCREENS = { dashboard, wallboard, stats, search, manage, audit, accesslog, links, bot, callbacks, widget };

function label() {
  document.documentElement.lang = app.lang;
  document.title = app.text('appTitle');
  $('title').textContent = app.text('appTitle');
  $('language').textContent = app.text('language');
  $('logout').textContent = app.text('logout');
  $('login-button').textContent = app.text('login');
  $('back').textContent = app.text('back');
  $('whisper').placeholder = app.text('whisperPlaceholder');
  showMe();
  for (const node of document.querySelectorAll('[data-t]')) {
    node.textContent = app.text(node.dataset.t);
  }
  Object.values(SCREENS).forEach((screen) => screen.relabel());
}

/** Who is signed in, with their role in words. */
function showMe() {
  $('me').textContent = app.me ? `${app.me.name} (${app.text(app.me.role)})` : '';
}

/** Whether the signed-in role may see an element marked with data-roles. */
function allowed(node) {
  return !node.dataset.roles || node.dataset.roles.split(' ').includes(app.me.role);
}

function show(view) {
  if (wallboard.showing() && view !== 'wallboard') {
    wallboard.leave();
    dashboard.watch(); // the board's subscription replaced the dashboard's
  }
  for (const b of document.querySelectorAll('#nav button')) {
    b.classList.toggle('current', b.dataset.view === view);
  }
  for (const name of Object.keys(SCREENS)) {
    $(`view-${name}`).hidden = name !== view;
  }
  if (SCREENS[view].open) {
    SCREENS[view].open().catch(app.failed);
  }
}

async function login(event) {
  event.preventDefault();
  try {
    await logIn(TOKEN);
  } catch (e) {
    app.notice(app.problem(e));
    return;
  }
  connect();
}

function connect() {
  app.connection = consoleSocket(TOKEN, {
    onMessage: receive,
    onSignedOut: showLogin,
    onDisconnected: () => app.notice(app.text('disconnected')),
  });
}

function welcome(user) {
  app.notice('');
  app.me = user;
  showMe();
  $('login').hidden = true;
  $('logout').hidden = false;
  if (user.role === 'AGENT') {
    $('agents-elsewhere').hidden = false;
    return;
  }
  $('nav').hidden = false;
  for (const node of document.querySelectorAll('[data-roles]')) {
    node.hidden = !allowed(node);
  }
  for (const node of document.querySelectorAll('.hq-only')) {
    node.hidden = !app.isHq();
  }
  if ($('view-dashboard').hidden && document.querySelectorAll('.view:not([hidden])').length === 0) {
    // A TV opens /admin/#wallboard and lands on the board.
    show(location.hash === '#wallboard' ? 'wallboard' : 'dashboard');
  }
  if (wallboard.showing()) {
    wallboard.open().catch(app.failed); // signed in again: the board's subscription is gone with the old socket
  } else {
    dashboard.watch();
  }
}

function receive(m) {
  if (m.type === 'welcome') {
    welcome(m.user);
  } else if (m.type === 'dashboard') {
    (wallboard.showing() ? wallboard : dashboard).receive(m);
  } else if (!supervise.receive(m) && m.type === 'error') {
    app.notice(app.problem(m));
  }
}

function showLogin(reason) {
  for (const view of document.querySelectorAll('.view')) {
    view.hidden = true;
  }
  $('nav').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  // The server's close reason is English for the log; the person reads that they were signed out.
  app.notice(reason ? app.text('signedOut') : '');
}

$('login').addEventListener('submit', login);
$('logout').addEventListener('click', () => logOut(TOKEN, app.connection));
$('language').addEventListener('click', () => {
  app.lang = app.lang === 'ko' ? 'en' : 'ko';
  localStorage.setItem('sangdam.lang', app.lang);
  // A notice is a sentence in the language it was shown in; the screens draw theirs again.
  app.notice('');
  label();
});
for (const b of document.querySelectorAll('#nav button')) {
  b.addEventListener('click', () => show(b.dataset.view));
}
Object.values(SCREENS).forEach((screen) => screen.init());
supervise.init();
label();
if (sessionStorage.getItem(TOKEN)) {
  connect();
} else {
  showLogin();
}
