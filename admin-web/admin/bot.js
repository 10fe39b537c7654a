// The bot (챗봇): the tenant's scenarios, edited as JSON and checked by the server before a save (each
// problem shown with the node it is in), their versions, where each greets (a center, a queue or a
// channel), and the FAQ with a box to try a customer's question on it. Managers read and try; tenant
// admins and HQ change. Every text from the network goes in as text.
import { sendContent } from '../shared/console.js';
import { $, TOKEN, app, button, cell, el, fillTenants, option, path, tenantOf, when } from './app.js';
import { initEndpoints, openEndpoints, relabelEndpoints } from './botendpoints.js';
import { centerName, queueName, readDirectory } from './pickers.js';
import { may } from './roles.js';
import { kindLabel } from '../shared/channels.js';

const state = { scenarios: [], entries: [], faq: [], centers: [], channels: [], editing: null, faqEditing: null,
  directory: { centers: [], queues: new Map() } };

const tenant = () => tenantOf($('bot-tenant'));
const base = () => `/api/tenants/${path(tenant())}`;
const mayEdit = () => may('manage.settings');

/**
 * Sends the editor's text as it is, so the scenario is kept as the admin wrote it (app.call would send
 * it re-serialized); a refusal carries the server's answer, with a refused scenario's problems.
 */
function sendText(method, url, text) {
  return sendContent(TOKEN, method, url, text, 'application/json');
}

async function load() {
  if (!tenant()) {
    return;
  }
  state.firstQueue = null;
  try {
    [state.scenarios, state.entries, state.faq, state.directory] = await Promise.all([
      app.call('GET', `${base()}/scenarios`), app.call('GET', `${base()}/scenario-entries`),
      app.call('GET', `${base()}/faq`), readDirectory(tenant())]);
    if (mayEdit()) {
      [state.centers, state.channels] = await Promise.all([app.call('GET', `${base()}/centers`),
        app.call('GET', `${base()}/channels`)]);
    }
  } catch (e) {
    app.failed(e);
    return;
  }
  render();
  fillEntryForm();
}

function render() {
  renderScenarios();
  renderEntries();
  renderFaq();
}

// --- scenarios

function renderScenarios() {
  const body = $('bot-scenarios').tBodies[0];
  body.replaceChildren();
  for (const s of state.scenarios) {
    const row = body.insertRow();
    row.dataset.scenario = s.id;
    [s.id, s.name, s.version, when(s.updatedAt)].forEach((v) => cell(row, v));
    const actions = row.insertCell();
    actions.append(button(app.text(mayEdit() ? 'edit' : 'show'), () => edit(s.id), 'small'));
    if (mayEdit()) {
      const remove = button(app.text('delete'), () => deleteScenario(s), 'small');
      remove.dataset.action = 'delete';
      actions.append(remove);
    }
  }
}

/** Refused (409, its message naming them) while an entry greets with it; conversations on it go on. */
async function deleteScenario(s) {
  try {
    await app.call('DELETE', `${base()}/scenarios/${s.id}`);
    app.notice(app.text('scenarioDeleted'));
    if (state.editing && state.editing.id === s.id) {
      $('bot-editor').hidden = true;
      state.editing = null;
    }
    state.scenarios = await app.call('GET', `${base()}/scenarios`);
    renderScenarios();
    fillScenarioChoices();
  } catch (e) {
    // Refused while it greets somewhere: the places are in the table below, in words.
    app.notice(e.code === 'conflict' ? app.text('scenarioInUse', { name: s.name }) : app.problem(e));
  }
}

async function edit(id) {
  let scenario;
  try {
    scenario = await app.call('GET', `${base()}/scenarios/${id}`);
  } catch (e) {
    app.failed(e);
    return;
  }
  state.editing = { id, name: scenario.name, version: scenario.version };
  $('bot-json').value = JSON.stringify(scenario.scenario, null, 2);
  showEditor();
  await versions();
}

