import type { Kysely } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { DB } from '../../db/schema.ts';
import { type RequestContext, can, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page } from '../../core/pagination.ts';
import type { ChecklistItem, MaintenanceCycle } from '../../db/schema-equipment.ts';
import type { Category } from './catalogue.ts';
import { addDays, dueDatesBetween, isAbnormal, nextDueOn } from './rules.ts';
import { loadCommunity, loadEquipment, overdueSql, requireFiles, requirePost, requireStaff, todayIn } from './repo.ts';
import { fileFaultTicket } from './faults.ts';
import type { CompleteTaskInput, CreatePlanInput, Plan, Task, TaskQuery, UpdatePlanInput } from './schema.ts';

/** Maintenance plans (维保计划) and the tasks generated from them (维保任务). */

type D = Pick<Deps, 'db'>;

// ── Plans ─────────────────────────────────────────────────────────────────────────────────────────────────────
function planQuery(db: D['db'], companyId: string) {
  return db
    .selectFrom('maintenance_plans as p')
    .innerJoin('communities as c', 'c.id', 'p.community_id')
    .leftJoin('equipment as e', 'e.id', 'p.equipment_id')
    .leftJoin('users as u', 'u.id', 'p.assignee_id')
    .leftJoin('posts as ps', 'ps.id', 'p.post_id')
    .where('p.company_id', '=', companyId)
    .selectAll('p')
    .select(['c.name as community_name', 'c.time_zone', 'e.code as equipment_code', 'e.name as equipment_name', 'u.display_name as assignee_name', 'ps.name as post_name']);
}
type PlanRow = Awaited<ReturnType<ReturnType<typeof planQuery>['executeTakeFirstOrThrow']>>;

function toPlan(r: PlanRow): Plan {
  const today = todayIn(r.time_zone);
  const next = nextDueOn({ start: r.start_on, cycle: r.cycle, interval: r.interval }, today);
  return {
    id: r.id,
    communityId: r.community_id,
    communityName: r.community_name,
    equipment: r.equipment_id ? { id: r.equipment_id, code: r.equipment_code ?? '', name: r.equipment_name ?? '' } : null,
    category: (r.category as Category | null) ?? null,
    name: r.name,
    cycle: r.cycle,
    interval: r.interval,
    startOn: r.start_on,
    endOn: r.end_on,
    checklist: r.checklist,
    assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
    post: r.post_id ? { id: r.post_id, name: r.post_name ?? '' } : null,
    leadDays: r.lead_days,
    active: r.active,
    nextDueOn: r.end_on && next > r.end_on ? null : next,
    createdAt: r.created_at.toISOString(),
  };
}

async function loadPlan(db: D['db'], ctx: RequestContext, id: string) {
  const row = await planQuery(db, companyOf(ctx.actor)).where('p.id', '=', id).executeTakeFirst();
  const scope = communityScope(ctx.actor);
  if (!row || (scope && !scope.includes(row.community_id))) throw new NotFoundError('maintenancePlan');
  return row;
}

