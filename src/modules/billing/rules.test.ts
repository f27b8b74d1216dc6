import { describe, expect, it } from 'vitest';
import {
  activeMonths,
  addMonths,
  applyFixedReduction,
  applyPercentDiscount,
  applyPrepayDiscount,
  areaFee,
  areaFeeExact,
  exact,
  formatDecimal,
  lateFee,
  meteredFee,
  meterUsage,
  mulExact,
  nextPeriod,
  parseDecimal,
  parsePeriodKey,
  periodKey,
  periodOf,
  periodsOf,
  perUnitFee,
  prorate,
  rentWithIncreases,
  roundToFen,
  shareByArea,
  shareEqually,
  type Cycle,
  type Rounding,
} from './rules.ts';

const WATER = [
  { upTo: '15', unitPrice: '3.45' },
  { upTo: '25', unitPrice: '4.83' },
  { upTo: null, unitPrice: '8.28' },
];

describe('parseDecimal', () => {
  it.each([
    ['2.3500', 4, { num: 47n, den: 20n }],
    ['89.37', 2, { num: 8937n, den: 100n }],
    ['0', 0, { num: 0n, den: 1n }],
    ['007.50', 2, { num: 15n, den: 2n }],
  ])('%s (≤ %i decimals)', (text, scale, expected) => {
    expect(parseDecimal(text, scale)).toEqual(expected);
  });

  it.each([
    ['2.35001', 4, /more than 4 decimals/],
    ['1e3', 4, /not a decimal/],
    ['.5', 4, /not a decimal/],
    ['5.', 4, /not a decimal/],
    ['+5', 4, /not a decimal/],
    [' 5', 4, /not a decimal/],
    ['', 4, /not a decimal/],
    ['-1.5', 4, /must not be negative/],
  ])('rejects %j', (text, scale, message) => {
    expect(() => parseDecimal(text, scale, { label: 'unitPrice' })).toThrow(message);
  });

  it('accepts a negative number only when asked, and names the field', () => {
    expect(parseDecimal('-1.5', 1, { sign: 'any' })).toEqual({ num: -3n, den: 2n });
    expect(() => parseDecimal('0', 4, { sign: 'positive', label: 'area' })).toThrow('area must be greater than 0');
  });
});

describe('roundToFen', () => {
  // ¥0.005 is half a 分: the cases a float gets wrong (1.005 × 100 = 100.49999… in IEEE doubles).
  it.each([
    ['halfUp', { num: 1n, den: 2n }, 1],
    ['up', { num: 1n, den: 2n }, 1],
    ['down', { num: 1n, den: 2n }, 0],
    ['halfUp', { num: 201n, den: 2n }, 101],
    ['down', { num: 201n, den: 2n }, 100],
    ['halfUp', { num: 4999n, den: 10000n }, 0],
    ['up', { num: 1n, den: 10000n }, 1],
    ['down', { num: 9999n, den: 10000n }, 0],
    ['halfUp', { num: 7n, den: 1n }, 7],
    ['up', { num: 7n, den: 1n }, 7],
    ['halfUp', { num: -1n, den: 2n }, -1],
    ['down', { num: -201n, den: 2n }, -100],
  ] as const)('%s %o → %i', (rule, value, fen) => {
    expect(roundToFen(value, rule)).toBe(fen);
  });
});

