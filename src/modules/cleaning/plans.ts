import QRCode from 'qrcode';
import type { Deps } from '../../deps.ts';
import { type Actor, type Db, type RequestContext, canSeeCommunity, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { signCode } from '../../core/signed-codes.ts';
import { localDate } from '../servicedesk/deadlines.ts';
import { generateCleaningTasks } from './generate.ts';
import { PRESETS, scheduleProblem } from './rules.ts';
import type { CleaningArea, CleaningAreaDetail, CleaningItem, CleaningPreset, CreateAreaInput, CreateItemInput, UpdateAreaInput, UpdateItemInput } from './schema.ts';

/**
 * Areas (保洁/绿化 责任区) and their work items. An area belongs to a community and a team — a post of the roster, a
 * department, or both (the post's department); an item's schedule is checked by rules.ts before it is stored, and a
 * new or changed item gets today's remaining tasks at once (generation never makes a task twice).
 */

/** A community of the caller's company that the caller may see (404 in a path or query, 400 in a body). */
export async function loadCommunity(db: Db, actor: Actor, communityId: string, missing: 'notFound' | 'field') {
  const row = await db.selectFrom('communities').select(['id', 'name', 'time_zone']).where('id', '=', communityId).where('company_id', '=', companyOf(actor)).executeTakeFirst();
  if (!row || !canSeeCommunity(actor, communityId)) throw missing === 'field' ? new ValidationError('communityId', 'validation.unknownIds') : new NotFoundError('community');
  return row;
}

export function listPresets(ctx: RequestContext): CleaningPreset[] {
  requirePermission(ctx.actor, 'cleaning.read');
  const en = ctx.lang === 'en';
  return PRESETS.map((p) => ({
    key: p.key,
    kind: p.kind,
    name: en ? p.en : p.zh,
    frequency: p.frequency,
    times: p.times,
    windowMinutes: p.windowMinutes,
    weekdays: p.weekdays ?? [],
    monthDay: p.monthDay ?? null,
    month: p.month ?? null,
    photoRequired: p.photoRequired,
    standard: en ? p.standardEn : p.standardZh,
  }));
}

// ── Areas ─────────────────────────────────────────────────────────────────────────────────────────────────────
function selectAreas(db: Db, companyId: string) {
  return db
    .selectFrom('cleaning_areas as a')
    .leftJoin('buildings as b', 'b.id', 'a.building_id')
    .leftJoin('zones as z', 'z.id', 'a.zone_id')
    .leftJoin('departments as d', 'd.id', 'a.department_id')
    .leftJoin('posts as p', 'p.id', 'a.post_id')
    .where('a.company_id', '=', companyId)
    .select((eb) => [
      'a.id', 'a.community_id', 'a.name', 'a.kind', 'a.building_id', 'b.name as building_name', 'a.zone_id', 'z.name as zone_name', 'a.department_id', 'd.name as department_name',
      'a.post_id', 'p.name as post_name', 'a.qr_required', 'a.note', 'a.active',
      eb.selectFrom('cleaning_items as i').whereRef('i.area_id', '=', 'a.id').where('i.active', '=', true).select((e) => e.fn.countAll<number>().as('n')).as('item_count'),
    ]);
}
type AreaRow = Awaited<ReturnType<ReturnType<typeof selectAreas>['executeTakeFirstOrThrow']>>;

const refOf = (id: string | null, name: string | null) => (id ? { id, name: name ?? '' } : null);

const toArea = (r: AreaRow): CleaningArea => ({
  id: r.id,
  communityId: r.community_id,
  name: r.name,
  kind: r.kind,
  building: refOf(r.building_id, r.building_name),
  zone: refOf(r.zone_id, r.zone_name),
  department: refOf(r.department_id, r.department_name),
  post: refOf(r.post_id, r.post_name),
  qrRequired: r.qr_required,
  note: r.note,
  active: r.active,
  itemCount: Number(r.item_count ?? 0),
});

/** An area the caller may see, or 404 (another company's, or a community the caller is not assigned to). */
async function loadArea(db: Db, actor: Actor, id: string, missing: 'notFound' | 'field' = 'notFound') {
  const row = await db.selectFrom('cleaning_areas').selectAll().where('id', '=', id).where('company_id', '=', companyOf(actor)).executeTakeFirst();
  if (!row || !canSeeCommunity(actor, row.community_id)) throw missing === 'field' ? new ValidationError('areaId', 'validation.unknownIds') : new NotFoundError('cleaningArea');
  return row;
}

export async function listAreas(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: { communityId?: string; kind?: 'cleaning' | 'greening'; includeInactive?: 'true' | 'false' }): Promise<CleaningArea[]> {
  requirePermission(ctx.actor, 'cleaning.read');
  if (q.communityId) await loadCommunity(deps.db, ctx.actor, q.communityId, 'notFound');
  const scope = communityScope(ctx.actor);
  const rows = await selectAreas(deps.db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('a.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('a.community_id', '=', q.communityId!))
    .$if(Boolean(q.kind), (qb) => qb.where('a.kind', '=', q.kind!))
    .$if(q.includeInactive !== 'true', (qb) => qb.where('a.active', '=', true))
    .orderBy('a.kind')
    .orderBy('a.name')
    .execute();
  return rows.map(toArea);
}

/** The building, zone, department and post of an area, checked against its community; the post gives the department. */
async function checkTeam(db: Db, companyId: string, communityId: string, v: { buildingId?: string | null; zoneId?: string | null; departmentId?: string | null; postId?: string | null }) {
  if (v.buildingId) {
    const b = await db.selectFrom('buildings').select('community_id').where('id', '=', v.buildingId).where('company_id', '=', companyId).executeTakeFirst();
    if (!b) throw new ValidationError('buildingId', 'validation.unknownIds');
    if (b.community_id !== communityId) throw new ValidationError('buildingId', 'validation.otherCommunity');
  }
  if (v.zoneId) {
    const z = await db.selectFrom('zones').select('community_id').where('id', '=', v.zoneId).where('company_id', '=', companyId).executeTakeFirst();
    if (!z) throw new ValidationError('zoneId', 'validation.unknownIds');
    if (z.community_id !== communityId) throw new ValidationError('zoneId', 'validation.otherCommunity');
  }
  if (v.departmentId) {
    const d = await db.selectFrom('departments').select('id').where('id', '=', v.departmentId).where('company_id', '=', companyId).executeTakeFirst();
    if (!d) throw new ValidationError('departmentId', 'validation.unknownIds');
  }
  let departmentId = v.departmentId ?? null;
  if (v.postId) {
    const p = await db.selectFrom('posts').select(['community_id', 'department_id']).where('id', '=', v.postId).where('company_id', '=', companyId).executeTakeFirst();
    if (!p) throw new ValidationError('postId', 'validation.unknownIds');
    if (p.community_id !== communityId) throw new ValidationError('postId', 'validation.otherCommunity');
    if (departmentId && departmentId !== p.department_id) throw new ValidationError('postId', 'validation.invalid');
    departmentId = p.department_id;
  }
  return departmentId;
}

async function nameTaken(db: Db, communityId: string, name: string, exceptId?: string) {
  const row = await db.selectFrom('cleaning_areas').select('id').where('community_id', '=', communityId).where('name', '=', name).$if(Boolean(exceptId), (qb) => qb.where('id', '<>', exceptId!)).executeTakeFirst();
  if (row) throw new ConflictError('conflict.zoneName', { name }, { field: 'name' });
}

export async function createArea(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: CreateAreaInput): Promise<CleaningArea> {
  requirePermission(ctx.actor, 'cleaning.manage');
  const companyId = companyOf(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, input.communityId, 'field');
  const departmentId = await checkTeam(deps.db, companyId, community.id, input);
  await nameTaken(deps.db, community.id, input.name);
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('cleaning_areas')
      .values({
        company_id: companyId,
        community_id: community.id,
        name: input.name,
        kind: input.kind,
        building_id: input.buildingId ?? null,
        zone_id: input.zoneId ?? null,
        department_id: departmentId,
        post_id: input.postId ?? null,
        qr_required: input.qrRequired ?? false,
        note: input.note ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'cleaningArea.create', entityType: 'cleaningArea', entityId: row.id, after: { ...input, departmentId } });
    return row.id;
  });
  return toArea(await selectAreas(deps.db, companyId).where('a.id', '=', id).executeTakeFirstOrThrow());
}

export async function updateArea(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: UpdateAreaInput): Promise<CleaningArea> {
  requirePermission(ctx.actor, 'cleaning.manage');
  const companyId = companyOf(ctx.actor);
  const before = await loadArea(deps.db, ctx.actor, id);
  const merged = {
    buildingId: input.buildingId !== undefined ? input.buildingId : before.building_id,
    zoneId: input.zoneId !== undefined ? input.zoneId : before.zone_id,
    departmentId: input.departmentId !== undefined ? input.departmentId : input.postId ? null : before.department_id,
    postId: input.postId !== undefined ? input.postId : before.post_id,
  };
  const departmentId = await checkTeam(deps.db, companyId, before.community_id, merged);
  if (input.name) await nameTaken(deps.db, before.community_id, input.name, id);
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('cleaning_areas')
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.kind !== undefined && { kind: input.kind }),
        building_id: merged.buildingId ?? null,
        zone_id: merged.zoneId ?? null,
        department_id: departmentId,
        post_id: merged.postId ?? null,
        ...(input.qrRequired !== undefined && { qr_required: input.qrRequired }),
        ...(input.note !== undefined && { note: input.note ?? null }),
        ...(input.active !== undefined && { active: input.active }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    await writeAudit(trx, ctx, { action: 'cleaningArea.update', entityType: 'cleaningArea', entityId: id, before, after: input });
  });
  return toArea(await selectAreas(deps.db, companyId).where('a.id', '=', id).executeTakeFirstOrThrow());
}

