import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { InspectionStatus, NoticeStatus } from '../api.ts';

const NOTICE_COLOR: Record<NoticeStatus, string> = { open: 'blue', rectified: 'gold', returned: 'orange', closed: 'green', cancelled: 'default' };
const INSPECTION_COLOR: Record<InspectionStatus, string> = { planned: 'default', inProgress: 'processing', submitted: 'success', cancelled: 'default' };

export function NoticeStatusTag({ status, overdue }: { status: NoticeStatus; overdue?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <Tag color={NOTICE_COLOR[status]}>{t(`quality.noticeStatus.${status}`)}</Tag>
      {overdue && <Tag color="red">{t('quality.common.overdue')}</Tag>}
    </>
  );
}

export function InspectionStatusTag({ status }: { status: InspectionStatus }) {
  const { t } = useTranslation();
  return <Tag color={INSPECTION_COLOR[status]}>{t(`quality.inspectionStatus.${status}`)}</Tag>;
}
