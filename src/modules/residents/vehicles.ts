import type { Deps } from '../../deps.ts';
import { type RequestContext, type Db, canSeeCommunity, companyOf, requirePermission, communityScope } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type PageQuery } from '../../core/pagination.ts';
import { assertCommunity } from '../estate/repo.ts';
import { checkPlate } from './rules.ts';
import { selectVehicles, toVehicle } from './repo.ts';
import { loadResident } from './service.ts';
import { contains } from '../../core/validation.ts';

/** Vehicles (车辆), fixed parking holdings (车位 sold or rented to a resident) and the owners' committee (业委会). */

function validPlate(plate: string) {
  const c = checkPlate(plate);
  if (!c.ok) throw new ValidationError('plate', 'validation.plate');
  return c;
}

async function assertPlateFree(db: Db, companyId: string, plate: string, exceptId?: string) {
  let q = db.selectFrom('vehicles').select('id').where('company_id', '=', companyId).where('plate', '=', plate);
  if (exceptId) q = q.where('id', '<>', exceptId);
  if (await q.executeTakeFirst()) throw new ConflictError('conflict.plate', { plate }, { field: 'plate' });
}

async function assertSpace(db: Db, companyId: string, communityId: string, spaceId: string | null | undefined) {
  if (!spaceId) return;
  const s = await db.selectFrom('parking_spaces').select('id').where('id', '=', spaceId).where('company_id', '=', companyId).where('community_id', '=', communityId).executeTakeFirst();
  if (!s) throw new ValidationError('parkingSpaceId', 'validation.unknownIds');
}

