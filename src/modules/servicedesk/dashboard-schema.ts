import { z } from 'zod';
import { clockName, ticketKind } from './schema.ts';

/**
 * The service-desk dashboard and its .xlsx reports. No server imports: the web app uses these too.
 *
 * Every figure counts the tickets reported in the range (business dates in the community's time zone). Rates are
 * percentages with one decimal, like the targets they are compared with, and null when nothing was counted.
 * "On time" is over clocks: met ÷ (met + met late + overdue); a running clock and a cancelled ticket's stopped clock
 * have no outcome yet and count in neither part.
 */

const isoWeek = /^(\d{4})-W(\d{2})$/;
const isoMonth = /^(\d{4})-(\d{2})$/;

export const dashboardQuery = z.object({
  communityId: z.uuid().optional(),
  /** First business date, YYYY-MM-DD; default 29 days before `to`. */
  from: z.iso.date().optional(),
  /** Last business date (included), YYYY-MM-DD; default today in Asia/Shanghai (or the community's zone). */
  to: z.iso.date().optional(),
});

export const weekReportQuery = z.object({
  /** ISO week, e.g. 2026-W47 (Monday to Sunday). */
  week: z.string().regex(isoWeek).refine((w) => weekIsValid(w)),
  communityId: z.uuid().optional(),
});

export const monthReportQuery = z.object({
  month: z.string().regex(isoMonth).refine((m) => Number(m.slice(5)) >= 1 && Number(m.slice(5)) <= 12),
  communityId: z.uuid().optional(),
});

/** ISO 8601: week 1 holds the year's first Thursday; a year has 53 weeks when it starts (or, in a leap year, ends) on a Thursday. */
export function weeksInYear(year: number): number {
  const jan1 = new Date(Date.UTC(year, 0, 1)).getUTCDay();
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return jan1 === 4 || (leap && jan1 === 3) ? 53 : 52;
}

function weekIsValid(w: string): boolean {
  const m = isoWeek.exec(w);
  if (!m) return false;
  const week = Number(m[2]);
  return week >= 1 && week <= weeksInYear(Number(m[1]));
}

/** The Monday and Sunday (YYYY-MM-DD) of an ISO week such as 2026-W47. */
export function isoWeekDays(w: string): { from: string; to: string } {
  const m = isoWeek.exec(w)!;
  const year = Number(m[1]);
  const week = Number(m[2]);
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday1 = Date.UTC(year, 0, 4) - ((jan4.getUTCDay() + 6) % 7) * 86_400_000;
  const from = new Date(monday1 + (week - 1) * 7 * 86_400_000);
  const to = new Date(from.getTime() + 6 * 86_400_000);
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

/** The first and last day (YYYY-MM-DD) of a month such as 2026-11. */
export function monthDays(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

const rate = z.number().nullable();
const count = z.number().int();

export const dashboardTotals = z.object({
  created: count,
  /** Not yet completed: submitted, accepted, dispatched, arrived, in progress or paused. */
  open: count,
  /** Work done: completed, confirmed, return-visited or closed. */
  completed: count,
  closed: count,
  cancelled: count,
  /** Open tickets with at least one overdue clock. */
  overdueOpen: count,
});

export const clockOutcome = z.object({ clock: clockName, met: count, metLate: count, overdue: count, running: count, rate });

export const kindFigure = z.object({ kind: ticketKind, created: count, onTimeRate: rate });
export const categoryFigure = z.object({ categoryId: z.uuid(), name: z.string(), created: count, onTimeRate: rate });
export const communityFigure = z.object({ communityId: z.uuid(), name: z.string(), created: count, onTimeRate: rate, satisfaction: rate });
export const technicianFigure = z.object({
  userId: z.uuid(),
  name: z.string(),
  /** Tickets whose work this person completed (the current assignee of a completed ticket). */
  completed: count,
  onTimeRate: rate,
  /** Mean owner rating (1–5, two decimals), null when none was given. */
  avgRating: z.number().nullable(),
  /** Completed tickets sent back at least once (返修), percent. */
  reworkRate: rate,
});
export const monthFigure = z.object({ month: z.string(), created: count, completed: count, onTimeRate: rate });

export const returnVisitFigures = z.object({
  /** Completed tickets of the range. */
  due: count,
  /** Of those, visited (a return visit recorded as done). */
  visited: count,
  rate,
  majorComplaints: count,
  majorVisited: count,
  majorRate: rate,
});

export const satisfactionFigures = z.object({
  /** Tickets with an owner rating or a return-visit satisfaction score. */
  rated: count,
  /** Mean of every score given (owner ratings and return-visit scores, 1–5), two decimals. */
  average: z.number().nullable(),
  /** Rated tickets where the owner rating or the return-visit score is 4 or 5, percent. */
  satisfiedRate: rate,
});

export const reworkFigures = z.object({ completed: count, reworked: count, rate });

export const overdueItem = z.object({
  id: z.uuid(),
  no: z.string(),
  title: z.string(),
  communityName: z.string(),
  assigneeName: z.string().nullable(),
  /** The clock that went overdue first. */
  clock: clockName,
  dueAt: z.string(),
});

export const dashboard = z.object({
  range: z.object({ from: z.string(), to: z.string() }),
  /** The company's targets, percent. */
  targets: z.object({ satisfaction: count, returnVisit: count, timeliness: count }),
  totals: dashboardTotals,
  onTime: z.array(clockOutcome),
  byKind: z.array(kindFigure),
  byCategory: z.array(categoryFigure),
  byCommunity: z.array(communityFigure),
  byTechnician: z.array(technicianFigure),
  byMonth: z.array(monthFigure),
  returnVisits: returnVisitFigures,
  satisfaction: satisfactionFigures,
  rework: reworkFigures,
  /** Up to 50 open tickets of the range with an overdue clock, the longest overdue first. */
  overdue: z.array(overdueItem),
});

export type Dashboard = z.infer<typeof dashboard>;
