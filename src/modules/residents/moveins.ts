import type { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { type RequestContext, type Db, canSeeCommunity, companyOf, requirePermission } from '../../core/context.ts';
import { AppError, NotFoundError, ConflictError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { requireRoom, setRoomStatus } from '../estate/rooms.ts';
import { existingOrNewResident } from './service.ts';
import { insertLink } from './links.ts';
import type { cancelMoveInBody, createMoveInBody, handoverBody, inspectionBody, moveIn } from './schema.ts';

/**
 * Move-in (入住): 入住通知单 + 购房合同 → registration of the owner → joint inspection (查验) with defects → handover
 * with keys. The room follows: handed over → 已交房 (delivered), or 已入住 (occupied) when the owner moves in now.
 */
async function loadMoveIn(db: Db, ctx: RequestContext, id: string) {
  const m = await db.selectFrom('move_ins').selectAll().where('id', '=', id).where('company_id', '=', companyOf(ctx.actor)).executeTakeFirst();
  if (!m) throw new NotFoundError('moveIn');
  await requireRoom(db, ctx, m.room_id);
  return m;
}

export async function getMoveIn(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<z.infer<typeof moveIn>> {
  requirePermission(ctx.actor, 'resident.read');
  const m = await loadMoveIn(deps.db, ctx, id);
  const room = await requireRoom(deps.db, ctx, m.room_id);
  const resident = await deps.db.selectFrom('residents').select('name').where('id', '=', m.resident_id).executeTakeFirstOrThrow();
  const items = await deps.db.selectFrom('move_in_inspection_items').selectAll().where('move_in_id', '=', id).orderBy('area').orderBy('item').execute();
  return {
    id: m.id,
    roomId: m.room_id,
    roomLabel: room.label,
    residentId: m.resident_id,
    residentName: resident.name,
    noticeNo: m.notice_no,
    contractNo: m.contract_no,
    status: m.status,
    inspectedAt: m.inspected_at?.toISOString() ?? null,
    handedOverAt: m.handed_over_at?.toISOString() ?? null,
    keysCount: m.keys_count,
    handoverNote: m.handover_note,
    items: items.map((i) => ({ id: i.id, area: i.area, item: i.item, ok: i.ok, defect: i.defect, photoFileId: i.photo_file_id })),
    defects: items.filter((i) => !i.ok).length,
    createdAt: m.created_at.toISOString(),
  };
}

export async function listMoveIns(deps: Pick<Deps, 'db'>, ctx: RequestContext, roomId?: string) {
  requirePermission(ctx.actor, 'resident.read');
  const rows = await deps.db
    .selectFrom('move_ins as m')
    .innerJoin('rooms as r', 'r.id', 'm.room_id')
    .select(['m.id', 'r.community_id'])
    .where('m.company_id', '=', companyOf(ctx.actor))
    .$if(Boolean(roomId), (qb) => qb.where('m.room_id', '=', roomId!))
    .orderBy('m.created_at', 'desc')
    .limit(200)
    .execute();
  const visible = rows.filter((r) => canSeeCommunity(ctx.actor, r.community_id));
  return { items: await Promise.all(visible.map((r) => getMoveIn(deps, ctx, r.id))) };
}

export async function registerMoveIn(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: z.infer<typeof createMoveInBody>) {
  requirePermission(ctx.actor, 'resident.manage');
  const companyId = companyOf(ctx.actor);
  const room = await requireRoom(deps.db, ctx, input.roomId, 'roomId');
  const id = await deps.db.transaction().execute(async (trx) => {
    const open = await trx.selectFrom('move_ins').select('id').where('room_id', '=', input.roomId).where('status', 'in', ['registered', 'inspected']).executeTakeFirst();
    if (open) throw new ConflictError('conflict.moveInOpen', {}, { field: 'roomId' });
    const residentId = await existingOrNewResident(trx, ctx, input, room.communityId);
    const linked = await trx.selectFrom('room_residents').select('id').where('room_id', '=', input.roomId).where('resident_id', '=', residentId).where('end_date', 'is', null).executeTakeFirst();
    if (!linked) {
      await insertLink(trx, ctx, input.roomId, residentId, { relation: 'owner', sharePercent: input.sharePercent ?? null, startDate: input.moveInDate, moveInDate: input.moveInDate, warrantyEnd: input.warrantyEnd ?? null });
    }
    const m = await trx
      .insertInto('move_ins')
      .values({ company_id: companyId, room_id: input.roomId, resident_id: residentId, notice_no: input.noticeNo, contract_no: input.contractNo, created_by: ctx.actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'moveIn.register', entityType: 'moveIn', entityId: m.id, after: { roomId: input.roomId, residentId, noticeNo: input.noticeNo, contractNo: input.contractNo } });
    return m.id;
  });
  return getMoveIn(deps, ctx, id);
}

function assertStatus(status: string, allowed: string[]) {
  if (!allowed.includes(status)) throw new AppError(409, 'CONFLICT', 'conflict.moveInState', { status }, { field: 'status' });
}

export async function recordInspection(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: z.infer<typeof inspectionBody>) {
  requirePermission(ctx.actor, 'resident.manage');
  const companyId = companyOf(ctx.actor);
  input.items.forEach((item, i) => {
    if (!item.ok && !item.defect) throw new ValidationError(`items.${i}.defect`, 'validation.required');
  });
  await deps.db.transaction().execute(async (trx) => {
    const m = await loadMoveIn(trx, ctx, id);
    assertStatus(m.status, ['registered', 'inspected']);
    const photoIds = input.items.map((i) => i.photoFileId).filter((p): p is string => Boolean(p));
    if (photoIds.length) {
      const found = await trx.selectFrom('files').select('id').where('company_id', '=', companyId).where('id', 'in', photoIds).execute();
      if (found.length !== new Set(photoIds).size) throw new ValidationError('items.photoFileId', 'validation.unknownIds');
    }
    // Re-inspection replaces the checklist.
    await trx.deleteFrom('move_in_inspection_items').where('move_in_id', '=', id).execute();
    await trx
      .insertInto('move_in_inspection_items')
      .values(input.items.map((i) => ({ company_id: companyId, move_in_id: id, area: i.area, item: i.item, ok: i.ok, defect: i.ok ? null : (i.defect ?? null), photo_file_id: i.photoFileId ?? null })))
      .execute();
    await trx.updateTable('move_ins').set({ status: 'inspected', inspected_at: new Date(), updated_at: new Date() }).where('id', '=', id).execute();
    await writeAudit(trx, ctx, { action: 'moveIn.inspect', entityType: 'moveIn', entityId: id, after: { items: input.items.length, defects: input.items.filter((i) => !i.ok).length } });
  });
  return getMoveIn(deps, ctx, id);
}

export async function handOver(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: z.infer<typeof handoverBody>) {
  requirePermission(ctx.actor, 'resident.manage');
  await deps.db.transaction().execute(async (trx) => {
    const m = await loadMoveIn(trx, ctx, id);
    assertStatus(m.status, ['inspected']);
    await trx.updateTable('move_ins').set({ status: 'handedOver', handed_over_at: new Date(), keys_count: input.keysCount, handover_note: input.note ?? null, updated_at: new Date() }).where('id', '=', id).execute();
    await setRoomStatus(trx, ctx, m.room_id, input.occupyNow ? 'occupied' : 'delivered', `入住交房（通知单 ${m.notice_no}）`, { force: true });
    await writeAudit(trx, ctx, { action: 'moveIn.handover', entityType: 'moveIn', entityId: id, after: input });
  });
  return getMoveIn(deps, ctx, id);
}

/** Cancels a move-in registered by mistake, so the room can be registered again. A handed-over one stays. */
export async function cancelMoveIn(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: z.infer<typeof cancelMoveInBody>) {
  requirePermission(ctx.actor, 'resident.manage');
  await deps.db.transaction().execute(async (trx) => {
    const m = await loadMoveIn(trx, ctx, id);
    assertStatus(m.status, ['registered', 'inspected']);
    await trx.updateTable('move_ins').set({ status: 'cancelled', handover_note: input.reason, updated_at: new Date() }).where('id', '=', id).execute();
    await writeAudit(trx, ctx, { action: 'moveIn.cancel', entityType: 'moveIn', entityId: id, before: { status: m.status }, after: { status: 'cancelled', reason: input.reason } });
  });
  return getMoveIn(deps, ctx, id);
}
