/**
 * Pure rules of arrears (欠费) and the collection rate (收缴率): aging buckets, month ranges, the rate and the quota
 * comparison. No I/O; table-tested in aging.test.ts. The SQL of arrears.ts is generated from the same bucket table,
 * so the figures the database adds up and these functions can never disagree on a boundary.
 */

/** Days overdue (asOf − due date) per bucket, both ends included; the last bucket is open-ended. */
export const AGING_BUCKETS = [
  { key: 'd1_30', fromDays: 1, toDays: 30 },
  { key: 'd31_90', fromDays: 31, toDays: 90 },
  { key: 'd91_180', fromDays: 91, toDays: 180 },
  { key: 'd181_365', fromDays: 181, toDays: 365 },
  { key: 'over365', fromDays: 366, toDays: null },
] as const satisfies ReadonlyArray<{ key: string; fromDays: number; toDays: number | null }>;

export type AgingBucket = (typeof AGING_BUCKETS)[number]['key'];
export type Buckets = Record<AgingBucket, number>;

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Whole days from `dueDate` to `asOf` ('2026-11-23' − '2026-11-16' = 7); 0 or less is not overdue. */
export function daysOverdue(asOf: string, dueDate: string): number {
  return dayNumber(asOf) - dayNumber(dueDate);
}

/** The bucket of a line that is `days` overdue, or null when it is not overdue yet (days ≤ 0). */
export function agingBucket(days: number): AgingBucket | null {
  if (!Number.isInteger(days)) throw new Error(`days overdue must be a whole number, got ${days}`);
  return AGING_BUCKETS.find((b) => days >= b.fromDays && (b.toDays === null || days <= b.toDays))?.key ?? null;
}

/** The due dates that fall in a bucket on `asOf`, both ends included (`from` null: any earlier date). */
export function bucketDueRange(bucket: AgingBucket, asOf: string): { from: string | null; to: string } {
  const b = AGING_BUCKETS.find((x) => x.key === bucket)!;
  const today = dayNumber(asOf);
  return { from: b.toDays === null ? null : dateOf(today - b.toDays), to: dateOf(today - b.fromDays) };
}

export function emptyBuckets(): Buckets {
  return Object.fromEntries(AGING_BUCKETS.map((b) => [b.key, 0])) as Buckets;
}

export function addBuckets(into: Buckets, more: Buckets): Buckets {
  for (const b of AGING_BUCKETS) into[b.key] += more[b.key];
  return into;
}

// ─────────────────────────────── Months and the collection rate ───────────────────────────────

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(text: string): boolean {
  return MONTH.test(text);
}

/** The first and last day of a month range ('2026-01'…'2026-11' → 2026-01-01 … 2026-11-30). */
export function monthRangeDays(from: string, to: string): { start: string; end: string } {
  const [y, m] = to.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { start: `${from}-01`, end: `${to}-${String(last).padStart(2, '0')}` };
}

/** Months from `from` to `to`, both included ('2026-01', '2026-03' → 3). */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm) + 1;
}

/** 收缴率 in hundredths of a percent, rounded half up, exactly (BigInt): 2 of 3 → 6667 (66.67 %). */
function rateHundredths(paidFen: number, billedFen: number): bigint | null {
  if (billedFen <= 0) return null;
  const paid = BigInt(paidFen);
  const billed = BigInt(billedFen);
  return (paid * 20_000n + billed) / (2n * billed);
}

/** 收缴率 in percent with 2 decimals (66.67), null when nothing was billed. A display value, never money. */
export function collectionRate(paidFen: number, billedFen: number): number | null {
  const h = rateHundredths(paidFen, billedFen);
  return h === null ? null : Number(h) / 100;
}

/** A target such as '95', '95.5' or '95.50' in hundredths of a percent (9550). */
function targetHundredths(targetPercent: string): bigint {
  const [whole, decimals = ''] = targetPercent.trim().split('.');
  if (!/^\d+$/.test(whole) || !/^\d{0,2}$/.test(decimals)) throw new Error(`not a percent with at most 2 decimals: ${targetPercent}`);
  return BigInt(whole) * 100n + BigInt(decimals.padEnd(2, '0'));
}

/**
 * Whether the rate as shown (2 decimals) reaches the target: a rate shown as 95.00 % meets a 95 % target. Null
 * when there is no target or nothing was billed.
 */
export function meetsQuota(paidFen: number, billedFen: number, targetPercent: string | null): boolean | null {
  const h = rateHundredths(paidFen, billedFen);
  if (h === null || targetPercent === null) return null;
  return h >= targetHundredths(targetPercent);
}
