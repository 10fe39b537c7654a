// Management (관리): tenants, centers with their hours and settings, queues, users, canned responses,
// categories and away reasons (이석 사유), each a list with a form to add or change one. What a role may not change, the
// server refuses; the screens only leave out what the role never sees. A change sends only the
// fields that changed. Lists show names and translated values; a code is typed only when it is made.
import { $, app, button, el, fillCenters, fillTenants, option, path, tenantOf } from './app.js';
import { drawTree } from './categories.js';
import * as hoursEditor from './hours.js';
import * as roles from './roles.js';
import { centerName, centerPicker, overflowName, overflowPicker, parentPicker, pickedQueues, queueName,
  queuePicker, readDirectory, timezonePicker, zoneName } from './pickers.js';

const tenant = () => tenantOf($('manage-tenant'));
const center = () => $('manage-center').value;
const base = () => `/api/tenants/${path(tenant())}`;

const state = { entity: 'centers', editing: null, rows: [], directory: { centers: [], queues: new Map() }, drawing: 0,
  roles: [] };

/** How a column's value reads: translated codes, names for codes. */
const FORMAT = {
  policy: (v) => app.text(v),
  role: (v, row) => (row.customRole ? row.customRole.name : app.text(v)),
  center: (v) => (v ? centerName(state.directory, v) : app.text('wholeTenant')),
  queues: (v, row) => v.map((q) => queueName(state.directory, row.center, q)).join(', '),
  overflowTo: (v) => (v ? overflowName(state.directory, v) : '—'),
  level: (v) => app.text(`cannedLevel${v}`),
  timezone: (v) => zoneName(v),
};

/**
 * Each entity: where its list and items are, the columns shown, and its fields ({key, type,
 * options, create: shown when adding (default true), edit: shown when changing (default true)}).
 * Types beyond the inputs: center, queues (check boxes of the chosen center's), overflow, parent
 * (from the category tree), timezone.
 */
