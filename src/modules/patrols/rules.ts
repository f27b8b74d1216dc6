import { minutesOf, nextDay, timeOf } from '../rosters/onshift.ts';
import { zonedInstant } from '../servicedesk/deadlines.ts';
import type { AnswerKind, PatrolTaskStatus, PlanFrequency } from '../../db/schema-patrols.ts';

/**
 * Patrol schedule rules, pure: the round windows of a plan inside its shift, who walks a round, whether an answer
 * is abnormal, what a task's status is, and whether a device's scan time is believable. No I/O.
 */

export interface PlanFrequencySpec {
  frequency: PlanFrequency;
  rounds?: number | null;
  intervalMinutes?: number | null;
  fixedTimes?: readonly string[] | null;
  windowMinutes?: number | null;
}

/** A round's window in minutes after midnight of the shift's business date (> 1440 after midnight of the next day). */
export interface RoundWindow {
  round: number;
  start: number;
  end: number;
}

/** A broken plan rule: the field to name and the message key with its parameters. */
export class PlanRuleError extends Error {
  constructor(
    readonly field: string,
    readonly key: 'validation.patrolWindowsOverlap' | 'validation.patrolWindowOutsideShift' | 'validation.patrolNoRound' | 'validation.patrolWindowTooShort' | 'validation.required',
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${field}: ${key}`);
  }
}

/** The shift as minutes after midnight of its date; a shift ending at or before its start ends the next day. */
export function shiftSpan(start: string, end: string): { start: number; end: number } {
  const s = minutesOf(start);
  const e = minutesOf(end);
  return { start: s, end: e > s ? e : e + 1440 };
}

export const windowLabel = (w: { start: number; end: number }) => `${timeOf(w.start)}–${timeOf(w.end)}`;

/**
 * The rounds of a plan on a shift:
 * - rounds N: the shift cut into N equal slots, each round's window the slot (or its first windowMinutes);
 * - interval N minutes: a round every N minutes from the shift's start, as many as fit, window N (or windowMinutes);
 * - fixed times: a round at each time, window windowMinutes; times before the start of a shift that crosses midnight
 *   are read as the next morning.
 * Windows must lie inside the shift and must not overlap one another.
 */
export function planWindows(spec: PlanFrequencySpec, shift: { start: string; end: string }): RoundWindow[] {
  const span = shiftSpan(shift.start, shift.end);
  const length = span.end - span.start;
  const w = spec.windowMinutes ?? null;
  let windows: RoundWindow[];
  if (spec.frequency === 'rounds') {
    if (!spec.rounds) throw new PlanRuleError('rounds', 'validation.required');
    const slot = Math.floor(length / spec.rounds);
    if (slot < 5) throw new PlanRuleError('rounds', 'validation.patrolNoRound', { shift: windowLabel(span) });
    if (w !== null && w > slot) throw new PlanRuleError('windowMinutes', 'validation.patrolWindowsOverlap', { a: 1, b: 2 });
    windows = Array.from({ length: spec.rounds }, (_, i) => ({ round: i + 1, start: span.start + i * slot, end: span.start + i * slot + (w ?? slot) }));
  } else if (spec.frequency === 'interval') {
    const every = spec.intervalMinutes;
    if (!every) throw new PlanRuleError('intervalMinutes', 'validation.required');
    const window = w ?? every;
    if (window > every) throw new PlanRuleError('windowMinutes', 'validation.patrolWindowsOverlap', { a: 1, b: 2 });
    const count = Math.floor((length - window) / every) + 1;
    if (count < 1 || window > length) throw new PlanRuleError('intervalMinutes', 'validation.patrolNoRound', { shift: windowLabel(span) });
    windows = Array.from({ length: count }, (_, i) => ({ round: i + 1, start: span.start + i * every, end: span.start + i * every + window }));
  } else {
    const times = spec.fixedTimes ?? [];
    if (!times.length) throw new PlanRuleError('fixedTimes', 'validation.required');
    if (!w) throw new PlanRuleError('windowMinutes', 'validation.required');
    const starts = times.map((t) => {
      const m = minutesOf(t);
      return span.end > 1440 && m < span.start ? m + 1440 : m;
    });
    windows = starts.sort((x, y) => x - y).map((s, i) => ({ round: i + 1, start: s, end: s + w }));
    for (const win of windows) {
      if (win.start < span.start || win.end > span.end) throw new PlanRuleError('fixedTimes', 'validation.patrolWindowOutsideShift', { window: windowLabel(win), shift: windowLabel(span) });
    }
  }
  for (let i = 1; i < windows.length; i++) {
    if (windows[i].start < windows[i - 1].end) throw new PlanRuleError(spec.frequency === 'fixed' ? 'fixedTimes' : 'windowMinutes', 'validation.patrolWindowsOverlap', { a: windows[i - 1].round, b: windows[i].round });
  }
  return windows;
}

/** A route with minutes per point needs windows long enough to walk all of its points. */
export function checkWalkable(windows: readonly RoundWindow[], points: number, minutesPerPoint: number | null): void {
  if (!minutesPerPoint || !windows.length) return;
  const shortest = Math.min(...windows.map((w) => w.end - w.start));
  if (shortest < points * minutesPerPoint) throw new PlanRuleError('windowMinutes', 'validation.patrolWindowTooShort', { minutes: shortest, points, perPoint: minutesPerPoint });
}

/** The instants of a round window on business date `day` in the community's zone. */
export function windowInstants(day: string, w: { start: number; end: number }, timeZone: string): { start: Date; end: Date } {
  const at = (m: number) => zonedInstant(nextDay(day, Math.floor(m / 1440)), timeOf(m), timeZone);
  return { start: at(w.start), end: at(w.end) };
}

/**
 * Who walks round `round` (1-based): `perRound` people taken in turn from the staff on the shift, so five guards and
 * three rounds share the work; `offset` (the plan's place among the plans of that shift) makes the next plan start
 * with the next person rather than giving every first round to the same guard. Fewer staff than needed → all of
 * them, flagged; none → unassigned.
 */
export function assigneesOf(staff: readonly string[], round: number, perRound: number, offset = 0): { userIds: string[]; flag: 'unassigned' | 'understaffed' | null } {
  if (!staff.length) return { userIds: [], flag: 'unassigned' };
  if (staff.length <= perRound) return { userIds: [...staff], flag: staff.length < perRound ? 'understaffed' : null };
  const first = ((round - 1 + offset) * perRound) % staff.length;
  return { userIds: Array.from({ length: perRound }, (_, i) => staff[(first + i) % staff.length]), flag: null };
}

export interface ChecklistRule {
  id: string;
  label: string;
  answerKind: AnswerKind;
  normalYes: boolean | null;
  minValue: number | null;
  maxValue: number | null;
  required: boolean;
}

export type AnswerProblem = { itemId: string; label: string; problem: 'missing' | 'type' | 'unknown' };

/**
 * Judges a check-in's answers against the checklist: problems (a required item unanswered, a wrong type, an item of
 * another checkpoint) are the caller's mistake; abnormal answers (a 'no' where 'yes' is normal, a number out of its
 * range) are findings.
 */
export function judgeAnswers(items: readonly ChecklistRule[], answers: ReadonlyArray<{ itemId: string; value: boolean | number | string | null }>) {
  const byId = new Map(items.map((i) => [i.id, i]));
  const problems: AnswerProblem[] = [];
  const judged: Array<{ itemId: string; label: string; value: boolean | number | string | null; abnormal: boolean }> = [];
  for (const a of answers) {
    if (!byId.has(a.itemId)) problems.push({ itemId: a.itemId, label: '', problem: 'unknown' });
  }
  for (const item of items) {
    const a = answers.find((x) => x.itemId === item.id);
    const value = a?.value ?? null;
    const blank = value === null || (typeof value === 'string' && value.trim() === '');
    if (blank) {
      if (item.required) problems.push({ itemId: item.id, label: item.label, problem: 'missing' });
      if (a) judged.push({ itemId: item.id, label: item.label, value: null, abnormal: false });
      continue;
    }
    const expected = item.answerKind === 'yesNo' ? 'boolean' : item.answerKind === 'number' ? 'number' : 'string';
    if (typeof value !== expected || (expected === 'number' && !Number.isFinite(value))) {
      problems.push({ itemId: item.id, label: item.label, problem: 'type' });
      continue;
    }
    let abnormal = false;
    if (item.answerKind === 'yesNo' && item.normalYes !== null) abnormal = value !== item.normalYes;
    if (item.answerKind === 'number') {
      const n = value as number;
      abnormal = (item.minValue !== null && n < item.minValue) || (item.maxValue !== null && n > item.maxValue);
    }
    judged.push({ itemId: item.id, label: item.label, value, abnormal });
  }
  return { problems, answers: judged, abnormal: judged.some((j) => j.abnormal) };
}

/**
 * A task's status from its points: done when every point is; open while any point is still pending (only the sweep
 * turns pending points into missed ones, after the window); then missed if none was visited, else partial.
 */
export function taskStatus(total: number, done: number, missed: number): PatrolTaskStatus {
  if (done >= total) return 'done';
  if (done + missed < total) return 'open';
  if (done === 0) return 'missed';
  return 'partial';
}

/** A phone's clock may run a little ahead; an offline check-in may wait a weekend for the network, not longer. */
export const SCAN_SKEW_MS = 2 * 60_000;
export const SCAN_MAX_AGE_HOURS = 72;

export function scanTimeProblem(scannedAt: Date, now: Date): 'future' | 'tooOld' | null {
  if (scannedAt.getTime() > now.getTime() + SCAN_SKEW_MS) return 'future';
  if (scannedAt.getTime() < now.getTime() - SCAN_MAX_AGE_HOURS * 3600_000) return 'tooOld';
  return null;
}
