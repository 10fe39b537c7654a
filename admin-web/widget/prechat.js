// The center's pre-chat form: name, contact, inquiry type and the personal-data consent, as the center set
// them. Checked here as the server checks them, so a customer hears what to fix before sending; the server
// checks again and keeps nothing it refuses.
const PHONE = /^\+?[0-9][0-9 -]{6,18}[0-9]$/;
const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]+\.[^\s@<>"]{2,}$/;

let asked = null; // the form being shown, or null when none is asked

function field(id, labelKey, required, text, control) {
  const wrap = document.createElement('div');
  wrap.className = 'field';
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = text(labelKey) + (required ? ` (${text('required')})` : '');
  control.id = id;
  control.setAttribute('aria-describedby', `${id}-error`);
  if (required) {
    control.required = true;
  }
  const error = document.createElement('p');
  error.id = `${id}-error`;
  error.className = 'field-error';
  wrap.append(label, control, error);
  return wrap;
}

function input(maxLength, autocomplete, type) {
  const control = document.createElement('input');
  control.type = type;
  control.maxLength = maxLength;
  control.autocomplete = autocomplete;
  return control;
}

/** Shows the form in #prechat, or hides it when {@code form} is null (none asked, or a verified customer). */
export function renderPreChat(form, text) {
  const box = document.getElementById('prechat');
  const before = collectValues();
  box.replaceChildren();
  asked = form && form.enabled ? form : null;
  box.hidden = !asked;
  if (!asked) {
    return;
  }
  const title = document.createElement('h2');
  title.textContent = text('preChatTitle');
  box.append(title);
  if (asked.name !== 'OFF') {
    box.append(field('pc-name', 'preChatName', asked.name === 'REQUIRED', text, input(50, 'name', 'text')));
  }
  if (asked.contact !== 'OFF') {
    box.append(field('pc-contact', 'preChatContact', asked.contact === 'REQUIRED', text, input(100, 'tel', 'text')));
  }
  if (asked.inquiryTypes.length) {
    const select = document.createElement('select');
    const none = document.createElement('option');
    none.value = '';
    none.textContent = text('preChatChoose');
    select.append(none, ...asked.inquiryTypes.map((name) => {
      const option = document.createElement('option');
      option.value = name;
      option.textContent = name;
      return option;
    }));
    box.append(field('pc-type', 'preChatType', true, text, select));
  }
  if (asked.consentRequired) {
    const consent = document.createElement('div');
    consent.className = 'consent';
    const heading = document.createElement('h3');
    heading.id = 'pc-consent-title';
    heading.textContent = text('preChatConsentTitle');
    const body = document.createElement('div');
    body.className = 'consent-text';
    body.tabIndex = 0; // a long text scrolls: keyboard users must reach it
    body.setAttribute('role', 'region');
    body.setAttribute('aria-labelledby', 'pc-consent-title');
    body.textContent = asked.consentText;
    const check = input(0, 'off', 'checkbox');
    check.removeAttribute('maxlength');
    const agree = field('pc-consent', 'preChatAgree', true, text, check);
    agree.classList.add('check');
    consent.append(heading, body, agree);
    box.append(consent);
  }
  restore(before);
}

function collectValues() {
  const value = (id) => (document.getElementById(id) ? document.getElementById(id).value : undefined);
  const consent = document.getElementById('pc-consent');
  return { name: value('pc-name'), contact: value('pc-contact'), type: value('pc-type'),
    consent: consent ? consent.checked : undefined };
}

/** Keeps what the customer typed across a change of language. */
function restore(values) {
  const set = (id, v) => { if (v !== undefined && document.getElementById(id)) document.getElementById(id).value = v; };
  set('pc-name', values.name);
  set('pc-contact', values.contact);
  set('pc-type', values.type);
  if (values.consent !== undefined && document.getElementById('pc-consent')) {
    document.getElementById('pc-consent').checked = values.consent;
  }
}

/** Marks a field wrong with a sentence, or right with null. */
export function markField(id, message) {
  const control = document.getElementById(id);
  if (!control) {
    return false;
  }
  control.setAttribute('aria-invalid', String(Boolean(message)));
  document.getElementById(`${id}-error`).textContent = message || '';
  return true;
}

const IDS = { 'form.name': 'pc-name', 'form.contact': 'pc-contact', 'form.inquiryType': 'pc-type',
  'form.consent': 'pc-consent', 'form.consentVersion': 'pc-consent' };

/** The fields the customer fills in, by the server's name, and the sentence that says what to fix in them. */
const SENTENCES = { 'form.name': 'errorName', 'form.contact': 'errorContact', 'form.inquiryType': 'errorInquiryType',
  'form.consent': 'errorConsent', contact: 'errorContact' };

/** What the customer reads for a field of theirs the server refused: what the form's own check says; or null. */
export function fieldSentence(field, text) {
  return SENTENCES[field] ? text(SENTENCES[field]) : null;
}

/** The control of a field the server named, if the form shows it. */
export function controlOf(field) {
  return IDS[field] ? document.getElementById(IDS[field]) : null;
}

/**
 * The answers as {@code start}'s {@code form}, or undefined when no form is asked; null when something is
 * missing or wrong, each such field marked and the first focused.
 */
export function collectPreChat(text) {
  if (!asked) {
    return undefined;
  }
  const v = collectValues();
  const problems = [];
  const check = (id, message) => {
    markField(id, message);
    if (message) {
      problems.push(id);
    }
  };
  const name = (v.name || '').trim();
  const contact = (v.contact || '').trim();
  if (asked.name !== 'OFF') {
    check('pc-name', asked.name === 'REQUIRED' && !name ? text('errorName') : null);
  }
  if (asked.contact !== 'OFF') {
    const missing = asked.contact === 'REQUIRED' && !contact;
    const wrong = contact && !PHONE.test(contact) && !EMAIL.test(contact);
    check('pc-contact', missing || wrong ? text('errorContact') : null);
  }
  if (asked.inquiryTypes.length) {
    check('pc-type', v.type ? null : text('errorInquiryType'));
  }
  if (asked.consentRequired) {
    check('pc-consent', v.consent ? null : text('errorConsent'));
  }
  if (problems.length) {
    document.getElementById(problems[0]).focus();
    return null;
  }
  const form = {};
  if (name) form.name = name;
  if (contact) form.contact = contact;
  if (v.type) form.inquiryType = v.type;
  if (asked.consentRequired) {
    form.consent = true;
    form.consentVersion = asked.consentVersion;
  }
  return form;
}