const ENTITIES = {
  tenants: {
    list: () => '/api/tenants',
    item: (row) => `/api/tenants/${path(row.code)}`,
    columns: ['code', 'name', 'enabled'],
    fields: () => [{ key: 'code', edit: false, placeholder: 'acme' }, { key: 'name' },
      ...(app.isHq() ? [{ key: 'enabled', type: 'checkbox', create: false }] : [])],
    canAdd: () => app.isHq(),
  },
  centers: {
    list: () => `${base()}/centers`,
    item: (row) => `${base()}/centers/${path(row.code)}`,
    columns: ['name', 'code', 'timezone', 'enabled'],
    fields: () => [{ key: 'code', edit: false, placeholder: 'seoul' }, { key: 'name' },
      { key: 'timezone', type: 'timezone' }, { key: 'enabled', type: 'checkbox', create: false }],
    canAdd: () => !app.isManager(),
    canEdit: () => !app.isManager(),
    actions: [['hours', (row) => hoursEditor.edit(base(), row, list)], ['settings', (row) => settings(row)]],
  },
  queues: {
    needsCenter: true,
    byCenter: true,
    list: () => `${base()}/centers/${path(center())}/queues`,
    item: (row) => `${base()}/centers/${path(center())}/queues/${path(row.code)}`,
    columns: ['name', 'code', 'policy', 'maxChatsPerAgent', 'priority', 'overflowTo', 'enabled'],
    fields: () => [{ key: 'code', edit: false, placeholder: 'card' }, { key: 'name' },
      { key: 'policy', type: 'select', options: ['LEAST_BUSY', 'ROUND_ROBIN', 'MANUAL'] },
      { key: 'maxChatsPerAgent', type: 'number' }, { key: 'priority', type: 'number' },
      { key: 'preferPreviousAgent', type: 'checkbox' }, { key: 'overflowTo', type: 'overflow' },
      { key: 'overflowAfterSeconds', type: 'number' }, { key: 'enabled', type: 'checkbox', create: false }],
  },
  users: {
    byCenter: true,
    list: () => `${base()}/users`,
    item: (row) => `${base()}/users/${path(row.username)}`,
    columns: ['name', 'username', 'role', 'center', 'queues', 'maxChats', 'enabled'],
    fields: () => [{ key: 'username', edit: false }, { key: 'password', type: 'password', edit: false },
      { key: 'name' },
      { key: 'role', type: 'select', options: app.isManager() ? ['AGENT'] : ['AGENT', 'CENTER_MANAGER', 'TENANT_ADMIN'] },
      ...(roles.may('manage.roles') ? [{ key: 'customRole', type: 'customRole' }] : []),
      { key: 'center', type: 'center', initial: center },
      { key: 'queues', type: 'queues' }, { key: 'maxChats', type: 'number' },
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
    byCenter: true,
    list: () => `${base()}/canned`,
    item: (row) => `${base()}/canned/${row.id}`,
    columns: ['title', 'shortcut', 'body', 'level', 'enabled'],
    fields: () => [{ key: 'title' }, { key: 'shortcut', edit: false, placeholder: '/refund' },
      { key: 'body', type: 'textarea' },
      { key: 'center', type: app.isManager() ? 'center' : 'center-or-tenant', edit: false,
        initial: () => (app.isManager() ? center() : '') },
      { key: 'personal', type: 'checkbox', edit: false }, { key: 'enabled', type: 'checkbox', create: false }],
  },
  categories: {
    list: () => `${base()}/categories`,
    item: (row) => `${base()}/categories/${row.id}`,
    tree: true,
    fields: () => [{ key: 'name' }, { key: 'parent', type: 'parent', edit: false },
      { key: 'enabled', type: 'checkbox', create: false }],
  },
  awayReasons: {
    list: () => `${base()}/away-reasons`,
    item: (row) => `${base()}/away-reasons/${path(row.code)}`,
    columns: ['name', 'nameEn', 'code', 'enabled'],
    fields: () => [{ key: 'code', edit: false, placeholder: 'coaching' }, { key: 'name' }, { key: 'nameEn' },
      { key: 'enabled', type: 'checkbox', create: false }],
  },
};

function shown(key, value, row) {
  if (value === null || value === undefined) {
    return key === 'center' ? FORMAT.center(value) : '—';
  }
  if (typeof value === 'boolean') {
    return app.text(value ? 'yes' : 'no');
  }
  return FORMAT[key] ? FORMAT[key](value, row) : String(value);
}

/** The key a row is found by: its code, username or number. */
const keyOf = (row) => row.code || row.username || row.id;

/** Draws the list; an hours editor open stays open when {@code keepHours} (the language changed). */
async function list(keepHours) {
  const entity = ENTITIES[state.entity];
  $('manage-title').textContent = app.text(state.entity);
  $('manage-form').hidden = true;
  $('hours-form').hidden = $('hours-form').hidden || keepHours !== true;
  $('settings-form').hidden = true;
  $('manage-new').hidden = entity.canAdd ? !entity.canAdd() : false;
  // The center filter only where a list or a new item belongs to a center.
  $('manage-center').closest('label').hidden = !entity.byCenter;
  $('manage-list').hidden = Boolean(entity.tree);
  $('manage-tree').hidden = !entity.tree;
  const table = $('manage-list');
  const head = el('tr');
  (entity.columns || []).forEach((key) => head.append(el('th', app.text(key))));
  head.append(el('th'));
  table.tHead.replaceChildren(head);
  const body = table.tBodies[0];
  body.replaceChildren();
  $('manage-tree').replaceChildren();
  if (!tenant() || (entity.needsCenter && !center())) {
    return;
  }
  // Only the latest list is drawn: a tab chosen while another's list was on its way must not get its rows.
  const drawing = ++state.drawing;
  let rows;
  let directory;
  try {
    [rows, directory, state.roles] = await Promise.all([app.call('GET', entity.list()), readDirectory(tenant()),
      state.entity === 'users' ? roles.choices(tenant()) : []]);
  } catch (e) {
    app.failed(e);
    return;
  }
  if (drawing !== state.drawing) {
    return;
  }
  state.rows = rows;
  state.directory = directory;
  if (entity.tree) {
    drawTree($('manage-tree'), state.rows, { edit: (row) => form(row), addUnder: (parent) => form(null, parent.id) });
    return;
  }
  for (const row of state.rows) {
    const tr = body.insertRow();
    tr.dataset.key = keyOf(row);
    entity.columns.forEach((key) => tr.append(el('td', shown(key, row[key], row))));
    const actions = tr.insertCell();
    if (!entity.canEdit || entity.canEdit()) {
      actions.append(button(app.text('edit'), () => form(row), 'small'));
    }
    (entity.actions || []).forEach(([label, act]) => actions.append(button(app.text(label), () => act(row), 'small')));
  }
}

function input(field, value) {
  const directory = state.directory;
  switch (field.type) {
    case 'center':
      return centerPicker(directory, field.key, value);
    case 'center-or-tenant':
      return centerPicker(directory, field.key, value, 'wholeTenant');
    case 'overflow':
      return overflowPicker(directory, field.key, value);
    case 'parent':
      return parentPicker(state.rows, field.key, value);
    case 'timezone':
      return timezonePicker(field.key, value);
    case 'customRole': {
      // A custom role decides the role: the built-in choice goes while one is picked.
      const select = el('select');
      select.name = field.key;
      option(select, '', app.text('noCustomRole'));
      state.roles.forEach((r) => option(select, String(r.id), `${r.name} (${app.text(r.base)})`));
      select.value = value ? String(value.id) : '';
      return select;
    }
    case 'queues':
      return queuePicker(directory, field.key, value,
        () => $('manage-fields').querySelector('[name="center"]').value);
    default:
  }
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
    node.value = String(value);
  }
  return node;
}

