/**
 * Pure fee formulas of 收费 (DOMAIN.md §5). Money is integer 分. Each formula parses its decimal strings into
 * exact BigInt fractions, multiplies without loss and rounds once, at the end, with the fee item's rule — a
 * float would turn ¥1.005 into 100.4999… 分. The `…Exact` variants return the unrounded amount so that callers
 * can chain proration, vacancy discounts and sums before that single rounding.
 * Dates are business dates 'YYYY-MM-DD' in the community's time zone; no time-zone arithmetic happens here.
 */

export type Rounding = 'halfUp' | 'up' | 'down';

/** An exact rational number num/den (den > 0, lowest terms). Amounts are in 分 unless a name says otherwise. */
export interface Exact {
  readonly num: bigint;
  readonly den: bigint;
}

type Sign = 'positive' | 'nonNegative' | 'any';

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function fraction(num: bigint, den: bigint): Exact {
  const [n, d] = den < 0n ? [-num, -den] : [num, den];
  const g = gcd(n, d);
  return { num: n / g, den: d / g };
}

const ZERO: Exact = { num: 0n, den: 1n };
const ONE: Exact = { num: 1n, den: 1n };
const FEN_PER_YUAN = 100n;

/** An integer (分, months, days) as an exact number. Fractional JS numbers are refused: they are not exact. */
export function exact(value: number | bigint): Exact {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`${value} is not a safe integer`);
  return { num: BigInt(value), den: 1n };
}

export function addExact(...values: Exact[]): Exact {
  return values.reduce((a, b) => fraction(a.num * b.den + b.num * a.den, a.den * b.den), ZERO);
}

export function mulExact(...values: Exact[]): Exact {
  return values.reduce((a, b) => fraction(a.num * b.num, a.den * b.den), ONE);
}

function sub(a: Exact, b: Exact): Exact {
  return fraction(a.num * b.den - b.num * a.den, a.den * b.den);
}

function div(a: Exact, b: Exact): Exact {
  if (b.num === 0n) throw new RangeError('division by zero');
  return fraction(a.num * b.den, a.den * b.num);
}

function cmp(a: Exact, b: Exact): number {
  const d = a.num * b.den - b.num * a.den;
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}

function checkSign(value: Exact, sign: Sign, label: string, shown: string): Exact {
  if (sign === 'positive' && value.num <= 0n) throw new RangeError(`${label} must be greater than 0, got ${shown}`);
  if (sign === 'nonNegative' && value.num < 0n) throw new RangeError(`${label} must not be negative, got ${shown}`);
  return value;
}

/**
 * Parses a plain decimal ("2.3500", "-3", "0.5") with at most `maxScale` decimals. Exponents, blanks, "+", ".5"
 * and "5." are malformed. Negative values are refused unless `sign: 'any'`.
 */
export function parseDecimal(text: string, maxScale: number, options: { sign?: Sign; label?: string } = {}): Exact {
  const label = options.label ?? 'value';
  const match = /^(-?)(\d{1,18})(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`${label}: "${text}" is not a decimal number such as 12.50`);
  const decimals = match[3] ?? '';
  if (decimals.length > maxScale) throw new RangeError(`${label}: "${text}" has more than ${maxScale} decimals`);
  const value = fraction(BigInt(match[1] + match[2] + decimals), 10n ** BigInt(decimals.length));
  return checkSign(value, options.sign ?? 'nonNegative', label, `"${text}"`);
}

/** A count (months, periods) given as a safe integer or an exact fraction such as `activeMonths(...)`. */
function countArg(value: number | Exact, label: string, sign: Sign): Exact {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`${label} must be a whole number or an exact fraction, got ${value}`);
    return checkSign(exact(value), sign, label, String(value));
  }
  return checkSign(value, sign, label, `${value.num}/${value.den}`);
}

