// Statistics (통계): a tenant's, a center's or a queue's figures per day or hour, as tiles, a chart
// (chart.js from its WebJar) and a table, and the same as a CSV file for Excel; then each agent's
// time in each status and away reason (이석 사유) over the same days, for the tenant or center; below them
// the bot's figures (챗봇 통계) of the same scope and range, per scenario, channel and FAQ entry.
import { fetchFile } from '../shared/console.js';
import { $, TOKEN, app, channelFilters, duration, el, fillCenters, fillChannels, fillQueues, fillTenants, localDate,
  option, tenantOf } from './app.js';
import { relabelCompare, renderCompare, renderTenants } from './hqview.js';
import { heatmap, hourLabel, hourOfDay, intervalLabel, manyDays } from './statsformat.js';

/** The tenant picker's value for the whole group (HQ only): every tenant's figures as one. */
const GROUP = '*';

const FIGURES = ['offered', 'handled', 'abandoned', 'abandonRate', 'serviceLevel', 'avgWaitSeconds', 'p90WaitSeconds',
  'avgHandleSeconds', 'avgFirstResponseSeconds', 'transfers', 'csatAvg', 'csatResponses'];
const RATES = new Set(['abandonRate', 'serviceLevel', 'containmentRate', 'handOffRate', 'faqHitRate', 'helpfulRate']);
const BOT_FIGURES = ['conversations', 'contained', 'endedByBot', 'inquiries', 'leftWithBot', 'handedOff',
  'containmentRate', 'handOffRate', 'faqQuestions', 'faqAnswered', 'faqSuggested', 'faqChosen', 'faqHits',
  'faqHitRate', 'helpful', 'unhelpful', 'helpfulRate'];
/** The figures of the per-scenario and per-channel tables: the tiles' headline ones. */
const BOT_COLUMNS = ['conversations', 'contained', 'handedOff', 'containmentRate', 'handOffRate', 'faqQuestions',
  'faqHits', 'faqHitRate', 'helpful', 'unhelpful'];

let chart = null;
let last = null;
let lastBot = null;
let lastAgents = null;

/** A bot figure's label: botConversations for conversations, and so on. */
function botText(key) {
  return app.text(`bot${key[0].toUpperCase()}${key.slice(1)}`);
}

function format(key, value) {
  if (value === null || value === undefined) {
    return '—';
  }
  return RATES.has(key) ? `${Math.round(value * 1000) / 10}%` : String(value);
}

/** The report's address; with bot, the bot's report, which has no agent filter. */
function query(format, bot) {
  const tenant = tenantOf($('stats-tenant'));
  const scope = tenant === GROUP ? GROUP : [tenant, $('stats-center').value,
    $('stats-center').value && $('stats-queue').value].filter(Boolean).join('/');
  const params = new URLSearchParams({ scope, from: $('stats-from').value, to: $('stats-to').value,
    interval: $('stats-interval').value });
  if ($('stats-agent').value.trim() && !bot) {
    params.set('agent', $('stats-agent').value.trim());
  }
  channelFilters(params, $('stats-channel'), $('stats-kind'));
  if (format) {
    params.set('format', format);
  }
  return `${bot ? '/api/stats/bot' : '/api/stats'}?${params}`;
}

function isGroup() {
  return tenantOf($('stats-tenant')) === GROUP;
}

/** The group's report alone: the bot's and the agents' figures are per tenant. */
async function showGroup() {
  try {
    render(await app.call('GET', query()));
  } catch (e) {
    app.failed(e);
    return;
  }
  app.notice('');
  lastBot = null;
  lastAgents = null;
  $('stats-bot').hidden = true;
  for (const id of ['stats-agents-title', 'stats-agents-csv']) {
    $(id).hidden = true;
  }
  $('stats-agents').tHead.replaceChildren();
  $('stats-agents').tBodies[0].replaceChildren();
}

/** The centers of the chosen tenant (or of every tenant, for the group) side by side over the range. */
async function compare() {
  const params = new URLSearchParams({ scope: tenantOf($('stats-tenant')), from: $('stats-from').value,
    to: $('stats-to').value });
  try {
    renderCompare(await app.call('GET', `/api/stats/compare?${params}`));
    app.notice('');
  } catch (e) {
    app.failed(e);
  }
}

async function show(event) {
  event.preventDefault();
  if (!$('stats-compare').hidden) {
    compare(); // the comparison shown is of the range shown
  }
  if (isGroup()) {
    await showGroup();
    return;
  }
  let report;
  let bot;
  try {
    [report, bot] = await Promise.all([app.call('GET', query()), app.call('GET', query(undefined, true))]);
  } catch (e) {
    app.failed(e);
    return;
  }
  app.notice('');
  render(report);
  renderBot(bot);
  try {
    renderAgents(await app.call('GET', agentQuery()));
  } catch (e) {
    app.failed(e);
  }
}

