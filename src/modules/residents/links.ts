import type { Transaction } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { DB } from '../../db/schema.ts';
import { type RequestContext, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { maskPhone } from '../../core/validation.ts';
import { requireRoom, setRoomStatus } from '../estate/rooms.ts';
import { existingOrNewResident } from './service.ts';
import { selectVehicles, toVehicle } from './repo.ts';
import { sharesFit } from './rules.ts';
import type { LinkResidentInput } from './schema.ts';

/** The household of a room: current and past links with residents (masked), and the current residents' vehicles. */
export async function getRoomHousehold(deps: Pick<Deps, 'db'>, ctx: RequestContext, roomId: string) {
  requirePermission(ctx.actor, 'resident.read');
  const companyId = companyOf(ctx.actor);
  await requireRoom(deps.db, ctx, roomId);
  const links = await deps.db
    .selectFrom('room_residents as l')
    .innerJoin('residents as p', 'p.id', 'l.resident_id')
    .selectAll('l')
    .select(['p.name', 'p.phone', 'p.care_flags'])
    .where('l.room_id', '=', roomId)
    .where('l.company_id', '=', companyId)
    .orderBy('l.relation')
    .orderBy('l.start_date')
    .execute();
  const toLink = (l: (typeof links)[number]) => ({
    id: l.id,
    roomId: l.room_id,
    residentId: l.resident_id,
    residentName: l.name,
    phone: maskPhone(l.phone),
    relation: l.relation,
    sharePercent: l.share_percent,
    startDate: l.start_date,
    endDate: l.end_date,
    moveInDate: l.move_in_date,
    warrantyEnd: l.warranty_end,
    leaseStart: l.lease_start,
    leaseEnd: l.lease_end,
    endReason: l.end_reason,
    careFlags: l.care_flags,
  });
  const current = links.filter((l) => !l.end_date);
  const vehicles = current.length
    ? await selectVehicles(deps.db, companyId).where('v.resident_id', 'in', [...new Set(current.map((l) => l.resident_id))]).orderBy('v.plate').execute()
    : [];
  return { current: current.map(toLink), past: links.filter((l) => l.end_date).map(toLink), vehicles: vehicles.map(toVehicle) };
}

/**
 * Links a resident to a room inside the caller's transaction: one current link per person and room, owners'
 * shares at most 100 % together, a tenant needs a lease period and makes the room 'rented'.
 */
export async function insertLink(trx: Transaction<DB>, ctx: RequestContext, roomId: string, residentId: string, input: Omit<LinkResidentInput, 'residentId' | 'resident'>): Promise<string> {
  const companyId = companyOf(ctx.actor);
  if (input.relation === 'tenant' && (!input.leaseStart || !input.leaseEnd)) throw new ValidationError(input.leaseStart ? 'leaseEnd' : 'leaseStart', 'validation.required');
  if (input.leaseStart && input.leaseEnd && input.leaseEnd < input.leaseStart) throw new ValidationError('leaseEnd', 'validation.dateOrder');
  // Lock the room so two concurrent owner links cannot both pass the share check.
  await trx.selectFrom('rooms').select('id').where('id', '=', roomId).where('company_id', '=', companyId).forUpdate().executeTakeFirstOrThrow();
  const current = await trx.selectFrom('room_residents').select(['resident_id', 'relation', 'share_percent']).where('room_id', '=', roomId).where('end_date', 'is', null).execute();
  if (current.some((l) => l.resident_id === residentId)) throw new ConflictError('conflict.alreadyLinked', {}, { field: 'residentId' });
  const share = input.relation === 'owner' ? (input.sharePercent ?? null) : null;
  if (input.relation === 'owner' && !sharesFit(current.filter((l) => l.relation === 'owner').map((l) => l.share_percent), share)) {
    throw new ConflictError('conflict.ownerShare', {}, { field: 'sharePercent' });
  }
  const link = await trx
    .insertInto('room_residents')
    .values({
      company_id: companyId,
      room_id: roomId,
      resident_id: residentId,
      relation: input.relation,
      share_percent: share,
      start_date: input.startDate,
      move_in_date: input.moveInDate ?? null,
      warranty_end: input.warrantyEnd ?? null,
      lease_start: input.leaseStart ?? null,
      lease_end: input.leaseEnd ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (input.relation === 'tenant') await setRoomStatus(trx, ctx, roomId, 'rented', '租客入住', { force: true });
  await writeAudit(trx, ctx, { action: 'room.linkResident', entityType: 'room', entityId: roomId, after: { linkId: link.id, residentId, relation: input.relation, share, startDate: input.startDate } });
  return link.id;
}

export async function linkResident(deps: Pick<Deps, 'db'>, ctx: RequestContext, roomId: string, input: LinkResidentInput) {
  requirePermission(ctx.actor, 'resident.manage');
  const room = await requireRoom(deps.db, ctx, roomId);
  await deps.db.transaction().execute(async (trx) => {
    const residentId = await existingOrNewResident(trx, ctx, input, room.communityId);
    await insertLink(trx, ctx, roomId, residentId, input);
  });
  return getRoomHousehold(deps, ctx, roomId);
}

/** Ends one link (a family member moves away, a lease ends). Ending a link that is not current is a 409. */
export async function endLink(deps: Pick<Deps, 'db'>, ctx: RequestContext, linkId: string, input: { endDate: string; reason: string }) {
  requirePermission(ctx.actor, 'resident.manage');
  const companyId = companyOf(ctx.actor);
  const link = await deps.db.selectFrom('room_residents').selectAll().where('id', '=', linkId).where('company_id', '=', companyId).executeTakeFirst();
  if (!link) throw new NotFoundError('roomResident');
  await requireRoom(deps.db, ctx, link.room_id);
  // Checked before the update: the table's CHECK (end_date >= start_date) would otherwise answer a 500.
  if (link.end_date === null && input.endDate < link.start_date) throw new ValidationError('endDate', 'validation.dateOrder');
  await deps.db.transaction().execute(async (trx) => {
    const ended = await trx
      .updateTable('room_residents')
      .set({ end_date: input.endDate, end_reason: input.reason })
      .where('id', '=', linkId)
      .where('end_date', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!ended) throw new ConflictError('conflict.noCurrentLink', {}, { field: 'linkId' });
    if (link.relation === 'tenant') {
      const tenantsLeft = await trx.selectFrom('room_residents').select('id').where('room_id', '=', link.room_id).where('relation', '=', 'tenant').where('end_date', 'is', null).executeTakeFirst();
      if (!tenantsLeft) {
        const ownersLeft = await trx.selectFrom('room_residents').select('id').where('room_id', '=', link.room_id).where('end_date', 'is', null).executeTakeFirst();
        await setRoomStatus(trx, ctx, link.room_id, ownersLeft ? 'occupied' : 'vacant', `租约结束：${input.reason}`, { force: true });
      }
    }
    await writeAudit(trx, ctx, { action: 'room.endLink', entityType: 'room', entityId: link.room_id, before: link, after: ended });
  });
  return getRoomHousehold(deps, ctx, link.room_id);
}

/** Move-out (迁出): ends every current link of the room, keeps them as history, and the room becomes vacant. */
export async function moveOut(deps: Pick<Deps, 'db'>, ctx: RequestContext, roomId: string, input: { date: string; reason: string }) {
  requirePermission(ctx.actor, 'resident.manage');
  await requireRoom(deps.db, ctx, roomId);
  await deps.db.transaction().execute(async (trx) => {
    const ended = await trx
      .updateTable('room_residents')
      .set({ end_date: input.date, end_reason: input.reason })
      .where('room_id', '=', roomId)
      .where('end_date', 'is', null)
      .where('start_date', '<=', input.date)
      .returning(['id', 'resident_id', 'relation'])
      .execute();
    // A link starting after the date is still open: the date is wrong (400), unless nothing was current at all (409).
    const stillOpen = await trx.selectFrom('room_residents').select('id').where('room_id', '=', roomId).where('end_date', 'is', null).executeTakeFirst();
    if (stillOpen) throw new ValidationError('date', 'validation.dateOrder');
    if (!ended.length) throw new ConflictError('conflict.noCurrentLink', {}, { field: 'roomId' });
    await setRoomStatus(trx, ctx, roomId, 'vacant', `迁出：${input.reason}`, { force: true });
    await writeAudit(trx, ctx, { action: 'room.moveOut', entityType: 'room', entityId: roomId, after: { date: input.date, reason: input.reason, ended } });
  });
  return getRoomHousehold(deps, ctx, roomId);
}
