import type { TFunction } from 'i18next';
import { formatYuan } from '../../lib/format.ts';

/** "¥1,234.56" */
export const yuan = (t: TFunction, fen: number) => t('billingMobile.yuan', { amount: formatYuan(fen) });

/** A bill period's name: '2026-11' → 2026年11月, '2026-Q4' → 2026年第4季度, '2026-H1' → 2026年上半年, '2026' → 2026年度. */
export function periodLabel(t: TFunction, key: string): string {
  const m = /^(\d{4})(?:-(\d{2})|-Q([1-4])|-H([12]))?$/.exec(key);
  if (!m) return key;
  const year = m[1];
  if (m[2]) return t('billingMobile.periodMonth', { year, month: Number(m[2]) });
  if (m[3]) return t('billingMobile.periodQuarter', { year, n: m[3] });
  if (m[4]) return t(m[4] === '1' ? 'billingMobile.periodHalfFirst' : 'billingMobile.periodHalfSecond', { year });
  return t('billingMobile.periodYear', { year });
}

export const STATUS_COLORS = { pending: '#1677ff', succeeded: '#52c41a', failed: '#ff4d4f', closed: '#8c8c8c' } as const;
