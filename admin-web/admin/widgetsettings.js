// The center's chat widget (위젯 설정): its title, colour, logo, welcome, whether customers may copy or save the
// chat, and the pre-chat form with the personal-data consent. Managers and admins of the center; the server
// checks every field again and keeps nothing it refuses.
import { sendContent } from '../shared/console.js';
import { $, TOKEN, app, fillCenters, fillTenants, option, path, tenantOf } from './app.js';

const ASKS = { OFF: 'askOFF', OPTIONAL: 'askOPTIONAL', REQUIRED: 'askREQUIRED' };
const state = { settings: null };

const tenant = () => tenantOf($('widget-tenant'));
const base = () => `/api/tenants/${path(tenant())}/centers/${path($('widget-center').value)}/widget`;

/** WCAG contrast of white text on a #rrggbb colour, as the server computes it. */
function contrastOnWhite(hex) {
  const channel = (v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const rgb = parseInt(hex.slice(1), 16);
  const l = 0.2126 * channel((rgb >> 16) & 255) + 0.7152 * channel((rgb >> 8) & 255) + 0.0722 * channel(rgb & 255);
  return 1.05 / (l + 0.05);
}

function showContrast() {
  const hex = $('widget-color').value.trim();
  if (!/^#[0-9a-f]{6}$/i.test(hex)) {
    $('widget-contrast').textContent = app.text('widgetColorFormat');
    return;
  }
  $('widget-color-pick').value = hex.toLowerCase();
  const ratio = contrastOnWhite(hex);
  $('widget-contrast').textContent = app.text(ratio >= 4.5 ? 'widgetContrastOk' : 'widgetContrastLow',
    { ratio: ratio.toFixed(1) });
}

function fillAsks(select) {
  const value = select.value;
  select.replaceChildren();
  Object.entries(ASKS).forEach(([ask, key]) => option(select, ask, app.text(key)));
  if (value) {
    select.value = value;
  }
}

function render() {
  const s = state.settings;
  $('widget-title').value = s.title || '';
  $('widget-color').value = s.brandColor;
  $('widget-welcome').value = s.welcome || '';
  $('widget-logo-url').value = s.logoUrl || '';
  $('widget-transcript').checked = s.allowTranscript;
  $('widget-form-enabled').checked = s.form.enabled;
  $('widget-ask-name').value = s.form.name;
  $('widget-ask-contact').value = s.form.contact;
  $('widget-types').value = s.form.inquiryTypes.join('\n');
  $('widget-consent-required').checked = s.form.consentRequired;
  $('widget-consent-text').value = s.form.consentText || '';
  renderVersion();
  renderLogo();
  showContrast();
}

function renderVersion() {
  const version = state.settings && state.settings.form.consentVersion;
  $('widget-consent-version').textContent = version ? app.text('preChatConsentVersion', { version }) : '';
}

async function renderLogo() {
  const img = $('widget-logo');
  $('widget-logo-remove').hidden = !state.settings.hasLogo;
  img.hidden = !state.settings.hasLogo;
  if (state.settings.hasLogo) {
    img.alt = app.text('widgetLogo');
    img.src = `/api/widget/${path(tenant())}/${path($('widget-center').value)}/logo?${Date.now()}`;
  }
}

/** A refusal as a sentence by the field it names; the server's English never reaches the screen. */
function refused(e) {
  const field = (/field '([^']+)'/.exec(e.message || '') || [])[1];
  const keys = { brandColor: /too light/.test(e.message) ? 'widgetContrastRefused' : 'widgetColorFormat',
    logoUrl: 'widgetLogoUrlRefused', title: 'widgetTitleRefused', welcome: 'widgetWelcomeRefused',
    'form.inquiryTypes': 'preChatTypesRefused', inquiryTypes: 'preChatTypesRefused',
    'form.consentText': 'preChatConsentTextMissing' };
  const byStatus = { 413: 'widgetLogoTooLarge', 415: 'widgetLogoType', 403: 'widgetForbidden', 404: 'widgetForbidden' };
  $('widget-error').textContent = app.text(keys[field] || byStatus[e.status] || 'widgetSaveFailed');
}

async function load() {
  $('widget-error').textContent = '';
  if (!tenant() || !$('widget-center').value) {
    return;
  }
  state.settings = await app.call('GET', base());
  render();
}

async function save(event) {
  event.preventDefault();
  $('widget-error').textContent = '';
  const types = $('widget-types').value.split('\n').map((line) => line.trim()).filter(Boolean);
  const body = {
    title: $('widget-title').value.trim() || null,
    brandColor: $('widget-color').value.trim(),
    welcome: $('widget-welcome').value.trim() || null,
    logoUrl: $('widget-logo-url').value.trim() || null,
    allowTranscript: $('widget-transcript').checked,
    form: {
      enabled: $('widget-form-enabled').checked,
      name: $('widget-ask-name').value,
      contact: $('widget-ask-contact').value,
      inquiryTypes: types,
      consentRequired: $('widget-consent-required').checked,
      consentText: $('widget-consent-text').value.trim() || null,
    },
  };
  try {
    state.settings = await app.call('PUT', base(), body);
    render();
    app.notice(app.text('widgetSaved'));
  } catch (e) {
    refused(e);
  }
}

/** The logo file goes up as it is; the server reads its bytes to tell a picture from anything else. */
async function upload() {
  const file = $('widget-logo-file').files[0];
  $('widget-logo-file').value = '';
  if (!file) {
    return;
  }
  $('widget-error').textContent = '';
  try {
    state.settings = await sendContent(TOKEN, 'PUT', `${base()}/logo`, file, file.type || 'application/octet-stream');
  } catch (e) {
    refused(e);
    return;
  }
  renderLogo();
  app.notice(app.text('widgetSaved'));
}

async function removeLogo() {
  state.settings = await app.call('DELETE', `${base()}/logo`);
  renderLogo();
}

export function relabel() {
  fillAsks($('widget-ask-name'));
  fillAsks($('widget-ask-contact'));
  if (state.settings) {
    renderVersion();
    showContrast();
  }
}

export async function open() {
  await fillTenants($('widget-tenant'));
  const center = $('widget-center').value;
  await fillCenters($('widget-center'), tenant(), false);
  if (center && [...$('widget-center').options].some((o) => o.value === center)) {
    $('widget-center').value = center;
  }
  await load();
}

export function init() {
  $('widget-tenant').addEventListener('change', () => open().catch(app.failed));
  $('widget-center').addEventListener('change', () => load().catch(app.failed));
  $('widget-color').addEventListener('input', showContrast);
  $('widget-color-pick').addEventListener('input', () => {
    $('widget-color').value = $('widget-color-pick').value;
    showContrast();
  });
  $('widget-form').addEventListener('submit', save);
  $('widget-logo-file').addEventListener('change', () => upload().catch(app.failed));
  $('widget-logo-remove').addEventListener('click', () => removeLogo().catch(app.failed));
}