/** Tiles of every figure, then scenarios, channels and FAQ entries; with an agent filter, a note that it is none. */
function renderBot(report) {
  lastBot = report;
  const perAgent = Boolean($('stats-agent').value.trim());
  $('stats-bot').hidden = false;
  $('stats-bot-note').hidden = !perAgent;
  const total = $('stats-bot-total');
  total.replaceChildren();
  for (const key of BOT_FIGURES) {
    const dd = el('dd', format(key, report.total[key]));
    dd.dataset.figure = key;
    const tile = el('div');
    tile.append(el('dt', botText(key)), dd);
    total.append(tile);
  }
  table($('stats-bot-scenarios'), [app.text('botScenario'), ...BOT_COLUMNS.map(botText)],
    report.scenarios.map((s) => [s.name, ...BOT_COLUMNS.map((key) => format(key, s.figures[key]))]));
  table($('stats-bot-channels'), [app.text('botChannel'), ...BOT_COLUMNS.map(botText)],
    report.channels.map((c) => [c.kind ? `${app.text(`channel${c.kind}`)} (${c.channel})` : c.channel,
      ...BOT_COLUMNS.map((key) => format(key, c.figures[key]))]));
  table($('stats-bot-faq'), [app.text('botFaqEntry'), app.text('botAnswered'), botText('helpful'),
    botText('unhelpful')], report.faq.map((f) => [f.question === null ? app.text('botDeletedEntry', { id: f.id })
    : f.question, f.answered, f.helpful, f.unhelpful]));
}

function table(node, headers, rows) {
  const head = node.tHead.insertRow();
  node.tHead.replaceChildren(head);
  headers.forEach((label) => head.append(el('th', label)));
  const body = node.tBodies[0];
  body.replaceChildren();
  for (const cells of rows) {
    const row = body.insertRow();
    cells.forEach((cell) => row.append(el('td', cell)));
  }
}

/** The agents' status times: per center at most (a queue chosen counts its center's agents). */
function agentQuery(format) {
  const scope = [tenantOf($('stats-tenant')), $('stats-center').value].filter(Boolean).join('/');
  const params = new URLSearchParams({ scope, from: $('stats-from').value, to: $('stats-to').value });
  if (format) {
    params.set('format', format);
  }
  return `/api/stats/agent-status?${params}`;
}

function renderAgents(report) {
  lastAgents = report;
  $('stats-agents-title').hidden = false;
  $('stats-agents-csv').hidden = false;
  const table = $('stats-agents');
  const head = el('tr');
  const name = (r) => (app.lang === 'en' && r.nameEn ? r.nameEn : r.name);
  [app.text('agent'), app.text('center'), app.text('ONLINE'), app.text('AWAY'),
    ...report.reasons.map((r) => app.text('awayWith', { reason: name(r) })), app.text('awayNoReason'),
    app.text('OFFLINE')].forEach((label) => head.append(el('th', label)));
  table.tHead.replaceChildren(head);
  const body = table.tBodies[0];
  body.replaceChildren();
  // The report names centers by code; the form's center picker knows their names.
  const centers = new Map([...$('stats-center').options].map((o) => [o.value, o.text]));
  for (const a of report.agents) {
    const row = body.insertRow();
    row.dataset.agent = a.username;
    [`${a.name} (${a.username})`, a.center ? centers.get(a.center) || a.center : '—', duration(a.onlineSeconds), duration(a.awaySeconds),
      ...report.reasons.map((r) => duration(a.awayByReason[r.code] || 0)), duration(a.awayWithoutReasonSeconds),
      duration(a.offlineSeconds)].forEach((v) => row.append(el('td', v)));
  }
}

function render(report) {
  last = report;
  const total = $('stats-total');
  total.replaceChildren();
  for (const key of FIGURES) {
    const dd = el('dd', format(key, report.total[key]));
    dd.dataset.figure = key;
    const tile = el('div');
    tile.append(el('dt', app.text(key)), dd);
    total.append(tile);
  }
  const table = $('stats-table');
  const head = table.tHead.insertRow();
  table.tHead.replaceChildren(head);
  [app.text('interval'), ...FIGURES.map((key) => app.text(key))].forEach((label) => head.append(el('th', label)));
  const body = table.tBodies[0];
  body.replaceChildren();
  table.classList.toggle('heatmap', manyDays(report));
  renderTenants(report, FIGURES, format);
  if (manyDays(report)) {
    heatmap(table, report);
    draw(report);
    return;
  }
  for (const interval of report.intervals) {
    const row = body.insertRow();
    row.dataset.start = interval.start;
    row.append(el('td', intervalLabel(report, interval.start)));
    FIGURES.forEach((key) => row.append(el('td', format(key, interval.figures[key]))));
  }
  draw(report);
}

