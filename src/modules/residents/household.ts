import type { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { type RequestContext, type Db, canSeeCommunity, companyOf, requirePermission, communityScope } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { maskPhone } from '../../core/validation.ts';
import { offsetOf } from '../../core/pagination.ts';
import type { householdRequestBody, requestQuery } from './schema.ts';
import { insertResident } from './service.ts';
import { insertLink } from './links.ts';
import { maskName } from './rules.ts';

/**
 * The owner's side: "my home" (rooms, household, vehicles) and requests to add a family member or tenant, which
 * staff approve or reject. An owner account is tied to its resident record by `users.resident_id`, or else by the
 * same phone number in the same company.
 */
async function myResidentId(db: Db, ctx: RequestContext): Promise<string | null> {
  const me = await db.selectFrom('users').select(['resident_id', 'phone', 'company_id']).where('id', '=', ctx.actor.userId).executeTakeFirstOrThrow();
  if (me.resident_id) return me.resident_id;
  if (!me.phone || !me.company_id) return null;
  const r = await db.selectFrom('residents').select('id').where('company_id', '=', me.company_id).where('phone', '=', me.phone).executeTakeFirst();
  return r?.id ?? null;
}

/** The rooms an owner account currently lives in or owns, with the household and vehicles of each. */
export async function ownerRooms(deps: Pick<Deps, 'db'>, ctx: RequestContext) {
  requirePermission(ctx.actor, 'owner.self');
  const residentId = await myResidentId(deps.db, ctx);
  if (!residentId) return [];
  const links = await deps.db
    .selectFrom('room_residents as l')
    .innerJoin('rooms as r', 'r.id', 'l.room_id')
    .innerJoin('buildings as b', 'b.id', 'r.building_id')
    .innerJoin('communities as c', 'c.id', 'r.community_id')
    .leftJoin('building_units as u', 'u.id', 'r.unit_id')
    .select(['r.id', 'b.name as building', 'u.name as unit', 'r.number', 'c.name as community', 'l.relation', 'r.built_area', 'r.status'])
    .where('l.resident_id', '=', residentId)
    .where('l.end_date', 'is', null)
    .where('l.company_id', '=', companyOf(ctx.actor))
    .execute();
  if (!links.length) return [];
  const roomIds = links.map((l) => l.id);
  const members = await deps.db
    .selectFrom('room_residents as l')
    .innerJoin('residents as p', 'p.id', 'l.resident_id')
    .select(['l.room_id', 'l.resident_id', 'p.name', 'p.phone', 'l.relation'])
    .where('l.room_id', 'in', roomIds)
    .where('l.end_date', 'is', null)
    .orderBy('l.relation')
    .execute();
  const vehicles = await deps.db
    .selectFrom('vehicles as v')
    .innerJoin('residents as p', 'p.id', 'v.resident_id')
    .select(['v.plate', 'p.name', 'v.resident_id'])
    .where('v.resident_id', 'in', [...new Set(members.map((m) => m.resident_id))])
    .execute();
  return links.map((l) => {
    const household = members.filter((m) => m.room_id === l.id);
    const ids = new Set(household.map((m) => m.resident_id));
    const showNames = l.relation === 'owner';
    return {
      id: l.id,
      label: [l.building, l.unit, l.number].filter(Boolean).join('-'),
      community: l.community,
      relation: l.relation,
      builtArea: l.built_area,
      status: l.status,
      // An owner sees their household's names; a family member or tenant sees the others' names masked.
      household: household.map((m) => ({ name: showNames || m.resident_id === residentId ? m.name : maskName(m.name), relation: m.relation, phone: maskPhone(m.phone), isMe: m.resident_id === residentId })),
      vehicles: vehicles.filter((v) => ids.has(v.resident_id)).map((v) => ({ plate: v.plate, owner: showNames || v.resident_id === residentId ? v.name : maskName(v.name) })),
    };
  });
}

function toRequest(r: { id: string; room_id: string; label: string; requested_by: string; requester: string; community_id: string; name: string; phone: string | null; relation: 'family' | 'tenant'; lease_start: string | null; lease_end: string | null; note: string | null; status: 'pending' | 'approved' | 'rejected'; decision_note: string | null; created_at: Date }) {
  return { id: r.id, roomId: r.room_id, roomLabel: r.label, requestedBy: r.requested_by, requesterName: r.requester, communityId: r.community_id, name: r.name, phone: maskPhone(r.phone), relation: r.relation, leaseStart: r.lease_start, leaseEnd: r.lease_end, note: r.note, status: r.status, decisionNote: r.decision_note, createdAt: r.created_at.toISOString() };
}

function selectRequests(db: Db, companyId: string) {
  return db
    .selectFrom('household_requests as h')
    .innerJoin('rooms as r', 'r.id', 'h.room_id')
    .innerJoin('buildings as b', 'b.id', 'r.building_id')
    .leftJoin('building_units as u', 'u.id', 'r.unit_id')
    .innerJoin('users as req', 'req.id', 'h.requested_by')
    .selectAll('h')
    .select(['r.community_id', 'req.display_name as requester'])
    .select((eb) => eb.fn<string>('concat_ws', [eb.val('-'), 'b.name', 'u.name', 'r.number']).as('label'))
    .where('h.company_id', '=', companyId);
}

/** An owner asks to add a family member or tenant to one of the rooms they own. */
export async function submitHouseholdRequest(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: z.infer<typeof householdRequestBody>) {
  requirePermission(ctx.actor, 'owner.self');
  const companyId = companyOf(ctx.actor);
  const mine = await ownerRooms(deps, ctx);
  if (!mine.some((r) => r.id === input.roomId && r.relation === 'owner')) throw new ValidationError('roomId', 'validation.unknownIds');
  if (input.relation === 'tenant' && (!input.leaseStart || !input.leaseEnd)) throw new ValidationError(input.leaseStart ? 'leaseEnd' : 'leaseStart', 'validation.required');
  if (input.leaseStart && input.leaseEnd && input.leaseEnd < input.leaseStart) throw new ValidationError('leaseEnd', 'validation.dateOrder');
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('household_requests')
      .values({ company_id: companyId, room_id: input.roomId, requested_by: ctx.actor.userId, name: input.name, phone: input.phone ?? null, relation: input.relation, lease_start: input.leaseStart ?? null, lease_end: input.leaseEnd ?? null, note: input.note ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'household.request', entityType: 'householdRequest', entityId: row.id, after: { roomId: input.roomId, relation: input.relation } });
    return row.id;
  });
  return toRequest(await selectRequests(deps.db, companyId).where('h.id', '=', id).executeTakeFirstOrThrow());
}