// ── Items ─────────────────────────────────────────────────────────────────────────────────────────────────────
function selectItems(db: Db, companyId: string) {
  return db
    .selectFrom('cleaning_items as i')
    .leftJoin('shifts as s', 's.id', 'i.shift_id')
    .where('i.company_id', '=', companyId)
    .select(['i.id', 'i.area_id', 'i.name', 'i.preset', 'i.frequency', 'i.times', 'i.window_minutes', 'i.weekdays', 'i.month_day', 'i.month', 'i.shift_id', 's.name as shift_name', 'i.photo_required', 'i.standard', 'i.active']);
}
type ItemRow = Awaited<ReturnType<ReturnType<typeof selectItems>['executeTakeFirstOrThrow']>>;

const toItem = (r: ItemRow): CleaningItem => ({
  id: r.id,
  areaId: r.area_id,
  name: r.name,
  preset: r.preset,
  frequency: r.frequency,
  times: r.times,
  windowMinutes: r.window_minutes,
  weekdays: r.weekdays.map(Number),
  monthDay: r.month_day,
  month: r.month,
  shift: refOf(r.shift_id, r.shift_name),
  photoRequired: r.photo_required,
  standard: r.standard,
  active: r.active,
});

export async function getArea(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<CleaningAreaDetail> {
  requirePermission(ctx.actor, 'cleaning.read');
  const companyId = companyOf(ctx.actor);
  await loadArea(deps.db, ctx.actor, id);
  const [area, items] = await Promise.all([
    selectAreas(deps.db, companyId).where('a.id', '=', id).executeTakeFirstOrThrow(),
    selectItems(deps.db, companyId).where('i.area_id', '=', id).orderBy('i.active', 'desc').orderBy('i.created_at').execute(),
  ]);
  return { ...toArea(area), items: items.map(toItem) };
}

/** The area's QR label: the signed code and a PNG of it to print. */
export async function areaCode(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string) {
  requirePermission(ctx.actor, 'cleaning.read');
  const area = await loadArea(deps.db, ctx.actor, id);
  const code = await signCode(deps.db, area.company_id, 'ca', area.id);
  return { code, dataUrl: await QRCode.toDataURL(code, { margin: 1, width: 320 }) };
}

type ScheduleInput = Pick<CreateItemInput, 'frequency' | 'times' | 'windowMinutes' | 'weekdays' | 'monthDay' | 'month'>;

function checkSchedule(s: ScheduleInput) {
  const problem = scheduleProblem({ frequency: s.frequency, times: s.times, windowMinutes: s.windowMinutes, weekdays: s.weekdays ?? [], monthDay: s.monthDay ?? null, month: s.month ?? null });
  if (problem) throw new ValidationError(problem.field, problem.key, problem.params ?? {});
}

async function checkShift(db: Db, companyId: string, communityId: string, shiftId: string | null | undefined) {
  if (!shiftId) return;
  const s = await db.selectFrom('shifts').select('community_id').where('id', '=', shiftId).where('company_id', '=', companyId).executeTakeFirst();
  if (!s) throw new ValidationError('shiftId', 'validation.unknownIds');
  if (s.community_id !== communityId) throw new ValidationError('shiftId', 'validation.otherCommunity');
}

/** Today's tasks of a community, after an item is added or changed (errors here must not undo the change). */
async function generateToday(db: Db, communityId: string, timeZone: string) {
  await generateCleaningTasks(db, { day: localDate(new Date(), timeZone), communityIds: [communityId] });
}

export async function createItem(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: CreateItemInput): Promise<CleaningItem> {
  requirePermission(ctx.actor, 'cleaning.manage');
  const companyId = companyOf(ctx.actor);
  const area = await loadArea(deps.db, ctx.actor, input.areaId, 'field');
  checkSchedule(input);
  await checkShift(deps.db, companyId, area.community_id, input.shiftId);
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('cleaning_items')
      .values({
        company_id: companyId,
        community_id: area.community_id,
        area_id: area.id,
        name: input.name,
        preset: input.preset ?? null,
        frequency: input.frequency,
        times: input.times,
        window_minutes: input.windowMinutes,
        weekdays: [...(input.weekdays ?? [])].sort((a, b) => a - b),
        month_day: input.monthDay ?? null,
        month: input.month ?? null,
        shift_id: input.shiftId ?? null,
        photo_required: input.photoRequired ?? false,
        standard: input.standard ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'cleaningItem.create', entityType: 'cleaningItem', entityId: row.id, after: input });
    return row.id;
  });
  const community = await loadCommunity(deps.db, ctx.actor, area.community_id, 'notFound');
  await generateToday(deps.db, community.id, community.time_zone);
  return toItem(await selectItems(deps.db, companyId).where('i.id', '=', id).executeTakeFirstOrThrow());
}

