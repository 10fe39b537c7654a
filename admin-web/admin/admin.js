// The admin console's shell: sign in, the console socket, and the screens a role may open (the
// audit log for HQ and tenant admins only; agents are sent to their own console). Every text from
// the network goes in as text.
import { companyButton, takeCallback } from '../shared/company-sign-in.js';
import { consoleSocket, logIn, logOut } from '../shared/console.js';
import { sayWhySignedOut, watchIdle } from '../shared/idle.js';
import { passwordFirst } from '../shared/password.js';
import { $, TOKEN, app } from './app.js';
import * as accesslog from './accesslog.js';
import * as audit from './audit.js';
import * as bot from './bot.js';
import * as callbacks from './callbacks.js';
import * as dashboard from './dashboard.js';
import * as links from './links.js';
import * as manage from './manage.js';
import * as retention from './retention.js';
import * as roles from './roles.js';
import * as search from './search.js';
import * as stats from './stats.js';
import * as supervise from './supervise.js';
import * as wallboard from './wallboard.js';
import * as widget from './widgetsettings.js';

// Back from the company's sign-in: its token is kept before the page decides whether it is signed in.
const companyRefusal = takeCallback(TOKEN);
const company = companyButton({ consoleName: 'admin', hqAllowed: true, text: app.text });

const SCREENS = { dashboard, wallboard, stats, search, manage, audit, links, bot, callbacks, widget, retention, roles, accesslog };

function label() {
  document.documentElement.lang = app.lang;
  document.title = app.text('appTitle');
  $('title').textContent = app.text('appTitle');
  $('language').textContent = app.text('language');
  $('logout').textContent = app.text('logout');
  $('login-button').textContent = app.text('login');
  company.label();
  $('back').textContent = app.text('back');
  $('whisper').placeholder = app.text('whisperPlaceholder');
  showMe();
  for (const node of document.querySelectorAll('[data-t]')) {
    node.textContent = app.text(node.dataset.t) + (node.dataset.tAfter || '');
  }
  Object.values(SCREENS).forEach((screen) => screen.relabel());
}

/** Who is signed in, with their role in words. */
function showMe() {
  const role = app.me && (app.me.customRole ? app.me.customRole.name : app.text(app.me.role));
  $('me').textContent = app.me ? `${app.me.name} (${role})` : '';
}

/**
 * Whether the signed-in user may see an element marked with data-roles (built-in roles, for what depends on the
 * scope) or data-perm (permissions, any one of them).
 */
function allowed(node) {
  return (!node.dataset.roles || node.dataset.roles.split(' ').includes(app.me.role))
    && (!node.dataset.perm || node.dataset.perm.split(' ').some(roles.may));
}

function show(view) {
  if (wallboard.showing() && view !== 'wallboard') {
    wallboard.leave();
    if (roles.may('dashboard.read')) {
      dashboard.watch(); // the board's subscription replaced the dashboard's
    }
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
  passwordFirst(TOKEN, app.text, () => logOut(TOKEN)).then(connect);
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
  app.idle = app.idle || watchIdle(TOKEN, app.text, () => logOut(TOKEN, app.connection));
  app.me = user;
  showMe();
  $('login').hidden = true;
  $('logout').hidden = false;
  if (user.role === 'AGENT') {
    $('agents-elsewhere').hidden = false;
    return;
  }
  $('nav').hidden = false;
  for (const node of document.querySelectorAll('[data-roles], [data-perm]')) {
    node.hidden = !allowed(node);
  }
  for (const node of document.querySelectorAll('.hq-only')) {
    node.hidden = !app.isHq();
  }
  if ($('view-dashboard').hidden && document.querySelectorAll('.view:not([hidden])').length === 0) {
    // A TV opens /admin/#wallboard and lands on the board; a role without the dashboard on its first screen.
    const first = document.querySelector('#nav button:not([hidden])');
    if (roles.may('dashboard.read')) {
      show(location.hash === '#wallboard' ? 'wallboard' : 'dashboard');
    } else if (first) {
      show(first.dataset.view);
    }
  }
  if (wallboard.showing()) {
    wallboard.open().catch(app.failed); // signed in again: the board's subscription is gone with the old socket
  } else if (roles.may('dashboard.read')) {
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
  if (app.idle) {
    app.idle.stop();
    app.idle = null;
  }
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
  passwordFirst(TOKEN, app.text, () => logOut(TOKEN)).then(connect);
} else {
  showLogin();
  if (companyRefusal) {
    app.notice(app.text(`sso.${companyRefusal}`));
  }
  sayWhySignedOut(app.text);
}
