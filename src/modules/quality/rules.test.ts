import { describe, expect, it } from 'vitest';
import type { NoticeStatus } from '../../db/schema-quality.ts';
import {
  allowedNoticeActions,
  escalationLevel,
  inspectionScore,
  isOverdue,
  mayActOnNotice,
  NOTICE_ACTIONS,
  NOTICE_STATUSES,
  nextNoticeStatus,
  noticeNo,
  type NoticeAction,
  type NoticeRole,
  percent,
  periodsBetween,
  rectificationRate,
  scheduleDue,
  weekStartOf,
} from './rules.ts';

describe('the notice state machine', () => {
  // Every (action, status) pair: the expected next status, or null where the step is refused.
  const expected: Record<NoticeAction, Record<NoticeStatus, NoticeStatus | null>> = {
    rectify: { open: 'rectified', returned: 'rectified', rectified: null, closed: null, cancelled: null },
    verify: { open: null, returned: null, rectified: 'closed', closed: null, cancelled: null },
    sendBack: { open: null, returned: null, rectified: 'returned', closed: null, cancelled: null },
    extend: { open: 'open', returned: 'returned', rectified: null, closed: null, cancelled: null },
    cancel: { open: 'cancelled', returned: 'cancelled', rectified: 'cancelled', closed: null, cancelled: null },
  };
  const cases = NOTICE_ACTIONS.flatMap((a) => NOTICE_STATUSES.map((s) => [a, s, expected[a][s]] as const));
  it.each(cases)('%s from %s → %s', (action, status, to) => {
    expect(nextNoticeStatus(action, status)).toBe(to);
  });

  const who: Record<NoticeAction, NoticeRole[]> = { rectify: ['rectifier'], verify: ['inspector', 'manager'], sendBack: ['inspector', 'manager'], extend: ['manager'], cancel: ['manager'] };
  const roles: NoticeRole[] = ['rectifier', 'inspector', 'manager'];
  it.each(NOTICE_ACTIONS.flatMap((a) => roles.map((r) => [a, r, who[a].includes(r)] as const)))('%s by %s: %s', (action, role, allowed) => {
    expect(mayActOnNotice(action, [role])).toBe(allowed);
  });

  it('offers the buttons of the caller’s roles only', () => {
    expect(allowedNoticeActions('open', ['rectifier'])).toEqual(['rectify']);
    expect(allowedNoticeActions('rectified', ['rectifier'])).toEqual([]);
    expect(allowedNoticeActions('rectified', ['inspector'])).toEqual(['verify', 'sendBack']);
    expect(allowedNoticeActions('returned', ['manager'])).toEqual(['extend', 'cancel']);
    expect(allowedNoticeActions('closed', ['rectifier', 'inspector', 'manager'])).toEqual([]);
  });
});

describe('inspection score', () => {
  const items = [
    { id: 'a', maxPoints: 10, deducted: 0 },
    { id: 'b', maxPoints: 10, deducted: 2 },
    { id: 'c', maxPoints: 5, deducted: 0 },
  ];
  it.each([
    ['full marks', [], 23, 25],
    ['a finding on an item', [{ itemId: 'a', deduction: 3 }], 20, 25],
    ['two findings on one item never go below zero', [{ itemId: 'c', deduction: 4 }, { itemId: 'c', deduction: 4 }], 18, 25],
    ['a finding on no item comes off the total', [{ itemId: null, deduction: 5 }], 18, 25],
    ['an unknown item counts as no item', [{ itemId: 'zzz', deduction: 1 }], 22, 25],
    ['never below zero overall', [{ itemId: null, deduction: 100 }], 0, 25],
  ] as const)('%s', (_name, findings, score, max) => {
    const r = inspectionScore(items, findings);
    expect(r.score).toBe(score);
    expect(r.maxScore).toBe(max);
  });
  it('gives each item its points', () => {
    expect(inspectionScore(items, [{ itemId: 'b', deduction: 3 }]).byItem).toEqual({ a: 10, b: 5, c: 5 });
  });
  it.each([
    [85, 100, 85],
    [2, 3, 66.7],
    [0, 10, 0],
    [1, 0, null],
  ] as const)('percent(%d, %d) = %s', (s, m, p) => expect(percent(s, m)).toBe(p));
});

