import { describe, expect, it } from 'vitest';
import { accruedLateFee, lateFeeOnPayment, type LateFeeTerms, termsOf } from './late-fees.ts';

const perDay: LateFeeTerms = { graceDays: 10, perDayPermille: '0.5', rounding: 'halfUp' };
const perMonth: LateFeeTerms = { graceDays: 0, perMonthFen: 2000, rounding: 'halfUp' };

describe('lateFeeOnPayment', () => {
  // due 2026-03-10, 10 days' grace: 03-20 is the last free day.
  it.each([
    ['paid on the due date', perDay, '2026-03-10', 16087, 16087, 0, 0],
    ['paid on the last day of grace', perDay, '2026-03-20', 16087, 16087, 0, 0],
    ['one day late: 16087 × 0.5‰ = 8.04 → 8', perDay, '2026-03-21', 16087, 16087, 0, 8],
    ['31 days late (to 04-20)', perDay, '2026-04-20', 16087, 16087, 0, 249],
    ['a partial payment is charged on what it pays', perDay, '2026-04-20', 5000, 16087, 0, 78],
    ['the rest of the line later, for its own days', perDay, '2026-05-20', 11087, 16087, 78, 338],
    ['cap: never more than capFen over the line', { ...perDay, capFen: 300 }, '2026-05-20', 11087, 16087, 78, 222],
    ['cap already reached', { ...perDay, capFen: 300 }, '2026-06-20', 100, 16087, 300, 0],
    ['rounding up', { ...perDay, rounding: 'up' as const }, '2026-03-21', 16087, 16087, 0, 9],
    ['rounding down', { ...perDay, rounding: 'down' as const }, '2026-03-21', 16087, 16087, 0, 8],
    ['per month: the first month begun', perMonth, '2026-03-11', 16087, 16087, 0, 2000],
    ['per month: a month later exactly is still one', perMonth, '2026-04-10', 16087, 16087, 0, 2000],
    ['per month: the second month begun', perMonth, '2026-04-11', 16087, 16087, 0, 4000],
    ['per month: less what earlier payments were charged', perMonth, '2026-04-11', 6087, 16087, 2000, 2000],
    ['per month: same month again → nothing more', perMonth, '2026-03-25', 6087, 16087, 2000, 0],
    ['per month with a cap', { ...perMonth, capFen: 3000 }, '2026-06-11', 16087, 16087, 2000, 1000],
    ['nothing paid → nothing charged', perDay, '2026-05-20', 0, 16087, 0, 0],
  ])('%s', (_label, terms, paidDate, paidFen, lineAmountFen, alreadyChargedFen, fee) => {
    expect(lateFeeOnPayment({ terms, dueDate: '2026-03-10', paidDate, paidFen, lineAmountFen, alreadyChargedFen })).toBe(fee);
  });

  it('partial payments add up to the daily accrual on what was owed (within a 分 of rounding each)', () => {
    const whole = lateFeeOnPayment({ terms: perDay, dueDate: '2026-03-10', paidDate: '2026-04-20', paidFen: 16000, lineAmountFen: 16000, alreadyChargedFen: 0 });
    const parts = [4000, 4000, 8000].map((paidFen) => lateFeeOnPayment({ terms: perDay, dueDate: '2026-03-10', paidDate: '2026-04-20', paidFen, lineAmountFen: 16000, alreadyChargedFen: 0 }));
    expect(parts.reduce((a, b) => a + b, 0)).toBe(whole);
  });
});

describe('termsOf and accruedLateFee', () => {
  it.each([
    ['no terms', {}, null],
    ['per day with the line rounding', { lateFee: { graceDays: 5, perDayPermille: '1' }, rounding: 'down' }, { graceDays: 5, perDayPermille: '1', rounding: 'down' }],
    ['rounding defaults to halfUp', { lateFee: { graceDays: 0, perMonthFen: 500 } }, { graceDays: 0, perMonthFen: 500, rounding: 'halfUp' }],
  ])('%s', (_l, basis, terms) => {
    expect(termsOf(basis)).toEqual(terms);
  });

  const line = { basis: { lateFee: { graceDays: 10, perDayPermille: '0.5' }, rounding: 'halfUp' }, kind: 'charge', status: 'partial', dueDate: '2026-03-10', amountFen: 16087, paidFen: 5000, lateFeesChargedFen: 78 };
  it.each([
    ['an open charge: on what it still owes', line, 338],
    ['a paid line owes nothing more', { ...line, status: 'paid', paidFen: 16087 }, 0],
    ['a late fee line does not accrue a late fee', { ...line, kind: 'lateFee' }, 0],
    ['an item without terms', { ...line, basis: { rounding: 'halfUp' } }, 0],
  ])('%s', (_l, l, fee) => {
    expect(accruedLateFee(l, '2026-05-20')).toBe(fee);
  });
});
