import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, companyOf, requirePermission } from '../../core/context.ts';
import { ValidationError } from '../../core/errors.ts';
import { localDate, zonedInstant } from '../servicedesk/deadlines.ts';
import type { DepartmentKind } from '../../db/schema-rosters.ts';
import type { NoticeStatus } from '../../db/schema-quality.ts';
import type { Scores, WeeklyReport } from './schema.ts';
import { addDays, AWAITING_RECTIFICATION, percent, periodOf, periodsBetween, rectificationRate, type ScorePeriod, weekStartOf } from './rules.ts';
import { type CommunityRow, loadCommunity, requireReader } from './repo.ts';

/** Scores over time (per department and person) and the weekly supervision report (督导报告). */

const MAX_RANGE_DAYS = 366;

/** Each item's points after its own and its findings' deductions, on submitted inspections planned in [from, to]. */
async function itemPoints(db: Db, communityId: string, from: string, to: string) {
  const rows = await sql<{ planned_on: string; department_kind: DepartmentKind; max_points: number; points: number }>`
    SELECT i.planned_on, it.department_kind, it.max_points,
           GREATEST(0, it.max_points - it.deducted - COALESCE((SELECT SUM(n.deduction) FROM quality_notices n WHERE n.item_id = it.id AND n.status <> 'cancelled'), 0))::int AS points
      FROM quality_inspection_items it JOIN quality_inspections i ON i.id = it.inspection_id
     WHERE i.community_id = ${communityId} AND i.status = 'submitted' AND i.planned_on BETWEEN ${from} AND ${to}`.execute(db);
  return rows.rows;
}

async function departmentsOfCompany(db: Db, companyId: string) {
  return db.selectFrom('departments').select(['id', 'name', 'kind']).where('company_id', '=', companyId).orderBy('name').execute();
}

export async function getScores(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: { communityId: string; from: string; to: string; period: ScorePeriod }): Promise<Scores> {
  requireReader(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId, 'notFound');
  if (q.to < q.from) throw new ValidationError('to', 'validation.dateOrder');
  if (Date.parse(q.to) - Date.parse(q.from) > MAX_RANGE_DAYS * 86_400_000) throw new ValidationError('to', 'validation.rangeTooLong', { max: MAX_RANGE_DAYS });
  const companyId = companyOf(ctx.actor);
  const periods = periodsBetween(q.from, q.to, q.period);
  const index = new Map(periods.map((p, i) => [p, i]));
  const [points, departments, inspections, notices, rewards] = await Promise.all([
    itemPoints(deps.db, community.id, q.from, q.to),
    departmentsOfCompany(deps.db, companyId),
    deps.db.selectFrom('quality_inspections').select(['planned_on', 'score', 'max_score']).where('community_id', '=', community.id).where('status', '=', 'submitted').where('planned_on', '>=', q.from).where('planned_on', '<=', q.to).execute(),
    deps.db
      .selectFrom('quality_notices as n')
      .innerJoin('quality_inspections as i', 'i.id', 'n.inspection_id')
      .leftJoin('users as u', 'u.id', 'n.assignee_id')
      .select(['n.department_id', 'n.assignee_id', 'u.display_name', 'n.deduction'])
      .where('n.community_id', '=', community.id)
      .where('n.status', '<>', 'cancelled')
      .where('i.planned_on', '>=', q.from)
      .where('i.planned_on', '<=', q.to)
      .execute(),
    deps.db
      .selectFrom('quality_rewards as r')
      .innerJoin('users as u', 'u.id', 'r.user_id')
      .select(['r.user_id', 'u.display_name', 'r.kind', 'r.points'])
      .where('r.community_id', '=', community.id)
      .where('r.occurred_on', '>=', q.from)
      .where('r.occurred_on', '<=', q.to)
      .execute(),
  ]);
  const sums = (filter: (p: (typeof points)[number]) => boolean) => {
    const got = periods.map(() => ({ s: 0, m: 0 }));
    for (const p of points.filter(filter)) {
      const g = got[index.get(periodOf(p.planned_on, q.period))!]!;
      g.s += p.points;
      g.m += p.max_points;
    }
    return got.map((g) => percent(g.s, g.m));
  };
  const overall = periods.map(() => ({ s: 0, m: 0 }));
  for (const i of inspections) {
    const g = overall[index.get(periodOf(i.planned_on, q.period))!]!;
    g.s += i.score ?? 0;
    g.m += i.max_score;
  }
  const people = new Map<string, Scores['people'][number]>();
  const personOf = (id: string, name: string) => {
    if (!people.has(id)) people.set(id, { id, name, findings: 0, deducted: 0, rewardPoints: 0, penaltyPoints: 0 });
    return people.get(id)!;
  };
  for (const n of notices.filter((n) => n.assignee_id)) {
    const p = personOf(n.assignee_id!, n.display_name ?? '');
    p.findings += 1;
    p.deducted += n.deduction;
  }
  for (const r of rewards) {
    const p = personOf(r.user_id!, r.display_name);
    if (r.kind === 'reward') p.rewardPoints += r.points ?? 0;
    else p.penaltyPoints += r.points ?? 0;
  }
  const kindsInspected = new Set(points.map((p) => p.department_kind));
  return {
    periods,
    departments: departments
      .filter((d) => kindsInspected.has(d.kind) || notices.some((n) => n.department_id === d.id))
      .map((d) => ({ id: d.id, name: d.name, kind: d.kind, percents: sums((p) => p.department_kind === d.kind), findings: notices.filter((n) => n.department_id === d.id).length })),
    people: [...people.values()].sort((a, b) => b.deducted - a.deducted || a.name.localeCompare(b.name)),
    overall: overall.map((g) => percent(g.s, g.m)),
  };
}