export async function listVehicles(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: PageQuery & { q?: string; communityId?: string }) {
  requirePermission(ctx.actor, 'resident.read');
  const scope = communityScope(ctx.actor);
  const base = selectVehicles(deps.db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('v.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('v.community_id', '=', q.communityId!))
    .$if(Boolean(q.q), (qb) => qb.where('v.plate', 'like', contains(q.q!.toUpperCase().replace(/[\s·.\-]/g, ''))));
  const [rows, count] = await Promise.all([
    base.orderBy('v.plate').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toVehicle), total: count.n, page: q.page, pageSize: q.pageSize };
}

async function loadVehicle(db: Db, ctx: RequestContext, id: string) {
  const v = await selectVehicles(db, companyOf(ctx.actor)).where('v.id', '=', id).executeTakeFirst();
  if (!v || !canSeeCommunity(ctx.actor, v.community_id)) throw new NotFoundError('vehicle');
  return v;
}

export async function createVehicle(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: { residentId: string; plate: string; parkingSpaceId?: string | null; brand?: string; color?: string }) {
  requirePermission(ctx.actor, 'resident.manage');
  const companyId = companyOf(ctx.actor);
  const plate = validPlate(input.plate);
  const id = await deps.db.transaction().execute(async (trx) => {
    const resident = await loadResident(trx, ctx, input.residentId, 'residentId');
    await assertPlateFree(trx, companyId, plate.normalized);
    await assertSpace(trx, companyId, resident.community_id, input.parkingSpaceId);
    const v = await trx
      .insertInto('vehicles')
      .values({ company_id: companyId, community_id: resident.community_id, resident_id: input.residentId, plate: plate.normalized, energy: plate.energy, parking_space_id: input.parkingSpaceId ?? null, brand: input.brand ?? null, color: input.color ?? null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'vehicle.create', entityType: 'vehicle', entityId: v.id, after: v });
    return v.id;
  });
  return toVehicle(await loadVehicle(deps.db, ctx, id));
}

export async function updateVehicle(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: { plate?: string; parkingSpaceId?: string | null; brand?: string | null; color?: string | null }) {
  requirePermission(ctx.actor, 'resident.manage');
  const companyId = companyOf(ctx.actor);
  await deps.db.transaction().execute(async (trx) => {
    const before = await loadVehicle(trx, ctx, id);
    const plate = input.plate ? validPlate(input.plate) : null;
    if (plate) await assertPlateFree(trx, companyId, plate.normalized, id);
    await assertSpace(trx, companyId, before.community_id, input.parkingSpaceId);
    const after = await trx
      .updateTable('vehicles')
      .set({
        ...(plate && { plate: plate.normalized, energy: plate.energy }),
        ...(input.parkingSpaceId !== undefined && { parking_space_id: input.parkingSpaceId }),
        ...(input.brand !== undefined && { brand: input.brand }),
        ...(input.color !== undefined && { color: input.color }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'vehicle.update', entityType: 'vehicle', entityId: id, before, after });
  });
  return toVehicle(await loadVehicle(deps.db, ctx, id));
}

export async function deleteVehicle(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string) {
  requirePermission(ctx.actor, 'resident.manage');
  await deps.db.transaction().execute(async (trx) => {
    const before = await loadVehicle(trx, ctx, id);
    await trx.deleteFrom('vehicles').where('id', '=', id).execute();
    await writeAudit(trx, ctx, { action: 'vehicle.delete', entityType: 'vehicle', entityId: id, before });
  });
}

async function loadSpace(db: Db, ctx: RequestContext, id: string) {
  const s = await db.selectFrom('parking_spaces').selectAll().where('id', '=', id).where('company_id', '=', companyOf(ctx.actor)).executeTakeFirst();
  if (!s || !canSeeCommunity(ctx.actor, s.community_id)) throw new NotFoundError('parkingSpace');
  return s;
}

function selectHoldings(db: Db, companyId: string) {
  return db
    .selectFrom('parking_holdings as h')
    .innerJoin('residents as p', 'p.id', 'h.resident_id')
    .select(['h.id', 'h.parking_space_id', 'h.resident_id', 'p.name', 'h.holding', 'h.start_date', 'h.end_date'])
    .where('h.company_id', '=', companyId);
}
const toHolding = (h: { id: string; parking_space_id: string; resident_id: string; name: string; holding: 'sold' | 'rented'; start_date: string; end_date: string | null }) => ({
  id: h.id,
  parkingSpaceId: h.parking_space_id,
  residentId: h.resident_id,
  residentName: h.name,
  holding: h.holding,
  startDate: h.start_date,
  endDate: h.end_date,
});

export async function listHoldings(deps: Pick<Deps, 'db'>, ctx: RequestContext, spaceId: string) {
  requirePermission(ctx.actor, 'estate.read');
  await loadSpace(deps.db, ctx, spaceId);
  const rows = await selectHoldings(deps.db, companyOf(ctx.actor)).where('h.parking_space_id', '=', spaceId).orderBy('h.start_date', 'desc').execute();
  return { items: rows.map(toHolding) };
}

/** Sells or rents a space to a resident for a period; the space becomes fixed. Overlapping holdings are refused. */
export async function addHolding(deps: Pick<Deps, 'db'>, ctx: RequestContext, spaceId: string, input: { residentId: string; holding: 'sold' | 'rented'; startDate: string; endDate?: string | null }) {
  requirePermission(ctx.actor, 'resident.manage');
  const companyId = companyOf(ctx.actor);
  if (input.endDate && input.endDate < input.startDate) throw new ValidationError('endDate', 'validation.dateOrder');
  if (input.holding === 'rented' && !input.endDate) throw new ValidationError('endDate', 'validation.required');
  const id = await deps.db.transaction().execute(async (trx) => {
    const space = await loadSpace(trx, ctx, spaceId);
    await trx.selectFrom('parking_spaces').select('id').where('id', '=', spaceId).forUpdate().execute();
    const resident = await loadResident(trx, ctx, input.residentId, 'residentId');
    if (resident.community_id !== space.community_id) throw new ValidationError('residentId', 'validation.unknownIds');
    const end = input.endDate ?? '9999-12-31';
    const overlap = await trx
      .selectFrom('parking_holdings')
      .select('id')
      .where('parking_space_id', '=', spaceId)
      .where('start_date', '<=', end)
      .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', input.startDate)]))
      .executeTakeFirst();
    if (overlap) throw new ConflictError('conflict.parkingHeld', { number: space.number }, { field: 'startDate' });
    const h = await trx
      .insertInto('parking_holdings')
      .values({ company_id: companyId, parking_space_id: spaceId, resident_id: input.residentId, holding: input.holding, start_date: input.startDate, end_date: input.endDate ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('parking_spaces').set({ mode: 'fixed', updated_at: new Date() }).where('id', '=', spaceId).execute();
    await writeAudit(trx, ctx, { action: 'parkingSpace.hold', entityType: 'parkingSpace', entityId: spaceId, after: { holdingId: h.id, ...input } });
    return h.id;
  });
  return toHolding(await selectHoldings(deps.db, companyId).where('h.id', '=', id).executeTakeFirstOrThrow());
}

/** Ends a holding (a rental runs out, a space is sold on). The space becomes shared when nothing holds it any more. */
export async function endHolding(deps: Pick<Deps, 'db'>, ctx: RequestContext, holdingId: string, input: { endDate: string }) {
  requirePermission(ctx.actor, 'resident.manage');
  const companyId = companyOf(ctx.actor);
  await deps.db.transaction().execute(async (trx) => {
    const h = await trx.selectFrom('parking_holdings').selectAll().where('id', '=', holdingId).where('company_id', '=', companyId).forUpdate().executeTakeFirst();
    if (!h) throw new NotFoundError('parkingHolding');
    await loadSpace(trx, ctx, h.parking_space_id);
    if (input.endDate < h.start_date) throw new ValidationError('endDate', 'validation.dateOrder');
    if (h.end_date !== null && h.end_date <= input.endDate) throw new ConflictError('conflict.noCurrentLink', {}, { field: 'endDate' });
    await trx.updateTable('parking_holdings').set({ end_date: input.endDate }).where('id', '=', holdingId).execute();
    const today = new Date().toISOString().slice(0, 10);
    const active = await trx
      .selectFrom('parking_holdings')
      .select('id')
      .where('parking_space_id', '=', h.parking_space_id)
      .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', today)]))
      .executeTakeFirst();
    if (!active) await trx.updateTable('parking_spaces').set({ mode: 'shared', updated_at: new Date() }).where('id', '=', h.parking_space_id).execute();
    await writeAudit(trx, ctx, { action: 'parkingSpace.endHolding', entityType: 'parkingSpace', entityId: h.parking_space_id, before: h, after: { ...h, end_date: input.endDate } });
  });
  return toHolding(await selectHoldings(deps.db, companyId).where('h.id', '=', holdingId).executeTakeFirstOrThrow());
}

function selectCommittee(db: Db, companyId: string) {
  return db
    .selectFrom('committee_members as m')
    .innerJoin('residents as p', 'p.id', 'm.resident_id')
    .select(['m.id', 'm.community_id', 'm.resident_id', 'p.name', 'm.position', 'm.term_start', 'm.term_end'])
    .where('m.company_id', '=', companyId);
}

type CommitteeRow = Awaited<ReturnType<ReturnType<typeof selectCommittee>['executeTakeFirstOrThrow']>>;

/** `today` as 'YYYY-MM-DD': a member is current while today lies within the term. */
function toCommitteeMember(m: CommitteeRow, today: string) {
  return { id: m.id, communityId: m.community_id, residentId: m.resident_id, residentName: m.name, position: m.position, termStart: m.term_start, termEnd: m.term_end, current: m.term_start <= today && m.term_end >= today };
}

export async function listCommittee(deps: Pick<Deps, 'db'>, ctx: RequestContext, communityId?: string) {
  if (!ctx.actor.permissions.has('committee.view')) requirePermission(ctx.actor, 'resident.read');
  const scope = communityScope(ctx.actor);
  const today = new Date().toISOString().slice(0, 10);
  const rows = await selectCommittee(deps.db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('m.community_id', 'in', scope!))
    .$if(Boolean(communityId), (qb) => qb.where('m.community_id', '=', communityId!))
    .orderBy('m.term_end', 'desc')
    .orderBy('m.position')
    .execute();
  return { items: rows.map((m) => toCommitteeMember(m, today)) };
}

export async function addCommitteeMember(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  input: { communityId: string; residentId: string; position: 'director' | 'deputyDirector' | 'member'; termStart: string; termEnd: string },
) {
  requirePermission(ctx.actor, 'resident.manage');
  const companyId = companyOf(ctx.actor);
  if (input.termEnd <= input.termStart) throw new ValidationError('termEnd', 'validation.dateOrder');
  const id = await deps.db.transaction().execute(async (trx) => {
    await assertCommunity(trx, ctx.actor, companyId, input.communityId);
    const resident = await loadResident(trx, ctx, input.residentId, 'residentId');
    if (resident.community_id !== input.communityId) throw new ValidationError('residentId', 'validation.unknownIds');
    const m = await trx
      .insertInto('committee_members')
      .values({ company_id: companyId, community_id: input.communityId, resident_id: input.residentId, position: input.position, term_start: input.termStart, term_end: input.termEnd })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'committee.add', entityType: 'committeeMember', entityId: m.id, after: input });
    return m.id;
  });
  const m = await selectCommittee(deps.db, companyId).where('m.id', '=', id).executeTakeFirstOrThrow();
  return toCommitteeMember(m, new Date().toISOString().slice(0, 10));
}
