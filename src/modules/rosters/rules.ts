import { minutesOf, nextDay, shiftMinutes, timeOf } from './onshift.ts';

/**
 * The roster's rules, pure: week arithmetic, when two entries of one person overlap, which hours of a 24-hour post
 * are left with fewer than its minimum staff, and a certificate's expiry status. No I/O; the services feed them rows.
 */

/** DOMAIN.md §6: monitoring centre and plant rooms are staffed 24 h with shifts of at most 8 h. */
export const MAX_SHIFT_MINUTES_ON_24H_POST = 8 * 60;

/** 0 = Monday … 6 = Sunday, of a calendar date 'YYYY-MM-DD'. */
export function weekdayOf(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** The Monday of the week `day` falls in. */
export function mondayOf(day: string): string {
  return nextDay(day, -weekdayOf(day));
}

/** The seven dates of the week starting on `monday`. */
export function weekDays(monday: string): string[] {
  return Array.from({ length: 7 }, (_, i) => nextDay(monday, i));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export interface ShiftTimes {
  start: string;
  end: string;
}

/** A shift of business date `day` as [start, end) minutes counted from 00:00 of `origin` (a date before it). */
export function shiftSpan(origin: string, day: string, shift: ShiftTimes): { from: number; to: number } {
  const from = daysBetween(origin, day) * 1440 + minutesOf(shift.start);
  return { from, to: from + shiftMinutes(shift.start, shift.end) };
}

/** A shift longer than 8 h may not staff a 24-hour post (it is flagged, not refused). */
export function tooLongFor24h(shift: ShiftTimes): boolean {
  return shiftMinutes(shift.start, shift.end) > MAX_SHIFT_MINUTES_ON_24H_POST;
}

export interface WorkEntry {
  /** Where the entry sits in the request, for the error message (entries[3]); null for rows already stored. */
  index: number | null;
  userId: string;
  day: string;
  shift: ShiftTimes & { id: string };
}

/**
 * The first pair of work entries of one person whose shifts overlap in time (夜班 of Monday 22:00–06:00 and 早班 of
 * Tuesday 05:00–13:00 do; 中班 16:00–24:00 and 夜班 00:00–08:00 of the next day only touch). Returns the pair,
 * the later of the two in request order first, or null.
 */
export function findOverlap(entries: readonly WorkEntry[]): [WorkEntry, WorkEntry] | null {
  if (!entries.length) return null;
  const origin = entries.reduce((min, e) => (e.day < min ? e.day : min), entries[0].day);
  const byUser = new Map<string, Array<WorkEntry & { from: number; to: number }>>();
  for (const e of entries) {
    const list = byUser.get(e.userId) ?? [];
    list.push({ ...e, ...shiftSpan(origin, e.day, e.shift) });
    byUser.set(e.userId, list);
  }
  for (const list of byUser.values()) {
    list.sort((a, b) => a.from - b.from || a.to - b.to);
    for (let i = 1; i < list.length; i++) {
      // Only the previous span that reaches furthest can overlap the next one.
      const reach = list.slice(0, i).reduce((best, e) => (e.to > best.to ? e : best));
      if (list[i].from < reach.to) {
        const [a, b] = [reach, list[i]];
        const later = (a.index ?? -1) > (b.index ?? -1) ? a : b;
        const other = later === a ? b : a;
        return [strip(later), strip(other)];
      }
    }
  }
  return null;
}
const strip = ({ from: _f, to: _t, ...e }: WorkEntry & { from: number; to: number }): WorkEntry => e;

export interface CoveragePost {
  id: string;
  minStaff: number;
}

export interface CoverageEntry {
  postId: string;
  day: string;
  shift: ShiftTimes;
}

export interface CoverageGap {
  postId: string;
  day: string;
  /** 'HH:MM' within the day; `to` is '24:00' at the end of the day. */
  from: string;
  to: string;
  /** How many people are on the post in that stretch (fewer than minStaff). */
  staffed: number;
  minutes: number;
}

/**
 * For each 24-hour post and each day, the stretches with fewer than `minStaff` people on it. A night shift of the
 * day before that runs past midnight covers the early hours, so callers pass entries from the day before the first
 * day too. Per post and day, the uncovered minutes are the sum of the gaps.
 */
export function coverageGaps(posts: readonly CoveragePost[], days: readonly string[], entries: readonly CoverageEntry[]): CoverageGap[] {
  const gaps: CoverageGap[] = [];
  for (const post of posts) {
    const mine = entries.filter((e) => e.postId === post.id);
    for (const day of days) {
      // +1 at a shift's start, −1 at its end, clipped to [0, 1440) of this day.
      const delta = new Map<number, number>([
        [0, 0],
        [1440, 0],
      ]);
      for (const e of mine) {
        const span = shiftSpan(day, e.day, e.shift);
        const from = Math.max(span.from, 0);
        const to = Math.min(span.to, 1440);
        if (from >= to) continue;
        delta.set(from, (delta.get(from) ?? 0) + 1);
        delta.set(to, (delta.get(to) ?? 0) - 1);
      }
      const points = [...delta.keys()].sort((a, b) => a - b);
      let staffed = 0;
      for (let i = 0; i < points.length - 1; i++) {
        staffed += delta.get(points[i])!;
        const [from, to] = [points[i], points[i + 1]];
        if (staffed >= post.minStaff || from === to) continue;
        const last = gaps.at(-1);
        if (last && last.postId === post.id && last.day === day && last.to === clock(from) && last.staffed === staffed) {
          last.to = clock(to);
          last.minutes += to - from;
        } else {
          gaps.push({ postId: post.id, day, from: clock(from), to: clock(to), staffed, minutes: to - from });
        }
      }
    }
  }
  return gaps;
}
const clock = (m: number) => (m === 1440 ? '24:00' : timeOf(m));

export type CertificateStatus = 'valid' | 'expiring' | 'expired' | 'revoked';

/** Expiring: within 60 days of `today` (the first alert); expired: the expiry date has passed. */
export const EXPIRING_DAYS = 60;

export function certificateStatus(c: { expiresOn: string | null; revoked: boolean }, today: string): CertificateStatus {
  if (c.revoked) return 'revoked';
  if (!c.expiresOn) return 'valid';
  if (c.expiresOn < today) return 'expired';
  return daysBetween(today, c.expiresOn) <= EXPIRING_DAYS ? 'expiring' : 'valid';
}

/** Alert stages: 60 and 30 days before and on the day of expiry. */
export const ALERT_STAGES = [60, 30, 0] as const;
export type AlertStage = (typeof ALERT_STAGES)[number];

/**
 * The stage due for a certificate on `today`: the nearest stage whose date has come. A job that missed a day still
 * sends it later (each stage is sent once, keyed by certificate and stage, so the caller skips stages already sent);
 * after the expiry day no alert is due any more.
 */
export function dueAlertStage(expiresOn: string, today: string): AlertStage | null {
  const left = daysBetween(today, expiresOn);
  if (left < 0) return null;
  return ALERT_STAGES.find((s, i) => left <= s && (i === ALERT_STAGES.length - 1 || left > ALERT_STAGES[i + 1])) ?? null;
}
