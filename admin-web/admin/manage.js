// Management (관리): tenants, centers with their hours and settings, queues, users, canned responses,
// categories and away reasons (이석 사유), each a list with a form to add or change one. What a role may not change, the
// server refuses; the screens only leave out what the role never sees. A change sends only the
// fields that changed.
import { $, app, button, el, fillCenters, fillTenants, option, path, tenantOf } from './app.js';

const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

const tenant = () => tenantOf($('manage-tenant'));
const center = () => $('manage-center').value;
const base = () => `/api/tenants/${path(tenant())}`;

/**
 * Each entity: where its list and items are, the columns shown, and its fields ({key, type,
 * options, create: shown when adding (default true), edit: shown when changing (default true)}).
 */
const ENTITIES = {
  tenants: {
    list: () => '/api/tenants',
    item: (row) => `/api/tenants/${path(row.code)}`,
    columns: ['code', 'name', 'enabled'],
    fields: () => [{ key: 'code', edit: false }, { key: 'name' },
      ...(app.isHq() ? [{ key: 'enabled', type: 'checkbox', create: false }] : [])],
    canAdd: () => app.isHq(),
  },
  centers: {
    list: () => `${base()}/centers`,
    item: (row) => `${base()}/centers/${path(row.code)}`,
    columns: ['code', 'name', 'timezone', 'enabled'],
    fields: () => [{ key: 'code', edit: false }, { key: 'name' }, { key: 'timezone', placeholder: 'Asia/Seoul' },
      { key: 'enabled', type: 'checkbox', create: false }],
    canAdd: () => !app.isManager(),
    canEdit: () => !app.isManager(),
    actions: [['hours', (row) => hours(row)], ['settings', (row) => settings(row)]],
  },
  queues: {
    needsCenter: true,
    list: () => `${base()}/centers/${path(center())}/queues`,
    item: (row) => `${base()}/centers/${path(center())}/queues/${path(row.code)}`,
    columns: ['code', 'name', 'policy', 'maxChatsPerAgent', 'priority', 'overflowTo', 'enabled'],
    fields: () => [{ key: 'code', edit: false }, { key: 'name' },
      { key: 'policy', type: 'select', options: ['LEAST_BUSY', 'ROUND_ROBIN', 'MANUAL'] },
      { key: 'maxChatsPerAgent', type: 'number' }, { key: 'priority', type: 'number' },
      { key: 'preferPreviousAgent', type: 'checkbox' }, { key: 'overflowTo', placeholder: 'center/queue' },
      { key: 'overflowAfterSeconds', type: 'number' }, { key: 'enabled', type: 'checkbox', create: false }],
  },
  users: {
    list: () => `${base()}/users`,
    item: (row) => `${base()}/users/${path(row.username)}`,
    columns: ['username', 'name', 'role', 'center', 'queues', 'maxChats', 'enabled'],
    fields: () => [{ key: 'username', edit: false }, { key: 'password', type: 'password', edit: false },
      { key: 'name' },
      { key: 'role', type: 'select', options: app.isManager() ? ['AGENT'] : ['AGENT', 'CENTER_MANAGER', 'TENANT_ADMIN'] },
      { key: 'center', initial: center },
      { key: 'queues', type: 'list', placeholder: 'card, loan' }, { key: 'maxChats', type: 'number' },
      { key: 'enabled', type: 'checkbox', create: false },
      { key: 'newPassword', type: 'password', create: false, apart: true }],
    /** A new password is its own call, after the other changes. */
    after: async (row, values) => {
      if (values.newPassword) {
        await app.call('POST', `${base()}/users/${path(row.username)}/password`, { password: values.newPassword });
      }
    },
  },
  canned: {
    list: () => `${base()}/canned`,
    item: (row) => `${base()}/canned/${row.id}`,
    columns: ['level', 'shortcut', 'title', 'body', 'enabled'],
    fields: () => [{ key: 'title' }, { key: 'shortcut', edit: false, placeholder: '/refund' },
      { key: 'body', type: 'textarea' }, { key: 'center', edit: false, initial: () => (app.isManager() ? center() : '') },
      { key: 'personal', type: 'checkbox', edit: false }, { key: 'enabled', type: 'checkbox', create: false }],
  },
  categories: {
    list: () => `${base()}/categories`,
    item: (row) => `${base()}/categories/${row.id}`,
    columns: ['id', 'level', 'parent', 'name', 'enabled'],
    fields: () => [{ key: 'name' }, { key: 'parent', type: 'number', edit: false },
      { key: 'enabled', type: 'checkbox', create: false }],
  },
  awayReasons: {
    list: () => `${base()}/away-reasons`,
    item: (row) => `${base()}/away-reasons/${path(row.code)}`,
    columns: ['code', 'name', 'nameEn', 'enabled'],
    fields: () => [{ key: 'code', edit: false, placeholder: 'coaching' }, { key: 'name' }, { key: 'nameEn' },
      { key: 'enabled', type: 'checkbox', create: false }],
  },
};

