import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type RequestContext, companyOf, requirePermission, communityScope } from '../../core/context.ts';
import { ConflictError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import type { Db } from '../../core/context.ts';
import { assertCommunity, loadBuilding } from './repo.ts';
import { buildGrid } from './rules.ts';
import type { Building } from './schema.ts';
import { contains } from '../../core/validation.ts';

async function describeBuildings(db: Db, companyId: string, ids: string[]): Promise<Building[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('buildings as b')
    .where('b.company_id', '=', companyId)
    .where('b.id', 'in', ids)
    .select((eb) => [
      'b.id',
      'b.community_id',
      'b.phase_id',
      'b.zone_id',
      'b.name',
      'b.kind',
      'b.floors_above',
      'b.floors_below',
      'b.lifts',
      sql<Array<{ id: string; name: string; sortOrder: number }>>`COALESCE((SELECT json_agg(json_build_object('id', u.id, 'name', u.name, 'sortOrder', u.sort_order) ORDER BY u.sort_order, u.name) FROM building_units u WHERE u.building_id = b.id), '[]')`.as('units'),
      eb.selectFrom('rooms').whereRef('rooms.building_id', '=', 'b.id').select(eb.fn.countAll<number>().as('n')).as('room_count'),
    ])
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r
      ? [{ id: r.id, communityId: r.community_id, phaseId: r.phase_id, zoneId: r.zone_id, name: r.name, kind: r.kind, floorsAbove: r.floors_above, floorsBelow: r.floors_below, lifts: r.lifts, units: r.units, roomCount: Number(r.room_count ?? 0) }]
      : [];
  });
}

