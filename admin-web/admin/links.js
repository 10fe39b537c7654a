// Customer links (고객 연결): the proposals agents (and bots) made that a channel's customer is one of the
// company's members, for HQ and tenant admins to accept (the customer is linked, and agents' history
// shows the member's conversations from every channel) or reject with a reason. Pending first by default.
import { channelKinds, channelLabel } from '../shared/channels.js';
import { customerLabel } from '../shared/customers.js';
import { $, TOKEN, app, button, cell, el, fillTenants, path, tenantOf, when } from './app.js';

const PAGE = 50;
const state = { offset: 0, rows: [], kinds: new Map() };

const tenant = () => tenantOf($('links-tenant'));
const base = () => `/api/tenants/${path(tenant())}/customers/link-proposals`;

async function list(more) {
  if (!tenant()) {
    return;
  }
  state.offset = more ? state.offset + PAGE : 0;
  let page;
  try {
    state.kinds = await channelKinds(TOKEN, tenant());
    page = await app.call('GET', `${base()}?status=${$('links-status').value}&limit=${PAGE}&offset=${state.offset}`);
  } catch (e) {
    app.failed(e);
    return;
  }
  state.rows = more ? state.rows.concat(page) : page;
  app.notice(state.rows.length === 0 ? app.text('nothingFound') : '');
  render();
  $('links-more').hidden = page.length < PAGE;
}

function render() {
  const body = $('links-list').tBodies[0];
  body.replaceChildren();
  for (const p of state.rows) {
    const row = body.insertRow();
    row.dataset.proposal = p.id;
    row.dataset.externalId = p.externalId;
    [`#${p.conversation}`, when(p.proposedAt), channelLabel(app.text, state.kinds, p.channel),
      `${customerLabel(p.customer, app.text)} (${p.user})`, p.externalId,
      p.note || '', p.proposedBy.kind === 'BOT' ? app.text('proposedByBot', { name: p.proposedBy.name }) : p.proposedBy.name,
      p.linkedBefore || '—'].forEach((v) => cell(row, v));
    const decision = row.insertCell();
    if (p.status === 'PENDING') {
      decision.append(button(app.text('accept'), () => decide(p, 'accept'), 'small primary'),
        button(app.text('reject'), () => askReason(decision, p), 'small'));
    } else {
      decision.textContent = `${app.text(`link${p.status}`)} · ${p.decidedBy ? p.decidedBy.name : ''} · `
        + `${when(p.decidedAt)}${p.reason ? ` · ${p.reason}` : ''}`;
    }
  }
}

/** Rejecting asks why, in the row: the agent who proposed reads the reason. */
function askReason(decision, p) {
  const reason = el('input');
  reason.className = 'reason';
  reason.maxLength = 500;
  reason.placeholder = app.text('rejectReason');
  decision.replaceChildren(reason, button(app.text('reject'), () => decide(p, 'reject', reason.value.trim()),
    'small confirm-reject'), button(app.text('cancel'), render, 'small'));
  reason.focus();
}

async function decide(p, what, reason) {
  try {
    await app.call('POST', `${base()}/${p.id}/${what}`, what === 'reject' ? { reason } : undefined);
    app.notice(app.text(what === 'accept' ? 'linkAccepted' : 'linkRejected', { externalId: p.externalId }));
  } catch (e) {
    app.failed(e);
  }
  const notice = $('notice').textContent;
  await list(false);
  app.notice(notice);
}

export function relabel() {
  if (!$('view-links').hidden) {
    render();
  }
}

export async function open() {
  await fillTenants($('links-tenant'));
  await list(false);
}

export function init() {
  $('links-form').addEventListener('submit', (event) => {
    event.preventDefault();
    list(false);
  });
  $('links-status').addEventListener('change', () => list(false));
  $('links-tenant').addEventListener('change', () => list(false));
  $('links-more').addEventListener('click', () => list(true));
}
