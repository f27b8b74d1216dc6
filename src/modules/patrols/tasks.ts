import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, companyOf, requirePermission } from '../../core/context.ts';
import { ValidationError } from '../../core/errors.ts';
import { offsetOf, type Page } from '../../core/pagination.ts';
import { localDate, zonedInstant } from '../servicedesk/deadlines.ts';
import { nextDay } from '../rosters/onshift.ts';
import { generatePatrolTasks } from './generate.ts';
import { loadCommunity } from './repo.ts';
import type { Checkin, Figures, Task } from './schema.ts';

/** Reading tasks, check-ins and figures; generating a day's tasks by hand. */

type D = Pick<Deps, 'db'>;

/** Tasks with their points, assignees' names and each point's check-in (abnormal, ticket). */
export async function selectTasks(db: Db, companyId: string, where: { ids?: readonly string[]; communityId?: string; day?: string; planId?: string; status?: string }): Promise<Task[]> {
  if (where.ids && !where.ids.length) return [];
  const rows = await db
    .selectFrom('patrol_tasks as t')
    .innerJoin('patrol_plans as p', 'p.id', 't.plan_id')
    .innerJoin('patrol_routes as r', 'r.id', 't.route_id')
    .innerJoin('shifts as s', 's.id', 't.shift_id')
    .select(['t.id', 't.community_id', 't.plan_id', 'p.name as plan_name', 'r.name as route_name', 'r.kind', 's.name as shift_name', 't.day', 't.round', 't.window_start', 't.window_end', 't.assignee_ids', 't.flag', 't.status', 't.points_total', 't.points_done', 't.points_missed'])
    .where('t.company_id', '=', companyId)
    .$if(Boolean(where.ids), (q) => q.where('t.id', 'in', [...where.ids!]))
    .$if(Boolean(where.communityId), (q) => q.where('t.community_id', '=', where.communityId!))
    .$if(Boolean(where.day), (q) => q.where('t.day', '=', where.day!))
    .$if(Boolean(where.planId), (q) => q.where('t.plan_id', '=', where.planId!))
    .$if(Boolean(where.status), (q) => q.where('t.status', '=', where.status as 'open'))
    .orderBy('t.window_start')
    .orderBy('p.name')
    .limit(2000)
    .execute();
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const userIds = [...new Set(rows.flatMap((r) => r.assignee_ids))];
  const [points, users] = await Promise.all([
    db
      .selectFrom('patrol_task_points as tp')
      .innerJoin('patrol_checkpoints as c', 'c.id', 'tp.checkpoint_id')
      .leftJoin('patrol_checkins as ci', 'ci.id', 'tp.checkin_id')
      .select(['tp.id', 'tp.task_id', 'tp.position', 'tp.checkpoint_id', 'c.no', 'c.name', 'c.location', 'tp.status', 'tp.done_at', 'tp.checkin_id', 'ci.abnormal', 'ci.ticket_id'])
      .where('tp.task_id', 'in', ids)
      .orderBy('tp.task_id')
      .orderBy('tp.position')
      .execute(),
    userIds.length ? db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', userIds).execute() : Promise.resolve([]),
  ]);
  const names = new Map(users.map((u) => [u.id, u.display_name]));
  const byTask = new Map<string, Task['points']>();
  for (const p of points) {
    const list = byTask.get(p.task_id) ?? [];
    list.push({ id: p.id, position: p.position, checkpointId: p.checkpoint_id, checkpointNo: p.no, name: p.name, location: p.location, status: p.status, doneAt: p.done_at?.toISOString() ?? null, checkinId: p.checkin_id, abnormal: p.abnormal ?? false, ticketId: p.ticket_id ?? null });
    byTask.set(p.task_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    communityId: r.community_id,
    planId: r.plan_id,
    planName: r.plan_name,
    routeName: r.route_name,
    kind: r.kind,
    shiftName: r.shift_name,
    day: r.day,
    round: r.round,
    windowStart: r.window_start.toISOString(),
    windowEnd: r.window_end.toISOString(),
    assignees: r.assignee_ids.map((id) => ({ id, name: names.get(id) ?? '' })),
    flag: r.flag,
    status: r.status,
    pointsTotal: r.points_total,
    pointsDone: r.points_done,
    pointsMissed: r.points_missed,
    points: byTask.get(r.id) ?? [],
  }));
}

