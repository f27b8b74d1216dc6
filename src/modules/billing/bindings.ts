import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, canSeeCommunity, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import { requireRoom } from '../estate/rooms.ts';
import { assertCommunity, loadBuilding, roomLabel } from '../estate/repo.ts';
import { EITHER_KINDS, ROOM_KINDS } from './item-rules.ts';
import { requireItem } from './items.ts';
import { PRICE, optionalDecimal } from './values.ts';
import type { Binding, CreateBindingInput } from './schema.ts';

/**
 * 计费绑定: which room or parking space pays which item from when to when. Bindings of one item and target never
 * overlap (checked under a lock on the item row), so a bill run can add up a target's windows without double counting.
 */

const TARGET_LABEL = { room: { zh: '房屋', en: 'room' }, parkingSpace: { zh: '车位', en: 'parking space' } } as const;

function selectBindings(db: Db, companyId: string) {
  return db
    .selectFrom('fee_bindings as f')
    .innerJoin('fee_items as i', 'i.id', 'f.item_id')
    .leftJoin('rooms as r', 'r.id', 'f.room_id')
    .leftJoin('buildings as b', 'b.id', 'r.building_id')
    .leftJoin('building_units as u', 'u.id', 'r.unit_id')
    .leftJoin('parking_spaces as p', 'p.id', 'f.parking_space_id')
    .where('f.company_id', '=', companyId)
    .select(['f.id', 'f.item_id', 'i.name as item_name', 'i.kind as item_kind', 'f.community_id', 'f.room_id', 'b.name as building_name', 'u.name as unit_name', 'r.number as room_number', 'f.parking_space_id', 'p.number as space_number', 'f.start_date', 'f.end_date', 'f.unit_price', 'f.note']);
}
type BindingRow = Awaited<ReturnType<ReturnType<typeof selectBindings>['executeTakeFirstOrThrow']>>;

function toBinding(r: BindingRow): Binding {
  return {
    id: r.id,
    itemId: r.item_id,
    itemName: r.item_name,
    itemKind: r.item_kind,
    communityId: r.community_id,
    roomId: r.room_id,
    roomLabel: r.room_number ? roomLabel(r.building_name!, r.unit_name, r.room_number) : null,
    parkingSpaceId: r.parking_space_id,
    parkingSpaceNumber: r.space_number,
    startDate: r.start_date,
    endDate: r.end_date,
    unitPrice: r.unit_price,
    note: r.note,
  };
}

async function loadBinding(db: Db, ctx: RequestContext, id: string): Promise<BindingRow> {
  const row = await selectBindings(db, companyOf(ctx.actor)).where('f.id', '=', id).executeTakeFirst();
  if (!row || !canSeeCommunity(ctx.actor, row.community_id)) throw new NotFoundError('feeBinding');
  return row;
}