describe('areaFee (物业费)', () => {
  it.each([
    ['89.37', '2.35', 12, 'halfUp', 252023],
    ['89.37', '2.35', 12, 'up', 252024],
    ['89.37', '2.35', 12, 'down', 252023],
    ['89.37', '1.80', 1, 'halfUp', 16087],
    ['1', '1.005', 1, 'halfUp', 101],
    ['1', '1.005', 1, 'up', 101],
    ['1', '1.005', 1, 'down', 100],
    ['100.0001', '2.3456', 1, 'halfUp', 23456],
    ['100.0001', '2.3456', 1, 'up', 23457],
    ['143.2', '2.3500', 3, 'halfUp', 100956],
  ] as const)('%s m² × ¥%s × %i months (%s) = %i 分', (area, unitPrice, months, rounding, fen) => {
    expect(areaFee({ area, unitPrice, months, rounding })).toBe(fen);
  });

  it.each([
    [{ area: '89.37', unitPrice: '0' }, /unitPrice must be greater than 0/],
    [{ area: '89.37', unitPrice: '-1.80' }, /unitPrice must be greater than 0/],
    [{ area: '0', unitPrice: '1.80' }, /area must be greater than 0/],
    [{ area: '89.37', unitPrice: '1.80001' }, /unitPrice.*more than 4 decimals/],
    [{ area: '89,37', unitPrice: '1.80' }, /area.*not a decimal/],
  ])('rejects %o', (input, message) => {
    expect(() => areaFee({ ...input, months: 1, rounding: 'halfUp' })).toThrow(message);
  });

  it('refuses fractional months given as a float, taking exact fractions instead', () => {
    expect(() => areaFee({ area: '89.37', unitPrice: '1.80', months: 0.5, rounding: 'halfUp' })).toThrow(/whole number/);
    expect(areaFee({ area: '89.37', unitPrice: '1.80', months: { num: 1n, den: 2n }, rounding: 'halfUp' })).toBe(8043);
  });
});

describe('perUnitFee', () => {
  it.each([
    [2, '150', 3, 'halfUp', 90000],
    ['1', '80.005', 1, 'halfUp', 8001],
    ['1', '80.005', 1, 'down', 8000],
    [1, '12.3456', 12, 'up', 14815],
  ] as const)('%s × ¥%s × %i (%s) = %i 分', (quantity, unitPrice, periods, rounding, fen) => {
    expect(perUnitFee({ quantity, unitPrice, periods, rounding })).toBe(fen);
  });

  it('rejects a zero quantity and a zero price', () => {
    expect(() => perUnitFee({ quantity: 0, unitPrice: '150', periods: 1, rounding: 'halfUp' })).toThrow(/quantity/);
    expect(() => perUnitFee({ quantity: 1, unitPrice: '0.0000', periods: 1, rounding: 'halfUp' })).toThrow(/unitPrice/);
  });
});

describe('meteredFee (水电燃气, 阶梯价)', () => {
  it.each([
    ['10', undefined, 'halfUp', 3450],
    ['15', undefined, 'halfUp', 5175],
    ['18.5', undefined, 'halfUp', 6866],
    ['18.5', undefined, 'down', 6865],
    ['25', undefined, 'halfUp', 10005],
    ['30', undefined, 'halfUp', 14145],
    ['0', undefined, 'halfUp', 0],
    ['5', '12', 'halfUp', 2001], // 3 m³ left in tier 1, 2 m³ in tier 2: 10.35 + 9.66
    ['10', '30', 'halfUp', 8280], // already above 25 m³ this year: all at the top price
  ] as const)('%s m³ after %s used (%s) → %i 分', (usage, usedBefore, rounding, fen) => {
    expect(meteredFee({ usage, usedBefore, tiers: WATER, rounding })).toBe(fen);
  });

  it('prices flat usage without tiers, up to 8 decimals of usage', () => {
    expect(meteredFee({ usage: '123.4', unitPrice: '0.5883', rounding: 'halfUp' })).toBe(7260);
    expect(meteredFee({ usage: '0.00000001', unitPrice: '1', rounding: 'up' })).toBe(1);
  });

  it.each([
    [[{ upTo: '15', unitPrice: '3.45' }], /last tier/],
    [[{ upTo: null, unitPrice: '3.45' }, { upTo: null, unitPrice: '4.83' }], /last tier/],
    [[{ upTo: '15', unitPrice: '3.45' }, { upTo: '10', unitPrice: '4.83' }, { upTo: null, unitPrice: '8' }], /increase/],
    [[{ upTo: null, unitPrice: '0' }], /unitPrice/],
    [[], /empty/],
  ])('rejects malformed tiers %#', (tiers, message) => {
    expect(() => meteredFee({ usage: '10', tiers, rounding: 'halfUp' })).toThrow(message);
  });
});

