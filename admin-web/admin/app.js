// What the admin console's screens share: the signed-in user, strings, the REST API, the console
// socket, and the pickers for tenant, center and queue that every screen's filters use.
import { channelKinds, channelLabel } from '../shared/channels.js';
import { api } from '../shared/console.js';
import { $, el } from '../shared/dom.js';
import { labelFrom, problemText } from '../shared/problems.js';
import { t } from './i18n.js';

export const TOKEN = 'sangdam.admin.token';

export const app = {
  lang: localStorage.getItem('sangdam.lang') || 'ko',
  /** The welcome's user: {username, name, role, tenant, center}. */
  me: null,
  connection: null,
  text: (key, values) => t(app.lang, key, values),
  call: (method, path, body) => api(TOKEN, method, path, body),
  send: (message) => app.connection.current().send(JSON.stringify(message)),
  notice: (message) => {
    $('notice').textContent = message || '';
  },
  /** Shows why a call failed, as a sentence in the reader's language, and lets the caller go on. */
  failed: (e) => app.notice(app.problem(e)),
  problem: (e) => problemText(app.lang, e, { label: fieldLabel }),
  isHq: () => app.me.role === 'HQ_ADMIN',
  isManager: () => app.me.role === 'CENTER_MANAGER',
};

// The screens take the page's helpers from here, with the rest of what they share.
export { $, el };

/**
 * A field the server names in a refusal, as the screens label it: "weekly.MON" is Monday's hours,
 * "field.<name>" overrides a label that reads differently on its own screen; null when unnamed.
 */
function fieldLabel(field) {
  const day = /^weekly\.([A-Z]{3})$/.exec(field);
  if (day) {
    return app.text('hoursOfDay', { day: app.text(`day${day[1]}`) });
  }
  return labelFrom(app.text)(field);
}

export function button(label, onClick, className) {
  const b = el('button', label, className);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

export function cell(row, value) {
  const td = el('td', value);
  row.append(td);
  return td;
}

export function option(select, value, label) {
  const o = el('option', label === undefined ? value : label);
  o.value = value;
  select.append(o);
}

/** A choice named by a string key (all centers, all queues): relabelled with the page in the other language. */
export function labelledOption(select, value, key) {
  option(select, value, app.text(key));
  select.lastChild.dataset.t = key;
}

export const path = (...parts) => parts.map(encodeURIComponent).join('/');

export function when(iso) {
  return iso ? new Date(iso).toLocaleString(app.lang === 'ko' ? 'ko-KR' : 'en-US') : '';
}

export function duration(seconds) {
  return seconds < 60 ? app.text('seconds', { n: seconds }) : app.text('minutes', { n: Math.floor(seconds / 60) });
}

export function localDate(offsetDays = 0) {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The tenant a screen works on: HQ picks one; everyone else has their own. */
export function tenantOf(select) {
  return app.isHq() ? select.value : app.me.tenant;
}

/** Fills a tenant picker with the tenants in scope (HQ only: others never see it). */
export async function fillTenants(select) {
  if (!app.isHq()) {
    return;
  }
  const tenants = await app.call('GET', '/api/tenants');
  const previous = select.value;
  select.replaceChildren();
  tenants.forEach((tenant) => option(select, tenant.code, tenant.name));
  if (previous && tenants.some((tenant) => tenant.code === previous)) {
    select.value = previous;
  }
}

/** Fills a center picker: {@code whole} adds "all centers" first; a manager has only their own. */
export async function fillCenters(select, tenant, whole) {
  select.replaceChildren();
  if (!tenant) {
    return;
  }
  // The server lists the centers in the caller's scope: a manager's own, and those their custom role adds.
  const centers = await app.call('GET', `/api/tenants/${path(tenant)}/centers`);
  const several = !app.isManager() || centers.length > 1;
  if (whole && several) {
    labelledOption(select, '', 'allCenters');
  }
  centers.forEach((c) => option(select, c.code, c.name));
  select.disabled = !several;
}

export async function fillQueues(select, tenant, center) {
  select.replaceChildren();
  labelledOption(select, '', 'allQueues');
  if (tenant && center) {
    (await app.call('GET', `/api/tenants/${path(tenant)}/centers/${path(center)}/queues`))
      .forEach((q) => option(select, q.code, q.name));
  }
}

/** Fills a channel picker: "all channels" first, then the tenant's channel codes (the widget's web first). */
export async function fillChannels(select, tenant) {
  const previous = select.value;
  select.replaceChildren();
  labelledOption(select, '', 'allChannels');
  if (!tenant) {
    return;
  }
  const kinds = await channelKinds(TOKEN, tenant);
  for (const code of kinds.keys()) {
    const label = channelLabel(app.text, kinds, code);
    if (label === code) {
      option(select, code);
      continue;
    }
    // A partner's channel by its kind, in the reader's language, and the code the admin gave it; the widget's
    // one channel by its kind alone (its code, web, was never typed by anyone).
    const kind = code === 'web' ? 'WEB' : kinds.get(code);
    labelledOption(select, code, `channel${kind}`);
    select.lastChild.dataset.tAfter = code === 'web' ? '' : ` (${code})`;
    select.lastChild.textContent += select.lastChild.dataset.tAfter;
  }
  if (previous && kinds.has(previous)) {
    select.value = previous;
  }
}

/** Adds the channel filters of a form to query parameters. */
export function channelFilters(params, channelSelect, kindSelect) {
  if (channelSelect.value) {
    params.set('channel', channelSelect.value);
  }
  if (kindSelect.value) {
    params.set('channelKind', kindSelect.value);
  }
}