export async function listBindings(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  q: PageQuery & { communityId?: string; itemId?: string; roomId?: string; parkingSpaceId?: string; activeOn?: string },
): Promise<Page<Binding>> {
  requirePermission(ctx.actor, 'billing.read');
  const scope = communityScope(ctx.actor);
  const base = selectBindings(deps.db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('f.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('f.community_id', '=', q.communityId!))
    .$if(Boolean(q.itemId), (qb) => qb.where('f.item_id', '=', q.itemId!))
    .$if(Boolean(q.roomId), (qb) => qb.where('f.room_id', '=', q.roomId!))
    .$if(Boolean(q.parkingSpaceId), (qb) => qb.where('f.parking_space_id', '=', q.parkingSpaceId!))
    .$if(Boolean(q.activeOn), (qb) => qb.where('f.start_date', '<=', q.activeOn!).where((eb) => eb.or([eb('f.end_date', 'is', null), eb('f.end_date', '>=', q.activeOn!)])));
  const [rows, count] = await Promise.all([
    base.orderBy('f.start_date', 'desc').orderBy('f.id').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toBinding), total: count.n, page: q.page, pageSize: q.pageSize };
}

/** A parking space of the caller's company in a visible community, or a 400 naming `field`. */
export async function requireParkingSpace(db: Db, ctx: RequestContext, id: string, field = 'parkingSpaceId') {
  const row = await db.selectFrom('parking_spaces').select(['id', 'community_id', 'number']).where('id', '=', id).where('company_id', '=', companyOf(ctx.actor)).executeTakeFirst();
  if (!row || !canSeeCommunity(ctx.actor, row.community_id)) throw new ValidationError(field, 'validation.unknownIds');
  return row;
}

/** Item enabled in the community, or a 400 naming `field`. */
export async function assertEnabled(db: Db, item: { id: string; name: string; active: boolean }, communityId: string, field = 'itemId') {
  if (!item.active) throw new ValidationError(field, 'validation.itemInactive', { name: item.name });
  const row = await db.selectFrom('fee_item_communities').select('item_id').where('item_id', '=', item.id).where('community_id', '=', communityId).executeTakeFirst();
  if (!row) throw new ValidationError(field, 'validation.itemNotEnabled', { name: item.name });
}

function targetFieldOf(kind: string, hasRoom: boolean, hasSpace: boolean): 'room' | 'parkingSpace' {
  if (hasRoom && hasSpace) throw new ValidationError('parkingSpaceId', 'validation.bindingTarget', { kind, target: ROOM_KINDS.includes(kind as never) ? 'room' : 'parkingSpace' });
  if (ROOM_KINDS.includes(kind as never)) {
    if (!hasRoom) throw new ValidationError(hasSpace ? 'parkingSpaceId' : 'roomId', hasSpace ? 'validation.bindingTarget' : 'validation.required', { kind, target: 'room' });
    return 'room';
  }
  if (!EITHER_KINDS.includes(kind as never)) {
    if (!hasSpace) throw new ValidationError(hasRoom ? 'roomId' : 'parkingSpaceId', hasRoom ? 'validation.bindingTarget' : 'validation.required', { kind, target: 'parkingSpace' });
    return 'parkingSpace';
  }
  if (!hasRoom && !hasSpace) throw new ValidationError('roomId', 'validation.required');
  return hasRoom ? 'room' : 'parkingSpace';
}

async function assertNoOverlap(db: Db, ctx: RequestContext, args: { itemId: string; targetId: string; target: 'room' | 'parkingSpace'; from: string; to: string | null; exceptId?: string }) {
  const clash = await db
    .selectFrom('fee_bindings')
    .select('start_date')
    .where('company_id', '=', companyOf(ctx.actor))
    .where('item_id', '=', args.itemId)
    .where('target_id', '=', args.targetId)
    .$if(args.to !== null, (qb) => qb.where('start_date', '<=', args.to!))
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', args.from)]))
    .$if(Boolean(args.exceptId), (qb) => qb.where('id', '<>', args.exceptId!))
    .executeTakeFirst();
  if (clash) throw new ConflictError('conflict.bindingOverlap', { target: TARGET_LABEL[args.target][ctx.lang === 'en' ? 'en' : 'zh'], from: clash.start_date }, { field: 'startDate' });
}

/** Serialises binding changes of one item, so two overlapping bindings cannot both pass the check. */
async function lockItem(db: Db, itemId: string) {
  await db.selectFrom('fee_items').select('id').where('id', '=', itemId).forUpdate().execute();
}

export async function createBinding(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: CreateBindingInput): Promise<Binding> {
  requirePermission(ctx.actor, 'billing.manage');
  const companyId = companyOf(ctx.actor);
  const item = await requireItem(deps.db, companyId, input.itemId);
  const target = targetFieldOf(item.kind, Boolean(input.roomId), Boolean(input.parkingSpaceId));
  const place = target === 'room' ? await requireRoom(deps.db, ctx, input.roomId!, 'roomId') : await requireParkingSpace(deps.db, ctx, input.parkingSpaceId!);
  const communityId = 'communityId' in place ? place.communityId : place.community_id;
  await assertEnabled(deps.db, item, communityId);
  const endDate = input.endDate ?? null;
  if (endDate !== null && endDate < input.startDate) throw new ValidationError('endDate', 'validation.dateOrder');
  const unitPrice = optionalDecimal(input.unitPrice, 'unitPrice', PRICE);
  const id = await deps.db.transaction().execute(async (trx) => {
    await lockItem(trx, item.id);
    await assertNoOverlap(trx, ctx, { itemId: item.id, targetId: place.id, target, from: input.startDate, to: endDate });
    const row = await trx
      .insertInto('fee_bindings')
      .values({
        company_id: companyId,
        community_id: communityId,
        item_id: item.id,
        room_id: target === 'room' ? place.id : null,
        parking_space_id: target === 'parkingSpace' ? place.id : null,
        start_date: input.startDate,
        end_date: endDate,
        unit_price: unitPrice,
        note: input.note ?? null,
        created_by: ctx.actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'feeBinding.create', entityType: 'feeBinding', entityId: row.id, after: { ...input, unitPrice, communityId } });
    return row.id;
  });
  return toBinding(await loadBinding(deps.db, ctx, id));
}

/** Ends a binding (move-out, sale of a space), changes its own price or note. */
export async function updateBinding(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: { endDate?: string | null; unitPrice?: string | number | null; note?: string | null }): Promise<Binding> {
  requirePermission(ctx.actor, 'billing.manage');
  const companyId = companyOf(ctx.actor);
  await deps.db.transaction().execute(async (trx) => {
    const before = await loadBinding(trx, ctx, id);
    const endDate = input.endDate === undefined ? before.end_date : input.endDate;
    if (endDate !== null && endDate < before.start_date) throw new ValidationError('endDate', 'validation.dateOrder');
    const unitPrice = input.unitPrice === undefined ? before.unit_price : optionalDecimal(input.unitPrice, 'unitPrice', PRICE);
    await lockItem(trx, before.item_id);
    const target = before.room_id ? 'room' : 'parkingSpace';
    await assertNoOverlap(trx, ctx, { itemId: before.item_id, targetId: (before.room_id ?? before.parking_space_id)!, target, from: before.start_date, to: endDate, exceptId: id });
    await trx
      .updateTable('fee_bindings')
      .set({ end_date: endDate, unit_price: unitPrice, note: input.note === undefined ? before.note : input.note, updated_at: new Date() })
      .where('id', '=', id)
      .where('company_id', '=', companyId)
      .execute();
    await writeAudit(trx, ctx, { action: 'feeBinding.update', entityType: 'feeBinding', entityId: id, before: toBinding(before), after: { endDate, unitPrice, note: input.note } });
  });
  return toBinding(await loadBinding(deps.db, ctx, id));
}

/**
 * Binds an item to every room of a community or building (or every parking space of a community, for parking
 * items) that has no overlapping binding of it yet — one INSERT … SELECT, so a 5,000-room community takes one query.
 */
export async function bulkBind(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  input: { itemId: string; communityId: string; buildingId?: string; startDate: string; endDate?: string | null },
): Promise<{ created: number; skipped: number }> {
  requirePermission(ctx.actor, 'billing.manage');
  const companyId = companyOf(ctx.actor);
  await assertCommunity(deps.db, ctx.actor, companyId, input.communityId);
  const item = await requireItem(deps.db, companyId, input.itemId);
  await assertEnabled(deps.db, item, input.communityId);
  const rooms = item.kind !== 'parking';
  if (input.buildingId) {
    if (!rooms) throw new ValidationError('buildingId', 'validation.notForKind', { kind: item.kind });
    const building = await loadBuilding(deps.db, ctx.actor, companyId, input.buildingId, 'buildingId');
    if (building.community_id !== input.communityId) throw new ValidationError('buildingId', 'validation.unknownIds');
  }
  const endDate = input.endDate ?? null;
  if (endDate !== null && endDate < input.startDate) throw new ValidationError('endDate', 'validation.dateOrder');
  return deps.db.transaction().execute(async (trx) => {
    await lockItem(trx, item.id);
    const table = rooms ? sql`rooms` : sql`parking_spaces`;
    const column = rooms ? sql`room_id` : sql`parking_space_id`;
    const result = await sql<{ created: number; total: number }>`
      WITH candidates AS (
        SELECT t.id FROM ${table} t
         WHERE t.company_id = ${companyId} AND t.community_id = ${input.communityId}
           ${input.buildingId ? sql`AND t.building_id = ${input.buildingId}` : sql``}
      ), inserted AS (
        INSERT INTO fee_bindings (company_id, community_id, item_id, ${column}, start_date, end_date, created_by)
        SELECT ${companyId}::uuid, ${input.communityId}::uuid, ${item.id}::uuid, c.id, ${input.startDate}::date, ${endDate}::date, ${ctx.actor.userId}::uuid
          FROM candidates c
         WHERE NOT EXISTS (
           SELECT 1 FROM fee_bindings f
            WHERE f.company_id = ${companyId} AND f.item_id = ${item.id} AND f.target_id = c.id
              AND (${endDate}::date IS NULL OR f.start_date <= ${endDate}::date)
              AND (f.end_date IS NULL OR f.end_date >= ${input.startDate}::date))
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM inserted)::int AS created, (SELECT count(*) FROM candidates)::int AS total`.execute(trx);
    const { created, total } = result.rows[0];
    await writeAudit(trx, ctx, { action: 'feeBinding.bulk', entityType: 'feeItem', entityId: item.id, after: { ...input, created, skipped: total - created } });
    return { created, skipped: total - created };
  });
}
