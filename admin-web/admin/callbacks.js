// Callback requests (콜백 예약) for managers: the requests of a tenant, center or queue by the local days of
// their slots, filtered by state, with the figures of the same range (requested, completed, reached and
// its rate, overdue, calls unanswered) per day and queue. Numbers and names come masked from the server.
import { customerLabel } from '../shared/customers.js';
import { $, app, cell, el, fillCenters, fillQueues, fillTenants, localDate, option, path, tenantOf, when } from './app.js';

const STATES = ['', 'OPEN', 'CLAIMED', 'DONE'];
const FIGURES = ['requested', 'completed', 'reached', 'reachedRate', 'overdue', 'noAnswer'];
const state = { built: false, searched: false };

function labelled(key, control) {
  const label = el('label');
  label.append(el('span', app.text(key)), control);
  return label;
}

function select(id) {
  const s = el('select');
  s.id = id;
  return s;
}

function dateInput(id, value) {
  const input = el('input');
  input.id = id;
  input.type = 'date';
  input.value = value;
  return input;
}

/** The screen's filters, figures and list, built once (their labels again at each relabel). */
function build() {
  const view = $('view-callbacks');
  const form = el('form', null, 'filters');
  form.id = 'callbacks-form';
  const tenantLabel = labelled('tenantCode', select('callbacks-tenant'));
  tenantLabel.classList.add('hq-only');
  tenantLabel.hidden = !app.isHq();
  const states = select('callbacks-state');
  form.append(tenantLabel, labelled('center', select('callbacks-center')), labelled('queue', select('callbacks-queue')),
    labelled('callbackState', states), labelled('from', dateInput('callbacks-from', localDate(-6))),
    labelled('to', dateInput('callbacks-to', localDate(1))));
  const find = el('button', app.text('find'), 'primary');
  find.type = 'submit';
  form.append(find);
  const figures = el('table');
  figures.id = 'callbacks-figures';
  const list = el('table');
  list.id = 'callbacks-list';
  view.replaceChildren(el('h2', app.text('callbacksTitle')), form, el('h3', app.text('callbackFigures')), figures,
    el('h3', app.text('callbackList')), list);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    search().catch(app.failed);
  });
  $('callbacks-tenant').addEventListener('change', () => pickers().catch(app.failed));
  $('callbacks-center').addEventListener('change', () => fillQueues($('callbacks-queue'), tenantOf(
    $('callbacks-tenant')), $('callbacks-center').value).catch(app.failed));
  state.built = true;
  fillStates();
}

function fillStates() {
  const states = $('callbacks-state');
  const previous = states.value;
  states.replaceChildren();
  STATES.forEach((s) => option(states, s, app.text(s ? `callbackState_${s}` : 'allStates')));
  states.value = previous;
}

async function pickers() {
  const tenant = tenantOf($('callbacks-tenant'));
  await fillCenters($('callbacks-center'), tenant, true);
  await fillQueues($('callbacks-queue'), tenant, $('callbacks-center').value);
}

async function search() {
  const tenant = tenantOf($('callbacks-tenant'));
  const center = $('callbacks-center').value;
  const queue = $('callbacks-queue').value;
  const from = $('callbacks-from').value;
  const to = $('callbacks-to').value;
  const list = new URLSearchParams({ limit: '200' });
  const scope = [tenant];
  if (center) {
    list.set('center', center);
    scope.push(center);
    if (queue) {
      list.set('queue', queue);
      scope.push(queue);
    }
  }
  if ($('callbacks-state').value) {
    list.set('state', $('callbacks-state').value);
  }
  if (from) {
    list.set('from', from);
  }
  if (to) {
    list.set('to', to);
  }
  const stats = new URLSearchParams({ scope: scope.join('/'), from: from || localDate(-6), to: to || localDate(1) });
  const [rows, figures] = await Promise.all([app.call('GET', `/api/tenants/${path(tenant)}/callbacks?${list}`),
    app.call('GET', `/api/stats/callbacks?${stats}`)]);
  state.searched = true;
  renderFigures(figures);
  renderList(rows);
  app.notice(rows.length === 0 ? app.text('nothingFound') : '');
}

function figure(name, value) {
  if (value === null || value === undefined) {
    return '–';
  }
  return name === 'reachedRate' ? `${Math.round(value * 1000) / 10}%` : String(value);
}

function renderFigures(answer) {
  const table = $('callbacks-figures');
  const head = table.createTHead();
  head.replaceChildren();
  const top = head.insertRow();
  ['callbackDay', 'center', 'queue', ...FIGURES.map((f) => `callbackFigure_${f}`)]
    .forEach((key) => top.append(el('th', app.text(key))));
  const body = table.tBodies[0] || table.createTBody();
  body.replaceChildren();
  for (const r of answer.rows) {
    const row = body.insertRow();
    [r.day, r.centerName, r.queueName, ...FIGURES.map((f) => figure(f, r[f]))].forEach((v) => cell(row, v));
  }
  const total = body.insertRow();
  total.className = 'total';
  [app.text('total'), '', '', ...FIGURES.map((f) => figure(f, answer.total[f]))].forEach((v) => cell(total, v));
}

function renderList(rows) {
  const table = $('callbacks-list');
  const head = table.createTHead();
  head.replaceChildren();
  const top = head.insertRow();
  ['callbackSlotAt', 'center', 'queue', 'customer', 'callbackPhone', 'callbackStateHead', 'callbackAgent',
    'callbackResult'].forEach((key) => top.append(el('th', app.text(key))));
  const body = table.tBodies[0] || table.createTBody();
  body.replaceChildren();
  for (const c of rows) {
    const row = body.insertRow();
    row.dataset.callback = String(c.id);
    if (c.overdue) {
      row.classList.add('overdue');
    }
    const stateText = c.overdue ? app.text('callbackOverdue') : app.text(`callbackState_${c.state}`);
    const result = c.outcome ? app.text(`outcome_${c.outcome}`) + (c.outcomeNote ? ` · ${c.outcomeNote}` : '') : '';
    [when(c.slotAt), c.centerName, c.queueName, customerLabel(c.customer, app.text), c.phone, stateText,
      c.claimedBy ? c.claimedBy.name : '', result].forEach((v) => cell(row, v));
  }
}

export function relabel() {
  if (!state.built) {
    return;
  }
  const searched = state.searched;
  const values = ['callbacks-tenant', 'callbacks-center', 'callbacks-queue', 'callbacks-state', 'callbacks-from',
    'callbacks-to'].map((id) => $(id).value);
  state.built = false;
  build();
  open().then(() => {
    ['callbacks-tenant', 'callbacks-center', 'callbacks-queue', 'callbacks-state', 'callbacks-from', 'callbacks-to']
      .forEach((id, i) => { $(id).value = values[i]; });
    if (searched) {
      search().catch(app.failed);
    }
  }).catch(app.failed);
}

export async function open() {
  if (!state.built) {
    build();
  }
  if ($('callbacks-center').options.length === 0) {
    await fillTenants($('callbacks-tenant'));
    await pickers();
  }
}

export function init() {}
