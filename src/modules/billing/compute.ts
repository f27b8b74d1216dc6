import type { FeeKind, LateFeeRow, MeterKind, RoundingRule, TierRow } from '../../db/schema-billing.ts';
import {
  type Exact,
  type Period,
  activeMonths,
  addExact,
  applyFixedReduction,
  applyPercentDiscountExact,
  areaFeeExact,
  exact,
  meteredFeeExact,
  mulExact,
  perUnitFeeExact,
  rentWithIncreases,
  roundToFen,
  shareByArea,
  shareEqually,
} from './rules.ts';
import { addDays, earlierOf, laterOf } from './values.ts';

/**
 * How one bill line is computed from its inputs — pure, no I/O. Every amount goes through the formulas of rules.ts
 * as an exact fraction and is rounded once with the item's rule; the line keeps every input in `basis` so that an
 * auditor (or a cashier answering an owner) can recompute it.
 */

export interface DiscountRule {
  kind: 'prepay' | 'vacancy' | 'fixed';
  payMonths: number | null;
  freeMonths: number | null;
  percent: string | null;
  reductionFen: number | null;
  validFrom: string | null;
  validTo: string | null;
}

/** A fee item as a bill run sees it: the community's price already applied. */
export interface ItemRule {
  id: string;
  name: string;
  kind: FeeKind;
  unitPrice: string | null;
  priceSource: 'item' | 'community';
  tiers: TierRow[] | null;
  areaBasis: 'built' | 'inner';
  meterKind: MeterKind | null;
  shareMethod: 'area' | 'household' | null;
  rounding: RoundingRule;
  dueFrom: 'periodStart' | 'periodEnd';
  dueDays: number;
  prorate: boolean;
  lateFee: LateFeeRow | null;
  rentIncreasePercent: string | null;
  rentIncreaseEveryMonths: number | null;
  discounts: DiscountRule[];
}

/** One binding of the target to the item: an inclusive date range and maybe its own price. */
export interface Window {
  bindingId: string;
  from: string;
  to: string | null;
  unitPrice: string | null;
}

/** The area a fee is computed on and which one it is (套内 falls back to 建筑面积 when a room has none). */
export interface Area {
  area: string;
  basis: 'built' | 'inner';
}

export interface Computed {
  amountFen: number;
  basis: Record<string, unknown>;
}

const showExact = (x: Exact) => (x.den === 1n ? String(x.num) : `${x.num}/${x.den}`);

/**
 * A bill run computes the same few values for tens of thousands of lines (the months of a whole-period binding, the
 * monthly fee of each area and price): remembered here, bounded, so a run costs a few µs a line, not ~16.
 */
function memo<A extends unknown[], R>(fn: (...args: A) => R, key: (...args: A) => string, max = 20_000): (...args: A) => R {
  const cache = new Map<string, R>();
  return (...args: A) => {
    const k = key(...args);
    let v = cache.get(k);
    if (v === undefined) {
      if (cache.size >= max) cache.clear();
      v = fn(...args);
      cache.set(k, v);
    }
    return v;
  };
}
const monthsBetween = memo(
  (start: string, end: string, from: string | null, to: string | null) => activeMonths({ periodStart: start, periodEnd: end, activeFrom: from, activeTo: to }),
  (start, end, from, to) => `${start}|${end}|${from}|${to}`,
);
const areaMonthly = memo((area: string, unitPrice: string) => areaFeeExact({ area, unitPrice, months: 1 }), (area, unitPrice) => `${area}|${unitPrice}`);
const unitMonthly = memo((unitPrice: string) => perUnitFeeExact({ quantity: 1, unitPrice, periods: 1 }), (unitPrice) => unitPrice);
const NEG = exact(-1);

function discountsValid(item: ItemRule, kind: DiscountRule['kind'], from: string, to: string): DiscountRule[] {
  return item.discounts.filter((d) => d.kind === kind && (d.validFrom === null || d.validFrom <= to) && (d.validTo === null || d.validTo >= from));
}

const addDaysOnce = memo(addDays, (date, days) => `${date}|${days}`);

/** Due N days after the period's start (or after the first billed day, for a move-in within it) or after its end. */
export function dueDateOf(item: Pick<ItemRule, 'dueFrom' | 'dueDays'>, period: Period, firstDay?: string | null): string {
  return addDaysOnce(item.dueFrom === 'periodEnd' ? period.end : laterOf(period.start, firstDay ?? period.start), item.dueDays);
}

/** Months a window is active within the period; without proration any day of the period counts the whole period. */
function monthsOf(item: ItemRule, period: Period, from: string, to: string | null): Exact {
  // A binding from before the period to after it is the whole period: one cache entry for most lines.
  const active = monthsBetween(period.start, period.end, from < period.start ? null : from, to !== null && to > period.end ? null : to);
  if (item.prorate || active.num === 0n) return active;
  return monthsBetween(period.start, period.end, null, null);
}

