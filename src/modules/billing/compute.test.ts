import { describe, expect, it } from 'vitest';
import { type ItemRule, dueDateOf, meteredLine, oneOffLine, periodicLine, sharedLines, sumDecimal } from './compute.ts';
import { parsePeriodKey } from './rules.ts';
import { autoBillPeriod } from './schedule.ts';
import { cycleOfKey } from './plan.ts';

const item = (over: Partial<ItemRule> = {}): ItemRule => ({
  id: 'item',
  name: '物业费',
  kind: 'property',
  unitPrice: '1.80',
  priceSource: 'item',
  tiers: null,
  areaBasis: 'built',
  meterKind: null,
  shareMethod: null,
  rounding: 'halfUp',
  dueFrom: 'periodStart',
  dueDays: 15,
  prorate: true,
  lateFee: null,
  rentIncreasePercent: null,
  rentIncreaseEveryMonths: null,
  discounts: [],
  ...over,
});
const area = { area: '89.50', basis: 'built' as const };
const w = (from: string, to: string | null = null, unitPrice: string | null = null) => ({ bindingId: `b-${from}`, from, to, unitPrice });
const nov = parsePeriodKey('2026-11');
const oct = parsePeriodKey('2026-10');

describe('periodicLine: 物业费 = area × price × active months, one rounding', () => {
  it.each([
    ['a whole month', nov, [w('2026-01-01')], {}, 16110],
    ['move-in on the 17th of a 30-day month: 14/30', nov, [w('2026-11-17')], {}, 7518],
    ['move-in on the 17th of a 31-day month: 15/31, 四舍五入', oct, [w('2026-10-17')], {}, 7795],
    ['the same, 向上取整', oct, [w('2026-10-17')], { rounding: 'up' as const }, 7796],
    ['the same, 向下取整', oct, [w('2026-10-17')], { rounding: 'down' as const }, 7795],
    ['no proration: any day bills the whole month', oct, [w('2026-10-17')], { prorate: false }, 16110],
    ['move-out on the 10th and back on the 20th: 10/30 + 11/30', nov, [w('2026-01-01', '2026-11-10'), w('2026-11-20')], {}, 11277],
    ['a quarter is three months', parsePeriodKey('2026-Q4'), [w('2026-01-01')], {}, 48330],
    ['a binding price wins over the item’s', nov, [w('2026-01-01', null, '2.00')], {}, 17900],
  ])('%s', (_label, period, windows, over, expected) => {
    expect(periodicLine({ item: item(over), period, windows, area })?.amountFen).toBe(expected);
  });

  it('records every input in the basis', () => {
    const line = periodicLine({ item: item(), period: nov, windows: [w('2026-11-17')], area })!;
    expect(line.basis).toMatchObject({ kind: 'property', rounding: 'halfUp', exactFen: '7518', windows: [{ from: '2026-11-17', to: '2026-11-30', months: '7/15', area: '89.50', unitPrice: '1.80', areaBasis: 'built' }] });
  });

  it('空置房: the approved days are charged the vacancy percent', () => {
    const vacancy = { kind: 'vacancy' as const, percent: '50', payMonths: null, freeMonths: null, reductionFen: null, validFrom: null, validTo: null };
    const whole = periodicLine({ item: item({ discounts: [vacancy] }), period: nov, windows: [w('2026-01-01')], area, vacancies: [{ from: '2026-06-01', to: null }] });
    expect(whole?.amountFen).toBe(8055);
    // Vacant 1–15 November: 16110 × (15/30 × 50 % + 15/30) = 12082.5 → 12083.
    const half = periodicLine({ item: item({ discounts: [vacancy] }), period: nov, windows: [w('2026-01-01')], area, vacancies: [{ from: '2026-06-01', to: '2026-11-15' }] });
    expect(half?.amountFen).toBe(12083);
    expect(half?.basis.windows).toMatchObject([{ vacancy: [{ from: '2026-11-01', to: '2026-11-15', months: '1/2', percent: '50' }] }]);
    // A discount no longer valid changes nothing; a room without approval pays in full.
    expect(periodicLine({ item: item({ discounts: [{ ...vacancy, validTo: '2026-10-31' }] }), period: nov, windows: [w('2026-01-01')], area, vacancies: [{ from: '2026-06-01', to: null }] })?.amountFen).toBe(16110);
    expect(periodicLine({ item: item({ discounts: [vacancy] }), period: nov, windows: [w('2026-01-01')], area })?.amountFen).toBe(16110);
  });

  it('减免: a fixed reduction after rounding, never below zero (then no line)', () => {
    const reduction = (fen: number) => ({ kind: 'fixed' as const, reductionFen: fen, percent: null, payMonths: null, freeMonths: null, validFrom: '2026-11-01', validTo: '2026-11-30' });
    expect(periodicLine({ item: item({ discounts: [reduction(1000)] }), period: nov, windows: [w('2026-01-01')], area })?.amountFen).toBe(15110);
    expect(periodicLine({ item: item({ discounts: [reduction(1000)] }), period: oct, windows: [w('2026-01-01')], area })?.amountFen).toBe(16110);
    expect(periodicLine({ item: item({ discounts: [reduction(20000)] }), period: nov, windows: [w('2026-01-01')], area })).toBeNull();
  });

  it('停车费 and fixed fees: price per month × months', () => {
    expect(periodicLine({ item: item({ kind: 'parking', unitPrice: '300' }), period: nov, windows: [w('2026-11-17')] })?.amountFen).toBe(14000);
    expect(periodicLine({ item: item({ kind: 'fixed', unitPrice: '15.5' }), period: nov, windows: [w('2026-01-01')] })?.amountFen).toBe(1550);
  });

  it('租金 rises 5 % after every 12 months from the binding’s start', () => {
    const rent = item({ kind: 'rent', unitPrice: '3000', rentIncreasePercent: '5', rentIncreaseEveryMonths: 12 });
    expect(periodicLine({ item: rent, period: parsePeriodKey('2025-06'), windows: [w('2025-01-01')] })?.amountFen).toBe(300000);
    expect(periodicLine({ item: rent, period: nov, windows: [w('2025-01-01')] })?.amountFen).toBe(315000);
    expect(periodicLine({ item: rent, period: parsePeriodKey('2027-02'), windows: [w('2025-01-01')] })?.amountFen).toBe(330750);
  });

  it('passes on the late-fee and prepay terms for payments to apply', () => {
    const line = periodicLine({
      item: item({ lateFee: { graceDays: 10, perDayPermille: '0.5' }, discounts: [{ kind: 'prepay', payMonths: 12, freeMonths: 1, percent: null, reductionFen: null, validFrom: null, validTo: null }] }),
      period: nov,
      windows: [w('2026-01-01')],
      area,
    })!;
    expect(line.basis).toMatchObject({ lateFee: { graceDays: 10, perDayPermille: '0.5' }, prepay: { payMonths: 12, freeMonths: 1 } });
  });
});

