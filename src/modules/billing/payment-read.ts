import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, canSeeCommunity, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { NotFoundError } from '../../core/errors.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import type { BalanceKind, PaymentMethod, PaymentStatus, RefundStatus } from '../../db/schema-payments.ts';
import { roomLabel } from '../estate/repo.ts';
import { requireRoom } from '../estate/rooms.ts';
import { chargedLateFees } from './late-fee-ledger.ts';
import { accruedLateFee } from './late-fees.ts';
import { localDate } from '../servicedesk/deadlines.ts';
import { ownerRooms } from '../residents/household.ts';
import { balancesOf } from './ledger.ts';

/** Reading payments, their allocations, receipts and refunds; a room's prepaid balances and their ledger. */

export interface PaymentSummary {
  id: string;
  communityId: string;
  communityName: string;
  roomId: string | null;
  roomLabel: string | null;
  tradeNo: string;
  method: PaymentMethod;
  channel: 'counter' | 'owner';
  status: PaymentStatus;
  amountFen: number;
  allocatedFen: number;
  toBalanceFen: number;
  balanceKind: BalanceKind | null;
  refundedFen: number;
  payerName: string | null;
  collectorId: string | null;
  collectorName: string | null;
  reference: string | null;
  note: string | null;
  receiptNo: string | null;
  paidAt: string | null;
  businessDate: string | null;
  createdAt: string;
}

export interface PaymentDetail extends PaymentSummary {
  allocations: Array<{ lineId: string; kind: 'charge' | 'lateFee'; itemName: string; periodKey: string; periodStart: string; periodEnd: string; roomLabel: string | null; amountFen: number; refundId: string | null; at: string }>;
  /** The cashier waived the late fees this payment would have charged. */
  lateFeeWaived: boolean;
  /** 预交: the months paid ahead and the free months they earned (what of the bonus is used or forfeited). */
  prepay: { itemId: string; itemName: string; months: number; freeMonths: number; bonusFen: number; usedFen: number; forfeitedFen: number } | null;
  refunds: Array<{ id: string; amountFen: number; status: RefundStatus; reason: string; createdAt: string; refundedAt: string | null }>;
  receipt: { id: string; number: string; printCount: number; issuedAt: string } | null;
  invoice: { id: string; status: string; title: string; invoiceNo: string | null } | null;
}

function selectPayments(db: Db, companyId: string) {
  return db
    .selectFrom('payments as p')
    .innerJoin('communities as c', 'c.id', 'p.community_id')
    .leftJoin('rooms as r', 'r.id', 'p.room_id')
    .leftJoin('buildings as b', 'b.id', 'r.building_id')
    .leftJoin('building_units as u', 'u.id', 'r.unit_id')
    .leftJoin('users as k', 'k.id', 'p.collector_id')
    .leftJoin('receipts as rc', 'rc.payment_id', 'p.id')
    .where('p.company_id', '=', companyId)
    .select([
      'p.id', 'p.community_id', 'c.name as community_name', 'p.room_id', 'b.name as building_name', 'u.name as unit_name', 'r.number as room_number',
      'p.trade_no', 'p.method', 'p.channel', 'p.status', 'p.amount_fen', 'p.allocated_fen', 'p.to_balance_fen', 'p.balance_kind', 'p.refunded_fen', 'p.late_fee_waived',
      'p.payer_name', 'p.payer_user_id', 'p.collector_id', 'k.display_name as collector_name', 'p.reference', 'p.note', 'rc.number as receipt_no',
      'p.paid_at', 'p.business_date', 'p.created_at',
    ]);
}
type PaymentRow = Awaited<ReturnType<ReturnType<typeof selectPayments>['executeTakeFirstOrThrow']>>;