const state = { entity: 'centers', editing: null, rows: [] };

function shown(value) {
  if (value === null || value === undefined) {
    return '—';
  }
  if (typeof value === 'boolean') {
    return app.text(value ? 'yes' : 'no');
  }
  return Array.isArray(value) ? value.join(', ') : String(value);
}

async function list() {
  const entity = ENTITIES[state.entity];
  $('manage-title').textContent = app.text(state.entity);
  $('manage-form').hidden = true;
  $('hours-form').hidden = true;
  $('settings-form').hidden = true;
  $('manage-new').hidden = entity.canAdd ? !entity.canAdd() : false;
  const table = $('manage-list');
  const head = el('tr');
  entity.columns.forEach((key) => head.append(el('th', app.text(key))));
  head.append(el('th'));
  table.tHead.replaceChildren(head);
  const body = table.tBodies[0];
  body.replaceChildren();
  if (!tenant() || (entity.needsCenter && !center())) {
    return;
  }
  try {
    state.rows = await app.call('GET', entity.list());
  } catch (e) {
    app.failed(e);
    return;
  }
  for (const row of state.rows) {
    const tr = body.insertRow();
    tr.dataset.key = row.code || row.username || row.id;
    entity.columns.forEach((key) => tr.append(el('td', shown(row[key]))));
    const actions = tr.insertCell();
    if (!entity.canEdit || entity.canEdit()) {
      actions.append(button(app.text('edit'), () => form(row), 'small'));
    }
    (entity.actions || []).forEach(([label, act]) => actions.append(button(app.text(label), () => act(row), 'small')));
  }
}

