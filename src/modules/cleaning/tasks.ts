import type { Deps } from '../../deps.ts';
import { type Actor, type Db, type RequestContext, canSeeCommunity, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page } from '../../core/pagination.ts';
import { verifyCode } from '../../core/signed-codes.ts';
import { localDate } from '../servicedesk/deadlines.ts';
import { nextDay } from '../rosters/onshift.ts';
import { generateCleaningTasks } from './generate.ts';
import { completionCheck, EARLY_MINUTES } from './rules.ts';
import { loadCommunity } from './plans.ts';
import type { CleaningTask, CompleteInput, TaskState } from './schema.ts';

/**
 * Cleaning tasks: the day's board, the history, a cleaner's own list, and completion from the phone. Completion is
 * idempotent by the device's clientId — a retried or queued request returns the task as first completed — and keeps
 * the device's time, so work done offline before the window closed counts even when the sweep has since marked
 * the task missed.
 */

/** Phones drift: a completion may be dated up to a minute ahead of the server clock. */
const CLOCK_SKEW_MS = 60_000;
/** Business dates a generation may be asked for ahead of today (a week's schedule printed in advance). */
const GENERATE_AHEAD_DAYS = 31;

function selectTasks(db: Db, companyId: string) {
  return db
    .selectFrom('cleaning_tasks as t')
    .innerJoin('cleaning_areas as a', 'a.id', 't.area_id')
    .innerJoin('cleaning_items as i', 'i.id', 't.item_id')
    .leftJoin('shifts as s', 's.id', 't.shift_id')
    .leftJoin('posts as p', 'p.id', 't.post_id')
    .leftJoin('departments as d', 'd.id', 't.department_id')
    .leftJoin('users as u', 'u.id', 't.assignee_id')
    .leftJoin('users as w', 'w.id', 't.done_by')
    .where('t.company_id', '=', companyId)
    .select([
      't.id', 't.community_id', 't.day', 't.slot', 't.area_id', 'a.name as area_name', 'a.kind as area_kind', 'a.qr_required', 't.item_id', 'i.name as item_name', 'i.standard',
      't.starts_at', 't.due_at', 't.closes_at', 't.shift_id', 's.name as shift_name', 't.post_id', 'p.name as post_name', 't.department_id', 'd.name as department_name',
      't.assignee_id', 'u.display_name as assignee_name', 't.photo_required', 't.status', 't.late', 't.done_at', 't.done_by', 'w.display_name as done_by_name', 't.check_in', 't.note',
    ]);
}
type TaskRow = Awaited<ReturnType<ReturnType<typeof selectTasks>['executeTakeFirstOrThrow']>>;

export function stateOf(r: { status: string; late: boolean; due_at: Date }, now: Date): TaskState {
  if (r.status === 'done') return r.late ? 'late' : 'done';
  if (r.status === 'missed') return 'missed';
  return r.due_at.getTime() < now.getTime() ? 'overdue' : 'open';
}

const refOf = (id: string | null, name: string | null) => (id ? { id, name: name ?? '' } : null);

async function toTasks(db: Db, rows: TaskRow[], now = new Date()): Promise<CleaningTask[]> {
  const photos = rows.length
    ? await db.selectFrom('cleaning_task_photos').select(['task_id', 'file_id']).where('task_id', 'in', rows.map((r) => r.id)).orderBy('file_id').execute()
    : [];
  return rows.map((r) => ({
    id: r.id,
    communityId: r.community_id,
    day: r.day,
    slot: r.slot,
    area: { id: r.area_id, name: r.area_name, kind: r.area_kind, qrRequired: r.qr_required },
    item: { id: r.item_id, name: r.item_name, standard: r.standard },
    startsAt: r.starts_at.toISOString(),
    dueAt: r.due_at.toISOString(),
    closesAt: r.closes_at.toISOString(),
    shift: refOf(r.shift_id, r.shift_name),
    post: refOf(r.post_id, r.post_name),
    department: refOf(r.department_id, r.department_name),
    assignee: refOf(r.assignee_id, r.assignee_name),
    photoRequired: r.photo_required,
    status: r.status,
    state: stateOf(r, now),
    late: r.late,
    doneAt: r.done_at?.toISOString() ?? null,
    doneBy: refOf(r.done_by, r.done_by_name),
    checkIn: r.check_in,
    note: r.note,
    photoIds: photos.filter((p) => p.task_id === r.id).map((p) => p.file_id),
  }));
}

async function loadTask(db: Db, actor: Actor, id: string) {
  const row = await db.selectFrom('cleaning_tasks').selectAll().where('id', '=', id).where('company_id', '=', companyOf(actor)).executeTakeFirst();
  if (!row || !canSeeCommunity(actor, row.community_id)) throw new NotFoundError('cleaningTask');
  return row;
}

