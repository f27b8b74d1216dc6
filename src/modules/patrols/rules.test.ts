import { describe, expect, it } from 'vitest';
import { assigneesOf, checkWalkable, judgeAnswers, PlanRuleError, planWindows, scanTimeProblem, taskStatus, windowInstants, windowLabel } from './rules.ts';

const labels = (ws: Array<{ start: number; end: number }>) => ws.map(windowLabel);

describe('planWindows', () => {
  it.each([
    ['3 rounds over the day shift', { frequency: 'rounds', rounds: 3 }, ['08:00', '16:00'], ['08:00–10:40', '10:40–13:20', '13:20–16:00']],
    ['4 rounds over a night shift across midnight', { frequency: 'rounds', rounds: 4 }, ['22:00', '06:00'], ['22:00–00:00', '00:00–02:00', '02:00–04:00', '04:00–06:00']],
    ['2 rounds with 60-minute windows', { frequency: 'rounds', rounds: 2, windowMinutes: 60 }, ['08:00', '20:00'], ['08:00–09:00', '14:00–15:00']],
    ['hourly over an 8-hour shift', { frequency: 'interval', intervalMinutes: 60 }, ['00:00', '08:00'], ['00:00–01:00', '01:00–02:00', '02:00–03:00', '03:00–04:00', '04:00–05:00', '05:00–06:00', '06:00–07:00', '07:00–08:00']],
    ['every 2 h with 30-minute windows across midnight', { frequency: 'interval', intervalMinutes: 120, windowMinutes: 30 }, ['20:00', '02:00'], ['20:00–20:30', '22:00–22:30', '00:00–00:30']],
    ['fixed times, unsorted', { frequency: 'fixed', fixedTimes: ['15:00', '09:00'], windowMinutes: 30 }, ['08:00', '16:00'], ['09:00–09:30', '15:00–15:30']],
    ['fixed times after midnight on a night shift', { frequency: 'fixed', fixedTimes: ['23:00', '03:00'], windowMinutes: 60 }, ['22:00', '06:00'], ['23:00–00:00', '03:00–04:00']],
  ] as const)('%s', (_, spec, [start, end], expected) => {
    expect(labels(planWindows(spec, { start, end }))).toEqual(expected);
  });

  it('a night window after midnight is later than the shift start', () => {
    const [, second] = planWindows({ frequency: 'fixed', fixedTimes: ['23:00', '03:00'], windowMinutes: 60 }, { start: '22:00', end: '06:00' });
    expect(second.start).toBe(1440 + 180);
  });

  it.each([
    ['overlapping fixed windows', { frequency: 'fixed', fixedTimes: ['09:00', '09:20'], windowMinutes: 30 }, ['08:00', '16:00'], 'fixedTimes', 'validation.patrolWindowsOverlap'],
    ['a fixed window outside the shift', { frequency: 'fixed', fixedTimes: ['17:00'], windowMinutes: 30 }, ['08:00', '16:00'], 'fixedTimes', 'validation.patrolWindowOutsideShift'],
    ['a fixed window running past the shift end', { frequency: 'fixed', fixedTimes: ['15:45'], windowMinutes: 30 }, ['08:00', '16:00'], 'fixedTimes', 'validation.patrolWindowOutsideShift'],
    ['a window longer than the interval', { frequency: 'interval', intervalMinutes: 60, windowMinutes: 90 }, ['08:00', '16:00'], 'windowMinutes', 'validation.patrolWindowsOverlap'],
    ['a window longer than the round slot', { frequency: 'rounds', rounds: 4, windowMinutes: 150 }, ['08:00', '16:00'], 'windowMinutes', 'validation.patrolWindowsOverlap'],
    ['too many rounds for the shift', { frequency: 'rounds', rounds: 96 }, ['08:00', '09:00'], 'rounds', 'validation.patrolNoRound'],
    ['an interval longer than the shift', { frequency: 'interval', intervalMinutes: 600 }, ['08:00', '16:00'], 'intervalMinutes', 'validation.patrolNoRound'],
    ['rounds without a count', { frequency: 'rounds' }, ['08:00', '16:00'], 'rounds', 'validation.required'],
    ['fixed times without a window', { frequency: 'fixed', fixedTimes: ['09:00'] }, ['08:00', '16:00'], 'windowMinutes', 'validation.required'],
  ] as const)('refuses %s', (_, spec, [start, end], field, key) => {
    try {
      planWindows(spec, { start, end });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PlanRuleError);
      expect((err as PlanRuleError).field).toBe(field);
      expect((err as PlanRuleError).key).toBe(key);
    }
  });

  it('checks that a round can be walked in its window', () => {
    const windows = planWindows({ frequency: 'rounds', rounds: 2, windowMinutes: 30 }, { start: '08:00', end: '20:00' });
    expect(() => checkWalkable(windows, 5, 5)).not.toThrow();
    expect(() => checkWalkable(windows, 8, 5)).toThrow(PlanRuleError);
    expect(() => checkWalkable(windows, 50, null)).not.toThrow();
  });
});