function input(field, value) {
  let node;
  if (field.type === 'select') {
    node = el('select');
    field.options.forEach((o) => option(node, o, app.text(o)));
  } else if (field.type === 'textarea') {
    node = el('textarea');
    node.rows = 3;
  } else {
    node = el('input');
    node.type = { number: 'number', checkbox: 'checkbox', password: 'password' }[field.type] || 'text';
  }
  node.name = field.key;
  if (field.placeholder) {
    node.placeholder = field.placeholder;
  }
  if (field.type === 'checkbox') {
    node.checked = Boolean(value);
  } else if (value !== null && value !== undefined) {
    node.value = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return node;
}

/** The form to add (row null) or change a row. */
function form(row) {
  const entity = ENTITIES[state.entity];
  state.editing = row;
  $('manage-form-title').textContent = app.text(row ? 'editTitle' : 'addTitle', { what: app.text(state.entity),
    key: row ? (row.code || row.username || row.id) : '' });
  const fields = $('manage-fields');
  fields.replaceChildren();
  for (const field of entity.fields()) {
    if ((row && field.edit === false) || (!row && field.create === false)) {
      continue;
    }
    const initial = row ? row[field.key] : (field.initial ? field.initial() : undefined);
    const label = el('label', null, field.type === 'checkbox' ? 'check' : '');
    label.append(el('span', app.text(field.key)), input(field, initial));
    fields.append(label);
  }
  $('manage-form').hidden = false;
  $('manage-form').scrollIntoView({ block: 'nearest' });
}

function read(field, node) {
  if (field.type === 'checkbox') {
    return node.checked;
  }
  const text = node.value.trim();
  if (field.type === 'number') {
    return text === '' ? null : Number(text);
  }
  if (field.type === 'list') {
    return text.split(',').map((v) => v.trim()).filter(Boolean);
  }
  return text === '' ? null : text;
}

async function save(event) {
  event.preventDefault();
  const entity = ENTITIES[state.entity];
  const row = state.editing;
  const values = {};
  const body = {};
  for (const field of entity.fields()) {
    const node = $('manage-fields').querySelector(`[name="${field.key}"]`);
    if (!node) {
      continue;
    }
    const value = read(field, node);
    values[field.key] = value;
    if (field.apart) {
      continue;
    }
    if (row) {
      if (JSON.stringify(value) !== JSON.stringify(row[field.key] === undefined ? null : row[field.key])) {
        body[field.key] = value;
      }
    } else if (value !== null && value !== false && !(Array.isArray(value) && value.length === 0)) {
      body[field.key] = value;
    }
  }
  if (state.entity === 'users' && body.role === 'TENANT_ADMIN') {
    delete body.center;
    delete body.queues;
  }
  try {
    const saved = row ? await app.call('PUT', entity.item(row), body)
      : await app.call('POST', entity.list(), body);
    if (entity.after) {
      await entity.after(row || saved, values);
    }
    app.notice(app.text('saved'));
    await list();
  } catch (e) {
    app.failed(e);
  }
}

async function hours(row) {
  state.editing = row;
  let answer;
  try {
    answer = await app.call('GET', `${base()}/centers/${path(row.code)}/hours`);
  } catch (e) {
    app.failed(e);
    return;
  }
  $('hours-title').textContent = app.text('hoursOf', { center: row.name });
  $('hours-timezone').value = answer.timezone || row.timezone;
  const days = $('hours-days');
  days.replaceChildren();
  for (const day of DAYS) {
    const label = el('label');
    const field = el('input');
    field.name = day;
    field.placeholder = answer.alwaysOpen ? '' : app.text('closedAllDay');
    field.value = ((answer.weekly || {})[day] || []).map(([from, to]) => `${from}-${to}`).join(', ');
    label.append(el('span', app.text(day)), field);
    days.append(label);
  }
  $('hours-holidays').value = (answer.holidays || []).join('\n');
  $('hours-out').value = answer.outOfHours || 'OFFLINE_FORM';
  $('hours-form').hidden = false;
  $('hours-form').scrollIntoView({ block: 'nearest' });
}

async function saveHours(event) {
  event.preventDefault();
  const weekly = {};
  for (const day of DAYS) {
    const text = $('hours-days').querySelector(`[name="${day}"]`).value.trim();
    if (text) {
      weekly[day] = text.split(',').map((range) => range.trim().split('-').map((time) => time.trim()));
    }
  }
  const holidays = $('hours-holidays').value.split(/[\s,]+/).filter(Boolean);
  try {
    await app.call('PUT', `${base()}/centers/${path(state.editing.code)}/hours`, { timezone: $('hours-timezone').value.trim(),
      weekly, holidays, outOfHours: $('hours-out').value });
    app.notice(app.text('saved'));
    await list();
  } catch (e) {
    app.failed(e);
  }
}

const SETTINGS = ['agentGraceSeconds', 'customerGraceSeconds', 'idleWarningSeconds', 'idleCloseSeconds',
  'serviceLevelSeconds'];

async function settings(row) {
  state.editing = row;
  let answer;
  try {
    answer = await app.call('GET', `${base()}/centers/${path(row.code)}/settings`);
  } catch (e) {
    app.failed(e);
    return;
  }
  $('settings-title').textContent = app.text('settingsOf', { center: row.name });
  const fields = $('settings-fields');
  fields.replaceChildren();
  for (const key of SETTINGS) {
    const label = el('label');
    label.append(el('span', app.text(key)), input({ key, type: 'number', placeholder: app.text('byDefault') },
      answer[key]));
    fields.append(label);
  }
  const check = el('label', null, 'check');
  check.append(el('span', app.text('requireCategory')), input({ key: 'requireCategory', type: 'checkbox' },
    answer.requireCategory));
  fields.append(check);
  $('settings-form').hidden = false;
  $('settings-form').scrollIntoView({ block: 'nearest' });
}

async function saveSettings(event) {
  event.preventDefault();
  const body = {};
  for (const key of SETTINGS) {
    body[key] = read({ type: 'number' }, $('settings-fields').querySelector(`[name="${key}"]`));
  }
  body.requireCategory = $('settings-fields').querySelector('[name="requireCategory"]').checked;
  try {
    await app.call('PUT', `${base()}/centers/${path(state.editing.code)}/settings`, body);
    app.notice(app.text('saved'));
    $('settings-form').hidden = true;
  } catch (e) {
    app.failed(e);
  }
}

function choose(entity) {
  state.entity = entity;
  for (const b of document.querySelectorAll('#manage-tabs button')) {
    b.classList.toggle('current', b.dataset.entity === entity);
  }
  list();
}

/** The lists carry translated headers and values: drawn again in the new language. */
export function relabel() {
  if (!$('view-manage').hidden) {
    list();
  }
}

export async function open() {
  if ($('manage-center').options.length === 0) {
    await fillTenants($('manage-tenant'));
    await fillCenters($('manage-center'), tenant(), false);
  }
  choose(state.entity);
}

export function init() {
  for (const b of document.querySelectorAll('#manage-tabs button')) {
    b.addEventListener('click', () => choose(b.dataset.entity));
  }
  $('manage-new').addEventListener('click', () => form(null));
  $('manage-cancel').addEventListener('click', () => {
    $('manage-form').hidden = true;
  });
  $('manage-form').addEventListener('submit', save);
  $('hours-form').addEventListener('submit', saveHours);
  $('hours-cancel').addEventListener('click', () => {
    $('hours-form').hidden = true;
  });
  $('hours-always').addEventListener('click', async () => {
    try {
      await app.call('DELETE', `${base()}/centers/${path(state.editing.code)}/hours`);
      app.notice(app.text('saved'));
      $('hours-form').hidden = true;
    } catch (e) {
      app.failed(e);
    }
  });
  $('settings-form').addEventListener('submit', saveSettings);
  $('settings-cancel').addEventListener('click', () => {
    $('settings-form').hidden = true;
  });
  $('manage-tenant').addEventListener('change', async () => {
    await fillCenters($('manage-center'), tenant(), false).catch(app.failed);
    list();
  });
  $('manage-center').addEventListener('change', list);
}
