// The live dashboard, from the console socket's dashboard feed (pushed at most once a second when
// something changed): HQ and tenant admins see centers as cards and drill into one; a manager
// lands on their center. A center's view lists its live chats, which a supervisor may watch.
import { customerLabel } from '../shared/customers.js';
import { $, app, button, cell, duration, el, path, when } from './app.js';
import { groupBox, totalsStrip } from './hqview.js';
import * as supervise from './supervise.js';

// reasons: per tenant code, its away reasons (이석 사유) by code, read once to name an agent's reason.
const state = { center: null, last: null, rid: 0, liveKey: null, liveAt: 0, reasons: new Map(), queueNames: new Map() };

/** Asks for the dashboard of the scope, or of the center drilled into, and keeps it coming. */
export function watch() {
  const message = { type: 'dashboard', rid: `d${++state.rid}`, live: true };
  if (state.center) {
    message.center = state.center;
  }
  app.send(message);
}

export function receive(m) {
  state.last = m;
  render(m);
}

export function relabel() {
  state.liveKey = null; // the live chats are drawn again too, in the language now chosen
  if (state.last) {
    render(state.last);
  }
}

function render(m) {
  $('updated').textContent = app.text('updated', { time: new Date(m.at).toLocaleTimeString(app.lang === 'ko' ? 'ko-KR' : 'en-US') });
  // A manager's scope is one center; anyone else sees cards until they drill into one.
  const drilled = (state.center !== null || app.isManager()) && m.tenants.length === 1
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
  if (m.group) {
    root.append(groupBox(m.group));
  }
  for (const tenant of m.tenants) {
    const box = el('section', null, 'tenant');
    box.dataset.tenant = tenant.code;
    const grid = el('div', null, 'centers');
    tenant.centers.forEach((center) => grid.append(card(tenant, center)));
    box.append(el('h3', `${tenant.name} (${tenant.code})`), totalsStrip(tenant.totals), grid);
    root.append(box);
  }
}

function serviceLevel(today) {
  return today.serviceLevel === null ? '—' : `${Math.round(today.serviceLevel * 1000) / 10}%`;
}

function card(tenant, center) {
  const div = el('div', null, center.alerts.length ? 'card alerting' : 'card');
  div.dataset.center = `${tenant.code}/${center.code}`;
  const h = el('h4', center.name);
  h.append(el('span', app.text(center.open ? 'open' : 'closed'), 'state'));
  const dl = el('dl');
  const figures = [
    ['waiting', center.waiting, center.waiting > 0],
    ['longestWait', duration(center.longestWaitSeconds), center.longestWaitSeconds >= 60],
    ['inProgress', center.inProgress, false],
    ['online', center.agents.online, false],
    ['away', center.agents.away, false],
    ['offline', center.agents.offline, false],
    ['serviceLevelToday', serviceLevel(center.today), center.today.serviceLevel !== null && center.today.serviceLevel < 0.8],
    ['offeredToday', center.today.offered, false],
  ];
  for (const [key, value, alert] of figures) {
    const dd = el('dd', value, alert ? 'alert' : '');
    dd.dataset.figure = key;
    dl.append(el('dt', app.text(key)), dd);
  }
  div.append(h, dl);
  div.addEventListener('click', () => {
    state.center = div.dataset.center;
    watch();
  });
  return div;
}

function renderCenter(tenant, center) {
  $('center-name').textContent = `${tenant.name} · ${center.name} — ${app.text('waiting')} ${center.waiting}, `
    + `${app.text('inProgress')} ${center.inProgress}`;
  $('center-today').textContent = app.text('todaySummary', { offered: center.today.offered,
    handled: center.today.handled, abandoned: center.today.abandoned, sl: serviceLevel(center.today) });
  const queues = $('queues').tBodies[0];
  queues.replaceChildren();
  state.queueNames = new Map(center.queues.map((q) => [q.code, q.name]));
  for (const q of center.queues) {
    const row = queues.insertRow();
    [q.name, q.waiting, duration(q.longestWaitSeconds), q.inProgress].forEach((v) => cell(row, v));
  }
  const agents = $('agents').tBodies[0];
  agents.replaceChildren();
  for (const a of center.agentDetails) {
    const row = agents.insertRow();
    row.dataset.agent = a.username;
    [`${a.name} (${a.username})`, status(tenant.code, a), a.openChats, duration(a.statusSeconds)]
      .forEach((v) => cell(row, v));
  }
  supervise.agents(center.agentDetails);
  // The live chats are a query, not part of the feed: read again when the counts move, or every 10 s.
  const key = `${tenant.code}/${center.code}:${center.waiting}:${center.inProgress}`;
  if (key !== state.liveKey || Date.now() - state.liveAt > 10_000) {
    state.liveKey = key;
    state.liveAt = Date.now();
    liveChats(tenant.code, center.code);
  }
}

/** An agent's status as the board shows it: AWAY with the name of its reason, if they gave one. */
function status(tenant, agent) {
  if (!agent.reason) {
    return app.text(agent.status);
  }
  return app.text('awayWith', { reason: awayReasonName(tenant, agent.reason) });
}

/** An away reason's name in the reader's language (its code until the tenant's reasons are read). */
export function awayReasonName(tenant, code) {
  const reasons = awayReasons(tenant);
  const reason = reasons && reasons.get(code);
  return reason ? (app.lang === 'en' && reason.nameEn ? reason.nameEn : reason.name) : code;
}

/** The tenant's away reasons by code once read; the first call reads them and draws the board again. */
function awayReasons(tenant) {
  if (!state.reasons.has(tenant)) {
    state.reasons.set(tenant, null);
    app.call('GET', `/api/tenants/${path(tenant)}/away-reasons`).then((list) => {
      state.reasons.set(tenant, new Map(list.map((r) => [r.code, r])));
      relabel();
      document.dispatchEvent(new Event('away-reasons')); // the wallboard names them too
    }, (e) => {
      state.reasons.delete(tenant);
      app.failed(e);
    });
  }
  return state.reasons.get(tenant);
}

async function liveChats(tenant, center) {
  const base = `/api/tenants/${path(tenant)}/conversations?center=${encodeURIComponent(center)}&limit=200&state=`;
  let chats;
  try {
    const answers = await Promise.all(['WAITING', 'ASSIGNED', 'HOLD'].map((s) => app.call('GET', base + s)));
    chats = answers.flatMap((a) => a.conversations).sort((a, b) => a.id - b.id);
  } catch (e) {
    app.failed(e);
    return;
  }
  const body = $('live').tBodies[0];
  body.replaceChildren();
  for (const c of chats) {
    const row = body.insertRow();
    row.dataset.conversation = c.id;
    [c.id, customerLabel(c.customer, app.text), state.queueNames.get(c.queue) || c.queue,
      c.agent ? c.agent.name : '—', app.text(c.state), when(c.createdAt)]
      .forEach((v) => cell(row, v));
    row.insertCell().append(button(app.text('watch'), () => supervise.watch(c.id), 'small'));
  }
}

export function init() {
  $('back').addEventListener('click', () => {
    state.center = null;
    watch();
  });
}
