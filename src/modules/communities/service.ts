import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type RequestContext, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import { visibleCommunities } from './repo.ts';
import type { Community } from './schema.ts';

type Row = { id: string; name: string; code: string; address: string | null; time_zone: string; created_at: Date };
const toCommunity = (r: Row): Community => ({ id: r.id, name: r.name, code: r.code, address: r.address, timeZone: r.time_zone, createdAt: r.created_at.toISOString() });
const COLUMNS = ['communities.id', 'communities.name', 'communities.code', 'communities.address', 'communities.time_zone', 'communities.created_at'] as const;

export async function listCommunities(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: PageQuery & { q?: string }): Promise<Page<Community>> {
  requirePermission(ctx.actor, 'community.read');
  let base = visibleCommunities(deps.db, ctx.actor, companyOf(ctx.actor));
  if (q.q) base = base.where((eb) => eb.or([eb('communities.name', 'like', `%${q.q}%`), eb('communities.code', 'like', `%${q.q}%`)]));
  const [rows, count] = await Promise.all([
    base.select(COLUMNS).orderBy('communities.code').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toCommunity), total: count.n, page: q.page, pageSize: q.pageSize };
}

export async function getCommunity(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<Community> {
  requirePermission(ctx.actor, 'community.read');
  const row = await visibleCommunities(deps.db, ctx.actor, companyOf(ctx.actor)).select(COLUMNS).where('communities.id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('community');
  return toCommunity(row);
}

export async function createCommunity(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  input: { name: string; code: string; address?: string; timeZone: string },
): Promise<Community> {
  requirePermission(ctx.actor, 'community.manage');
  const companyId = companyOf(ctx.actor);
  const row = await deps.db.transaction().execute(async (trx) => {
    const clash = await trx
      .selectFrom('communities')
      .select('id')
      .where('company_id', '=', companyId)
      .where((eb) => eb.or([eb('name', '=', input.name), eb(sql`lower(code)`, '=', input.code.toLowerCase())]))
      .executeTakeFirst();
    if (clash) throw new ConflictError('conflict.communityName', { name: input.name }, { field: 'name' });
    const created = await trx
      .insertInto('communities')
      .values({ company_id: companyId, name: input.name, code: input.code, address: input.address ?? null, time_zone: input.timeZone })
      .returning(COLUMNS.map((c) => c.replace('communities.', '')) as ['id', 'name', 'code', 'address', 'time_zone', 'created_at'])
      .executeTakeFirstOrThrow();
    // A community-bound creator gets the new community in their assignment, so they can see what they made.
    if (ctx.actor.communityIds !== 'all') await trx.insertInto('user_communities').values({ user_id: ctx.actor.userId, community_id: created.id }).execute();
    await writeAudit(trx, ctx, { action: 'community.create', entityType: 'community', entityId: created.id, after: created });
    return created;
  });
  return toCommunity(row);
}

export async function updateCommunity(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: { name?: string; address?: string | null }): Promise<Community> {
  requirePermission(ctx.actor, 'community.manage');
  const companyId = companyOf(ctx.actor);
  await deps.db.transaction().execute(async (trx) => {
    const before = await visibleCommunities(trx, ctx.actor, companyId).selectAll().where('communities.id', '=', id).executeTakeFirst();
    if (!before) throw new NotFoundError('community');
    if (input.name && input.name !== before.name) {
      const clash = await trx.selectFrom('communities').select('id').where('company_id', '=', companyId).where('name', '=', input.name).executeTakeFirst();
      if (clash) throw new ConflictError('conflict.communityName', { name: input.name }, { field: 'name' });
    }
    const after = await trx
      .updateTable('communities')
      .set({ ...(input.name !== undefined && { name: input.name }), ...(input.address !== undefined && { address: input.address }), updated_at: new Date() })
      .where('id', '=', id)
      .where('company_id', '=', companyId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'community.update', entityType: 'community', entityId: id, before, after });
  });
  return getCommunity(deps, ctx, id);
}