function toSummary(r: PaymentRow): PaymentSummary {
  return {
    id: r.id,
    communityId: r.community_id,
    communityName: r.community_name,
    roomId: r.room_id,
    roomLabel: r.room_number ? roomLabel(r.building_name!, r.unit_name, r.room_number) : null,
    tradeNo: r.trade_no,
    method: r.method,
    channel: r.channel,
    status: r.status,
    amountFen: r.amount_fen,
    allocatedFen: r.allocated_fen,
    toBalanceFen: r.to_balance_fen,
    balanceKind: r.balance_kind,
    refundedFen: r.refunded_fen,
    payerName: r.payer_name,
    collectorId: r.collector_id,
    collectorName: r.collector_name,
    reference: r.reference,
    note: r.note,
    receiptNo: r.receipt_no,
    paidAt: r.paid_at?.toISOString() ?? null,
    businessDate: r.business_date,
    createdAt: r.created_at.toISOString(),
  };
}

/** A payment as staff (billing.read, its community visible) or as the owner who paid it / whose room it is for. */
async function loadPayment(db: Db, ctx: RequestContext, id: string): Promise<PaymentRow> {
  const row = await selectPayments(db, companyOf(ctx.actor)).where('p.id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('payment');
  if (ctx.actor.kind === 'owner') {
    const mine = row.payer_user_id === ctx.actor.userId || (row.room_id && (await ownerRooms({ db: db as Deps['db'] }, ctx)).some((r) => r.id === row.room_id));
    if (!mine) throw new NotFoundError('payment');
  } else {
    requirePermission(ctx.actor, 'billing.read');
    if (!canSeeCommunity(ctx.actor, row.community_id)) throw new NotFoundError('payment');
  }
  return row;
}

export async function getPayment(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<PaymentDetail> {
  const row = await loadPayment(deps.db, ctx, id);
  const [allocations, refunds, receipt, invoice, prepay] = await Promise.all([
    deps.db
      .selectFrom('payment_allocations as a')
      .innerJoin('bill_lines as l', 'l.id', 'a.bill_line_id')
      .innerJoin('fee_items as i', 'i.id', 'l.item_id')
      .leftJoin('rooms as r', 'r.id', 'l.room_id')
      .leftJoin('buildings as b', 'b.id', 'r.building_id')
      .leftJoin('building_units as u', 'u.id', 'r.unit_id')
      .select(['a.bill_line_id', 'l.kind', 'i.name as item_name', 'l.period_key', 'l.period_start', 'l.period_end', 'b.name as building_name', 'u.name as unit_name', 'r.number as room_number', 'a.amount_fen', 'a.refund_id', 'a.created_at'])
      .where('a.payment_id', '=', id)
      .orderBy('a.id')
      .execute(),
    deps.db.selectFrom('refunds').select(['id', 'amount_fen', 'status', 'reason', 'created_at', 'refunded_at']).where('payment_id', '=', id).orderBy('created_at').execute(),
    deps.db.selectFrom('receipts').select(['id', 'number', 'print_count', 'issued_at']).where('payment_id', '=', id).executeTakeFirst(),
    deps.db.selectFrom('invoice_requests').select(['id', 'status', 'title', 'invoice_no']).where('payment_id', '=', id).where('status', '<>', 'rejected').executeTakeFirst(),
    deps.db
      .selectFrom('payments as p')
      .innerJoin('fee_items as i', 'i.id', 'p.prepay_item_id')
      .leftJoin('prepay_bonuses as b', 'b.payment_id', 'p.id')
      .select(['p.prepay_item_id', 'i.name', 'p.prepay_months', 'b.free_months', 'b.amount_fen', 'b.used_fen', 'b.forfeited_fen'])
      .where('p.id', '=', id)
      .executeTakeFirst(),
  ]);
  return {
    ...toSummary(row),
    lateFeeWaived: row.late_fee_waived,
    prepay: prepay
      ? { itemId: prepay.prepay_item_id!, itemName: prepay.name, months: prepay.prepay_months!, freeMonths: prepay.free_months ?? 0, bonusFen: prepay.amount_fen ?? 0, usedFen: prepay.used_fen ?? 0, forfeitedFen: prepay.forfeited_fen ?? 0 }
      : null,
    allocations: allocations.map((a) => ({
      lineId: a.bill_line_id,
      kind: a.kind,
      itemName: a.item_name,
      periodKey: a.period_key,
      periodStart: a.period_start,
      periodEnd: a.period_end,
      roomLabel: a.room_number ? roomLabel(a.building_name!, a.unit_name, a.room_number) : null,
      amountFen: a.amount_fen,
      refundId: a.refund_id,
      at: a.created_at.toISOString(),
    })),
    refunds: refunds.map((r) => ({ id: r.id, amountFen: r.amount_fen, status: r.status, reason: r.reason, createdAt: r.created_at.toISOString(), refundedAt: r.refunded_at?.toISOString() ?? null })),
    receipt: receipt ? { id: receipt.id, number: receipt.number, printCount: receipt.print_count, issuedAt: receipt.issued_at.toISOString() } : null,
    invoice: invoice ? { id: invoice.id, status: invoice.status, title: invoice.title, invoiceNo: invoice.invoice_no } : null,
  };
}

export type PaymentQuery = PageQuery & { communityId?: string; roomId?: string; method?: PaymentMethod; status?: PaymentStatus; channel?: 'counter' | 'owner'; collectorId?: string; withOnline?: boolean; from?: string; to?: string; q?: string };

export async function listPayments(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: PaymentQuery): Promise<Page<PaymentSummary>> {
  requirePermission(ctx.actor, 'billing.read');
  const scope = communityScope(ctx.actor);
  const base = selectPayments(deps.db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('p.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('p.community_id', '=', q.communityId!))
    .$if(Boolean(q.roomId), (qb) => qb.where('p.room_id', '=', q.roomId!))
    .$if(Boolean(q.method), (qb) => qb.where('p.method', '=', q.method!))
    .$if(Boolean(q.status), (qb) => qb.where('p.status', '=', q.status!))
    .$if(Boolean(q.channel), (qb) => qb.where('p.channel', '=', q.channel!))
    .$if(Boolean(q.collectorId), (qb) => qb.where((eb) => (q.withOnline ? eb.or([eb('p.collector_id', '=', q.collectorId!), eb('p.channel', '=', 'owner')]) : eb('p.collector_id', '=', q.collectorId!))))
    .$if(Boolean(q.from), (qb) => qb.where('p.business_date', '>=', q.from!))
    .$if(Boolean(q.to), (qb) => qb.where('p.business_date', '<=', q.to!))
    .$if(Boolean(q.q), (qb) => qb.where((eb) => eb.or([eb('p.trade_no', '=', q.q!), eb('rc.number', '=', q.q!), eb('p.payer_name', '=', q.q!)])));
  const [rows, count] = await Promise.all([
    base.orderBy('p.created_at', 'desc').orderBy('p.id').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toSummary), total: count.n, page: q.page, pageSize: q.pageSize };
}

export interface BalanceView {
  roomId: string;
  balances: Record<BalanceKind, number>;
  totalFen: number;
  entries: Array<{ id: number; kind: BalanceKind; deltaFen: number; balanceAfterFen: number; reason: string; paymentId: string | null; refundId: string | null; lineId: string | null; at: string }>;
}

async function balanceView(db: Deps['db'], roomId: string, limit = 50): Promise<BalanceView> {
  const balances = await balancesOf(db, roomId);
  const entries = await db.selectFrom('balance_entries').selectAll().where('room_id', '=', roomId).orderBy('id', 'desc').limit(limit).execute();
  return {
    roomId,
    balances,
    totalFen: balances.general + balances.property + balances.utilities,
    entries: entries.map((e) => ({ id: e.id, kind: e.kind, deltaFen: e.delta_fen, balanceAfterFen: e.balance_after_fen, reason: e.reason, paymentId: e.payment_id, refundId: e.refund_id, lineId: e.bill_line_id, at: e.created_at.toISOString() })),
  };
}

export async function roomBalances(deps: Pick<Deps, 'db'>, ctx: RequestContext, roomId: string): Promise<BalanceView> {
  requirePermission(ctx.actor, 'billing.read');
  await requireRoom(deps.db, ctx, roomId);
  return balanceView(deps.db, roomId);
}

/** The owner's rooms with their open bills, balances and recent payments: the owner site's 缴费 page. */
export async function ownerBilling(deps: Pick<Deps, 'db'>, ctx: RequestContext) {
  requirePermission(ctx.actor, 'owner.self');
  const rooms = await ownerRooms(deps, ctx);
  if (!rooms.length) return { rooms: [], payments: [] };
  const roomIds = rooms.map((r) => r.id);
  const companyId = companyOf(ctx.actor);
  const [lines, payments] = await Promise.all([
    deps.db
      .selectFrom('bill_lines as l')
      .innerJoin('fee_items as i', 'i.id', 'l.item_id')
      .select(['l.id', 'l.room_id', 'l.kind', 'i.name as item_name', 'i.kind as item_kind', 'l.period_key', 'l.period_start', 'l.period_end', 'l.amount_fen', 'l.paid_fen', 'l.status', 'l.due_date', 'l.basis'])
      .where('l.company_id', '=', companyId)
      .where('l.room_id', 'in', roomIds)
      .where('l.status', '<>', 'revoked')
      .where((eb) => eb.or([eb('l.status', 'in', ['unpaid', 'partial']), eb('l.period_start', '>=', sql<string>`(current_date - interval '13 months')::date`)]))
      .orderBy('l.due_date')
      .orderBy('l.id')
      .execute(),
    selectPayments(deps.db, companyId)
      .where((eb) => eb.or([eb('p.room_id', 'in', roomIds), eb('p.payer_user_id', '=', ctx.actor.userId)]))
      .where('p.status', '=', 'succeeded')
      .orderBy('p.paid_at', 'desc')
      .limit(50)
      .execute(),
  ]);
  const roomRows = await deps.db.selectFrom('rooms as r').innerJoin('communities as c', 'c.id', 'r.community_id').select(['r.id', 'r.community_id', 'c.time_zone']).where('r.id', 'in', roomIds).execute();
  const communityOf = new Map(roomRows.map((r) => [r.id, r.community_id]));
  const todayOf = new Map(roomRows.map((r) => [r.id, localDate(new Date(), r.time_zone)]));
  const charged = await chargedLateFees(deps.db, lines.filter((l) => l.kind === 'charge' && (l.status === 'unpaid' || l.status === 'partial')).map((l) => l.id));
  const bonuses = await deps.db
    .selectFrom('prepay_bonuses as b')
    .innerJoin('fee_items as i', 'i.id', 'b.item_id')
    .select(['b.room_id', 'i.name', 'b.free_months', 'b.amount_fen', 'b.used_fen', 'b.forfeited_fen', 'b.created_at'])
    .where('b.room_id', 'in', roomIds)
    .where(sql<boolean>`b.used_fen + b.forfeited_fen < b.amount_fen`)
    .orderBy('b.created_at')
    .execute();
  const out = [];
  for (const room of rooms) {
    const own = lines.filter((l) => l.room_id === room.id);
    const view = await balanceView(deps.db, room.id, 20);
    out.push({
      roomId: room.id,
      label: room.label,
      community: room.community,
      communityId: communityOf.get(room.id)!,
      owedFen: own.filter((l) => l.status === 'unpaid' || l.status === 'partial').reduce((s, l) => s + l.amount_fen - l.paid_fen, 0),
      balances: view.balances,
      balanceEntries: view.entries,
      lines: own.map((l) => ({
        id: l.id,
        itemName: l.item_name,
        itemKind: l.item_kind,
        periodKey: l.period_key,
        periodStart: l.period_start,
        periodEnd: l.period_end,
        amountFen: l.amount_fen,
        paidFen: l.paid_fen,
        owedFen: l.amount_fen - l.paid_fen,
        status: l.status,
        dueDate: l.due_date,
        kind: l.kind,
        lateFeeAccruedFen: accruedLateFee({ basis: l.basis, kind: l.kind, status: l.status, dueDate: l.due_date, amountFen: l.amount_fen, paidFen: l.paid_fen, lateFeesChargedFen: charged.get(l.id) ?? 0 }, todayOf.get(room.id)!),
      })),
      bonuses: bonuses.filter((b) => b.room_id === room.id).map((b) => ({ itemName: b.name, freeMonths: b.free_months, amountFen: b.amount_fen, remainingFen: b.amount_fen - b.used_fen - b.forfeited_fen, createdAt: b.created_at.toISOString() })),
    });
  }
  return { rooms: out, payments: payments.map(toSummary) };
}

