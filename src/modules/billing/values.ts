import { ValidationError } from '../../core/errors.ts';
import { type Period, addExact, exact, mulExact, parseDecimal, parsePeriodKey } from './rules.ts';

/**
 * Turning request values into exact decimal strings and periods, naming the field when they are wrong: a price of
 * "0", "-1" or "1.23456" is a 400 naming `unitPrice`, never a rounded or float value.
 */

const SHAPE = /^-?\d+(?:\.\d+)?$/;

export interface DecimalRule {
  /** Digits allowed after the point. */
  scale: number;
  sign: 'positive' | 'nonNegative';
  /** Digits allowed before the point (numeric(14,4) holds 10). */
  intDigits?: number;
  example?: string;
}

export const PRICE: DecimalRule = { scale: 4, sign: 'positive', intDigits: 10, example: '1.80' };
export const READING: DecimalRule = { scale: 4, sign: 'nonNegative', intDigits: 10, example: '1234.5' };
export const MULTIPLIER: DecimalRule = { scale: 4, sign: 'positive', intDigits: 6, example: '40' };
export const PERCENT: DecimalRule = { scale: 2, sign: 'nonNegative', intDigits: 3, example: '50' };
export const RATE: DecimalRule = { scale: 4, sign: 'positive', intDigits: 3, example: '0.5' };

/** A decimal from JSON (string or number) as a plain decimal string, or a 400 naming `field`. */
export function decimalOf(value: string | number, field: string, rule: DecimalRule): string {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  const example = { example: rule.example ?? '1.5' };
  if (!SHAPE.test(text)) throw new ValidationError(field, 'validation.decimalFormat', example);
  const [whole, decimals = ''] = text.replace('-', '').split('.');
  if (decimals.length > rule.scale) throw new ValidationError(field, 'validation.decimalScale', { scale: rule.scale });
  if (whole.replace(/^0+(?=\d)/, '').length > (rule.intDigits ?? 10)) throw new ValidationError(field, 'validation.decimalTooLarge');
  let parsed;
  try {
    parsed = parseDecimal(text, rule.scale, { sign: 'any' });
  } catch {
    throw new ValidationError(field, 'validation.decimalFormat', example);
  }
  if (parsed.num < 0n) throw new ValidationError(field, 'validation.negative');
  if (rule.sign === 'positive' && parsed.num === 0n) throw new ValidationError(field, 'validation.notPositive');
  return text;
}

export function optionalDecimal(value: string | number | null | undefined, field: string, rule: DecimalRule): string | null {
  return value === null || value === undefined || value === '' ? null : decimalOf(value, field, rule);
}

/** A period key ('2026-11', '2026-Q4', '2026-H2', '2026') between 2000 and 2100, or a 400 naming `field`. */
export function periodOfKey(key: string, field = 'periodKey'): Period {
  let period: Period;
  try {
    period = parsePeriodKey(key.trim());
  } catch {
    throw new ValidationError(field, 'validation.periodKey');
  }
  const year = Number(period.start.slice(0, 4));
  if (year < 2000 || year > 2100) throw new ValidationError(field, 'validation.periodKey');
  return period;
}

const DAY_MS = 86_400_000;

/** A business date plus whole days ('2026-11-01' + 15 → '2026-11-16'). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

export const laterOf = (a: string, b: string) => (a > b ? a : b);
export const earlierOf = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);

/** Whether two inclusive date ranges (null end = open) share a day. */
export function overlaps(aFrom: string, aTo: string | null, bFrom: string, bTo: string | null): boolean {
  return (aTo === null || bFrom <= aTo) && (bTo === null || aFrom <= bTo);
}

/** Compares two decimal strings exactly: -1, 0 or 1. */
export function compareDecimal(a: string, b: string): number {
  const diff = addExact(parseDecimal(a, 12, { sign: 'any' }), mulExact(parseDecimal(b, 12, { sign: 'any' }), exact(-1)));
  return diff.num > 0n ? 1 : diff.num < 0n ? -1 : 0;
}
