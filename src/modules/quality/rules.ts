import type { InspectionStatus, NoticeStatus, ScheduleFrequency } from '../../db/schema-quality.ts';

/**
 * The pure rules of quality checks: the rectification notice's lifecycle as a transition table and who may take
 * each step, an inspection's score, when a schedule is due, the escalation steps of an overdue notice and the
 * rectification rate of the weekly report. No I/O; the service checks every step against these tables.
 */

export const NOTICE_STATUSES = ['open', 'rectified', 'returned', 'closed', 'cancelled'] as const satisfies readonly NoticeStatus[];
export const INSPECTION_STATUSES = ['planned', 'inProgress', 'submitted', 'cancelled'] as const satisfies readonly InspectionStatus[];
/** Notices still waiting for the responsible side to rectify: the ones that can be overdue. */
export const AWAITING_RECTIFICATION: readonly NoticeStatus[] = ['open', 'returned'];

export type NoticeAction = 'rectify' | 'verify' | 'sendBack' | 'extend' | 'cancel';
/**
 * The caller's roles on one notice: the person or a member/head of the department it is addressed to and holding
 * quality.rectify ('rectifier'), the inspector who recorded it ('inspector'), a holder of quality.manage ('manager').
 */
export type NoticeRole = 'rectifier' | 'inspector' | 'manager';

interface Transition {
  from: readonly NoticeStatus[];
  /** 'same' keeps the status. */
  to: NoticeStatus | 'same';
  by: readonly NoticeRole[];
}

export const NOTICE_TRANSITIONS: Record<NoticeAction, Transition> = {
  rectify: { from: ['open', 'returned'], to: 'rectified', by: ['rectifier'] },
  // 消号: the inspector (or a quality manager) checks the work on site and closes the notice.
  verify: { from: ['rectified'], to: 'closed', by: ['inspector', 'manager'] },
  // Not good enough: back to the responsible side, with the reason.
  sendBack: { from: ['rectified'], to: 'returned', by: ['inspector', 'manager'] },
  extend: { from: ['open', 'returned'], to: 'same', by: ['manager'] },
  cancel: { from: ['open', 'returned', 'rectified'], to: 'cancelled', by: ['manager'] },
};
export const NOTICE_ACTIONS = Object.keys(NOTICE_TRANSITIONS) as NoticeAction[];

/** The status after `action`, or null when the step is not possible from `status`. */
export function nextNoticeStatus(action: NoticeAction, status: NoticeStatus): NoticeStatus | null {
  const t = NOTICE_TRANSITIONS[action];
  if (!t.from.includes(status)) return null;
  return t.to === 'same' ? status : t.to;
}

export function mayActOnNotice(action: NoticeAction, roles: readonly NoticeRole[]): boolean {
  return NOTICE_TRANSITIONS[action].by.some((r) => roles.includes(r));
}

/** The steps `roles` may take on a notice in `status` (the buttons a page shows). */
export function allowedNoticeActions(status: NoticeStatus, roles: readonly NoticeRole[]): NoticeAction[] {
  return NOTICE_ACTIONS.filter((a) => nextNoticeStatus(a, status) !== null && mayActOnNotice(a, roles));
}

// ── Scores ──────────────────────────────────────────────────────────────────────────────────────────────────
export interface ScoredItem {
  id: string;
  maxPoints: number;
  /** Points taken off on the item itself. */
  deducted: number;
}
export interface Deduction {
  itemId: string | null;
  deduction: number;
}

/**
 * Points of each item: its maximum less its own deduction and the deductions of the findings recorded on it, never
 * below zero; a finding on no item takes its deduction off the total. The score is the sum, floored at zero.
 */
export function inspectionScore(items: readonly ScoredItem[], findings: readonly Deduction[]): { score: number; maxScore: number; byItem: Record<string, number> } {
  const byItem: Record<string, number> = {};
  let loose = 0;
  const onItem = new Map<string, number>();
  for (const f of findings) {
    if (f.itemId && items.some((i) => i.id === f.itemId)) onItem.set(f.itemId, (onItem.get(f.itemId) ?? 0) + f.deduction);
    else loose += f.deduction;
  }
  let score = 0;
  let maxScore = 0;
  for (const i of items) {
    const points = Math.max(0, i.maxPoints - i.deducted - (onItem.get(i.id) ?? 0));
    byItem[i.id] = points;
    score += points;
    maxScore += i.maxPoints;
  }
  return { score: Math.max(0, score - loose), maxScore, byItem };
}

