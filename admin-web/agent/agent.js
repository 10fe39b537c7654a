// The agent console. Speaks PROTOCOL.md's agent socket; every text from the network is put on the page
// with textContent, never as HTML. Each concern is a module of its own, joined here through the desk
// (desk.js): they hear the server's frames and each other's changes as events.
import { actions } from './actions.js';
import { alerts } from './alerts.js';
import { callbackPanel } from './callbacks.js';
import { chats } from './chats.js';
import { composer } from './composer.js';
import { customerPanel } from './customer.js';
import { companyButton, takeCallback } from '../shared/company-sign-in.js';
import { $, TOKEN, createDesk } from './desk.js';
import { past } from './past.js';
import { session } from './session.js';
import { shortcuts } from './shortcuts.js';
import { today } from './today.js';
import { transcript } from './transcript.js';

const desk = createDesk();
// Back from the company's sign-in: its token is kept before the session decides whether it is signed in.
const companyRefusal = takeCallback(TOKEN);
const company = companyButton({ consoleName: 'agent', hqAllowed: false, text: (key) => desk.text(key) });

/** Puts every fixed text on the page in the agent's language, then lets each module relabel its own. */
function label() {
  const { text } = desk;
  document.documentElement.lang = desk.state.lang;
  document.title = text('title');
  $('title').textContent = text('title');
  $('language').textContent = text('language');
  $('logout').textContent = text('logout');
  $('login-button').textContent = text('login');
  company.label();
  for (const node of document.querySelectorAll('[data-t]')) {
    node.textContent = text(node.dataset.t);
  }
  for (const node of document.querySelectorAll('[data-t-placeholder]')) {
    node.placeholder = text(node.dataset.tPlaceholder);
  }
  for (const node of document.querySelectorAll('[data-t-title]')) {
    node.title = text(node.dataset.tTitle);
    node.setAttribute('aria-label', node.title);
  }
  desk.emit('relabel');
  desk.renotice();
}

const signedIn = session(desk);
chats(desk);
transcript(desk);
composer(desk);
actions(desk);
customerPanel(desk);
past(desk);
today(desk);
alerts(desk);
shortcuts(desk);

// The callback requests due in the agent's queues (콜백 예약).
const callbacks = callbackPanel(desk.text, TOKEN, desk.locale);
desk.on('welcome', (m) => callbacks.start(m.user));
desk.on('frame', (m) => {
  if (m.type === 'callbacksChanged') {
    callbacks.refresh();
  }
});
desk.on('relabel', () => callbacks.relabel());

$('language').addEventListener('click', () => {
  desk.state.lang = desk.state.lang === 'ko' ? 'en' : 'ko';
  localStorage.setItem('sangdam.lang', desk.state.lang);
  label();
});

label();
signedIn.start();
if (companyRefusal) {
  desk.notice(() => desk.text(`sso.${companyRefusal}`));
}
