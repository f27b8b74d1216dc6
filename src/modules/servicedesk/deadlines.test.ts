import { describe, expect, it } from 'vitest';
import { calendarSeed } from './calendar-seed.ts';
import {
  addDuration,
  buildCalendar,
  DEFAULT_BUSINESS_HOURS,
  describeDuration,
  localDate,
  warnAt,
  workingDayInfo,
  zonedInstant,
  type BusinessHours,
  type DeadlineContext,
  type Duration,
  type DurationUnit,
} from './deadlines.ts';

const seed = calendarSeed();
const calendar = buildCalendar(seed.days, seed.years);
const shanghai: DeadlineContext = { calendar, hours: DEFAULT_BUSINESS_HOURS, timeZone: 'Asia/Shanghai' };
const onWorkingDays: DeadlineContext = { ...shanghai, hours: { ...DEFAULT_BUSINESS_HOURS, halfDayOn: 'workingDays' } };
const noLunch: DeadlineContext = { ...shanghai, hours: { ...DEFAULT_BUSINESS_HOURS, start: '09:00', end: '18:00', lunchStart: null, lunchEnd: null } };
const berlin: DeadlineContext = { ...shanghai, timeZone: 'Europe/Berlin' };

const dur = (amount: number, unit: DurationUnit): Duration => ({ amount, unit });
const iso = (d: Date) => d.toISOString();
const utc = (s: string) => new Date(s).toISOString();

describe('calendarSeed (chinese-days data)', () => {
  it.each([
    ['2026-10-01', 'holiday', '国庆节'],
    ['2026-10-07', 'holiday', '国庆节'],
    ['2026-09-20', 'workday', '国庆节'],
    ['2026-10-10', 'workday', '国庆节'],
    ['2026-02-14', 'workday', '春节'],
    ['2026-02-15', 'holiday', '春节'],
    ['2026-02-23', 'holiday', '春节'],
    ['2026-02-28', 'workday', '春节'],
    ['2004-01-01', 'holiday', '元旦'],
  ] as const)('%s is a %s (%s)', (day, kind, name) => {
    expect(seed.days.filter((d) => d.day === day)).toEqual([{ day, kind, name }]);
  });

  it('covers the years 2004..2026, sorted', () => {
    expect(seed.years).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
  });

  it('lists each day once, in date order', () => {
    const days = seed.days.map((d) => d.day);
    expect(days).toEqual([...new Set(days)].sort());
  });
});

describe('workingDayInfo', () => {
  it.each([
    ['2026-09-30', 'Wed before National Day', true, true],
    ['2026-10-01', 'National Day', false, true],
    ['2026-10-05', 'National Day holiday on a Monday', false, true],
    ['2026-10-07', 'last day of National Day', false, true],
    ['2026-10-08', 'Thu after National Day', true, true],
    ['2026-10-10', 'make-up Saturday', true, true],
    ['2026-10-11', 'ordinary Sunday', false, true],
    ['2026-09-20', 'make-up Sunday', true, true],
    ['2026-02-14', 'make-up Saturday before Spring Festival', true, true],
    ['2026-02-16', 'Spring Festival on a Monday', false, true],
    ['2026-02-24', 'Tue after Spring Festival', true, true],
    ['2026-02-28', 'make-up Saturday after Spring Festival', true, true],
    ['2027-01-01', 'Fri in an unpublished year: Mon–Fri rule', true, false],
    ['2027-01-02', 'Sat in an unpublished year', false, false],
    ['2003-12-31', 'Wed before the data starts', true, false],
  ])('%s (%s) → working %s, known %s', (day, _what, working, known) => {
    expect(workingDayInfo(calendar, day)).toEqual({ working, known });
  });
});