/** A score as a percentage with one decimal (85.5), or null without a maximum. */
export function percent(score: number, max: number): number | null {
  if (max <= 0) return null;
  return Math.round((score * 1000) / max) / 10;
}

// ── Dates ───────────────────────────────────────────────────────────────────────────────────────────────────
const DAY_MS = 86_400_000;
const utc = (day: string) => Date.parse(`${day}T00:00:00Z`);
const str = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function addDays(day: string, n: number): string {
  return str(utc(day) + n * DAY_MS);
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const d = new Date(utc(day)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The Monday of the week `day` is in. */
export function weekStartOf(day: string): string {
  return addDays(day, 1 - isoWeekday(day));
}

function daysInMonth(day: string): number {
  const [y, m] = day.split('-').map(Number);
  return new Date(Date.UTC(y!, m!, 0)).getUTCDate();
}

export interface ScheduleRule {
  frequency: ScheduleFrequency;
  weekday: number | null;
  monthDay: number | null;
}

/** Whether a schedule plans an inspection on `day`. A monthly day past the month's end falls on its last day. */
export function scheduleDue(s: ScheduleRule, day: string): boolean {
  if (s.frequency === 'weekly') return isoWeekday(day) === s.weekday;
  const dom = Number(day.slice(8, 10));
  const last = daysInMonth(day);
  return dom === Math.min(s.monthDay ?? 0, last);
}

// ── Escalation ──────────────────────────────────────────────────────────────────────────────────────────────
/** A day after the deadline the project managers are told. */
export const SECOND_STEP_MS = DAY_MS;

/**
 * The escalation level an unrectified notice should have at `now`: 1 once past its deadline (its department head is
 * told), 2 a day after (the project managers). Only notices awaiting rectification escalate.
 */
export function escalationLevel(n: { status: NoticeStatus; deadlineAt: Date }, now: Date): 0 | 1 | 2 {
  if (!AWAITING_RECTIFICATION.includes(n.status)) return 0;
  const late = now.getTime() - n.deadlineAt.getTime();
  if (late < 0) return 0;
  return late >= SECOND_STEP_MS ? 2 : 1;
}

export function isOverdue(n: { status: NoticeStatus; deadlineAt: Date }, now: Date): boolean {
  return AWAITING_RECTIFICATION.includes(n.status) && now.getTime() > n.deadlineAt.getTime();
}

// ── Rectification rate ──────────────────────────────────────────────────────────────────────────────────────
export interface RateNotice {
  status: NoticeStatus;
  deadlineAt: Date;
  rectifiedAt: Date | null;
}

/**
 * 整改率 of a period: of the notices due in it (deadline inside [from, to), cancelled ones not counted), those
 * closed whose last rectification was made by the deadline. Null when nothing was due.
 */
export function rectificationRate(notices: readonly RateNotice[], from: Date, to: Date): { due: number; closedOnTime: number; rate: number | null } {
  const due = notices.filter((n) => n.status !== 'cancelled' && n.deadlineAt.getTime() >= from.getTime() && n.deadlineAt.getTime() < to.getTime());
  const onTime = due.filter((n) => n.status === 'closed' && n.rectifiedAt !== null && n.rectifiedAt.getTime() <= n.deadlineAt.getTime());
  return { due: due.length, closedOnTime: onTime.length, rate: due.length ? percent(onTime.length, due.length) : null };
}

/** ZG2026-000001. */
export function noticeNo(year: number, n: number): string {
  return `ZG${year}-${String(n).padStart(6, '0')}`;
}

// ── Periods of the score chart ──────────────────────────────────────────────────────────────────────────────
export type ScorePeriod = 'week' | 'month';

/** The period `day` falls in: its week's Monday, or its month 'YYYY-MM'. */
export function periodOf(day: string, period: ScorePeriod): string {
  return period === 'week' ? weekStartOf(day) : day.slice(0, 7);
}

/** Every period from the one holding `from` to the one holding `to`, in order. */
export function periodsBetween(from: string, to: string, period: ScorePeriod): string[] {
  const out: string[] = [];
  if (period === 'week') {
    for (let d = weekStartOf(from); d <= to; d = addDays(d, 7)) out.push(d);
    return out;
  }
  let [y, m] = from.split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    if (key > last) return out;
    out.push(key);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
}
