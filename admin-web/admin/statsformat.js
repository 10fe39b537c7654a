// How statistics read to a person: intervals as local dates and hours ("11월 26일 (목)", "Nov 26 (Thu)",
// "14:00") instead of the API's timestamps, and an hourly report of many days as a day × hour heat map
// with hour-of-day totals instead of a row per hour (the CSV keeps every row).
import { app, el } from './app.js';

const WEEKDAYS = { ko: ['일', '월', '화', '수', '목', '금', '토'], en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The parts of an interval's start as the report's zone has them: the API writes local time with its offset
 * (2026-11-26T14:00+09:00), so the browser's own zone must not move them.
 */
function parts(start) {
  const [y, m, d] = start.slice(0, 10).split('-').map(Number);
  return { y, m, d, hour: Number(start.slice(11, 13)), weekday: new Date(Date.UTC(y, m - 1, d)).getUTCDay() };
}

/** A day: 11월 26일 (목) / Nov 26 (Thu). */
export function dayLabel(start) {
  const p = parts(start);
  const lang = app.lang === 'en' ? 'en' : 'ko';
  return lang === 'en' ? `${MONTHS[p.m - 1]} ${p.d} (${WEEKDAYS.en[p.weekday]})` : `${p.m}월 ${p.d}일 (${WEEKDAYS.ko[p.weekday]})`;
}

/** An hour: 14:00. */
export function hourLabel(hour) {
  return `${String(hour).padStart(2, '0')}:00`;
}

/** An interval's label: the day, the hour, or both when an hourly report covers more than one day. */
export function intervalLabel(report, start) {
  if (report.interval !== 'hour') {
    return dayLabel(start);
  }
  return manyDays(report) ? `${dayLabel(start)} ${hourLabel(parts(start).hour)}` : hourLabel(parts(start).hour);
}

/** Whether the report is hourly over more than one day: what the heat map and hour-of-day totals are for. */
export function manyDays(report) {
  return report.interval === 'hour' && report.from !== report.to;
}

/** Each hour of the day (0–23) with every day's figures of that hour added up; service level weighted by offered. */
export function hourOfDay(report) {
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, offered: 0, handled: 0, abandoned: 0, inTarget: 0 }));
  for (const i of report.intervals) {
    const h = hours[parts(i.start).hour];
    h.offered += i.figures.offered;
    h.handled += i.figures.handled;
    h.abandoned += i.figures.abandoned;
    h.inTarget += (i.figures.serviceLevel || 0) * i.figures.offered;
  }
  return hours.map((h) => ({ ...h, serviceLevel: h.offered ? h.inTarget / h.offered : null }));
}

/**
 * A day × hour table of conversations offered, each cell shaded by its share of the busiest hour and titled
 * with its handled and abandoned; a last row of hour-of-day totals.
 */
export function heatmap(table, report) {
  const head = el('tr');
  head.append(el('th', app.text('statsDay')));
  for (let hour = 0; hour < 24; hour++) {
    head.append(el('th', String(hour).padStart(2, '0')));
  }
  head.append(el('th', app.text('statsDayTotal')));
  table.tHead.replaceChildren(head);
  const body = table.tBodies[0];
  body.replaceChildren();
  const busiest = Math.max(1, ...report.intervals.map((i) => i.figures.offered));
  const days = new Map();
  for (const i of report.intervals) {
    const day = i.start.slice(0, 10);
    if (!days.has(day)) {
      days.set(day, { start: i.start, cells: new Array(24).fill(null) });
    }
    days.get(day).cells[parts(i.start).hour] = i.figures;
  }
  const cell = (row, figures, scale) => {
    const offered = figures ? figures.offered : 0;
    const heat = Math.min(1, offered / scale);
    const td = el('td', offered || '', heat > 0.5 ? 'heat hot' : 'heat');
    td.style.setProperty('--heat', String(heat));
    if (figures) {
      td.title = app.text('statsHeatTitle', { offered, handled: figures.handled, abandoned: figures.abandoned });
    }
    row.append(td);
  };
  for (const [day, { start, cells }] of days) {
    const row = body.insertRow();
    row.dataset.day = day;
    row.append(el('th', dayLabel(start)));
    cells.forEach((figures) => cell(row, figures, busiest));
    row.append(el('td', cells.reduce((sum, f) => sum + (f ? f.offered : 0), 0), 'sum'));
  }
  const totals = hourOfDay(report);
  const row = body.insertRow();
  row.className = 'hour-totals';
  row.append(el('th', app.text('statsHourTotal')));
  const busiestHour = Math.max(1, ...totals.map((h) => h.offered));
  totals.forEach((h) => cell(row, h, busiestHour));
  row.append(el('td', totals.reduce((sum, h) => sum + h.offered, 0), 'sum'));
}
