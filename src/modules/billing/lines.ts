import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, canSeeCommunity, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { NotFoundError } from '../../core/errors.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import type { BillLineStatus } from '../../db/schema-billing.ts';
import { requireRoom } from '../estate/rooms.ts';
import { roomLabel } from '../estate/repo.ts';
import type { BillLine } from './schema.ts';
import { accruedLateFee } from './late-fees.ts';
import { localDate } from '../servicedesk/deadlines.ts';
import { sql } from 'kysely';

/** 账单: bill lines, read by room, by run, or filtered across a community. */

function selectLines(db: Db, companyId: string) {
  return db
    .selectFrom('bill_lines as l')
    .innerJoin('fee_items as i', 'i.id', 'l.item_id')
    .leftJoin('rooms as r', 'r.id', 'l.room_id')
    .leftJoin('buildings as b', 'b.id', 'r.building_id')
    .leftJoin('building_units as u', 'u.id', 'r.unit_id')
    .leftJoin('parking_spaces as p', 'p.id', 'l.parking_space_id')
    .innerJoin('communities as c', 'c.id', 'l.community_id')
    .where('l.company_id', '=', companyId)
    .select([
      'c.time_zone',
      'l.kind',
      'l.source_line_id',
      'l.charged_by_payment_id',
      'l.waived_by',
      'l.waive_reason',
      sql<number>`CASE WHEN l.kind = 'charge' AND l.basis ? 'lateFee' THEN (SELECT COALESCE(sum(f.amount_fen), 0) FROM bill_lines f WHERE f.source_line_id = l.id AND f.kind = 'lateFee' AND (f.status <> 'revoked' OR f.waived_by IS NOT NULL)) ELSE 0 END`.as('late_fees_charged_fen'),
      'l.id',
      'l.run_id',
      'l.community_id',
      'l.building_id',
      'l.item_id',
      'i.name as item_name',
      'i.kind as item_kind',
      'l.target_kind',
      'l.target_id',
      'l.room_id',
      'b.name as building_name',
      'u.name as unit_name',
      'r.number as room_number',
      'l.parking_space_id',
      'p.number as space_number',
      'l.meter_id',
      'l.period_key',
      'l.period_start',
      'l.period_end',
      'l.amount_fen',
      'l.paid_fen',
      'l.status',
      'l.due_date',
      'l.basis',
      'l.created_at',
    ]);
}
type LineRow = Awaited<ReturnType<ReturnType<typeof selectLines>['executeTakeFirstOrThrow']>>;

function toLine(r: LineRow, now = new Date()): BillLine {
  const lateFeesChargedFen = Number(r.late_fees_charged_fen);
  return {
    id: r.id,
    runId: r.run_id,
    kind: r.kind,
    sourceLineId: r.source_line_id,
    chargedByPaymentId: r.charged_by_payment_id,
    waivedBy: r.waived_by,
    waiveReason: r.waive_reason,
    lateFeesChargedFen,
    lateFeeAccruedFen: accruedLateFee(
      { basis: r.basis, kind: r.kind, status: r.status, dueDate: r.due_date, amountFen: Number(r.amount_fen), paidFen: Number(r.paid_fen), lateFeesChargedFen },
      localDate(now, r.time_zone),
    ),
    communityId: r.community_id,
    buildingId: r.building_id,
    itemId: r.item_id,
    itemName: r.item_name,
    itemKind: r.item_kind,
    targetKind: r.target_kind,
    targetId: r.target_id,
    roomId: r.room_id,
    roomLabel: r.room_number ? roomLabel(r.building_name!, r.unit_name, r.room_number) : null,
    parkingSpaceId: r.parking_space_id,
    parkingSpaceNumber: r.space_number,
    meterId: r.meter_id,
    periodKey: r.period_key,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    amountFen: Number(r.amount_fen),
    paidFen: Number(r.paid_fen),
    status: r.status,
    dueDate: r.due_date,
    basis: r.basis,
    createdAt: r.created_at.toISOString(),
  };
}

type LineFilter = PageQuery & { kind?: 'charge' | 'lateFee'; communityId?: string; buildingId?: string; roomId?: string; parkingSpaceId?: string; itemId?: string; runId?: string; periodKey?: string; status?: BillLineStatus };

async function pageOfLines(db: Db, ctx: RequestContext, q: LineFilter): Promise<Page<BillLine>> {
  const scope = communityScope(ctx.actor);
  const base = selectLines(db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('l.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('l.community_id', '=', q.communityId!))
    .$if(Boolean(q.kind), (qb) => qb.where('l.kind', '=', q.kind!))
    .$if(Boolean(q.buildingId), (qb) => qb.where('l.building_id', '=', q.buildingId!))
    .$if(Boolean(q.roomId), (qb) => qb.where('l.room_id', '=', q.roomId!))
    .$if(Boolean(q.parkingSpaceId), (qb) => qb.where('l.parking_space_id', '=', q.parkingSpaceId!))
    .$if(Boolean(q.itemId), (qb) => qb.where('l.item_id', '=', q.itemId!))
    .$if(Boolean(q.runId), (qb) => qb.where('l.run_id', '=', q.runId!))
    .$if(Boolean(q.periodKey), (qb) => qb.where('l.period_key', '=', q.periodKey!))
    .$if(Boolean(q.status), (qb) => qb.where('l.status', '=', q.status!));
  const [rows, count] = await Promise.all([
    base.orderBy('l.period_start', 'desc').orderBy('i.kind').orderBy('l.id').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((r) => toLine(r)), total: count.n, page: q.page, pageSize: q.pageSize };
}

export async function listLines(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: LineFilter): Promise<Page<BillLine>> {
  requirePermission(ctx.actor, 'billing.read');
  return pageOfLines(deps.db, ctx, q);
}

/** A room's bills: its own lines and those of its meters, newest period first. */
export async function listRoomBills(deps: Pick<Deps, 'db'>, ctx: RequestContext, roomId: string, q: PageQuery & { periodKey?: string; status?: BillLineStatus; kind?: 'charge' | 'lateFee' }): Promise<Page<BillLine>> {
  requirePermission(ctx.actor, 'billing.read');
  await requireRoom(deps.db, ctx, roomId);
  return pageOfLines(deps.db, ctx, { ...q, roomId });
}

export async function getLine(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<BillLine> {
  requirePermission(ctx.actor, 'billing.read');
  const row = await selectLines(deps.db, companyOf(ctx.actor)).where('l.id', '=', id).executeTakeFirst();
  if (!row || !canSeeCommunity(ctx.actor, row.community_id)) throw new NotFoundError('billLine');
  return toLine(row);
}
