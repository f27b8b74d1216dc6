import { Empty, Flex, Tag, Typography } from 'antd';
import { FileDoneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../lib/format.ts';
import { useMyHouseholdRequests } from '../api.ts';

const COLOR = { pending: 'processing', approved: 'success', rejected: 'error' } as const;

/** 我的申请: the family members and tenants I asked to add, and what the office decided. */
export function MyRequests() {
  const { t } = useTranslation();
  const list = useMyHouseholdRequests();
  const items = list.data?.items ?? [];
  if (list.isPending || (!items.length && !list.error)) return null;
  return (
    <div className="m-card" data-testid="m-requests">
      <div className="m-card-title">
        <FileDoneOutlined /> {t('mobile.myRequests')}
      </div>
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <Flex vertical gap={10}>
          {items.map((r) => (
            <div className="m-list-item" key={r.id} data-testid="m-request">
              <Flex justify="space-between" align="flex-start" gap={8}>
                <div style={{ minWidth: 0 }}>
                  <Typography.Text strong style={{ fontSize: 16 }}>
                    {r.name}
                  </Typography.Text>
                  <span style={{ color: '#888', marginLeft: 8, fontSize: 13 }}>{t(`mobile.relations.${r.relation}`)}</span>
                  <div style={{ color: '#888', fontSize: 13, marginTop: 2 }}>
                    {r.roomLabel} · {formatDate(r.createdAt)}
                  </div>
                  {r.relation === 'tenant' && r.leaseStart && (
                    <div style={{ color: '#888', fontSize: 13 }}>{t('mobile.leasePeriod', { from: formatDate(r.leaseStart), to: formatDate(r.leaseEnd) })}</div>
                  )}
                  {r.decisionNote && <div style={{ fontSize: 13, marginTop: 4 }}>{t('mobile.officeNote', { note: r.decisionNote })}</div>}
                </div>
                <Tag color={COLOR[r.status]} style={{ marginInlineEnd: 0 }} data-testid="m-request-status">
                  {t(`mobile.requestStatuses.${r.status}`)}
                </Tag>
              </Flex>
            </div>
          ))}
        </Flex>
      )}
    </div>
  );
}
