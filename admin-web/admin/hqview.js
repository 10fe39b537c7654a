// HQ's view (본사 현황): the dashboard's totals per tenant and for the whole group, and the
// statistics' comparison of centers side by side (service level, abandon rate, handle time, CSAT)
// over a range, for the group or one tenant.
import { $, app, duration, el } from './app.js';
import { dayLabel } from './statsformat.js';

const percent = (value) => (value === null || value === undefined ? '—' : `${Math.round(value * 1000) / 10}%`);

/** The figures every totals strip shows, as [key, label key, value]. */
function figures(totals) {
  return [
    ['centers', 'hqCenters', app.text('hqCount', { n: totals.centers })],
    ['waiting', 'waiting', totals.waiting],
    ['longestWait', 'longestWait', duration(totals.longestWaitSeconds)],
    ['inProgress', 'inProgress', totals.inProgress],
    ['online', 'online', totals.agents.online],
    ['away', 'away', totals.agents.away],
    ['offeredToday', 'offeredToday', totals.today.offered],
    ['abandonedToday', 'boardAbandonedToday', totals.today.abandoned],
    ['serviceLevelToday', 'serviceLevelToday', percent(totals.today.serviceLevel)],
  ];
}

/** A tenant's centers added up, as one line of figures above its cards. */
export function totalsStrip(totals) {
  const dl = el('dl', null, 'totals');
  dl.setAttribute('aria-label', app.text('hqTenantTotals'));
  for (const [key, label, value] of figures(totals)) {
    const dd = el('dd', value);
    dd.dataset.figure = key;
    const item = el('div');
    item.append(el('dt', app.text(label)), dd);
    dl.append(item);
  }
  return dl;
}

/** The whole group's totals, first on HQ's dashboard. */
export function groupBox(group) {
  const box = el('section', null, 'group');
  box.append(el('h3', app.text('hqGroupTotals')), totalsStrip(group));
  return box;
}

const COMPARED = [['offered', (v) => v], ['serviceLevel', percent], ['abandonRate', percent],
  ['avgWaitSeconds', (v) => (v === null ? '—' : String(v))],
  ['avgHandleSeconds', (v) => (v === null ? '—' : String(v))],
  ['csatAvg', (v) => (v === null ? '—' : v.toFixed(2))]];

let lastCompare = null;

/** The comparison's table: a row per center (with its tenant for the group), a bar behind the rates. */
export function renderCompare(report) {
  lastCompare = report;
  $('stats-compare').hidden = false;
  $('stats-compare-range').textContent = app.text('hqCompareRange', { from: dayLabel(report.from),
    to: dayLabel(report.to) });
  const table = $('stats-compare-table');
  const head = el('tr');
  const group = report.scope === '*';
  [...(group ? [app.text('tenantCode')] : []), app.text('center'), ...COMPARED.map(([key]) => app.text(key))]
    .forEach((label) => head.append(el('th', label)));
  table.tHead.replaceChildren(head);
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const c of report.centers) {
    const row = body.insertRow();
    row.dataset.center = `${c.tenant}/${c.code}`;
    if (group) {
      row.append(el('td', c.tenantName));
    }
    row.append(el('td', c.name));
    for (const [key, show] of COMPARED) {
      const value = c.figures[key];
      const td = el('td', show(value));
      td.dataset.figure = key;
      if ((key === 'serviceLevel' || key === 'abandonRate') && value !== null) {
        const bar = el('span', null, key === 'serviceLevel' ? 'meter good' : 'meter bad');
        bar.style.width = `${Math.round(value * 100)}%`;
        td.append(bar);
      }
      row.append(td);
    }
  }
}

/** The group's report per tenant, under the totals: each tenant's figures over the range. */
export function renderTenants(report, keys, format) {
  const section = $('stats-tenants');
  section.hidden = !report.tenants;
  if (!report.tenants) {
    return;
  }
  const table = $('stats-tenants-table');
  const head = el('tr');
  [app.text('tenantCode'), ...keys.map((key) => app.text(key))].forEach((label) => head.append(el('th', label)));
  table.tHead.replaceChildren(head);
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const t of report.tenants) {
    const row = body.insertRow();
    row.dataset.tenant = t.code;
    row.append(el('td', t.name));
    keys.forEach((key) => row.append(el('td', format(key, t.figures[key]))));
  }
}

export function relabelCompare() {
  if (lastCompare) {
    renderCompare(lastCompare);
  }
}
