import dayjs from 'dayjs';
import type { Cycle, FeeItem, MeterKind } from '../../api-setup.ts';

/**
 * Period keys as the server writes them — 2026-11 (month), 2026-Q4, 2026-H2, 2026 (year) — and the small
 * helpers the set-up pages share: the unit a price is quoted in, an exact 分 fraction as yuan.
 */

export function cycleOfKey(key: string): Cycle | null {
  if (/^\d{4}-\d{2}$/.test(key)) return 'monthly';
  if (/^\d{4}-Q[1-4]$/.test(key)) return 'quarterly';
  if (/^\d{4}-H[12]$/.test(key)) return 'halfYearly';
  if (/^\d{4}$/.test(key)) return 'yearly';
  return null;
}

/** The key of the period of `cycle` containing `date`. */
export function periodKeyAt(cycle: Cycle, date: dayjs.Dayjs): string {
  const y = date.year();
  const m = date.month() + 1;
  switch (cycle) {
    case 'monthly':
      return `${y}-${String(m).padStart(2, '0')}`;
    case 'quarterly':
      return `${y}-Q${Math.ceil(m / 3)}`;
    case 'halfYearly':
      return `${y}-H${m <= 6 ? 1 : 2}`;
    case 'yearly':
      return String(y);
  }
}

const STEP_MONTHS: Record<Cycle, number> = { monthly: 1, quarterly: 3, halfYearly: 6, yearly: 12 };

/** Keys of `cycle` from `back` periods before today's to `ahead` after it, newest first. */
export function periodKeys(cycle: Cycle, back = 12, ahead = 2, today = dayjs()): string[] {
  const keys: string[] = [];
  for (let i = ahead; i >= -back; i--) keys.push(periodKeyAt(cycle, today.add(i * STEP_MONTHS[cycle], 'month')));
  return keys;
}

/** The i18n key of the unit an item's price is quoted in (元/㎡·月, 元/吨 …). */
export function priceUnitKey(kind: FeeItem['kind'], meterKind?: MeterKind | null): `billingSetup.units.${'perArea' | 'perSpace' | 'water' | 'electricity' | 'gas' | 'perMonth' | 'once'}` {
  switch (kind) {
    case 'property':
      return 'billingSetup.units.perArea';
    case 'parking':
      return 'billingSetup.units.perSpace';
    case 'water':
    case 'electricity':
    case 'gas':
      return `billingSetup.units.${kind}`;
    case 'shared':
      return `billingSetup.units.${meterKind ?? 'water'}`;
    case 'oneOff':
      return 'billingSetup.units.once';
    default:
      return 'billingSetup.units.perMonth';
  }
}

export const METERED_KINDS: ReadonlyArray<FeeItem['kind']> = ['water', 'electricity', 'gas', 'shared'];
/** Items bound to rooms only; parking to spaces only; the rest to either. */
export const ROOM_ONLY_KINDS: ReadonlyArray<FeeItem['kind']> = ['property', 'water', 'electricity', 'gas', 'shared'];
export const SPACE_ONLY_KINDS: ReadonlyArray<FeeItem['kind']> = ['parking'];

/**
 * An exact amount in 分 as the basis records it ("7518" or "135123/2") shown in yuan with up to 4 decimals
 * ("75.18", "675.6150") — integer arithmetic only, so nothing is rounded that the server did not round.
 */
export function exactFenToYuan(text: string): string {
  const m = /^(-?\d+)(?:\/(\d+))?$/.exec(text.trim());
  if (!m) return text;
  const num = BigInt(m[1]);
  const den = BigInt(m[2] ?? '1');
  const negative = num < 0n;
  const abs = negative ? -num : num;
  // Yuan to 4 decimals = 分 × 100 / den, truncated; an inexact remainder is marked with "…".
  const scaled = (abs * 100n) / den;
  const exact = (abs * 100n) % den === 0n;
  const digits = scaled.toString().padStart(5, '0');
  let text2 = `${digits.slice(0, -4)}.${digits.slice(-4)}`.replace(/^0+(?=\d)/, '');
  text2 = text2.replace(/(\.\d\d\d*?)0+$/, '$1');
  return `${negative ? '-' : ''}${text2}${exact ? '' : '…'}`;
}

/** A month fraction from the basis ("7/15", "3", "1/2") for display: "7/15", "3". */
export function monthsText(text: unknown): string {
  return typeof text === 'string' || typeof text === 'number' ? String(text) : '—';
}

/** A stored decimal without its padding zeros ("120.0000" → "120", "0.5000" → "0.5") — readings, usage, multipliers. */
export function plainDecimal(text: string | null | undefined): string {
  if (text === null || text === undefined) return '—';
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