export async function listPlans(deps: D, ctx: RequestContext, q: { page: number; pageSize: number; communityId?: string; equipmentId?: string; active?: boolean }): Promise<Page<Plan>> {
  requirePermission(ctx.actor, 'equipment.read');
  if (q.communityId) await loadCommunity(deps.db, ctx.actor, q.communityId, 'notFound');
  const scope = communityScope(ctx.actor);
  let base = planQuery(deps.db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('p.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('p.community_id', '=', q.communityId!))
    .$if(q.active !== undefined, (qb) => qb.where('p.active', '=', q.active!));
  if (q.equipmentId) {
    const e = await loadEquipment(deps.db, ctx.actor, q.equipmentId);
    // An item's plans: its own, and those of its category in its community.
    base = base.where((eb) => eb.or([eb('p.equipment_id', '=', e.id), eb.and([eb('p.category', '=', e.category), eb('p.community_id', '=', e.community_id)])]));
  }
  const [rows, count] = await Promise.all([
    base.orderBy('p.active', 'desc').orderBy('p.created_at', 'desc').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toPlan), total: Number(count.n), page: q.page, pageSize: q.pageSize };
}

async function checkPlanRefs(deps: D, companyId: string, communityId: string, input: { assigneeId?: string | null; postId?: string | null; startOn?: string; endOn?: string | null }) {
  if (input.assigneeId) await requireStaff(deps.db, companyId, communityId, input.assigneeId, 'assigneeId');
  if (input.postId) await requirePost(deps.db, companyId, communityId, input.postId);
  if (input.startOn && input.endOn && input.endOn < input.startOn) throw new ValidationError('endOn', 'validation.dateOrder');
}

function checkChecklist(items: ChecklistItem[]) {
  items.forEach((item, i) => {
    if (item.kind !== 'number' && (item.min != null || item.max != null)) throw new ValidationError(`checklist.${i}.min`, 'validation.invalid');
    if (item.min != null && item.max != null && item.max < item.min) throw new ValidationError(`checklist.${i}.max`, 'validation.invalid');
  });
}

export async function createPlan(deps: D, ctx: RequestContext, input: CreatePlanInput): Promise<Plan> {
  requirePermission(ctx.actor, 'equipment.manage');
  const companyId = companyOf(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, input.communityId, 'field');
  if (!input.equipmentId === !input.category) throw new ValidationError('equipmentId', 'validation.required');
  if (input.equipmentId) {
    const e = await loadEquipment(deps.db, ctx.actor, input.equipmentId, 'field');
    if (e.community_id !== community.id) throw new ValidationError('equipmentId', 'validation.otherCommunity');
  }
  await checkPlanRefs(deps, companyId, community.id, input);
  checkChecklist(input.checklist);
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('maintenance_plans')
      .values({
        company_id: companyId, community_id: community.id, equipment_id: input.equipmentId ?? null, category: input.category ?? null, name: input.name, cycle: input.cycle, interval: input.interval,
        start_on: input.startOn, end_on: input.endOn ?? null, checklist: JSON.stringify(input.checklist), assignee_id: input.assigneeId ?? null, post_id: input.postId ?? null, lead_days: input.leadDays, created_by: ctx.actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'maintenancePlan.create', entityType: 'maintenancePlan', entityId: row.id, after: input });
    return row.id;
  });
  return toPlan(await loadPlan(deps.db, ctx, id));
}

/** Changes apply to tasks generated from now on; tasks already generated keep their checklist and people. */
export async function updatePlan(deps: D, ctx: RequestContext, id: string, input: UpdatePlanInput): Promise<Plan> {
  requirePermission(ctx.actor, 'equipment.manage');
  const p = await loadPlan(deps.db, ctx, id);
  await checkPlanRefs(deps, p.company_id, p.community_id, { ...input, startOn: input.startOn ?? p.start_on, endOn: input.endOn === undefined ? p.end_on : input.endOn });
  if (input.checklist) checkChecklist(input.checklist);
  const set = {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.cycle !== undefined && { cycle: input.cycle }),
    ...(input.interval !== undefined && { interval: input.interval }),
    ...(input.startOn !== undefined && { start_on: input.startOn }),
    ...(input.endOn !== undefined && { end_on: input.endOn }),
    ...(input.checklist !== undefined && { checklist: JSON.stringify(input.checklist) }),
    ...(input.assigneeId !== undefined && { assignee_id: input.assigneeId }),
    ...(input.postId !== undefined && { post_id: input.postId }),
    ...(input.leadDays !== undefined && { lead_days: input.leadDays }),
    ...(input.active !== undefined && { active: input.active }),
  };
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('maintenance_plans').set({ ...set, updated_at: new Date() }).where('id', '=', id).execute();
    await writeAudit(trx, ctx, { action: 'maintenancePlan.update', entityType: 'maintenancePlan', entityId: id, before: { name: p.name, cycle: p.cycle, interval: p.interval, active: p.active }, after: input });
  });
  return toPlan(await loadPlan(deps.db, ctx, id));
}

// ── Generation ────────────────────────────────────────────────────────────────────────────────────────────────
const MAX_LEAD = 60;

