// The screen both consoles show when a sign-in must change its password before anything else (the
// password was generated, set by an administrator or has expired): the rules of the tenant's policy,
// the current password and the new one twice. Until it is changed the sign-in may do nothing else, so
// the console waits for this screen before it connects. Texts in both languages; the language follows
// the console's own (localStorage 'sangdam.lang') and its language button.
import { api, expiryKey, passwordChangeKey } from './console.js';
import { errorText } from './errors.js';

const TEXTS = {
  ko: {
    title: '비밀번호 변경',
    why: '처음 로그인했거나 비밀번호를 바꿀 때가 되어, 새 비밀번호를 정해야 계속할 수 있습니다.',
    current: '현재 비밀번호',
    next: '새 비밀번호',
    again: '새 비밀번호 확인',
    submit: '변경하고 계속하기',
    signOut: '로그아웃',
    rulesTitle: '새 비밀번호 조건',
    minLength: (r) => `${r.minLength}자 이상`,
    charClasses: (r) => `영문 대문자, 영문 소문자, 숫자, 특수문자 중 ${r.charClasses}가지 이상 섞기`,
    noUsername: () => '아이디를 넣지 않기',
    reuse: (r) => `최근에 쓴 비밀번호 ${r.reuseLimit}개와 다르게`,
    expiry: (r) => `${r.expiryDays}일마다 바꿔야 합니다`,
    mismatch: '새 비밀번호가 서로 다릅니다. 다시 입력해 주세요.',
    wrongCurrent: '현재 비밀번호가 맞지 않습니다.',
    password_too_short: (r) => `새 비밀번호는 ${r.minLength}자 이상이어야 합니다.`,
    password_too_simple: (r) => `영문 대문자, 소문자, 숫자, 특수문자 중 ${r.charClasses}가지 이상을 섞어 주세요.`,
    password_has_username: () => '새 비밀번호에 아이디를 넣을 수 없습니다.',
    password_reused: (r) => `최근에 쓴 비밀번호 ${r.reuseLimit}개는 다시 쓸 수 없습니다.`,
  },
  en: {
    title: 'Change your password',
    why: 'This is your first sign-in or your password is due for a change: choose a new one to go on.',
    current: 'Current password',
    next: 'New password',
    again: 'New password again',
    submit: 'Change and continue',
    signOut: 'Sign out',
    rulesTitle: 'Your new password needs',
    minLength: (r) => `at least ${r.minLength} characters`,
    charClasses: (r) => `${r.charClasses} or more of: upper case, lower case, digits, symbols`,
    noUsername: () => 'not to contain your username',
    reuse: (r) => `to differ from your last ${r.reuseLimit} passwords`,
    expiry: (r) => `to be changed every ${r.expiryDays} days`,
    mismatch: 'The new passwords do not match. Type them again.',
    wrongCurrent: 'That is not your current password.',
    password_too_short: (r) => `The new password needs at least ${r.minLength} characters.`,
    password_too_simple: (r) => `Mix ${r.charClasses} or more of upper case, lower case, digits and symbols.`,
    password_has_username: () => 'The new password must not contain your username.',
    password_reused: (r) => `You cannot use any of your last ${r.reuseLimit} passwords again.`,
  },
};

const flag = passwordChangeKey;
const lang = () => (localStorage.getItem('sangdam.lang') === 'en' ? 'en' : 'ko');
const text = (key) => TEXTS[lang()][key];

/**
 * Resolves at once when the sign-in under {@code tokenKey} may go on; else shows the change screen and
 * resolves once the password is changed (the new token kept under {@code tokenKey}). {@code signOut}
 * is the console's own sign-out, for the person who would rather stop.
 */
export function passwordFirst(tokenKey, signOut) {
  if (sessionStorage.getItem(flag(tokenKey)) !== '1') {
    return Promise.resolve();
  }
  return new Promise((resolve) => show(tokenKey, signOut, resolve));
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
  node.append(...children);
  return node;
}

async function show(tokenKey, signOut, done) {
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
    title.textContent = text('title');
    why.textContent = text('why');
    rulesTitle.textContent = text('rulesTitle');
    const items = [text('minLength')(rules), text('charClasses')(rules), text('noUsername')(rules)];
    if (rules.reuseLimit > 0) {
      items.push(text('reuse')(rules));
    }
    if (rules.expiryDays > 0) {
      items.push(text('expiry')(rules));
    }
    rulesList.replaceChildren(...items.map((item) => el('li', {}, item)));
    ['current', 'next', 'again'].forEach((key, i) => { labels[i].textContent = text(key); });
    submit.textContent = text('submit');
    leave.textContent = text('signOut');
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
      say(() => text('mismatch'));
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
        say(() => text('wrongCurrent'));
      } else if (e.code && e.code.startsWith('password_') && TEXTS.ko[e.code]) {
        say(() => text(e.code)(rules));
      } else {
        say(() => errorText(e, lang()));
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
