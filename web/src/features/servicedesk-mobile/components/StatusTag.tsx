import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TicketStatus } from '../api.ts';
import { STATUS_COLOR } from '../labels.ts';

export function StatusTag({ status, testId }: { status: TicketStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status]} style={{ marginInlineEnd: 0, flex: 'none' }} data-testid={testId} data-status={status}>
      {t(`servicedeskMobile.statuses.${status}`)}
    </Tag>
  );
}