/**
 * Creates the tasks of every active plan whose due date falls in [day, day + the plan's lead days], for each item the
 * plan covers (a category plan: every item of the category in the community that is not stopped). Set-based: the
 * plans and items are read in two queries and the tasks written in batches; the unique key (plan, item, due date)
 * makes a second run — or a concurrent one in another process — create nothing. Returns the number created.
 * `through` widens the window to every due date up to that day (a backfill, or the demo's past weeks).
 */
export async function generateMaintenanceTasks(db: Kysely<DB>, opts: { day: string; communityIds?: readonly string[]; through?: string }): Promise<number> {
  if (opts.communityIds && !opts.communityIds.length) return 0;
  if (opts.through && opts.through < opts.day) throw new RangeError('through is before day');
  const horizon = opts.through && opts.through > addDays(opts.day, MAX_LEAD) ? opts.through : addDays(opts.day, MAX_LEAD);
  const plans = await db
    .selectFrom('maintenance_plans as p')
    .innerJoin('companies as co', 'co.id', 'p.company_id')
    .select(['p.id', 'p.company_id', 'p.community_id', 'p.equipment_id', 'p.category', 'p.name', 'p.cycle', 'p.interval', 'p.start_on', 'p.end_on', 'p.checklist', 'p.assignee_id', 'p.post_id', 'p.lead_days'])
    .where('p.active', '=', true)
    .where('co.status', '=', 'active')
    .where('p.start_on', '<=', horizon)
    .where((eb) => eb.or([eb('p.end_on', 'is', null), eb('p.end_on', '>=', opts.day)]))
    .$if(Boolean(opts.communityIds), (qb) => qb.where('p.community_id', 'in', [...opts.communityIds!]))
    .execute();
  if (!plans.length) return 0;
  const communityIds = [...new Set(plans.map((p) => p.community_id))];
  const items = await db
    .selectFrom('equipment')
    .select(['id', 'community_id', 'category', 'name', 'responsible_id'])
    .where('community_id', 'in', communityIds)
    .where('status', '<>', 'stopped')
    .execute();
  const byId = new Map(items.map((i) => [i.id, i]));
  const rows: Array<{ company_id: string; community_id: string; plan_id: string; equipment_id: string; due_on: string; title: string; checklist: string; assignee_id: string | null; post_id: string | null }> = [];
  for (const p of plans) {
    const ahead = addDays(opts.day, p.lead_days);
    const due = dueDatesBetween({ start: p.start_on, end: p.end_on, cycle: p.cycle as MaintenanceCycle, interval: p.interval }, opts.day, opts.through && opts.through > ahead ? opts.through : ahead);
    if (!due.length) continue;
    const covered = p.equipment_id ? [byId.get(p.equipment_id)].filter((i) => i !== undefined) : items.filter((i) => i.community_id === p.community_id && i.category === p.category);
    const checklist = JSON.stringify(p.checklist);
    for (const item of covered) {
      for (const dueOn of due) {
        rows.push({
          company_id: p.company_id, community_id: p.community_id, plan_id: p.id, equipment_id: item.id, due_on: dueOn, title: `${p.name} · ${item.name}`.slice(0, 200), checklist,
          assignee_id: p.assignee_id ?? (p.post_id ? null : item.responsible_id), post_id: p.post_id,
        });
      }
    }
  }
  let created = 0;
  for (let i = 0; i < rows.length; i += 1000) {
    const inserted = await db
      .insertInto('maintenance_tasks')
      .values(rows.slice(i, i + 1000))
      .onConflict((oc) => oc.columns(['plan_id', 'equipment_id', 'due_on']).doNothing())
      .returning('id')
      .execute();
    created += inserted.length;
  }
  return created;
}

/** A manager's "generate now" for one community (the daily job does the same at the start of each day). */
export async function generateNow(deps: D, ctx: RequestContext, input: { communityId: string; day?: string }) {
  requirePermission(ctx.actor, 'equipment.manage');
  const community = await loadCommunity(deps.db, ctx.actor, input.communityId, 'field');
  const today = todayIn(community.time_zone);
  const day = input.day ?? today;
  if (day < today) throw new ValidationError('day', 'validation.invalid');
  return { created: await generateMaintenanceTasks(deps.db as Kysely<DB>, { day, communityIds: [community.id] }) };
}

