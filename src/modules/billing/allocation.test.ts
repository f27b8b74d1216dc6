import { describe, expect, it } from 'vitest';
import type { BalanceKind } from '../../db/schema-payments.ts';
import { byAge, defaultBalanceKind, lineStatus, type OpenLine, planPayment, planRefund, planSettlement } from './allocation.ts';

/** A line owing `owedFen`, due on `dueDate` (the period starts on the first of that month unless told). */
const line = (id: string, owedFen: number, dueDate: string, more: Partial<OpenLine> = {}): OpenLine => ({
  id,
  owedFen,
  dueDate,
  periodStart: `${dueDate.slice(0, 7)}-01`,
  balanceKind: 'property',
  ...more,
});

// A (oldest), B, C (newest); listed out of order on purpose.
const C = line('c', 300, '2026-03-15');
const A = line('a', 1000, '2026-01-15');
const B = line('b', 500, '2026-02-15');
const ZERO = line('z', 0, '2025-12-15');
const LINES = [C, A, B];

describe('planPayment', () => {
  it.each([
    {
      name: 'explicit amounts, exactly the money',
      lines: LINES,
      amount: 800,
      opts: { explicit: [{ lineId: 'a', amountFen: 300 }, { lineId: 'b', amountFen: null }], allowLeftover: false },
      want: { allocations: [{ lineId: 'a', amountFen: 300 }, { lineId: 'b', amountFen: 500 }], leftoverFen: 0 },
    },
    {
      name: 'explicit: a named line is paid in part, the others untouched, in the order named',
      lines: LINES,
      amount: 450,
      opts: { explicit: [{ lineId: 'c', amountFen: 150 }, { lineId: 'a', amountFen: 300 }], allowLeftover: false },
      want: { allocations: [{ lineId: 'c', amountFen: 150 }, { lineId: 'a', amountFen: 300 }], leftoverFen: 0 },
    },
    {
      name: 'explicit with the rest to a balance',
      lines: LINES,
      amount: 1000,
      opts: { explicit: [{ lineId: 'c', amountFen: null }], allowLeftover: true },
      want: { allocations: [{ lineId: 'c', amountFen: 300 }], leftoverFen: 700 },
    },
    {
      name: 'explicit, a line that owes nothing is left out and the money goes to the balance',
      lines: [ZERO, A],
      amount: 100,
      opts: { explicit: [{ lineId: 'z', amountFen: null }], allowLeftover: true },
      want: { allocations: [], leftoverFen: 100 },
    },
    {
      name: 'oldest first, the money runs out on the second line',
      lines: LINES,
      amount: 1200,
      opts: { allowLeftover: false },
      want: { allocations: [{ lineId: 'a', amountFen: 1000 }, { lineId: 'b', amountFen: 200 }], leftoverFen: 0 },
    },
    {
      name: 'oldest first, exactly everything (no balance needed)',
      lines: LINES,
      amount: 1800,
      opts: { allowLeftover: false },
      want: { allocations: [{ lineId: 'a', amountFen: 1000 }, { lineId: 'b', amountFen: 500 }, { lineId: 'c', amountFen: 300 }], leftoverFen: 0 },
    },
    {
      name: 'oldest first, the rest to a balance',
      lines: LINES,
      amount: 2000,
      opts: { allowLeftover: true },
      want: { allocations: [{ lineId: 'a', amountFen: 1000 }, { lineId: 'b', amountFen: 500 }, { lineId: 'c', amountFen: 300 }], leftoverFen: 200 },
    },
    {
      name: 'oldest first skips a line that owes nothing',
      lines: [ZERO, B],
      amount: 100,
      opts: { allowLeftover: false },
      want: { allocations: [{ lineId: 'b', amountFen: 100 }], leftoverFen: 0 },
    },
    {
      name: 'no open lines: everything to the balance',
      lines: [],
      amount: 5000,
      opts: { allowLeftover: true },
      want: { allocations: [], leftoverFen: 5000 },
    },
    {
      name: 'same due date: the earlier period first, then the id',
      lines: [line('y', 100, '2026-01-15', { periodStart: '2025-12-01' }), line('x2', 100, '2026-01-15'), line('x1', 100, '2026-01-15')],
      amount: 250,
      opts: { allowLeftover: false },
      want: { allocations: [{ lineId: 'y', amountFen: 100 }, { lineId: 'x1', amountFen: 100 }, { lineId: 'x2', amountFen: 50 }], leftoverFen: 0 },
    },
  ])('$name', ({ lines, amount, opts, want }) => {
    expect(planPayment(lines, amount, opts)).toEqual(want);
  });

  it.each([
    {
      name: 'a named amount above what the line owes',
      amount: 2000,
      opts: { explicit: [{ lineId: 'b', amountFen: 100 }, { lineId: 'a', amountFen: 1001 }], allowLeftover: true },
      want: { problem: 'lineOverpaid', index: 1, owedFen: 1000 },
    },
    {
      name: 'the named lines add up to more than the money',
      amount: 1400,
      opts: { explicit: [{ lineId: 'a', amountFen: null }, { lineId: 'b', amountFen: null }], allowLeftover: true },
      want: { problem: 'linesExceedAmount', totalFen: 1500 },
    },
    {
      name: 'explicit, money left over and no balance kind',
      amount: 1000,
      opts: { explicit: [{ lineId: 'b', amountFen: null }], allowLeftover: false },
      want: { problem: 'overpayNoBalance', dueFen: 500 },
    },
    {
      name: 'oldest first, more than everything owed and no balance kind',
      amount: 1801,
      opts: { allowLeftover: false },
      want: { problem: 'overpayNoBalance', dueFen: 1800 },
    },
  ])('refuses $name', ({ amount, opts, want }) => {
    expect(planPayment(LINES, amount, opts)).toEqual(want);
  });

  it('refuses a deposit without a balance kind when nothing is open', () => {
    expect(planPayment([], 100, { allowLeftover: false })).toEqual({ problem: 'overpayNoBalance', dueFen: 0 });
  });

  it('never allocates more than the money nor more than a line owes', () => {
    for (let amount = 1; amount <= 2000; amount += 37) {
      const plan = planPayment(LINES, amount, { allowLeftover: true });
      if ('problem' in plan) throw new Error(`unexpected ${plan.problem}`);
      const total = plan.allocations.reduce((s, a) => s + a.amountFen, 0);
      expect(total + plan.leftoverFen).toBe(amount);
      for (const a of plan.allocations) expect(a.amountFen).toBeLessThanOrEqual(LINES.find((l) => l.id === a.lineId)!.owedFen);
    }
  });
});

