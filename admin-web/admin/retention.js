// 개인정보 보관 (data retention), for HQ and tenant admins: how long the tenant keeps conversations and customer
// data and what happens after, the legal holds that keep a customer or a conversation past it, and a customer's
// erasure on request. The screen builds its own parts; every text from the server goes in as text.
import { $, app, button, cell, el, fillTenants, option, path, tenantOf, when } from './app.js';

const state = { setting: null, queues: [], holds: [] };

const tenant = () => tenantOf($('retention-tenant'));
const base = () => `/api/tenants/${path(tenant())}`;

function field(labelKey, control) {
  const label = el('label');
  const span = el('span');
  span.dataset.t = labelKey;
  label.append(span, control);
  return label;
}

function input(id, type, attributes = {}) {
  const node = el('input');
  node.id = id;
  node.type = type;
  Object.entries(attributes).forEach(([k, v]) => node.setAttribute(k, v));
  return node;
}

function heading(tag, key) {
  const node = el(tag);
  node.dataset.t = key;
  return node;
}

function labelled(tag, key, className) {
  const node = el(tag, undefined, className);
  node.dataset.t = key;
  return node;
}

/** The screen's parts, made once: the setting, the holds, the erasure. */
function build() {
  const view = $('view-retention');
  const tenantPicker = el('select');
  tenantPicker.id = 'retention-tenant';
  tenantPicker.className = 'tenant-select';
  const filters = el('div', undefined, 'filters');
  const tenantLabel = field('tenantCode', tenantPicker);
  tenantLabel.className = 'hq-only';
  filters.append(tenantLabel);

  const setting = el('form', undefined, 'panel editor');
  setting.id = 'retention-form';
  setting.noValidate = true;
  const action = el('select');
  action.id = 'retention-action';
  const queues = el('fieldset');
  queues.id = 'retention-queues';
  const buttons = el('div', undefined, 'row');
  const save = labelled('button', 'save', 'primary');
  save.type = 'submit';
  const remove = labelled('button', 'retentionRemove');
  remove.type = 'button';
  remove.id = 'retention-remove';
  buttons.append(save, remove);
  const minimum = el('p', undefined, 'muted');
  minimum.id = 'retention-minimum';
  const current = el('p');
  current.id = 'retention-current';
  current.setAttribute('aria-live', 'polite');
  setting.append(heading('h3', 'retentionSetting'), current, labelled('p', 'retentionHelp', 'muted'),
    field('retentionDays', input('retention-days', 'number', { min: 1, max: 36500 })), minimum,
    field('retentionAction', action), queues,
    field('retentionRecordDays', input('retention-record-days', 'number', { min: 1, max: 36500 })),
    labelled('p', 'retentionRecordHelp', 'muted'), buttons);

  const holds = el('section', undefined, 'panel');
  const holdForm = el('form', undefined, 'filters');
  holdForm.id = 'hold-form';
  const kind = el('select');
  kind.id = 'hold-kind';
  const holdButton = labelled('button', 'holdPlace', 'primary');
  holdButton.type = 'submit';
  holdForm.append(field('holdSubject', kind), field('holdId', input('hold-id', 'number', { min: 1 })),
    field('holdReason', input('hold-reason', 'text', { maxlength: 500 })), holdButton);
  const table = el('table');
  table.id = 'hold-list';
  const head = el('tr');
  for (const key of ['holdSubject', 'holdReason', 'holdPlacedBy', 'holdPlacedAt', '']) {
    const th = el('th');
    if (key) {
      th.dataset.t = key;
    }
    head.append(th);
  }
  table.append(el('thead'), el('tbody'));
  table.tHead.append(head);
  const empty = labelled('p', 'holdNone', 'muted');
  empty.id = 'hold-none';
  holds.append(heading('h3', 'holds'), labelled('p', 'holdsHelp', 'muted'), holdForm, table, empty);

  const erasure = el('form', undefined, 'panel editor');
  erasure.id = 'erasure-form';
  erasure.noValidate = true;
  const confirm = input('erasure-confirm', 'checkbox');
  const confirmLabel = el('label', undefined, 'check');
  const confirmText = el('span');
  confirmText.dataset.t = 'erasureConfirm';
  confirmLabel.append(confirm, confirmText);
  const eraseButton = labelled('button', 'erasureButton', 'primary');
  eraseButton.type = 'submit';
  const result = el('p');
  result.id = 'erasure-result';
  result.setAttribute('aria-live', 'polite');
  erasure.append(heading('h3', 'erasure'), labelled('p', 'erasureHelp', 'muted'),
    field('erasureCustomer', input('erasure-customer', 'number', { min: 1 })),
    field('holdReason', input('erasure-reason', 'text', { maxlength: 500 })), confirmLabel, eraseButton, result);

  const error = el('p', undefined, 'error');
  error.id = 'retention-error';
  error.setAttribute('role', 'alert');
  view.append(heading('h2', 'retention'), filters, error, setting, holds, erasure);
}