describe('meterUsage', () => {
  it.each([
    [{ previous: '1234.5', current: '1250' }, '15.5'],
    [{ previous: '100', current: '100' }, '0'],
    [{ previous: '100.25', current: '102.5', multiplier: '40' }, '90'],
    [{ previous: '9990', current: '7', replaced: { oldFinal: '9998.5', newInitial: '0' } }, '15.5'],
    [{ previous: '500', current: '12.3', replaced: { oldFinal: '520', newInitial: '10' }, multiplier: '2' }, '44.6'],
  ])('%o → %s', (input, usage) => {
    expect(meterUsage(input)).toBe(usage);
  });

  it.each([
    [{ previous: '1250', current: '1234.5' }, /record a meter replacement/],
    [{ previous: '500', current: '5', replaced: { oldFinal: '490', newInitial: '0' } }, /old meter/],
    [{ previous: '500', current: '5', replaced: { oldFinal: '510', newInitial: '8' } }, /current reading/],
    [{ previous: '1', current: '2', multiplier: '0' }, /multiplier/],
    [{ previous: '1.00001', current: '2' }, /previous/],
  ])('rejects %o', (input, message) => {
    expect(() => meterUsage(input)).toThrow(message);
  });
});

describe('公摊 shares', () => {
  const sum = (shares: { amountFen: number }[]) => shares.reduce((s, x) => s + x.amountFen, 0);

  it.each([
    // 3250.14 / 4382.26 / 2368.60: the leftover 分 goes to the largest fraction, .60
    [10001, [['a', '89.37'], ['b', '120.5'], ['c', '65.13']], [3250, 4382, 2369]],
    // equal areas: rounding each share (33.33 → 33) would lose 1 分; the smallest id gets it
    [100, [['c', '90'], ['a', '90'], ['b', '90']], [33, 34, 33]],
    // 0.67 each: rounding each up would charge 3 分 for 2
    [2, [['b', '1'], ['a', '1'], ['c', '1']], [1, 1, 0]],
    [0, [['a', '10'], ['b', '20']], [0, 0]],
    [7, [['only', '55.5']], [7]],
  ] as const)('%i 分 over %j', (totalFen, parts, expected) => {
    const shares = shareByArea({ totalFen, parts: parts.map(([id, area]) => ({ id, area })) });
    expect(shares.map((s) => s.amountFen)).toEqual(expected);
    expect(shares.map((s) => s.id)).toEqual(parts.map(([id]) => id));
    expect(sum(shares)).toBe(totalFen);
  });

  it('does not depend on the order of the parts', () => {
    const parts = [{ id: 'r1', area: '70.01' }, { id: 'r2', area: '70.01' }, { id: 'r3', area: '140.02' }];
    const a = shareByArea({ totalFen: 99999, parts });
    const b = shareByArea({ totalFen: 99999, parts: [...parts].reverse() });
    expect(Object.fromEntries(a.map((s) => [s.id, s.amountFen]))).toEqual(Object.fromEntries(b.map((s) => [s.id, s.amountFen])));
  });

  it.each([
    [100, ['x', 'y', 'z'], [34, 33, 33]],
    [101, ['z', 'y', 'x'], [33, 34, 34]],
    [5, ['a', 'b', 'c', 'd', 'e', 'f'], [1, 1, 1, 1, 1, 0]],
  ])('shareEqually %i 分 over %j', (totalFen, ids, expected) => {
    expect(shareEqually({ totalFen, ids }).map((s) => s.amountFen)).toEqual(expected);
  });

  it.each([
    [() => shareByArea({ totalFen: 100, parts: [] }), /at least one/],
    [() => shareByArea({ totalFen: 100, parts: [{ id: 'a', area: '0' }] }), /area of a must be greater than 0/],
    [() => shareEqually({ totalFen: 100, ids: ['a', 'a'] }), /unique/],
    [() => shareEqually({ totalFen: -1, ids: ['a'] }), /totalFen/],
    [() => shareEqually({ totalFen: 1.5, ids: ['a'] }), /totalFen/],
  ])('rejects bad input %#', (run, message) => {
    expect(run).toThrow(message);
  });
});

