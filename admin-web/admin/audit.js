// The audit log (감사 로그), newest first: HQ reads every tenant's (or one), a tenant admin their own.
// The server records actions, targets and details in its own terms (pii.unmask, "mobile #0 of
// message 1", /api/tenants/acme/users/lee); auditWords.js says each in the reader's language.
import { $, app, cell, el, fillTenants, option, when } from './app.js';
import { actionText, addressText, detailText, targetText } from './auditWords.js';

const state = { cursor: null, searched: false, tenants: new Map() };

async function find(more) {
  const params = new URLSearchParams({ limit: '50' });
  const fields = { tenant: 'audit-tenant', actor: 'audit-actor', action: 'audit-action', from: 'audit-from',
    to: 'audit-to' };
  for (const [name, id] of Object.entries(fields)) {
    if ($(id).value.trim()) {
      params.set(name, $(id).value.trim());
    }
  }
  if (more && state.cursor) {
    params.set('cursor', state.cursor);
  }
  let answer;
  try {
    answer = await app.call('GET', `/api/audit?${params}`);
  } catch (e) {
    app.failed(e);
    return;
  }
  state.searched = true;
  app.notice(answer.entries.length === 0 && !more ? app.text('nothingFound') : '');
  const body = $('audit-list').tBodies[0];
  if (!more) {
    body.replaceChildren();
  }
  for (const entry of answer.entries) {
    const row = body.insertRow();
    row.dataset.action = entry.action;
    [when(entry.at), entry.tenant ? (state.tenants.get(entry.tenant) || entry.tenant) : app.text('hq'),
      actorText(entry.actor), actionText(entry.action), targetText(entry.action, entry.target || '') + made(entry),
      addressText(entry.address)].forEach((v) => cell(row, v));
    row.insertCell().append(detail(entry));
  }
  state.cursor = answer.nextCursor;
  $('audit-more').hidden = !answer.nextCursor;
}

/** What an addition made, by the code or name in its result (" lee"), since its path ends at the collection. */
function made(entry) {
  if (entry.action !== 'manage.post' || !entry.detail || !entry.detail.startsWith('{')) {
    return '';
  }
  try {
    const result = JSON.parse(entry.detail).result || {};
    const key = result.code || result.username || result.name || result.title;
    return typeof key === 'string' ? ` ${key}` : '';
  } catch (e) {
    return '';
  }
}

/** A console command's actor is "<operator> (console)": the operator, and where it ran in words. */
function actorText(actor) {
  const console = /^(.*) \(console\)$/.exec(actor || '');
  return console ? app.text('actorOnServer', { who: console[1] }) : actor;
}

/** A management change's detail is JSON (route, before, request, result): shown folded, indented. */
function detail(entry) {
  const text = entry.detail;
  if (!text || !text.startsWith('{')) {
    return el('span', detailText(entry.action, text || ''));
  }
  const box = el('details');
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    parsed = text;
  }
  box.append(el('summary', app.text('changeDetail')), el('pre', JSON.stringify(parsed, null, 2)));
  return box;
}

export function relabel() {
  if (state.searched) {
    find(false);
  }
}

/**
 * The tenant's users offered by name as the actor to filter by (what is sent is the username); HQ over
 * all tenants types one.
 */
async function offerActors() {
  const tenant = app.isHq() ? $('audit-tenant').value : app.me.tenant;
  const users = tenant ? await app.call('GET', `/api/tenants/${encodeURIComponent(tenant)}/users`) : [];
  $('audit-actors').replaceChildren(...users.map((u) => {
    const choice = el('option', `${u.name} · ${app.text(u.role)}`);
    choice.value = u.username;
    return choice;
  }));
}

export async function open() {
  const select = $('audit-tenant');
  const tenants = await app.call('GET', '/api/tenants');
  state.tenants = new Map(tenants.map((t) => [t.code, t.name]));
  if (app.isHq() && select.options.length === 0) {
    await fillTenants(select);
    const all = el('option', app.text('allTenants'));
    all.value = '';
    all.dataset.t = 'allTenants';
    select.prepend(all);
    select.value = '';
  } else if (!app.isHq() && select.options.length === 0) {
    option(select, app.me.tenant, state.tenants.get(app.me.tenant) || app.me.tenant);
  }
  await offerActors();
}

export function init() {
  $('audit-form').addEventListener('submit', (event) => {
    event.preventDefault();
    find(false);
  });
  $('audit-more').addEventListener('click', () => find(true));
  $('audit-tenant').addEventListener('change', () => offerActors().catch(app.failed));
}
