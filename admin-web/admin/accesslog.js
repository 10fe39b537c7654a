// Access records (접속기록) for HQ and tenant admins: who on the staff read whose personal data, when, from where,
// what and why, filtered by staff member, customer, action and period; a period exported as CSV (with a reason,
// itself recorded); and the month's report of unusual access: each staff member's volume (those far above the
// median marked), reads while the center was closed, and bulk exports.
import { $, app, cell, el, fillTenants, localDate, when } from './app.js';
import { downloadWithReason } from './exports.js';

const ACTIONS = ['search', 'search-pii', 'transcript', 'unmask', 'profile', 'history', 'pre-chat', 'download', 'preview',
  'watch', 'export', 'access-log.export', 'link-proposals'];
const FIELDS = ['accesslog-tenant', 'accesslog-staff', 'accesslog-subject', 'accesslog-action', 'accesslog-from',
  'accesslog-to', 'accesslog-month'];
const state = { built: false, cursor: null, searched: false, reported: false };

function labelled(key, control) {
  const label = el('label');
  label.append(el('span', app.text(key)), control);
  return label;
}

function input(id, type, value) {
  const field = el('input');
  field.id = id;
  field.type = type;
  field.value = value || '';
  return field;
}

function table(id, headings) {
  const t = el('table');
  t.id = id;
  const row = t.createTHead().insertRow();
  headings.forEach((key) => row.append(el('th', app.text(key))));
  t.createTBody();
  return t;
}

function build() {
  const view = $('view-accesslog');
  const form = el('form', null, 'filters');
  form.id = 'accesslog-form';
  const tenant = el('select');
  tenant.id = 'accesslog-tenant';
  const tenantLabel = labelled('tenantCode', tenant);
  tenantLabel.hidden = !app.isHq();
  const action = el('select');
  action.id = 'accesslog-action';
  action.append(new Option(app.text('allActions'), ''),
    ...ACTIONS.map((a) => new Option(app.text(`accessAction.${a}`), a)));
  const staff = input('accesslog-staff', 'text');
  staff.maxLength = 100;
  staff.size = 12;
  const subject = input('accesslog-subject', 'text');
  subject.inputMode = 'numeric';
  subject.size = 10;
  const submit = el('button', app.text('find'), 'primary');
  submit.type = 'submit';
  const exportCsv = el('button', app.text('csv'));
  exportCsv.type = 'button';
  exportCsv.id = 'accesslog-export';
  form.append(tenantLabel, labelled('accessStaff', staff), labelled('accessSubject', subject),
    labelled('action', action), labelled('from', input('accesslog-from', 'date', localDate(-30))),
    labelled('to', input('accesslog-to', 'date', localDate())), submit, exportCsv);
  const more = el('button', app.text('more'));
  more.type = 'button';
  more.id = 'accesslog-more';
  more.hidden = true;
  const reportForm = el('form', null, 'filters');
  reportForm.id = 'accesslog-report-form';
  const showReport = el('button', app.text('accessReportShow'), 'primary');
  showReport.type = 'submit';
  reportForm.append(labelled('accessMonth', input('accesslog-month', 'month', localDate().slice(0, 7))), showReport);
  const report = el('section');
  report.id = 'accesslog-report';
  view.replaceChildren(el('h2', app.text('accessLog')), el('p', app.text('accessLogAbout'), 'hint'), form,
    table('accesslog-list', ['when', 'tenantCode', 'accessStaff', 'address', 'action', 'target', 'accessSubject',
      'accessReason']), more, el('h3', app.text('accessReport')), reportForm, report);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    find(false).catch(app.failed);
  });
  more.addEventListener('click', () => find(true).catch(app.failed));
  exportCsv.addEventListener('click', () => {
    const params = scope();
    params.set('from', $('accesslog-from').value);
    params.set('to', $('accesslog-to').value);
    downloadWithReason(`/api/access-log/export?${params}`, 'access-log.csv');
  });
  reportForm.addEventListener('submit', (event) => {
    event.preventDefault();
    showMonth().catch(app.failed);
  });
  state.built = true;
}

/** The tenant asked about: HQ's pick (empty: every tenant), a tenant admin's own (the server knows it). */
function scope() {
  const params = new URLSearchParams();
  if (app.isHq() && $('accesslog-tenant').value) {
    params.set('tenant', $('accesslog-tenant').value);
  }
  return params;
}

function actionText(action) {
  const key = `accessAction.${action}`;
  const text = app.text(key);
  return text === key ? action : text;
}