describe('proration', () => {
  it.each([
    // move-in on the 17th of a 31-day month: 15/31 × 3000 = 1451.61
    ['2026-03-01', '2026-03-31', '2026-03-17', null, 'halfUp', 1452],
    ['2026-03-01', '2026-03-31', '2026-03-17', null, 'down', 1451],
    ['2026-04-01', '2026-04-30', '2026-04-17', null, 'halfUp', 1400],
    // February 2026 has 28 days, February 2028 has 29
    ['2026-02-01', '2026-02-28', '2026-02-15', null, 'halfUp', 1500],
    ['2028-02-01', '2028-02-29', '2028-02-15', null, 'halfUp', 1552],
    // move-out: the last day counts
    ['2026-03-01', '2026-03-31', null, '2026-03-10', 'halfUp', 968],
    ['2026-03-01', '2026-03-31', '2026-03-10', '2026-03-10', 'up', 97],
    // spanning two months: 9/28 + 10/31 of a month, summed exactly, rounded once (1932.03)
    ['2026-02-01', '2026-03-31', '2026-02-20', '2026-03-10', 'halfUp', 1932],
    ['2028-02-01', '2028-03-31', '2028-02-20', '2028-03-10', 'halfUp', 2002],
    // a quarter, fully active, and a quarter with no overlap at all
    ['2026-01-01', '2026-03-31', null, null, 'halfUp', 9000],
    ['2026-01-01', '2026-03-31', '2026-04-01', null, 'halfUp', 0],
  ] as const)('%s…%s active %s…%s (%s) → %i 分', (periodStart, periodEnd, activeFrom, activeTo, rounding, fen) => {
    expect(prorate({ monthly: 3000, periodStart, periodEnd, activeFrom, activeTo, rounding })).toBe(fen);
  });

  it('prorates an exact area fee and rounds only once', () => {
    const months = activeMonths({ periodStart: '2026-03-01', periodEnd: '2026-03-31', activeFrom: '2026-03-17' });
    expect(months).toEqual({ num: 15n, den: 31n });
    // 89.37 m² × ¥1.80 = 16086.6 分 a month; × 15/31 = 7783.84. Rounding up once gives 7784; rounding the month up
    // first (16087) and then the proration (7784.03) would give 7785.
    const monthly = areaFeeExact({ area: '89.37', unitPrice: '1.80', months: 1 });
    expect(prorate({ monthly, periodStart: '2026-03-01', periodEnd: '2026-03-31', activeFrom: '2026-03-17', rounding: 'up' })).toBe(7784);
    expect(areaFee({ area: '89.37', unitPrice: '1.80', months, rounding: 'up' })).toBe(7784);
    expect(areaFee({ area: '89.37', unitPrice: '1.80', months, rounding: 'down' })).toBe(7783);
  });

  it.each([
    [{ periodStart: '2026-03-31', periodEnd: '2026-03-01' }, /periodEnd is before/],
    [{ periodStart: '2026-02-29', periodEnd: '2026-03-01' }, /periodStart/],
    [{ periodStart: '2026-03-01', periodEnd: '2026-03-31', activeFrom: '2026-03-20', activeTo: '2026-03-10' }, /activeTo is before/],
    [{ periodStart: '2026-3-1', periodEnd: '2026-03-31' }, /YYYY-MM-DD/],
  ])('rejects %o', (input, message) => {
    expect(() => activeMonths(input)).toThrow(message);
  });
});