// ── Tasks ─────────────────────────────────────────────────────────────────────────────────────────────────────
function taskQuery(db: D['db'], companyId: string) {
  return db
    .selectFrom('maintenance_tasks as t')
    .innerJoin('communities as c', 'c.id', 't.community_id')
    .innerJoin('equipment as e', 'e.id', 't.equipment_id')
    .leftJoin('users as u', 'u.id', 't.assignee_id')
    .leftJoin('posts as ps', 'ps.id', 't.post_id')
    .leftJoin('users as d', 'd.id', 't.done_by')
    .leftJoin('tickets as k', 'k.id', 't.ticket_id')
    .where('t.company_id', '=', companyId)
    .selectAll('t')
    .select(['e.code as equipment_code', 'e.name as equipment_name', 'e.category', 'e.location', 'u.display_name as assignee_name', 'ps.name as post_name', 'd.display_name as done_by_name', 'k.no as ticket_no', 'c.time_zone'])
    .select(overdueSql('t.due_on', 'c.time_zone').as('past_due'));
}
type TaskRow = Awaited<ReturnType<ReturnType<typeof taskQuery>['executeTakeFirstOrThrow']>>;

const toTask = (r: TaskRow): Task => ({
  id: r.id,
  communityId: r.community_id,
  planId: r.plan_id,
  equipment: { id: r.equipment_id, code: r.equipment_code, name: r.equipment_name, category: r.category as Category, location: r.location },
  title: r.title,
  dueOn: r.due_on,
  status: r.status,
  overdue: r.status === 'open' && Boolean(r.past_due),
  checklist: r.checklist,
  answers: r.answers,
  photoFileIds: r.photo_file_ids,
  abnormal: r.abnormal,
  note: r.note,
  assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
  post: r.post_id ? { id: r.post_id, name: r.post_name ?? '' } : null,
  doneBy: r.done_by_name,
  doneAt: r.done_at?.toISOString() ?? null,
  ticket: r.ticket_id ? { id: r.ticket_id, no: r.ticket_no ?? '' } : null,
});

