import { describe, expect, it } from 'vitest';
import { completionCheck, isoWeekday, occursOn, pickAssignee, PRESETS, rate, type Schedule, scheduleProblem, shiftAt, slotsOf, weekOf } from './rules.ts';

const TZ = 'Asia/Shanghai';
const daily = (times: string[], windowMinutes = 60): Schedule => ({ frequency: 'daily', times, windowMinutes });

describe('on which dates an item falls due', () => {
  it.each<[string, Schedule, string, boolean]>([
    ['daily, any date', daily(['08:00']), '2026-11-23', true],
    ['twice a week Tue/Fri on a Tuesday', { frequency: 'weekly', times: ['10:00'], windowMinutes: 60, weekdays: [2, 5] }, '2026-11-24', true],
    ['twice a week Tue/Fri on a Friday', { frequency: 'weekly', times: ['10:00'], windowMinutes: 60, weekdays: [2, 5] }, '2026-11-27', true],
    ['twice a week Tue/Fri on a Wednesday', { frequency: 'weekly', times: ['10:00'], windowMinutes: 60, weekdays: [2, 5] }, '2026-11-25', false],
    ['weekly on Sunday (7)', { frequency: 'weekly', times: ['10:00'], windowMinutes: 60, weekdays: [7] }, '2026-11-29', true],
    ['half-monthly on the 1st', { frequency: 'halfMonthly', times: ['09:00'], windowMinutes: 60 }, '2026-12-01', true],
    ['half-monthly on the 16th', { frequency: 'halfMonthly', times: ['09:00'], windowMinutes: 60 }, '2026-11-16', true],
    ['half-monthly on the 15th', { frequency: 'halfMonthly', times: ['09:00'], windowMinutes: 60 }, '2026-11-15', false],
    ['monthly on the 10th', { frequency: 'monthly', times: ['09:00'], windowMinutes: 60, monthDay: 10 }, '2026-11-10', true],
    ['monthly on the 31st falls on 30 November', { frequency: 'monthly', times: ['09:00'], windowMinutes: 60, monthDay: 31 }, '2026-11-30', true],
    ['monthly on the 31st falls on 28 February', { frequency: 'monthly', times: ['09:00'], windowMinutes: 60, monthDay: 31 }, '2027-02-28', true],
    ['monthly on the 30th in a leap February is the 29th', { frequency: 'monthly', times: ['09:00'], windowMinutes: 60, monthDay: 30 }, '2028-02-29', true],
    ['monthly on the 30th not on 28 Feb of a leap year', { frequency: 'monthly', times: ['09:00'], windowMinutes: 60, monthDay: 30 }, '2028-02-28', false],
    ['monthly on the 31st, not on 30 December', { frequency: 'monthly', times: ['09:00'], windowMinutes: 60, monthDay: 31 }, '2026-12-30', false],
    ['yearly tree pruning 15 March', { frequency: 'yearly', times: ['08:00'], windowMinutes: 600, month: 3, monthDay: 15 }, '2027-03-15', true],
    ['yearly tree pruning, other month', { frequency: 'yearly', times: ['08:00'], windowMinutes: 600, month: 3, monthDay: 15 }, '2027-04-15', false],
    ['yearly on 29 February in a common year falls on the 28th', { frequency: 'yearly', times: ['08:00'], windowMinutes: 600, month: 2, monthDay: 29 }, '2027-02-28', true],
  ])('%s', (_name, s, day, expected) => {
    expect(occursOn(s, day)).toBe(expected);
  });

  it('knows ISO weekdays and weeks', () => {
    expect(isoWeekday('2026-11-23')).toBe(1);
    expect(isoWeekday('2026-11-29')).toBe(7);
    expect(weekOf('2026-11-29')).toBe('2026-11-23');
    expect(weekOf('2026-11-23')).toBe('2026-11-23');
  });
});

describe('slots of a day', () => {
  it('bins twice a day at 08:00 and 15:00 in Shanghai time, two-hour windows, late until two hours after', () => {
    const slots = slotsOf(daily(['08:00', '15:00'], 120), '2026-11-23', TZ);
    expect(slots.map((s) => [s.slot, s.startsAt.toISOString(), s.dueAt.toISOString(), s.closesAt.toISOString()])).toEqual([
      [0, '2026-11-23T00:00:00.000Z', '2026-11-23T02:00:00.000Z', '2026-11-23T04:00:00.000Z'],
      [1, '2026-11-23T07:00:00.000Z', '2026-11-23T09:00:00.000Z', '2026-11-23T11:00:00.000Z'],
    ]);
  });
  it('none on a date the item does not fall due', () => {
    expect(slotsOf({ frequency: 'weekly', times: ['10:00'], windowMinutes: 60, weekdays: [2] }, '2026-11-23', TZ)).toEqual([]);
  });
  it('a long window (monthly) is late for a day after it closes', () => {
    const [s] = slotsOf({ frequency: 'monthly', times: ['09:00'], windowMinutes: 2880, monthDay: 1 }, '2026-12-01', TZ);
    expect(s.dueAt.toISOString()).toBe('2026-12-03T01:00:00.000Z');
    expect(s.closesAt.toISOString()).toBe('2026-12-04T01:00:00.000Z');
  });
});