/** What was read, in the reader's words: the server names it in its own ("attachment 5 of conversation 42"). */
const OBJECTS = [
  [/^conversation (\d+)(: .*)?$/, (m) => app.text('accessObject.conversation', { id: m[1] })],
  [/^(\d+) conversations of tenant \d+$/, (m) => app.text('accessObject.conversations', { n: m[1] })],
  [/^conversations of tenant \d+$/, () => app.text('accessObject.searchPage')],
  [/^attachment (\d+) of conversation (\d+)$/, (m) => app.text('accessObject.attachment', { id: m[1], conversation: m[2] })],
  [/^customer (\d+) of conversation (\d+)$/, (m) => app.text('accessObject.customer', { id: m[1], conversation: m[2] })],
  [/^callback (\d+): phone$/, (m) => app.text('accessObject.callback', { id: m[1] })],
  [/^(\d+) access records of .*, (\S+)\.\.(\S+)$/, (m) => app.text('accessObject.records', { n: m[1], from: m[2], to: m[3] })],
];

function objectText(object) {
  for (const [pattern, text] of OBJECTS) {
    const m = pattern.exec(object);
    if (m) {
      return text(m);
    }
  }
  return object;
}

function recordRow(body, r) {
  const row = body.insertRow();
  row.dataset.action = r.action;
  [when(r.at), r.tenant || app.text('hq'), r.staff, r.address || '', actionText(r.action), objectText(r.object),
    r.subjects.join(', '), r.reason || ''].forEach((v) => cell(row, v));
}

async function find(more) {
  const params = scope();
  params.set('limit', '50');
  const fields = { staff: 'accesslog-staff', subject: 'accesslog-subject', action: 'accesslog-action',
    from: 'accesslog-from', to: 'accesslog-to' };
  for (const [name, id] of Object.entries(fields)) {
    if ($(id).value.trim()) {
      params.set(name, $(id).value.trim());
    }
  }
  if (more && state.cursor) {
    params.set('cursor', state.cursor);
  }
  const answer = await app.call('GET', `/api/access-log?${params}`);
  state.searched = true;
  app.notice(answer.records.length === 0 && !more ? app.text('nothingFound') : '');
  const body = $('accesslog-list').tBodies[0];
  if (!more) {
    body.replaceChildren();
  }
  answer.records.forEach((r) => recordRow(body, r));
  state.cursor = answer.nextCursor;
  $('accesslog-more').hidden = !answer.nextCursor;
}

async function showMonth() {
  const params = scope();
  params.set('month', $('accesslog-month').value);
  const answer = await app.call('GET', `/api/access-log/report?${params}`);
  state.reported = true;
  const staff = table('accesslog-staff-table', ['accessStaff', 'name', 'accessReads', 'accessCustomers',
    'accessOffHours', 'accessFlag']);
  answer.staff.forEach((s) => {
    const row = staff.tBodies[0].insertRow();
    row.dataset.staff = s.staff;
    if (s.farAboveMedian) {
      row.className = 'flagged';
    }
    [s.staff, s.name || '', s.reads, s.subjects, s.offHours,
      s.farAboveMedian ? app.text('accessFarAbove', { factor: answer.farAboveFactor }) : ''].forEach((v) => cell(row, v));
  });
  const offHours = table('accesslog-offhours', ['when', 'accessStaff', 'action', 'target', 'address']);
  answer.offHours.forEach((r) => {
    const row = offHours.tBodies[0].insertRow();
    [when(r.at), r.staff, actionText(r.action), objectText(r.object), r.address || ''].forEach((v) => cell(row, v));
  });
  const bulk = table('accesslog-bulk', ['when', 'accessStaff', 'action', 'accessCustomers', 'accessReason']);
  answer.bulkExports.forEach((r) => {
    const row = bulk.tBodies[0].insertRow();
    [when(r.at), r.staff, actionText(r.action), r.subjects.length, r.reason || ''].forEach((v) => cell(row, v));
  });
  $('accesslog-report').replaceChildren(
    el('p', app.text('accessReportSummary', { records: answer.records, median: answer.median })),
    el('h4', app.text('accessVolume')), staff,
    el('h4', app.text('accessOffHoursTitle')), answer.offHours.length ? offHours : el('p', app.text('accessNone')),
    el('h4', app.text('accessBulkTitle', { n: answer.bulkExportSubjects })),
    answer.bulkExports.length ? bulk : el('p', app.text('accessNone')));
}

export function relabel() {
  if (!state.built) {
    return;
  }
  const values = FIELDS.map((id) => $(id).value);
  const { searched, reported } = state;
  state.built = false;
  open().then(() => {
    FIELDS.forEach((id, i) => { $(id).value = values[i]; });
    if (searched) {
      find(false).catch(app.failed);
    }
    if (reported) {
      showMonth().catch(app.failed);
    }
  }).catch(app.failed);
}

export async function open() {
  if (!state.built) {
    build();
    if (app.isHq()) {
      await fillTenants($('accesslog-tenant'));
      $('accesslog-tenant').prepend(new Option(app.text('allTenants'), ''));
      $('accesslog-tenant').value = '';
    }
  }
}

export function init() {}