describe('planSettlement', () => {
  const bal = (b: Partial<Record<BalanceKind, number>>): Record<BalanceKind, number> => ({ general: 0, property: 0, utilities: 0, ...b });
  it.each([
    {
      name: 'own kind first, then general',
      lines: [line('p', 1000, '2026-01-15')],
      balances: bal({ property: 600, general: 1000 }),
      want: [{ lineId: 'p', kind: 'property', amountFen: 600 }, { lineId: 'p', kind: 'general', amountFen: 400 }],
    },
    {
      name: 'own kind covers it: general untouched',
      lines: [line('p', 500, '2026-01-15')],
      balances: bal({ property: 600, general: 1000 }),
      want: [{ lineId: 'p', kind: 'property', amountFen: 500 }],
    },
    {
      name: 'a general line never uses the property or utilities balance',
      lines: [line('g', 500, '2026-01-15', { balanceKind: 'general' })],
      balances: bal({ property: 1000, utilities: 1000 }),
      want: [],
    },
    {
      name: 'a utilities line uses utilities, then general, never property',
      lines: [line('w', 500, '2026-01-15', { balanceKind: 'utilities' })],
      balances: bal({ property: 1000, utilities: 100, general: 150 }),
      want: [{ lineId: 'w', kind: 'utilities', amountFen: 100 }, { lineId: 'w', kind: 'general', amountFen: 150 }],
    },
    {
      name: 'partial settlement when the balances fall short',
      lines: [line('p', 1000, '2026-01-15')],
      balances: bal({ property: 300 }),
      want: [{ lineId: 'p', kind: 'property', amountFen: 300 }],
    },
    {
      name: 'oldest due date first; the newer line gets what is left',
      lines: [line('new', 400, '2026-03-15'), line('old', 400, '2026-01-15'), line('mid', 400, '2026-02-15')],
      balances: bal({ property: 1000 }),
      want: [
        { lineId: 'old', kind: 'property', amountFen: 400 },
        { lineId: 'mid', kind: 'property', amountFen: 400 },
        { lineId: 'new', kind: 'property', amountFen: 200 },
      ],
    },
    {
      name: 'general is shared by kinds in due-date order',
      lines: [line('w', 300, '2026-02-15', { balanceKind: 'utilities' }), line('p', 300, '2026-01-15')],
      balances: bal({ general: 400 }),
      want: [{ lineId: 'p', kind: 'general', amountFen: 300 }, { lineId: 'w', kind: 'general', amountFen: 100 }],
    },
    { name: 'no balance: nothing', lines: [line('p', 300, '2026-01-15')], balances: bal({}), want: [] },
    { name: 'no lines: nothing', lines: [], balances: bal({ general: 300 }), want: [] },
  ])('$name', ({ lines, balances, want }) => {
    const before = { ...balances };
    expect(planSettlement(lines, balances)).toEqual(want);
    expect(balances).toEqual(before);
  });
});

