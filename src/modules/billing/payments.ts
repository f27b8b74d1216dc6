import { createHash, randomBytes } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { type RequestContext, can, canSeeCommunity, companyOf, requirePermission } from '../../core/context.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import type { DB } from '../../db/schema.ts';
import type { BalanceKind, PaymentMethod, RequestedLine } from '../../db/schema-payments.ts';
import { requireRoom } from '../estate/rooms.ts';
import { ownerRooms } from '../residents/household.ts';
import { localDate } from '../servicedesk/deadlines.ts';
import { planPayment } from './allocation.ts';
import { chargeLateFees, chargedLateFees } from './late-fee-ledger.ts';
import { accruedLateFee } from './late-fees.ts';
import { type PrepayQuote, quotePrepay } from './prepay.ts';
import { applyAllocations, balancesOf, type LockedLine, lockLines, moveBalance, nextReceiptNumber, settleRoom } from './ledger.ts';
import { PaymentNotificationError, PaymentSignatureError } from './payments/provider.ts';
import { notifyUrl, type ProviderName, providers } from './payments/registry.ts';
import { SANDBOX_SIGNATURE_HEADER, signSandboxNotification } from './payments/sandbox.ts';
import { getPayment, type PaymentDetail } from './payment-read.ts';
import { sql, type Transaction } from 'kysely';

/**
 * 收款: payments at the counter (cash, POS, bank transfer) and online (WeChat Pay, Alipay, the sandbox), applied to
 * bill lines in one transaction with their allocations, the prepaid deposit of what is left over, the receipt and
 * the audit row. Every request carries an idempotency key: the same key again returns the same payment; the same
 * key with a different request is refused. A provider notification is verified, then applied once.
 */

type Trx = Transaction<DB>;

