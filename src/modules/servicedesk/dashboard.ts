import { sql, type RawBuilder } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Lang } from '../../core/messages.ts';
import { type RequestContext, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { ValidationError } from '../../core/errors.ts';
import type { ClockName, TicketKind } from '../../db/schema-service-desk.ts';
import { deskConfig } from './config.ts';
import { localDate, zonedInstant } from './deadlines.ts';
import { CLOCKS } from './rules.ts';
import type { Dashboard } from './dashboard-schema.ts';

/**
 * The service-desk dashboard (服务质量看板): each figure is one aggregate query over the tickets reported in the
 * range — one pass with FILTER clauses over the covering index of migration 0010, never the ticket rows — so the
 * figures stay fast on a million tickets (bench/servicedesk.ts). Each is its own exported function so the benchmark
 * can time it and the reports can reuse it.
 *
 * Clock states are read as stored: the SLA sweep moves them (running → atRisk → overdue) every minute.
 */

const DEFAULT_ZONE = 'Asia/Shanghai';
const DEFAULT_DAYS = 30;
/** A longer range is a different question (a yearly report) and would scan the whole table. */
const MAX_DAYS = 3 * 366;

export interface DashboardScope {
  companyId: string;
  lang: Lang;
  from: string;
  to: string;
  /** The communities counted: all the caller may see, or the one asked for. */
  communities: ReadonlyArray<{ id: string; name: string; timeZone: string }>;
  /** True when those are all of the company's communities, so no community filter is needed. */
  wholeCompany: boolean;
}

// Constant lists are written into the SQL (not bound) so the planner can match the partial indexes of migration 0010.
const OPEN = sql.raw(`('submitted', 'accepted', 'dispatched', 'arrived', 'inProgress', 'paused')`);
const DONE = sql.raw(`('completed', 'confirmed', 'visited', 'closed')`);
const ANY_OVERDUE = sql.raw(`(t.respond_state = 'overdue' OR t.arrive_state = 'overdue' OR t.resolve_state = 'overdue' OR t.reply_state = 'overdue')`);
const MET = sql.raw(CLOCKS.map((c) => `count(*) FILTER (WHERE t.${c}_state = 'met')`).join(' + '));
const JUDGED = sql.raw(CLOCKS.map((c) => `count(*) FILTER (WHERE t.${c}_state IN ('met', 'metLate', 'overdue'))`).join(' + '));
/** met and judged clocks of a group, for its on-time rate. */
const ON_TIME = sql`${MET} AS met, ${JUDGED} AS judged`;
/** Adds up the slices' created, met and judged. */
const SUMS = sql`sum(created) AS created, sum(met) AS met, sum(judged) AS judged`;

/** The caller's dashboard scope: the range (default the last 30 days) and the communities counted. */
export async function dashboardScope(db: Kysely<DB>, ctx: RequestContext, q: { communityId?: string; from?: string; to?: string }): Promise<DashboardScope> {
  requirePermission(ctx.actor, 'ticket.read');
  const companyId = companyOf(ctx.actor);
  const scope = communityScope(ctx.actor);
  const all = await db.selectFrom('communities').select(['id', 'name', 'time_zone']).where('company_id', '=', companyId).orderBy('code').orderBy('name').execute();
  let communities = all.filter((c) => scope === null || scope.includes(c.id));
  if (q.communityId) {
    communities = communities.filter((c) => c.id === q.communityId);
    // A report names a community the way an export does: one the caller cannot see is a mistake in the request.
    if (!communities.length) throw new ValidationError('communityId', 'validation.unknownIds');
  }
  const zone = q.communityId ? communities[0].time_zone : DEFAULT_ZONE;
  const to = q.to ?? (q.from ? addDays(q.from, DEFAULT_DAYS - 1) : localDate(new Date(), zone));
  const from = q.from ?? addDays(to, -(DEFAULT_DAYS - 1));
  if (from > to) throw new ValidationError('to', 'validation.dateOrder');
  if (daysBetween(from, to) >= MAX_DAYS) throw new ValidationError('from', 'validation.rangeTooLong', { max: MAX_DAYS });
  return {
    companyId,
    lang: ctx.lang,
    from,
    to,
    communities: communities.map((c) => ({ id: c.id, name: c.name, timeZone: c.time_zone })),
    wholeCompany: communities.length === all.length,
  };
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

interface ZoneRange {
  zone: string;
  communityIds: string[];
  /** The start of `from` and of the day after `to` in the zone. */
  start: Date;
  end: Date;
}

function zoneRanges(s: DashboardScope): ZoneRange[] {
  const zones = new Map<string, string[]>();
  for (const c of s.communities) zones.set(c.timeZone, [...(zones.get(c.timeZone) ?? []), c.id]);
  return [...zones].map(([zone, communityIds]) => ({ zone, communityIds, start: zonedInstant(s.from, '00:00', zone), end: zonedInstant(addDays(s.to, 1), '00:00', zone) }));
}

/**
 * Tickets `t` of the scope: the company, the communities, reported between the start of `from` and the end of `to`
 * in each community's zone. Communities share a zone in practice, which keeps this one range of the covering index.
 * With `parts`, only the `part`-th of `parts` equal slices of that time range.
 */
export function inScope(s: DashboardScope, part = 0, parts = 1): RawBuilder<boolean> {
  const zones = zoneRanges(s);
  if (!zones.length) return sql<boolean>`false`;
  const single = zones.length === 1 && s.wholeCompany;
  const conditions = zones.map((z) => {
    const width = (z.end.getTime() - z.start.getTime()) / parts;
    const start = part === 0 ? z.start : new Date(z.start.getTime() + Math.round(part * width));
    const end = part === parts - 1 ? z.end : new Date(z.start.getTime() + Math.round((part + 1) * width));
    const range = sql`t.reported_at >= ${start} AND t.reported_at < ${end}`;
    return single ? range : sql`(t.community_id IN (${sql.join(z.communityIds)}) AND ${range})`;
  });
  return sql<boolean>`t.company_id = ${s.companyId} AND (${sql.join(conditions, sql` OR `)})`;
}

/**
 * `select` run over month-long slices of the range and glued with UNION ALL, for the caller to add up. PostgreSQL
 * hands the slices to parallel workers (Parallel Append), each an index-only range scan; over a long range this is
 * about twice as fast on two cores as one parallel scan of the whole range.
 */
function sliced(s: DashboardScope, select: (where: RawBuilder<boolean>) => RawBuilder<unknown>): RawBuilder<unknown> {
  const parts = Math.min(36, Math.max(1, Math.round((daysBetween(s.from, s.to) + 1) / 30)));
  return sql.join(
    Array.from({ length: parts }, (_, i) => sql`(${select(inScope(s, i, parts))})`),
    sql` UNION ALL `,
  );
}

/** Return visits `v` that may belong to tickets of the scope: made after the earliest start, so the index bounds them. */
function visitsInScope(s: DashboardScope): RawBuilder<boolean> {
  const zones = zoneRanges(s);
  if (!zones.length) return sql<boolean>`false`;
  const start = new Date(Math.min(...zones.map((z) => z.start.getTime())));
  return sql<boolean>`v.company_id = ${s.companyId} AND v.created_at >= ${start}`;
}

/** Percent with one decimal, null for 0 ÷ 0. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part * 1000) / whole) / 10 : null;
}

const n = (v: unknown) => Number(v ?? 0);

export async function figureTotals(db: Kysely<DB>, s: DashboardScope): Promise<Dashboard['totals']> {
  const slice = (where: RawBuilder<boolean>) => sql`
    SELECT count(*) AS created,
      count(*) FILTER (WHERE t.status IN ${OPEN}) AS open,
      count(*) FILTER (WHERE t.status IN ${DONE}) AS completed,
      count(*) FILTER (WHERE t.status = 'closed') AS closed,
      count(*) FILTER (WHERE t.status = 'cancelled') AS cancelled,
      count(*) FILTER (WHERE t.status IN ${OPEN} AND ${ANY_OVERDUE}) AS overdue_open
    FROM tickets t WHERE ${where}`;
  const r = await sql<Record<string, number>>`
    SELECT sum(created) AS created, sum(open) AS open, sum(completed) AS completed, sum(closed) AS closed, sum(cancelled) AS cancelled, sum(overdue_open) AS overdue_open
    FROM (${sliced(s, slice)}) x`.execute(db);
  const row = r.rows[0];
  return { created: n(row.created), open: n(row.open), completed: n(row.completed), closed: n(row.closed), cancelled: n(row.cancelled), overdueOpen: n(row.overdue_open) };
}

export async function figureOnTime(db: Kysely<DB>, s: DashboardScope): Promise<Dashboard['onTime']> {
  const outcomes = { met: `= 'met'`, late: `= 'metLate'`, overdue: `= 'overdue'`, running: `IN ('running', 'atRisk')` };
  const names = CLOCKS.flatMap((c) => Object.keys(outcomes).map((o) => `${c}_${o}`));
  const counts = sql.raw(CLOCKS.flatMap((c) => Object.entries(outcomes).map(([o, test]) => `count(*) FILTER (WHERE t.${c}_state ${test}) AS ${c}_${o}`)).join(', '));
  const sums = sql.raw(names.map((x) => `sum(${x}) AS ${x}`).join(', '));
  const r = await sql<Record<string, number>>`SELECT ${sums} FROM (${sliced(s, (where) => sql`SELECT ${counts} FROM tickets t WHERE ${where}`)}) x`.execute(db);
  const row = r.rows[0];
  return CLOCKS.map((clock) => {
    const met = n(row[`${clock}_met`]);
    const metLate = n(row[`${clock}_late`]);
    const overdue = n(row[`${clock}_overdue`]);
    return { clock, met, metLate, overdue, running: n(row[`${clock}_running`]), rate: percent(met, met + metLate + overdue) };
  });
}

export async function figureByKind(db: Kysely<DB>, s: DashboardScope): Promise<Dashboard['byKind']> {
  const slice = (where: RawBuilder<boolean>) => sql`SELECT t.kind, count(*) AS created, ${ON_TIME} FROM tickets t WHERE ${where} GROUP BY t.kind`;
  const r = await sql<{ kind: TicketKind; created: number; met: number; judged: number }>`
    SELECT kind, ${SUMS} FROM (${sliced(s, slice)}) x GROUP BY kind`.execute(db);
  const order: TicketKind[] = ['homeRepair', 'publicRepair', 'complaint', 'inquiry', 'paidService'];
  return r.rows.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind)).map((x) => ({ kind: x.kind, created: n(x.created), onTimeRate: percent(n(x.met), n(x.judged)) }));
}

export async function figureByCategory(db: Kysely<DB>, s: DashboardScope): Promise<Dashboard['byCategory']> {
  const r = await sql<{ category_id: string; name: string; name_en: string | null; created: number; met: number; judged: number }>`
    SELECT x.*, cat.name, cat.name_en FROM (
      SELECT category_id, ${SUMS} FROM (${sliced(s, (where) => sql`SELECT t.category_id, count(*) AS created, ${ON_TIME} FROM tickets t WHERE ${where} GROUP BY t.category_id`)}) y GROUP BY category_id
    ) x JOIN ticket_categories cat ON cat.id = x.category_id
    ORDER BY array_position(ARRAY['homeRepair', 'publicRepair', 'complaint', 'inquiry', 'paidService'], cat.kind), cat.sort, cat.name`.execute(db);
  return r.rows.map((x) => ({ categoryId: x.category_id, name: s.lang === 'en' && x.name_en ? x.name_en : x.name, created: n(x.created), onTimeRate: percent(n(x.met), n(x.judged)) }));
}

/** Per community; satisfaction is the share of rated tickets with a 4 or 5 (owner rating or return visit). */
export async function figureByCommunity(db: Kysely<DB>, s: DashboardScope): Promise<Dashboard['byCommunity']> {
  const r = await sql<{ community_id: string; created: number; met: number; judged: number; rated: number; satisfied: number }>`
    SELECT t.community_id, count(*) AS created, ${ON_TIME},
      count(*) FILTER (WHERE t.status IN ${DONE} AND (t.rating IS NOT NULL OR v.satisfaction IS NOT NULL)) AS rated,
      count(*) FILTER (WHERE t.status IN ${DONE} AND (t.rating >= 4 OR v.satisfaction >= 4)) AS satisfied
    FROM tickets t LEFT JOIN return_visits v ON v.ticket_id = t.id AND v.satisfaction IS NOT NULL AND ${visitsInScope(s)}
    WHERE ${inScope(s)} GROUP BY t.community_id`.execute(db);
  const byId = new Map(r.rows.map((x) => [x.community_id, x]));
  return s.communities.flatMap((c) => {
    const x = byId.get(c.id);
    return x ? [{ communityId: c.id, name: c.name, created: n(x.created), onTimeRate: percent(n(x.met), n(x.judged)), satisfaction: percent(n(x.satisfied), n(x.rated)) }] : [];
  });
}

/** 量化考核: per technician, the tickets whose work they completed. */
export async function figureByTechnician(db: Kysely<DB>, s: DashboardScope): Promise<Dashboard['byTechnician']> {
  const r = await sql<{ user_id: string; name: string; completed: number; met: number; judged: number; avg_rating: string | null; reworked: number }>`
    SELECT x.user_id, x.completed, x.met, x.judged, x.reworked, round(x.rating_sum::numeric / nullif(x.rated, 0), 2) AS avg_rating, u.display_name AS name FROM (
      SELECT user_id, sum(completed) AS completed, sum(met) AS met, sum(judged) AS judged, sum(rating_sum) AS rating_sum, sum(rated) AS rated, sum(reworked) AS reworked
      FROM (${sliced(
        s,
        (where) => sql`SELECT t.assignee_id AS user_id, count(*) AS completed, ${ON_TIME}, sum(t.rating) AS rating_sum, count(t.rating) AS rated,
            count(*) FILTER (WHERE t.rework_count > 0) AS reworked
          FROM tickets t WHERE ${where} AND t.status IN ${DONE} AND t.assignee_id IS NOT NULL GROUP BY t.assignee_id`,
      )}) y GROUP BY user_id
    ) x JOIN users u ON u.id = x.user_id
    ORDER BY x.completed DESC, u.display_name`.execute(db);
  return r.rows.map((x) => ({
    userId: x.user_id,
    name: x.name,
    completed: n(x.completed),
    onTimeRate: percent(n(x.met), n(x.judged)),
    avgRating: x.avg_rating === null ? null : Number(x.avg_rating),
    reworkRate: percent(n(x.reworked), n(x.completed)),
  }));
}

/**
 * Month by month (local months), every month of the range listed even when empty. With one zone each month is its
 * own range of the covering index (no hashing of a million rows); communities in several zones group by local month.
 */
export async function figureByMonth(db: Kysely<DB>, s: DashboardScope): Promise<Dashboard['byMonth']> {
  const months: string[] = [];
  for (let m = s.from.slice(0, 7); m <= s.to.slice(0, 7); m = nextMonth(m)) months.push(m);
  const zones = zoneRanges(s);
  type Row = { month: string; created: number; completed: number; met: number; judged: number };
  const figures = sql`count(*) AS created, count(*) FILTER (WHERE t.status IN ${DONE}) AS completed, ${ON_TIME}`;
  let rows: Row[] = [];
  if (zones.length === 1) {
    const z = zones[0];
    const edge = (m: string) => zonedInstant(`${m}-01`, '00:00', z.zone).getTime();
    // Each month's slice of the range: its first instant (or the range's start) to the next month's (or the range's end).
    const bounds = months.map((m, i) => [new Date(i === 0 ? z.start.getTime() : edge(m)), new Date(i === months.length - 1 ? z.end.getTime() : edge(nextMonth(m)))] as const);
    const communities = s.wholeCompany ? sql`` : sql`AND t.community_id IN (${sql.join(z.communityIds)})`;
    // UNION ALL rather than a join over the months: PostgreSQL hands the months to parallel workers (Parallel Append).
    const parts = months.map(
      (m, i) => sql`SELECT ${m}::text AS month, ${figures} FROM tickets t
        WHERE t.company_id = ${s.companyId} ${communities} AND t.reported_at >= ${bounds[i][0]} AND t.reported_at < ${bounds[i][1]}`,
    );
    const r = await sql<Row>`${sql.join(parts, sql` UNION ALL `)}`.execute(db);
    rows = r.rows;
  } else if (zones.length > 1) {
    const zoneOf = sql.join(zones.map((z) => sql`WHEN t.community_id IN (${sql.join(z.communityIds)}) THEN ${z.zone}::text`), sql` `);
    const r = await sql<Row>`
      SELECT to_char(t.reported_at AT TIME ZONE (CASE ${zoneOf} END), 'YYYY-MM') AS month, ${figures}
      FROM tickets t WHERE ${inScope(s)} GROUP BY 1`.execute(db);
    rows = r.rows;
  }
  const byMonth = new Map(rows.map((x) => [x.month, x]));
  return months.map((month) => {
    const x = byMonth.get(month);
    return { month, created: n(x?.created), completed: n(x?.completed), onTimeRate: x ? percent(n(x.met), n(x.judged)) : null };
  });
}

function nextMonth(m: string): string {
  const [y, mo] = m.split('-').map(Number);
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
}

/** 回访率: completed tickets of the range with a return visit done; major complaints must all be visited. */
export async function figureReturnVisits(db: Kysely<DB>, s: DashboardScope): Promise<Dashboard['returnVisits']> {
  const r = await sql<Record<string, number>>`
    SELECT count(*) AS due, count(v.ticket_id) AS visited,
      count(*) FILTER (WHERE t.kind = 'complaint' AND t.severity = 'major') AS major,
      count(v.ticket_id) FILTER (WHERE t.kind = 'complaint' AND t.severity = 'major') AS major_visited
    FROM tickets t LEFT JOIN return_visits v ON v.ticket_id = t.id AND v.status = 'done' AND ${visitsInScope(s)}
    WHERE ${inScope(s)} AND t.status IN ${DONE}`.execute(db);
  const row = r.rows[0];
  const due = n(row.due);
  const major = n(row.major);
  return { due, visited: n(row.visited), rate: percent(n(row.visited), due), majorComplaints: major, majorVisited: n(row.major_visited), majorRate: percent(n(row.major_visited), major) };
}

export async function figureSatisfaction(db: Kysely<DB>, s: DashboardScope): Promise<Dashboard['satisfaction']> {
  const r = await sql<{ rated: number; satisfied: number; scores: number; score_sum: number }>`
    SELECT count(*) FILTER (WHERE t.rating IS NOT NULL OR v.satisfaction IS NOT NULL) AS rated,
      count(*) FILTER (WHERE t.rating >= 4 OR v.satisfaction >= 4) AS satisfied,
      count(t.rating) + count(v.satisfaction) AS scores,
      coalesce(sum(t.rating), 0) + coalesce(sum(v.satisfaction), 0) AS score_sum
    FROM tickets t LEFT JOIN return_visits v ON v.ticket_id = t.id AND v.satisfaction IS NOT NULL AND ${visitsInScope(s)}
    WHERE ${inScope(s)} AND t.status IN ${DONE}`.execute(db);
  const row = r.rows[0];
  const scores = n(row.scores);
  return { rated: n(row.rated), average: scores ? Math.round((n(row.score_sum) * 100) / scores) / 100 : null, satisfiedRate: percent(n(row.satisfied), n(row.rated)) };
}

/** 返修率: completed tickets that were sent back at least once. */
export async function figureRework(db: Kysely<DB>, s: DashboardScope): Promise<Dashboard['rework']> {
  const slice = (where: RawBuilder<boolean>) => sql`
    SELECT count(*) AS completed, count(*) FILTER (WHERE t.rework_count > 0) AS reworked FROM tickets t WHERE ${where} AND t.status IN ${DONE}`;
  const r = await sql<{ completed: number; reworked: number }>`SELECT sum(completed) AS completed, sum(reworked) AS reworked FROM (${sliced(s, slice)}) x`.execute(db);
  const row = r.rows[0];
  return { completed: n(row.completed), reworked: n(row.reworked), rate: percent(n(row.reworked), n(row.completed)) };
}

/** Open tickets of the range with an overdue clock, longest overdue first, with the clock that broke first. */
export async function figureOverdue(db: Kysely<DB>, s: DashboardScope, limit = 50): Promise<Dashboard['overdue']> {
  const clocks = sql.raw(CLOCKS.map((c) => `('${c}', t.${c}_due_at, t.${c}_state)`).join(', '));
  const r = await sql<{ id: string; no: string; title: string; community_name: string; assignee_name: string | null; clock: ClockName; due_at: Date }>`
    SELECT t.id, t.no, t.title, c.name AS community_name, u.display_name AS assignee_name, x.clock, x.due_at
    FROM tickets t
    JOIN communities c ON c.id = t.community_id
    LEFT JOIN users u ON u.id = t.assignee_id
    CROSS JOIN LATERAL (SELECT k.clock, k.due_at FROM (VALUES ${clocks}) k(clock, due_at, state) WHERE k.state = 'overdue' ORDER BY k.due_at LIMIT 1) x
    WHERE ${inScope(s)} AND t.status IN ${OPEN} AND ${ANY_OVERDUE}
    ORDER BY x.due_at, t.no LIMIT ${limit}`.execute(db);
  return r.rows.map((x) => ({ id: x.id, no: x.no, title: x.title, communityName: x.community_name, assigneeName: x.assignee_name, clock: x.clock, dueAt: new Date(x.due_at).toISOString() }));
}

/** Every figure of the dashboard. The queries run one after another: on PGlite there is one connection anyway. */
export async function getDashboard(db: Kysely<DB>, ctx: RequestContext, q: { communityId?: string; from?: string; to?: string }): Promise<Dashboard> {
  const s = await dashboardScope(db, ctx, q);
  const { settings } = await deskConfig(db, s.companyId);
  return {
    range: { from: s.from, to: s.to },
    targets: { satisfaction: settings.satisfactionTarget, returnVisit: settings.returnVisitTarget, timeliness: settings.timelinessTarget },
    totals: await figureTotals(db, s),
    onTime: await figureOnTime(db, s),
    byKind: await figureByKind(db, s),
    byCategory: await figureByCategory(db, s),
    byCommunity: await figureByCommunity(db, s),
    byTechnician: await figureByTechnician(db, s),
    byMonth: await figureByMonth(db, s),
    returnVisits: await figureReturnVisits(db, s),
    satisfaction: await figureSatisfaction(db, s),
    rework: await figureRework(db, s),
    overdue: await figureOverdue(db, s),
  };
}
