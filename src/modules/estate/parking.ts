import type { Selectable } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { ParkingSpacesTable } from '../../db/schema.ts';
import { type RequestContext, canSeeCommunity, companyOf, requirePermission, communityScope } from '../../core/context.ts';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type PageQuery } from '../../core/pagination.ts';
import { assertCommunity } from './repo.ts';
import { contains } from '../../core/validation.ts';

type Row = Selectable<ParkingSpacesTable>;
const toSpace = (r: Row) => ({ id: r.id, communityId: r.community_id, area: r.area, number: r.number, kind: r.kind, mode: r.mode });
type Kind = Row['kind'];

export async function listParkingSpaces(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  q: PageQuery & { communityId?: string; area?: 'above' | 'under'; mode?: 'fixed' | 'shared'; q?: string },
) {
  requirePermission(ctx.actor, 'estate.read');
  const scope = communityScope(ctx.actor);
  const base = deps.db
    .selectFrom('parking_spaces')
    .where('company_id', '=', companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('community_id', '=', q.communityId!))
    .$if(Boolean(q.area), (qb) => qb.where('area', '=', q.area!))
    .$if(Boolean(q.mode), (qb) => qb.where('mode', '=', q.mode!))
    .$if(Boolean(q.q), (qb) => qb.where('number', 'like', contains(q.q!.toUpperCase())));
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('community_id').orderBy('number').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toSpace), total: count.n, page: q.page, pageSize: q.pageSize };
}

export async function createParkingSpace(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  input: { communityId: string; area: 'above' | 'under'; number: string; kind: Kind; mode: 'fixed' | 'shared' },
) {
  requirePermission(ctx.actor, 'estate.manage');
  const companyId = companyOf(ctx.actor);
  const number = input.number.toUpperCase();
  return deps.db.transaction().execute(async (trx) => {
    await assertCommunity(trx, ctx.actor, companyId, input.communityId);
    const clash = await trx.selectFrom('parking_spaces').select('id').where('community_id', '=', input.communityId).where('number', '=', number).executeTakeFirst();
    if (clash) throw new ConflictError('conflict.parkingNumber', { number }, { field: 'number' });
    const row = await trx.insertInto('parking_spaces').values({ company_id: companyId, community_id: input.communityId, area: input.area, number, kind: input.kind, mode: input.mode }).returningAll().executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'parkingSpace.create', entityType: 'parkingSpace', entityId: row.id, after: row });
    return toSpace(row);
  });
}

export async function updateParkingSpace(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  id: string,
  input: { area?: 'above' | 'under'; number?: string; kind?: Kind; mode?: 'fixed' | 'shared' },
) {
  requirePermission(ctx.actor, 'estate.manage');
  const companyId = companyOf(ctx.actor);
  return deps.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('parking_spaces').selectAll().where('id', '=', id).where('company_id', '=', companyId).forUpdate().executeTakeFirst();
    if (!before || !canSeeCommunity(ctx.actor, before.community_id)) throw new NotFoundError('parkingSpace');
    const number = input.number?.toUpperCase();
    if (number && number !== before.number) {
      const clash = await trx.selectFrom('parking_spaces').select('id').where('community_id', '=', before.community_id).where('number', '=', number).executeTakeFirst();
      if (clash) throw new ConflictError('conflict.parkingNumber', { number }, { field: 'number' });
    }
    const after = await trx
      .updateTable('parking_spaces')
      .set({ ...(input.area && { area: input.area }), ...(number && { number }), ...(input.kind && { kind: input.kind }), ...(input.mode && { mode: input.mode }), updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'parkingSpace.update', entityType: 'parkingSpace', entityId: id, before, after });
    return toSpace(after);
  });
}
