import { sql, type Transaction } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type RequestContext, canSeeCommunity, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import type { DB } from '../../db/schema.ts';
import type { Allocation } from './allocation.ts';
import { lateFeeBasis, lateFeeOnPayment } from './late-fees.ts';
import type { LockedLine } from './ledger.ts';

type Trx = Transaction<DB>;

/**
 * 滞纳金 in the ledger: a payment that pays overdue charges charges their late fees as lines of kind 'lateFee', one
 * per (line, payment), copied from the overdue line (item, room, period) so arrears and receipts show them with it.
 * A waived fee is written revoked with who waived it and why — the waiver stays on the record.
 */

/** Late fees already charged per line: live ones and waived ones (not those revoked by a refund). */
export async function chargedLateFees(db: Trx | Deps['db'], lineIds: readonly string[]): Promise<Map<string, number>> {
  if (!lineIds.length) return new Map();
  const rows = await db
    .selectFrom('bill_lines')
    .select(['source_line_id', sql<number>`sum(amount_fen)::bigint`.as('fen')])
    .where('kind', '=', 'lateFee')
    .where('source_line_id', 'in', [...lineIds])
    .where((eb) => eb.or([eb('status', '<>', 'revoked'), eb('waived_by', 'is not', null)]))
    .groupBy('source_line_id')
    .execute();
  return new Map(rows.map((r) => [r.source_line_id!, Number(r.fen)]));
}

export interface ChargedLateFee {
  lineId: string;
  sourceLineId: string;
  amountFen: number;
}

/**
 * Charges the late fees a payment owes for its allocations to overdue charge lines, paid on `paidDate`. With
 * `waive` the fees are written waived (revoked) and nothing is owed. Returns the live (owed) late-fee lines.
 */
export async function chargeLateFees(
  trx: Trx,
  args: { paymentId: string; lines: readonly LockedLine[]; allocations: readonly Allocation[]; paidDate: string; at: Date; waive: { userId: string; reason: string } | null },
): Promise<ChargedLateFee[]> {
  const byId = new Map(args.lines.map((l) => [l.id, l]));
  const candidates = args.allocations.filter((a) => a.amountFen > 0 && byId.get(a.lineId)?.lateFee);
  if (!candidates.length) return [];
  const already = await chargedLateFees(trx, candidates.map((a) => a.lineId));
  const out: ChargedLateFee[] = [];
  for (const a of candidates) {
    const line = byId.get(a.lineId)!;
    const input = { terms: line.lateFee!, dueDate: line.dueDate, paidDate: args.paidDate, paidFen: a.amountFen, lineAmountFen: line.amountFen, alreadyChargedFen: already.get(line.id) ?? 0 };
    const feeFen = lateFeeOnPayment(input);
    if (feeFen <= 0) continue;
    const basis = JSON.stringify(lateFeeBasis({ ...input, sourceLineId: line.id, feeFen }));
    const waived = args.waive;
    const row = await sql<{ id: string }>`
      INSERT INTO bill_lines (company_id, community_id, run_id, item_id, kind, source_line_id, charged_by_payment_id, target_kind, target_id,
                              building_id, room_id, parking_space_id, meter_id, reading_id, period_key, period_start, period_end,
                              amount_fen, paid_fen, status, due_date, basis, created_at, updated_at, revoked_at, waived_by, waive_reason)
      SELECT company_id, community_id, NULL, item_id, 'lateFee', id, ${args.paymentId}::uuid, target_kind, target_id,
             building_id, room_id, parking_space_id, meter_id, NULL, period_key, period_start, period_end,
             ${feeFen}::bigint, 0, ${waived ? 'revoked' : 'unpaid'}, ${args.paidDate}::date, ${basis}::jsonb, ${args.at}, ${args.at},
             ${waived ? args.at : null}, ${waived?.userId ?? null}::uuid, ${waived?.reason ?? null}
        FROM bill_lines WHERE id = ${line.id}::uuid
      RETURNING id`.execute(trx);
    if (!waived) out.push({ lineId: row.rows[0].id, sourceLineId: line.id, amountFen: feeFen });
  }
  return out;
}

/** After a refund: the late fees its payment charged that are now wholly unpaid are no longer owed. */
export async function revokeRefundedLateFees(trx: Trx, paymentId: string, at: Date): Promise<number> {
  const res = await trx
    .updateTable('bill_lines')
    .set({ status: 'revoked', revoked_at: at, updated_at: at })
    .where('kind', '=', 'lateFee')
    .where('charged_by_payment_id', '=', paymentId)
    .where('status', '=', 'unpaid')
    .where('paid_fen', '=', 0)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** 减免滞纳金: a manager waives an unpaid late fee; it stays on record, revoked, with the reason. */
export async function waiveLateFee(deps: Pick<Deps, 'db'>, ctx: RequestContext, lineId: string, input: { reason: string }) {
  requirePermission(ctx.actor, 'billing.waive');
  const companyId = companyOf(ctx.actor);
  const reason = input.reason.trim();
  if (!reason) throw new ValidationError('reason', 'validation.required');
  return deps.db.transaction().execute(async (trx) => {
    const line = await trx.selectFrom('bill_lines').select(['id', 'community_id', 'kind', 'status', 'paid_fen', 'amount_fen', 'source_line_id']).where('id', '=', lineId).where('company_id', '=', companyId).forUpdate().executeTakeFirst();
    if (!line || !canSeeCommunity(ctx.actor, line.community_id)) throw new NotFoundError('billLine');
    if (line.kind !== 'lateFee') throw new ConflictError('conflict.notLateFee');
    if (line.status !== 'unpaid' || line.paid_fen !== 0) throw new ConflictError('conflict.lateFeeNotWaivable', { status: line.status });
    const at = new Date();
    await trx.updateTable('bill_lines').set({ status: 'revoked', revoked_at: at, updated_at: at, waived_by: ctx.actor.userId, waive_reason: reason }).where('id', '=', line.id).execute();
    await writeAudit(trx, ctx, { action: 'billLine.waiveLateFee', entityType: 'billLine', entityId: line.id, before: { status: line.status, amountFen: line.amount_fen }, after: { status: 'revoked', reason, sourceLineId: line.source_line_id } });
    return { id: line.id, status: 'revoked' as const, waivedFen: line.amount_fen };
  });
}
