// A center's business hours (운영시간): per day of the week, closed or open in one or more ranges
// (점심시간을 뺀 오전/오후처럼), copied to the weekdays with one click; holidays by date; what a customer
// out of hours gets. Checked here before it is sent, each problem in words on its day; what the server
// still refuses (422) is shown as a sentence too (app.failed). An end of 00:00 is midnight, the wire's 24:00.
import { $, app, button, el, path } from './app.js';
import { timezonePicker } from './pickers.js';

const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
const WEEKDAYS = DAYS.slice(0, 5);
/** What an always-open center is offered to start from: weekdays 9 to 6. */
const SUGGESTED = [['09:00', '18:00']];
const MIDNIGHT = '24:00';

const state = { center: null, base: null, onSaved: null };

/** Minutes since midnight of "HH:mm"; an end of 00:00 (or 24:00) is the end of the day. */
function minutes(time, end) {
  const [h, m] = time.split(':').map(Number);
  const total = h * 60 + m;
  return end && total === 0 ? 24 * 60 : total;
}

function rangeRow(from, to) {
  const row = el('span', null, 'range');
  const start = el('input');
  start.type = 'time';
  start.className = 'from';
  start.value = from;
  start.setAttribute('aria-label', app.text('opensAt'));
  const end = el('input');
  end.type = 'time';
  end.className = 'to';
  end.value = to === MIDNIGHT ? '00:00' : to;
  end.setAttribute('aria-label', app.text('closesAt'));
  row.append(start, el('span', '~'), end, button(app.text('removeRange'), () => {
    const day = row.closest('.day');
    row.remove();
    if (day.querySelectorAll('.range').length === 0) {
      setClosed(day, true);
    }
  }, 'small remove'));
  return row;
}

function setClosed(day, closed) {
  day.querySelector('.closed').checked = closed;
  day.classList.toggle('is-closed', closed);
  if (!closed && day.querySelectorAll('.range').length === 0) {
    day.querySelector('.ranges').append(rangeRow(...SUGGESTED[0]));
  }
}

function rangesOf(day) {
  return [...day.querySelectorAll('.range')].map((r) => [r.querySelector('.from').value, r.querySelector('.to').value]);
}

function setRanges(day, ranges) {
  day.querySelector('.ranges').replaceChildren(...ranges.map(([from, to]) => rangeRow(from, to)));
  setClosed(day, ranges.length === 0);
}

function dayRow(key, ranges) {
  const day = el('div', null, 'day');
  day.dataset.day = key;
  const closed = el('input');
  closed.type = 'checkbox';
  closed.className = 'closed';
  closed.addEventListener('change', () => setClosed(day, closed.checked));
  const closedLabel = el('label', null, 'check');
  closedLabel.append(closed, el('span', app.text('closedDay')));
  day.append(el('span', app.text(`day${key}`), 'day-name'), closedLabel, el('div', null, 'ranges'),
    button(app.text('addRange'), () => {
      const last = rangesOf(day).pop();
      // A new range starts where the last one ends and lasts an hour, for the admin to adjust.
      const from = last && last[1] && minutes(last[1], true) <= 22 * 60 ? last[1] : '13:00';
      const to = `${String(Math.min(23, Number(from.slice(0, 2)) + 1)).padStart(2, '0')}:00`;
      day.querySelector('.ranges').append(rangeRow(from, to));
      setClosed(day, false);
    }, 'small add'),
    button(app.text('copyToWeekdays'), () => copyToWeekdays(day), 'small copy'),
    el('span', null, 'problem'));
  setRanges(day, ranges);
  return day;
}

function copyToWeekdays(from) {
  const ranges = from.querySelector('.closed').checked ? [] : rangesOf(from);
  for (const key of WEEKDAYS) {
    const day = $('hours-days').querySelector(`.day[data-day="${key}"]`);
    if (day !== from) {
      setRanges(day, ranges);
    }
  }
  app.notice(app.text('copiedToWeekdays', { day: app.text(`day${from.dataset.day}`) }));
}

