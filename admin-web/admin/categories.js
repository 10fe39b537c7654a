// The consultation categories (상담 분류, 대/중/소) drawn as the tree they are: each one under its parent,
// with its own actions (change it; add one under it while it is above the deepest level).
import { app, button, el } from './app.js';
import { DEEPEST, categoryTree } from './pickers.js';

/**
 * Draws {@code categories} into {@code list} (a ul); {@code edit(row)} opens one for a change and
 * {@code addUnder(row)} the form for a new child.
 */
export function drawTree(list, categories, { edit, addUnder }) {
  const draw = (nodes) => nodes.map(({ category, children }) => {
    const item = el('li');
    item.dataset.key = category.id;
    item.dataset.level = category.level;
    const line = el('div', null, category.enabled ? 'node' : 'node disabled');
    line.append(el('span', category.name, 'name'),
      el('span', app.text(`categoryLevel${category.level}`), 'muted small-text'));
    if (!category.enabled) {
      line.append(el('span', app.text('no'), 'badge'));
    }
    line.append(button(app.text('edit'), () => edit(category), 'small'));
    if (category.level < DEEPEST) {
      line.append(button(app.text('addChild'), () => addUnder(category), 'small add-child'));
    }
    item.append(line);
    if (children.length) {
      const sub = el('ul');
      sub.append(...draw(children));
      item.append(sub);
    }
    return item;
  });
  list.replaceChildren(...draw(categoryTree(categories)));
  if (categories.length === 0) {
    list.append(el('li', app.text('noCategoriesYet'), 'muted'));
  }
}
