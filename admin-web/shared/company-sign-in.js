// Sign-in with a company account (OpenID Connect): the button beside a console's login form, shown
// while the tenant typed offers it, and what the provider's callback brings back in the fragment.

const REASONS = ['expired', 'other_browser', 'refused', 'no_role', 'account_conflict', 'unavailable'];

/**
 * Takes what the callback left in the address's fragment, and clears it: a token is kept under
 * {@code tokenKey} (the console then starts signed in); a refusal's reason is returned, for the
 * console to explain with its text 'sso.<reason>'. Null when the fragment holds neither.
 */
export function takeCallback(tokenKey) {
  const hash = location.hash;
  if (!hash.startsWith('#sso=') && !hash.startsWith('#sso-error=')) {
    return null;
  }
  // Off the address bar and out of the history at once: the token must not stay where it can be copied.
  history.replaceState(null, '', location.pathname + location.search);
  if (hash.startsWith('#sso=')) {
    sessionStorage.setItem(tokenKey, decodeURIComponent(hash.slice('#sso='.length)));
    return null;
  }
  const reason = decodeURIComponent(hash.slice('#sso-error='.length));
  return REASONS.includes(reason) ? reason : 'refused';
}

/**
 * Adds the "sign in with company account" button to the login form. {@code consoleName} is admin or
 * agent (where the callback comes back); {@code hqAllowed}: an empty tenant asks about HQ's own.
 * Returns {label()} to call when the language changes.
 */
export function companyButton({ consoleName, hqAllowed, text }) {
  const tenant = document.getElementById('tenant');
  const button = document.createElement('button');
  button.type = 'button';
  button.id = 'company-sign-in';
  button.hidden = true;
  document.getElementById('login').append(button);
  let asked = 0;
  let timer = null;

  async function check() {
    const code = tenant.value.trim().toLowerCase();
    const mine = ++asked;
    let offered = false;
    if (code || hqAllowed) {
      try {
        const response = await fetch(`/api/auth/company-sign-in${code ? `?tenant=${encodeURIComponent(code)}` : ''}`);
        offered = response.ok && (await response.json()).oidc === true;
      } catch {
        offered = false;
      }
    }
    // Only the answer for what is typed now counts; an older one may arrive later.
    if (mine === asked) {
      button.hidden = !offered;
    }
  }

  tenant.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  });
  button.addEventListener('click', () => {
    const code = tenant.value.trim().toLowerCase();
    const query = new URLSearchParams(code ? { tenant: code, console: consoleName } : { console: consoleName });
    location.assign(`/api/auth/oidc/start?${query}`);
  });
  check();
  return {
    label() {
      button.textContent = text('companySignIn');
    },
  };
}