function fillChoices() {
  const action = $('retention-action');
  const chosen = action.value || 'ANONYMISE';
  action.replaceChildren();
  option(action, 'ANONYMISE', app.text('retentionANONYMISE'));
  option(action, 'DELETE', app.text('retentionDELETE'));
  action.value = chosen;
  const kind = $('hold-kind');
  const subject = kind.value || 'customer';
  kind.replaceChildren();
  option(kind, 'customer', app.text('holdCustomer'));
  option(kind, 'conversation', app.text('holdConversation'));
  kind.value = subject;
}

/** The tenant's queues as choices of record queues, by center and queue name; the ones set are ticked. */
function renderQueues() {
  const box = $('retention-queues');
  const legend = el('legend', app.text('retentionRecordQueues'));
  box.replaceChildren(legend);
  const chosen = new Set(state.setting ? state.setting.recordQueues : []);
  for (const q of state.queues) {
    const label = el('label', undefined, 'check');
    const tick = input(`retention-queue-${q.key}`, 'checkbox');
    tick.value = q.key;
    tick.checked = chosen.has(q.key);
    label.append(tick, el('span', `${q.centerName} · ${q.name}`));
    box.append(label);
  }
}

function renderSetting() {
  const s = state.setting;
  $('retention-minimum').textContent = s.minimumDays > 0 ? app.text('retentionMinimum', { n: s.minimumDays }) : '';
  $('retention-current').textContent = s.days === null ? app.text('retentionNone')
    : app.text('retentionNow', { days: s.days, action: app.text(`retentionNow${s.action}`) });
  $('retention-days').value = s.days === null ? '' : s.days;
  $('retention-record-days').value = s.recordDays === null ? '' : s.recordDays;
  $('retention-action').value = s.action || 'ANONYMISE';
  renderQueues();
}

function renderHolds(holds) {
  state.holds = holds;
  const body = $('hold-list').tBodies[0];
  body.replaceChildren();
  $('hold-none').hidden = holds.length > 0;
  $('hold-list').hidden = holds.length === 0;
  for (const h of holds) {
    const row = el('tr');
    cell(row, h.customer !== null ? app.text('holdOnCustomer', { id: h.customer })
      : app.text('holdOnConversation', { id: h.conversation }));
    cell(row, h.reason);
    cell(row, h.placedBy);
    cell(row, when(h.placedAt));
    const td = cell(row, '');
    const reason = input(`hold-release-reason-${h.id}`, 'text', { maxlength: 500 });
    reason.placeholder = app.text('holdReleaseReason');
    reason.setAttribute('aria-label', app.text('holdReleaseReason'));
    td.append(reason, button(app.text('holdRelease'), () => release(h.id, reason.value).catch(refused)));
    body.append(row);
  }
}

/** A refusal as this screen's own sentence where it has one, else the console's sentence for its code. */
function refused(e) {
  const message = e.message || '';
  let text;
  if (e.field === 'days' && /legal minimum/.test(message)) {
    text = app.text('retentionBelowMinimum', { n: state.setting ? state.setting.minimumDays : '' });
  } else if (e.field === 'recordDays') {
    text = app.text('retentionRecordDaysRefused');
  } else if (e.field === 'reason') {
    text = app.text('holdReasonRequired');
  } else if (e.status === 409 && /legal hold/.test(message)) {
    text = app.text('erasureHeld');
  } else if (e.status === 409 && /not ended|started a conversation/.test(message)) {
    text = app.text('erasureOpen');
  } else if (e.status === 409 && /already on hold/.test(message)) {
    text = app.text('holdAlready');
  } else if (e.status === 404 && /customer|conversation/.test(message)) {
    text = app.text('retentionNoSubject');
  } else {
    text = app.problem(e);
  }
  $('retention-error').textContent = text;
}

