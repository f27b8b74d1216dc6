/**
 * Deadlines of service-desk tickets (报事报修时限). Pure: no I/O, no clock; the caller passes the start instant,
 * the work calendar and the community's time zone.
 *
 * Units of a time limit:
 * - minutes / hours / days: elapsed time (days = N × 24 h), regardless of calendar, business hours or DST.
 * - halfDays: N × halfDayHours hours of business time, counted only inside [start, end) minus the lunch break
 *   [lunchStart, lunchEnd), on every day (halfDayOn 'everyDay') or only on working days ('workingDays'). A clock
 *   started outside business hours starts counting at the next business opening. With the defaults
 *   (08:30–17:30, lunch 12:00–13:30, 4 h): reported 11:00 → 1 h before lunch + 3 h after 13:30 → due 16:30 the
 *   same day; 16:00 → 1.5 h today + 2.5 h from 08:30 → due 11:00 next day; 20:00 → 3.5 h 08:30–12:00 + 0.5 h
 *   after 13:30 → due 14:00 next day; 12:30 (lunch) → counting starts 13:30 → due 17:30 the same day.
 * - workingDays: due at business `end` on the N-th working day AFTER the local date of the start (the start day
 *   itself never counts, whatever the time). Working days follow the PRC calendar with 调休: statutory holidays
 *   are off, make-up Saturdays/Sundays are working days. 3 working days from 2026-09-30 10:00: Oct 1–7 off,
 *   Oct 8 = 1, Oct 9 = 2, Sat Oct 10 (make-up day) = 3 → due 2026-10-10 17:30.
 *
 * A year missing from the calendar's knownYears (no official notice yet): its days follow the Mon–Fri rule and
 * the result says beyondCalendar = true, so the caller can show the deadline as provisional — never silently.
 * Elapsed units consult no calendar and are never beyondCalendar.
 *
 * Local dates and times are in the given IANA zone (Asia/Shanghai for most communities). A local time that does
 * not exist (DST gap) moves forward by the gap; one that occurs twice (DST overlap) is the earlier instant.
 *
 * Bad arguments are programmer errors (user input is validated with Zod before): they throw a RangeError.
 */

export type DurationUnit = 'minutes' | 'hours' | 'halfDays' | 'days' | 'workingDays';

/** amount: a positive integer. */
export interface Duration {
  amount: number;
  unit: DurationUnit;
}

export interface BusinessHours {
  /** 'HH:MM' local */
  start: string;
  end: string;
  lunchStart: string | null;
  lunchEnd: string | null;
  /** Business hours in "half a day". */
  halfDayHours: number;
  /** Property desks usually work every day. */
  halfDayOn: 'everyDay' | 'workingDays';
}

export const DEFAULT_BUSINESS_HOURS: BusinessHours = Object.freeze({
  start: '08:30',
  end: '17:30',
  lunchStart: '12:00',
  lunchEnd: '13:30',
  halfDayHours: 4,
  halfDayOn: 'everyDay',
});

export interface WorkCalendar {
  /** 'YYYY-MM-DD' days off (statutory holidays, including ones falling on a weekend). */
  holidays: ReadonlySet<string>;
  /** Make-up working days on a Saturday or Sunday (调休上班). */
  workdays: ReadonlySet<string>;
  /** Years the calendar covers (official notice published). */
  knownYears: ReadonlySet<number>;
}