function holidayChip(date) {
  const chip = el('li');
  chip.dataset.date = date;
  chip.append(el('span', new Date(`${date}T00:00:00`).toLocaleDateString(app.lang === 'ko' ? 'ko-KR' : 'en-US',
    { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' })),
  button(app.text('removeRange'), () => chip.remove(), 'small'));
  return chip;
}

function addHoliday() {
  const date = $('hours-holiday').value;
  if (!date) {
    app.notice(app.text('pickHolidayFirst'));
    return;
  }
  const list = $('hours-holidays');
  if (!list.querySelector(`li[data-date="${date}"]`)) {
    const later = [...list.children].find((chip) => chip.dataset.date > date);
    list.insertBefore(holidayChip(date), later || null);
  }
  $('hours-holiday').value = '';
}

/**
 * The week as the API takes it, or null after marking each day's problem: a time left empty, a range
 * that does not end after it starts, ranges that overlap.
 */
function readWeek() {
  const weekly = {};
  let problems = 0;
  for (const day of $('hours-days').querySelectorAll('.day')) {
    const problem = day.querySelector('.problem');
    problem.textContent = '';
    day.classList.remove('invalid');
    if (day.querySelector('.closed').checked) {
      continue;
    }
    const ranges = rangesOf(day);
    let why = null;
    if (ranges.some(([from, to]) => !from || !to)) {
      why = 'hoursEmptyTime';
    } else if (ranges.some(([from, to]) => minutes(from, false) >= minutes(to, true))) {
      why = 'hoursEndBeforeStart';
    } else {
      const sorted = [...ranges].sort((a, b) => minutes(a[0], false) - minutes(b[0], false));
      if (sorted.some((r, i) => i > 0 && minutes(r[0], false) < minutes(sorted[i - 1][1], true))) {
        why = 'hoursOverlap';
      }
      weekly[day.dataset.day] = sorted.map(([from, to]) => [from, minutes(to, true) === 24 * 60 ? MIDNIGHT : to]);
    }
    if (why) {
      problems += 1;
      problem.textContent = app.text(why);
      day.classList.add('invalid');
    }
  }
  if (problems > 0) {
    app.notice(app.text('hoursProblems', { n: problems }));
    return null;
  }
  return weekly;
}

async function save(event) {
  event.preventDefault();
  const weekly = readWeek();
  if (!weekly) {
    return;
  }
  const holidays = [...$('hours-holidays').children].map((chip) => chip.dataset.date);
  try {
    await app.call('PUT', `${state.base}/centers/${path(state.center.code)}/hours`, { timezone: $('hours-timezone').value,
      weekly, holidays, outOfHours: $('hours-out').value });
    app.notice(app.text('hoursSaved', { center: state.center.name }));
    $('hours-form').hidden = true;
    state.onSaved();
  } catch (e) {
    app.failed(e);
  }
}

/** Opens the editor on {@code center} of the tenant at {@code base} (/api/tenants/{t}); {@code onSaved} redraws the list. */
export async function edit(base, center, onSaved) {
  let answer;
  try {
    answer = await app.call('GET', `${base}/centers/${path(center.code)}/hours`);
  } catch (e) {
    app.failed(e);
    return;
  }
  Object.assign(state, { center, base, onSaved });
  $('hours-title').textContent = app.text('hoursOf', { center: center.name });
  $('hours-timezone').replaceWith(timezonePicker('timezone', answer.timezone || center.timezone, 'hours-timezone'));
  $('hours-always-note').hidden = !answer.alwaysOpen;
  const weekly = answer.alwaysOpen ? Object.fromEntries(WEEKDAYS.map((d) => [d, SUGGESTED])) : answer.weekly;
  $('hours-days').replaceChildren(...DAYS.map((key) => dayRow(key, weekly[key] || [])));
  $('hours-holidays').replaceChildren(...(answer.holidays || []).map(holidayChip));
  $('hours-out').value = answer.outOfHours || 'OFFLINE_FORM';
  $('hours-form').hidden = false;
  $('hours-form').scrollIntoView({ block: 'nearest' });
}

/** In the other language the rows are drawn again, keeping what was entered. */
export function relabel() {
  if ($('hours-form').hidden) {
    return;
  }
  const days = [...$('hours-days').querySelectorAll('.day')].map((day) => [day.dataset.day,
    day.querySelector('.closed').checked ? [] : rangesOf(day)]);
  $('hours-days').replaceChildren(...days.map(([key, ranges]) => dayRow(key, ranges)));
  $('hours-holidays').replaceChildren(...[...$('hours-holidays').children].map((chip) => holidayChip(chip.dataset.date)));
  $('hours-title').textContent = app.text('hoursOf', { center: state.center.name });
  $('hours-timezone').replaceWith(timezonePicker('timezone', $('hours-timezone').value, 'hours-timezone'));
}

export function init() {
  $('hours-form').addEventListener('submit', save);
  $('hours-holiday-add').addEventListener('click', addHoliday);
  $('hours-cancel').addEventListener('click', () => {
    $('hours-form').hidden = true;
  });
  $('hours-always').addEventListener('click', async () => {
    try {
      await app.call('DELETE', `${state.base}/centers/${path(state.center.code)}/hours`);
      app.notice(app.text('alwaysOpenSaved', { center: state.center.name }));
      $('hours-form').hidden = true;
    } catch (e) {
      app.failed(e);
    }
  });
}