describe('addDuration: working days (due at 17:30 on the N-th working day after the start date)', () => {
  it.each([
    ['3-day public repair reported before National Day', '2026-09-30T10:00:00+08:00', 3, '2026-10-10T17:30:00+08:00', false],
    ['same, reported late that night', '2026-09-30T23:59:00+08:00', 3, '2026-10-10T17:30:00+08:00', false],
    ['local date, not UTC date (00:30 local = previous day UTC)', '2026-09-29T16:30:00Z', 3, '2026-10-10T17:30:00+08:00', false],
    ['7 days from Fri before Spring Festival', '2026-02-13T10:00:00+08:00', 7, '2026-03-02T17:30:00+08:00', false],
    ['7 days from Thu before Spring Festival', '2026-02-12T10:00:00+08:00', 7, '2026-02-28T17:30:00+08:00', false],
    ['1 day from the eve of Spring Festival lands on the make-up Saturday', '2026-02-13T16:00:00+08:00', 1, '2026-02-14T17:30:00+08:00', false],
    ['started on a holiday', '2026-10-03T09:00:00+08:00', 1, '2026-10-08T17:30:00+08:00', false],
    ['started on National Day itself', '2026-10-01T08:00:00+08:00', 3, '2026-10-10T17:30:00+08:00', false],
    ['started on a make-up Saturday (the day never counts)', '2026-10-10T09:00:00+08:00', 1, '2026-10-12T17:30:00+08:00', false],
    ['reaching the make-up Sunday Sep 20', '2026-09-19T10:00:00+08:00', 1, '2026-09-20T17:30:00+08:00', false],
    ['an ordinary weekend', '2026-11-06T10:00:00+08:00', 1, '2026-11-09T17:30:00+08:00', false],
    ['inside 2026 up to Dec 31', '2026-12-28T10:00:00+08:00', 3, '2026-12-31T17:30:00+08:00', false],
    ['into 2027 (not published): Jan 1 counts by Mon–Fri', '2026-12-28T10:00:00+08:00', 4, '2027-01-01T17:30:00+08:00', true],
    ['5 days from Dec 28 reach Mon 2027-01-04', '2026-12-28T10:00:00+08:00', 5, '2027-01-04T17:30:00+08:00', true],
  ])('%s: %s + %i → %s (beyondCalendar %s)', (_name, start, amount, due, beyond) => {
    const r = addDuration(new Date(start), dur(amount, 'workingDays'), shanghai);
    expect(iso(r.due)).toBe(utc(due));
    expect(r.beyondCalendar).toBe(beyond);
  });
});

describe('addDuration: half days (business time, lunch break excluded)', () => {
  it.each([
    ['reported 11:00 → over lunch', shanghai, '2026-09-15T11:00:00+08:00', 1, '2026-09-15T16:30:00+08:00', false],
    ['reported 16:00 → overnight', shanghai, '2026-09-15T16:00:00+08:00', 1, '2026-09-16T11:00:00+08:00', false],
    ['reported 20:00 → next morning and after lunch', shanghai, '2026-09-15T20:00:00+08:00', 1, '2026-09-16T14:00:00+08:00', false],
    ['reported 12:30 during lunch → counts from 13:30', shanghai, '2026-09-15T12:30:00+08:00', 1, '2026-09-15T17:30:00+08:00', false],
    ['reported 06:00 before opening', shanghai, '2026-09-15T06:00:00+08:00', 1, '2026-09-15T14:00:00+08:00', false],
    ['reported at 17:30 closing', shanghai, '2026-09-15T17:30:00+08:00', 1, '2026-09-16T14:00:00+08:00', false],
    ['seconds carry through', shanghai, '2026-09-15T11:00:37+08:00', 1, '2026-09-15T16:30:37+08:00', false],
    ['2 half days from 11:00', shanghai, '2026-09-15T11:00:00+08:00', 2, '2026-09-16T11:30:00+08:00', false],
    ['everyDay desk counts a holiday', shanghai, '2026-10-01T11:00:00+08:00', 1, '2026-10-01T16:30:00+08:00', false],
    ['working-days desk skips National Day', onWorkingDays, '2026-09-30T16:00:00+08:00', 1, '2026-10-08T11:00:00+08:00', false],
    ['working-days desk opens on a make-up Saturday', onWorkingDays, '2026-10-09T16:00:00+08:00', 1, '2026-10-10T11:00:00+08:00', false],
    ['working-days desk into 2027 is flagged', onWorkingDays, '2026-12-31T16:00:00+08:00', 1, '2027-01-01T11:00:00+08:00', true],
    ['no lunch break, 09:00–18:00', noLunch, '2026-09-15T11:00:00+08:00', 1, '2026-09-15T15:00:00+08:00', false],
    ['no lunch break, overnight', noLunch, '2026-09-15T16:00:00+08:00', 1, '2026-09-16T11:00:00+08:00', false],
  ])('%s', (_name, ctx, start, amount, due, beyond) => {
    const r = addDuration(new Date(start), dur(amount, 'halfDays'), ctx);
    expect(iso(r.due)).toBe(utc(due));
    expect(r.beyondCalendar).toBe(beyond);
  });
});

