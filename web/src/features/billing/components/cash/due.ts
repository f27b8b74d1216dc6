/**
 * What a counter payment of some open lines comes to: what they owe, and the 滞纳金 paying them today adds (the
 * server charges `lateFeeAccruedFen` on each overdue charge it pays in full and takes it from what is left of the
 * money). With the late fee waived the amount due is what they owe. Pure; tested in due.test.ts.
 */
export interface DueLine {
  amountFen: number;
  paidFen: number;
  lateFeeAccruedFen: number;
}

export interface Due {
  /** What the lines still owe (late-fee lines already charged included). */
  owedFen: number;
  /** The late fees paying them today adds, 0 when waived. */
  lateFeeFen: number;
  /** The late fees waived by the cashier (what `lateFeeFen` would have been). */
  waivedFen: number;
  /** owed + late fees: the amount that pays the lines off. */
  dueFen: number;
}

export function amountDue(lines: readonly DueLine[], waive = false): Due {
  const owedFen = lines.reduce((s, l) => s + l.amountFen - l.paidFen, 0);
  const accrued = lines.reduce((s, l) => s + l.lateFeeAccruedFen, 0);
  const lateFeeFen = waive ? 0 : accrued;
  return { owedFen, lateFeeFen, waivedFen: waive ? accrued : 0, dueFen: owedFen + lateFeeFen };
}

/**
 * A prepayment quote's 赠送 in plain words' parts: the bonus months and their worth, null when `months` earns none
 * (fewer than the rule's pay months). `nextAt` is the smallest number of months that would earn one, for the hint.
 */
export function prepayHint(q: { months: number; freeMonths: number; bonusFen: number; rule: { payMonths: number; freeMonths: number } }): { earned: boolean; nextAt: number } {
  const per = Math.max(1, q.rule.payMonths);
  return { earned: q.freeMonths > 0, nextAt: (Math.floor(q.months / per) + 1) * per };
}

/** A late fee the cashier's manager may still waive: charged, owed, nothing of it paid (the server's rule). */
export function waivable(l: { kind: 'charge' | 'lateFee'; status: string; paidFen: number }): boolean {
  return l.kind === 'lateFee' && l.status === 'unpaid' && l.paidFen === 0;
}

/** The days a per-day late fee charged: from the end of the grace period to the day paid (the server's count). */
export function lateFeeDays(dueDate: string, paidDate: string, graceDays: number): number {
  const day = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;
  return Math.max(0, day(paidDate) - day(dueDate) - graceDays);
}
