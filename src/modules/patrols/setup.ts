import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, companyOf, requirePermission } from '../../core/context.ts';
import { ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { timeOf } from '../rosters/onshift.ts';
import { checkWalkable, PlanRuleError, planWindows, type RoundWindow } from './rules.ts';
import { loadCommunity, loadScoped, selectCheckpoints } from './repo.ts';
import type { Checkpoint, CheckpointInput, CheckpointPatch, ChecklistItemInput, Plan, PlanInput, PlanPatch, Route, RouteInput, RoutePatch } from './schema.ts';

/** Setting patrols up: checkpoints and their checklists, routes, plans (with their round windows). */

type D = Pick<Deps, 'db'>;

// ── Checkpoints ───────────────────────────────────────────────────────────────────────────────────────────────
function checkChecklist(items: readonly ChecklistItemInput[]): void {
  items.forEach((item, i) => {
    if (item.answerKind !== 'number' && (item.minValue != null || item.maxValue != null)) throw new ValidationError(`checklist.${i}.minValue`, 'validation.invalid');
    if (item.minValue != null && item.maxValue != null && item.minValue > item.maxValue) throw new ValidationError(`checklist.${i}.maxValue`, 'validation.invalid');
    if (item.answerKind !== 'yesNo' && item.normalYes != null) throw new ValidationError(`checklist.${i}.normalYes`, 'validation.invalid');
  });
}

async function writeChecklist(trx: Db, companyId: string, checkpointId: string, items: readonly ChecklistItemInput[]) {
  await trx.deleteFrom('patrol_checklist_items').where('checkpoint_id', '=', checkpointId).execute();
  if (!items.length) return;
  await trx
    .insertInto('patrol_checklist_items')
    .values(
      items.map((item, i) => ({
        company_id: companyId,
        checkpoint_id: checkpointId,
        position: i + 1,
        label: item.label,
        answer_kind: item.answerKind,
        normal_yes: item.answerKind === 'yesNo' ? (item.normalYes ?? true) : null,
        min_value: item.minValue ?? null,
        max_value: item.maxValue ?? null,
        unit: item.unit ?? null,
        required: item.required,
      })),
    )
    .execute();
}

async function checkBuilding(db: Db, companyId: string, communityId: string, buildingId: string | null | undefined) {
  if (!buildingId) return;
  const b = await db.selectFrom('buildings').select('community_id').where('id', '=', buildingId).where('company_id', '=', companyId).executeTakeFirst();
  if (!b) throw new ValidationError('buildingId', 'validation.unknownIds');
  if (b.community_id !== communityId) throw new ValidationError('buildingId', 'validation.otherCommunity');
}

export async function listCheckpoints(deps: D, ctx: RequestContext, q: { communityId: string; kind?: 'patrol' | 'inspection'; active?: 'true' | 'false' }) {
  requirePermission(ctx.actor, 'patrol.read');
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId);
  return selectCheckpoints(deps.db, companyOf(ctx.actor), { communityId: community.id, kind: q.kind, active: q.active === undefined ? undefined : q.active === 'true' });
}

export async function getCheckpoint(deps: D, ctx: RequestContext, id: string): Promise<Checkpoint> {
  requirePermission(ctx.actor, 'patrol.read');
  await loadScoped(deps.db, ctx.actor, 'patrol_checkpoints', id, 'checkpoint');
  const [cp] = await selectCheckpoints(deps.db, companyOf(ctx.actor), { ids: [id] });
  return cp;
}

