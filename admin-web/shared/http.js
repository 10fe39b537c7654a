// Calls on the REST API, for all three apps: with the caller's bearer token (a console's session, a widget
// visitor's), and a refusal turned into an Error that problems.js says as a sentence.

/**
 * An answer's refusal as an Error: the server's message (for the log, not the screen: see problems.js), with
 * its code, field, the HTTP status, Retry-After in seconds, and a refused scenario's problems (if any).
 */
export function refusal(response, answer) {
  const error = new Error((answer.error && answer.error.message) || String(response.status));
  error.code = answer.error && answer.error.code;
  error.field = answer.error && answer.error.field;
  error.status = response.status;
  error.retryAfter = Number(response.headers.get('Retry-After')) || null;
  error.problems = (answer.error && answer.error.problems) || [];
  return error;
}

/**
 * Sends {@code content} (a text or a file, as it is; none when undefined) of {@code type} with {@code token};
 * resolves with the answer when it is a success, or rejects with its refusal.
 */
export async function fetchAs(token, method, path, content, type) {
  const headers = { Authorization: `Bearer ${token}` };
  if (content !== undefined) {
    headers['Content-Type'] = type;
  }
  const response = await fetch(path, { method, headers, body: content });
  if (!response.ok) {
    throw refusal(response, await response.json().catch(() => ({})));
  }
  return response;
}

/** Sends {@code body} (none when undefined) as JSON; resolves with the answer's JSON (null for 204). */
export async function call(token, method, path, body) {
  const response = await fetchAs(token, method, path, body === undefined ? undefined : JSON.stringify(body),
    'application/json');
  return response.status === 204 ? null : response.json().catch(() => ({}));
}