export async function listTasks(deps: D, ctx: RequestContext, q: TaskQuery): Promise<Page<Task>> {
  requirePermission(ctx.actor, 'equipment.read');
  if (q.communityId) await loadCommunity(deps.db, ctx.actor, q.communityId, 'notFound');
  if (q.equipmentId) await loadEquipment(deps.db, ctx.actor, q.equipmentId);
  if (q.from && q.to && q.to < q.from) throw new ValidationError('to', 'validation.dateOrder');
  const scope = communityScope(ctx.actor);
  const me = ctx.actor.userId;
  const base = taskQuery(deps.db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('t.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('t.community_id', '=', q.communityId!))
    .$if(Boolean(q.equipmentId), (qb) => qb.where('t.equipment_id', '=', q.equipmentId!))
    .$if(Boolean(q.planId), (qb) => qb.where('t.plan_id', '=', q.planId!))
    .$if(Boolean(q.from), (qb) => qb.where('t.due_on', '>=', q.from!))
    .$if(Boolean(q.to), (qb) => qb.where('t.due_on', '<=', q.to!))
    .$if(q.view === 'open', (qb) => qb.where('t.status', '=', 'open'))
    .$if(q.view === 'overdue', (qb) => qb.where('t.status', '=', 'open').where(overdueSql('t.due_on', 'c.time_zone')))
    .$if(q.view === 'done', (qb) => qb.where('t.status', '=', 'done'))
    .$if(Boolean(q.mine), (qb) =>
      qb.where((eb) => eb.or([eb('t.assignee_id', '=', me), eb('t.post_id', 'in', eb.selectFrom('post_members').select('post_id').where('user_id', '=', me))])),
    );
  const order = q.view === 'done' ? 'desc' : 'asc';
  const [rows, count] = await Promise.all([
    base.orderBy('t.due_on', order).orderBy('e.code').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toTask), total: Number(count.n), page: q.page, pageSize: q.pageSize };
}

async function loadTask(db: D['db'], ctx: RequestContext, id: string) {
  const row = await taskQuery(db, companyOf(ctx.actor)).where('t.id', '=', id).executeTakeFirst();
  const scope = communityScope(ctx.actor);
  if (!row || (scope && !scope.includes(row.community_id))) throw new NotFoundError('maintenanceTask');
  return row;
}

export async function getTask(deps: D, ctx: RequestContext, id: string): Promise<Task> {
  requirePermission(ctx.actor, 'equipment.read');
  return toTask(await loadTask(deps.db, ctx, id));
}

/** The task's people: its assignee, a holder of its post, or — for a task with neither — any maintainer; managers always. */
async function mayWork(db: D['db'], ctx: RequestContext, t: TaskRow): Promise<boolean> {
  if (can(ctx.actor, 'equipment.manage')) return true;
  if (t.assignee_id === ctx.actor.userId) return true;
  if (t.post_id) {
    const held = await db.selectFrom('post_members').select('post_id').where('post_id', '=', t.post_id).where('user_id', '=', ctx.actor.userId).executeTakeFirst();
    if (held) return true;
  }
  return !t.assignee_id && !t.post_id;
}

/** Done on the phone: every checklist item answered; an abnormal answer files a fault ticket for the item. */
export async function completeTask(deps: Pick<Deps, 'db' | 'sms' | 'log'>, ctx: RequestContext, id: string, input: CompleteTaskInput): Promise<Task> {
  requirePermission(ctx.actor, 'equipment.maintain');
  const t = await loadTask(deps.db, ctx, id);
  if (!(await mayWork(deps.db, ctx, t))) throw new ForbiddenError('equipment.maintain');
  if (t.status !== 'open') throw new ConflictError('conflict.workDone', {}, { field: 'status' });
  const answers = new Map(input.answers.map((a) => [a.index, a]));
  if (answers.size !== input.answers.length) throw new ValidationError('answers', 'validation.duplicateIds');
  for (const a of input.answers) if (a.index >= t.checklist.length) throw new ValidationError(`answers.${a.index}.index`, 'validation.invalid');
  t.checklist.forEach((item, i) => {
    const a = answers.get(i);
    if (!a) throw new ValidationError(`answers.${i}`, 'validation.required');
    if (item.kind === 'check' && typeof a.ok !== 'boolean') throw new ValidationError(`answers.${i}.ok`, 'validation.required');
    if (item.kind === 'number' && typeof a.value !== 'number') throw new ValidationError(`answers.${i}.value`, 'validation.required');
  });
  const e = await loadEquipment(deps.db, ctx.actor, t.equipment_id);
  await requireFiles(deps.db, t.company_id, input.photoFileIds, 'photoFileIds', true);
  const abnormalItems = t.checklist.filter((item, i) => isAbnormal(item, answers.get(i)));
  const now = new Date();
  const done = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('maintenance_tasks')
      .set({ status: 'done', answers: JSON.stringify(input.answers), photo_file_ids: input.photoFileIds, abnormal: abnormalItems.length > 0, note: input.note ?? null, done_by: ctx.actor.userId, done_at: now })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .returning('id')
      .executeTakeFirst();
    if (!row) return false;
    await writeAudit(trx, ctx, { action: 'maintenanceTask.complete', entityType: 'maintenanceTask', entityId: id, after: { abnormal: abnormalItems.length > 0, answers: input.answers.length } });
    return true;
  });
  if (!done) throw new ConflictError('conflict.workDone', {}, { field: 'status' });
  if (abnormalItems.length && e.status !== 'stopped') {
    const description = [`维保任务“${t.title}”（${t.due_on}）发现异常：`, ...abnormalItems.map((item) => `· ${item.label}`), input.note ?? ''].join('\n').trim().slice(0, 2000);
    const ticket = await fileFaultTicket(deps, ctx, e, { description, urgency: 'normal', photoFileIds: input.photoFileIds }, { kind: 'task', taskId: id });
    await deps.db.updateTable('maintenance_tasks').set({ ticket_id: ticket.id }).where('id', '=', id).execute();
  }
  return toTask(await loadTask(deps.db, ctx, id));
}
