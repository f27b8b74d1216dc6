import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { BalanceKind } from '../../db/schema-payments.ts';
import { type Allocation, type BonusCredit, type OpenLine, planBonus, planSettlement } from './allocation.ts';
import type { LateFeeTerms } from './late-fees.ts';

/**
 * The money primitives, each inside the caller's transaction: lock lines, apply allocations (and their reversals),
 * move a prepaid balance with its ledger entry, settle from balances, number a receipt. Every write of a payment,
 * a settlement or a refund goes through these, so the invariants of migration 0012 hold by construction.
 */

type Trx = Transaction<DB>;

export const BALANCE_KINDS: readonly BalanceKind[] = ['general', 'property', 'utilities'];

export interface LockedLine extends OpenLine {
  companyId: string;
  itemId: string;
  kind: 'charge' | 'lateFee';
  /** The late-fee terms recorded when it was billed (null: none). */
  lateFee: LateFeeTerms | null;
  communityId: string;
  roomId: string | null;
  parkingSpaceId: string | null;
  amountFen: number;
  paidFen: number;
  status: string;
}

/** Locks the given lines (in id order, so two payments never deadlock) and returns them as the company sees them. */
export async function lockLines(trx: Trx, companyId: string, where: { ids: readonly string[] } | { roomId: string; openOnly: true; autoDeductOnly?: boolean }): Promise<LockedLine[]> {
  let q = trx
    .selectFrom('bill_lines as l')
    .innerJoin('fee_items as i', 'i.id', 'l.item_id')
    .select(['l.id', 'l.company_id', 'l.community_id', 'l.room_id', 'l.parking_space_id', 'l.amount_fen', 'l.paid_fen', 'l.status', 'l.due_date', 'l.period_start', 'l.item_id', 'l.kind', 'i.balance_kind', 'i.auto_deduct'])
    .select([sql<Record<string, unknown> | null>`l.basis->'lateFee'`.as('late_fee'), sql<string | null>`l.basis->>'rounding'`.as('rounding')])
    .where('l.company_id', '=', companyId);
  if ('ids' in where) {
    if (!where.ids.length) return [];
    q = q.where('l.id', 'in', [...where.ids]);
  } else {
    q = q.where('l.room_id', '=', where.roomId).where('l.status', 'in', ['unpaid', 'partial']);
    if (where.autoDeductOnly) q = q.where('i.auto_deduct', '=', true);
  }
  const rows = await q.orderBy('l.id').forUpdate(['l']).execute();
  return rows.map((r) => ({
    id: r.id,
    companyId: r.company_id,
    itemId: r.item_id,
    kind: r.kind,
    lateFee: r.kind === 'charge' && r.late_fee ? ({ ...(r.late_fee as object), rounding: (r.rounding ?? 'halfUp') as LateFeeTerms['rounding'] } as LateFeeTerms) : null,
    communityId: r.community_id,
    roomId: r.room_id,
    parkingSpaceId: r.parking_space_id,
    amountFen: r.amount_fen,
    paidFen: r.paid_fen,
    owedFen: r.status === 'revoked' ? 0 : r.amount_fen - r.paid_fen,
    status: r.status,
    dueDate: r.due_date,
    periodStart: r.period_start,
    balanceKind: r.balance_kind,
    autoDeduct: r.auto_deduct,
  }));
}

export interface AllocationSource {
  companyId: string;
  communityId: string;
  userId: string | null;
  at: Date;
  refundId?: string | null;
}

/**
 * Writes allocations (positive: money applied; negative: a refund's reversal) and moves each line's paid amount and
 * status in one statement. The table's CHECKs refuse a line paid beyond its amount or below zero.
 */
