import type { ReactNode } from 'react';
import { Card, Select, Statistic, Typography } from 'antd';
import dayjs from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import type { Rule } from 'antd/es/form';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../../../../src/modules/roles/schema.ts';
import type { Page } from '../../../../../../src/core/pagination.ts';
import { currentLang } from '../../../../i18n/index.ts';
import { api } from '../../../../lib/api.ts';
import { formatYuan, yuanToFen } from '../../../../lib/format.ts';
import { useAbilities } from '../../../auth/api.ts';
import { useStaffList } from '../../../staff/api.ts';
import type { BucketKey } from '../../api-arrears.ts';

/** The aging buckets, youngest first, each with its colour: the older the debt, the redder. */
export const BUCKETS: ReadonlyArray<{ key: BucketKey; color: string }> = [
  { key: 'd1_30', color: '#fadb14' },
  { key: 'd31_90', color: '#faad14' },
  { key: 'd91_180', color: '#fa8c16' },
  { key: 'd181_365', color: '#f5222d' },
  { key: 'over365', color: '#a8071a' },
];

export const GREEN = '#52c41a';
export const RED = '#f5222d';
export const BLUE = '#1677ff';

/** 分 → yuan as a number, for chart axes only (money is never computed from it). */
export const chartYuan = (fen: number) => fen / 100;

/** A chart axis label in yuan, compact in the UI language (3万, 30K). */
export function axisYuan(v: number): string {
  return new Intl.NumberFormat(currentLang(), { notation: 'compact', maximumFractionDigits: 1 }).format(v);
}

/** A chart tooltip amount in yuan. */
export const tooltipYuan = (v: unknown) => `¥${Number(v).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** "2026-03" as an axis label in the UI language (dayjs follows it): 3月, or Mar. */
export const axisMonth = (month: string) => dayjs(`${month}-01`).format('MMM');

/** An amount in 分 shown as yuan, right-aligned in tables by the column. */
export function Money({ fen, strong, type }: { fen: number | null | undefined; strong?: boolean; type?: 'danger' | 'success' | 'secondary' }) {
  return (
    <Typography.Text strong={strong} type={type} style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
      {formatYuan(fen)}
    </Typography.Text>
  );
}

/** A rate in percent (2 decimals from the server), or — when nothing was billed. */
export const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v.toFixed(2)}%`);

/** A form rule for a yuan amount typed as text: at most two decimals, and above zero unless `allowZero`. */
export function yuanRule(message: string, allowZero = false): Rule {
  return {
    validator: async (_r, value: string | undefined) => {
      if (value === undefined || value === null || String(value).trim() === '') return;
      const fen = yuanToFen(String(value));
      if (fen === null || (!allowZero && fen === 0)) throw new Error(message);
    },
  };
}

/** A figure on a small card. */
export function Kpi({ title, value, suffix, color, hint, testId, compact }: { title: string; value: ReactNode; suffix?: string; color?: string; hint?: ReactNode; testId?: string; compact?: boolean }) {
  return (
    <Card size="small" style={{ height: '100%' }} data-testid={testId}>
      <Statistic title={title} value={value as string} suffix={suffix} styles={{ content: { color, fontVariantNumeric: 'tabular-nums', fontSize: compact ? 20 : undefined, whiteSpace: 'nowrap' } }} />
      {hint && <div style={{ fontSize: 12, marginTop: 4 }}>{hint}</div>}
    </Card>
  );
}

/**
 * Staff who may collect in a community: active, assigned to it (or to all), and — when the caller may read roles —
 * holding billing.collect or billing.manage. Without staff.read there is no list; the server checks the choice.
 */
export function useCollectors(communityId: string | undefined) {
  const can = useAbilities();
  const staff = useStaffList({ pageSize: 200, status: 'active' }, can('staff.read'));
  const roles = useQuery({ queryKey: ['roles', 'list', ''], queryFn: () => api.get<Page<Role>>('/api/roles', { pageSize: 200, q: '' }), enabled: can('role.read') });
  const collecting = roles.data ? new Set(roles.data.items.filter((r) => r.permissions.includes('billing.collect') || r.permissions.includes('billing.manage')).map((r) => r.id)) : null;
  const items = (staff.data?.items ?? []).filter(
    (s) => (s.allCommunities || s.communities.some((c) => c.id === communityId)) && (collecting === null || s.roles.some((r) => collecting.has(r.id))),
  );
  return { items, loading: staff.isLoading, available: can('staff.read') };
}

export function CollectorSelect({ communityId, value, onChange, testId, allowClear = true, placeholder }: { communityId: string | undefined; value?: string; onChange?: (v: string | undefined) => void; testId?: string; allowClear?: boolean; placeholder?: string }) {
  const collectors = useCollectors(communityId);
  return (
    <Select
      value={value}
      onChange={(v: string | undefined) => onChange?.(v)}
      allowClear={allowClear}
      showSearch={{ optionFilterProp: 'label' }}
      loading={collectors.loading}
      placeholder={placeholder}
      data-testid={testId}
      options={collectors.items.map((s) => ({ value: s.id, label: `${s.displayName} · ${s.roles.map((r) => r.name).join(', ')}` }))}
      style={{ width: '100%' }}
    />
  );
}

/** "1栋 · 锦华苑" when the list spans communities, else the name alone. */
export function GroupName({ name, communityName, showCommunity }: { name: string; communityName: string; showCommunity: boolean }) {
  const { t } = useTranslation();
  if (!showCommunity || name === communityName) return <span>{name}</span>;
  return (
    <span>
      {name}
      <Typography.Text type="secondary" style={{ marginLeft: 6, fontSize: 12 }} aria-label={t('billingArrears.common.community')}>
        {communityName}
      </Typography.Text>
    </span>
  );
}
