// Downloads of personal data (접속기록): the reason is asked first (shared/reason.js), sent with the request,
// and the file fetched with the token and handed to the browser. A cancelled dialog downloads nothing.
import { askReason } from '../shared/reason.js';
import { TOKEN, app, el } from './app.js';

/** Asks the reason, then downloads {@code url} with it; {@code fallbackName} when the server names none. */
export async function downloadWithReason(url, fallbackName) {
  const reason = await askReason(app.text);
  if (reason === null) {
    return;
  }
  try {
    const separator = url.includes('?') ? '&' : '?';
    const response = await fetch(`${url}${separator}reason=${encodeURIComponent(reason)}`,
      { headers: { Authorization: `Bearer ${sessionStorage.getItem(TOKEN)}` } });
    if (!response.ok) {
      const answer = await response.json().catch(() => ({}));
      throw Object.assign(new Error((answer.error && answer.error.message) || String(response.status)),
        answer.error || {});
    }
    const disposition = response.headers.get('Content-Disposition') || '';
    const name = (disposition.match(/filename="([^"]+)"/) || [])[1] || fallbackName;
    const link = el('a');
    link.href = URL.createObjectURL(await response.blob());
    link.download = name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    app.notice(app.text('downloaded', { name }));
  } catch (e) {
    app.failed(e);
  }
}
