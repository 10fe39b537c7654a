// The tenant's external bots (외부 챗봇, the AICC plug) on the 챗봇 screen: list, add, change, and rotate the
// signing secret and reply token, which the server shows only when it issues them, so they are shown here
// once, in a panel the admin closes. Admins only (managers get 403 and never see the section).
import { $, app, button, cell, path, tenantOf, when } from './app.js';
import { may } from './roles.js';

const state = { endpoints: [], editing: null };

const tenant = () => tenantOf($('bot-tenant'));
const base = () => `/api/tenants/${path(tenant())}/bot-endpoints`;
const mayEdit = () => may('manage.settings');

function render() {
  const body = $('bot-endpoints').tBodies[0];
  body.replaceChildren();
  for (const e of state.endpoints) {
    const row = body.insertRow();
    row.dataset.endpoint = e.code;
    cell(row, e.code);
    cell(row, e.name);
    cell(row, e.url);
    cell(row, app.text('endpointTimes', { timeout: e.timeoutSeconds, within: e.replyWithinSeconds }));
    cell(row, app.text(e.enabled ? 'yes' : 'no'));
    cell(row, when(e.createdAt));
    row.insertCell().append(button(app.text('edit'), () => edit(e), 'small'),
      button(app.text('rotateCredentials'), () => rotate(e), 'small'));
  }
}

function edit(e) {
  state.editing = e || null;
  $('bot-endpoint-form').hidden = false;
  $('bot-endpoint-title').textContent = e ? app.text('endpointTitleEdit', { code: e.code })
    : app.text('endpointTitleAdd');
  $('bot-endpoint-code').value = e ? e.code : '';
  $('bot-endpoint-code').disabled = Boolean(e);
  $('bot-endpoint-name').value = e ? e.name : '';
  $('bot-endpoint-url').value = e ? e.url : '';
  $('bot-endpoint-timeout').value = e ? e.timeoutSeconds : 5;
  $('bot-endpoint-within').value = e ? e.replyWithinSeconds : 60;
  $('bot-endpoint-enabled').checked = e ? e.enabled : true;
  $('bot-endpoint-name').focus();
}

/** The secret and token just issued: shown this once. */
function showIssued(e) {
  $('bot-endpoint-issued').hidden = false;
  $('bot-endpoint-issued-code').textContent = e.code;
  $('bot-endpoint-secret').value = e.secret;
  $('bot-endpoint-token').value = e.token;
}

async function reload() {
  state.endpoints = await app.call('GET', base());
  render();
}

async function save(event) {
  event.preventDefault();
  const body = {
    name: $('bot-endpoint-name').value.trim(),
    url: $('bot-endpoint-url').value.trim(),
    timeoutSeconds: Number($('bot-endpoint-timeout').value),
    replyWithinSeconds: Number($('bot-endpoint-within').value),
    enabled: $('bot-endpoint-enabled').checked,
  };
  try {
    if (state.editing) {
      await app.call('PUT', `${base()}/${path(state.editing.code)}`, body);
      app.notice(app.text('saved'));
    } else {
      showIssued(await app.call('POST', base(), { code: $('bot-endpoint-code').value.trim(), ...body }));
    }
    $('bot-endpoint-form').hidden = true;
    await reload();
  } catch (e) {
    app.failed(e);
  }
}

async function rotate(e) {
  if (!window.confirm(app.text('rotateConfirm', { code: e.code }))) {
    return;
  }
  try {
    showIssued(await app.call('POST', `${base()}/${path(e.code)}/rotate`));
  } catch (failure) {
    app.failed(failure);
  }
}

export async function openEndpoints() {
  $('bot-endpoint-form').hidden = true;
  $('bot-endpoint-issued').hidden = true;
  if (!mayEdit() || !tenant()) {
    return;
  }
  try {
    await reload();
  } catch (e) {
    app.failed(e);
  }
}

export function initEndpoints() {
  $('bot-new-endpoint').addEventListener('click', () => edit(null));
  $('bot-endpoint-form').addEventListener('submit', save);
  $('bot-endpoint-cancel').addEventListener('click', () => {
    $('bot-endpoint-form').hidden = true;
  });
  $('bot-endpoint-issued-close').addEventListener('click', () => {
    $('bot-endpoint-secret').value = '';
    $('bot-endpoint-token').value = '';
    $('bot-endpoint-issued').hidden = true;
  });
}

export function relabelEndpoints() {
  if (!$('view-bot').hidden && mayEdit()) {
    render();
  }
}