export async function applyAllocations(
  trx: Trx,
  src: AllocationSource,
  rows: ReadonlyArray<Allocation & ({ paymentId: string; kind?: undefined; bonusId?: undefined } | { kind: BalanceKind; paymentId?: undefined; bonusId?: undefined } | { bonusId: string; paymentId?: undefined; kind?: undefined })>,
): Promise<void> {
  const live = rows.filter((r) => r.amountFen !== 0);
  if (!live.length) return;
  await trx
    .insertInto('payment_allocations')
    .values(
      live.map((r) => ({
        company_id: src.companyId,
        community_id: src.communityId,
        bill_line_id: r.lineId,
        source: r.paymentId ? ('payment' as const) : r.bonusId ? ('bonus' as const) : ('balance' as const),
        payment_id: r.paymentId ?? null,
        bonus_id: r.bonusId ?? null,
        balance_kind: r.kind ?? null,
        refund_id: src.refundId ?? null,
        amount_fen: r.amountFen,
        created_by: src.userId,
        created_at: src.at,
      })),
    )
    .execute();
  const perLine = new Map<string, number>();
  for (const r of live) perLine.set(r.lineId, (perLine.get(r.lineId) ?? 0) + r.amountFen);
  const values = sql.join([...perLine].map(([id, amount]) => sql`(${id}::uuid, ${amount}::bigint)`));
  await sql`
    UPDATE bill_lines AS l
       SET paid_fen = l.paid_fen + v.amount,
           status = CASE WHEN l.paid_fen + v.amount = 0 THEN 'unpaid' WHEN l.paid_fen + v.amount >= l.amount_fen THEN 'paid' ELSE 'partial' END,
           updated_at = ${src.at}
      FROM (VALUES ${values}) AS v(id, amount)
     WHERE l.id = v.id AND l.company_id = ${src.companyId}`.execute(trx);
}

/** Adds `deltaFen` (negative: takes) to a room's balance of a kind and writes the ledger entry; returns the new balance. */
export async function moveBalance(
  trx: Trx,
  src: AllocationSource & { roomId: string; kind: BalanceKind; reason: 'deposit' | 'settlement' | 'refund'; paymentId?: string | null; lineId?: string | null },
  deltaFen: number,
): Promise<number> {
  if (deltaFen === 0) return (await balancesOf(trx, src.roomId))[src.kind];
  // A take updates the existing row (the CHECK refuses going below zero); a deposit creates the row if needed —
  // PostgreSQL checks the proposed row of an upsert before the conflict, so a negative upsert would always fail.
  const row =
    deltaFen < 0
      ? await trx
          .updateTable('prepaid_balances')
          .set({ balance_fen: sql`balance_fen + ${deltaFen}`, updated_at: src.at })
          .where('room_id', '=', src.roomId)
          .where('kind', '=', src.kind)
          .returning('balance_fen')
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto('prepaid_balances')
          .values({ room_id: src.roomId, kind: src.kind, company_id: src.companyId, community_id: src.communityId, balance_fen: deltaFen, updated_at: src.at })
          .onConflict((oc) => oc.columns(['room_id', 'kind']).doUpdateSet({ balance_fen: sql`prepaid_balances.balance_fen + ${deltaFen}`, updated_at: src.at }))
          .returning('balance_fen')
          .executeTakeFirstOrThrow();
  await trx
    .insertInto('balance_entries')
    .values({
      company_id: src.companyId,
      community_id: src.communityId,
      room_id: src.roomId,
      kind: src.kind,
      delta_fen: deltaFen,
      balance_after_fen: row.balance_fen,
      reason: src.reason,
      payment_id: src.paymentId ?? null,
      refund_id: src.refundId ?? null,
      bill_line_id: src.lineId ?? null,
      created_by: src.userId,
      created_at: src.at,
    })
    .execute();
  return row.balance_fen;
}

