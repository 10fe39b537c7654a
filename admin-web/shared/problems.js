// What a refusal from the server means to a person. The server answers in English for developers
// ({"error":{"code","message"}}); a screen shows the app's own sentence for the code instead, and for
// a field at fault (missing_field, invalid_field: "field 'weekly.MON' ...") the sentence names the field
// in the reader's language. Each app's string table holds the sentences (keys problem*); this is the one
// place that chooses them.

/**
 * The field an error names ("weekly.MON", "code"), or null: the server's {@code field}, or for a refusal without
 * one, its message's "field '<name>' ..." (Fields.missing/invalid write it so).
 */
export function fieldOf(error) {
  if (error.field) {
    return error.field;
  }
  const named = /^field '([^']+)'/.exec(error.message || '');
  return named ? named[1] : null;
}

/** The rules a field breaks, in the server's own words (Fields and the endpoints), and their sentences. */
const BLANK = /must not be blank/;
const RULES = [
  [/must match \[a-z0-9\]/, 'problemNotACode'],
  [/at least (\d+) characters/, 'problemAtLeast'],
  [/at most (\d+) characters/, 'problemAtMost'],
  [/(?:from|between) (-?\d+) (?:to|and) (-?\d+)/, 'problemRange'],
  [/names (?:unknown|no) /, 'problemUnknown'],
];

const BY_CODE = {
  unauthorized: 'problemUnauthorized',
  forbidden: 'problemForbidden',
  not_found: 'problemNotFound',
  conflict: 'problemConflict',
  too_many_attempts: 'problemTooManyAttempts',
  rate_limited: 'problemRateLimited',
  unavailable: 'problemUnavailable',
  too_large: 'problemTooLarge',
  too_long: 'problemTooLong',
  bad_json: 'problemBadRequest',
  bad_request: 'problemBadRequest',
  internal: 'problemInternal',
};

/** A refusal without a code of ours (a proxy's answer, a download's): by its HTTP status. */
const BY_STATUS = {
  401: 'problemUnauthorized',
  403: 'problemForbidden',
  404: 'problemNotFound',
  409: 'problemConflict',
  413: 'problemTooLarge',
  422: 'problemInvalidSomething',
  429: 'problemRateLimited',
  503: 'problemUnavailable',
};

/**
 * The sentence for a failed call in the reader's language. {@code text(key, values)} is the app's
 * translator; {@code label(field)} names a field ("weekly.MON" -> "월요일 운영시간"), or null when the
 * app has no name for it. {@code error} is what console.js's api() and logIn() reject with: code, status,
 * retryAfter (seconds), signIn (the refusal answered a sign-in), message (the server's, never shown).
 */
export function problemText(text, label, error) {
  const code = error.code || '';
  if (error.signIn && code === 'unauthorized') {
    return text('problemWrongPassword');
  }
  if (code === 'missing_field' || code === 'invalid_field' || code === 'category_required') {
    const field = fieldOf(error);
    const name = field ? label(field) : null;
    if (code === 'category_required') {
      return text('problemCategoryRequired');
    }
    if (!name) {
      return text(code === 'missing_field' ? 'problemMissingSomething' : 'problemInvalidSomething');
    }
    if (code === 'missing_field' || BLANK.test(error.message)) {
      return text('problemMissing', { field: name });
    }
    for (const [rule, key] of RULES) {
      const found = rule.exec(error.message);
      if (found) {
        return text(key, { field: name, n: found[1], max: found[2] });
      }
    }
    return text('problemInvalid', { field: name });
  }
  if (code === 'too_many_attempts') {
    return text(error.signIn ? 'problemTooManySignIns' : 'problemTooManyAttempts',
      { seconds: error.retryAfter || 60 });
  }
  if (BY_CODE[code]) {
    return text(BY_CODE[code]);
  }
  if (BY_STATUS[error.status]) {
    return text(BY_STATUS[error.status]);
  }
  // No answer from the server at all (fetch failed) or an answer that is not ours (a proxy's 502).
  return text(error.status ? 'problemInternal' : 'problemOffline');
}