async function load() {
  $('retention-error').textContent = '';
  $('erasure-result').textContent = '';
  if (!tenant()) {
    return;
  }
  const [setting, holds, centers] = await Promise.all([app.call('GET', `${base()}/retention`),
    app.call('GET', `${base()}/legal-holds`), app.call('GET', `${base()}/centers`)]);
  const queues = [];
  for (const c of centers) {
    for (const q of await app.call('GET', `${base()}/centers/${path(c.code)}/queues`)) {
      queues.push({ key: `${c.code}/${q.code}`, centerName: c.name, name: q.name });
    }
  }
  state.setting = setting;
  state.queues = queues;
  renderSetting();
  renderHolds(holds.holds);
}

const number = (id) => ($(id).value.trim() === '' ? null : Number($(id).value));

async function save(event) {
  event.preventDefault();
  $('retention-error').textContent = '';
  const recordQueues = [...document.querySelectorAll('#retention-queues input:checked')].map((i) => i.value);
  const body = { days: number('retention-days'), recordQueues, action: $('retention-action').value };
  if (number('retention-record-days') !== null) {
    body.recordDays = number('retention-record-days');
  }
  state.setting = await app.call('PUT', `${base()}/retention`, body);
  renderSetting();
  app.notice(app.text('retentionSaved'));
}

async function removeSetting() {
  $('retention-error').textContent = '';
  await app.call('DELETE', `${base()}/retention`);
  state.setting = await app.call('GET', `${base()}/retention`);
  renderSetting();
  app.notice(app.text('retentionRemoved'));
}

async function place(event) {
  event.preventDefault();
  $('retention-error').textContent = '';
  await app.call('POST', `${base()}/legal-holds`, { [$('hold-kind').value]: number('hold-id'),
    reason: $('hold-reason').value.trim() });
  $('hold-id').value = '';
  $('hold-reason').value = '';
  renderHolds((await app.call('GET', `${base()}/legal-holds`)).holds);
  app.notice(app.text('holdPlaced'));
}

async function release(id, reason) {
  $('retention-error').textContent = '';
  await app.call('POST', `${base()}/legal-holds/${path(id)}/release`, { reason: reason.trim() });
  renderHolds((await app.call('GET', `${base()}/legal-holds`)).holds);
  app.notice(app.text('holdReleased'));
}

async function erase(event) {
  event.preventDefault();
  $('retention-error').textContent = '';
  $('erasure-result').textContent = '';
  if (!$('erasure-confirm').checked) {
    $('retention-error').textContent = app.text('erasureConfirmFirst');
    return;
  }
  const customer = number('erasure-customer');
  const erased = await app.call('POST', `${base()}/customers/${path(customer)}/erasure`,
    { reason: $('erasure-reason').value.trim() });
  const kept = erased.keptAsRecord > 0 ? ' ' + app.text('erasureKept', { kept: erased.keptAsRecord }) : '';
  $('erasure-result').textContent = app.text('erasureDone', { id: customer, conversations: erased.conversations,
    messages: erased.messages, attachments: erased.attachments }) + kept;
  $('erasure-confirm').checked = false;
  $('erasure-customer').value = '';
  $('erasure-reason').value = '';
}

export function relabel() {
  // A refusal is a sentence in the language it was shown in, as the console's notice is.
  $('retention-error').textContent = '';
  fillChoices();
  if (state.setting) {
    renderSetting();
    renderHolds(state.holds);
  }
}

export async function open() {
  await fillTenants($('retention-tenant'));
  await load();
}

export function init() {
  build();
  fillChoices();
  $('retention-tenant').addEventListener('change', () => load().catch(refused));
  $('retention-form').addEventListener('submit', (e) => save(e).catch(refused));
  $('retention-remove').addEventListener('click', () => removeSetting().catch(refused));
  $('hold-form').addEventListener('submit', (e) => place(e).catch(refused));
  $('erasure-form').addEventListener('submit', (e) => erase(e).catch(refused));
}