export async function listTasks(deps: D, ctx: RequestContext, q: { communityId: string; day?: string; planId?: string; status?: string }): Promise<Task[]> {
  requirePermission(ctx.actor, 'patrol.read');
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId);
  return selectTasks(deps.db, companyOf(ctx.actor), { communityId: community.id, day: q.day ?? localDate(new Date(), community.time_zone), planId: q.planId, status: q.status });
}

/** Generates a date's tasks of one community now (after a new plan or a roster change); existing rounds stay. */
export async function generateNow(deps: D, ctx: RequestContext, input: { communityId: string; day: string }) {
  requirePermission(ctx.actor, 'patrol.manage');
  const community = await loadCommunity(deps.db, ctx.actor, input.communityId, 'field');
  const today = localDate(new Date(), community.time_zone);
  if (input.day < today || input.day > nextDay(today, 7)) throw new ValidationError('day', 'validation.invalid');
  const r = await generatePatrolTasks(deps.db as Parameters<typeof generatePatrolTasks>[0], { day: input.day, communityIds: [community.id] });
  return { day: r.day, tasks: r.tasks, created: r.created };
}

// ── Check-in records ──────────────────────────────────────────────────────────────────────────────────────────
export function selectCheckins(db: Db, companyId: string) {
  return db
    .selectFrom('patrol_checkins as ci')
    .innerJoin('patrol_checkpoints as c', 'c.id', 'ci.checkpoint_id')
    .innerJoin('users as u', 'u.id', 'ci.user_id')
    .leftJoin('patrol_tasks as t', 't.id', 'ci.task_id')
    .leftJoin('patrol_routes as r', 'r.id', 't.route_id')
    .leftJoin('tickets as tk', 'tk.id', 'ci.ticket_id')
    .select([
      'ci.id', 'ci.client_id', 'ci.community_id', 'ci.checkpoint_id', 'c.name as checkpoint_name', 'c.no as checkpoint_no', 'ci.user_id', 'u.display_name', 'ci.task_id', 'r.name as route_name',
      'ci.scanned_at', 'ci.received_at', 'ci.answers', 'ci.abnormal', 'ci.note', 'ci.ticket_id', 'tk.no as ticket_no', 'tk.status as ticket_status',
      (eb) => eb.selectFrom('patrol_checkin_photos as ph').select(sql<string[]>`coalesce(array_agg(ph.file_id ORDER BY ph.file_id), '{}')`.as('ids')).whereRef('ph.checkin_id', '=', 'ci.id').as('photo_ids'),
    ])
    .where('ci.company_id', '=', companyId);
}
type CheckinRow = Awaited<ReturnType<ReturnType<typeof selectCheckins>['executeTakeFirstOrThrow']>>;

export const toCheckin = (r: CheckinRow): Checkin => ({
  id: r.id,
  clientId: r.client_id,
  communityId: r.community_id,
  checkpointId: r.checkpoint_id,
  checkpointName: r.checkpoint_name,
  checkpointNo: r.checkpoint_no,
  userId: r.user_id,
  userName: r.display_name,
  taskId: r.task_id,
  routeName: r.route_name,
  scannedAt: r.scanned_at.toISOString(),
  receivedAt: r.received_at.toISOString(),
  answers: r.answers,
  abnormal: r.abnormal,
  note: r.note,
  photoIds: r.photo_ids ?? [],
  ticket: r.ticket_id ? { id: r.ticket_id, no: r.ticket_no ?? '', status: r.ticket_status ?? '' } : null,
});

export async function listCheckins(deps: D, ctx: RequestContext, q: { communityId: string; from?: string; to?: string; abnormal?: 'true' | 'false'; checkpointId?: string; page: number; pageSize: number }): Promise<Page<Checkin>> {
  requirePermission(ctx.actor, 'patrol.read');
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId);
  if (q.from && q.to && q.to < q.from) throw new ValidationError('to', 'validation.dateOrder');
  const base = selectCheckins(deps.db, companyOf(ctx.actor))
    .where('ci.community_id', '=', community.id)
    .$if(Boolean(q.from), (qb) => qb.where('ci.scanned_at', '>=', zonedInstant(q.from!, '00:00', community.time_zone)))
    .$if(Boolean(q.to), (qb) => qb.where('ci.scanned_at', '<', zonedInstant(nextDay(q.to!), '00:00', community.time_zone)))
    .$if(Boolean(q.abnormal), (qb) => qb.where('ci.abnormal', '=', q.abnormal === 'true'))
    .$if(Boolean(q.checkpointId), (qb) => qb.where('ci.checkpoint_id', '=', q.checkpointId!));
  const [rows, count] = await Promise.all([
    base.orderBy('ci.scanned_at', 'desc').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toCheckin), total: Number(count.n), page: q.page, pageSize: q.pageSize };
}

