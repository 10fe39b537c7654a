// What the agent console's modules share: the state of the desk (the agent, their chats, the language),
// the socket's request and post, the notice line, a small event hub through which modules hear of each
// other's changes, and how things are named on screen (customers, queues, centers, times).
import { $, el } from '../shared/dom.js';
import { labelFrom, problemText } from '../shared/problems.js';
import { customerLabel } from '../shared/customers.js';
import { STRINGS, t } from './i18n.js';

// The modules take the page's helpers from here, with the rest of what they share.
export { $, el };
export const TOKEN = 'sangdam.agent.token';

export function createDesk() {
  const listeners = new Map(); // event -> [handler]
  let notice = () => '';
  const desk = {
    state: {
      lang: localStorage.getItem('sangdam.lang') || 'ko',
      connection: null,
      me: null,
      chats: new Map(), // conversation id -> { view, unread, lastSeq, items: [], hold, awaitingSince, ... }
      selected: null,
      pending: new Map(), // rid -> callback
      rid: 0,
      kinds: new Map(), // channel code -> kind, read from the server
      kindsAsked: new Set(), // channel codes the kinds were read again for
      names: { center: null, queues: new Map() }, // from GET /api/me: the center's and queues' names by code
    },

    text: (key, values) => t(desk.state.lang, key, values),

    /** Whether the console has a string for {@code key} (codes from the server that may be new to it). */
    has: (key) => key in STRINGS.ko,

    /**
     * Shows a line under the header: {@code message} is a function giving the text (said again in the other
     * language when the agent switches), or a text as it is.
     */
    notice(message) {
      notice = typeof message === 'function' ? message : () => message || '';
      $('notice').textContent = notice();
    },

    /** Sends on the socket in use (after a reconnect, the new one). */
    post(message) {
      desk.state.connection.current().send(JSON.stringify(message));
    },

    /** Sends a request; {@code callback} hears its answer (an error answer goes to the notice line). */
    request(message, callback) {
      const rid = `r${++desk.state.rid}`;
      if (callback) {
        desk.state.pending.set(rid, callback);
      }
      desk.post({ ...message, rid });
    },

    /**
     * A frame from the server: the outbox's answers go to it, an answer to a request to its callback (an error
     * answer to the notice line, as every other error), the rest to the modules as the event 'frame'.
     */
    receive(m) {
      if (desk.outboxReceives && desk.outboxReceives(m)) {
        return;
      }
      const callback = m.rid && desk.state.pending.get(m.rid);
      if (callback) {
        desk.state.pending.delete(m.rid);
        if (m.type !== 'error') {
          callback(m);
          return;
        }
      }
      if (m.type === 'error') {
        desk.notice(() => desk.problem(m));
        return;
      }
      desk.emit('frame', m);
    },

    /** A refusal (an error frame, a REST call's) as a sentence in the agent's language. */
    problem(error) {
      return problemText(desk.state.lang, error, { label: labelFrom(desk.text) });
    },

    on(event, handler) {
      if (!listeners.has(event)) {
        listeners.set(event, []);
      }
      listeners.get(event).push(handler);
    },

    emit(event, ...args) {
      for (const handler of listeners.get(event) || []) {
        handler(...args);
      }
    },

    /** The notice line again, in the language now chosen. */
    renotice() {
      $('notice').textContent = notice();
    },

    locale: () => (desk.state.lang === 'ko' ? 'ko-KR' : 'en-US'),

    /**
     * A customer as the console names them: their name, or for one who never gave it (all of whom the
     * server calls 고객) "고객 #12" by their customer number, the same in the list, the header and the transcript.
     */
    customerLabel: (customer) => customerLabel(customer, desk.text),

    /** A queue by name where the center's queues are known; another center's by its code. */
    queueName(code) {
      return desk.state.names.queues.get(code) || code;
    },

    /** The time of day of an instant, as the agent's language writes it (오후 2:31, 2:31 PM). */
    clock(at) {
      return new Date(at).toLocaleTimeString(desk.locale(), { hour: 'numeric', minute: '2-digit' });
    },

    /** A day, as a date separator says it (2026년 12월 3일 (목), Thu, Dec 3, 2026). */
    day(at) {
      return new Date(at).toLocaleDateString(desk.locale(), { year: 'numeric', month: 'long', day: 'numeric',
        weekday: 'short' });
    },

    /** A duration in seconds as minutes and seconds (4분 12초, 4 min 12 s), or hours and minutes past an hour. */
    duration(seconds) {
      const s = Math.max(0, Math.round(seconds));
      if (s >= 3600) {
        return desk.text('hoursMinutes', { hours: Math.floor(s / 3600), minutes: Math.floor((s % 3600) / 60) });
      }
      return s >= 60 ? desk.text('minutesSeconds', { minutes: Math.floor(s / 60), seconds: s % 60 })
        : desk.text('seconds', { seconds: s });
    },

    /** How long ago an instant was, in whole minutes. */
    since(at) {
      const minutes = Math.floor((Date.now() - Date.parse(at)) / 60_000);
      return minutes < 1 ? desk.text('justNow') : desk.text('since', { minutes });
    },
  };
  return desk;
}