/** The monthly amount of one window (exact 分), before months: area × price, price per space, rent after increases. */
function monthlyOf(item: ItemRule, period: Period, w: Window, area: Area | null): { monthly: Exact; inputs: Record<string, unknown> } {
  const unitPrice = w.unitPrice ?? item.unitPrice!;
  const priceSource = w.unitPrice ? 'binding' : item.priceSource;
  switch (item.kind) {
    case 'property':
      return { monthly: areaMonthly(area!.area, unitPrice), inputs: { unitPrice, priceSource, area: area!.area, areaBasis: area!.basis } };
    case 'rent': {
      if (!item.rentIncreasePercent || !item.rentIncreaseEveryMonths) return { monthly: unitMonthly(unitPrice), inputs: { unitPrice, priceSource } };
      // A rent after increases is the contract's monthly rent in 分: rounded there, as the contract states it.
      const baseMonthlyFen = roundToFen(perUnitFeeExact({ quantity: 1, unitPrice, periods: 1 }), item.rounding);
      const at = laterOf(period.start, w.from);
      const monthlyFen = rentWithIncreases({ baseMonthlyFen, startDate: w.from, increasePercent: item.rentIncreasePercent, everyMonths: item.rentIncreaseEveryMonths, at, rounding: item.rounding });
      return { monthly: exact(monthlyFen), inputs: { unitPrice, priceSource, baseMonthlyFen, increasePercent: item.rentIncreasePercent, everyMonths: item.rentIncreaseEveryMonths, rentAt: at, monthlyFen } };
    }
    default:
      // parking (per space), fixed monthly amounts
      return { monthly: unitMonthly(unitPrice), inputs: { unitPrice, priceSource } };
  }
}

/**
 * A periodic line (物业费, 停车费, fixed, 租金) of one target for one period: Σ over its windows of monthly × active
 * months (calendar-day proration), the 空置房 percent on the months covered by an approved vacancy, rounded once,
 * then a fixed reduction. Null when nothing is owed.
 */
export function periodicLine(args: { item: ItemRule; period: Period; windows: Window[]; area?: Area | null; vacancies?: Array<{ from: string; to: string | null }> }): Computed | null {
  const { item, period } = args;
  let total = exact(0);
  const parts: Record<string, unknown>[] = [];
  const vacancyRules = discountsValid(item, 'vacancy', period.start, period.end);
  for (const w of args.windows) {
    const months = monthsOf(item, period, w.from, w.to);
    if (months.num === 0n) continue;
    const { monthly, inputs } = monthlyOf(item, period, w, args.area ?? null);
    let amount = mulExact(monthly, months);
    const part: Record<string, unknown> = { bindingId: w.bindingId, from: laterOf(w.from, period.start), to: earlierOf(w.to, period.end), months: showExact(months), ...inputs };
    // 空置房: the approved vacant days inside this window and the discount's validity are charged `percent` %
    // (the first valid vacancy rule; they do not compound).
    const vacant: Record<string, unknown>[] = [];
    for (const rule of vacancyRules.slice(0, 1)) {
      for (const v of args.vacancies ?? []) {
        const from = [w.from, v.from, rule.validFrom ?? w.from].reduce(laterOf);
        const to = [w.to, v.to, rule.validTo].reduce(earlierOf);
        if (to !== null && to < from) continue;
        const months = activeMonths({ periodStart: period.start, periodEnd: period.end, activeFrom: from, activeTo: to });
        if (months.num === 0n) continue;
        const full = mulExact(monthly, months);
        amount = addExact(amount, mulExact(full, NEG), applyPercentDiscountExact({ amountExact: full, percent: rule.percent! }));
        vacant.push({ from: laterOf(from, period.start), to: earlierOf(to, period.end), months: showExact(months), percent: rule.percent });
      }
    }
    if (vacant.length) part.vacancy = vacant;
    total = addExact(total, amount);
    parts.push(part);
  }
  if (!parts.length) return null;
  const rounded = roundToFen(total, item.rounding);
  const reductionFen = discountsValid(item, 'fixed', period.start, period.end).reduce((s, d) => s + (d.reductionFen ?? 0), 0);
  const amountFen = reductionFen ? applyFixedReduction({ amountFen: rounded, reductionFen }) : rounded;
  if (amountFen <= 0) return null;
  return {
    amountFen,
    basis: {
      kind: item.kind,
      prorate: item.prorate,
      windows: parts,
      exactFen: showExact(total),
      rounding: item.rounding,
      roundedFen: rounded,
      ...(reductionFen && { reductionFen }),
      ...extraTerms(item, period),
    },
  };
}