// ── The weekly supervision report ───────────────────────────────────────────────────────────────────────────
/** Compiles the figures of one community's week (Monday `weekStart` to Sunday) as of `now`. */
export async function compileWeeklyReport(db: Db, companyId: string, community: Pick<CommunityRow, 'id' | 'name' | 'time_zone'>, weekStart: string, now: Date): Promise<WeeklyReport> {
  const weekEnd = addDays(weekStart, 6);
  const from = zonedInstant(weekStart, '00:00', community.time_zone);
  const to = zonedInstant(addDays(weekStart, 7), '00:00', community.time_zone);
  const [inspections, findings, due, overdue, points, departments, rewards] = await Promise.all([
    db
      .selectFrom('quality_inspections as i')
      .innerJoin('users as u', 'u.id', 'i.inspector_id')
      .select(['i.id', 'i.title', 'i.kind', 'i.planned_on', 'u.display_name', 'i.status', 'i.score', 'i.max_score', (eb) => eb.selectFrom('quality_notices as n').select((e) => e.fn.countAll<number>().as('c')).whereRef('n.inspection_id', '=', 'i.id').where('n.status', '<>', 'cancelled').as('findings')])
      .where('i.community_id', '=', community.id)
      .where('i.status', '<>', 'cancelled')
      .where('i.planned_on', '>=', weekStart)
      .where('i.planned_on', '<=', weekEnd)
      .orderBy('i.planned_on')
      .orderBy('i.title')
      .execute(),
    db
      .selectFrom('quality_notices as n')
      .innerJoin('quality_inspections as i', 'i.id', 'n.inspection_id')
      .leftJoin('departments as d', 'd.id', 'n.department_id')
      .leftJoin('users as u', 'u.id', 'n.assignee_id')
      .select(['d.name as department', 'u.display_name as assignee', 'n.deduction'])
      .where('n.community_id', '=', community.id)
      .where('n.status', '<>', 'cancelled')
      .where('i.planned_on', '>=', weekStart)
      .where('i.planned_on', '<=', weekEnd)
      .execute(),
    db.selectFrom('quality_notices').select(['status', 'deadline_at', 'rectified_at']).where('community_id', '=', community.id).where('deadline_at', '>=', from).where('deadline_at', '<', to).execute(),
    db
      .selectFrom('quality_notices as n')
      .leftJoin('departments as d', 'd.id', 'n.department_id')
      .leftJoin('users as u', 'u.id', 'n.assignee_id')
      .select(['n.no', 'n.description', 'd.name as department', 'u.display_name as assignee', 'n.deadline_at', 'n.status', 'n.escalation_level'])
      .where('n.community_id', '=', community.id)
      .where('n.status', 'in', [...AWAITING_RECTIFICATION] as NoticeStatus[])
      .where('n.deadline_at', '<', new Date(Math.min(now.getTime(), to.getTime())))
      .orderBy('n.deadline_at')
      .execute(),
    itemPoints(db, community.id, weekStart, weekEnd),
    departmentsOfCompany(db, companyId),
    db
      .selectFrom('quality_rewards as r')
      .leftJoin('users as u', 'u.id', 'r.user_id')
      .leftJoin('departments as d', 'd.id', 'r.department_id')
      .select(['r.kind', 'u.display_name', 'd.name', 'r.points', 'r.amount_fen', 'r.reason'])
      .where('r.community_id', '=', community.id)
      .where('r.occurred_on', '>=', weekStart)
      .where('r.occurred_on', '<=', weekEnd)
      .orderBy('r.occurred_on')
      .execute(),
  ]);
  const submitted = inspections.filter((i) => i.status === 'submitted');
  const byDepartment = new Map<string, { findings: number; deducted: number }>();
  for (const f of findings) {
    const key = f.department ?? f.assignee ?? '—';
    const g = byDepartment.get(key) ?? { findings: 0, deducted: 0 };
    g.findings += 1;
    g.deducted += f.deduction;
    byDepartment.set(key, g);
  }
  const kinds = new Set(points.map((p) => p.department_kind));
  const kindPercent = (kind: DepartmentKind) => {
    const mine = points.filter((p) => p.department_kind === kind);
    return percent(mine.reduce((s, p) => s + p.points, 0), mine.reduce((s, p) => s + p.max_points, 0));
  };
  return {
    communityId: community.id,
    communityName: community.name,
    weekStart,
    weekEnd,
    compiledAt: now.toISOString(),
    inspections: inspections.map((i) => ({ id: i.id, title: i.title, kind: i.kind, plannedOn: i.planned_on, inspector: i.display_name, status: i.status, score: i.score, maxScore: i.max_score, percent: i.score === null ? null : percent(i.score, i.max_score), findings: Number(i.findings ?? 0) })),
    inspectionsPlanned: inspections.length,
    inspectionsDone: submitted.length,
    averagePercent: percent(submitted.reduce((s, i) => s + (i.score ?? 0), 0), submitted.reduce((s, i) => s + i.max_score, 0)),
    findingsByDepartment: [...byDepartment.entries()].map(([department, g]) => ({ department, ...g })).sort((a, b) => b.findings - a.findings || a.department.localeCompare(b.department)),
    findingsTotal: findings.length,
    rectification: rectificationRate(due.map((n) => ({ status: n.status, deadlineAt: n.deadline_at, rectifiedAt: n.rectified_at })), from, to),
    overdue: overdue.map((n) => ({ no: n.no, description: n.description, department: n.department, assignee: n.assignee, deadlineAt: n.deadline_at.toISOString(), status: n.status, escalationLevel: n.escalation_level })),
    departmentScores: departments.filter((d) => kinds.has(d.kind)).map((d) => ({ department: d.name, kind: d.kind, percent: kindPercent(d.kind) })),
    rewards: rewards.map((r) => ({ kind: r.kind, target: r.display_name ?? r.name ?? '', points: r.points, amountFen: r.amount_fen, reason: r.reason })),
  };
}

