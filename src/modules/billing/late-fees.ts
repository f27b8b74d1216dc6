import type { LateFeeRow, RoundingRule } from '../../db/schema-billing.ts';
import { lateFee } from './rules.ts';

/**
 * 滞纳金 as money meets an overdue line (pure; table-driven tests in late-fees.test.ts). The terms are those recorded
 * in the line's basis when it was billed (`basis.lateFee`, `basis.rounding`), so a later change to the item does not
 * reach back. Two forms:
 * - per day (‰ of the principal a day after the grace period): charged on each amount paid late, for the days it was
 *   late — partial payments add up to exactly the daily accrual on what was owed;
 * - per month begun after the grace period (a fixed amount): the months begun by the date paid, less what earlier
 *   payments of the line were already charged.
 * Either way the line's late fees never pass `capFen`. Waived fees count as charged (a waiver is not undone by the
 * next payment); fees revoked because their payment was refunded do not.
 */

export interface LateFeeTerms extends Omit<LateFeeRow, 'capFen'> {
  capFen?: number | null;
  rounding: RoundingRule;
}

/** The terms recorded in a charge line's basis, or null when its item had no late fee. */
export function termsOf(basis: Record<string, unknown> | null | undefined): LateFeeTerms | null {
  const lf = basis?.lateFee as LateFeeRow | undefined;
  if (!lf || typeof lf !== 'object') return null;
  const rounding = (basis?.rounding as RoundingRule | undefined) ?? 'halfUp';
  return { ...lf, rounding };
}

export interface LateFeeInput {
  terms: LateFeeTerms;
  dueDate: string;
  /** The business date the money is paid (the payment's date in the community's zone). */
  paidDate: string;
  /** What this payment puts on the line. */
  paidFen: number;
  /** The line's whole amount (the per-month form charges by the line, not by the payment). */
  lineAmountFen: number;
  /** Late fees already charged on the line (live or waived). */
  alreadyChargedFen: number;
}

/** The late fee a payment of `paidFen` on the line owes now; 0 when on time or within the grace period. */
export function lateFeeOnPayment(i: LateFeeInput): number {
  if (i.paidFen <= 0) return 0;
  const { terms } = i;
  const common = { dueDate: i.dueDate, paidDate: i.paidDate, graceDays: terms.graceDays };
  let fee: number;
  if (terms.perDayPermille !== undefined && terms.perDayPermille !== null) {
    fee = lateFee({ ...common, principalFen: i.paidFen, ratePerDayPermille: terms.perDayPermille, rounding: terms.rounding });
  } else {
    fee = Math.max(0, lateFee({ ...common, principalFen: i.lineAmountFen, perMonthFen: terms.perMonthFen! }) - i.alreadyChargedFen);
  }
  if (terms.capFen !== undefined && terms.capFen !== null) fee = Math.min(fee, Math.max(0, terms.capFen - i.alreadyChargedFen));
  return fee;
}

/** What paying everything a line owes on `paidDate` would add in late fees — the figure shown before paying. */
export function accruedLateFee(line: { basis: Record<string, unknown> | null; kind: string; status: string; dueDate: string; amountFen: number; paidFen: number; lateFeesChargedFen: number }, paidDate: string): number {
  if (line.kind !== 'charge' || (line.status !== 'unpaid' && line.status !== 'partial')) return 0;
  const terms = termsOf(line.basis);
  if (!terms) return 0;
  return lateFeeOnPayment({ terms, dueDate: line.dueDate, paidDate, paidFen: line.amountFen - line.paidFen, lineAmountFen: line.amountFen, alreadyChargedFen: line.lateFeesChargedFen });
}

/** The basis recorded on a late-fee line: how it was computed. */
export function lateFeeBasis(i: LateFeeInput & { sourceLineId: string; feeFen: number }): Record<string, unknown> {
  return {
    kind: 'lateFee',
    sourceLineId: i.sourceLineId,
    dueDate: i.dueDate,
    paidDate: i.paidDate,
    graceDays: i.terms.graceDays,
    ...(i.terms.perDayPermille ? { perDayPermille: i.terms.perDayPermille, principalFen: i.paidFen, rounding: i.terms.rounding } : { perMonthFen: i.terms.perMonthFen, alreadyChargedFen: i.alreadyChargedFen }),
    ...(i.terms.capFen ? { capFen: i.terms.capFen } : {}),
    feeFen: i.feeFen,
  };
}
