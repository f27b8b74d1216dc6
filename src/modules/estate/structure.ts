import type { Deps } from '../../deps.ts';
import { type RequestContext, canSeeCommunity, companyOf, requirePermission, communityScope } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { assertCommunity, assertStaffOfCompany } from './repo.ts';

/** Phases (期) and groups (组团), zones (片区) with a responsible person, and common parts (共用部位). */

export async function listPhases(deps: Pick<Deps, 'db'>, ctx: RequestContext, communityId?: string) {
  requirePermission(ctx.actor, 'estate.read');
  const scope = communityScope(ctx.actor);
  const rows = await deps.db
    .selectFrom('phases')
    .selectAll()
    .where('company_id', '=', companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('community_id', 'in', scope!))
    .$if(Boolean(communityId), (qb) => qb.where('community_id', '=', communityId!))
    .orderBy('name')
    .execute();
  return { items: rows.map((r) => ({ id: r.id, communityId: r.community_id, name: r.name, kind: r.kind })) };
}

export async function createPhase(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: { communityId: string; name: string; kind: 'phase' | 'group' }) {
  requirePermission(ctx.actor, 'estate.manage');
  const companyId = companyOf(ctx.actor);
  return deps.db.transaction().execute(async (trx) => {
    await assertCommunity(trx, ctx.actor, companyId, input.communityId);
    const clash = await trx.selectFrom('phases').select('id').where('community_id', '=', input.communityId).where('name', '=', input.name).executeTakeFirst();
    if (clash) throw new ConflictError('conflict.zoneName', { name: input.name }, { field: 'name' });
    const row = await trx.insertInto('phases').values({ company_id: companyId, community_id: input.communityId, name: input.name, kind: input.kind }).returningAll().executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'phase.create', entityType: 'phase', entityId: row.id, after: row });
    return { id: row.id, communityId: row.community_id, name: row.name, kind: row.kind };
  });
}

function selectZones(deps: Pick<Deps, 'db'>, companyId: string) {
  return deps.db
    .selectFrom('zones as z')
    .leftJoin('users as u', 'u.id', 'z.responsible_user_id')
    .select(['z.id', 'z.community_id', 'z.name', 'z.responsible_user_id', 'u.display_name', 'z.note'])
    .where('z.company_id', '=', companyId);
}
type ZoneRow = Awaited<ReturnType<ReturnType<typeof selectZones>['executeTakeFirstOrThrow']>>;
const toZone = (r: ZoneRow) => ({ id: r.id, communityId: r.community_id, name: r.name, responsibleUserId: r.responsible_user_id, responsibleName: r.display_name, note: r.note });

export async function listZones(deps: Pick<Deps, 'db'>, ctx: RequestContext, communityId?: string) {
  requirePermission(ctx.actor, 'estate.read');
  const scope = communityScope(ctx.actor);
  const rows = await selectZones(deps, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('z.community_id', 'in', scope!))
    .$if(Boolean(communityId), (qb) => qb.where('z.community_id', '=', communityId!))
    .orderBy('z.name')
    .execute();
  return { items: rows.map(toZone) };
}

export async function createZone(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: { communityId: string; name: string; responsibleUserId?: string | null; note?: string }) {
  requirePermission(ctx.actor, 'estate.manage');
  const companyId = companyOf(ctx.actor);
  const id = await deps.db.transaction().execute(async (trx) => {
    await assertCommunity(trx, ctx.actor, companyId, input.communityId);
    await assertStaffOfCompany(trx, companyId, input.responsibleUserId, 'responsibleUserId');
    const clash = await trx.selectFrom('zones').select('id').where('community_id', '=', input.communityId).where('name', '=', input.name).executeTakeFirst();
    if (clash) throw new ConflictError('conflict.zoneName', { name: input.name }, { field: 'name' });
    const row = await trx
      .insertInto('zones')
      .values({ company_id: companyId, community_id: input.communityId, name: input.name, responsible_user_id: input.responsibleUserId ?? null, note: input.note ?? null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'zone.create', entityType: 'zone', entityId: row.id, after: row });
    return row.id;
  });
  return toZone(await selectZones(deps, companyId).where('z.id', '=', id).executeTakeFirstOrThrow());
}

