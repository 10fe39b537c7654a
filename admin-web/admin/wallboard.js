// The wallboard (상황판): one center's live figures, large enough to read from across a room on a TV,
// from the same live feed as the dashboard. Per queue: waiting, longest wait, in progress; the
// center's service level today; the agents by status and away reason. A queue or the center past
// the alert thresholds its manager set turns red and is named on the alert line; the thresholds
// are edited here too (stored on the server, so every board of the center shows the same).
import { $, app, duration, el, fillCenters, fillTenants, path, tenantOf } from './app.js';
import { awayReasonName } from './dashboard.js';

const state = { last: null, rid: 0, center: null, tv: false };

/** Whether the board is the screen shown: the feed's views are then the board's. */
export function showing() {
  return !$('view-wallboard').hidden;
}

function centerPath() {
  if (app.isManager()) {
    return `${app.me.tenant}/${app.me.center}`;
  }
  const tenant = tenantOf($('board-tenant'));
  const center = $('board-center').value;
  return tenant && center ? `${tenant}/${center}` : null;
}

/** Subscribes this console to the chosen center's live view (it replaces the dashboard's subscription). */
function watch() {
  state.center = centerPath();
  if (state.center) {
    app.send({ type: 'dashboard', rid: `w${++state.rid}`, live: true, center: state.center });
  }
}

export function receive(m) {
  const tenant = m.tenants[0];
  const center = tenant && tenant.centers[0];
  if (!center || `${tenant.code}/${center.code}` !== state.center) {
    return; // a view of the dashboard's scope sent before the board's subscription replaced it
  }
  state.last = m;
  render(tenant, center, m.at);
}

export function relabel() {
  if (state.last) {
    receive(state.last);
  }
  $('board-fullscreen').textContent = app.text(state.tv ? 'boardLeaveTv' : 'boardTv');
}

const percent = (value) => (value === null || value === undefined ? '—' : `${Math.round(value * 1000) / 10}%`);

/** A large figure: its label, its value, and red when {@code alert}. */
function figure(key, label, value, alert, extra) {
  const box = el('div', null, alert ? 'figure alert' : 'figure');
  box.dataset.figure = key;
  box.append(el('span', label, 'label'), el('strong', value, 'value'));
  if (extra) {
    box.append(el('span', extra, 'limit'));
  }
  return box;
}

/** "기준 5건" / "limit 5" under a figure that has a threshold. */
function limitText(threshold, key) {
  if (!threshold || threshold[key] === null || threshold[key] === undefined) {
    return null;
  }
  return app.text('boardLimit', { limit: key === 'waiting' ? app.text('boardCount', { n: threshold.waiting })
    : duration(threshold.longestWaitSeconds) });
}

function render(tenant, center, at) {
  $('board-title').textContent = `${tenant.name} · ${center.name}`;
  $('board-clock').textContent = app.text('updated', { time: new Date(at).toLocaleTimeString(
    app.lang === 'ko' ? 'ko-KR' : 'en-US', { hour: '2-digit', minute: '2-digit', second: '2-digit' }) });
  alertLine(center);
  const summary = $('board-summary');
  summary.replaceChildren(
    figure('waiting', app.text('waiting'), center.waiting, center.alerts.includes('waiting'),
      limitText(center.threshold, 'waiting')),
    figure('longestWait', app.text('longestWait'), duration(center.longestWaitSeconds),
      center.alerts.includes('longestWait'), limitText(center.threshold, 'longestWaitSeconds')),
    figure('inProgress', app.text('inProgress'), center.inProgress, false),
    figure('serviceLevel', app.text('serviceLevelToday'), percent(center.today.serviceLevel),
      center.today.serviceLevel !== null && center.today.serviceLevel < 0.8),
    figure('offered', app.text('offeredToday'), center.today.offered, false),
    figure('abandoned', app.text('boardAbandonedToday'), center.today.abandoned, false));
  const queues = $('board-queues');
  queues.replaceChildren();
  for (const q of center.queues) {
    const panel = el('section', null, q.alerts.length ? 'queue alert' : 'queue');
    panel.dataset.queue = q.code;
    const figures = el('div', null, 'figures');
    figures.append(
      figure('waiting', app.text('waiting'), q.waiting, q.alerts.includes('waiting'), limitText(q.threshold, 'waiting')),
      figure('longestWait', app.text('longestWait'), duration(q.longestWaitSeconds), q.alerts.includes('longestWait'),
        limitText(q.threshold, 'longestWaitSeconds')),
      figure('inProgress', app.text('inProgress'), q.inProgress, false));
    panel.append(el('h3', q.name), figures);
    queues.append(panel);
  }
  agents(tenant.code, center);
}

/** The red line naming every figure past its threshold, or nothing when none is. */
function alertLine(center) {
  const parts = [];
  const describe = (name, item) => {
    if (item.alerts.includes('waiting')) {
      parts.push(app.text('boardAlertWaiting', { name, n: item.waiting, limit: item.threshold.waiting }));
    }
    if (item.alerts.includes('longestWait')) {
      parts.push(app.text('boardAlertWait', { name, wait: duration(item.longestWaitSeconds),
        limit: duration(item.threshold.longestWaitSeconds) }));
    }
  };
  describe(app.text('boardWholeCenter'), center);
  center.queues.forEach((q) => describe(q.name, q));
  $('board-alert').hidden = parts.length === 0;
  $('board-alert').textContent = parts.length ? `${app.text('boardAlert')} · ${parts.join(' · ')}` : '';
}