export interface DeadlineContext {
  calendar: WorkCalendar;
  hours: BusinessHours;
  /** IANA, e.g. 'Asia/Shanghai' */
  timeZone: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A working-day or business-time count that walks further than this is a bad amount, not a real time limit. */
const MAX_SPAN_DAYS = 3660;
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function buildCalendar(days: Array<{ day: string; kind: 'holiday' | 'workday' }>, years: Iterable<number>): WorkCalendar {
  const knownYears = new Set<number>();
  for (const y of years) {
    if (!Number.isInteger(y)) throw new RangeError(`Calendar year must be an integer, got ${y}`);
    knownYears.add(y);
  }
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  for (const { day, kind } of days) {
    const n = parseDay(day);
    if (!knownYears.has(yearOf(n))) throw new RangeError(`Calendar day ${day} lies outside the calendar's years`);
    if (kind !== 'holiday' && kind !== 'workday') throw new RangeError(`Calendar day ${day} has unknown kind "${kind}"`);
    const [own, other] = kind === 'holiday' ? [holidays, workdays] : [workdays, holidays];
    if (other.has(day)) throw new RangeError(`Calendar day ${day} is both a holiday and a make-up working day`);
    own.add(day);
  }
  return { holidays, workdays, knownYears };
}

/** true/false for a known year; for a year outside knownYears: Mon–Fri rule and `known: false`. */
export function workingDayInfo(cal: WorkCalendar, day: string): { working: boolean; known: boolean } {
  return dayInfo(cal, parseDay(day), day);
}

/**
 * The deadline for a clock started at `start`. beyondCalendar: some day used in the computation lies in a year
 * the calendar does not cover (computed with the Mon–Fri rule and flagged, never silently).
 */
export function addDuration(start: Date, d: Duration, ctx: DeadlineContext): { due: Date; beyondCalendar: boolean } {
  checkDuration(d);
  const t = instantMs(start, 'start');
  const hours = parseHours(ctx.hours);
  formatterFor(ctx.timeZone); // an unknown zone fails here, whatever the unit
  switch (d.unit) {
    case 'minutes':
      return elapsed(t, d.amount * MINUTE);
    case 'hours':
      return elapsed(t, d.amount * HOUR);
    case 'days':
      return elapsed(t, d.amount * DAY);
    case 'workingDays':
      return addWorkingDays(t, d.amount, hours, ctx);
    case 'halfDays':
      return addBusinessTime(t, d.amount * hours.halfDayMs, hours, ctx);
  }
}

/** The instant at `percent` (0–100) of the way from start to due (the at-risk warning point), rounded down to the second. */
export function warnAt(start: Date, due: Date, percent: number): Date {
  const s = instantMs(start, 'start');
  const e = instantMs(due, 'due');
  if (e < s) throw new RangeError('due must not be before start');
  if (!(percent >= 0 && percent <= 100)) throw new RangeError(`percent must be within 0–100, got ${percent}`);
  return new Date(Math.floor((s + ((e - s) * percent) / 100) / 1000) * 1000);
}

/** Local calendar date 'YYYY-MM-DD' of an instant in a zone. */
export function localDate(at: Date, timeZone: string): string {
  return dayString(localDay(instantMs(at, 'at'), timeZone));
}

/** The instant of a local date and time in a zone (see the top for DST gaps and overlaps). */
export function zonedInstant(day: string, time: string, timeZone: string): Date {
  formatterFor(timeZone);
  return new Date(instantAt(parseDay(day), parseTime(time, 'time'), timeZone));
}

const ZH: Record<DurationUnit, (n: number) => string> = {
  minutes: (n) => `${n}分钟`,
  hours: (n) => `${n}小时`,
  halfDays: (n) => (n === 1 ? '半天' : `${n}个半天`),
  days: (n) => `${n}天`,
  workingDays: (n) => `${n}个工作日`,
};
const EN: Record<DurationUnit, (n: number) => string> = {
  minutes: (n) => (n === 1 ? '1 minute' : `${n} minutes`),
  hours: (n) => (n === 1 ? '1 hour' : `${n} hours`),
  halfDays: (n) => (n === 1 ? 'half a day' : `${n} half-days`),
  days: (n) => (n === 1 ? '1 day' : `${n} days`),
  workingDays: (n) => (n === 1 ? '1 working day' : `${n} working days`),
};

/** '3个工作日' / '3 working days', '半天' / 'half a day', '10分钟', '24小时', '2天'. */
export function describeDuration(d: Duration, lang: 'zh-CN' | 'en'): string {
  checkDuration(d);
  if (lang !== 'zh-CN' && lang !== 'en') throw new RangeError(`Unknown language "${lang}"`);
  return (lang === 'en' ? EN : ZH)[d.unit](d.amount);
}

// ---- units ----

interface Hours {
  startMin: number;
  endMin: number;
  /** Business periods of a day as [from, to, from, to…], minutes after local midnight, lunch removed. */
  periods: number[];
  halfDayMs: number;
  halfDayOn: BusinessHours['halfDayOn'];
}

function elapsed(t: number, ms: number) {
  const due = new Date(t + ms);
  if (Number.isNaN(due.getTime())) throw new RangeError('The deadline lies outside the representable date range');
  return { due, beyondCalendar: false };
}

function addWorkingDays(t: number, amount: number, hours: Hours, ctx: DeadlineContext) {
  const first = localDay(t, ctx.timeZone);
  let day = first;
  let counted = 0;
  let beyondCalendar = false;
  while (counted < amount) {
    day++;
    if (day - first > MAX_SPAN_DAYS) throw new RangeError(`${amount} working days spans more than ${MAX_SPAN_DAYS} days`);
    const info = dayInfo(ctx.calendar, day);
    if (!info.known) beyondCalendar = true;
    if (info.working) counted++;
  }
  return { due: new Date(instantAt(day, hours.endMin, ctx.timeZone)), beyondCalendar };
}

function addBusinessTime(t: number, ms: number, hours: Hours, ctx: DeadlineContext) {
  const first = localDay(t, ctx.timeZone);
  let remaining = ms;
  let beyondCalendar = false;
  for (let day = first; day - first <= MAX_SPAN_DAYS; day++) {
    if (hours.halfDayOn === 'workingDays') {
      const info = dayInfo(ctx.calendar, day);
      if (!info.known) beyondCalendar = true;
      if (!info.working) continue;
    }
    const at = instantsOfDay(day, hours.periods, ctx.timeZone);
    for (let i = 0; i < at.length; i += 2) {
      const end = at[i + 1];
      if (end <= t) continue;
      const begin = Math.max(at[i], t);
      if (remaining <= end - begin) return { due: new Date(begin + remaining), beyondCalendar };
      remaining -= Math.max(0, end - begin);
    }
  }
  throw new RangeError(`The business time spans more than ${MAX_SPAN_DAYS} days`);
}

// ---- validation ----

function checkDuration(d: Duration) {
  if (!Number.isSafeInteger(d.amount) || d.amount <= 0) throw new RangeError(`Duration amount must be a positive integer, got ${d.amount}`);
  if (!(d.unit in ZH)) throw new RangeError(`Unknown duration unit "${d.unit}"`);
}

function instantMs(at: Date, name: string): number {
  const t = at instanceof Date ? at.getTime() : NaN;
  if (Number.isNaN(t)) throw new RangeError(`${name} must be a valid Date`);
  return t;
}

function parseTime(time: string, name: string): number {
  const m = TIME_RE.exec(time);
  if (!m) throw new RangeError(`${name} must be HH:MM (00:00–23:59), got "${time}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function parseHours(h: BusinessHours): Hours {
  const startMin = parseTime(h.start, 'hours.start');
  const endMin = parseTime(h.end, 'hours.end');
  if (startMin >= endMin) throw new RangeError(`Business hours must start before they end (${h.start}–${h.end})`);
  if (!(h.halfDayHours > 0 && Number.isFinite(h.halfDayHours))) throw new RangeError(`halfDayHours must be a positive number, got ${h.halfDayHours}`);
  if (h.halfDayOn !== 'everyDay' && h.halfDayOn !== 'workingDays') throw new RangeError(`Unknown halfDayOn "${h.halfDayOn}"`);
  const base = { startMin, endMin, halfDayMs: h.halfDayHours * HOUR, halfDayOn: h.halfDayOn };
  if (h.lunchStart === null && h.lunchEnd === null) return { ...base, periods: [startMin, endMin] };
  if (h.lunchStart === null || h.lunchEnd === null) throw new RangeError('lunchStart and lunchEnd must both be set or both be null');
  const lunchStart = parseTime(h.lunchStart, 'hours.lunchStart');
  const lunchEnd = parseTime(h.lunchEnd, 'hours.lunchEnd');
  if (!(startMin < lunchStart && lunchStart < lunchEnd && lunchEnd < endMin)) {
    throw new RangeError(`The lunch break ${h.lunchStart}–${h.lunchEnd} must lie inside business hours ${h.start}–${h.end}`);
  }
  return { ...base, periods: [startMin, lunchStart, lunchEnd, endMin] };
}

// ---- days: a local date is its day number since 1970-01-01 ----

function parseDay(day: string): number {
  const m = DAY_RE.exec(day);
  if (m) {
    const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    if (dayString(t / DAY) === day) return t / DAY;
  }
  throw new RangeError(`Expected a date as YYYY-MM-DD, got "${day}"`);
}

function dayString(n: number): string {
  return new Date(n * DAY).toISOString().slice(0, 10);
}

function yearOf(n: number): number {
  return new Date(n * DAY).getUTCFullYear();
}

function dayInfo(cal: WorkCalendar, n: number, day = dayString(n)): { working: boolean; known: boolean } {
  const weekday = new Date(n * DAY).getUTCDay();
  const monToFri = weekday >= 1 && weekday <= 5;
  if (!cal.knownYears.has(yearOf(n))) return { working: monToFri, known: false };
  if (cal.holidays.has(day)) return { working: false, known: true };
  return { working: monToFri || cal.workdays.has(day), known: true };
}

// ---- time zones, through Intl (no dependency) ----

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws a RangeError for an unknown zone. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local wall-clock time of an instant, as if it were UTC (ms, whole seconds). */
function wallClock(t: number, timeZone: string): number {
  const p = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(t)) {
    if (part.type in p) p[part.type as keyof typeof p] = Number(part.value);
  }
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

function offsetAt(t: number, timeZone: string): number {
  return wallClock(t, timeZone) - (t - (((t % 1000) + 1000) % 1000));
}

function localDay(t: number, timeZone: string): number {
  return Math.floor(wallClock(t, timeZone) / DAY);
}

/**
 * The instant of a local day + minute. Offsets a day before and after bracket any transition; when they differ,
 * the candidate whose offset is consistent wins (the earlier one in an overlap), and in a gap the time moves
 * forward by the gap.
 */
function instantAt(day: number, minute: number, timeZone: string): number {
  const wall = day * DAY + minute * MINUTE;
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  if (before === after) return wall - before;
  const byBefore = wall - before;
  const byAfter = wall - after;
  const beforeFits = offsetAt(byBefore, timeZone) === before;
  const afterFits = offsetAt(byAfter, timeZone) === after;
  if (beforeFits && afterFits) return Math.min(byBefore, byAfter);
  if (afterFits) return byAfter;
  return byBefore; // fits, or a gap: the earlier offset puts the time after the gap
}

/** instantAt for several times of one day, with one pair of offset look-ups when no transition is near. */
function instantsOfDay(day: number, minutes: number[], timeZone: string): number[] {
  const before = offsetAt((day - 1) * DAY, timeZone);
  const after = offsetAt((day + 2) * DAY, timeZone);
  if (before === after) return minutes.map((m) => day * DAY + m * MINUTE - before);
  return minutes.map((m) => instantAt(day, m, timeZone));
}