describe('periods', () => {
  it.each([
    ['monthly', '2026-02-14', '2026-02-01', '2026-02-28', '2026-02'],
    ['monthly', '2028-02-29', '2028-02-01', '2028-02-29', '2028-02'],
    ['quarterly', '2026-03-31', '2026-01-01', '2026-03-31', '2026-Q1'],
    ['quarterly', '2026-11-05', '2026-10-01', '2026-12-31', '2026-Q4'],
    ['halfYearly', '2026-06-30', '2026-01-01', '2026-06-30', '2026-H1'],
    ['halfYearly', '2026-07-01', '2026-07-01', '2026-12-31', '2026-H2'],
    ['yearly', '2026-08-08', '2026-01-01', '2026-12-31', '2026'],
  ] as const)('%s period of %s is %s…%s (%s)', (cycle, date, start, end, key) => {
    expect(periodOf({ cycle, date })).toEqual({ cycle, start, end, key });
    expect(periodKey(cycle, date)).toBe(key);
    expect(parsePeriodKey(key)).toEqual({ cycle, start, end, key });
  });

  it.each([
    ['monthly', '2026-12-15', '2027-01'],
    ['quarterly', '2026-12-15', '2027-Q1'],
    ['halfYearly', '2026-03-01', '2026-H2'],
    ['yearly', '2026-03-01', '2027'],
  ] as const)('after the %s period of %s comes %s', (cycle: Cycle, date, key) => {
    expect(nextPeriod(periodOf({ cycle, date })).key).toBe(key);
  });

  it('lists the periods between two dates', () => {
    expect(periodsOf({ cycle: 'quarterly', from: '2026-02-10', to: '2026-07-01' }).map((p) => p.key)).toEqual(['2026-Q1', '2026-Q2', '2026-Q3']);
    expect(periodsOf({ cycle: 'monthly', from: '2026-12-31', to: '2027-01-01' }).map((p) => p.key)).toEqual(['2026-12', '2027-01']);
  });

  it.each(['2026-13', '2026-Q5', '2026-H3', '26-01', '2026-00'])('rejects the key %s', (key) => {
    expect(() => parsePeriodKey(key)).toThrow(/period key/);
  });

  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-11-30', 3, '2027-02-28'],
  ])('addMonths(%s, %i) = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });
});

describe('lateFee (滞纳金)', () => {
  const base = { principalFen: 100000, dueDate: '2026-03-31', graceDays: 15 } as const;
  it.each([
    ['2026-03-31', 0], // on the due date
    ['2026-04-15', 0], // last day of grace
    ['2026-04-16', 50], // 1 day × 0.5‰ × ¥1000
    ['2026-05-15', 1500], // 30 days
  ])('0.5‰ per day, paid %s → %i 分', (paidDate, fen) => {
    expect(lateFee({ ...base, paidDate, ratePerDayPermille: '0.5', rounding: 'halfUp' })).toBe(fen);
  });

  it.each([
    ['halfUp', 1],
    ['down', 0],
    ['up', 1],
  ] as const)('rounds 0.5 分 of late fee with %s → %i', (rounding: Rounding, fen) => {
    // 1000 分 × 0.5‰ × 1 day = 0.5 分
    expect(lateFee({ principalFen: 1000, dueDate: '2026-01-10', paidDate: '2026-01-11', graceDays: 0, ratePerDayPermille: '0.5', rounding })).toBe(fen);
  });

  it.each([
    ['2026-04-15', 0],
    ['2026-04-16', 2000],
    ['2026-05-15', 2000], // the first month after grace ends on the anniversary
    ['2026-05-16', 4000],
    ['2026-07-20', 8000],
  ])('¥20 per month begun, paid %s → %i 分', (paidDate, fen) => {
    expect(lateFee({ ...base, paidDate, perMonthFen: 2000 })).toBe(fen);
  });

  it('caps the total', () => {
    expect(lateFee({ ...base, paidDate: '2027-12-31', ratePerDayPermille: '0.5', rounding: 'halfUp', capFen: 20000 })).toBe(20000);
    expect(lateFee({ ...base, paidDate: '2026-05-15', ratePerDayPermille: '0.5', rounding: 'halfUp', capFen: 20000 })).toBe(1500);
  });

  it('needs exactly one rule and a positive rate', () => {
    expect(() => lateFee({ ...base, paidDate: '2026-05-01' } as never)).toThrow(/either/);
    expect(() => lateFee({ ...base, paidDate: '2026-05-01', ratePerDayPermille: '0', rounding: 'halfUp' })).toThrow(/ratePerDayPermille/);
  });
});

