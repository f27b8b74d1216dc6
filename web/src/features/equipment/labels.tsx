import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { STATUS_COLORS, type EquipmentStatus, type Plan } from './api.ts';

export function StatusTag({ status }: { status: EquipmentStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid={`eq-status-${status}`}>
      {t(`equipment.statuses.${status}`)}
    </Tag>
  );
}

/** "每 15 天", "每半年": a plan's cycle in words. */
export function useCycleText() {
  const { t } = useTranslation();
  return (p: Pick<Plan, 'cycle' | 'interval'>) => (p.interval === 1 && !p.cycle.startsWith('everyN') ? t(`equipment.cycles.${p.cycle}`) : t(`equipment.cycleText.${p.cycle}`, { n: p.interval }));
}

/** The inspection's due date in days: "剩余 12 天" or "已逾期 3 天", red within 7 days, orange within 30. */
export function DueTag({ daysLeft }: { daysLeft: number }) {
  const { t } = useTranslation();
  const color = daysLeft < 0 || daysLeft <= 7 ? 'red' : daysLeft <= 30 ? 'orange' : 'default';
  return <Tag color={color}>{daysLeft < 0 ? t('equipment.detail.overdueDays', { n: -daysLeft }) : t('equipment.detail.daysLeft', { n: daysLeft })}</Tag>;
}
