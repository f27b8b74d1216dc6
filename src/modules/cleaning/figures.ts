import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type RequestContext, companyOf, requirePermission } from '../../core/context.ts';
import { ValidationError } from '../../core/errors.ts';
import { localDate } from '../servicedesk/deadlines.ts';
import { nextDay } from '../rosters/onshift.ts';
import { rate, weekOf } from './rules.ts';
import { loadCommunity } from './plans.ts';
import type { CleaningFigures, Tally } from './schema.ts';

/**
 * Completion figures of a community over a range of business dates: per day and week, per area, department, post
 * and person (the person the task was given to; the team's tasks count as "unassigned"). A task counts once its
 * window has passed or it is done: open tasks still inside their window are not yet a success or a failure.
 */

const MAX_DAYS = 92;

interface Counts {
  total: number;
  done: number;
  late: number;
  missed: number;
}

const empty = (): Counts => ({ total: 0, done: 0, late: 0, missed: 0 });
const tallyOf = (c: Counts): Tally => ({ ...c, rate: rate(c.done, c.total), onTimeRate: rate(c.done - c.late, c.total) });

function add(map: Map<string, Counts & { name: string }>, key: string, name: string, r: Counts) {
  const c = map.get(key) ?? { ...empty(), name };
  c.total += r.total;
  c.done += r.done;
  c.late += r.late;
  c.missed += r.missed;
  map.set(key, c);
}

const list = (map: Map<string, Counts & { name: string }>) =>
  [...map.entries()]
    .map(([id, c]) => ({ id: id === '' ? null : id, name: c.name, ...tallyOf(c) }))
    .sort((a, b) => (a.rate ?? 101) - (b.rate ?? 101) || a.name.localeCompare(b.name, 'zh-CN'));

export async function getFigures(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: { communityId: string; from?: string; to?: string }): Promise<CleaningFigures> {
  requirePermission(ctx.actor, 'cleaning.read');
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId, 'notFound');
  const to = q.to ?? localDate(new Date(), community.time_zone);
  const from = q.from ?? nextDay(to, -6);
  if (to < from) throw new ValidationError('to', 'validation.dateOrder');
  if (nextDay(from, MAX_DAYS) <= to) throw new ValidationError('to', 'validation.rangeTooLong', { max: MAX_DAYS });
  const now = new Date();
  const rows = await sql<Counts & { day: string; area_id: string; area_name: string; department_id: string | null; department_name: string | null; post_id: string | null; post_name: string | null; assignee_id: string | null; assignee_name: string | null }>`
    SELECT t.day::text AS day, t.area_id, a.name AS area_name, t.department_id, d.name AS department_name, t.post_id, p.name AS post_name,
           t.assignee_id, u.display_name AS assignee_name,
           count(*)::int AS total,
           count(*) FILTER (WHERE t.status = 'done')::int AS done,
           count(*) FILTER (WHERE t.status = 'done' AND t.late)::int AS late,
           count(*) FILTER (WHERE t.status = 'missed')::int AS missed
      FROM cleaning_tasks t
      JOIN cleaning_areas a ON a.id = t.area_id
      LEFT JOIN departments d ON d.id = t.department_id
      LEFT JOIN posts p ON p.id = t.post_id
      LEFT JOIN users u ON u.id = t.assignee_id
     WHERE t.company_id = ${companyOf(ctx.actor)}
       AND t.community_id = ${community.id} AND t.day BETWEEN ${from} AND ${to}
       AND (t.status <> 'open' OR t.due_at < ${now})
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`.execute(deps.db);

  const unassigned = ctx.lang === 'en' ? 'Team (nobody rostered)' : '班组（未排班）';
  const none = ctx.lang === 'en' ? 'No team' : '未指定';
  const totals = empty();
  const byDay = new Map<string, Counts & { name: string }>();
  const byWeek = new Map<string, Counts & { name: string }>();
  const byArea = new Map<string, Counts & { name: string }>();
  const byDepartment = new Map<string, Counts & { name: string }>();
  const byPost = new Map<string, Counts & { name: string }>();
  const byPerson = new Map<string, Counts & { name: string }>();
  for (let d = from; d <= to; d = nextDay(d)) {
    byDay.set(d, { ...empty(), name: d });
    byWeek.set(weekOf(d), byWeek.get(weekOf(d)) ?? { ...empty(), name: weekOf(d) });
  }
  for (const r of rows.rows) {
    totals.total += r.total;
    totals.done += r.done;
    totals.late += r.late;
    totals.missed += r.missed;
    add(byDay, r.day, r.day, r);
    add(byWeek, weekOf(r.day), weekOf(r.day), r);
    add(byArea, r.area_id, r.area_name, r);
    add(byDepartment, r.department_id ?? '', r.department_name ?? none, r);
    add(byPost, r.post_id ?? '', r.post_name ?? none, r);
    add(byPerson, r.assignee_id ?? '', r.assignee_name ?? unassigned, r);
  }
  return {
    communityId: community.id,
    from,
    to,
    totals: tallyOf(totals),
    byDay: [...byDay.entries()].map(([day, c]) => ({ day, ...tallyOf(c) })),
    byWeek: [...byWeek.entries()].map(([week, c]) => ({ week, ...tallyOf(c) })),
    byArea: list(byArea),
    byDepartment: list(byDepartment),
    byPost: list(byPost),
    byPerson: list(byPerson),
  };
}