describe('discounts', () => {
  it.each([
    [12, 12, 1, 1, 13, 16087],
    [11, 12, 1, 0, 11, 0],
    [24, 12, 1, 2, 26, 32174],
    [6, 6, 1, 1, 7, 16087],
    [0, 12, 1, 0, 0, 0],
  ])('pay %i with "pay %i get %i": %i free, %i covered, %i 分 off', (monthsPaid, payMonths, freeMonthsRule, free, covered, freeFen) => {
    expect(applyPrepayDiscount({ monthsPaid, rule: { payMonths, freeMonths: freeMonthsRule }, monthlyFen: 16087 })).toEqual({
      freeMonths: free,
      coveredMonths: covered,
      freeFen,
    });
  });

  it.each([
    [5000, 1200, 3800],
    [5000, 5000, 0],
    [5000, 9000, 0],
  ])('reduces %i by %i → %i', (amountFen, reductionFen, fen) => {
    expect(applyFixedReduction({ amountFen, reductionFen })).toBe(fen);
  });

  it.each([
    [16087, '50', 'halfUp', 8044],
    [16087, '50', 'down', 8043],
    [16087, '80', 'halfUp', 12870],
    [16087, '100', 'halfUp', 16087],
    [16087, '0', 'halfUp', 0],
    [999, '33.33', 'halfUp', 333],
  ] as const)('%i 分 at %s per cent (%s) → %i', (amountExact, percent, rounding, fen) => {
    expect(applyPercentDiscount({ amountExact, percent, rounding })).toBe(fen);
  });

  it('applies a vacancy rate to the exact fee before rounding', () => {
    // 89.37 m² × ¥2.35 = 21001.95 分; at 50 % = 10500.975. Rounding the fee up first (21002 × 50 %) gives 10501 with 'down'.
    const fee = areaFeeExact({ area: '89.37', unitPrice: '2.35', months: 1 });
    expect(applyPercentDiscount({ amountExact: fee, percent: '50', rounding: 'halfUp' })).toBe(10501);
    expect(applyPercentDiscount({ amountExact: fee, percent: '50', rounding: 'down' })).toBe(10500);
    expect(applyPercentDiscount({ amountExact: mulExact(fee, exact(12)), percent: '50', rounding: 'down' })).toBe(126011);
  });

  it('rejects a percentage above 100 or below 0', () => {
    expect(() => applyPercentDiscount({ amountExact: 100, percent: '120', rounding: 'halfUp' })).toThrow(/at most 100/);
    expect(() => applyPercentDiscount({ amountExact: 100, percent: '-10', rounding: 'halfUp' })).toThrow(/negative/);
  });
});

describe('rentWithIncreases (租金递增)', () => {
  const rent = { baseMonthlyFen: 300000, startDate: '2026-01-31', everyMonths: 12, rounding: 'halfUp' } as const;
  it.each([
    ['2026-01-31', '5', 300000],
    ['2027-01-30', '5', 300000],
    ['2027-01-31', '5', 315000],
    ['2028-02-01', '5', 330750],
    // 300000 × 1.035³ = 332615.3625: once → 332615; step by step 310500 → 321367.5→321368 → 332615.88→332616
    ['2029-01-31', '3.5', 332615],
    ['2029-01-31', '0', 300000],
  ])('at %s with %s per cent a year → %i 分', (at, increasePercent, fen) => {
    expect(rentWithIncreases({ ...rent, at, increasePercent })).toBe(fen);
  });

  it('rejects a date before the start', () => {
    expect(() => rentWithIncreases({ ...rent, at: '2025-12-31', increasePercent: '5' })).toThrow(/before startDate/);
  });
});

describe('formatDecimal', () => {
  it.each([
    [{ num: 31n, den: 2n }, '15.5'],
    [{ num: -1n, den: 8n }, '-0.125'],
    [{ num: 30n, den: 1n }, '30'],
  ])('%o → %s', (value, text) => expect(formatDecimal(value)).toBe(text));
  it('refuses a value with no finite decimal form', () => {
    expect(() => formatDecimal({ num: 1n, den: 3n })).toThrow(/finite/);
  });
});