function fenArg(value: number, label: string): bigint {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${label} must be a whole, non-negative number of 分, got ${value}`);
  return BigInt(value);
}

/**
 * Rounds an exact amount of 分 to whole 分, once. 'halfUp' is 四舍五入 (0.5 goes up), 'up' 向上取整, 'down' 向下
 * (truncation). Negative amounts round symmetrically by magnitude, so a credit mirrors the charge it reverses.
 */
export function roundToFen(value: Exact, rule: Rounding): number {
  const negative = value.num < 0n;
  const magnitude = negative ? -value.num : value.num;
  let whole = magnitude / value.den;
  const rest = magnitude % value.den;
  if (rest !== 0n && (rule === 'up' || (rule === 'halfUp' && 2n * rest >= value.den))) whole += 1n;
  if (whole > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('amount is too large');
  return Number(negative ? -whole : whole);
}

/** Renders an exact value whose denominator divides a power of ten as a plain decimal ("12.5", "30"). */
export function formatDecimal(value: Exact): string {
  let scale = 0;
  while ((10n ** BigInt(scale)) % value.den !== 0n) {
    if (++scale > 30) throw new RangeError('value has no finite decimal form');
  }
  const scaled = (value.num * 10n ** BigInt(scale)) / value.den;
  const digits = (scaled < 0n ? -scaled : scaled).toString().padStart(scale + 1, '0');
  const body = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return (scaled < 0n ? '-' : '') + body;
}

// ── Fee items ──────────────────────────────────────────────────────────────────────────────────────────────

/** 物业费: built-up area (m², ≤ 4 decimals) × unit price (元/m²·月, ≤ 4 decimals) × months, in exact 分. */
export function areaFeeExact(args: { area: string; unitPrice: string; months: number | Exact }): Exact {
  const area = parseDecimal(args.area, 4, { sign: 'positive', label: 'area' });
  const price = parseDecimal(args.unitPrice, 4, { sign: 'positive', label: 'unitPrice' });
  return mulExact(area, price, exact(FEN_PER_YUAN), countArg(args.months, 'months', 'nonNegative'));
}

export function areaFee(args: { area: string; unitPrice: string; months: number | Exact; rounding: Rounding }): number {
  return roundToFen(areaFeeExact(args), args.rounding);
}

/** 停车费, per-household fees: quantity × unit price (元 per unit per period) × periods, in exact 分. */
export function perUnitFeeExact(args: { quantity: string | number; unitPrice: string; periods: number | Exact }): Exact {
  const quantity = typeof args.quantity === 'number'
    ? countArg(args.quantity, 'quantity', 'positive')
    : parseDecimal(args.quantity, 4, { sign: 'positive', label: 'quantity' });
  const price = parseDecimal(args.unitPrice, 4, { sign: 'positive', label: 'unitPrice' });
  return mulExact(quantity, price, exact(FEN_PER_YUAN), countArg(args.periods, 'periods', 'nonNegative'));
}

export function perUnitFee(args: { quantity: string | number; unitPrice: string; periods: number | Exact; rounding: Rounding }): number {
  return roundToFen(perUnitFeeExact(args), args.rounding);
}

/** One price band of 阶梯价: usage up to `upTo` (cumulative; null = no upper bound) costs `unitPrice` 元 per unit. */
export interface Tier {
  upTo: string | null;
  unitPrice: string;
}

export type MeteredPricing = { unitPrice: string; tiers?: never } | { tiers: Tier[]; unitPrice?: never };

/**
 * 水费/电费/燃气: usage × price, or tiered. `usedBefore` is the usage already billed in the tier period (tiers of
 * 阶梯水价 usually count per year), so this bill continues where the last one stopped.
 */
export function meteredFeeExact(args: { usage: string; usedBefore?: string } & MeteredPricing): Exact {
  const usage = parseDecimal(args.usage, 8, { label: 'usage' });
  if (args.tiers === undefined) {
    return mulExact(usage, parseDecimal(args.unitPrice, 4, { sign: 'positive', label: 'unitPrice' }), exact(FEN_PER_YUAN));
  }
  const from = parseDecimal(args.usedBefore ?? '0', 8, { label: 'usedBefore' });
  const to = addExact(from, usage);
  if (args.tiers.length === 0) throw new RangeError('tiers must not be empty');
  let lower = ZERO;
  let total = ZERO;
  args.tiers.forEach((tier, i) => {
    const last = i === args.tiers.length - 1;
    if ((tier.upTo === null) !== last) throw new RangeError('only the last tier, and always the last tier, has upTo = null');
    const upper = tier.upTo === null ? null : parseDecimal(tier.upTo, 4, { sign: 'positive', label: `tiers[${i}].upTo` });
    if (upper && cmp(upper, lower) <= 0) throw new RangeError('tier bounds must increase');
    const price = parseDecimal(tier.unitPrice, 4, { sign: 'positive', label: `tiers[${i}].unitPrice` });
    const start = cmp(from, lower) > 0 ? from : lower;
    const end = upper && cmp(to, upper) > 0 ? upper : to;
    if (cmp(end, start) > 0) total = addExact(total, mulExact(sub(end, start), price));
    if (upper) lower = upper;
  });
  return mulExact(total, exact(FEN_PER_YUAN));
}

export function meteredFee(args: { usage: string; usedBefore?: string; rounding: Rounding } & MeteredPricing): number {
  return roundToFen(meteredFeeExact(args), args.rounding);
}

/**
 * Usage between two readings (≤ 4 decimals) times the meter's multiplier (倍率, e.g. a current transformer's 40).
 * When the meter was replaced between readings, usage is what the old meter ran up to its final reading plus what
 * the new one ran from its initial reading. A reading below the previous one without a replacement is an error
 * (a typo or an unrecorded replacement), never negative usage. Returns an exact decimal string.
 */
export function meterUsage(args: {
  previous: string;
  current: string;
  multiplier?: string;
  replaced?: { oldFinal: string; newInitial: string };
}): string {
  const reading = (text: string, label: string) => parseDecimal(text, 4, { label });
  const previous = reading(args.previous, 'previous');
  const current = reading(args.current, 'current');
  const multiplier = parseDecimal(args.multiplier ?? '1', 4, { sign: 'positive', label: 'multiplier' });
  const run = (from: Exact, to: Exact, what: string) => {
    if (cmp(to, from) < 0) throw new RangeError(`${what} is lower than the reading before it; record a meter replacement if the meter was changed`);
    return sub(to, from);
  };
  const usage = args.replaced
    ? addExact(
        run(previous, reading(args.replaced.oldFinal, 'replaced.oldFinal'), 'the old meter\'s final reading'),
        run(reading(args.replaced.newInitial, 'replaced.newInitial'), current, 'the current reading'),
      )
    : run(previous, current, 'the current reading');
  return formatDecimal(mulExact(usage, multiplier));
}

// ── 公摊: sharing a total ─────────────────────────────────────────────────────────────────────────────────────

export interface Share {
  id: string;
  amountFen: number;
}

/**
 * Largest-remainder split: everyone gets the floor of the exact share, then the 分 left over go one each to the
 * largest fractional parts; equal fractions go to the smaller id (code-unit order), so the result does not depend
 * on the order of the input. The shares always sum to the total, which is why no rounding rule applies here.
 */
function splitByWeight(totalFen: number, parts: { id: string; weight: bigint }[]): Share[] {
  const total = fenArg(totalFen, 'totalFen');
  if (parts.length === 0) throw new RangeError('there must be at least one part to share among');
  if (new Set(parts.map((p) => p.id)).size !== parts.length) throw new RangeError('part ids must be unique');
  const sum = parts.reduce((s, p) => s + p.weight, 0n);
  const rows = parts.map((p) => ({ id: p.id, fen: (total * p.weight) / sum, rest: (total * p.weight) % sum }));
  let left = total - rows.reduce((s, r) => s + r.fen, 0n);
  const order = [...rows].sort((a, b) => (a.rest !== b.rest ? (a.rest > b.rest ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const row of order) {
    if (left === 0n) break;
    row.fen += 1n;
    left -= 1n;
  }
  return rows.map((r) => ({ id: r.id, amountFen: Number(r.fen) }));
}

/** Shares a building meter's amount by area (m², > 0, ≤ 4 decimals). */
export function shareByArea(args: { totalFen: number; parts: { id: string; area: string }[] }): Share[] {
  return splitByWeight(args.totalFen, args.parts.map((p) => {
    const area = parseDecimal(p.area, 4, { sign: 'positive', label: `area of ${p.id}` });
    return { id: p.id, weight: (area.num * 10_000n) / area.den };
  }));
}

/** Shares an amount equally per household; the extra 分 go to the smallest ids. */
export function shareEqually(args: { totalFen: number; ids: string[] }): Share[] {
  return splitByWeight(args.totalFen, args.ids.map((id) => ({ id, weight: 1n })));
}

// ── Dates and periods ─────────────────────────────────────────────────────────────────────────────────────────

const DAY_MS = 86_400_000;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseDate(text: string, label = 'date'): { y: number; m: number; d: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const [y, m, d] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  if (!match || y < 1900 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
    throw new RangeError(`${label}: "${text}" is not a date in the form YYYY-MM-DD`);
  }
  return { y, m, d };
}

function dayNumber(text: string, label?: string): number {
  const { y, m, d } = parseDate(text, label);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function formatDate(y: number, m: number, d: number): string {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function dateOf(day: number): string {
  const date = new Date(day * DAY_MS);
  return formatDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/** The same day `months` later; the 31st becomes the last day of a shorter month (2026-01-31 + 1 → 2026-02-28). */
export function addMonths(date: string, months: number): string {
  const { y, m, d } = parseDate(date);
  const index = y * 12 + (m - 1) + months;
  const [ny, nm] = [Math.floor(index / 12), (index % 12) + 1];
  return formatDate(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/** Whole months from `start` to `at` (anniversary days, see addMonths); 0 when `at` is before the first one. */
function monthsElapsed(start: string, at: string): number {
  const [a, b] = [parseDate(start), parseDate(at)];
  let months = (b.y - a.y) * 12 + (b.m - a.m);
  if (months > 0 && addMonths(start, months) > at) months -= 1;
  return Math.max(months, 0);
}

/**
 * The number of months a charge is due for within [periodStart, periodEnd] when it is active from `activeFrom` to
 * `activeTo` (both inclusive; null = open). Each calendar month counts days active ÷ days in that month, so a
 * move-in on 2026-03-17 is 15/31 of March and February 2028 has 29 days. The result is exact, for one rounding.
 */
export function activeMonths(args: { periodStart: string; periodEnd: string; activeFrom?: string | null; activeTo?: string | null }): Exact {
  const periodStart = dayNumber(args.periodStart, 'periodStart');
  const periodEnd = dayNumber(args.periodEnd, 'periodEnd');
  if (periodEnd < periodStart) throw new RangeError('periodEnd is before periodStart');
  const from = args.activeFrom ? dayNumber(args.activeFrom, 'activeFrom') : -Infinity;
  const to = args.activeTo ? dayNumber(args.activeTo, 'activeTo') : Infinity;
  if (to < from) throw new RangeError('activeTo is before activeFrom');
  let total = ZERO;
  for (let day = Math.max(periodStart, from); day <= Math.min(periodEnd, to);) {
    const { y, m, d } = parseDate(dateOf(day));
    const length = daysInMonth(y, m);
    const through = Math.min(periodEnd, to, day + (length - d));
    total = addExact(total, fraction(BigInt(through - day + 1), BigInt(length)));
    day = through + 1;
  }
  return total;
}

/** A monthly amount (分, whole or exact) charged for the active part of a period, rounded once. */
export function prorate(args: {
  monthly: number | Exact;
  periodStart: string;
  periodEnd: string;
  activeFrom?: string | null;
  activeTo?: string | null;
  rounding: Rounding;
}): number {
  const monthly = typeof args.monthly === 'number' ? exact(fenArg(args.monthly, 'monthly')) : args.monthly;
  return roundToFen(mulExact(monthly, activeMonths(args)), args.rounding);
}

export type Cycle = 'monthly' | 'quarterly' | 'halfYearly' | 'yearly';

/** A billing period: calendar month, quarter, half year or year, with a stable key for idempotent bill runs. */
export interface Period {
  cycle: Cycle;
  start: string;
  end: string;
  key: string;
}

const CYCLE_MONTHS: Record<Cycle, number> = { monthly: 1, quarterly: 3, halfYearly: 6, yearly: 12 };

function periodAt(cycle: Cycle, y: number, firstMonth: number): Period {
  const lastMonth = firstMonth + CYCLE_MONTHS[cycle] - 1;
  const index = (firstMonth - 1) / CYCLE_MONTHS[cycle] + 1;
  const key = {
    monthly: `${y}-${String(firstMonth).padStart(2, '0')}`,
    quarterly: `${y}-Q${index}`,
    halfYearly: `${y}-H${index}`,
    yearly: String(y),
  }[cycle];
  return { cycle, start: formatDate(y, firstMonth, 1), end: formatDate(y, lastMonth, daysInMonth(y, lastMonth)), key };
}

/** The period of `cycle` that contains `date`. */
export function periodOf(args: { cycle: Cycle; date: string }): Period {
  const { y, m } = parseDate(args.date);
  const length = CYCLE_MONTHS[args.cycle];
  return periodAt(args.cycle, y, Math.floor((m - 1) / length) * length + 1);
}

export function nextPeriod(period: Period): Period {
  const { y, m } = parseDate(period.start);
  const next = m + CYCLE_MONTHS[period.cycle];
  return next > 12 ? periodAt(period.cycle, y + 1, next - 12) : periodAt(period.cycle, y, next);
}

/** The periods from the one containing `from` up to the one containing `to` (at most 1,200). */
export function periodsOf(args: { cycle: Cycle; from: string; to: string }): Period[] {
  if (dayNumber(args.to, 'to') < dayNumber(args.from, 'from')) throw new RangeError('to is before from');
  const out = [periodOf({ cycle: args.cycle, date: args.from })];
  while (out[out.length - 1].end < args.to) {
    if (out.length >= 1200) throw new RangeError('too many periods');
    out.push(nextPeriod(out[out.length - 1]));
  }
  return out;
}

export function periodKey(cycle: Cycle, date: string): string {
  return periodOf({ cycle, date }).key;
}

/** The period a key such as '2026-03', '2026-Q1', '2026-H2' or '2026' names. */
export function parsePeriodKey(key: string): Period {
  const match = /^(\d{4})(?:-(\d{2})|-Q([1-4])|-H([12]))?$/.exec(key);
  const y = match ? Number(match[1]) : 0;
  if (!match || y < 1900 || (match[2] && (Number(match[2]) < 1 || Number(match[2]) > 12))) {
    throw new RangeError(`"${key}" is not a period key such as 2026-03, 2026-Q1, 2026-H1 or 2026`);
  }
  if (match[2]) return periodAt('monthly', y, Number(match[2]));
  if (match[3]) return periodAt('quarterly', y, (Number(match[3]) - 1) * 3 + 1);
  if (match[4]) return periodAt('halfYearly', y, (Number(match[4]) - 1) * 6 + 1);
  return periodAt('yearly', y, 1);
}

// ── 滞纳金, discounts, rent ───────────────────────────────────────────────────────────────────────────────────

export type LateFeeRule =
  | { ratePerDayPermille: string; rounding: Rounding; perMonthFen?: never }
  | { perMonthFen: number; ratePerDayPermille?: never; rounding?: never };

/**
 * 滞纳金. Paying on the due date is on time; the first `graceDays` overdue days are free and only the days after
 * them are charged: principal × rate‰ per day, or `perMonthFen` for each month begun after the grace period.
 * `capFen` limits the total (many contracts cap it at the principal).
 */
export function lateFee(args: { principalFen: number; dueDate: string; paidDate: string; graceDays: number; capFen?: number } & LateFeeRule): number {
  const principal = fenArg(args.principalFen, 'principalFen');
  if ((args.ratePerDayPermille === undefined) === (args.perMonthFen === undefined)) {
    throw new RangeError('give either ratePerDayPermille or perMonthFen');
  }
  if (!Number.isSafeInteger(args.graceDays) || args.graceDays < 0) throw new RangeError('graceDays must be a whole number ≥ 0');
  const graceEnd = dateOf(dayNumber(args.dueDate, 'dueDate') + args.graceDays);
  const daysCharged = dayNumber(args.paidDate, 'paidDate') - dayNumber(graceEnd);
  let fee = 0;
  if (args.ratePerDayPermille !== undefined) {
    const rate = parseDecimal(args.ratePerDayPermille, 4, { sign: 'positive', label: 'ratePerDayPermille' });
    if (daysCharged > 0) fee = roundToFen(mulExact(exact(principal), rate, fraction(BigInt(daysCharged), 1000n)), args.rounding);
  } else {
    const perMonth = Number(fenArg(args.perMonthFen, 'perMonthFen'));
    const elapsed = daysCharged > 0 ? monthsElapsed(graceEnd, args.paidDate) : 0;
    const begun = daysCharged <= 0 ? 0 : addMonths(graceEnd, elapsed) === args.paidDate ? elapsed : elapsed + 1;
    fee = begun * perMonth;
  }
  return args.capFen === undefined ? fee : Math.min(fee, Number(fenArg(args.capFen, 'capFen')));
}

/**
 * 预交优惠 "pay N months, get M free": every full N months paid earns M more months of service. Returns the free
 * months, the months covered in all, and what the free months are worth, for the bill's discount line.
 */
export function applyPrepayDiscount(args: { monthsPaid: number; rule: { payMonths: number; freeMonths: number }; monthlyFen: number }): {
  freeMonths: number;
  coveredMonths: number;
  freeFen: number;
} {
  const { monthsPaid, rule } = args;
  if (!Number.isSafeInteger(monthsPaid) || monthsPaid < 0) throw new RangeError('monthsPaid must be a whole number ≥ 0');
  if (!Number.isSafeInteger(rule.payMonths) || rule.payMonths < 1) throw new RangeError('rule.payMonths must be a whole number ≥ 1');
  if (!Number.isSafeInteger(rule.freeMonths) || rule.freeMonths < 0) throw new RangeError('rule.freeMonths must be a whole number ≥ 0');
  const freeMonths = Math.floor(monthsPaid / rule.payMonths) * rule.freeMonths;
  const freeFen = freeMonths * Number(fenArg(args.monthlyFen, 'monthlyFen'));
  if (!Number.isSafeInteger(freeFen)) throw new RangeError('amount is too large');
  return { freeMonths, coveredMonths: monthsPaid + freeMonths, freeFen };
}

/** A fixed reduction (减免) that never takes an amount below zero. */
export function applyFixedReduction(args: { amountFen: number; reductionFen: number }): number {
  return Math.max(0, Number(fenArg(args.amountFen, 'amountFen') - fenArg(args.reductionFen, 'reductionFen')));
}

/** Charges `percent` % (0–100, ≤ 2 decimals) of an amount: "80" is 八折, "50" a 空置房 rate of half. */
export function applyPercentDiscountExact(args: { amountExact: number | Exact; percent: string }): Exact {
  const percent = parseDecimal(args.percent, 2, { label: 'percent' });
  if (cmp(percent, exact(100)) > 0) throw new RangeError(`percent must be at most 100, got "${args.percent}"`);
  const amount = typeof args.amountExact === 'number' ? exact(fenArg(args.amountExact, 'amountExact')) : args.amountExact;
  return mulExact(amount, div(percent, exact(100)));
}

export function applyPercentDiscount(args: { amountExact: number | Exact; percent: string; rounding: Rounding }): number {
  return roundToFen(applyPercentDiscountExact(args), args.rounding);
}

/**
 * 租金 at date `at`: the base rent raised by `increasePercent` % (compound) after every full `everyMonths` months
 * since `startDate`, rounded once — not rounded step by step, which would drift by a 分 per step.
 */
export function rentWithIncreases(args: {
  baseMonthlyFen: number;
  startDate: string;
  increasePercent: string;
  everyMonths: number;
  at: string;
  rounding: Rounding;
}): number {
  if (dayNumber(args.at, 'at') < dayNumber(args.startDate, 'startDate')) throw new RangeError('at is before startDate');
  if (!Number.isSafeInteger(args.everyMonths) || args.everyMonths < 1) throw new RangeError('everyMonths must be a whole number ≥ 1');
  const steps = Math.floor(monthsElapsed(args.startDate, args.at) / args.everyMonths);
  const factor = addExact(ONE, div(parseDecimal(args.increasePercent, 4, { label: 'increasePercent' }), exact(100)));
  const raised = mulExact(exact(fenArg(args.baseMonthlyFen, 'baseMonthlyFen')), ...Array.from({ length: steps }, () => factor));
  return roundToFen(raised, args.rounding);
}
