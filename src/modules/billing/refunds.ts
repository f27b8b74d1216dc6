import { randomBytes } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type RequestContext, canSeeCommunity, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import type { DB } from '../../db/schema.ts';
import type { RefundStatus } from '../../db/schema-payments.ts';
import { roomLabel } from '../estate/repo.ts';
import { localDate } from '../servicedesk/deadlines.ts';
import { planRefund } from './allocation.ts';
import { applyAllocations, balancesOf, moveBalance } from './ledger.ts';
import { revokeRefundedLateFees } from './late-fee-ledger.ts';
import { fenText } from './payments.ts';
import { providers } from './payments/registry.ts';

/**
 * 退款: a cashier requests (amount ≤ what the payment still has, reason), someone else with billing.refund approves
 * or rejects. On approval the money comes back first from what of the payment is still in the prepaid balance, then
 * from its bill lines (newest allocation first), which owe again. Counter payments are paid back by the cashier at
 * once; online ones through the provider (the sandbox always succeeds). Nothing moves if the provider refuses.
 */

type Trx = Transaction<DB>;

const STATUS_LABELS: Record<RefundStatus, { zh: string; en: string }> = {
  requested: { zh: '待审批', en: 'awaiting approval' },
  rejected: { zh: '已驳回', en: 'rejected' },
  refunding: { zh: '退款中', en: 'refunding' },
  refunded: { zh: '已退款', en: 'refunded' },
  failed: { zh: '退款失败', en: 'failed' },
};
const label = (ctx: RequestContext, s: RefundStatus) => STATUS_LABELS[s][ctx.lang === 'en' ? 'en' : 'zh'];

export interface RefundView {
  id: string;
  paymentId: string;
  tradeNo: string;
  method: string;
  communityId: string;
  roomId: string | null;
  roomLabel: string | null;
  amountFen: number;
  reason: string;
  status: RefundStatus;
  fromBalanceFen: number;
  fromLinesFen: number;
  outRefundNo: string;
  requestedBy: string | null;
  decidedBy: string | null;
  decisionNote: string | null;
  error: string | null;
  createdAt: string;
  decidedAt: string | null;
  refundedAt: string | null;
}

function selectRefunds(db: Deps['db'] | Trx, companyId: string) {
  return db
    .selectFrom('refunds as f')
    .innerJoin('payments as p', 'p.id', 'f.payment_id')
    .leftJoin('rooms as r', 'r.id', 'f.room_id')
    .leftJoin('buildings as b', 'b.id', 'r.building_id')
    .leftJoin('building_units as u', 'u.id', 'r.unit_id')
    .leftJoin('users as q', 'q.id', 'f.requested_by')
    .leftJoin('users as d', 'd.id', 'f.decided_by')
    .where('f.company_id', '=', companyId)
    .select([
      'f.id', 'f.payment_id', 'p.trade_no', 'p.method', 'f.community_id', 'f.room_id', 'b.name as building_name', 'u.name as unit_name', 'r.number as room_number',
      'f.amount_fen', 'f.reason', 'f.status', 'f.from_balance_fen', 'f.from_lines_fen', 'f.out_refund_no', 'q.display_name as requested_name', 'f.requested_by',
      'd.display_name as decided_name', 'f.decision_note', 'f.error', 'f.created_at', 'f.decided_at', 'f.refunded_at',
    ]);
}
type RefundRow = Awaited<ReturnType<ReturnType<typeof selectRefunds>['executeTakeFirstOrThrow']>>;

function toView(r: RefundRow): RefundView {
  return {
    id: r.id,
    paymentId: r.payment_id,
    tradeNo: r.trade_no,
    method: r.method,
    communityId: r.community_id,
    roomId: r.room_id,
    roomLabel: r.room_number ? roomLabel(r.building_name!, r.unit_name, r.room_number) : null,
    amountFen: r.amount_fen,
    reason: r.reason,
    status: r.status,
    fromBalanceFen: r.from_balance_fen,
    fromLinesFen: r.from_lines_fen,
    outRefundNo: r.out_refund_no,
    requestedBy: r.requested_name,
    decidedBy: r.decided_name,
    decisionNote: r.decision_note,
    error: r.error,
    createdAt: r.created_at.toISOString(),
    decidedAt: r.decided_at?.toISOString() ?? null,
    refundedAt: r.refunded_at?.toISOString() ?? null,
  };
}