export interface CounterPayInput {
  roomId?: string;
  communityId?: string;
  method: Extract<PaymentMethod, 'cash' | 'pos' | 'transfer'>;
  amountFen: number;
  lines?: Array<{ lineId: string; amountFen?: number | null }>;
  balanceKind?: BalanceKind;
  payerName?: string;
  reference?: string;
  note?: string;
  /** Waive the late fees this payment would charge (needs billing.waive and a reason). */
  waiveLateFee?: boolean;
  waiveReason?: string;
  /** 预交: months of a monthly item paid ahead, earning its free months (no lines may be named). */
  prepay?: { itemId: string; months: number };
  idempotencyKey: string;
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

export function newTradeNo(at = new Date()): string {
  const stamp = at.toISOString().replace(/\D/g, '').slice(0, 14);
  return `AJ${stamp}${randomBytes(5).toString('hex').toUpperCase()}`;
}

async function communityZone(db: Deps['db'], companyId: string, communityId: string): Promise<string> {
  const row = await db.selectFrom('communities').select('time_zone').where('id', '=', communityId).where('company_id', '=', companyId).executeTakeFirst();
  if (!row) throw new NotFoundError('community');
  return row.time_zone;
}

/** An existing payment of the key: the same request → it is returned; a different one → 409. */
async function replayOf(db: Deps['db'] | Trx, companyId: string, key: string, hash: string): Promise<string | null> {
  const row = await db.selectFrom('payments').select(['id', 'request_hash']).where('company_id', '=', companyId).where('idempotency_key', '=', key).executeTakeFirst();
  if (!row) return null;
  if (row.request_hash !== hash) throw new ConflictError('conflict.idempotencyReuse', {}, { field: 'idempotencyKey', paymentId: row.id });
  return row.id;
}

function checkLines(lines: LockedLine[], wanted: readonly string[], communityId: string, roomId: string | null, field = 'lines') {
  const byId = new Map(lines.map((l) => [l.id, l]));
  for (const [i, id] of wanted.entries()) {
    const line = byId.get(id);
    if (!line || line.communityId !== communityId) throw new ValidationError(`${field}.${i}.lineId`, 'validation.unknownIds');
    if (roomId && line.roomId !== null && line.roomId !== roomId) throw new ValidationError(`${field}.${i}.lineId`, 'validation.lineOfOtherRoom');
    if (line.status !== 'unpaid' && line.status !== 'partial') throw new ValidationError(`${field}.${i}.lineId`, 'validation.lineNotOpen', { status: line.status });
  }
  if (new Set(wanted).size !== wanted.length) throw new ValidationError(field, 'validation.duplicateIds', { field });
}

export interface BookOptions {
  /** The business date late fees are judged by: today at the counter, the day an online payment was started. */
  paidDate: string;
  /** The cashier waived the late fees (billing.waive). */
  waive: { userId: string; reason: string } | null;
  /** 预交: the prepayment's item, months and the bonus it earned (free months × a month's fee). */
  prepay: { itemId: string; months: number; freeMonths: number; monthlyFen: number } | null;
}

/**
 * Allocates a succeeded payment: the lines (named or oldest first); the late fees of what it pays late, charged as
 * lines and paid from what is left; the rest to the balance; the receipt; a prepayment's bonus; then settles
 * auto-deduct lines from the balance.
 */
async function book(
  trx: Trx,
  ctx: RequestContext | null,
  p: { id: string; companyId: string; communityId: string; roomId: string | null; amountFen: number; balanceKind: BalanceKind | null; timeZone: string; at: Date },
  lines: LockedLine[],
  explicit: ReadonlyArray<{ lineId: string; amountFen: number | null }> | undefined,
  allowLeftover: boolean,
  opts: BookOptions,
) {
  const plan = planPayment(lines, p.amountFen, { explicit, allowLeftover: true });
  if ('problem' in plan) {
    if (plan.problem === 'lineOverpaid') throw new ValidationError(`lines.${plan.index}.amountFen`, 'validation.lineOverpaid', { owed: fenText(plan.owedFen) });
    if (plan.problem === 'linesExceedAmount') throw new ValidationError('amountFen', 'validation.linesExceedAmount', { total: fenText(plan.totalFen) });
    throw new ValidationError('balanceKind', 'validation.overpayNoBalance', { amount: fenText(p.amountFen), due: fenText(plan.dueFen) });
  }
  const userId = ctx?.actor.userId ?? null;
  const src = { companyId: p.companyId, communityId: p.communityId, userId, at: p.at };
  await applyAllocations(trx, src, plan.allocations.map((a) => ({ ...a, paymentId: p.id })));
  // 滞纳金 of what was paid late, then paid from what is left of the money.
  const fees = await chargeLateFees(trx, { paymentId: p.id, lines, allocations: plan.allocations, paidDate: opts.paidDate, at: p.at, waive: opts.waive });
  let leftover = plan.leftoverFen;
  const feeAllocations: Array<{ lineId: string; amountFen: number; paymentId: string }> = [];
  for (const fee of fees) {
    const take = Math.min(leftover, fee.amountFen);
    if (take > 0) feeAllocations.push({ lineId: fee.lineId, amountFen: take, paymentId: p.id });
    leftover -= take;
  }
  await applyAllocations(trx, src, feeAllocations);
  if (leftover > 0 && !allowLeftover) throw new ValidationError('balanceKind', 'validation.overpayNoBalance', { amount: fenText(p.amountFen), due: fenText(p.amountFen - leftover) });
  const kind = p.balanceKind ?? 'general';
  if (leftover > 0) await moveBalance(trx, { ...src, roomId: p.roomId!, kind, reason: 'deposit', paymentId: p.id }, leftover);
  const allocated = p.amountFen - leftover;
  await trx
    .updateTable('payments')
    .set({ status: 'succeeded', allocated_fen: allocated, to_balance_fen: leftover, balance_kind: leftover > 0 ? kind : null, paid_at: p.at, business_date: localDate(p.at, p.timeZone), updated_at: p.at })
    .where('id', '=', p.id)
    .execute();
  const number = await nextReceiptNumber(trx, p.companyId, Number(localDate(p.at, p.timeZone).slice(0, 4)));
  await trx.insertInto('receipts').values({ company_id: p.companyId, community_id: p.communityId, payment_id: p.id, number, amount_fen: p.amountFen, issued_at: p.at }).execute();
  const bonusFen = opts.prepay ? opts.prepay.freeMonths * opts.prepay.monthlyFen : 0;
  if (opts.prepay && bonusFen > 0) {
    await trx
      .insertInto('prepay_bonuses')
      .values({ company_id: p.companyId, community_id: p.communityId, room_id: p.roomId!, item_id: opts.prepay.itemId, payment_id: p.id, months_paid: opts.prepay.months, free_months: opts.prepay.freeMonths, monthly_fen: opts.prepay.monthlyFen, amount_fen: bonusFen, created_by: userId, created_at: p.at, updated_at: p.at })
      .execute();
  }
  if ((leftover > 0 || bonusFen > 0) && p.roomId) await settleRoom(trx, { companyId: p.companyId, roomId: p.roomId, all: false, userId, at: p.at });
  return {
    allocatedFen: allocated,
    toBalanceFen: leftover,
    receiptNo: number,
    lines: plan.allocations.length,
    lateFeesFen: fees.reduce((s, f) => s + f.amountFen, 0),
    ...(opts.waive && { lateFeesWaived: true }),
    ...(bonusFen > 0 && { bonusFen }),
  };
}

export function fenText(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(Math.abs(fen % 100)).padStart(2, '0')}`;
}

/** 柜台收款: cash, POS or transfer taken by a cashier for a room's lines (named, or oldest first). */
export async function counterPay(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: CounterPayInput): Promise<PaymentDetail & { replayed: boolean }> {
  requirePermission(ctx.actor, 'billing.collect');
  const companyId = companyOf(ctx.actor);
  const { idempotencyKey, ...request } = input;
  const hash = hashOf(request);
  const replayed = await replayOf(deps.db, companyId, idempotencyKey, hash);
  if (replayed) return { ...(await getPayment(deps, ctx, replayed)), replayed: true };

  if (!input.roomId && !input.lines?.length) throw new ValidationError('roomId', 'validation.roomOrLines');
  let communityId = input.communityId;
  if (input.roomId) {
    const room = await requireRoom(deps.db, ctx, input.roomId, 'roomId');
    if (communityId && communityId !== room.communityId) throw new ValidationError('communityId', 'validation.roomCommunity');
    communityId = room.communityId;
  }
  if (!communityId) {
    const first = await deps.db.selectFrom('bill_lines').select('community_id').where('id', '=', input.lines![0].lineId).where('company_id', '=', companyId).executeTakeFirst();
    if (!first) throw new ValidationError('lines.0.lineId', 'validation.unknownIds');
    communityId = first.community_id;
  }
  if (!canSeeCommunity(ctx.actor, communityId)) throw new ValidationError('communityId', 'validation.unknownIds');
  const timeZone = await communityZone(deps.db, companyId, communityId);
  if (input.balanceKind && !input.roomId) throw new ValidationError('balanceKind', 'validation.balanceNeedsRoom');
  if (input.waiveLateFee && !can(ctx.actor, 'billing.waive')) throw new ValidationError('waiveLateFee', 'validation.waiveNeedsPermission');
  const waiveReason = input.waiveReason?.trim() ?? '';
  if (input.waiveLateFee && !waiveReason) throw new ValidationError('waiveReason', 'validation.required');
  const today = localDate(new Date(), timeZone);
  let prepay: PrepayQuote | null = null;
  if (input.prepay) {
    if (!input.roomId) throw new ValidationError('roomId', 'validation.required');
    if (input.lines?.length) throw new ValidationError('prepay', 'validation.prepayWithLines');
    prepay = await quotePrepay(deps.db, { companyId, communityId, roomId: input.roomId, itemId: input.prepay.itemId, months: input.prepay.months, today });
    if (input.amountFen !== prepay.amountFen) {
      throw new ValidationError('amountFen', 'validation.prepayAmount', { months: prepay.months, expected: fenText(prepay.amountFen), monthly: fenText(prepay.monthlyFen) });
    }
  }

  const paymentId = await deps.db.transaction().execute(async (trx) => {
    const at = new Date();
    const inserted = await trx
      .insertInto('payments')
      .values({
        company_id: companyId,
        community_id: communityId,
        room_id: input.roomId ?? null,
        trade_no: newTradeNo(at),
        method: input.method,
        channel: 'counter',
        status: 'pending',
        amount_fen: input.amountFen,
        requested_lines: JSON.stringify(input.lines ?? []),
        idempotency_key: idempotencyKey,
        request_hash: hash,
        payer_name: input.payerName ?? null,
        collector_id: ctx.actor.userId,
        reference: input.reference ?? null,
        note: input.note ?? null,
        prepay_item_id: prepay?.itemId ?? null,
        prepay_months: prepay?.months ?? null,
        late_fee_waived: Boolean(input.waiveLateFee),
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.columns(['company_id', 'idempotency_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    // A concurrent request with the same key committed first: answer with its payment.
    if (!inserted) return { id: (await replayOf(trx, companyId, idempotencyKey, hash))!, replay: true };
    const wanted = input.lines?.map((l) => l.lineId);
    // The room's balances before its lines, the order settlements and refunds lock them in (else a deadlock).
    if (input.roomId) await balancesOf(trx, input.roomId, true);
    // A prepayment pays no lines: all of it goes to the item's balance, for the months to come.
    const lines = prepay ? [] : wanted ? await lockLines(trx, companyId, { ids: wanted }) : await lockLines(trx, companyId, { roomId: input.roomId!, openOnly: true });
    if (wanted) checkLines(lines, wanted, communityId, input.roomId ?? null);
    const booked = await book(
      trx,
      ctx,
      { id: inserted.id, companyId, communityId, roomId: input.roomId ?? null, amountFen: input.amountFen, balanceKind: prepay?.balanceKind ?? input.balanceKind ?? null, timeZone, at },
      lines,
      input.lines?.map((l) => ({ lineId: l.lineId, amountFen: l.amountFen ?? null })),
      Boolean(input.balanceKind) || Boolean(prepay),
      {
        paidDate: localDate(at, timeZone),
        waive: input.waiveLateFee ? { userId: ctx.actor.userId!, reason: waiveReason } : null,
        prepay: prepay && { itemId: prepay.itemId, months: prepay.months, freeMonths: prepay.freeMonths, monthlyFen: prepay.monthlyFen },
      },
    );
    await writeAudit(trx, ctx, { action: 'payment.create', entityType: 'payment', entityId: inserted.id, after: { method: input.method, amountFen: input.amountFen, roomId: input.roomId ?? null, ...booked } });
    return { id: inserted.id, replay: false };
  });
  return { ...(await getPayment(deps, ctx, paymentId.id)), replayed: paymentId.replay };
}

/** The owner's lines they may pay: those of their rooms (and the rooms' meters). */
async function ownerRoomIds(deps: Pick<Deps, 'db'>, ctx: RequestContext): Promise<string[]> {
  return (await ownerRooms(deps, ctx)).map((r) => r.id);
}

/** An owner starts paying some of their lines online: a pending payment and the provider's pay link. */
export async function ownerStartPayment(deps: Pick<Deps, 'db' | 'config' | 'log'>, ctx: RequestContext, input: { lineIds: string[]; provider: ProviderName; idempotencyKey: string }) {
  requirePermission(ctx.actor, 'owner.self');
  const companyId = companyOf(ctx.actor);
  const provider = providers(deps.config.payments).get(input.provider);
  if (!provider) throw new ValidationError('provider', 'validation.providerUnavailable', { provider: input.provider });
  const { idempotencyKey, ...request } = input;
  const hash = hashOf(request);
  let paymentId = await replayOf(deps.db, companyId, idempotencyKey, hash);
  if (!paymentId) {
    const roomIds = await ownerRoomIds(deps, ctx);
    const lines = await deps.db
      .selectFrom('bill_lines')
      .select(['id', 'community_id', 'room_id', 'amount_fen', 'paid_fen', 'status', 'kind', 'due_date', 'basis'])
      .where('company_id', '=', companyId)
      .where('id', 'in', input.lineIds)
      .execute();
    const byId = new Map(lines.map((l) => [l.id, l]));
    for (const [i, id] of input.lineIds.entries()) {
      const l = byId.get(id);
      if (!l || !l.room_id || !roomIds.includes(l.room_id)) throw new ValidationError(`lineIds.${i}`, 'validation.unknownIds');
      if (l.status !== 'unpaid' && l.status !== 'partial') throw new ValidationError(`lineIds.${i}`, 'validation.lineNotOpen', { status: l.status });
    }
    if (new Set(input.lineIds).size !== input.lineIds.length) throw new ValidationError('lineIds', 'validation.duplicateIds', { field: 'lineIds' });
    const communities = new Set(lines.map((l) => l.community_id));
    if (communities.size > 1) throw new ValidationError('lineIds', 'validation.oneCommunity');
    const requested: RequestedLine[] = input.lineIds.map((id) => ({ lineId: id, amountFen: byId.get(id)!.amount_fen - byId.get(id)!.paid_fen }));
    const first = byId.get(input.lineIds[0])!;
    const at = new Date();
    // The late fees of overdue lines as of today are part of what the owner pays (book() charges them by this day).
    const today = localDate(at, await communityZone(deps.db, companyId, first.community_id));
    const charged = await chargedLateFees(deps.db, input.lineIds);
    const lateFeesFen = lines.reduce(
      (sum, l) => sum + accruedLateFee({ basis: l.basis, kind: l.kind, status: l.status, dueDate: l.due_date, amountFen: l.amount_fen, paidFen: l.paid_fen, lateFeesChargedFen: charged.get(l.id) ?? 0 }, today),
      0,
    );
    const amount = requested.reduce((s, r) => s + r.amountFen, 0) + lateFeesFen;
    const row = await deps.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('payments')
        .values({
          company_id: companyId,
          community_id: first.community_id,
          room_id: first.room_id,
          trade_no: newTradeNo(at),
          method: input.provider,
          channel: 'owner',
          status: 'pending',
          amount_fen: amount,
          requested_lines: JSON.stringify(requested),
          idempotency_key: idempotencyKey,
          request_hash: hash,
          payer_user_id: ctx.actor.userId,
          payer_name: ctx.actor.displayName,
          created_at: at,
          updated_at: at,
        })
        .onConflict((oc) => oc.columns(['company_id', 'idempotency_key']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) return (await replayOf(trx, companyId, idempotencyKey, hash))!;
      await writeAudit(trx, ctx, { action: 'payment.start', entityType: 'payment', entityId: inserted.id, after: { provider: input.provider, amountFen: amount, lines: requested.length } });
      return inserted.id;
    });
    paymentId = row;
  }
  const payment = await deps.db.selectFrom('payments').select(['id', 'trade_no', 'amount_fen', 'status', 'method', 'payer_user_id']).where('id', '=', paymentId).executeTakeFirstOrThrow();
  if (payment.payer_user_id !== ctx.actor.userId) throw new ConflictError('conflict.idempotencyReuse', {}, { field: 'idempotencyKey' });
  if (payment.status !== 'pending') return { paymentId: payment.id, tradeNo: payment.trade_no, amountFen: payment.amount_fen, status: payment.status, payUrl: null };
  const created = await provider.createPayment({ outTradeNo: payment.trade_no, amountFen: payment.amount_fen, description: '物业缴费', notifyUrl: notifyUrl(deps.config.payments, input.provider) });
  return { paymentId: payment.id, tradeNo: payment.trade_no, amountFen: payment.amount_fen, status: payment.status, payUrl: created.payUrl ?? null, qrCode: created.qrCode ?? null, prepayId: created.prepayId ?? null };
}

export class NotificationRejected extends AppError {
  constructor(reason: string) {
    super(400, 'NOTIFICATION_REJECTED', 'payment.notificationRejected', { reason });
  }
}

/**
 * A provider's notification: verified (a bad signature is recorded, audited and refused), then applied once under
 * a row lock on the payment — a second delivery, or a concurrent one, finds it succeeded and only acknowledges.
 */
export async function handleNotification(deps: Pick<Deps, 'db' | 'config' | 'log'>, providerName: string, headers: Record<string, string | undefined>, rawBody: string, ip: string | null): Promise<{ outcome: 'applied' | 'duplicate'; paymentId: string }> {
  const provider = providers(deps.config.payments).get(providerName as ProviderName);
  if (!provider) throw new NotFoundError('paymentProvider');
  const bodySha = createHash('sha256').update(rawBody).digest('hex');
  const record = (values: { company_id?: string | null; trade_no?: string | null; verified: boolean; outcome: 'applied' | 'duplicate' | 'rejected' | 'failed'; error?: string | null }) =>
    deps.db.insertInto('payment_notifications').values({ provider: providerName, body_sha256: bodySha, ip, company_id: null, trade_no: null, error: null, ...values }).execute();
  let note;
  try {
    note = await provider.parseNotification(headers, rawBody);
  } catch (err) {
    if (!(err instanceof PaymentSignatureError) && !(err instanceof PaymentNotificationError)) throw err;
    const verified = err instanceof PaymentNotificationError;
    await record({ verified, outcome: 'rejected', error: err.message.slice(0, 300) });
    await deps.db.transaction().execute((trx) =>
      writeAudit(trx, null, { action: 'payment.notificationRejected', entityType: 'paymentNotification', companyId: null, after: { provider: providerName, reason: err.message.slice(0, 300), ip } }),
    );
    deps.log.warn({ provider: providerName, reason: err.message, ip }, 'payment notification refused');
    throw new NotificationRejected(err.message);
  }
  const payment = await deps.db.selectFrom('payments').select(['id', 'company_id', 'community_id', 'method']).where('trade_no', '=', note.outTradeNo).executeTakeFirst();
  if (!payment || payment.method !== providerName) {
    await record({ trade_no: note.outTradeNo, verified: true, outcome: 'failed', error: 'unknown trade number' });
    throw new NotificationRejected('unknown trade number');
  }
  const timeZone = await communityZone(deps.db, payment.company_id, payment.community_id);
  const result = await deps.db.transaction().execute(async (trx) => {
    const p = await trx.selectFrom('payments').selectAll().where('id', '=', payment.id).forUpdate().executeTakeFirstOrThrow();
    // Already booked → only acknowledge. A payment we marked closed or failed that the provider now says was paid
    // (the owner paid just as it closed) is booked all the same: the money arrived.
    if (p.status === 'succeeded' || (p.status !== 'pending' && note.status !== 'succeeded')) return { outcome: 'duplicate' as const, error: null };
    if (note.status !== 'succeeded') {
      await trx.updateTable('payments').set({ status: note.status === 'closed' ? 'closed' : 'failed', updated_at: new Date() }).where('id', '=', p.id).execute();
      await writeAudit(trx, null, { action: 'payment.notPaid', entityType: 'payment', entityId: p.id, companyId: p.company_id, after: { status: note.status } });
      return { outcome: 'applied' as const, error: null };
    }
    if (note.amountFen !== p.amount_fen) {
      await writeAudit(trx, null, { action: 'payment.amountMismatch', entityType: 'payment', entityId: p.id, companyId: p.company_id, after: { expected: p.amount_fen, notified: note.amountFen } });
      return { outcome: 'failed' as const, error: `amount ${note.amountFen} ≠ ${p.amount_fen}` };
    }
    // Booked at the moment of applying: allocations, deposit and payment share one instant (the reconciliation relies on it).
    const at = new Date();
    const requested = p.requested_lines as RequestedLine[];
    if (p.room_id) await balancesOf(trx, p.room_id, true);
    const lines = await lockLines(trx, p.company_id, { ids: requested.map((r) => r.lineId) });
    // Lines paid meanwhile (at the counter, by another payment) take less; what is left goes to the balance.
    const byId = new Map(lines.map((l) => [l.id, l]));
    const explicit = requested.filter((r) => (byId.get(r.lineId)?.owedFen ?? 0) > 0).map((r) => ({ lineId: r.lineId, amountFen: Math.min(r.amountFen, byId.get(r.lineId)!.owedFen) }));
    await trx.updateTable('payments').set({ provider_trade_no: note.providerTradeNo }).where('id', '=', p.id).execute();
    // Late fees are judged by the day the owner started paying: the amount they were quoted.
    const booked = await book(trx, null, { id: p.id, companyId: p.company_id, communityId: p.community_id, roomId: p.room_id, amountFen: p.amount_fen, balanceKind: 'general', timeZone, at }, lines, explicit, true, {
      paidDate: localDate(p.created_at, timeZone),
      waive: null,
      prepay: null,
    });
    await writeAudit(trx, null, { action: 'payment.paidOnline', entityType: 'payment', entityId: p.id, companyId: p.company_id, after: { provider: providerName, providerTradeNo: note.providerTradeNo, amountFen: p.amount_fen, ...booked } });
    return { outcome: 'applied' as const, error: null };
  });
  await record({ company_id: payment.company_id, trade_no: note.outTradeNo, verified: true, outcome: result.outcome, error: result.error });
  if (result.outcome === 'failed') throw new NotificationRejected(result.error ?? 'failed');
  return { outcome: result.outcome, paymentId: payment.id };
}

/** The sandbox's "pay" button: the server signs a notification with its own secret and takes the provider's path. */
export async function sandboxConfirm(deps: Pick<Deps, 'db' | 'config' | 'log'>, ctx: RequestContext, paymentId: string, outcome: 'succeeded' | 'closed' = 'succeeded') {
  requirePermission(ctx.actor, 'owner.self');
  const p = await deps.db.selectFrom('payments').select(['id', 'trade_no', 'amount_fen', 'method', 'payer_user_id', 'status']).where('id', '=', paymentId).where('company_id', '=', companyOf(ctx.actor)).executeTakeFirst();
  if (!p || p.payer_user_id !== ctx.actor.userId) throw new NotFoundError('payment');
  if (p.method !== 'sandbox') throw new ValidationError('paymentId', 'validation.notSandbox');
  if (!deps.config.payments.sandbox) throw new NotFoundError('paymentProvider');
  const body = JSON.stringify({ outTradeNo: p.trade_no, providerTradeNo: `SBX${p.trade_no.slice(2)}`, amountFen: p.amount_fen, paidAt: new Date().toISOString(), status: outcome });
  const signature = signSandboxNotification(deps.config.payments.sandboxSecret, body);
  await handleNotification(deps, 'sandbox', { [SANDBOX_SIGNATURE_HEADER]: signature }, body, null);
  return getPayment(deps, ctx, p.id);
}

/** 预存款抵扣: settles a room's open lines from its balances (every item, not only automatic ones). */
export async function settleFromBalance(deps: Pick<Deps, 'db'>, ctx: RequestContext, roomId: string): Promise<{ settledFen: number }> {
  requirePermission(ctx.actor, 'billing.collect');
  const companyId = companyOf(ctx.actor);
  await requireRoom(deps.db, ctx, roomId);
  const settled = await deps.db.transaction().execute(async (trx) => {
    const total = await settleRoom(trx, { companyId, roomId, all: true, userId: ctx.actor.userId, at: new Date() });
    if (total > 0) await writeAudit(trx, ctx, { action: 'balance.settle', entityType: 'room', entityId: roomId, after: { settledFen: total } });
    return total;
  });
  return { settledFen: settled };
}

/** After a bill run: rooms of the community with a balance settle their new automatic-deduction lines. */
export async function settleCommunity(db: Deps['db'], companyId: string, communityId: string): Promise<number> {
  const rooms = await db
    .selectFrom('prepaid_balances')
    .select('room_id')
    .where('company_id', '=', companyId)
    .where('community_id', '=', communityId)
    .where('balance_fen', '>', 0)
    .union(
      db
        .selectFrom('prepay_bonuses')
        .select('room_id')
        .where('company_id', '=', companyId)
        .where('community_id', '=', communityId)
        .where(sql<boolean>`used_fen + forfeited_fen < amount_fen`),
    )
    .execute();
  let total = 0;
  for (const { room_id } of rooms) {
    total += await db.transaction().execute((trx) => settleRoom(trx, { companyId, roomId: room_id, all: false, userId: null, at: new Date() }));
  }
  return total;
}
