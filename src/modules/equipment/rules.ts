import type { ChecklistAnswer, ChecklistItem, EquipmentStatus, MaintenanceCycle } from '../../db/schema-equipment.ts';

/**
 * Pure rules of the equipment module: maintenance cycles and their due dates, the status machine, the intact rate
 * (完好率) and when an inspection alert is due. Dates are business dates 'YYYY-MM-DD' in the community's zone.
 */

export const CYCLES = ['daily', 'weekly', 'monthly', 'quarterly', 'halfYearly', 'yearly', 'everyNDays', 'everyNMonths', 'everyNYears'] as const satisfies readonly MaintenanceCycle[];

/** A cycle as a step of days or of calendar months; `interval` (N ≥ 1) multiplies it. */
export function stepOf(cycle: MaintenanceCycle, interval: number): { unit: 'day' | 'month'; n: number } {
  if (!Number.isInteger(interval) || interval < 1) throw new RangeError('interval must be a whole number ≥ 1');
  switch (cycle) {
    case 'daily':
    case 'everyNDays':
      return { unit: 'day', n: interval };
    case 'weekly':
      return { unit: 'day', n: 7 * interval };
    case 'monthly':
    case 'everyNMonths':
      return { unit: 'month', n: interval };
    case 'quarterly':
      return { unit: 'month', n: 3 * interval };
    case 'halfYearly':
      return { unit: 'month', n: 6 * interval };
    case 'yearly':
    case 'everyNYears':
      return { unit: 'month', n: 12 * interval };
  }
}

const DAY_MS = 86_400_000;
const toMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const fromMs = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function addDays(day: string, n: number): string {
  return fromMs(toMs(day) + n * DAY_MS);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((toMs(to) - toMs(from)) / DAY_MS);
}

/** `day` + n calendar months, kept at the same day of the month or the month's last day (01-31 + 1 → 02-28/29). */
export function addMonths(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * The k-th due date of a plan (k = 0 is the start). Months are always counted from the start, never from the previous
 * due date, so a plan starting on the 31st falls on each month's last day and returns to the 31st when it can.
 */
export function occurrence(start: string, cycle: MaintenanceCycle, interval: number, k: number): string {
  const step = stepOf(cycle, interval);
  return step.unit === 'day' ? addDays(start, k * step.n) : addMonths(start, k * step.n);
}

/** Due dates of a plan in [from, to], both inclusive, never before its start nor after its end. */
export function dueDatesBetween(plan: { start: string; end?: string | null; cycle: MaintenanceCycle; interval: number }, from: string, to: string): string[] {
  const last = plan.end && plan.end < to ? plan.end : to;
  if (last < from || last < plan.start) return [];
  const step = stepOf(plan.cycle, plan.interval);
  // Jump close to `from` rather than walking from the start of a years-old plan.
  let k = 0;
  if (from > plan.start) {
    k = step.unit === 'day' ? Math.floor(daysBetween(plan.start, from) / step.n) : Math.floor(monthsBetween(plan.start, from) / step.n);
    k = Math.max(0, k - 1);
  }
  const out: string[] = [];
  for (;; k++) {
    const due = occurrence(plan.start, plan.cycle, plan.interval, k);
    if (due > last) break;
    if (due >= from) out.push(due);
  }
  return out;
}

/** The first due date on or after `day`. */
export function nextDueOn(plan: { start: string; cycle: MaintenanceCycle; interval: number }, day: string): string {
  const step = stepOf(plan.cycle, plan.interval);
  const span = step.unit === 'day' ? step.n : step.n * 31;
  return dueDatesBetween(plan, day, addDays(day < plan.start ? plan.start : day, span))[0];
}

function monthsBetween(from: string, to: string): number {
  const [y1, m1] = from.split('-').map(Number);
  const [y2, m2] = to.split('-').map(Number);
  return (y2 - y1) * 12 + (m2 - m1);
}

// ── Status ────────────────────────────────────────────────────────────────────────────────────────────────────
export const STATUSES = ['normal', 'fault', 'stopped'] as const satisfies readonly EquipmentStatus[];

/**
 * Who may move an item between statuses: a fault is reported or cleared by maintenance staff; taking an item out of
 * service (停用) or back into it is the manager's decision.
 */
export const STATUS_TRANSITIONS: Record<EquipmentStatus, Partial<Record<EquipmentStatus, 'equipment.maintain' | 'equipment.manage'>>> = {
  normal: { fault: 'equipment.maintain', stopped: 'equipment.manage' },
  fault: { normal: 'equipment.maintain', stopped: 'equipment.manage' },
  stopped: { normal: 'equipment.manage' },
};

/** The permission a change needs, or null when the change is not allowed at all. */
export function transitionPermission(from: EquipmentStatus, to: EquipmentStatus): 'equipment.maintain' | 'equipment.manage' | null {
  return STATUS_TRANSITIONS[from][to] ?? null;
}

/** 完好率: items in order ÷ items in service; stopped items are out of service and not counted. Null with none in service. */
export function intactRate(counts: { normal: number; fault: number }): number | null {
  const inService = counts.normal + counts.fault;
  return inService === 0 ? null : Math.round((counts.normal / inService) * 10000) / 100;
}

// ── Inspection alerts ─────────────────────────────────────────────────────────────────────────────────────────
export const ALERT_DAYS = [30, 7] as const;

/** The tightest alert threshold reached `day` for an inspection due on `dueOn` (null when none, or when overdue). */
export function alertThreshold(day: string, dueOn: string): number | null {
  const left = daysBetween(day, dueOn);
  if (left < 0) return null;
  const reached = ALERT_DAYS.filter((d) => left <= d);
  return reached.length ? Math.min(...reached) : null;
}

// ── Checklist answers ─────────────────────────────────────────────────────────────────────────────────────────
/** Whether an answer is abnormal: a failed check, a number outside the item's range. Text answers never are. */
export function isAbnormal(item: ChecklistItem, answer: ChecklistAnswer | undefined): boolean {
  if (!answer) return false;
  if (item.kind === 'check') return answer.ok === false;
  if (item.kind === 'number' && typeof answer.value === 'number') {
    return (item.min != null && answer.value < item.min) || (item.max != null && answer.value > item.max);
  }
  return false;
}