export async function createCheckpoint(deps: D, ctx: RequestContext, input: CheckpointInput): Promise<Checkpoint> {
  requirePermission(ctx.actor, 'patrol.manage');
  const companyId = companyOf(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, input.communityId, 'field');
  await checkBuilding(deps.db, companyId, community.id, input.buildingId);
  checkChecklist(input.checklist);
  const id = await deps.db.transaction().execute(async (trx) => {
    // Label numbers are handed out in order per community; the lock keeps two simultaneous creations apart.
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`patrol-cp:${community.id}`}, 0))`.execute(trx);
    const last = await trx.selectFrom('patrol_checkpoints').select((eb) => eb.fn.max('no').as('no')).where('community_id', '=', community.id).executeTakeFirst();
    const row = await trx
      .insertInto('patrol_checkpoints')
      .values({ company_id: companyId, community_id: community.id, no: (last?.no ?? 0) + 1, name: input.name, location: input.location, building_id: input.buildingId ?? null, kind: input.kind })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeChecklist(trx, companyId, row.id, input.checklist);
    await writeAudit(trx, ctx, { action: 'patrolCheckpoint.create', entityType: 'patrolCheckpoint', entityId: row.id, after: { ...input } });
    return row.id;
  });
  return getCheckpoint(deps, ctx, id);
}

export async function updateCheckpoint(deps: D, ctx: RequestContext, id: string, input: CheckpointPatch): Promise<Checkpoint> {
  requirePermission(ctx.actor, 'patrol.manage');
  const companyId = companyOf(ctx.actor);
  const row = await loadScoped(deps.db, ctx.actor, 'patrol_checkpoints', id, 'checkpoint');
  await checkBuilding(deps.db, companyId, row.community_id, input.buildingId);
  if (input.checklist) checkChecklist(input.checklist);
  const before = await getCheckpoint(deps, ctx, id);
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('patrol_checkpoints')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.location !== undefined ? { location: input.location } : {}),
        ...(input.buildingId !== undefined ? { building_id: input.buildingId } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    if (input.checklist) await writeChecklist(trx, companyId, id, input.checklist);
    await writeAudit(trx, ctx, { action: 'patrolCheckpoint.update', entityType: 'patrolCheckpoint', entityId: id, before, after: { ...input } });
  });
  return getCheckpoint(deps, ctx, id);
}

// ── Routes ────────────────────────────────────────────────────────────────────────────────────────────────────
async function selectRoutes(db: Db, companyId: string, filter: { id?: string; communityId?: string }): Promise<Route[]> {
  const rows = await db
    .selectFrom('patrol_routes')
    .selectAll()
    .where('company_id', '=', companyId)
    .$if(Boolean(filter.id), (q) => q.where('id', '=', filter.id!))
    .$if(Boolean(filter.communityId), (q) => q.where('community_id', '=', filter.communityId!))
    .orderBy('name')
    .execute();
  if (!rows.length) return [];
  const points = await db
    .selectFrom('patrol_route_points as p')
    .innerJoin('patrol_checkpoints as c', 'c.id', 'p.checkpoint_id')
    .select(['p.route_id', 'p.checkpoint_id', 'c.no', 'c.name'])
    .where('p.route_id', 'in', rows.map((r) => r.id))
    .orderBy('p.route_id')
    .orderBy('p.position')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    communityId: r.community_id,
    name: r.name,
    kind: r.kind,
    minutesPerPoint: r.minutes_per_point,
    active: r.active,
    points: points.filter((p) => p.route_id === r.id).map((p) => ({ checkpointId: p.checkpoint_id, no: p.no, name: p.name })),
  }));
}

/** The route's checkpoints must be distinct, of the same community and kind, and in use. */
async function checkRoutePoints(db: Db, companyId: string, communityId: string, kind: string, ids: readonly string[]) {
  if (new Set(ids).size !== ids.length) throw new ValidationError('checkpointIds', 'validation.invalid');
  const rows = await db.selectFrom('patrol_checkpoints').select(['id', 'community_id', 'kind', 'active']).where('company_id', '=', companyId).where('id', 'in', [...ids]).execute();
  if (rows.length !== ids.length || rows.some((r) => !r.active)) throw new ValidationError('checkpointIds', 'validation.unknownIds');
  if (rows.some((r) => r.community_id !== communityId)) throw new ValidationError('checkpointIds', 'validation.otherCommunity');
  if (rows.some((r) => r.kind !== kind)) throw new ValidationError('checkpointIds', 'validation.patrolKindMismatch');
}

async function writeRoutePoints(trx: Db, companyId: string, routeId: string, ids: readonly string[]) {
  await trx.deleteFrom('patrol_route_points').where('route_id', '=', routeId).execute();
  await trx.insertInto('patrol_route_points').values(ids.map((checkpoint_id, i) => ({ route_id: routeId, position: i + 1, checkpoint_id, company_id: companyId }))).execute();
}

export async function listRoutes(deps: D, ctx: RequestContext, q: { communityId: string }) {
  requirePermission(ctx.actor, 'patrol.read');
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId);
  return selectRoutes(deps.db, companyOf(ctx.actor), { communityId: community.id });
}

export async function createRoute(deps: D, ctx: RequestContext, input: RouteInput): Promise<Route> {
  requirePermission(ctx.actor, 'patrol.manage');
  const companyId = companyOf(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, input.communityId, 'field');
  await checkRoutePoints(deps.db, companyId, community.id, input.kind, input.checkpointIds);
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('patrol_routes')
      .values({ company_id: companyId, community_id: community.id, name: input.name, kind: input.kind, minutes_per_point: input.minutesPerPoint ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeRoutePoints(trx, companyId, row.id, input.checkpointIds);
    await writeAudit(trx, ctx, { action: 'patrolRoute.create', entityType: 'patrolRoute', entityId: row.id, after: { ...input } });
    return row.id;
  });
  return (await selectRoutes(deps.db, companyId, { id }))[0];
}

export async function updateRoute(deps: D, ctx: RequestContext, id: string, input: RoutePatch): Promise<Route> {
  requirePermission(ctx.actor, 'patrol.manage');
  const companyId = companyOf(ctx.actor);
  await loadScoped(deps.db, ctx.actor, 'patrol_routes', id, 'route');
  const [before] = await selectRoutes(deps.db, companyId, { id });
  if (input.checkpointIds) await checkRoutePoints(deps.db, companyId, before.communityId, before.kind, input.checkpointIds);
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('patrol_routes')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.minutesPerPoint !== undefined ? { minutes_per_point: input.minutesPerPoint } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    if (input.checkpointIds) await writeRoutePoints(trx, companyId, id, input.checkpointIds);
    await writeAudit(trx, ctx, { action: 'patrolRoute.update', entityType: 'patrolRoute', entityId: id, before, after: { ...input } });
  });
  return (await selectRoutes(deps.db, companyId, { id }))[0];
}

// ── Plans ─────────────────────────────────────────────────────────────────────────────────────────────────────
export const toWindows = (ws: readonly RoundWindow[]) => ws.map((w) => ({ round: w.round, start: timeOf(w.start), end: timeOf(w.end), nextDay: w.end > 1440 }));

/** The round windows of a plan, or the plan rule it breaks as a 400 naming its field. */
export function windowsOrError(spec: Parameters<typeof planWindows>[0], shift: { start: string; end: string }, route?: { points: number; minutesPerPoint: number | null }): RoundWindow[] {
  try {
    const windows = planWindows(spec, shift);
    if (route) checkWalkable(windows, route.points, route.minutesPerPoint);
    return windows;
  } catch (err) {
    if (err instanceof PlanRuleError) throw new ValidationError(err.field, err.key, err.params);
    throw err;
  }
}

function selectPlanRows(db: Db, companyId: string) {
  return db
    .selectFrom('patrol_plans as p')
    .innerJoin('patrol_routes as r', 'r.id', 'p.route_id')
    .innerJoin('shifts as s', 's.id', 'p.shift_id')
    .leftJoin('posts as po', 'po.id', 'p.post_id')
    .leftJoin('users as u', 'u.id', 'p.supervisor_id')
    .selectAll('p')
    .select(['r.name as route_name', 's.name as shift_name', 's.start_time', 's.end_time', 'po.name as post_name', 'u.display_name as supervisor_name'])
    .where('p.company_id', '=', companyId);
}
type PlanRow = Awaited<ReturnType<ReturnType<typeof selectPlanRows>['executeTakeFirstOrThrow']>>;

function toPlan(r: PlanRow): Plan {
  let windows: Plan['windows'] = [];
  try {
    windows = toWindows(planWindows({ frequency: r.frequency, rounds: r.rounds, intervalMinutes: r.interval_minutes, fixedTimes: r.fixed_times, windowMinutes: r.window_minutes }, { start: r.start_time, end: r.end_time }));
  } catch {
    // The shift was changed since the plan was saved and the plan no longer fits it: shown without windows.
  }
  return {
    id: r.id,
    communityId: r.community_id,
    name: r.name,
    routeId: r.route_id,
    routeName: r.route_name,
    shiftId: r.shift_id,
    shiftName: r.shift_name,
    postId: r.post_id,
    postName: r.post_name,
    frequency: r.frequency,
    rounds: r.rounds,
    intervalMinutes: r.interval_minutes,
    fixedTimes: r.fixed_times,
    windowMinutes: r.window_minutes,
    peoplePerRound: r.people_per_round,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    supervisorId: r.supervisor_id,
    supervisorName: r.supervisor_name,
    active: r.active,
    windows,
  };
}

type PlanFields = Omit<PlanInput, 'communityId'>;

/** Checks a whole plan (new, or an existing one with a change applied) and returns its windows. */
async function checkPlan(db: Db, companyId: string, communityId: string, p: PlanFields) {
  const [routeRow, shift] = await Promise.all([
    db.selectFrom('patrol_routes').select(['community_id', 'minutes_per_point']).where('id', '=', p.routeId).where('company_id', '=', companyId).executeTakeFirst(),
    db.selectFrom('shifts').select(['community_id', 'start_time', 'end_time']).where('id', '=', p.shiftId).where('company_id', '=', companyId).executeTakeFirst(),
  ]);
  if (!routeRow) throw new ValidationError('routeId', 'validation.unknownIds');
  if (routeRow.community_id !== communityId) throw new ValidationError('routeId', 'validation.otherCommunity');
  if (!shift) throw new ValidationError('shiftId', 'validation.unknownIds');
  if (shift.community_id !== communityId) throw new ValidationError('shiftId', 'validation.otherCommunity');
  if (p.postId) {
    const post = await db.selectFrom('posts').select('community_id').where('id', '=', p.postId).where('company_id', '=', companyId).executeTakeFirst();
    if (!post) throw new ValidationError('postId', 'validation.unknownIds');
    if (post.community_id !== communityId) throw new ValidationError('postId', 'validation.otherCommunity');
  }
  if (p.supervisorId) {
    const u = await db.selectFrom('users').select('id').where('id', '=', p.supervisorId).where('company_id', '=', companyId).where('kind', '=', 'staff').executeTakeFirst();
    if (!u) throw new ValidationError('supervisorId', 'validation.unknownIds');
  }
  if (p.validTo && p.validTo < p.validFrom) throw new ValidationError('validTo', 'validation.dateOrder');
  const points = await db.selectFrom('patrol_route_points').select((eb) => eb.fn.countAll<number>().as('n')).where('route_id', '=', p.routeId).executeTakeFirstOrThrow();
  return windowsOrError(p, { start: shift.start_time, end: shift.end_time }, { points: Number(points.n), minutesPerPoint: routeRow.minutes_per_point });
}

const planColumns = (p: PlanFields) => ({
  name: p.name,
  route_id: p.routeId,
  shift_id: p.shiftId,
  post_id: p.postId ?? null,
  frequency: p.frequency,
  rounds: p.frequency === 'rounds' ? (p.rounds ?? null) : null,
  interval_minutes: p.frequency === 'interval' ? (p.intervalMinutes ?? null) : null,
  fixed_times: p.frequency === 'fixed' ? [...(p.fixedTimes ?? [])].sort() : [],
  window_minutes: p.windowMinutes ?? null,
  people_per_round: p.peoplePerRound,
  valid_from: p.validFrom,
  valid_to: p.validTo ?? null,
  supervisor_id: p.supervisorId ?? null,
});

export async function listPlans(deps: D, ctx: RequestContext, q: { communityId: string }): Promise<Plan[]> {
  requirePermission(ctx.actor, 'patrol.read');
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId);
  const rows = await selectPlanRows(deps.db, companyOf(ctx.actor)).where('p.community_id', '=', community.id).orderBy('p.name').execute();
  return rows.map(toPlan);
}

async function getPlan(db: Db, companyId: string, id: string): Promise<Plan> {
  return toPlan(await selectPlanRows(db, companyId).where('p.id', '=', id).executeTakeFirstOrThrow());
}

/** The windows a plan would have, without saving it (the setup page's preview). */
export async function previewPlan(deps: D, ctx: RequestContext, input: PlanInput) {
  requirePermission(ctx.actor, 'patrol.manage');
  const community = await loadCommunity(deps.db, ctx.actor, input.communityId, 'field');
  const windows = await checkPlan(deps.db, companyOf(ctx.actor), community.id, input);
  const shift = await deps.db.selectFrom('shifts').select(['start_time', 'end_time']).where('id', '=', input.shiftId).executeTakeFirstOrThrow();
  return { windows: toWindows(windows), shift: { start: shift.start_time.slice(0, 5), end: shift.end_time.slice(0, 5) } };
}

export async function createPlan(deps: D, ctx: RequestContext, input: PlanInput): Promise<Plan> {
  requirePermission(ctx.actor, 'patrol.manage');
  const companyId = companyOf(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, input.communityId, 'field');
  await checkPlan(deps.db, companyId, community.id, input);
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('patrol_plans')
      .values({ company_id: companyId, community_id: community.id, ...planColumns(input), created_by: ctx.actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'patrolPlan.create', entityType: 'patrolPlan', entityId: row.id, after: { ...input } });
    return row.id;
  });
  return getPlan(deps.db, companyId, id);
}

/** A change applies to tasks generated from now on; tasks already generated keep their windows and people. */
export async function updatePlan(deps: D, ctx: RequestContext, id: string, input: PlanPatch): Promise<Plan> {
  requirePermission(ctx.actor, 'patrol.manage');
  const companyId = companyOf(ctx.actor);
  const row = await loadScoped(deps.db, ctx.actor, 'patrol_plans', id, 'plan');
  const before = await getPlan(deps.db, companyId, id);
  const { active, ...fields } = input;
  const merged: PlanFields = {
    name: fields.name ?? before.name,
    routeId: fields.routeId ?? before.routeId,
    shiftId: fields.shiftId ?? before.shiftId,
    postId: fields.postId !== undefined ? fields.postId : before.postId,
    frequency: fields.frequency ?? before.frequency,
    rounds: fields.rounds !== undefined ? fields.rounds : before.rounds,
    intervalMinutes: fields.intervalMinutes !== undefined ? fields.intervalMinutes : before.intervalMinutes,
    fixedTimes: fields.fixedTimes ?? before.fixedTimes,
    windowMinutes: fields.windowMinutes !== undefined ? fields.windowMinutes : before.windowMinutes,
    peoplePerRound: fields.peoplePerRound ?? before.peoplePerRound,
    validFrom: fields.validFrom ?? before.validFrom,
    validTo: fields.validTo !== undefined ? fields.validTo : before.validTo,
    supervisorId: fields.supervisorId !== undefined ? fields.supervisorId : before.supervisorId,
  };
  if (active !== false) await checkPlan(deps.db, companyId, row.community_id, merged);
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('patrol_plans')
      .set({ ...planColumns(merged), ...(active !== undefined ? { active } : {}), updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await writeAudit(trx, ctx, { action: 'patrolPlan.update', entityType: 'patrolPlan', entityId: id, before, after: { ...input } });
  });
  return getPlan(deps.db, companyId, id);
}

/** What the plan form offers: the community's shifts and posts, staff who may supervise, buildings. */
export async function setupOptions(deps: D, ctx: RequestContext, q: { communityId: string }) {
  requirePermission(ctx.actor, 'patrol.read');
  const companyId = companyOf(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId);
  const [shifts, posts, supervisors, buildings] = await Promise.all([
    deps.db.selectFrom('shifts').select(['id', 'name', 'start_time', 'end_time']).where('community_id', '=', community.id).where('active', '=', true).orderBy('start_time').execute(),
    deps.db.selectFrom('posts').select(['id', 'name']).where('community_id', '=', community.id).where('active', '=', true).orderBy('name').execute(),
    deps.db
      .selectFrom('users as u')
      .innerJoin('user_roles as ur', 'ur.user_id', 'u.id')
      .innerJoin('roles as r', 'r.id', 'ur.role_id')
      .leftJoin('user_communities as uc', (j) => j.onRef('uc.user_id', '=', 'u.id').on('uc.community_id', '=', community.id))
      .select(['u.id', 'u.display_name'])
      .distinct()
      .where('u.company_id', '=', companyId)
      .where('u.kind', '=', 'staff')
      .where('u.status', '=', 'active')
      .where(sql<boolean>`'patrol.read' = ANY(r.permissions)`)
      .where((eb) => eb.or([eb('u.all_communities', '=', true), eb('uc.user_id', 'is not', null)]))
      .orderBy('u.display_name')
      .execute(),
    deps.db.selectFrom('buildings').select(['id', 'name']).where('community_id', '=', community.id).orderBy('name').execute(),
  ]);
  return {
    shifts: shifts.map((s) => ({ id: s.id, name: s.name, start: s.start_time.slice(0, 5), end: s.end_time.slice(0, 5) })),
    posts,
    supervisors: supervisors.map((u) => ({ id: u.id, name: u.display_name })),
    buildings,
  };
}