function newScenario() {
  state.editing = null;
  const queue = firstQueue();
  $('bot-json').value = JSON.stringify({
    name: app.text('newScenarioTitle'), start: 'greeting',
    fallback: { text: '죄송해요, 상담원을 연결해 드릴게요.', next: 'to-agent' },
    nodes: [{ id: 'greeting', type: 'message', text: '안녕하세요! 무엇을 도와드릴까요?', next: 'to-agent' },
      { id: 'to-agent', type: 'handoff', text: '상담원에게 연결해 드릴게요.', queue }],
  }, null, 2);
  showEditor();
  $('bot-versions').tBodies[0].replaceChildren();
}

/** A queue of the tenant for a new scenario's hand-off, so the first one validates. */
function firstQueue() {
  return state.firstQueue || 'general';
}

function showEditor() {
  $('bot-editor').hidden = false;
  $('bot-problems').replaceChildren();
  $('bot-editor-title').textContent = state.editing
    ? app.text('scenarioTitle', { name: state.editing.name, id: state.editing.id, version: state.editing.version })
    : app.text('newScenarioTitle');
  $('bot-json').readOnly = !mayEdit();
}

async function versions() {
  const body = $('bot-versions').tBodies[0];
  body.replaceChildren();
  const list = await app.call('GET', `${base()}/scenarios/${state.editing.id}/versions`);
  for (const v of list) {
    const row = body.insertRow();
    row.dataset.version = v.version;
    [v.version, v.savedBy || '—', when(v.savedAt)].forEach((x) => cell(row, x));
    row.insertCell().append(button(app.text('load'), () => loadVersion(v.version), 'small'));
  }
}

async function loadVersion(version) {
  try {
    const v = await app.call('GET', `${base()}/scenarios/${state.editing.id}/versions/${version}`);
    $('bot-json').value = JSON.stringify(v.scenario, null, 2);
    $('bot-problems').replaceChildren();
    app.notice(app.text('versionLoaded', { version }));
  } catch (e) {
    app.failed(e);
  }
}

/** The editor's text if it is JSON; otherwise the reason is shown and null returned. */
function editorText() {
  const text = $('bot-json').value;
  try {
    JSON.parse(text);
    return text;
  } catch (e) {
    showProblems([], app.text('notJson', { reason: e.message }));
    return null;
  }
}

function showProblems(problems, message) {
  const list = $('bot-problems');
  list.replaceChildren();
  if (message) {
    list.append(el('li', message));
  }
  if (!message && problems.length === 0) {
    list.append(el('li', app.text('scenarioValid'), 'ok'));
  }
  for (const p of problems) {
    const item = el('li');
    item.dataset.node = p.node || '';
    item.append(el('span', p.node ? `${p.node}` : 'scenario', 'node'),
      document.createTextNode(` · ${p.field || ''} — ${p.message}`));
    list.append(item);
  }
  list.scrollIntoView({ block: 'nearest' });
}

async function validate() {
  const text = editorText();
  if (text === null) {
    return;
  }
  try {
    const query = state.editing ? `?scenario=${state.editing.id}` : '';
    const answer = await sendText('POST', `${base()}/scenarios/validate${query}`, text);
    showProblems(answer.problems);
    app.notice(answer.valid ? app.text('scenarioValid') : app.text('scenarioProblems', { n: answer.problems.length }));
  } catch (e) {
    showProblems(e.problems || [], e.problems && e.problems.length ? null : app.problem(e));
  }
}

async function save() {
  const text = editorText();
  if (text === null) {
    return;
  }
  try {
    const saved = state.editing
      ? await sendText('PUT', `${base()}/scenarios/${state.editing.id}`, text)
      : await sendText('POST', `${base()}/scenarios`, text);
    state.editing = { id: saved.id, name: saved.name, version: saved.version };
    showEditor();
    showProblems([]);
    app.notice(app.text('scenarioSaved', { version: saved.version }));
    await versions();
    state.scenarios = await app.call('GET', `${base()}/scenarios`);
    state.entries = await app.call('GET', `${base()}/scenario-entries`);
    render();
    fillScenarioChoices();
  } catch (e) {
    showProblems(e.problems || [], e.problems && e.problems.length ? null : app.problem(e));
    app.failed(e);
  }
}

// --- entries

