// Roles (역할): a tenant's custom roles, each a name, the built-in role it sits on (which decides where its
// users work: the whole tenant, or their center and the centers picked here), and the permissions it holds in
// place of that role's. Permissions are check boxes in groups; one the signed-in user does not hold is shown but
// cannot be ticked (the server refuses it too). Every text from the network goes in as text.
import { $, app, button, el, fillTenants, option, path, tenantOf } from './app.js';

/** The permissions a tenant may give, in the groups the editor shows (HQ's own two are never a tenant's). */
export const GROUPS = [
  ['permGroupChats', ['transcripts.read', 'pii.unmask', 'conversations.supervise', 'callbacks.handle']],
  ['permGroupLive', ['dashboard.read', 'stats.read', 'stats.export']],
  ['permGroupManage', ['manage.centers', 'manage.users', 'manage.settings', 'manage.roles', 'customers.link']],
  ['permGroupAudit', ['audit.read', 'accesslog.read', 'retention.manage']],
];
const BASES = ['AGENT', 'CENTER_MANAGER', 'TENANT_ADMIN'];
const state = { built: false, editing: null, centers: [] };

const tenant = () => tenantOf($('roles-tenant'));
const base = () => `/api/tenants/${path(tenant())}/roles`;

/** Whether the signed-in user holds {@code permission}: the consoles show only what it allows. */
export const may = (permission) => Boolean(app.me && (app.me.permissions || []).includes(permission));

function labelled(key, control, className) {
  const label = el('label', null, className);
  label.append(el('span', app.text(key)), control);
  return label;
}

function build() {
  const view = $('view-roles');
  const tenantSelect = el('select');
  tenantSelect.id = 'roles-tenant';
  const filters = el('div', null, 'filters');
  const tenantLabel = labelled('tenantCode', tenantSelect, 'hq-only');
  tenantLabel.hidden = !app.isHq();
  filters.append(tenantLabel);
  const bar = el('div', null, 'bar');
  bar.append(el('h3', app.text('roles')), button(app.text('add'), () => edit(null), 'primary'));
  const table = el('table');
  table.id = 'roles-list';
  table.append(el('thead'), el('tbody'));
  const form = el('form', null, 'panel editor');
  form.id = 'roles-form';
  form.hidden = true;
  view.replaceChildren(el('h2', app.text('roles')), el('p', app.text('rolesHelp'), 'muted'), filters, bar, table,
    form);
  tenantSelect.addEventListener('change', () => list().catch(app.failed));
  form.addEventListener('submit', save);
  state.built = true;
}

async function list() {
  const table = $('roles-list');
  const head = el('tr');
  ['roleName', 'roleBase', 'rolePermissions', 'roleHolders'].forEach((key) => head.append(el('th', app.text(key))));
  head.append(el('th'));
  table.tHead.replaceChildren(head);
  const body = table.tBodies[0];
  body.replaceChildren();
  $('roles-form').hidden = true;
  if (!tenant()) {
    return;
  }
  const [roles, centers] = await Promise.all([app.call('GET', base()),
    app.call('GET', `/api/tenants/${path(tenant())}/centers`)]);
  state.centers = centers;
  for (const role of roles) {
    const tr = body.insertRow();
    tr.dataset.id = role.id;
    tr.append(el('td', role.name), el('td', app.text(role.base)),
      el('td', role.permissions.map((p) => app.text(`perm.${p}`)).join(', ')), el('td', String(role.holders)));
    const actions = tr.insertCell();
    actions.append(button(app.text('edit'), () => edit(role), 'small'),
      button(app.text('delete'), () => remove(role).catch(app.failed), 'small'));
  }
}

/** The form to shape a new role (null) or change one; its base is chosen once. */
function edit(role) {
  state.editing = role;
  const form = $('roles-form');
  form.replaceChildren(el('h4', role ? app.text('editTitle', { what: app.text('roleOne'), key: role.name })
    : app.text('addTitle', { what: app.text('roles') })));
  const name = el('input');
  name.name = 'name';
  name.maxLength = 50;
  name.required = true;
  name.value = role ? role.name : '';
  const baseSelect = el('select');
  baseSelect.name = 'base';
  BASES.forEach((b) => option(baseSelect, b, app.text(`base${b}`)));
  baseSelect.value = role ? role.base : 'AGENT';
  baseSelect.disabled = Boolean(role);
  form.append(labelled('roleName', name), labelled('roleBase', baseSelect));
  const centers = el('fieldset', null, 'picker');
  centers.dataset.name = 'centers';
  centers.append(el('legend', app.text('roleCenters')));
  for (const c of state.centers) {
    centers.append(check(c.code, c.name, role ? role.centers.includes(c.code) : false, true));
  }
  const toggle = () => {
    centers.hidden = baseSelect.value !== 'CENTER_MANAGER';
  };
  baseSelect.addEventListener('change', toggle);
  toggle();
  form.append(centers);
  for (const [group, permissions] of GROUPS) {
    const set = el('fieldset', null, 'picker');
    set.dataset.name = 'permissions';
    set.append(el('legend', app.text(group)));
    for (const p of permissions) {
      set.append(check(p, app.text(`perm.${p}`), role ? role.permissions.includes(p) : false, may(p)));
    }
    form.append(set);
  }
  const row = el('div', null, 'row');
  const submit = el('button', app.text('save'), 'primary');
  submit.type = 'submit';
  row.append(submit, button(app.text('cancel'), () => {
    form.hidden = true;
  }));
  form.append(row);
  form.hidden = false;
  form.scrollIntoView({ block: 'nearest' });
}

function check(value, text, checked, enabled) {
  const label = el('label', null, 'check');
  const box = el('input');
  box.type = 'checkbox';
  box.value = value;
  box.checked = checked;
  box.disabled = !enabled;
  label.append(box, el('span', text));
  return label;
}

const ticked = (name) => [...$('roles-form').querySelectorAll(`fieldset[data-name="${name}"]:not([hidden]) input:checked`)]
  .map((box) => box.value);

async function save(event) {
  event.preventDefault();
  const form = $('roles-form');
  const permissions = ticked('permissions');
  if (permissions.length === 0) {
    app.notice(app.text('roleNeedsPermission'));
    return;
  }
  const body = { name: form.querySelector('[name="name"]').value.trim(), permissions, centers: ticked('centers') };
  try {
    if (state.editing) {
      await app.call('PUT', `${base()}/${state.editing.id}`, body);
    } else {
      body.base = form.querySelector('[name="base"]').value;
      await app.call('POST', base(), body);
    }
    await list();
    app.notice(app.text(state.editing && state.editing.holders > 0 ? 'roleSavedSignedOut' : 'saved'));
  } catch (e) {
    app.failed(e);
  }
}

async function remove(role) {
  if (role.holders > 0) {
    app.notice(app.text('roleHeld', { n: role.holders }));
    return;
  }
  await app.call('DELETE', `${base()}/${role.id}`);
  await list();
  app.notice(app.text('roleDeleted'));
}

/** The tenant's roles for a user's form: id and name, or none when the user may not shape roles. */
export async function choices(tenantCode) {
  return may('manage.roles') && tenantCode ? app.call('GET', `/api/tenants/${path(tenantCode)}/roles`) : [];
}

export function relabel() {
  if (state.built) {
    build();
    if (!$('view-roles').hidden) {
      open().catch(app.failed);
    }
  }
}

export async function open() {
  if (!state.built) {
    build();
  }
  if ($('roles-tenant').options.length === 0) {
    await fillTenants($('roles-tenant'));
  }
  await list();
}

export function init() {}