async function loadRefund(db: Deps['db'] | Trx, ctx: RequestContext, id: string): Promise<RefundRow> {
  const row = await selectRefunds(db, companyOf(ctx.actor)).where('f.id', '=', id).executeTakeFirst();
  if (!row || !canSeeCommunity(ctx.actor, row.community_id)) throw new NotFoundError('refund');
  return row;
}

export async function getRefund(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<RefundView> {
  requirePermission(ctx.actor, 'billing.read');
  return toView(await loadRefund(deps.db, ctx, id));
}

export async function listRefunds(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: PageQuery & { communityId?: string; status?: RefundStatus; paymentId?: string }): Promise<Page<RefundView>> {
  requirePermission(ctx.actor, 'billing.read');
  const scope = communityScope(ctx.actor);
  const base = selectRefunds(deps.db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('f.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('f.community_id', '=', q.communityId!))
    .$if(Boolean(q.status), (qb) => qb.where('f.status', '=', q.status!))
    .$if(Boolean(q.paymentId), (qb) => qb.where('f.payment_id', '=', q.paymentId!));
  const [rows, count] = await Promise.all([
    base.orderBy('f.created_at', 'desc').orderBy('f.id').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toView), total: count.n, page: q.page, pageSize: q.pageSize };
}

/** What a payment can still give back: its amount less what is refunded or awaiting approval. */
async function refundable(db: Deps['db'] | Trx, paymentId: string, amountFen: number, refundedFen: number): Promise<number> {
  const pending = await db
    .selectFrom('refunds')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), sql<number>`0`).as('n'))
    .where('payment_id', '=', paymentId)
    .where('status', 'in', ['requested', 'refunding'])
    .executeTakeFirstOrThrow();
  return amountFen - refundedFen - Number(pending.n);
}

export async function requestRefund(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: { paymentId: string; amountFen: number; reason: string; idempotencyKey: string }): Promise<RefundView> {
  requirePermission(ctx.actor, 'billing.collect');
  const companyId = companyOf(ctx.actor);
  const existing = await deps.db.selectFrom('refunds').select(['id', 'payment_id', 'amount_fen']).where('company_id', '=', companyId).where('idempotency_key', '=', input.idempotencyKey).executeTakeFirst();
  if (existing) {
    if (existing.payment_id !== input.paymentId || existing.amount_fen !== input.amountFen) throw new ConflictError('conflict.idempotencyReuse', {}, { field: 'idempotencyKey' });
    return getRefund(deps, ctx, existing.id);
  }
  const id = await deps.db.transaction().execute(async (trx) => {
    const p = await trx.selectFrom('payments').selectAll().where('id', '=', input.paymentId).where('company_id', '=', companyId).forUpdate().executeTakeFirst();
    if (!p || !canSeeCommunity(ctx.actor, p.community_id)) throw new ValidationError('paymentId', 'validation.unknownIds');
    if (p.status !== 'succeeded') throw new ValidationError('paymentId', 'validation.paymentNotSucceeded');
    const max = await refundable(trx, p.id, p.amount_fen, p.refunded_fen);
    if (input.amountFen > max) throw new ValidationError('amountFen', 'validation.refundTooMuch', { max: fenText(max) });
    const row = await trx
      .insertInto('refunds')
      .values({
        company_id: companyId,
        community_id: p.community_id,
        payment_id: p.id,
        room_id: p.room_id,
        amount_fen: input.amountFen,
        reason: input.reason,
        out_refund_no: `RF${p.trade_no.slice(2, 16)}${randomBytes(4).toString('hex').toUpperCase()}`,
        idempotency_key: input.idempotencyKey,
        requested_by: ctx.actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'refund.request', entityType: 'refund', entityId: row.id, after: { paymentId: p.id, amountFen: input.amountFen, reason: input.reason } });
    return row.id;
  });
  return getRefund(deps, ctx, id);
}

export async function rejectRefund(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: { note: string }): Promise<RefundView> {
  requirePermission(ctx.actor, 'billing.refund');
  await deps.db.transaction().execute(async (trx) => {
    const r = await loadRefund(trx, ctx, id);
    const locked = await trx.selectFrom('refunds').select('status').where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (locked.status !== 'requested') throw new ConflictError('conflict.refundState', { status: label(ctx, locked.status) }, { status: locked.status });
    await trx.updateTable('refunds').set({ status: 'rejected', decided_by: ctx.actor.userId, decided_at: new Date(), decision_note: input.note }).where('id', '=', id).execute();
    await writeAudit(trx, ctx, { action: 'refund.reject', entityType: 'refund', entityId: id, before: { status: r.status }, after: { status: 'rejected', note: input.note } });
  });
  return getRefund(deps, ctx, id);
}