function placeOf(e) {
  if (e.level === 'channel') {
    return { channel: e.channel };
  }
  return e.queue ? { center: e.center, queue: e.queue } : { center: e.center };
}

/** Where an entry greets, by name: a center, "center · queue", or a channel by its kind (a custom one by code). */
function placeName(e) {
  if (e.level === 'channel') {
    const channel = state.channels.find((c) => c.code === e.channel);
    return kindLabel(app.text, channel ? channel.kind : null, e.channel);
  }
  const center = centerName(state.directory, e.center);
  return e.queue ? `${center} · ${queueName(state.directory, e.center, e.queue)}` : center;
}

function renderEntries() {
  const body = $('bot-entries').tBodies[0];
  body.replaceChildren();
  for (const e of state.entries) {
    const row = body.insertRow();
    row.dataset.place = e.level === 'channel' ? e.channel : e.queue ? `${e.center} / ${e.queue}` : e.center;
    cell(row, `${app.text(`level${e.level}`)}: ${placeName(e)}`);
    cell(row, e.scenario ? `${e.scenario.name} (v${e.scenario.version})` : app.text('noBot'));
    cell(row, when(e.setAt));
    const actions = row.insertCell();
    if (mayEdit()) {
      actions.append(button(app.text('remove'), () => removeEntry(e), 'small'));
    }
  }
}

async function removeEntry(e) {
  try {
    await app.call('DELETE', `${base()}/scenario-entries`, placeOf(e));
    app.notice(app.text('entryRemoved'));
    state.entries = await app.call('GET', `${base()}/scenario-entries`);
    renderEntries();
  } catch (err) {
    app.failed(err);
  }
}

async function fillEntryForm() {
  if (!mayEdit()) {
    return;
  }
  const centers = $('bot-entry-center');
  centers.replaceChildren();
  state.centers.forEach((c) => option(centers, c.code, c.name));
  await fillQueueChoices();
  const channels = $('bot-entry-channel');
  channels.replaceChildren();
  option(channels, '', app.text('noChannel'));
  state.channels.forEach((c) => option(channels, c.code, kindLabel(app.text, c.kind, c.code)));
  fillScenarioChoices();
}

async function fillQueueChoices() {
  const queues = $('bot-entry-queue');
  queues.replaceChildren();
  option(queues, '', app.text('wholeCenter'));
  const center = $('bot-entry-center').value;
  if (center) {
    const list = await app.call('GET', `${base()}/centers/${path(center)}/queues`);
    list.forEach((q) => option(queues, q.code, q.name));
    if (list.length > 0 && !state.firstQueue) {
      state.firstQueue = list[0].code;
    }
  }
}

function fillScenarioChoices() {
  const select = $('bot-entry-scenario');
  const previous = select.value;
  select.replaceChildren();
  state.scenarios.forEach((s) => option(select, s.id, `${s.name} (#${s.id})`));
  option(select, 'none', app.text('noBot'));
  if (previous && [...select.options].some((o) => o.value === previous)) {
    select.value = previous;
  }
}

async function setEntry(event) {
  event.preventDefault();
  const channel = $('bot-entry-channel').value;
  const body = channel ? { channel } : { center: $('bot-entry-center').value };
  if (!channel && $('bot-entry-queue').value) {
    body.queue = $('bot-entry-queue').value;
  }
  const scenario = $('bot-entry-scenario').value;
  body.scenario = scenario === 'none' ? null : Number(scenario);
  try {
    await sendText('PUT', `${base()}/scenario-entries`, JSON.stringify(body));
    app.notice(app.text('entrySet'));
    state.entries = await app.call('GET', `${base()}/scenario-entries`);
    renderEntries();
  } catch (e) {
    app.failed(e);
  }
}

// --- FAQ

function renderFaq() {
  const body = $('bot-faq').tBodies[0];
  body.replaceChildren();
  for (const f of state.faq) {
    const row = body.insertRow();
    row.dataset.faq = f.id;
    cell(row, f.question);
    cell(row, f.alternatives.join(' · '));
    cell(row, f.answer);
    cell(row, app.text(f.enabled ? 'yes' : 'no'));
    const actions = row.insertCell();
    if (mayEdit()) {
      actions.append(button(app.text('edit'), () => editFaq(f), 'small'),
        button(app.text('delete'), () => deleteFaq(f), 'small'));
    }
  }
}