function draw(report) {
  if (!window.Chart) {
    return;
  }
  // An hourly report of many days is drawn as its hour-of-day totals: 24 bars, not one per hour.
  const points = manyDays(report) ? hourOfDay(report).map((h) => ({ label: hourLabel(h.hour), figures: h }))
    : report.intervals.map((i) => ({ label: intervalLabel(report, i.start), figures: i.figures }));
  const series = (key) => points.map((p) => p.figures[key]);
  const data = {
    labels: points.map((p) => p.label),
    datasets: [
      { type: 'bar', label: app.text('handled'), data: series('handled'), backgroundColor: '#17305f', stack: 'c' },
      { type: 'bar', label: app.text('abandoned'), data: series('abandoned'), backgroundColor: '#e5484d', stack: 'c' },
      { type: 'line', label: app.text('serviceLevel'), yAxisID: 'rate', borderColor: '#2f9e44',
        data: points.map((p) => (p.figures.serviceLevel === null ? null : p.figures.serviceLevel * 100)) },
    ],
  };
  if (chart) {
    chart.destroy();
  }
  chart = new window.Chart($('stats-chart'), {
    data,
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: { title: { display: manyDays(report), text: app.text('statsHourOfDayChart') } },
      // Counts are whole conversations: ticks step by one at least, never by 0.1.
      scales: { y: { stacked: true, beginAtZero: true, ticks: { precision: 0 },
        title: { display: true, text: app.text('offered') } },
        x: { stacked: true },
        rate: { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false },
          title: { display: true, text: `${app.text('serviceLevel')} %` } } },
    },
  });
}

/** The CSV comes with the token, so it is fetched and handed to the browser as a file. */
async function download(url) {
  try {
    const response = await fetchFile(TOKEN, url);
    const disposition = response.headers.get('Content-Disposition') || '';
    const name = (disposition.match(/filename="([^"]+)"/) || [])[1] || 'statistics.csv';
    const link = el('a');
    link.href = URL.createObjectURL(await response.blob());
    link.download = name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    app.notice(app.text('downloaded', { name }));
  } catch (e) {
    app.failed(e);
  }
}

async function scopeChanged() {
  const group = isGroup();
  for (const id of ['stats-center', 'stats-queue', 'stats-channel', 'stats-agent']) {
    $(id).disabled = group || (id === 'stats-center' && app.isManager());
  }
  if (group) {
    $('stats-channel').value = '';
    $('stats-agent').value = '';
    return;
  }
  try {
    await fillCenters($('stats-center'), tenantOf($('stats-tenant')), true);
    await fillQueues($('stats-queue'), tenantOf($('stats-tenant')), $('stats-center').value);
    await fillChannels($('stats-channel'), tenantOf($('stats-tenant')));
  } catch (e) {
    app.failed(e);
  }
}

export function relabel() {
  if (last) {
    render(last);
  }
  if (lastBot) {
    renderBot(lastBot);
  }
  if (lastAgents) {
    renderAgents(lastAgents);
  }
  relabelCompare();
  // The pickers' "all" choices were written in the language of the moment they were filled.
  for (const [id, key] of [['stats-center', 'allCenters'], ['stats-queue', 'allQueues'], ['stats-channel', 'allChannels']]) {
    const all = [...$(id).options].find((o) => o.value === '');
    if (all) {
      all.textContent = app.text(key);
    }
  }
  if ($('stats-tenant').options.length && $('stats-tenant').options[0].value === GROUP) {
    $('stats-tenant').options[0].textContent = app.text('hqWholeGroup');
  }
}

export async function open() {
  if (!$('stats-from').value) {
    $('stats-from').value = localDate(-6);
    $('stats-to').value = localDate();
  }
  if ($('stats-center').options.length === 0 && !isGroup()) {
    await fillTenants($('stats-tenant'));
    if (app.isHq()) {
      option($('stats-tenant'), GROUP, app.text('hqWholeGroup'));
      $('stats-tenant').prepend($('stats-tenant').lastChild);
      $('stats-tenant').selectedIndex = 1;
    }
    await scopeChanged();
  }
}

export function init() {
  $('stats-form').addEventListener('submit', show);
  $('stats-csv').addEventListener('click', () => download(query('csv')));
  $('stats-bot-csv').addEventListener('click', () => download(query('csv', true)));
  $('stats-agents-csv').addEventListener('click', () => download(agentQuery('csv')));
  $('stats-compare-button').addEventListener('click', compare);
  $('stats-tenant').addEventListener('change', scopeChanged);
  $('stats-center').addEventListener('change', () => fillQueues($('stats-queue'), tenantOf($('stats-tenant')),
    $('stats-center').value).catch(app.failed));
}