describe('addDuration: elapsed units ignore calendar and business hours', () => {
  it.each([
    ['10-minute urgent arrival at night on a holiday', shanghai, '2026-10-01T23:55:00+08:00', dur(10, 'minutes'), '2026-10-02T00:05:00+08:00'],
    ['24 hours across National Day', shanghai, '2026-09-30T18:00:00+08:00', dur(24, 'hours'), '2026-10-01T18:00:00+08:00'],
    ['2 days', shanghai, '2026-09-30T10:00:00+08:00', dur(2, 'days'), '2026-10-02T10:00:00+08:00'],
    ['hours in 2027 are not beyondCalendar', shanghai, '2027-03-01T10:00:00+08:00', dur(3, 'hours'), '2027-03-01T13:00:00+08:00'],
    // Berlin springs forward at 02:00 on 2026-03-29: 24 elapsed hours from 12:00 CET end at 13:00 CEST.
    ['24 hours over a DST change', berlin, '2026-03-28T12:00:00+01:00', dur(24, 'hours'), '2026-03-29T13:00:00+02:00'],
    ['1 day over a DST change is 24 h too', berlin, '2026-03-28T12:00:00+01:00', dur(1, 'days'), '2026-03-29T13:00:00+02:00'],
  ])('%s', (_name, ctx, start, d, due) => {
    const r = addDuration(new Date(start), d, ctx);
    expect(iso(r.due)).toBe(utc(due));
    expect(r.beyondCalendar).toBe(false);
  });

  it.each([
    ['working days', dur(1, 'workingDays'), '2026-03-30T17:30:00+02:00'],
    ['half days', dur(1, 'halfDays'), '2026-03-29T14:00:00+02:00'],
  ])('%s in Europe/Berlin follow local business hours across the DST change', (_name, d, due) => {
    expect(iso(addDuration(new Date('2026-03-28T20:00:00+01:00'), d, berlin).due)).toBe(utc(due));
  });
});

describe('warnAt', () => {
  it.each([
    ['80 % of a 3-working-day limit', '2026-09-30T10:00:00+08:00', '2026-10-10T17:30:00+08:00', 80, '2026-10-08T16:00:00+08:00'],
    ['80 % of 10 minutes', '2026-10-01T10:00:00+08:00', '2026-10-01T10:10:00+08:00', 80, '2026-10-01T10:08:00+08:00'],
    ['rounded down to the second', '2026-10-01T00:00:00.000Z', '2026-10-01T00:00:09.999Z', 80, '2026-10-01T00:00:07.000Z'],
    ['0 % is the start', '2026-10-01T10:00:00+08:00', '2026-10-02T10:00:00+08:00', 0, '2026-10-01T10:00:00+08:00'],
    ['100 % is the due time', '2026-10-01T10:00:00+08:00', '2026-10-02T10:00:00+08:00', 100, '2026-10-02T10:00:00+08:00'],
  ])('%s', (_name, start, due, percent, expected) => {
    expect(iso(warnAt(new Date(start), new Date(due), percent))).toBe(utc(expected));
  });
});

describe('localDate and zonedInstant', () => {
  it.each([
    ['2026-09-29T15:59:59Z', 'Asia/Shanghai', '2026-09-29'],
    ['2026-09-29T16:00:00Z', 'Asia/Shanghai', '2026-09-30'],
    ['2026-03-28T23:30:00Z', 'Europe/Berlin', '2026-03-29'],
    ['2026-07-01T06:00:00Z', 'America/Los_Angeles', '2026-06-30'],
    ['2026-07-01T06:00:00Z', 'UTC', '2026-07-01'],
  ])('localDate(%s, %s) = %s', (at, zone, expected) => {
    expect(localDate(new Date(at), zone)).toBe(expected);
  });

  it.each([
    ['2026-10-10', '17:30', 'Asia/Shanghai', '2026-10-10T09:30:00Z'],
    ['2026-01-15', '08:30', 'Europe/Berlin', '2026-01-15T07:30:00Z'],
    ['2026-07-15', '08:30', 'Europe/Berlin', '2026-07-15T06:30:00Z'],
    ['2026-03-29', '00:30', 'Europe/Berlin', '2026-03-28T23:30:00Z'],
    ['2026-03-29', '03:00', 'Europe/Berlin', '2026-03-29T01:00:00Z'],
    ['2026-03-29', '02:30', 'Europe/Berlin', '2026-03-29T01:30:00Z'], // gap: moves forward to 03:30 CEST
    ['2026-10-25', '02:30', 'Europe/Berlin', '2026-10-25T00:30:00Z'], // overlap: the earlier (CEST) instant
    ['2026-10-25', '03:00', 'Europe/Berlin', '2026-10-25T02:00:00Z'],
    ['2026-10-10', '17:30', 'Asia/Kolkata', '2026-10-10T12:00:00Z'],
    ['2026-11-01', '01:30', 'America/New_York', '2026-11-01T05:30:00Z'],
  ])('zonedInstant(%s, %s, %s) = %s', (day, time, zone, expected) => {
    expect(iso(zonedInstant(day, time, zone))).toBe(utc(expected));
  });
});