describe('one-off, metered and shared lines', () => {
  it('one-off: the price once, no proration', () => {
    expect(oneOffLine(item({ kind: 'oneOff', unitPrice: '500' }), w('2026-11-17'))?.amountFen).toBe(50000);
  });

  it('metered: usage × price, or tiers (阶梯价)', () => {
    const r = { meterId: 'm', meterNumber: 'W1', readingId: 'r', previous: '100', current: '300', multiplier: '1', usage: '200', flags: [] };
    expect(meteredLine(item({ kind: 'water', unitPrice: '3.5' }), nov, r)?.amountFen).toBe(70000);
    const tiered = meteredLine(item({ kind: 'water', unitPrice: null, tiers: [{ upTo: '180', unitPrice: '3.5' }, { upTo: null, unitPrice: '4.9' }] }), nov, r)!;
    expect(tiered.amountFen).toBe(72800);
    expect(tiered.basis).toMatchObject({ usage: '200', previous: '100', current: '300', tiers: [{ upTo: '180' }, { upTo: null }] });
    expect(meteredLine(item({ kind: 'water', unitPrice: '3.5' }), nov, { ...r, usage: '0' })).toBeNull();
  });

  it('公摊 by area and per household add up to the building amount', () => {
    const building = { id: 'b', meters: [{ meterId: 'm', number: 'GT1', readingId: 'r', usage: '60' }, { meterId: 'm2', number: 'GT2', readingId: 'r2', usage: '40' }], rooms: [{ id: 'r1', area: '100' }, { id: 'r2', area: '50' }, { id: 'r3', area: '50' }] };
    const byArea = sharedLines(item({ kind: 'shared', unitPrice: '1', shareMethod: 'area' }), nov, building);
    expect([...byArea.values()].map((l) => l.amountFen)).toEqual([5000, 2500, 2500]);
    expect(byArea.get('r1')!.basis).toMatchObject({ usage: '100', buildingFen: 10000, area: '100', totalArea: '200', households: 3 });
    const each = sharedLines(item({ kind: 'shared', unitPrice: '1', shareMethod: 'household' }), nov, building);
    expect([...each.entries()].map(([id, l]) => [id, l.amountFen])).toEqual([['r1', 3334], ['r2', 3333], ['r3', 3333]]);
    expect(sharedLines(item({ kind: 'shared', unitPrice: '1', shareMethod: 'area' }), nov, { ...building, meters: [] }).size).toBe(0);
  });
});