function editFaq(f) {
  state.faqEditing = f || null;
  $('bot-faq-form').hidden = false;
  $('bot-faq-title').textContent = f ? app.text('faqTitleEdit', { id: f.id }) : app.text('faqTitleAdd');
  $('bot-faq-question').value = f ? f.question : '';
  $('bot-faq-alternatives').value = f ? f.alternatives.join('\n') : '';
  $('bot-faq-answer').value = f ? f.answer : '';
  $('bot-faq-enabled').checked = f ? f.enabled : true;
  $('bot-faq-question').focus();
}

async function saveFaq(event) {
  event.preventDefault();
  const body = {
    question: $('bot-faq-question').value.trim(),
    alternatives: $('bot-faq-alternatives').value.split('\n').map((a) => a.trim()).filter((a) => a),
    answer: $('bot-faq-answer').value.trim(),
    enabled: $('bot-faq-enabled').checked,
  };
  try {
    if (state.faqEditing) {
      await app.call('PUT', `${base()}/faq/${state.faqEditing.id}`, body);
    } else {
      await app.call('POST', `${base()}/faq`, body);
    }
    $('bot-faq-form').hidden = true;
    app.notice(app.text('saved'));
    state.faq = await app.call('GET', `${base()}/faq`);
    renderFaq();
  } catch (e) {
    app.failed(e);
  }
}

async function deleteFaq(f) {
  try {
    await app.call('DELETE', `${base()}/faq/${f.id}`);
    app.notice(app.text('faqDeleted'));
    state.faq = await app.call('GET', `${base()}/faq`);
    renderFaq();
  } catch (e) {
    app.failed(e);
  }
}

async function tryQuestion(event) {
  event.preventDefault();
  const text = $('bot-try-text').value.trim();
  if (!text) {
    return;
  }
  let answer;
  try {
    answer = await app.call('POST', `${base()}/faq/try`, { text });
  } catch (e) {
    app.failed(e);
    return;
  }
  const result = $('bot-try-result');
  result.hidden = false;
  result.dataset.verdict = answer.verdict;
  const first = answer.candidates[0];
  const heading = el('p', app.text(`verdict${answer.verdict}`, { question: first ? first.question : '' }), 'verdict');
  const list = el('ol');
  for (const c of answer.candidates) {
    const item = el('li', `${c.question} — ${app.text('score', { score: c.score.toFixed(2) })}`);
    item.title = c.answer;
    list.append(item);
  }
  result.replaceChildren(heading, list);
  if (answer.verdict === 'confident') {
    result.append(el('p', first.answer, 'muted'));
  }
}

export function relabel() {
  $('bot-try-text').placeholder = app.text('tryPlaceholder');
  if (!$('view-bot').hidden) {
    render();
  }
  relabelEndpoints();
}

export async function open() {
  await fillTenants($('bot-tenant'));
  $('bot-editor').hidden = true;
  $('bot-faq-form').hidden = true;
  $('bot-try-result').hidden = true;
  await Promise.all([load(), openEndpoints()]);
}

export function init() {
  $('bot-tenant').addEventListener('change', () => open().catch(app.failed));
  $('bot-new-scenario').addEventListener('click', newScenario);
  $('bot-editor-close').addEventListener('click', () => {
    $('bot-editor').hidden = true;
  });
  $('bot-validate').addEventListener('click', validate);
  $('bot-save').addEventListener('click', save);
  $('bot-entry-center').addEventListener('change', () => fillQueueChoices().catch(app.failed));
  $('bot-entry-form').addEventListener('submit', setEntry);
  initEndpoints();
  $('bot-new-faq').addEventListener('click', () => editFaq(null));
  $('bot-faq-form').addEventListener('submit', saveFaq);
  $('bot-faq-cancel').addEventListener('click', () => {
    $('bot-faq-form').hidden = true;
  });
  $('bot-try-form').addEventListener('submit', tryQuestion);
}
