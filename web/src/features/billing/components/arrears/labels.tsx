import { Flex, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Channel, Outcome } from '../../api-arrears.ts';

const CHANNEL_COLORS: Record<Channel, string> = { sms: 'blue', inApp: 'geekblue', letter: 'gold', task: 'purple' };

/** How an outcome reads at a glance: paid is good news, promised is on its way, the rest need a follow-up. */
export const OUTCOME_COLORS: Record<Outcome, string> = { paid: 'success', promised: 'processing', refused: 'error', unreachable: 'default', dispute: 'warning', other: 'default' };

export function ChannelTags({ channels }: { channels: readonly Channel[] }) {
  const { t } = useTranslation();
  return (
    <Flex gap={4} wrap>
      {channels.map((c) => (
        <Tag key={c} color={CHANNEL_COLORS[c]} style={{ marginInlineEnd: 0 }}>
          {t(`billingArrears.collection.channel.${c}`)}
        </Tag>
      ))}
    </Flex>
  );
}

/** An open task, or a done one with its outcome. */
export function TaskStateTag({ status, outcome }: { status: 'open' | 'done'; outcome: Outcome | null }) {
  const { t } = useTranslation();
  if (status === 'open' || !outcome) return <Tag color="orange">{t('billingArrears.tasks.status.open')}</Tag>;
  return <Tag color={OUTCOME_COLORS[outcome]}>{t(`billingArrears.tasks.outcome.${outcome}`)}</Tag>;
}