describe('planRefund', () => {
  const allocations = [
    { lineId: 'newest', amountFen: 100 },
    { lineId: 'middle', amountFen: 200 },
    { lineId: 'oldest', amountFen: 1000 },
  ];
  it.each([
    { name: 'all from the balance', amount: 300, src: { unrefundedDepositFen: 500, balanceFen: 500, allocations }, want: { fromBalanceFen: 300, reversals: [] } },
    {
      name: 'the balance first, then the newest allocations',
      amount: 650,
      src: { unrefundedDepositFen: 500, balanceFen: 800, allocations },
      want: { fromBalanceFen: 500, reversals: [{ lineId: 'newest', amountFen: 100 }, { lineId: 'middle', amountFen: 50 }] },
    },
    {
      name: 'the balance at most what is still there (settlements spent the rest)',
      amount: 500,
      src: { unrefundedDepositFen: 500, balanceFen: 120, allocations },
      want: { fromBalanceFen: 120, reversals: [{ lineId: 'newest', amountFen: 100 }, { lineId: 'middle', amountFen: 200 }, { lineId: 'oldest', amountFen: 80 }] },
    },
    {
      name: 'the balance at most the payment’s own unrefunded deposit',
      amount: 400,
      src: { unrefundedDepositFen: 100, balanceFen: 10_000, allocations },
      want: { fromBalanceFen: 100, reversals: [{ lineId: 'newest', amountFen: 100 }, { lineId: 'middle', amountFen: 200 }] },
    },
    {
      name: 'no deposit: lines only, newest first',
      amount: 250,
      src: { unrefundedDepositFen: 0, balanceFen: 900, allocations },
      want: { fromBalanceFen: 0, reversals: [{ lineId: 'newest', amountFen: 100 }, { lineId: 'middle', amountFen: 150 }] },
    },
    {
      name: 'everything the payment has',
      amount: 1400,
      src: { unrefundedDepositFen: 100, balanceFen: 100, allocations },
      want: { fromBalanceFen: 100, reversals: [{ lineId: 'newest', amountFen: 100 }, { lineId: 'middle', amountFen: 200 }, { lineId: 'oldest', amountFen: 1000 }] },
    },
    {
      name: 'allocations already reversed to zero are skipped',
      amount: 50,
      src: { unrefundedDepositFen: 0, balanceFen: 0, allocations: [{ lineId: 'gone', amountFen: 0 }, ...allocations] },
      want: { fromBalanceFen: 0, reversals: [{ lineId: 'newest', amountFen: 50 }] },
    },
  ])('$name', ({ amount, src, want }) => {
    expect(planRefund(amount, src)).toEqual(want);
  });

  it.each([
    { name: 'more than the lines and the balance hold', amount: 1401, src: { unrefundedDepositFen: 100, balanceFen: 100, allocations } },
    { name: 'a deposit spent by settlements', amount: 500, src: { unrefundedDepositFen: 500, balanceFen: 0, allocations: [] } },
    { name: 'nothing at all', amount: 1, src: { unrefundedDepositFen: 0, balanceFen: 0, allocations: [] } },
  ])('is null for $name', ({ amount, src }) => {
    expect(planRefund(amount, src)).toBeNull();
  });
});

describe('lineStatus', () => {
  it.each([
    [1000, 0, 'unpaid'],
    [1000, 1, 'partial'],
    [1000, 999, 'partial'],
    [1000, 1000, 'paid'],
    [1, 1, 'paid'],
  ] as const)('amount %i paid %i → %s', (amount, paid, status) => {
    expect(lineStatus(amount, paid)).toBe(status);
  });
});

describe('defaultBalanceKind and byAge', () => {
  it.each([
    ['property', 'property'],
    ['water', 'utilities'],
    ['electricity', 'utilities'],
    ['gas', 'utilities'],
    ['shared', 'utilities'],
    ['parking', 'general'],
    ['fixed', 'general'],
    ['oneOff', 'general'],
    ['rent', 'general'],
  ])('%s → %s', (kind, balance) => {
    expect(defaultBalanceKind(kind)).toBe(balance);
  });

  it('orders by due date, then period start, then id', () => {
    const sorted = [line('b', 1, '2026-02-01'), line('a2', 1, '2026-01-01'), line('a1', 1, '2026-01-01'), line('p', 1, '2026-01-01', { periodStart: '2025-11-01' })].sort(byAge);
    expect(sorted.map((l) => l.id)).toEqual(['p', 'a1', 'a2', 'b']);
  });
});
