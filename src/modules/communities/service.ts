import { sql, type Selectable } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { CommunitiesTable } from '../../db/schema.ts';
import { type RequestContext, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import { divisionLabel, invalidDivisionField } from '../divisions/service.ts';
import { visibleCommunities } from './repo.ts';
import type { Community, CreateCommunityInput, UpdateCommunityInput } from './schema.ts';
import { contains } from '../../core/validation.ts';

type Row = Selectable<CommunitiesTable>;

function toCommunity(r: Row): Community {
  const ratio = r.green_area && r.land_area ? Math.round((Number(r.green_area) / Number(r.land_area)) * 1000) / 10 : null;
  return {
    id: r.id,
    name: r.name,
    code: r.code,
    address: r.address,
    timeZone: r.time_zone,
    provinceCode: r.province_code,
    cityCode: r.city_code,
    districtCode: r.district_code,
    divisionLabel: divisionLabel(r.province_code, r.city_code, r.district_code),
    landArea: r.land_area,
    buildingArea: r.building_area,
    greenArea: r.green_area,
    greenRatio: ratio,
    serviceLevel: r.service_level,
    managementMode: r.management_mode,
    communityType: r.community_type,
    enclosed: r.enclosed,
    createdAt: r.created_at.toISOString(),
  };
}

function detailColumns(input: UpdateCommunityInput) {
  const map = {
    address: 'address',
    provinceCode: 'province_code',
    cityCode: 'city_code',
    districtCode: 'district_code',
    landArea: 'land_area',
    buildingArea: 'building_area',
    greenArea: 'green_area',
    serviceLevel: 'service_level',
    managementMode: 'management_mode',
    communityType: 'community_type',
    enclosed: 'enclosed',
    name: 'name',
  } as const;
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(map)) {
    const v = input[key as keyof UpdateCommunityInput];
    if (v !== undefined) out[column] = v;
  }
  return out;
}

function checkDetails(merged: { provinceCode?: string | null; cityCode?: string | null; districtCode?: string | null; landArea?: string | null; greenArea?: string | null }) {
  const wrong = invalidDivisionField(merged.provinceCode, merged.cityCode, merged.districtCode);
  if (wrong) throw new ValidationError(wrong);
  if (merged.greenArea && merged.landArea && Number(merged.greenArea) > Number(merged.landArea)) throw new ValidationError('greenArea');
}

export async function listCommunities(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: PageQuery & { q?: string }): Promise<Page<Community>> {
  requirePermission(ctx.actor, 'community.read');
  let base = visibleCommunities(deps.db, ctx.actor, companyOf(ctx.actor));
  if (q.q) base = base.where((eb) => eb.or([eb('communities.name', 'like', contains(q.q)), eb('communities.code', 'like', contains(q.q))]));
  const [rows, count] = await Promise.all([
    base.selectAll('communities').orderBy('communities.code').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toCommunity), total: count.n, page: q.page, pageSize: q.pageSize };
}

export async function getCommunity(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<Community> {
  requirePermission(ctx.actor, 'community.read');
  const row = await visibleCommunities(deps.db, ctx.actor, companyOf(ctx.actor)).selectAll('communities').where('communities.id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('community');
  return toCommunity(row);
}

export async function createCommunity(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: CreateCommunityInput): Promise<Community> {
  requirePermission(ctx.actor, 'community.manage');
  const companyId = companyOf(ctx.actor);
  checkDetails(input);
  const row = await deps.db.transaction().execute(async (trx) => {
    const clash = await trx
      .selectFrom('communities')
      .select(['id', 'name'])
      .where('company_id', '=', companyId)
      .where((eb) => eb.or([eb('name', '=', input.name), eb(sql`lower(code)`, '=', input.code.toLowerCase())]))
      .executeTakeFirst();
    if (clash?.name === input.name) throw new ConflictError('conflict.communityName', { name: input.name }, { field: 'name' });
    if (clash) throw new ConflictError('conflict.communityCode', { code: input.code }, { field: 'code' });
    const created = await trx
      .insertInto('communities')
      .values({ company_id: companyId, code: input.code, time_zone: input.timeZone, ...detailColumns(input), name: input.name } as never)
      .returningAll()
      .executeTakeFirstOrThrow();
    // A community-bound creator gets the new community in their assignment, so they can see what they made.
    if (ctx.actor.communityIds !== 'all') await trx.insertInto('user_communities').values({ user_id: ctx.actor.userId, community_id: created.id }).execute();
    await writeAudit(trx, ctx, { action: 'community.create', entityType: 'community', entityId: created.id, after: created });
    return created;
  });
  return toCommunity(row);
}

export async function updateCommunity(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: UpdateCommunityInput): Promise<Community> {
  requirePermission(ctx.actor, 'community.manage');
  const companyId = companyOf(ctx.actor);
  await deps.db.transaction().execute(async (trx) => {
    const before = await visibleCommunities(trx, ctx.actor, companyId).selectAll('communities').where('communities.id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new NotFoundError('community');
    const current = toCommunity(before);
    checkDetails({ ...current, ...input });
    if (input.name && input.name !== before.name) {
      const clash = await trx.selectFrom('communities').select('id').where('company_id', '=', companyId).where('name', '=', input.name).executeTakeFirst();
      if (clash) throw new ConflictError('conflict.communityName', { name: input.name }, { field: 'name' });
    }
    const after = await trx
      .updateTable('communities')
      .set({ ...detailColumns(input), updated_at: new Date() } as never)
      .where('id', '=', id)
      .where('company_id', '=', companyId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'community.update', entityType: 'community', entityId: id, before, after });
  });
  return getCommunity(deps, ctx, id);
}
