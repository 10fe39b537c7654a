// The center's own look (title, colour, logo, welcome), loaded before the chat starts. A center that changed
// nothing keeps the widget's defaults. Every value goes on the page as text or as an attribute, never as HTML.
import { $ } from '../shared/dom.js';

export async function loadAppearance(tenant, center) {
  const response = await fetch(`/api/widget/${encodeURIComponent(tenant)}/${encodeURIComponent(center)}`);
  if (!response.ok) {
    return null;
  }
  return response.json();
}

/** Puts the settings on the page; {@code title} is the widget's own title when the center set none. */
export function applyAppearance(settings, title) {
  $('title').textContent = (settings && settings.title) || title;
  document.title = $('title').textContent;
  if (!settings) {
    return;
  }
  // The server refuses a colour too light for white text, and any value that is not #rrggbb.
  if (/^#[0-9a-f]{6}$/i.test(settings.brandColor || '')) {
    document.documentElement.style.setProperty('--brand', settings.brandColor);
  }
  const logo = $('logo');
  logo.hidden = !settings.logo;
  if (settings.logo && logo.getAttribute('src') !== settings.logo) {
    logo.src = settings.logo;
  }
  $('welcome').hidden = !settings.welcome;
  $('welcome').textContent = settings.welcome || '';
}