describe('helpers', () => {
  it.each([
    ['1.5', '2.25', '3.75'],
    ['0', '0', '0'],
    ['10', '0.5', '10.5'],
    ['0.0001', '0.9999', '1'],
    ['123.4560', '1', '124.456'],
  ])('sumDecimal(%s, %s) = %s', (a, b, sum) => expect(sumDecimal(a, b)).toBe(sum));

  it('due dates: after the period start, the move-in day, or the period end', () => {
    expect(dueDateOf({ dueFrom: 'periodStart', dueDays: 15 }, nov)).toBe('2026-11-16');
    expect(dueDateOf({ dueFrom: 'periodStart', dueDays: 15 }, nov, '2026-11-17')).toBe('2026-12-02');
    expect(dueDateOf({ dueFrom: 'periodEnd', dueDays: 10 }, nov)).toBe('2026-12-10');
  });

  it.each([
    ['2026-11', 'monthly'],
    ['2026-Q4', 'quarterly'],
    ['2026-H2', 'halfYearly'],
    ['2026', 'yearly'],
  ])('the cycle of %s is %s', (key, cycle) => expect(cycleOfKey(key)).toBe(cycle));

  it.each([
    [{ cycle: 'monthly' as const, billingMode: 'prepaid' as const }, '2026-11-05', '2026-11'],
    [{ cycle: 'monthly' as const, billingMode: 'postpaid' as const }, '2026-11-05', '2026-10'],
    [{ cycle: 'monthly' as const, billingMode: 'postpaid' as const }, '2026-01-05', '2025-12'],
    [{ cycle: 'quarterly' as const, billingMode: 'prepaid' as const }, '2026-10-05', '2026-Q4'],
    [{ cycle: 'quarterly' as const, billingMode: 'prepaid' as const }, '2026-11-05', null],
    [{ cycle: 'quarterly' as const, billingMode: 'postpaid' as const }, '2026-10-05', '2026-Q3'],
    [{ cycle: 'yearly' as const, billingMode: 'prepaid' as const }, '2027-01-01', '2027'],
  ])('auto billing %o on %s bills %s', (spec, today, key) => expect(autoBillPeriod(spec, today)).toBe(key));
});