/** Agents by status, and the away ones by reason, as counts with the names under them. */
function agents(tenant, center) {
  const groups = new Map([['ONLINE', []], ['AWAY', []], ['OFFLINE', []]]);
  for (const a of center.agentDetails || []) {
    groups.get(a.status).push(a);
  }
  const root = $('board-agents');
  root.replaceChildren();
  for (const [status, list] of groups) {
    const box = el('section', null, `status ${status.toLowerCase()}`);
    box.dataset.status = status;
    box.append(el('h3', app.text(status)), el('strong', list.length, 'value'));
    if (status === 'AWAY') {
      const reasons = new Map();
      for (const a of list) {
        const name = a.reason ? awayReasonName(tenant, a.reason) : app.text('boardNoReason');
        reasons.set(name, (reasons.get(name) || 0) + 1);
      }
      const ul = el('ul', null, 'reasons');
      for (const [name, n] of reasons) {
        ul.append(el('li', app.text('boardReasonCount', { reason: name, n })));
      }
      box.append(ul);
    }
    if (status !== 'OFFLINE') {
      box.append(el('p', list.map((a) => a.name).join(', '), 'names'));
    }
    root.append(box);
  }
}

// The thresholds editor: the center's and each queue's limits, blank for none.

async function editThresholds() {
  const center = state.center;
  if (!center) {
    return;
  }
  const [tenant, code] = center.split('/');
  let current;
  let queues;
  try {
    [current, queues] = await Promise.all([
      app.call('GET', `/api/tenants/${path(tenant, 'centers', code)}/alert-thresholds`),
      app.call('GET', `/api/tenants/${path(tenant, 'centers', code)}/queues`)]);
  } catch (e) {
    app.failed(e);
    return;
  }
  const rows = $('board-limits').tBodies[0];
  rows.replaceChildren();
  const line = (key, label, limits) => {
    const row = rows.insertRow();
    row.dataset.key = key;
    row.append(el('td', label));
    for (const [field, max] of [['waiting', 10000], ['longestWaitSeconds', 86400]]) {
      const input = el('input');
      input.type = 'number';
      input.min = '1';
      input.max = String(max);
      input.step = '1';
      input.name = field;
      input.setAttribute('aria-label', `${label} ${app.text(field === 'waiting' ? 'boardLimitWaiting' : 'boardLimitWait')}`);
      input.value = limits && limits[field] !== null && limits[field] !== undefined ? String(limits[field]) : '';
      row.insertCell().append(input);
    }
  };
  line('', app.text('boardWholeCenter'), current.center);
  queues.forEach((q) => line(q.code, q.name, current.queues[q.code]));
  $('board-limits-form').hidden = false;
}

/** The form's limits as the server takes them; null, with the notice set, when one is not a whole number in range. */
function limitsBody() {
  const body = { center: null, queues: {} };
  for (const row of $('board-limits').tBodies[0].rows) {
    const limits = {};
    for (const input of row.querySelectorAll('input')) {
      const text = input.value.trim();
      if (text === '' && input.validity.valid) {
        continue;
      }
      const n = Number(text);
      if (!input.validity.valid || !Number.isInteger(n) || n < Number(input.min) || n > Number(input.max)) {
        input.focus();
        app.notice(app.text('boardLimitInvalid', { max: input.max }));
        return null;
      }
      limits[input.name] = n;
    }
    if (Object.keys(limits).length) {
      if (row.dataset.key) {
        body.queues[row.dataset.key] = limits;
      } else {
        body.center = limits;
      }
    }
  }
  return body;
}

async function saveThresholds(event) {
  event.preventDefault();
  const body = limitsBody();
  if (!body) {
    return;
  }
  const [tenant, code] = state.center.split('/');
  try {
    await app.call('PUT', `/api/tenants/${path(tenant, 'centers', code)}/alert-thresholds`, body);
  } catch (e) {
    // The server's reason is for developers; the manager gets what to do.
    app.notice(app.text('boardLimitRefused'));
    return;
  }
  $('board-limits-form').hidden = true;
  app.notice(app.text('boardLimitSaved'));
}

function toggleTv() {
  state.tv = !state.tv;
  document.body.classList.toggle('tv', state.tv);
  if (state.tv && document.documentElement.requestFullscreen) {
    document.documentElement.requestFullscreen().catch(() => {}); // a browser that refuses still shows the TV layout
  } else if (!state.tv && document.fullscreenElement) {
    document.exitFullscreen().catch(() => {});
  }
  relabel();
}

export async function open() {
  if (!app.isManager() && $('board-center').options.length === 0) {
    await fillTenants($('board-tenant'));
    await fillCenters($('board-center'), tenantOf($('board-tenant')), false);
  }
  $('board-pick').hidden = app.isManager();
  watch();
}

/** Leaving the board: back to the dashboard's own subscription, and out of the TV layout. */
export function leave() {
  if (state.tv) {
    toggleTv();
  }
  state.center = null;
}

export function init() {
  $('board-tenant').addEventListener('change', () => fillCenters($('board-center'), tenantOf($('board-tenant')), false)
    .then(watch, app.failed));
  $('board-center').addEventListener('change', watch);
  $('board-fullscreen').addEventListener('click', toggleTv);
  $('board-edit').addEventListener('click', editThresholds);
  $('board-limits-form').addEventListener('submit', saveThresholds);
  $('board-limits-cancel').addEventListener('click', () => {
    $('board-limits-form').hidden = true;
  });
  document.addEventListener('away-reasons', relabel);
  document.addEventListener('fullscreenchange', () => {
    if (!document.fullscreenElement && state.tv) {
      toggleTv();
    }
  });
}