describe('schedules', () => {
  it.each([
    // 2026-11-25 is a Wednesday.
    [{ frequency: 'weekly', weekday: 3, monthDay: null }, '2026-11-25', true],
    [{ frequency: 'weekly', weekday: 3, monthDay: null }, '2026-11-24', false],
    [{ frequency: 'weekly', weekday: 7, monthDay: null }, '2026-11-29', true],
    [{ frequency: 'monthly', weekday: null, monthDay: 15 }, '2026-11-15', true],
    [{ frequency: 'monthly', weekday: null, monthDay: 15 }, '2026-11-16', false],
    // Day 31 falls on the last day of a shorter month, once.
    [{ frequency: 'monthly', weekday: null, monthDay: 31 }, '2026-11-30', true],
    [{ frequency: 'monthly', weekday: null, monthDay: 31 }, '2026-02-28', true],
    [{ frequency: 'monthly', weekday: null, monthDay: 30 }, '2028-02-29', true],
    [{ frequency: 'monthly', weekday: null, monthDay: 29 }, '2028-02-28', false],
    [{ frequency: 'monthly', weekday: null, monthDay: 31 }, '2026-12-30', false],
  ] as const)('%o on %s: %s', (rule, day, due) => expect(scheduleDue(rule, day)).toBe(due));

  it.each([
    ['2026-11-25', '2026-11-23'],
    ['2026-11-23', '2026-11-23'],
    ['2026-11-29', '2026-11-23'],
    ['2027-01-01', '2026-12-28'],
  ])('the week of %s starts %s', (day, monday) => expect(weekStartOf(day)).toBe(monday));

  it('lists weeks and months of a range', () => {
    expect(periodsBetween('2026-11-04', '2026-11-20', 'week')).toEqual(['2026-11-02', '2026-11-09', '2026-11-16']);
    expect(periodsBetween('2026-11-30', '2027-02-01', 'month')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
  });
});

describe('escalation and overdue', () => {
  const deadline = new Date('2026-11-20T10:00:00Z');
  const at = (iso: string) => new Date(iso);
  it.each([
    ['open', '2026-11-20T09:59:59Z', 0],
    ['open', '2026-11-20T10:00:00Z', 1],
    ['open', '2026-11-21T09:59:59Z', 1],
    ['open', '2026-11-21T10:00:00Z', 2],
    ['returned', '2026-11-25T00:00:00Z', 2],
    ['rectified', '2026-11-25T00:00:00Z', 0],
    ['closed', '2026-11-25T00:00:00Z', 0],
    ['cancelled', '2026-11-25T00:00:00Z', 0],
  ] as const)('%s at %s → level %d', (status, now, level) => expect(escalationLevel({ status, deadlineAt: deadline }, at(now))).toBe(level));
  it('is overdue only while awaiting rectification, after the deadline', () => {
    expect(isOverdue({ status: 'open', deadlineAt: deadline }, at('2026-11-20T10:00:01Z'))).toBe(true);
    expect(isOverdue({ status: 'open', deadlineAt: deadline }, at('2026-11-20T10:00:00Z'))).toBe(false);
    expect(isOverdue({ status: 'rectified', deadlineAt: deadline }, at('2026-11-22T00:00:00Z'))).toBe(false);
  });
});

describe('rectification rate', () => {
  const from = new Date('2026-11-16T00:00:00Z');
  const to = new Date('2026-11-23T00:00:00Z');
  const n = (status: NoticeStatus, deadline: string, rectified: string | null) => ({ status, deadlineAt: new Date(deadline), rectifiedAt: rectified ? new Date(rectified) : null });
  it.each([
    ['nothing due', [], 0, 0, null],
    ['one closed on time', [n('closed', '2026-11-18T10:00:00Z', '2026-11-18T09:00:00Z')], 1, 1, 100],
    ['closed but rectified late', [n('closed', '2026-11-18T10:00:00Z', '2026-11-18T11:00:00Z')], 1, 0, 0],
    ['rectified in time but not yet verified', [n('rectified', '2026-11-18T10:00:00Z', '2026-11-18T09:00:00Z')], 1, 0, 0],
    ['cancelled ones are not due', [n('cancelled', '2026-11-18T10:00:00Z', null), n('closed', '2026-11-19T10:00:00Z', '2026-11-19T10:00:00Z')], 1, 1, 100],
    ['outside the week is not due', [n('open', '2026-11-23T00:00:00Z', null), n('open', '2026-11-15T23:59:59Z', null)], 0, 0, null],
    [
      'three due, two on time',
      [n('closed', '2026-11-16T00:00:00Z', '2026-11-15T12:00:00Z'), n('closed', '2026-11-22T23:00:00Z', '2026-11-22T22:00:00Z'), n('open', '2026-11-20T00:00:00Z', null)],
      3,
      2,
      66.7,
    ],
  ] as const)('%s', (_name, notices, due, onTime, rate) => {
    expect(rectificationRate(notices, from, to)).toEqual({ due, closedOnTime: onTime, rate });
  });
  it('numbers notices per year', () => expect(noticeNo(2026, 1)).toBe('ZG2026-000001'));
});
