// The agent's own figures of today (GET /api/me/today): chats handled, the average handle time and the
// customers' rating, read again after each chat ends and every few minutes.
import { api } from '../shared/console.js';
import { $, TOKEN } from './desk.js';

const REFRESH_MS = 5 * 60_000;

export function today(desk) {
  const { text } = desk;
  let figures = null;

  async function load() {
    try {
      figures = await api(TOKEN, 'GET', '/api/me/today');
    } catch (e) {
      return; // the figures shown stay until the next read
    }
    render();
    desk.emit('today', figures);
  }

  function render() {
    if (!figures) {
      return;
    }
    $('day-handled').textContent = text('countChats', { count: figures.handled });
    $('day-aht').textContent = figures.avgHandleSeconds === null ? '-' : desk.duration(figures.avgHandleSeconds);
    $('day-csat').textContent = figures.csatAvg === null ? '-'
      : text('csatFigure', { score: figures.csatAvg.toFixed(1), count: figures.csatResponses });
    $('my-day').hidden = false;
  }

  desk.on('welcome', load);
  desk.on('frame', (m) => {
    if (m.type === 'rated') {
      desk.notice(() => text('rated', { score: m.score }));
    }
    if (m.type === 'closed' || m.type === 'rated') {
      load();
    }
  });
  desk.on('relabel', render);
  setInterval(() => {
    if (desk.state.me) {
      load();
    }
  }, REFRESH_MS);
}