export async function myHouseholdRequests(deps: Pick<Deps, 'db'>, ctx: RequestContext) {
  requirePermission(ctx.actor, 'owner.self');
  const rows = await selectRequests(deps.db, companyOf(ctx.actor)).where('h.requested_by', '=', ctx.actor.userId).orderBy('h.created_at', 'desc').execute();
  return { items: rows.map(toRequest) };
}

export async function listHouseholdRequests(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: z.infer<typeof requestQuery>) {
  requirePermission(ctx.actor, 'resident.read');
  const scope = communityScope(ctx.actor);
  const base = selectRequests(deps.db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('r.community_id', 'in', scope!))
    .$if(Boolean(q.status), (qb) => qb.where('h.status', '=', q.status!));
  const [rows, count] = await Promise.all([
    base.orderBy('h.created_at', 'desc').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toRequest), total: count.n, page: q.page, pageSize: q.pageSize };
}

/** Approving registers the person (or finds them by phone) and links them to the room, in one transaction. */
export async function decideHouseholdRequest(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, approve: boolean, note?: string) {
  requirePermission(ctx.actor, 'resident.manage');
  const companyId = companyOf(ctx.actor);
  await deps.db.transaction().execute(async (trx) => {
    const req = await selectRequests(trx, companyId).where('h.id', '=', id).executeTakeFirst();
    if (!req || !canSeeCommunity(ctx.actor, req.community_id)) throw new NotFoundError('householdRequest');
    const claimed = await trx
      .updateTable('household_requests')
      .set({ status: approve ? 'approved' : 'rejected', decided_by: ctx.actor.userId, decided_at: new Date(), decision_note: note ?? null })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .returning('id')
      .executeTakeFirst();
    if (!claimed) throw new ConflictError('conflict.requestDecided');
    if (approve) {
      const existing = req.phone ? await trx.selectFrom('residents').select('id').where('company_id', '=', companyId).where('phone', '=', req.phone).executeTakeFirst() : undefined;
      const residentId = existing?.id ?? (await insertResident(trx, ctx, { communityId: req.community_id, name: req.name, phone: req.phone, idType: 'idCard', careFlags: [] }));
      await insertLink(trx, ctx, req.room_id, residentId, { relation: req.relation, startDate: new Date().toISOString().slice(0, 10), leaseStart: req.lease_start, leaseEnd: req.lease_end });
      await trx.updateTable('household_requests').set({ resident_id: residentId }).where('id', '=', id).execute();
    }
    await writeAudit(trx, ctx, { action: approve ? 'household.approve' : 'household.reject', entityType: 'householdRequest', entityId: id, after: { note } });
  });
  return toRequest(await selectRequests(deps.db, companyId).where('h.id', '=', id).executeTakeFirstOrThrow());
}
