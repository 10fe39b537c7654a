// Choices from a list where the management forms would otherwise take typed codes: a center, a
// center's queues (skills), an overflow queue anywhere in the tenant, a category's parent from the
// tree. Each picker shows names and answers the codes the API takes; codes are typed only where an
// administrator makes a new one.
import { app, el, option, path } from './app.js';

/**
 * The tenant's centers and each one's queues, read once per list: {centers: [{code, name}],
 * queues: Map(center code -> [{code, name}])}.
 */
export async function readDirectory(tenant) {
  const base = `/api/tenants/${path(tenant)}`;
  const centers = await app.call('GET', `${base}/centers`);
  const queues = new Map(await Promise.all(centers.map(async (c) => [c.code,
    await app.call('GET', `${base}/centers/${path(c.code)}/queues`)])));
  return { centers, queues };
}

export const centerName = (directory, code) => {
  const found = directory.centers.find((c) => c.code === code);
  return found ? found.name : code;
};

export const queueName = (directory, center, code) => {
  const found = (directory.queues.get(center) || []).find((q) => q.code === code);
  return found ? found.name : code;
};

/** "center/queue" as a person reads it: "서울 · 카드". */
export function overflowName(directory, target) {
  const [center, queue] = target.split('/');
  return `${centerName(directory, center)} · ${queueName(directory, center, queue)}`;
}

/** A select of the tenant's centers; {@code none} (a label key) adds an empty first choice. */
export function centerPicker(directory, name, value, none) {
  const select = el('select');
  select.name = name;
  if (none) {
    option(select, '', app.text(none));
  }
  directory.centers.forEach((c) => option(select, c.code, c.name));
  select.value = value || (none ? '' : (directory.centers[0] || {}).code || '');
  return select;
}

/** A select of every queue of the tenant, by center, as "center/queue"; first "no overflow". */
export function overflowPicker(directory, name, value) {
  const select = el('select');
  select.name = name;
  option(select, '', app.text('noOverflow'));
  for (const c of directory.centers) {
    const group = el('optgroup');
    group.label = c.name;
    (directory.queues.get(c.code) || []).forEach((q) => option(group, `${c.code}/${q.code}`, q.name));
    select.append(group);
  }
  select.value = value || '';
  return select;
}

/**
 * Check boxes of one center's queues (a user's skills), read back by {@link pickedQueues}; {@code center()}
 * names the center, and {@code refresh} draws them again for another center (what was checked and is
 * still offered stays checked).
 */
export function queuePicker(directory, name, values, center) {
  const box = el('fieldset', null, 'choices');
  box.dataset.name = name;
  const draw = (checked) => {
    box.replaceChildren();
    const queues = directory.queues.get(center()) || [];
    if (queues.length === 0) {
      box.append(el('span', app.text('noQueuesHere'), 'muted'));
    }
    for (const q of queues) {
      const label = el('label', null, 'check');
      const check = el('input');
      check.type = 'checkbox';
      check.value = q.code;
      check.checked = checked.includes(q.code);
      label.append(check, el('span', q.name));
      box.append(label);
    }
  };
  draw(values || []);
  box.refresh = () => draw(pickedQueues(box));
  return box;
}

export function pickedQueues(box) {
  return [...box.querySelectorAll('input:checked')].map((check) => check.value);
}

/** The categories as a tree: [{category, children}] roots in the API's order. */
export function categoryTree(categories) {
  const nodes = new Map(categories.map((c) => [c.id, { category: c, children: [] }]));
  const roots = [];
  for (const node of nodes.values()) {
    const parent = node.category.parent === null ? null : nodes.get(node.category.parent);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** The deepest level a category may have (대/중/소): one at this level takes no children. */
export const DEEPEST = 3;

/**
 * A select of the categories that may take a child, indented as the tree is; first "none (a top
 * category)".
 */
export function parentPicker(categories, name, value) {
  const select = el('select');
  select.name = name;
  option(select, '', app.text('topCategory'));
  const add = (nodes, depth) => {
    for (const node of nodes) {
      if (node.category.level < DEEPEST) {
        option(select, String(node.category.id), `${'\u3000'.repeat(depth)}${depth ? '└ ' : ''}${node.category.name}`);
        add(node.children, depth + 1);
      }
    }
  };
  add(categoryTree(categories), 0);
  select.value = value === null || value === undefined ? '' : String(value);
  return select;
}

/**
 * A select of the time zones the browser knows, each named in the reader's language ("대한민국 시간
 * (Asia/Seoul)"); the current value is kept even if the browser does not list it.
 */
export function timezonePicker(name, value, id) {
  const select = el('select');
  select.name = name;
  if (id) {
    select.id = id;
  }
  const zones = Intl.supportedValuesOf('timeZone');
  const chosen = value || 'Asia/Seoul';
  if (!zones.includes(chosen)) {
    zones.unshift(chosen);
  }
  for (const zone of zones) {
    const named = zoneName(zone);
    option(select, zone, named === zone ? zone : `${named} (${zone})`);
  }
  select.value = chosen;
  return select;
}

/** A time zone as people call it in the reader's language ("대한민국 시간"); its ID if the browser has no name. */
export function zoneName(zone) {
  try {
    return new Intl.DateTimeFormat(app.lang === 'ko' ? 'ko-KR' : 'en-US', { timeZone: zone, timeZoneName: 'longGeneric' })
      .formatToParts(new Date()).find((part) => part.type === 'timeZoneName').value;
  } catch (e) {
    return zone;
  }
}
