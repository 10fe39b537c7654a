// Supervision on the console socket: watch a live chat (its transcript, then every message and
// note as it comes), whisper to its agent, take it over (a manager of its center), or reassign it
// to an agent of the center who is online. Each action is on the audit log.
import { customerLabel } from '../shared/customers.js';
import { closedText, systemText } from '../shared/system-messages.js';
import { $, app, el, option } from './app.js';

const state = { conversation: null, center: null, customer: null, seen: new Set(), rid: 0, agents: [] };

const rid = () => `v${++state.rid}`;

export function watch(conversation) {
  if (state.conversation !== null && state.conversation !== conversation) {
    app.send({ type: 'unwatch', rid: rid(), conversation: state.conversation });
  }
  state.conversation = conversation;
  state.seen.clear();
  $('watch-log').replaceChildren();
  app.send({ type: 'watch', rid: rid(), conversation });
}

/** The center's agents from the dashboard: those online are offered for a reassign. */
export function agents(details) {
  state.agents = details.filter((a) => a.status === 'ONLINE');
  const select = $('reassign-to');
  const previous = select.value;
  select.replaceChildren();
  option(select, '', app.text(state.agents.length ? 'chooseAgent' : 'noAgentOnline'));
  state.agents.forEach((a) => option(select, a.username, app.text('agentWithChats', { name: a.name, n: a.openChats })));
  select.value = previous;
}

/** Whether a socket message was supervision's, handled here. */
export function receive(m) {
  const mine = m.conversation !== undefined && (m.conversation === state.conversation
    || (m.conversation && m.conversation.id === state.conversation));
  switch (m.type) {
    case 'watching':
      show(m.conversation);
      app.send({ type: 'resume', conversation: m.conversation.id, afterSeq: 0 });
      return true;
    case 'message':
      if (mine && !state.seen.has(`m${m.seq}`)) {
        state.seen.add(`m${m.seq}`);
        const who = m.from === 'customer' ? customerLabel(state.customer, app.text) : m.name;
        line(m.from, who, m.attachment ? `${m.text || ''} [${m.attachment.name}]`
          : m.from === 'system' ? systemText(m, app.lang) : m.text, m.at);
      }
      return mine;
    case 'note':
      if (mine) {
        line(`note ${m.kind}`, m.author.name, m.text, m.at);
      }
      return mine;
    case 'closed':
      if (mine) {
        line('system', '', closedText(m.reason, app.lang, 'staff'), new Date().toISOString());
        $('whisper-form').hidden = true;
        $('reassign-form').hidden = true;
        $('takeover').hidden = true;
      }
      return mine;
    case 'takenOver':
      app.notice(app.text('tookOver', { id: m.conversation.id }));
      stop();
      return true;
    case 'reassigned':
      app.notice(app.text('reassigned'));
      return true;
    case 'unwatched':
    case 'resumed':
      return true;
    case 'ack':
      return m.note === true && typeof m.rid === 'string' && m.rid.startsWith('v');
    case 'error':
      if (typeof m.rid === 'string' && m.rid.startsWith('v')) {
        app.notice(app.problem(m));
        return true;
      }
      return false;
    default:
      return false;
  }
}

function show(c) {
  state.center = `${c.tenant}/${c.center}`;
  state.customer = c.customer;
  $('supervise').hidden = false;
  $('watch-title').textContent = app.text('watchingTitle', { id: c.id,
    customer: customerLabel(c.customer, app.text), agent: c.agent ? c.agent.name : '—' });
  $('whisper-form').hidden = c.agent === null;
  $('reassign-form').hidden = c.agent === null;
  // Only a manager of the chat's own center may take it over (the assignee must be able to work it).
  $('takeover').hidden = !(app.isManager() && c.center === app.me.center && c.agent !== null);
}

function line(from, name, text, at) {
  const li = el('li', null, from.replace(' ', '-'));
  li.append(el('span', `${name || app.text('system')} · ${new Date(at).toLocaleTimeString(app.lang === 'ko' ? 'ko-KR' : 'en-US')}`, 'who'),
    el('span', text, 'text'));
  $('watch-log').append(li);
  li.scrollIntoView({ block: 'nearest' });
}

function stop() {
  state.conversation = null;
  $('supervise').hidden = true;
}

export function init() {
  $('unwatch').addEventListener('click', () => {
    if (state.conversation !== null) {
      app.send({ type: 'unwatch', rid: rid(), conversation: state.conversation });
    }
    stop();
  });
  $('takeover').addEventListener('click', () => app.send({ type: 'takeover', rid: rid(),
    conversation: state.conversation }));
  $('whisper-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('whisper').value.trim();
    if (!text) {
      return;
    }
    const cmid = `w-${Date.now()}-${state.rid}`;
    app.send({ type: 'whisper', rid: rid(), conversation: state.conversation, cmid, text });
    line('note WHISPER', app.me.name, text, new Date().toISOString());
    $('whisper').value = '';
  });
  $('reassign-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if ($('reassign-to').value) {
      app.send({ type: 'reassign', rid: rid(), conversation: state.conversation, toAgent: $('reassign-to').value });
    }
  });
}