export async function getTask(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<CleaningTask> {
  if (!ctx.actor.permissions.has('cleaning.work')) requirePermission(ctx.actor, 'cleaning.read');
  await loadTask(deps.db, ctx.actor, id);
  const [task] = await toTasks(deps.db, await selectTasks(deps.db, companyOf(ctx.actor)).where('t.id', '=', id).execute());
  return task;
}

export async function getBoard(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: { communityId: string; day?: string }) {
  requirePermission(ctx.actor, 'cleaning.read');
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId, 'notFound');
  const day = q.day ?? localDate(new Date(), community.time_zone);
  const rows = await selectTasks(deps.db, companyOf(ctx.actor)).where('t.community_id', '=', community.id).where('t.day', '=', day).orderBy('a.name').orderBy('t.starts_at').orderBy('i.name').execute();
  const tasks = await toTasks(deps.db, rows);
  const counts: Record<TaskState, number> = { open: 0, overdue: 0, done: 0, late: 0, missed: 0 };
  for (const t of tasks) counts[t.state] += 1;
  return { communityId: community.id, day, counts, tasks };
}

export async function listTasks(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  q: { page: number; pageSize: number; communityId?: string; from?: string; to?: string; areaId?: string; assigneeId?: string; state?: TaskState; withPhotos?: 'true' | 'false' },
): Promise<Page<CleaningTask>> {
  requirePermission(ctx.actor, 'cleaning.read');
  if (q.communityId) await loadCommunity(deps.db, ctx.actor, q.communityId, 'notFound');
  if (q.from && q.to && q.to < q.from) throw new ValidationError('to', 'validation.dateOrder');
  const now = new Date();
  const scope = communityScope(ctx.actor);
  const base = selectTasks(deps.db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('t.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('t.community_id', '=', q.communityId!))
    .$if(Boolean(q.from), (qb) => qb.where('t.day', '>=', q.from!))
    .$if(Boolean(q.to), (qb) => qb.where('t.day', '<=', q.to!))
    .$if(Boolean(q.areaId), (qb) => qb.where('t.area_id', '=', q.areaId!))
    .$if(Boolean(q.assigneeId), (qb) => qb.where('t.assignee_id', '=', q.assigneeId!))
    .$if(q.state === 'open', (qb) => qb.where('t.status', '=', 'open').where('t.due_at', '>=', now))
    .$if(q.state === 'overdue', (qb) => qb.where('t.status', '=', 'open').where('t.due_at', '<', now))
    .$if(q.state === 'done', (qb) => qb.where('t.status', '=', 'done').where('t.late', '=', false))
    .$if(q.state === 'late', (qb) => qb.where('t.status', '=', 'done').where('t.late', '=', true))
    .$if(q.state === 'missed', (qb) => qb.where('t.status', '=', 'missed'))
    .$if(q.withPhotos === 'true', (qb) => qb.where((eb) => eb.exists(eb.selectFrom('cleaning_task_photos as ph').select('ph.file_id').whereRef('ph.task_id', '=', 't.id'))));
  const [rows, count] = await Promise.all([
    base.orderBy('t.day', 'desc').orderBy('t.starts_at', 'desc').orderBy('t.id').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: await toTasks(deps.db, rows, now), total: Number(count.n), page: q.page, pageSize: q.pageSize };
}

/**
 * My tasks of a date (today in each of my communities by default), in time order: those given to me, the team's
 * tasks of my posts (nobody rostered), and those I did for someone else.
 */
export async function myTasks(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: { day?: string }) {
  requirePermission(ctx.actor, 'cleaning.work');
  const companyId = companyOf(ctx.actor);
  const me = ctx.actor.userId;
  const scope = communityScope(ctx.actor);
  const zones = await deps.db.selectFrom('communities').select('time_zone').distinct().where('company_id', '=', companyId).$if(scope !== null, (qb) => qb.where('id', 'in', scope!)).execute();
  const days = q.day ? [q.day] : [...new Set(zones.map((z) => localDate(new Date(), z.time_zone)))];
  if (!days.length) return { day: q.day ?? localDate(new Date(), 'Asia/Shanghai'), tasks: [] };
  const rows = await selectTasks(deps.db, companyId)
    .$if(scope !== null, (qb) => qb.where('t.community_id', 'in', scope!))
    .where('t.day', 'in', days)
    .where((eb) =>
      eb.or([
        eb('t.assignee_id', '=', me),
        eb('t.done_by', '=', me),
        eb.and([
          eb('t.assignee_id', 'is', null),
          eb.or([
            eb('t.post_id', 'in', eb.selectFrom('post_members').select('post_id').where('user_id', '=', me)),
            eb.and([eb('t.post_id', 'is', null), eb('t.department_id', 'in', eb.selectFrom('post_members as pm').innerJoin('posts as pp', 'pp.id', 'pm.post_id').select('pp.department_id').where('pm.user_id', '=', me))]),
          ]),
        ]),
      ]),
    )
    .orderBy('t.starts_at')
    .orderBy('a.name')
    .execute();
  return { day: days[0], tasks: await toTasks(deps.db, rows) };
}

/** The photos must be images of the caller's company. */
async function requireImages(db: Db, companyId: string, ids: readonly string[]) {
  if (!ids.length) return;
  const rows = await db.selectFrom('files').select(['id', 'mime_type']).where('company_id', '=', companyId).where('id', 'in', [...ids]).execute();
  if (rows.length !== new Set(ids).size) throw new ValidationError('photoFileIds', 'validation.unknownIds');
  if (rows.some((r) => !r.mime_type.startsWith('image/'))) throw new ValidationError('photoFileIds', 'validation.notImage');
}

export async function completeTask(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: CompleteInput): Promise<CleaningTask> {
  requirePermission(ctx.actor, 'cleaning.work');
  const companyId = companyOf(ctx.actor);
  const task = await loadTask(deps.db, ctx.actor, id);
  const replay = async () => (await toTasks(deps.db, await selectTasks(deps.db, companyId).where('t.id', '=', id).execute()))[0];
  if (task.client_id === input.clientId) return replay();
  const used = await deps.db.selectFrom('cleaning_tasks').select('id').where('company_id', '=', companyId).where('client_id', '=', input.clientId).executeTakeFirst();
  if (used) throw new ConflictError('conflict.duplicate', { field: 'clientId' }, { field: 'clientId' });
  if (task.status === 'done') throw new ConflictError('conflict.duplicate', { field: 'status' }, { field: 'status', status: task.status });

  const now = new Date();
  const doneAt = input.doneAt ? new Date(input.doneAt) : now;
  if (doneAt.getTime() > now.getTime() + CLOCK_SKEW_MS) throw new ValidationError('doneAt', 'validation.future');
  const check = completionCheck({ startsAt: task.starts_at, dueAt: task.due_at, closesAt: task.closes_at }, doneAt);
  if (!check.ok && check.reason === 'early') throw new ValidationError('doneAt', 'validation.timeOrder', { after: new Date(task.starts_at.getTime() - EARLY_MINUTES * 60_000).toISOString() });
  if (!check.ok) throw new ValidationError('doneAt', 'validation.invalid');
  const area = await deps.db.selectFrom('cleaning_areas').select(['id', 'qr_required']).where('id', '=', task.area_id).executeTakeFirstOrThrow();
  if (input.code !== undefined) {
    if ((await verifyCode(deps.db, companyId, 'ca', input.code)) !== area.id) throw new ValidationError('code', 'validation.invalid');
  } else if (area.qr_required) throw new ValidationError('code', 'validation.required');
  if (task.photo_required && !input.photoFileIds.length) throw new ValidationError('photoFileIds', 'validation.required');
  await requireImages(deps.db, companyId, input.photoFileIds);

  await deps.db.transaction().execute(async (trx) => {
    // The row lock orders two devices completing the same task: the second sees the first's completion.
    const locked = await trx.selectFrom('cleaning_tasks').select(['status', 'client_id']).where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (locked.client_id === input.clientId) return 'replay' as const;
    if (locked.status === 'done') throw new ConflictError('conflict.duplicate', { field: 'status' }, { field: 'status', status: locked.status });
    const after = { status: 'done' as const, late: check.late, done_at: doneAt, done_by: ctx.actor.userId, check_in: input.code !== undefined ? ('qr' as const) : ('manual' as const), note: input.note ?? null, client_id: input.clientId };
    await trx.updateTable('cleaning_tasks').set({ ...after, missed_at: null, updated_at: now }).where('id', '=', id).execute();
    if (input.photoFileIds.length) {
      await trx
        .insertInto('cleaning_task_photos')
        .values([...new Set(input.photoFileIds)].map((file_id) => ({ task_id: id, file_id, company_id: companyId })))
        .onConflict((oc) => oc.columns(['task_id', 'file_id']).doNothing())
        .execute();
    }
    await writeAudit(trx, ctx, { action: 'cleaningTask.complete', entityType: 'cleaningTask', entityId: id, before: { status: locked.status }, after: { ...after, photos: input.photoFileIds.length } });
    return 'done' as const;
  }).catch((err: { code?: string }) => {
    // The same clientId committed by a parallel request on another task: the unique index refused this one.
    if (err.code === '23505') throw new ConflictError('conflict.duplicate', { field: 'clientId' }, { field: 'clientId' });
    throw err;
  });
  return replay();
}

export async function generateTasks(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: { communityId: string; day: string }) {
  requirePermission(ctx.actor, 'cleaning.manage');
  const community = await loadCommunity(deps.db, ctx.actor, input.communityId, 'field');
  if (input.day > nextDay(localDate(new Date(), community.time_zone), GENERATE_AHEAD_DAYS)) throw new ValidationError('day', 'validation.invalid');
  const result = await generateCleaningTasks(deps.db, { day: input.day, communityIds: [community.id] });
  return { day: input.day, ...result };
}