describe('invalid schedules name the field', () => {
  it.each<[string, Schedule, string | null]>([
    ['a good twice-daily schedule', daily(['08:00', '15:00'], 120), null],
    ['no time at all (zero frequency)', daily([], 60), 'times'],
    ['a bad time', daily(['25:00'], 60), 'times'],
    ['a time without minutes', daily(['8'], 60), 'times'],
    ['the same time twice', daily(['08:00', '08:00'], 60), 'times'],
    ['times out of order', daily(['15:00', '08:00'], 60), 'times'],
    ['overlapping slots (08:00 and 09:00 with a two-hour window)', daily(['08:00', '09:00'], 120), 'times'],
    ['slots that just touch', daily(['08:00', '10:00'], 120), null],
    ['a window reaching the next day’s first slot', daily(['08:00'], 1500), 'windowMinutes'],
    ['a window under ten minutes', daily(['08:00'], 5), 'windowMinutes'],
    ['weekly with no weekday', { frequency: 'weekly', times: ['10:00'], windowMinutes: 60, weekdays: [] }, 'weekdays'],
    ['weekly with weekday 8', { frequency: 'weekly', times: ['10:00'], windowMinutes: 60, weekdays: [8] }, 'weekdays'],
    ['weekly with the same weekday twice', { frequency: 'weekly', times: ['10:00'], windowMinutes: 60, weekdays: [2, 2] }, 'weekdays'],
    ['twice a week with a window longer than the gap', { frequency: 'weekly', times: ['10:00'], windowMinutes: 2 * 1440, weekdays: [2, 3] }, 'windowMinutes'],
    ['weekdays on a daily item', { ...daily(['08:00']), weekdays: [1] }, 'weekdays'],
    ['monthly without a day', { frequency: 'monthly', times: ['09:00'], windowMinutes: 60 }, 'monthDay'],
    ['a month on a monthly item', { frequency: 'monthly', times: ['09:00'], windowMinutes: 60, monthDay: 1, month: 3 }, 'month'],
    ['yearly without a month', { frequency: 'yearly', times: ['09:00'], windowMinutes: 60, monthDay: 1 }, 'month'],
    ['yearly on 31 April', { frequency: 'yearly', times: ['09:00'], windowMinutes: 60, monthDay: 31, month: 4 }, 'monthDay'],
    ['yearly on 29 February', { frequency: 'yearly', times: ['09:00'], windowMinutes: 60, monthDay: 29, month: 2 }, null],
    ['half-monthly with a 14-day window', { frequency: 'halfMonthly', times: ['09:00'], windowMinutes: 14 * 1440 }, 'windowMinutes'],
    ['a day of month on a half-monthly item', { frequency: 'halfMonthly', times: ['09:00'], windowMinutes: 60, monthDay: 1 }, 'monthDay'],
  ])('%s', (_name, s, field) => {
    expect(scheduleProblem(s)?.field ?? null).toBe(field);
  });

  it('every preset is a valid schedule', () => {
    for (const p of PRESETS) expect(scheduleProblem(p), p.key).toBeNull();
    expect(new Set(PRESETS.map((p) => p.key)).size).toBe(PRESETS.length);
  });
});

describe('completion', () => {
  const task = { startsAt: new Date('2026-11-23T00:00:00Z'), dueAt: new Date('2026-11-23T02:00:00Z'), closesAt: new Date('2026-11-23T04:00:00Z') };
  it.each<[string, string, ReturnType<typeof completionCheck>]>([
    ['inside the window', '2026-11-23T01:00:00Z', { ok: true, late: false }],
    ['at the end of the window', '2026-11-23T02:00:00Z', { ok: true, late: false }],
    ['half an hour early', '2026-11-22T23:30:00Z', { ok: true, late: false }],
    ['an hour early', '2026-11-22T23:00:00Z', { ok: false, reason: 'early' }],
    ['after the window', '2026-11-23T02:00:01Z', { ok: true, late: true }],
    ['after the grace', '2026-11-23T04:00:01Z', { ok: false, reason: 'closed' }],
  ])('%s', (_name, at, expected) => {
    expect(completionCheck(task, new Date(at))).toEqual(expected);
  });
});

describe('shifts and assignees', () => {
  const shifts = [
    { id: 'D', start_time: '08:00:00', end_time: '16:00:00' },
    { id: 'E', start_time: '16:00:00', end_time: '00:00:00' },
    { id: 'N', start_time: '00:00:00', end_time: '08:00:00' },
  ];
  it.each([
    ['08:00', 'D'],
    ['15:59', 'D'],
    ['16:00', 'E'],
    ['23:30', 'E'],
    ['07:00', 'N'],
  ])('%s is in shift %s', (time, id) => {
    expect(shiftAt(shifts, time)?.id).toBe(id);
  });
  it('a shift across midnight covers both sides', () => {
    const night = [{ id: 'X', start_time: '22:00:00', end_time: '06:00:00' }];
    expect(shiftAt(night, '23:00')?.id).toBe('X');
    expect(shiftAt(night, '05:00')?.id).toBe('X');
    expect(shiftAt(night, '12:00')).toBeNull();
  });
  it('the same area goes to the same person; nobody on duty is the team', () => {
    const staff = ['u1', 'u2', 'u3'];
    const a = pickAssignee(staff, '8d6b7d6e-0000-4000-8000-000000000001');
    expect(pickAssignee(staff, '8d6b7d6e-0000-4000-8000-000000000001')).toBe(a);
    expect(staff).toContain(a);
    expect(pickAssignee([], 'x')).toBeNull();
    const spread = new Set(Array.from({ length: 30 }, (_, i) => pickAssignee(staff, `area-${i}`)));
    expect(spread.size).toBe(3);
  });
  it('rates', () => {
    expect(rate(0, 0)).toBeNull();
    expect(rate(2, 3)).toBe(66.7);
    expect(rate(3, 3)).toBe(100);
  });
});
