import type { BalanceKind } from '../../db/schema-payments.ts';

/**
 * How money meets bills, as pure functions (table-driven tests in allocation.test.ts):
 * - a payment pays the lines it names (an amount each, or what each owes), or the oldest lines first, and the rest
 *   goes to a prepaid balance;
 * - prepaid balances settle lines: the line's own kind first (物业费 → property, 水电 → utilities), then general;
 * - a refund comes first from what of the payment is still in the prepaid balance, then from its allocations, newest
 *   first.
 * Amounts are integer 分 throughout.
 */

export interface OpenLine {
  id: string;
  owedFen: number;
  dueDate: string;
  periodStart: string;
  balanceKind: BalanceKind;
  autoDeduct?: boolean;
}

export interface Allocation {
  lineId: string;
  amountFen: number;
}

export type AllocationProblem =
  | { problem: 'lineOverpaid'; index: number; owedFen: number }
  | { problem: 'linesExceedAmount'; totalFen: number }
  | { problem: 'overpayNoBalance'; dueFen: number };

/** Oldest due first, then the period, then the id: the order arrears are paid off in. */
export function byAge<T extends { dueDate: string; periodStart: string; id: string }>(a: T, b: T): number {
  return a.dueDate.localeCompare(b.dueDate) || a.periodStart.localeCompare(b.periodStart) || a.id.localeCompare(b.id);
}

/**
 * Splits `amountFen` over `lines`. With `explicit` (line id → amount, or null for "what it owes") only the named
 * lines are paid, each at most what it owes; otherwise the lines are paid oldest first until the money runs out.
 * What is left over needs a balance kind; `allowLeftover` says whether one was given.
 */
export function planPayment(
  lines: readonly OpenLine[],
  amountFen: number,
  opts: { explicit?: ReadonlyArray<{ lineId: string; amountFen: number | null }>; allowLeftover: boolean },
): { allocations: Allocation[]; leftoverFen: number } | AllocationProblem {
  const allocations: Allocation[] = [];
  let remaining = amountFen;
  if (opts.explicit) {
    const byId = new Map(lines.map((l) => [l.id, l]));
    let total = 0;
    for (const [index, want] of opts.explicit.entries()) {
      const line = byId.get(want.lineId)!;
      const amount = want.amountFen ?? line.owedFen;
      if (amount > line.owedFen) return { problem: 'lineOverpaid', index, owedFen: line.owedFen };
      total += amount;
      allocations.push({ lineId: line.id, amountFen: amount });
    }
    if (total > amountFen) return { problem: 'linesExceedAmount', totalFen: total };
    remaining = amountFen - total;
  } else {
    for (const line of [...lines].sort(byAge)) {
      if (remaining === 0) break;
      const amount = Math.min(remaining, line.owedFen);
      if (amount > 0) allocations.push({ lineId: line.id, amountFen: amount });
      remaining -= amount;
    }
  }
  if (remaining > 0 && !opts.allowLeftover) return { problem: 'overpayNoBalance', dueFen: amountFen - remaining };
  return { allocations: allocations.filter((a) => a.amountFen > 0), leftoverFen: remaining };
}

/**
 * Settles open lines from a room's balances, oldest first: each line from its own kind, then from general; a line
 * is paid in part when the balances do not cover it. Returns what to take from which balance.
 */
export function planSettlement(lines: readonly OpenLine[], balances: Readonly<Record<BalanceKind, number>>): Array<Allocation & { kind: BalanceKind }> {
  const left: Record<BalanceKind, number> = { ...balances };
  const out: Array<Allocation & { kind: BalanceKind }> = [];
  for (const line of [...lines].sort(byAge)) {
    let owed = line.owedFen;
    const kinds: BalanceKind[] = line.balanceKind === 'general' ? ['general'] : [line.balanceKind, 'general'];
    for (const kind of kinds) {
      const take = Math.min(owed, left[kind]);
      if (take > 0) {
        out.push({ lineId: line.id, kind, amountFen: take });
        left[kind] -= take;
        owed -= take;
      }
    }
  }
  return out;
}

/** 预交优惠: free months a prepayment earned, as a credit for its item's lines. */
export interface BonusCredit {
  id: string;
  itemId: string;
  remainingFen: number;
}

/**
 * Settles what cash did not: each charge line of a bonus's item, oldest first, from that item's bonuses, oldest
 * first. A bonus pays nothing else — not another item, not a late fee.
 */
export function planBonus(lines: ReadonlyArray<OpenLine & { itemId: string; kind: string }>, bonuses: readonly BonusCredit[]): Array<Allocation & { bonusId: string }> {
  const left = new Map(bonuses.map((b) => [b.id, b.remainingFen]));
  const out: Array<Allocation & { bonusId: string }> = [];
  for (const line of [...lines].sort(byAge)) {
    if (line.kind !== 'charge') continue;
    let owed = line.owedFen;
    for (const b of bonuses) {
      if (owed <= 0) break;
      if (b.itemId !== line.itemId) continue;
      const take = Math.min(owed, left.get(b.id)!);
      if (take > 0) {
        out.push({ lineId: line.id, bonusId: b.id, amountFen: take });
        left.set(b.id, left.get(b.id)! - take);
        owed -= take;
      }
    }
  }
  return out;
}

export interface RefundSources {
  /** What of the payment went to the prepaid balance and has not been refunded yet. */
  unrefundedDepositFen: number;
  /** The room's current balance of the payment's balance kind. */
  balanceFen: number;
  /** The payment's net allocations per line (after earlier refunds), newest allocation first. */
  allocations: ReadonlyArray<Allocation>;
}

/**
 * Where a refund of `amountFen` comes from: first the payment's deposit still in the balance (at most the current
 * balance, which later settlements may have spent), then its line allocations, newest first. Returns null when the
 * payment no longer has that much to give back.
 */
export function planRefund(amountFen: number, src: RefundSources): { fromBalanceFen: number; reversals: Allocation[] } | null {
  const fromBalanceFen = Math.min(amountFen, src.unrefundedDepositFen, src.balanceFen);
  let remaining = amountFen - fromBalanceFen;
  const reversals: Allocation[] = [];
  for (const a of src.allocations) {
    if (remaining === 0) break;
    const take = Math.min(remaining, a.amountFen);
    if (take > 0) reversals.push({ lineId: a.lineId, amountFen: take });
    remaining -= take;
  }
  return remaining > 0 ? null : { fromBalanceFen, reversals };
}

/** A line's new status from its amount and what is paid. */
export function lineStatus(amountFen: number, paidFen: number): 'unpaid' | 'partial' | 'paid' {
  return paidFen === 0 ? 'unpaid' : paidFen >= amountFen ? 'paid' : 'partial';
}

/** The balance kind an item is paid from when nothing is said: 物业费 → property; metered and 公摊 → utilities. */
export function defaultBalanceKind(kind: string): BalanceKind {
  if (kind === 'property') return 'property';
  if (kind === 'water' || kind === 'electricity' || kind === 'gas' || kind === 'shared') return 'utilities';
  return 'general';
}