/** The form to add (row null) or change a row; {@code parent} preset for a new category under one. */
function form(row, parent) {
  const entity = ENTITIES[state.entity];
  state.editing = row;
  $('manage-form-title').textContent = row ? app.text('editTitle', { what: app.text(state.entity),
    key: row.name || row.title || keyOf(row) }) : app.text('addTitle', { what: app.text(state.entity) });
  const fields = $('manage-fields');
  fields.replaceChildren();
  for (const field of entity.fields()) {
    if ((row && field.edit === false) || (!row && field.create === false)) {
      continue;
    }
    const initial = row ? row[field.key] : (field.key === 'parent' ? parent : (field.initial ? field.initial() : undefined));
    const label = el(field.type === 'queues' ? 'div' : 'label', null,
      field.type === 'checkbox' ? 'check' : field.type === 'queues' ? 'picker' : '');
    label.append(el('span', app.text(field.key)), input(field, initial));
    if (field.key === 'code') {
      label.append(el('small', app.text('codeHint'), 'muted'));
    }
    fields.append(label);
  }
  const centerSelect = fields.querySelector('select[name="center"]');
  const queues = fields.querySelector('fieldset[data-name="queues"]');
  if (centerSelect && queues) {
    centerSelect.addEventListener('change', () => queues.refresh());
  }
  // A tenant admin belongs to no center and serves no queue: those choices go while that role is chosen; a
  // custom role decides the built-in one.
  const role = fields.querySelector('select[name="role"]');
  const custom = fields.querySelector('select[name="customRole"]');
  if (role && centerSelect) {
    const toggle = () => {
      const picked = custom && state.roles.find((r) => String(r.id) === custom.value);
      const effective = picked ? picked.base : role.value;
      role.closest('label').hidden = Boolean(picked);
      [centerSelect, queues].filter(Boolean).forEach((node) => {
        node.closest('label, .picker').hidden = effective === 'TENANT_ADMIN';
      });
    };
    role.addEventListener('change', toggle);
    if (custom) {
      custom.addEventListener('change', toggle);
    }
    toggle();
  }
  $('manage-form').hidden = false;
  $('manage-form').scrollIntoView({ block: 'nearest' });
}

function read(field, node) {
  if (field.type === 'checkbox') {
    return node.checked;
  }
  if (field.type === 'queues') {
    return pickedQueues(node);
  }
  if (field.type === 'customRole') {
    return node.value === '' ? null : Number(node.value);
  }
  const text = node.value.trim();
  if (field.type === 'number' || field.type === 'parent') {
    return text === '' ? null : Number(text);
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
    const node = $('manage-fields').querySelector(`[name="${field.key}"], [data-name="${field.key}"]`);
    if (!node) {
      continue;
    }
    const value = read(field, node);
    values[field.key] = value;
    if (field.apart) {
      continue;
    }
    if (row) {
      const before = field.type === 'customRole' ? (row.customRole ? row.customRole.id : null) : row[field.key];
      if (JSON.stringify(value) !== JSON.stringify(before === undefined ? null : before)) {
        body[field.key] = value;
      }
    } else if (value !== null && value !== false && !(Array.isArray(value) && value.length === 0)) {
      body[field.key] = value;
    }
  }
  if (state.entity === 'users' && (values.role === 'TENANT_ADMIN')) {
    delete body.center;
    delete body.queues;
  }
  if (state.entity === 'users' && values.customRole) {
    // The custom role's base is the user's role; the built-in choice would only contradict it.
    delete body.role;
    const picked = state.roles.find((r) => r.id === values.customRole);
    if (picked && picked.base === 'TENANT_ADMIN') {
      delete body.center;
      delete body.queues;
    }
  }
  try {
    const saved = row ? await app.call('PUT', entity.item(row), body)
      : await app.call('POST', entity.list(), body);
    if (entity.after) {
      await entity.after(row || saved, values);
    }
    await list();
    app.notice(app.text('saved'));
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
    hoursEditor.relabel();
    list(true);
  }
}

export async function open() {
  if ($('manage-center').options.length === 0) {
    await fillTenants($('manage-tenant'));
    await fillCenters($('manage-center'), tenant(), false);
  }
  // A role without the current tab's permission starts on the first tab it has.
  const tab = document.querySelector(`#manage-tabs button[data-entity="${state.entity}"]`);
  const first = document.querySelector('#manage-tabs button:not([hidden])');
  choose(tab && !tab.hidden ? state.entity : first ? first.dataset.entity : state.entity);
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
  hoursEditor.init();
  $('settings-form').addEventListener('submit', saveSettings);
  $('settings-cancel').addEventListener('click', () => {
    $('settings-form').hidden = true;
  });
  $('manage-tenant').addEventListener('change', async () => {
    await fillCenters($('manage-center'), tenant(), false).catch(app.failed);
    list();
  });
  $('manage-center').addEventListener('change', () => list());
}
