import { describe, expect, it } from 'vitest';
import { addMonths, alertThreshold, dueDatesBetween, intactRate, isAbnormal, nextDueOn, occurrence, stepOf, transitionPermission } from './rules.ts';

describe('due dates of maintenance cycles', () => {
  it.each([
    // start, cycle, interval, k → due
    ['2026-01-31', 'monthly', 1, 1, '2026-02-28'],
    ['2026-01-31', 'monthly', 1, 2, '2026-03-31'],
    ['2028-01-31', 'monthly', 1, 1, '2028-02-29'],
    ['2026-01-30', 'monthly', 1, 1, '2026-02-28'],
    ['2026-03-31', 'quarterly', 1, 1, '2026-06-30'],
    ['2026-03-31', 'quarterly', 1, 2, '2026-09-30'],
    ['2026-03-31', 'quarterly', 1, 3, '2026-12-31'],
    ['2026-08-31', 'halfYearly', 1, 1, '2027-02-28'],
    ['2026-08-31', 'halfYearly', 1, 2, '2027-08-31'],
    ['2024-02-29', 'yearly', 1, 1, '2025-02-28'],
    ['2024-02-29', 'yearly', 1, 4, '2028-02-29'],
    ['2026-05-10', 'everyNYears', 2, 1, '2028-05-10'],
    ['2024-02-29', 'everyNYears', 2, 1, '2026-02-28'],
    ['2026-11-01', 'everyNDays', 15, 2, '2026-12-01'],
    ['2026-12-25', 'weekly', 1, 1, '2027-01-01'],
    ['2026-12-31', 'daily', 1, 1, '2027-01-01'],
    ['2026-01-15', 'everyNMonths', 6, 1, '2026-07-15'],
    ['2026-01-15', 'weekly', 2, 1, '2026-01-29'],
  ] as const)('%s %s×%i, occurrence %i → %s', (start, cycle, interval, k, due) => {
    expect(occurrence(start, cycle, interval, k)).toBe(due);
  });

  it('lists the due dates in a range, from the start and not after the end', () => {
    const halfYear = { start: '2026-03-31', cycle: 'halfYearly' as const, interval: 1 };
    expect(dueDatesBetween(halfYear, '2026-01-01', '2028-01-01')).toEqual(['2026-03-31', '2026-09-30', '2027-03-31', '2027-09-30']);
    expect(dueDatesBetween({ ...halfYear, end: '2027-03-31' }, '2026-01-01', '2028-01-01')).toEqual(['2026-03-31', '2026-09-30', '2027-03-31']);
    expect(dueDatesBetween({ start: '2026-11-01', cycle: 'everyNDays', interval: 15 }, '2026-11-10', '2026-12-20')).toEqual(['2026-11-16', '2026-12-01', '2026-12-16']);
    expect(dueDatesBetween({ start: '2020-01-31', cycle: 'monthly', interval: 1 }, '2026-02-01', '2026-04-30')).toEqual(['2026-02-28', '2026-03-31', '2026-04-30']);
    expect(dueDatesBetween({ start: '2026-05-01', cycle: 'daily', interval: 1 }, '2026-04-01', '2026-04-30')).toEqual([]);
    expect(dueDatesBetween({ start: '2026-05-01', cycle: 'daily', interval: 1 }, '2026-05-03', '2026-05-03')).toEqual(['2026-05-03']);
  });

  it('finds the next due date on or after a day', () => {
    expect(nextDueOn({ start: '2025-11-23', cycle: 'yearly', interval: 1 }, '2026-01-01')).toBe('2026-11-23');
    expect(nextDueOn({ start: '2026-11-23', cycle: 'everyNYears', interval: 2 }, '2026-11-24')).toBe('2028-11-23');
    expect(nextDueOn({ start: '2027-01-01', cycle: 'monthly', interval: 1 }, '2026-06-01')).toBe('2027-01-01');
  });

  it.each([0, -1, 1.5])('refuses an interval of %s', (n) => {
    expect(() => stepOf('everyNDays', n)).toThrow(RangeError);
  });

  it('adds months across year ends', () => {
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
  });
});

describe('status changes', () => {
  it.each([
    ['normal', 'fault', 'equipment.maintain'],
    ['fault', 'normal', 'equipment.maintain'],
    ['normal', 'stopped', 'equipment.manage'],
    ['fault', 'stopped', 'equipment.manage'],
    ['stopped', 'normal', 'equipment.manage'],
    ['stopped', 'fault', null],
    ['normal', 'normal', null],
  ] as const)('%s → %s needs %s', (from, to, perm) => {
    expect(transitionPermission(from, to)).toBe(perm);
  });
});

describe('intact rate', () => {
  it.each([
    [{ normal: 9, fault: 1 }, 90],
    [{ normal: 2, fault: 1 }, 66.67],
    [{ normal: 0, fault: 3 }, 0],
    [{ normal: 0, fault: 0 }, null],
  ])('%o → %s', (counts, rate) => expect(intactRate(counts)).toBe(rate));
});

describe('inspection alert thresholds', () => {
  it.each([
    ['2026-10-01', '2026-11-23', null],
    ['2026-10-24', '2026-11-23', 30],
    ['2026-11-15', '2026-11-23', 30],
    ['2026-11-16', '2026-11-23', 7],
    ['2026-11-23', '2026-11-23', 7],
    ['2026-11-24', '2026-11-23', null],
  ])('on %s for a due date %s → %s', (day, due, threshold) => expect(alertThreshold(day, due)).toBe(threshold));
});

describe('abnormal answers', () => {
  it.each([
    [{ label: 'x', kind: 'check' as const }, { index: 0, ok: false }, true],
    [{ label: 'x', kind: 'check' as const }, { index: 0, ok: true }, false],
    [{ label: 'p', kind: 'number' as const, min: 0.2, max: 0.8 }, { index: 0, value: 0.1 }, true],
    [{ label: 'p', kind: 'number' as const, min: 0.2, max: 0.8 }, { index: 0, value: 0.9 }, true],
    [{ label: 'p', kind: 'number' as const, min: 0.2, max: 0.8 }, { index: 0, value: 0.5 }, false],
    [{ label: 't', kind: 'number' as const, max: 90 }, { index: 0, value: 95 }, true],
    [{ label: 'n', kind: 'text' as const }, { index: 0, value: '异响' }, false],
  ])('%o %o → %s', (item, answer, abnormal) => expect(isAbnormal(item, answer)).toBe(abnormal));
});
