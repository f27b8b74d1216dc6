import { describe, expect, it } from 'vitest';
import { certificateStatus, coverageGaps, dueAlertStage, findOverlap, mondayOf, tooLongFor24h, weekDays, type CoverageEntry, type WorkEntry } from './rules.ts';

const day = { id: 'day', start: '08:00', end: '16:00' };
const swing = { id: 'swing', start: '16:00', end: '00:00' };
const night = { id: 'night', start: '00:00', end: '08:00' };
const lateNight = { id: 'late', start: '22:00', end: '06:00' };
const early = { id: 'early', start: '05:00', end: '13:00' };

describe('weeks', () => {
  it.each([
    ['2026-11-23', '2026-11-23'], // a Monday
    ['2026-11-29', '2026-11-23'], // Sunday
    ['2026-11-25', '2026-11-23'],
    ['2027-01-01', '2026-12-28'], // across the year
  ])('the Monday of %s is %s', (d, monday) => expect(mondayOf(d)).toBe(monday));

  it('lists seven days', () => expect(weekDays('2026-12-28')).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']));
});

describe('one person on two overlapping shifts', () => {
  const w = (index: number | null, userId: string, d: string, shift: WorkEntry['shift']): WorkEntry => ({ index, userId, day: d, shift });
  it.each<[string, WorkEntry[], [number | null, number | null] | null]>([
    ['early and day of the same date overlap', [w(0, 'u', '2026-11-23', early), w(1, 'u', '2026-11-23', day)], [1, 0]],
    ['day then swing only touch', [w(0, 'u', '2026-11-23', day), w(1, 'u', '2026-11-23', swing)], null],
    ['swing then next night only touch (16–24, 00–08)', [w(0, 'u', '2026-11-23', swing), w(1, 'u', '2026-11-24', night)], null],
    ['22:00–06:00 across midnight overlaps the next 05:00 shift', [w(0, 'u', '2026-11-23', lateNight), w(1, 'u', '2026-11-24', early)], [1, 0]],
    ['22:00–06:00 and the next day’s 08:00 shift are fine', [w(0, 'u', '2026-11-23', lateNight), w(1, 'u', '2026-11-24', day)], null],
    ['two people on the same shift are fine', [w(0, 'u', '2026-11-23', day), w(1, 'v', '2026-11-23', day)], null],
    ['a stored neighbour (no index) counts', [w(null, 'u', '2026-11-22', lateNight), w(4, 'u', '2026-11-23', early)], [4, null]],
    ['the later request entry is named even when listed first', [w(3, 'u', '2026-11-24', early), w(0, 'u', '2026-11-23', lateNight)], [3, 0]],
    ['a long day contains a short one', [w(0, 'u', '2026-11-23', { id: 'long', start: '06:00', end: '22:00' }), w(1, 'u', '2026-11-23', { id: 'mid', start: '10:00', end: '12:00' }), w(2, 'u', '2026-11-23', { id: 'late2', start: '14:00', end: '15:00' })], [1, 0]],
    ['no entries', [], null],
  ])('%s', (_, entries, expected) => {
    const found = findOverlap(entries);
    expect(found && [found[0].index, found[1].index]).toEqual(expected);
  });
});

describe('coverage of 24-hour posts', () => {
  const gate = { id: 'gate', minStaff: 1 };
  const monitor = { id: 'monitor', minStaff: 2 };
  const on = (postId: string, d: string, shift: CoverageEntry['shift']): CoverageEntry => ({ postId, day: d, shift });
  const full = (postId: string, d: string) => [on(postId, d, night), on(postId, d, day), on(postId, d, swing)];
  const brief = (gaps: ReturnType<typeof coverageGaps>) => gaps.map((g) => `${g.postId} ${g.day} ${g.from}-${g.to} ×${g.staffed}`);

  it.each<[string, Parameters<typeof coverageGaps>[0], string[], CoverageEntry[], string[]]>([
    ['three 8 h shifts cover the day', [gate], ['2026-11-23'], full('gate', '2026-11-23'), []],
    ['an empty day is one gap of 24 h', [gate], ['2026-11-23'], [], ['gate 2026-11-23 00:00-24:00 ×0']],
    ['a day off of the night shift leaves 00–08 open', [gate], ['2026-11-23'], [on('gate', '2026-11-23', day), on('gate', '2026-11-23', swing)], ['gate 2026-11-23 00:00-08:00 ×0']],
    [
      '22:00–06:00 of the day before covers the early hours; 06–08 stays open',
      [gate],
      ['2026-11-23'],
      [on('gate', '2026-11-22', lateNight), on('gate', '2026-11-23', day), on('gate', '2026-11-23', swing)],
      ['gate 2026-11-23 06:00-08:00 ×0'],
    ],
    [
      'a night shift across midnight counts for both days',
      [gate],
      ['2026-11-23', '2026-11-24'],
      [on('gate', '2026-11-23', { start: '00:00', end: '16:00' }), on('gate', '2026-11-23', lateNight), on('gate', '2026-11-24', { start: '06:00', end: '22:00' }), on('gate', '2026-11-24', lateNight)],
      ['gate 2026-11-23 16:00-22:00 ×0'],
    ],
    [
      'min staff 2: one person is not enough',
      [monitor],
      ['2026-11-23'],
      [...full('monitor', '2026-11-23'), on('monitor', '2026-11-23', day), on('monitor', '2026-11-23', swing)],
      ['monitor 2026-11-23 00:00-08:00 ×1'],
    ],
    ['entries of another post do not count', [gate], ['2026-11-23'], full('monitor', '2026-11-23'), ['gate 2026-11-23 00:00-24:00 ×0']],
  ])('%s', (_, posts, days, entries, expected) => {
    expect(brief(coverageGaps(posts, days, entries))).toEqual(expected);
  });

  it('counts the uncovered minutes', () => {
    const gaps = coverageGaps([gate], ['2026-11-23'], [on('gate', '2026-11-23', day)]);
    expect(gaps.reduce((n, g) => n + g.minutes, 0)).toBe(16 * 60);
  });
});

describe('shift length on a 24-hour post', () => {
  it.each([
    [day, false],
    [lateNight, false],
    [{ start: '08:00', end: '20:00' }, true],
    [{ start: '20:00', end: '08:00' }, true],
  ])('%o → %s', (shift, flagged) => expect(tooLongFor24h(shift)).toBe(flagged));
});

describe('certificates', () => {
  it.each([
    [{ expiresOn: null, revoked: false }, 'valid'],
    [{ expiresOn: '2027-06-01', revoked: false }, 'valid'],
    [{ expiresOn: '2027-01-22', revoked: false }, 'expiring'],
    [{ expiresOn: '2026-11-23', revoked: false }, 'expiring'],
    [{ expiresOn: '2026-11-22', revoked: false }, 'expired'],
    [{ expiresOn: '2027-06-01', revoked: true }, 'revoked'],
  ] as const)('%o on 2026-11-23 is %s', (c, status) => expect(certificateStatus(c, '2026-11-23')).toBe(status));

  it.each([
    ['2027-02-01', null], // 70 days
    ['2027-01-22', 60],
    ['2026-12-30', 60], // 37 days
    ['2026-12-23', 30],
    ['2026-11-24', 30],
    ['2026-11-23', 0],
    ['2026-11-22', null], // already expired
  ] as const)('expiring %s: stage %s', (expiresOn, stage) => expect(dueAlertStage(expiresOn, '2026-11-23')).toBe(stage));
});