export async function listBuildings(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: PageQuery & { communityId?: string; q?: string }): Promise<Page<Building>> {
  requirePermission(ctx.actor, 'estate.read');
  const companyId = companyOf(ctx.actor);
  const scope = communityScope(ctx.actor);
  const base = deps.db
    .selectFrom('buildings')
    .where('company_id', '=', companyId)
    .$if(scope !== null, (qb) => qb.where('community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('community_id', '=', q.communityId!))
    .$if(Boolean(q.q), (qb) => qb.where('name', 'like', contains(q.q)));
  const [rows, count] = await Promise.all([
    base.select('id').orderBy('sort_order').orderBy(sql`length(name)`).orderBy('name').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: await describeBuildings(deps.db, companyId, rows.map((r) => r.id)), total: count.n, page: q.page, pageSize: q.pageSize };
}

export async function getBuilding(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<Building> {
  requirePermission(ctx.actor, 'estate.read');
  const companyId = companyOf(ctx.actor);
  await loadBuilding(deps.db, ctx.actor, companyId, id);
  const [b] = await describeBuildings(deps.db, companyId, [id]);
  return b;
}

async function assertParents(db: Db, companyId: string, communityId: string, phaseId?: string | null, zoneId?: string | null) {
  if (phaseId) {
    const p = await db.selectFrom('phases').select('id').where('id', '=', phaseId).where('company_id', '=', companyId).where('community_id', '=', communityId).executeTakeFirst();
    if (!p) throw new ValidationError('phaseId', 'validation.unknownIds');
  }
  if (zoneId) {
    const z = await db.selectFrom('zones').select('id').where('id', '=', zoneId).where('company_id', '=', companyId).where('community_id', '=', communityId).executeTakeFirst();
    if (!z) throw new ValidationError('zoneId', 'validation.unknownIds');
  }
}

export async function createBuilding(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  input: { communityId: string; phaseId?: string | null; zoneId?: string | null; name: string; kind: Building['kind']; floorsAbove: number; floorsBelow: number; lifts: number; units: string[] },
): Promise<Building> {
  requirePermission(ctx.actor, 'estate.manage');
  const companyId = companyOf(ctx.actor);
  if (new Set(input.units).size !== input.units.length) throw new ValidationError('units');
  const id = await deps.db.transaction().execute(async (trx) => {
    await assertCommunity(trx, ctx.actor, companyId, input.communityId);
    await assertParents(trx, companyId, input.communityId, input.phaseId, input.zoneId);
    const clash = await trx.selectFrom('buildings').select('id').where('community_id', '=', input.communityId).where('name', '=', input.name).executeTakeFirst();
    if (clash) throw new ConflictError('conflict.buildingName', { name: input.name }, { field: 'name' });
    const b = await trx
      .insertInto('buildings')
      .values({ company_id: companyId, community_id: input.communityId, phase_id: input.phaseId ?? null, zone_id: input.zoneId ?? null, name: input.name, kind: input.kind, floors_above: input.floorsAbove, floors_below: input.floorsBelow, lifts: input.lifts })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (input.units.length) {
      await trx.insertInto('building_units').values(input.units.map((name, i) => ({ company_id: companyId, building_id: b.id, name, sort_order: i + 1 }))).execute();
    }
    await writeAudit(trx, ctx, { action: 'building.create', entityType: 'building', entityId: b.id, after: { ...b, units: input.units } });
    return b.id;
  });
  return getBuilding(deps, ctx, id);
}

export async function updateBuilding(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  id: string,
  input: { phaseId?: string | null; zoneId?: string | null; name?: string; kind?: Building['kind']; floorsAbove?: number; floorsBelow?: number; lifts?: number },
): Promise<Building> {
  requirePermission(ctx.actor, 'estate.manage');
  const companyId = companyOf(ctx.actor);
  await deps.db.transaction().execute(async (trx) => {
    const before = await loadBuilding(trx, ctx.actor, companyId, id);
    await assertParents(trx, companyId, before.community_id, input.phaseId, input.zoneId);
    if (input.name && input.name !== before.name) {
      const clash = await trx.selectFrom('buildings').select('id').where('community_id', '=', before.community_id).where('name', '=', input.name).executeTakeFirst();
      if (clash) throw new ConflictError('conflict.buildingName', { name: input.name }, { field: 'name' });
    }
    // Shrinking a building may not leave rooms on floors it no longer has.
    const above = input.floorsAbove ?? before.floors_above;
    const below = input.floorsBelow ?? before.floors_below;
    const outside = await trx.selectFrom('rooms').select('floor').where('building_id', '=', id).where((eb) => eb.or([eb('floor', '>', above), eb('floor', '<', -below)])).executeTakeFirst();
    if (outside) throw new ValidationError(input.floorsAbove !== undefined ? 'floorsAbove' : 'floorsBelow', 'validation.floorRange', { floor: outside.floor });
    const after = await trx
      .updateTable('buildings')
      .set({
        ...(input.phaseId !== undefined && { phase_id: input.phaseId }),
        ...(input.zoneId !== undefined && { zone_id: input.zoneId }),
        ...(input.name !== undefined && { name: input.name }),
        ...(input.kind !== undefined && { kind: input.kind }),
        floors_above: above,
        floors_below: below,
        ...(input.lifts !== undefined && { lifts: input.lifts }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('company_id', '=', companyId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'building.update', entityType: 'building', entityId: id, before, after });
  });
  return getBuilding(deps, ctx, id);
}

export async function addUnit(deps: Pick<Deps, 'db'>, ctx: RequestContext, buildingId: string, name: string): Promise<Building> {
  requirePermission(ctx.actor, 'estate.manage');
  const companyId = companyOf(ctx.actor);
  await deps.db.transaction().execute(async (trx) => {
    await loadBuilding(trx, ctx.actor, companyId, buildingId);
    const clash = await trx.selectFrom('building_units').select('id').where('building_id', '=', buildingId).where('name', '=', name).executeTakeFirst();
    if (clash) throw new ConflictError('conflict.unitName', { name }, { field: 'name' });
    const max = await trx.selectFrom('building_units').select((eb) => eb.fn.max('sort_order').as('m')).where('building_id', '=', buildingId).executeTakeFirstOrThrow();
    const unit = await trx.insertInto('building_units').values({ company_id: companyId, building_id: buildingId, name, sort_order: Number(max.m ?? 0) + 1 }).returningAll().executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'building.addUnit', entityType: 'building', entityId: buildingId, after: unit });
  });
  return getBuilding(deps, ctx, buildingId);
}

/** The floor-by-room grid of one building, coloured by status in the console. */
export async function getBuildingGrid(deps: Pick<Deps, 'db'>, ctx: RequestContext, buildingId: string) {
  requirePermission(ctx.actor, 'estate.read');
  const companyId = companyOf(ctx.actor);
  const b = await loadBuilding(deps.db, ctx.actor, companyId, buildingId);
  const [building] = await describeBuildings(deps.db, companyId, [buildingId]);
  const rooms = await deps.db
    .selectFrom('rooms as r')
    .leftJoin('building_units as u', 'u.id', 'r.unit_id')
    .select(['r.id', 'u.name as unitName', 'r.floor', 'r.number', 'r.status'])
    .where('r.building_id', '=', buildingId)
    .where('r.company_id', '=', companyId)
    .execute();
  return { building, ...buildGrid(rooms, b.floors_above, b.floors_below) };
}

export async function assertUnitOfBuilding(db: Db, buildingId: string, unitId: string | null | undefined) {
  if (!unitId) return;
  const u = await db.selectFrom('building_units').select('id').where('id', '=', unitId).where('building_id', '=', buildingId).executeTakeFirst();
  if (!u) throw new ValidationError('unitId', 'validation.unknownIds');
}