/** Terms part two applies when payments arrive: 滞纳金 and 预交优惠, as they stood when the line was billed. */
function extraTerms(item: ItemRule, period: Period): Record<string, unknown> {
  const prepay = discountsValid(item, 'prepay', period.start, period.end)[0];
  return {
    ...(item.lateFee && { lateFee: item.lateFee }),
    ...(prepay && { prepay: { payMonths: prepay.payMonths, freeMonths: prepay.freeMonths } }),
  };
}

export function oneOffLine(item: ItemRule, w: Window): Computed | null {
  const unitPrice = w.unitPrice ?? item.unitPrice!;
  const total = perUnitFeeExact({ quantity: 1, unitPrice, periods: 1 });
  const amountFen = roundToFen(total, item.rounding);
  if (amountFen <= 0) return null;
  return { amountFen, basis: { kind: item.kind, bindingId: w.bindingId, date: w.from, unitPrice, priceSource: w.unitPrice ? 'binding' : item.priceSource, exactFen: showExact(total), rounding: item.rounding, ...(item.lateFee && { lateFee: item.lateFee }) } };
}

function pricing(item: ItemRule) {
  return item.tiers ? { tiers: item.tiers } : { unitPrice: item.unitPrice! };
}

/** 水费/电费/燃气 from one accepted reading: its usage (multiplier and any replacement already applied) × price or tiers. */
export function meteredLine(item: ItemRule, period: Period, r: { meterId: string; meterNumber: string; readingId: string; previous: string; current: string; multiplier: string; usage: string; flags: string[] }): Computed | null {
  const total = meteredFeeExact({ usage: r.usage, ...pricing(item) });
  const amountFen = roundToFen(total, item.rounding);
  if (amountFen <= 0) return null;
  return {
    amountFen,
    basis: {
      kind: item.kind,
      meterId: r.meterId,
      meterNumber: r.meterNumber,
      readingId: r.readingId,
      previous: r.previous,
      current: r.current,
      multiplier: r.multiplier,
      usage: r.usage,
      ...(r.flags.length && { flags: r.flags }),
      ...pricing(item),
      priceSource: item.priceSource,
      exactFen: showExact(total),
      rounding: item.rounding,
      ...extraTerms(item, period),
    },
  };
}

/**
 * 公摊 of one building: the building meters' usage priced once (rounded with the item's rule), then split to the 分
 * among the bound rooms by area or equally — largest remainder, so the shares add up to the building's amount.
 */
export function sharedLines(
  item: ItemRule,
  period: Period,
  building: { id: string; meters: Array<{ meterId: string; number: string; readingId: string; usage: string }>; rooms: Array<{ id: string; area: string }> },
): Map<string, Computed> {
  const out = new Map<string, Computed>();
  if (!building.rooms.length || !building.meters.length) return out;
  const usage = building.meters.map((m) => m.usage).reduce((a, b) => sumDecimal(a, b));
  const exactTotal = meteredFeeExact({ usage, ...pricing(item) });
  const totalFen = roundToFen(exactTotal, item.rounding);
  if (totalFen <= 0) return out;
  const shares = item.shareMethod === 'household' ? shareEqually({ totalFen, ids: building.rooms.map((r) => r.id) }) : shareByArea({ totalFen, parts: building.rooms });
  const areas = new Map(building.rooms.map((r) => [r.id, r.area]));
  const totalArea = building.rooms.map((r) => r.area).reduce((a, b) => sumDecimal(a, b));
  for (const s of shares) {
    if (s.amountFen <= 0) continue;
    out.set(s.id, {
      amountFen: s.amountFen,
      basis: {
        kind: item.kind,
        buildingId: building.id,
        meters: building.meters.map((m) => ({ meterId: m.meterId, number: m.number, readingId: m.readingId, usage: m.usage })),
        usage,
        ...pricing(item),
        priceSource: item.priceSource,
        buildingExactFen: showExact(exactTotal),
        buildingFen: totalFen,
        rounding: item.rounding,
        shareMethod: item.shareMethod,
        households: building.rooms.length,
        ...(item.shareMethod === 'area' && { area: areas.get(s.id), totalArea }),
        ...extraTerms(item, period),
      },
    });
  }
  return out;
}

/** Adds two non-negative decimal strings exactly ("1.5" + "2.25" → "3.75"). */
export function sumDecimal(a: string, b: string): string {
  const [ai, af = ''] = a.split('.');
  const [bi, bf = ''] = b.split('.');
  const scale = Math.max(af.length, bf.length);
  const total = BigInt(ai + af.padEnd(scale, '0')) + BigInt(bi + bf.padEnd(scale, '0'));
  const digits = total.toString().padStart(scale + 1, '0');
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}`.replace(/\.?0+$/, '') : digits;
  return text || '0';
}