/**
 * Moves the money back in the ledger: balance first, then line allocations, newest first. Throws a 409 when the
 * payment no longer has the amount (its prepaid part was spent by settlements since).
 */
async function reverse(trx: Trx, ctx: RequestContext, refund: { id: string; amount_fen: number; payment_id: string }, at: Date) {
  const p = await trx.selectFrom('payments').selectAll().where('id', '=', refund.payment_id).forUpdate().executeTakeFirstOrThrow();
  const [refundedFromBalance, allocations] = await Promise.all([
    trx
      .selectFrom('balance_entries')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('delta_fen'), sql<number>`0`).as('n'))
      .where('payment_id', '=', p.id)
      .where('reason', '=', 'refund')
      .executeTakeFirstOrThrow(),
    trx
      .selectFrom('payment_allocations')
      .select(['bill_line_id', (eb) => eb.fn.sum<number>('amount_fen').as('net'), (eb) => eb.fn.max('id').as('last')])
      .where('payment_id', '=', p.id)
      .groupBy('bill_line_id')
      .execute(),
  ]);
  const kind = p.balance_kind ?? 'general';
  const balances = p.room_id ? await balancesOf(trx, p.room_id, true) : { general: 0, property: 0, utilities: 0 };
  const plan = planRefund(refund.amount_fen, {
    unrefundedDepositFen: p.to_balance_fen + Number(refundedFromBalance.n),
    balanceFen: balances[kind],
    allocations: allocations
      .map((a) => ({ lineId: a.bill_line_id, amountFen: Number(a.net), last: Number(a.last) }))
      .filter((a) => a.amountFen > 0)
      .sort((a, b) => b.last - a.last),
  });
  if (!plan) {
    const max = Math.min(p.to_balance_fen + Number(refundedFromBalance.n), balances[kind]) + allocations.reduce((s, a) => s + Math.max(0, Number(a.net)), 0);
    throw new ConflictError('conflict.refundSources', { max: fenText(max) }, { maxFen: max });
  }
  // The refunded lines owe again: lock them in id order before writing.
  const lineIds = plan.reversals.map((r) => r.lineId).sort();
  if (lineIds.length) await trx.selectFrom('bill_lines').select('id').where('id', 'in', lineIds).orderBy('id').forUpdate().execute();
  const src = { companyId: p.company_id, communityId: p.community_id, userId: ctx.actor.userId, at, refundId: refund.id };
  await applyAllocations(trx, src, plan.reversals.map((r) => ({ lineId: r.lineId, amountFen: -r.amountFen, paymentId: p.id })));
  if (plan.fromBalanceFen > 0) await moveBalance(trx, { ...src, roomId: p.room_id!, kind, reason: 'refund', paymentId: p.id }, -plan.fromBalanceFen);
  await trx.updateTable('payments').set({ refunded_fen: sql`refunded_fen + ${refund.amount_fen}`, updated_at: at }).where('id', '=', p.id).execute();
  // Late fees this payment charged that are now unpaid are not owed again (the overdue line will be charged anew
  // when it is paid), and a refunded prepayment forfeits what of its bonus is unused.
  const lateFeesRevoked = await revokeRefundedLateFees(trx, p.id, at);
  const bonus = await trx
    .updateTable('prepay_bonuses')
    .set({ forfeited_fen: sql`amount_fen - used_fen`, forfeited_by_refund_id: refund.id, updated_at: at })
    .where('payment_id', '=', p.id)
    .where(sql<boolean>`used_fen + forfeited_fen < amount_fen`)
    .returning('forfeited_fen')
    .executeTakeFirst();
  return {
    fromBalanceFen: plan.fromBalanceFen,
    fromLinesFen: refund.amount_fen - plan.fromBalanceFen,
    method: p.method,
    tradeNo: p.trade_no,
    totalFen: p.amount_fen,
    communityId: p.community_id,
    lateFeesRevoked,
    bonusForfeitedFen: bonus ? Number(bonus.forfeited_fen) : 0,
  };
}

/**
 * 审批退款: the approver (not the requester) approves. Counter payments: the ledger moves and the refund is done
 * in one transaction. Online payments: the refund is claimed (refunding), the provider is asked, then the ledger
 * moves — or, if the provider refuses, the refund is marked failed and nothing moved.
 */