// ── Figures ───────────────────────────────────────────────────────────────────────────────────────────────────
const MAX_DAYS = 366;

export async function patrolFigures(deps: D, ctx: RequestContext, q: { communityId: string; from: string; to: string }): Promise<Figures> {
  requirePermission(ctx.actor, 'patrol.read');
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId);
  if (q.to < q.from) throw new ValidationError('to', 'validation.dateOrder');
  if ((Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 > MAX_DAYS) throw new ValidationError('from', 'validation.invalid');
  const scope = { community: community.id, from: q.from, to: q.to };
  type Row = { key: string; label: string; total: number; done: number; missed: number };
  // Points still ahead (a round not yet over) are not due yet: they count neither as done nor in the total.
  const counts = sql`(count(*) FILTER (WHERE tp.status <> 'pending' OR t.window_end <= now()))::int AS total, (count(*) FILTER (WHERE tp.status = 'done'))::int AS done, (count(*) FILTER (WHERE tp.status = 'missed'))::int AS missed`;
  const inRange = sql`t.community_id = ${scope.community} AND t.day BETWEEN ${scope.from} AND ${scope.to}`;
  const [byDay, byRoute, byShift, byPerson, abnormal] = await Promise.all([
    sql<Row>`SELECT to_char(t.day, 'YYYY-MM-DD') AS key, to_char(t.day, 'YYYY-MM-DD') AS label, ${counts}
               FROM patrol_tasks t JOIN patrol_task_points tp ON tp.task_id = t.id WHERE ${inRange} GROUP BY t.day ORDER BY t.day`.execute(deps.db),
    sql<Row>`SELECT r.id::text AS key, r.name AS label, ${counts}
               FROM patrol_tasks t JOIN patrol_task_points tp ON tp.task_id = t.id JOIN patrol_routes r ON r.id = t.route_id WHERE ${inRange} GROUP BY r.id, r.name ORDER BY r.name`.execute(deps.db),
    sql<Row>`SELECT s.id::text AS key, s.name AS label, ${counts}
               FROM patrol_tasks t JOIN patrol_task_points tp ON tp.task_id = t.id JOIN shifts s ON s.id = t.shift_id WHERE ${inRange} GROUP BY s.id, s.name, s.start_time ORDER BY s.start_time`.execute(deps.db),
    // A point counts for everyone the task was given to; a task nobody was rostered for counts under "unassigned".
    sql<Row>`SELECT coalesce(u.id::text, '') AS key, coalesce(u.display_name, '') AS label, ${counts}
               FROM patrol_tasks t JOIN patrol_task_points tp ON tp.task_id = t.id
               LEFT JOIN LATERAL unnest(CASE WHEN cardinality(t.assignee_ids) = 0 THEN ARRAY[NULL::uuid] ELSE t.assignee_ids END) AS a(user_id) ON true
               LEFT JOIN users u ON u.id = a.user_id
              WHERE ${inRange} GROUP BY u.id, u.display_name ORDER BY u.display_name NULLS LAST`.execute(deps.db),
    sql<{ n: number }>`SELECT count(*)::int AS n FROM patrol_checkins ci JOIN patrol_tasks t ON t.id = ci.task_id WHERE ${inRange} AND ci.abnormal`.execute(deps.db),
  ]);
  const withRate = (r: Row) => ({ ...r, total: Number(r.total), done: Number(r.done), missed: Number(r.missed), rate: Number(r.total) ? Math.round((Number(r.done) / Number(r.total)) * 1000) / 10 : 0 });
  const total = byDay.rows.reduce((acc, r) => ({ ...acc, total: acc.total + Number(r.total), done: acc.done + Number(r.done), missed: acc.missed + Number(r.missed) }), { key: 'total', label: '', total: 0, done: 0, missed: 0 });
  return {
    from: q.from,
    to: q.to,
    total: withRate(total),
    byDay: byDay.rows.map(withRate),
    byRoute: byRoute.rows.map(withRate),
    byShift: byShift.rows.map(withRate),
    byPerson: byPerson.rows.map(withRate),
    abnormal: Number(abnormal.rows[0]?.n ?? 0),
  };
}