export async function updateItem(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: UpdateItemInput): Promise<CleaningItem> {
  requirePermission(ctx.actor, 'cleaning.manage');
  const companyId = companyOf(ctx.actor);
  const before = await deps.db.selectFrom('cleaning_items').selectAll().where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
  if (!before || !canSeeCommunity(ctx.actor, before.community_id)) throw new NotFoundError('cleaningItem');
  const schedule = {
    frequency: input.frequency ?? before.frequency,
    times: input.times ?? before.times,
    windowMinutes: input.windowMinutes ?? before.window_minutes,
    weekdays: input.weekdays ?? (input.frequency && input.frequency !== 'weekly' ? [] : before.weekdays.map(Number)),
    monthDay: input.monthDay !== undefined ? input.monthDay : input.frequency && !['monthly', 'yearly'].includes(input.frequency) ? null : before.month_day,
    month: input.month !== undefined ? input.month : input.frequency && input.frequency !== 'yearly' ? null : before.month,
  };
  checkSchedule(schedule);
  await checkShift(deps.db, companyId, before.community_id, input.shiftId);
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('cleaning_items')
      .set({
        ...(input.name !== undefined && { name: input.name }),
        frequency: schedule.frequency,
        times: schedule.times,
        window_minutes: schedule.windowMinutes,
        weekdays: [...schedule.weekdays].sort((a, b) => a - b),
        month_day: schedule.monthDay ?? null,
        month: schedule.month ?? null,
        ...(input.shiftId !== undefined && { shift_id: input.shiftId ?? null }),
        ...(input.photoRequired !== undefined && { photo_required: input.photoRequired }),
        ...(input.standard !== undefined && { standard: input.standard ?? null }),
        ...(input.active !== undefined && { active: input.active }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    await writeAudit(trx, ctx, { action: 'cleaningItem.update', entityType: 'cleaningItem', entityId: id, before, after: input });
  });
  const community = await loadCommunity(deps.db, ctx.actor, before.community_id, 'notFound');
  await generateToday(deps.db, community.id, community.time_zone);
  return toItem(await selectItems(deps.db, companyId).where('i.id', '=', id).executeTakeFirstOrThrow());
}