/** Compiles and stores (replacing an earlier compilation) the report of a week. */
export async function storeWeeklyReport(db: Db, companyId: string, community: Pick<CommunityRow, 'id' | 'name' | 'time_zone'>, weekStart: string, now: Date, by: string | null): Promise<WeeklyReport> {
  const report = await compileWeeklyReport(db, companyId, community, weekStart, now);
  await db
    .insertInto('quality_reports')
    .values({ company_id: companyId, community_id: community.id, week_start: weekStart, data: JSON.stringify(report), compiled_at: now, compiled_by: by })
    .onConflict((oc) => oc.columns(['community_id', 'week_start']).doUpdateSet({ data: JSON.stringify(report), compiled_at: now, compiled_by: by }))
    .execute();
  return report;
}

function weekOf(community: CommunityRow, week: string | undefined): string {
  return weekStartOf(week ?? localDate(new Date(), community.time_zone));
}

/** The stored report of the week (any day of it; default this week); compiled now when there is none yet. */
export async function getWeeklyReport(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: { communityId: string; week?: string }): Promise<WeeklyReport> {
  requireReader(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId, 'notFound');
  const weekStart = weekOf(community, q.week);
  const stored = await deps.db.selectFrom('quality_reports').select('data').where('community_id', '=', community.id).where('week_start', '=', weekStart).executeTakeFirst();
  if (stored) return stored.data as WeeklyReport;
  return compileWeeklyReport(deps.db, companyOf(ctx.actor), community, weekStart, new Date());
}

/** Compiles the report again with today's figures and stores it. */
export async function compileReport(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: { communityId: string; week?: string }): Promise<WeeklyReport> {
  requirePermission(ctx.actor, 'quality.manage');
  const community = await loadCommunity(deps.db, ctx.actor, input.communityId, 'field');
  return storeWeeklyReport(deps.db, companyOf(ctx.actor), community, weekOf(community, input.week), new Date(), ctx.actor.userId);
}
