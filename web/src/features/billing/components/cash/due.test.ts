import { describe, expect, it } from 'vitest';
import { amountDue, lateFeeDays, prepayHint, waivable } from './due.ts';

describe('amountDue', () => {
  const overdue = { amountFen: 30000, paidFen: 0, lateFeeAccruedFen: 540 };
  const partlyPaid = { amountFen: 30000, paidFen: 10000, lateFeeAccruedFen: 360 };
  const current = { amountFen: 12000, paidFen: 0, lateFeeAccruedFen: 0 };
  const chargedFee = { amountFen: 270, paidFen: 0, lateFeeAccruedFen: 0 };
  it.each([
    { name: 'nothing chosen', lines: [], waive: false, want: { owedFen: 0, lateFeeFen: 0, waivedFen: 0, dueFen: 0 } },
    { name: 'a bill not yet late', lines: [current], waive: false, want: { owedFen: 12000, lateFeeFen: 0, waivedFen: 0, dueFen: 12000 } },
    { name: 'overdue bills add their late fees', lines: [overdue, partlyPaid, current], waive: false, want: { owedFen: 62000, lateFeeFen: 900, waivedFen: 0, dueFen: 62900 } },
    { name: 'a late fee already charged is owed like a bill', lines: [chargedFee, current], waive: false, want: { owedFen: 12270, lateFeeFen: 0, waivedFen: 0, dueFen: 12270 } },
    { name: 'waived: the late fees leave the amount due', lines: [overdue, partlyPaid], waive: true, want: { owedFen: 50000, lateFeeFen: 0, waivedFen: 900, dueFen: 50000 } },
    { name: 'waiving with no late fee changes nothing', lines: [current], waive: true, want: { owedFen: 12000, lateFeeFen: 0, waivedFen: 0, dueFen: 12000 } },
  ])('$name', ({ lines, waive, want }) => {
    expect(amountDue(lines, waive)).toEqual(want);
  });
});

describe('prepayHint', () => {
  const rule = { payMonths: 12, freeMonths: 1 };
  it.each([
    { months: 1, freeMonths: 0, want: { earned: false, nextAt: 12 } },
    { months: 11, freeMonths: 0, want: { earned: false, nextAt: 12 } },
    { months: 12, freeMonths: 1, want: { earned: true, nextAt: 24 } },
    { months: 30, freeMonths: 2, want: { earned: true, nextAt: 36 } },
  ])('$months months', ({ months, freeMonths, want }) => {
    expect(prepayHint({ months, freeMonths, bonusFen: 0, rule })).toEqual(want);
  });
});

describe('waivable', () => {
  it.each([
    { kind: 'lateFee' as const, status: 'unpaid', paidFen: 0, want: true },
    { kind: 'lateFee' as const, status: 'partial', paidFen: 100, want: false },
    { kind: 'lateFee' as const, status: 'paid', paidFen: 270, want: false },
    { kind: 'lateFee' as const, status: 'revoked', paidFen: 0, want: false },
    { kind: 'charge' as const, status: 'unpaid', paidFen: 0, want: false },
  ])('$kind $status paid $paidFen → $want', ({ want, ...line }) => {
    expect(waivable(line)).toBe(want);
  });
});

describe('lateFeeDays', () => {
  it.each([
    { due: '2026-03-31', paid: '2026-05-30', grace: 60, want: 0 },
    { due: '2026-03-31', paid: '2026-05-31', grace: 60, want: 1 },
    { due: '2026-01-31', paid: '2026-11-23', grace: 60, want: 236 },
    { due: '2024-02-28', paid: '2024-03-01', grace: 0, want: 2 },
    { due: '2026-10-31', paid: '2026-11-23', grace: 60, want: 0 },
  ])('$due paid $paid, $grace days grace → $want', ({ due, paid, grace, want }) => {
    expect(lateFeeDays(due, paid, grace)).toBe(want);
  });
});