export async function approveRefund(deps: Pick<Deps, 'db' | 'config' | 'log'>, ctx: RequestContext, id: string, input: { note?: string }): Promise<RefundView> {
  requirePermission(ctx.actor, 'billing.refund');
  const companyId = companyOf(ctx.actor);
  const first = await loadRefund(deps.db, ctx, id);
  const zone = await deps.db.selectFrom('communities').select('time_zone').where('id', '=', first.community_id).executeTakeFirstOrThrow();
  const online = !['cash', 'pos', 'transfer'].includes(first.method);
  const claim = async (trx: Trx) => {
    const r = await trx.selectFrom('refunds').selectAll().where('id', '=', id).where('company_id', '=', companyId).forUpdate().executeTakeFirstOrThrow();
    if (r.status !== 'requested') throw new ConflictError('conflict.refundState', { status: label(ctx, r.status) }, { status: r.status });
    if (r.requested_by === ctx.actor.userId) throw new ConflictError('conflict.refundSelfApprove');
    return r;
  };
  if (!online) {
    await deps.db.transaction().execute(async (trx) => {
      const r = await claim(trx);
      const at = new Date();
      const moved = await reverse(trx, ctx, r, at);
      await trx
        .updateTable('refunds')
        .set({ status: 'refunded', from_balance_fen: moved.fromBalanceFen, from_lines_fen: moved.fromLinesFen, decided_by: ctx.actor.userId, decided_at: at, decision_note: input.note ?? null, refunded_at: at, business_date: localDate(at, zone.time_zone) })
        .where('id', '=', id)
        .execute();
      await writeAudit(trx, ctx, { action: 'refund.approve', entityType: 'refund', entityId: id, before: { status: 'requested' }, after: { status: 'refunded', ...moved } });
    });
    return getRefund(deps, ctx, id);
  }
  // Online: check the money can come back (a dry run rolled back), then claim, then ask the provider.
  await deps.db.transaction().execute(async (trx) => {
    const r = await claim(trx);
    await sql`SAVEPOINT dry_run`.execute(trx);
    const planned = await reverse(trx, ctx, r, new Date());
    await sql`ROLLBACK TO SAVEPOINT dry_run`.execute(trx);
    // A refund being refunded says where its money comes from (the table's CHECK); the final move sets it again.
    await trx
      .updateTable('refunds')
      .set({ status: 'refunding', from_balance_fen: planned.fromBalanceFen, from_lines_fen: planned.fromLinesFen, decided_by: ctx.actor.userId, decided_at: new Date(), decision_note: input.note ?? null })
      .where('id', '=', id)
      .where('status', '=', 'requested')
      .execute();
    await writeAudit(trx, ctx, { action: 'refund.approve', entityType: 'refund', entityId: id, before: { status: 'requested' }, after: { status: 'refunding' } });
  });
  const provider = providers(deps.config.payments).get(first.method as 'sandbox');
  let providerRefundNo: string | null = null;
  let failure: string | null = provider ? null : `${first.method} is not configured`;
  if (provider) {
    try {
      const payment = await deps.db.selectFrom('payments').select(['amount_fen']).where('id', '=', first.payment_id).executeTakeFirstOrThrow();
      const res = await provider.refund({ outTradeNo: first.trade_no, outRefundNo: first.out_refund_no, amountFen: first.amount_fen, totalFen: payment.amount_fen, reason: first.reason });
      providerRefundNo = res.providerRefundNo;
    } catch (err) {
      failure = err instanceof Error ? err.message.slice(0, 300) : String(err);
      deps.log.warn({ refundId: id, err: failure }, 'provider refund failed');
    }
  }
  await deps.db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('refunds').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (r.status !== 'refunding') return;
    const at = new Date();
    if (failure) {
      await trx.updateTable('refunds').set({ status: 'failed', error: failure, from_balance_fen: 0, from_lines_fen: 0 }).where('id', '=', id).execute();
      await writeAudit(trx, ctx, { action: 'refund.fail', entityType: 'refund', entityId: id, after: { error: failure } });
      return;
    }
    const moved = await reverse(trx, ctx, r, at);
    await trx
      .updateTable('refunds')
      .set({ status: 'refunded', from_balance_fen: moved.fromBalanceFen, from_lines_fen: moved.fromLinesFen, provider_refund_no: providerRefundNo, refunded_at: at, business_date: localDate(at, zone.time_zone) })
      .where('id', '=', id)
      .execute();
    await writeAudit(trx, ctx, { action: 'refund.complete', entityType: 'refund', entityId: id, after: { status: 'refunded', providerRefundNo, ...moved } });
  });
  const view = await getRefund(deps, ctx, id);
  if (view.status === 'failed') throw new AppError(502, 'PROVIDER_FAILED', 'payment.providerFailed', { reason: failure ?? '' }, { refundId: id });
  return view;
}