describe('describeDuration', () => {
  it.each([
    [dur(3, 'workingDays'), '3个工作日', '3 working days'],
    [dur(1, 'workingDays'), '1个工作日', '1 working day'],
    [dur(1, 'halfDays'), '半天', 'half a day'],
    [dur(3, 'halfDays'), '3个半天', '3 half-days'],
    [dur(10, 'minutes'), '10分钟', '10 minutes'],
    [dur(1, 'minutes'), '1分钟', '1 minute'],
    [dur(24, 'hours'), '24小时', '24 hours'],
    [dur(2, 'days'), '2天', '2 days'],
    [dur(1, 'days'), '1天', '1 day'],
  ])('%o → %s / %s', (d, zh, en) => {
    expect(describeDuration(d, 'zh-CN')).toBe(zh);
    expect(describeDuration(d, 'en')).toBe(en);
  });
});

describe('invalid input throws RangeError', () => {
  const start = new Date('2026-09-30T10:00:00+08:00');
  const withHours = (h: Partial<BusinessHours>): DeadlineContext => ({ ...shanghai, hours: { ...DEFAULT_BUSINESS_HOURS, ...h } });
  it.each([
    ['amount 0', () => addDuration(start, dur(0, 'hours'), shanghai), /positive integer/],
    ['negative amount', () => addDuration(start, dur(-1, 'days'), shanghai), /positive integer/],
    ['fractional amount', () => addDuration(start, dur(1.5, 'workingDays'), shanghai), /positive integer/],
    ['NaN amount', () => addDuration(start, dur(NaN, 'minutes'), shanghai), /positive integer/],
    ['unknown unit', () => addDuration(start, dur(1, 'weeks' as DurationUnit), shanghai), /unit/],
    ['invalid start', () => addDuration(new Date('nope'), dur(1, 'hours'), shanghai), /start/],
    ['unknown zone', () => addDuration(start, dur(1, 'hours'), { ...shanghai, timeZone: 'Mars/Olympus' }), /time zone/i],
    ['H:MM', () => addDuration(start, dur(1, 'halfDays'), withHours({ start: '8:30' })), /HH:MM/],
    ['24:00', () => addDuration(start, dur(1, 'halfDays'), withHours({ end: '24:00' })), /HH:MM/],
    ['end before start', () => addDuration(start, dur(1, 'workingDays'), withHours({ start: '18:00' })), /start before/],
    ['start equals end', () => addDuration(start, dur(1, 'workingDays'), withHours({ start: '17:30' })), /start before/],
    ['lunch outside hours', () => addDuration(start, dur(1, 'halfDays'), withHours({ lunchEnd: '18:00' })), /lunch/],
    ['lunch ends before it starts', () => addDuration(start, dur(1, 'halfDays'), withHours({ lunchStart: '13:30', lunchEnd: '12:00' })), /lunch/],
    ['half a lunch break', () => addDuration(start, dur(1, 'halfDays'), withHours({ lunchEnd: null })), /both/],
    ['halfDayHours 0', () => addDuration(start, dur(1, 'halfDays'), withHours({ halfDayHours: 0 })), /halfDayHours/],
    ['percent 101', () => warnAt(start, start, 101), /percent/],
    ['percent -1', () => warnAt(start, start, -1), /percent/],
    ['percent NaN', () => warnAt(start, start, NaN), /percent/],
    ['due before start', () => warnAt(start, new Date(start.getTime() - 1), 80), /before/],
    ['Feb 30', () => zonedInstant('2026-02-30', '10:00', 'Asia/Shanghai'), /YYYY-MM-DD/],
    ['time 25:00', () => zonedInstant('2026-02-10', '25:00', 'Asia/Shanghai'), /HH:MM/],
    ['day without dashes', () => workingDayInfo(calendar, '20261001'), /YYYY-MM-DD/],
    ['calendar day outside its years', () => buildCalendar([{ day: '2027-01-01', kind: 'holiday' }], [2026]), /outside/],
    ['day both holiday and workday', () => buildCalendar([{ day: '2026-10-01', kind: 'holiday' }, { day: '2026-10-01', kind: 'workday' }], [2026]), /both/],
    ['describe amount 0', () => describeDuration(dur(0, 'days'), 'en'), /positive integer/],
    ['an absurd working-day count', () => addDuration(start, dur(100_000, 'workingDays'), shanghai), /spans more than/],
  ])('%s', (_name, call, message) => {
    expect(call).toThrow(RangeError);
    expect(call).toThrow(message);
  });
});
