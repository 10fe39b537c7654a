// The page's elements, for all three apps: found by id, and made with their text set as text (textContent),
// never as markup, so that nothing from the network is read as HTML.

/** The element with id {@code id}, or null. */
export const $ = (id) => document.getElementById(id);

/** A new {@code tag} element with {@code text} (none when undefined or null) and {@code className}. */
export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  if (className) {
    node.className = className;
  }
  return node;
}
