// The screen both consoles show when a sign-in must change its password before anything else (the
// password was generated, set by an administrator or has expired): the rules of the tenant's policy,
// the current password and the new one twice. Until it is changed the sign-in may do nothing else, so
// the console waits for this screen before it connects. Texts come from shared/strings-security.js, through
// the console's own table, and follow its language button.
import { api, expiryKey, passwordChangeKey } from './console.js';
import { problemText } from './problems.js';

const flag = passwordChangeKey;
/** The codes that name a rule the new password broke (docs/protocol.md, Passwords and sessions). */
const RULES_BROKEN = ['password_too_short', 'password_too_simple', 'password_has_username', 'password_reused'];
const lang = () => (localStorage.getItem('sangdam.lang') === 'en' ? 'en' : 'ko');

/**
 * Resolves at once when the sign-in under {@code tokenKey} may go on; else shows the change screen and
 * resolves once the password is changed (the new token kept under {@code tokenKey}). {@code text} is the
 * console's (key, values) lookup; {@code signOut} its own sign-out, for the person who would rather stop.
 */
export function passwordFirst(tokenKey, text, signOut) {
  if (sessionStorage.getItem(flag(tokenKey)) !== '1') {
    return Promise.resolve();
  }
  return new Promise((resolve) => show(tokenKey, text, signOut, resolve));
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
  node.append(...children);
  return node;
}

async function show(tokenKey, text, signOut, done) {
  let rules = { minLength: 10, charClasses: 3, reuseLimit: 0, expiryDays: 0 };
  const form = el('form', { id: 'password-change', class: 'password-change', novalidate: '' });
  const field = (id, autocomplete) => el('input', { id, type: 'password', autocomplete, required: '', maxlength: '200' });
  const current = field('password-current', 'current-password');
  const next = field('password-new', 'new-password');
  const again = field('password-again', 'new-password');
  const problem = el('p', { id: 'password-problem', role: 'alert' });
  const title = el('h2');
  const why = el('p', { class: 'muted' });
  const rulesTitle = el('h3');
  const rulesList = el('ul', { id: 'password-rules' });
  const labels = [el('span'), el('span'), el('span')];
  const submit = el('button', { type: 'submit', class: 'primary' });
  const leave = el('button', { type: 'button' });
  form.append(title, why, rulesTitle, rulesList,
    el('label', {}, labels[0], current), el('label', {}, labels[1], next), el('label', {}, labels[2], again),
    problem, el('div', { class: 'actions' }, submit, leave));
  let problemKey = null;

  const render = () => {
    title.textContent = text('passwordTitle');
    why.textContent = text('passwordWhy');
    rulesTitle.textContent = text('passwordRulesTitle');
    const items = [text('passwordRuleMinLength', rules), text('passwordRuleClasses', rules),
      text('passwordRuleNoUsername')];
    if (rules.reuseLimit > 0) {
      items.push(text('passwordRuleReuse', rules));
    }
    if (rules.expiryDays > 0) {
      items.push(text('passwordRuleExpiry', rules));
    }
    rulesList.replaceChildren(...items.map((item) => el('li', {}, item)));
    labels[0].textContent = text('passwordCurrent');
    labels[1].textContent = text('passwordNew');
    labels[2].textContent = text('passwordAgain');
    submit.textContent = text('passwordSubmit');
    leave.textContent = text('passwordSignOut');
    problem.textContent = problemKey ? problemKey() : '';
  };
  const say = (key) => {
    problemKey = key;
    render();
  };
  // The console's language button relabels the page; this screen follows once the choice is stored.
  const relabel = (event) => {
    if (event.target.closest && event.target.closest('#language')) {
      setTimeout(render);
    }
  };
  document.addEventListener('click', relabel);

  leave.addEventListener('click', () => {
    sessionStorage.removeItem(flag(tokenKey));
    signOut();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (next.value !== again.value) {
      say(() => text('passwordMismatch'));
      return;
    }
    try {
      const answer = await api(tokenKey, 'POST', '/api/me/password', { current: current.value, new: next.value });
      sessionStorage.setItem(tokenKey, answer.token);
      sessionStorage.setItem(expiryKey(tokenKey), answer.expiresAt);
      sessionStorage.removeItem(flag(tokenKey));
      document.removeEventListener('click', relabel);
      form.remove();
      done();
    } catch (e) {
      if (e.field === 'current' && e.code === 'invalid_field') {
        say(() => text('passwordWrongCurrent'));
      } else if (RULES_BROKEN.includes(e.code)) {
        say(() => text(`passwordRefused_${e.code.slice('password_'.length)}`, rules));
      } else {
        say(() => problemText(lang(), e));
      }
    }
  });

  const login = document.getElementById('login');
  login.before(form);
  login.hidden = true;
  render();
  current.focus();
  try {
    const status = await api(tokenKey, 'GET', '/api/me/password');
    rules = status.rules;
    render();
  } catch (e) {
    // The defaults stand in; the server names any rule broken when the change is sent.
  }
}