describe('windowInstants', () => {
  it.each([
    ['a day window', { start: 8 * 60, end: 9 * 60 }, '2026-11-22T00:00:00.000Z', '2026-11-22T01:00:00.000Z'],
    ['a window across midnight belongs to the business date it starts on', { start: 23 * 60, end: 25 * 60 }, '2026-11-22T15:00:00.000Z', '2026-11-22T17:00:00.000Z'],
    ['a window after midnight of a night shift', { start: 27 * 60, end: 28 * 60 }, '2026-11-22T19:00:00.000Z', '2026-11-22T20:00:00.000Z'],
  ])('%s (Asia/Shanghai)', (_, w, start, end) => {
    const at = windowInstants('2026-11-22', w, 'Asia/Shanghai');
    expect([at.start.toISOString(), at.end.toISOString()]).toEqual([start, end]);
  });
});

describe('assigneesOf', () => {
  it.each([
    ['nobody rostered (a day off for everyone)', [], 1, 1, [], 'unassigned'],
    ['one guard, one per round', ['a'], 2, 1, ['a'], null],
    ['two at night but one rostered', ['a'], 1, 2, ['a'], 'understaffed'],
    ['rounds taken in turn', ['a', 'b', 'c'], 2, 1, ['b'], null],
    ['the turn wraps around', ['a', 'b', 'c'], 4, 1, ['a'], null],
    ['pairs taken in turn', ['a', 'b', 'c', 'd'], 2, 2, ['c', 'd'], null],
  ] as const)('%s', (_, staff, round, per, ids, flag) => {
    expect(assigneesOf(staff, round, per)).toEqual({ userIds: ids, flag });
  });
  it('the next plan of the shift starts with the next person', () => {
    expect([0, 1, 2, 3].map((offset) => assigneesOf(['a', 'b', 'c'], 1, 1, offset).userIds[0])).toEqual(['a', 'b', 'c', 'a']);
  });
});

describe('judgeAnswers', () => {
  const items = [
    { id: 'p', label: '消防栓压力正常', answerKind: 'yesNo' as const, normalYes: true, minValue: null, maxValue: null, required: true },
    { id: 't', label: '配电房温度', answerKind: 'number' as const, normalYes: null, minValue: 5, maxValue: 35, required: true },
    { id: 'n', label: '备注', answerKind: 'text' as const, normalYes: null, minValue: null, maxValue: null, required: false },
  ];
  it.each([
    ['normal answers', [{ itemId: 'p', value: true }, { itemId: 't', value: 24 }], false, []],
    ['a "no" where yes is normal', [{ itemId: 'p', value: false }, { itemId: 't', value: 24 }], true, []],
    ['a temperature above the range', [{ itemId: 'p', value: true }, { itemId: 't', value: 41.5 }], true, []],
    ['a temperature below the range', [{ itemId: 'p', value: true }, { itemId: 't', value: 2 }], true, []],
    ['the range ends are normal', [{ itemId: 'p', value: true }, { itemId: 't', value: 35 }], false, []],
    ['a required item unanswered', [{ itemId: 'p', value: true }], false, ['t:missing']],
    ['a wrong type', [{ itemId: 'p', value: 'yes' }, { itemId: 't', value: 20 }], false, ['p:type']],
    ['an item of another checkpoint', [{ itemId: 'p', value: true }, { itemId: 't', value: 20 }, { itemId: 'x', value: 1 }], false, ['x:unknown']],
  ])('%s', (_, answers, abnormal, problems) => {
    const r = judgeAnswers(items, answers);
    expect(r.abnormal).toBe(abnormal);
    expect(r.problems.map((p) => `${p.itemId}:${p.problem}`)).toEqual(problems);
  });
});

describe('taskStatus', () => {
  it.each([
    [5, 0, 0, 'open'],
    [5, 5, 0, 'done'],
    [5, 3, 0, 'open'],
    [5, 3, 2, 'partial'],
    [5, 0, 5, 'missed'],
    [5, 1, 3, 'open'],
  ] as const)('%i points, %i done, %i missed → %s', (total, done, missed, status) => {
    expect(taskStatus(total, done, missed)).toBe(status);
  });
});

describe('scanTimeProblem', () => {
  const now = new Date('2026-11-22T10:00:00Z');
  it.each([
    ['now', '2026-11-22T10:00:00Z', null],
    ['a minute ahead (phone clock drift)', '2026-11-22T10:01:00Z', null],
    ['ten minutes ahead', '2026-11-22T10:10:00Z', 'future'],
    ['two days ago (offline over a weekend)', '2026-11-20T10:00:00Z', null],
    ['four days ago', '2026-11-18T09:00:00Z', 'tooOld'],
  ])('%s', (_, at, problem) => {
    expect(scanTimeProblem(new Date(at), now)).toBe(problem);
  });
});