export async function updateZone(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: { name?: string; responsibleUserId?: string | null; note?: string | null }) {
  requirePermission(ctx.actor, 'estate.manage');
  const companyId = companyOf(ctx.actor);
  await deps.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('zones').selectAll().where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
    if (!before || !canSeeCommunity(ctx.actor, before.community_id)) throw new NotFoundError('zone');
    await assertStaffOfCompany(trx, companyId, input.responsibleUserId, 'responsibleUserId');
    if (input.name && input.name !== before.name) {
      const clash = await trx.selectFrom('zones').select('id').where('community_id', '=', before.community_id).where('name', '=', input.name).executeTakeFirst();
      if (clash) throw new ConflictError('conflict.zoneName', { name: input.name }, { field: 'name' });
    }
    const after = await trx
      .updateTable('zones')
      .set({ ...(input.name !== undefined && { name: input.name }), ...(input.responsibleUserId !== undefined && { responsible_user_id: input.responsibleUserId }), ...(input.note !== undefined && { note: input.note }), updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'zone.update', entityType: 'zone', entityId: id, before, after });
  });
  return toZone(await selectZones(deps, companyId).where('z.id', '=', id).executeTakeFirstOrThrow());
}

function selectCommonParts(deps: Pick<Deps, 'db'>, companyId: string) {
  return deps.db
    .selectFrom('common_parts as p')
    .leftJoin('users as u', 'u.id', 'p.responsible_user_id')
    .select(['p.id', 'p.community_id', 'p.zone_id', 'p.building_id', 'p.name', 'p.kind', 'p.location', 'p.responsible_user_id', 'u.display_name'])
    .where('p.company_id', '=', companyId);
}

export async function listCommonParts(deps: Pick<Deps, 'db'>, ctx: RequestContext, communityId?: string) {
  requirePermission(ctx.actor, 'estate.read');
  const scope = communityScope(ctx.actor);
  const rows = await selectCommonParts(deps, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('p.community_id', 'in', scope!))
    .$if(Boolean(communityId), (qb) => qb.where('p.community_id', '=', communityId!))
    .orderBy('p.name')
    .execute();
  return {
    items: rows.map((r) => ({ id: r.id, communityId: r.community_id, zoneId: r.zone_id, buildingId: r.building_id, name: r.name, kind: r.kind, location: r.location, responsibleUserId: r.responsible_user_id, responsibleName: r.display_name })),
  };
}

export async function createCommonPart(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  input: { communityId: string; zoneId?: string | null; buildingId?: string | null; name: string; kind: string; location?: string; responsibleUserId?: string | null },
) {
  requirePermission(ctx.actor, 'estate.manage');
  const companyId = companyOf(ctx.actor);
  const id = await deps.db.transaction().execute(async (trx) => {
    await assertCommunity(trx, ctx.actor, companyId, input.communityId);
    await assertStaffOfCompany(trx, companyId, input.responsibleUserId, 'responsibleUserId');
    if (input.zoneId && !(await trx.selectFrom('zones').select('id').where('id', '=', input.zoneId).where('community_id', '=', input.communityId).executeTakeFirst())) throw new ValidationError('zoneId', 'validation.unknownIds');
    if (input.buildingId && !(await trx.selectFrom('buildings').select('id').where('id', '=', input.buildingId).where('community_id', '=', input.communityId).executeTakeFirst())) throw new ValidationError('buildingId', 'validation.unknownIds');
    const clash = await trx.selectFrom('common_parts').select('id').where('community_id', '=', input.communityId).where('name', '=', input.name).executeTakeFirst();
    if (clash) throw new ConflictError('conflict.zoneName', { name: input.name }, { field: 'name' });
    const row = await trx
      .insertInto('common_parts')
      .values({ company_id: companyId, community_id: input.communityId, zone_id: input.zoneId ?? null, building_id: input.buildingId ?? null, name: input.name, kind: input.kind, location: input.location ?? null, responsible_user_id: input.responsibleUserId ?? null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'commonPart.create', entityType: 'commonPart', entityId: row.id, after: row });
    return row.id;
  });
  const r = await selectCommonParts(deps, companyId).where('p.id', '=', id).executeTakeFirstOrThrow();
  return { id: r.id, communityId: r.community_id, zoneId: r.zone_id, buildingId: r.building_id, name: r.name, kind: r.kind, location: r.location, responsibleUserId: r.responsible_user_id, responsibleName: r.display_name };
}