export async function balancesOf(db: Trx | import('kysely').Kysely<DB>, roomId: string, lock = false): Promise<Record<BalanceKind, number>> {
  let q = db.selectFrom('prepaid_balances').select(['kind', 'balance_fen']).where('room_id', '=', roomId);
  if (lock) q = q.orderBy('kind').forUpdate();
  const rows = await q.execute();
  // The room's prepayment bonuses are locked with its balances: every path that moves a room's money takes both
  // first, in this order, so none waits on another in the opposite order.
  if (lock) await db.selectFrom('prepay_bonuses').select('id').where('room_id', '=', roomId).orderBy('id').forUpdate().execute();
  const out: Record<BalanceKind, number> = { general: 0, property: 0, utilities: 0 };
  for (const r of rows) out[r.kind] = r.balance_fen;
  return out;
}

/**
 * Settles a room's open lines from its prepaid balances (only items that allow automatic deduction, unless
 * `all`): the room's balances are locked first, then its lines, so a concurrent payment waits. Returns the total.
 */
export async function settleRoom(trx: Trx, args: { companyId: string; roomId: string; all: boolean; userId: string | null; at: Date }): Promise<number> {
  const balances = await balancesOf(trx, args.roomId, true);
  const bonuses = await openBonuses(trx, args.roomId);
  if (balances.general + balances.property + balances.utilities === 0 && !bonuses.length) return 0;
  const lines = await lockLines(trx, args.companyId, { roomId: args.roomId, openOnly: true, autoDeductOnly: !args.all });
  if (!lines.length) return 0;
  // Cash first (the room's balances), then the free months of a prepayment for what of its item is still owed.
  const plan = planSettlement(lines, balances);
  const paidByCash = new Map<string, number>();
  for (const p of plan) paidByCash.set(p.lineId, (paidByCash.get(p.lineId) ?? 0) + p.amountFen);
  const fromBonus = bonuses.length ? planBonus(lines.map((l) => ({ ...l, owedFen: l.owedFen - (paidByCash.get(l.id) ?? 0) })), bonuses) : [];
  if (!plan.length && !fromBonus.length) return 0;
  const communityId = lines[0].communityId;
  const src = { companyId: args.companyId, communityId, userId: args.userId, at: args.at };
  await applyAllocations(trx, src, [...plan.map((p) => ({ lineId: p.lineId, amountFen: p.amountFen, kind: p.kind })), ...fromBonus.map((b) => ({ lineId: b.lineId, amountFen: b.amountFen, bonusId: b.bonusId }))]);
  for (const p of plan) await moveBalance(trx, { ...src, roomId: args.roomId, kind: p.kind, reason: 'settlement', lineId: p.lineId }, -p.amountFen);
  const usedByBonus = new Map<string, number>();
  for (const b of fromBonus) usedByBonus.set(b.bonusId, (usedByBonus.get(b.bonusId) ?? 0) + b.amountFen);
  for (const [id, used] of usedByBonus) {
    await trx.updateTable('prepay_bonuses').set({ used_fen: sql`used_fen + ${used}`, updated_at: args.at }).where('id', '=', id).execute();
  }
  return [...plan, ...fromBonus].reduce((s, p) => s + p.amountFen, 0);
}

/** A room's prepayment bonuses with something left, oldest first (the caller holds the room's lock). */
export async function openBonuses(trx: Trx, roomId: string): Promise<BonusCredit[]> {
  const rows = await trx
    .selectFrom('prepay_bonuses')
    .select(['id', 'item_id', 'amount_fen', 'used_fen', 'forfeited_fen'])
    .where('room_id', '=', roomId)
    .where(sql<boolean>`used_fen + forfeited_fen < amount_fen`)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, itemId: r.item_id, remainingFen: r.amount_fen - r.used_fen - r.forfeited_fen }));
}

/** The next receipt number of a company for a year, without gaps: SJ2026-000001. */
export async function nextReceiptNumber(trx: Trx, companyId: string, year: number): Promise<string> {
  const row = await trx
    .insertInto('receipt_counters')
    .values({ company_id: companyId, year, last: 1 })
    .onConflict((oc) => oc.columns(['company_id', 'year']).doUpdateSet({ last: sql`receipt_counters.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return `SJ${year}-${String(row.last).padStart(6, '0')}`;
}
