import { useState } from 'react';
import { Button, Empty, Flex, Space, Table, Typography } from 'antd';
import { LogoutOutlined, UserAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDate } from '../../../lib/format.ts';
import { useAbilities } from '../../auth/api.ts';
import type { RoomDetail } from '../../estate/api.ts';
import { CareFlagTags, RelationTag } from '../labels.tsx';
import { useRoomHousehold, type RoomLink } from '../api.ts';
import { EndLinkModal } from './EndLinkModal.tsx';
import { LinkResidentModal } from './LinkResidentModal.tsx';

/** A room's household: who lives there now (owner, family, tenants) and who did before. */
export function HouseholdTab({ room, onOpenResident }: { room: RoomDetail; onOpenResident: (id: string) => void }) {
  const { t } = useTranslation();
  const can = useAbilities();
  const manage = can('resident.manage');
  const household = useRoomHousehold(room.id);
  const [linking, setLinking] = useState(false);
  const [ending, setEnding] = useState<RoomLink | null>(null);
  const [movingOut, setMovingOut] = useState(false);
  // Owners first, then family, then tenants.
  const order = { owner: 0, family: 1, tenant: 2 } as const;
  const current = [...(household.data?.current ?? [])].sort((a, b) => order[a.relation] - order[b.relation]);
  const past = household.data?.past ?? [];

  const name = (l: RoomLink) => (
    <Typography.Link onClick={() => onOpenResident(l.residentId)} data-testid="household-name" style={{ whiteSpace: 'nowrap' }}>
      {l.residentName}
    </Typography.Link>
  );
  const period = (from: string | null, to: string | null) => (from || to ? `${formatDate(from)} ~ ${to ? formatDate(to) : t('household.now')}` : '—');

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{t('household.currentCount', { count: current.length })}</Typography.Text>
        {manage && (
          <Space wrap>
            <Button icon={<UserAddOutlined />} onClick={() => setLinking(true)} data-testid="household-link">
              {t('household.link')}
            </Button>
            {current.length > 0 && (
              <Button danger icon={<LogoutOutlined />} onClick={() => setMovingOut(true)} data-testid="household-move-out">
                {t('household.moveOut')}
              </Button>
            )}
          </Space>
        )}
      </Flex>
      {household.error && <QueryError error={household.error} onRetry={() => void household.refetch()} />}
      <Table<RoomLink>
        rowKey="id"
        size="small"
        loading={household.isPending}
        dataSource={current}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="household-current"
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('household.empty')} /> }}
        columns={[
          { title: t('residents.name'), key: 'name', render: (_, l) => name(l) },
          { title: t('household.relation'), dataIndex: 'relation', render: (r: RoomLink['relation']) => <RelationTag relation={r} /> },
          { title: t('residents.phone'), dataIndex: 'phone', render: (v: string | null) => v ?? '—' },
          { title: t('household.share'), dataIndex: 'sharePercent', align: 'right', render: (v: string | null, l) => (l.relation === 'owner' ? (v ? `${Number(v)}%` : t('household.fullShare')) : '—') },
          { title: t('household.startDate'), dataIndex: 'startDate', render: formatDate },
          { title: t('household.moveInDate'), dataIndex: 'moveInDate', render: formatDate },
          { title: t('household.warrantyEnd'), dataIndex: 'warrantyEnd', render: formatDate },
          { title: t('household.lease'), key: 'lease', render: (_, l) => (l.relation === 'tenant' ? period(l.leaseStart, l.leaseEnd) : '—') },
          { title: t('residents.careFlagsLabel'), dataIndex: 'careFlags', render: (f: string[]) => (f.length ? <CareFlagTags flags={f} /> : '—') },
          ...(manage
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  fixed: 'right' as const,
                  render: (_: unknown, l: RoomLink) => (
                    <Button type="link" size="small" danger onClick={() => setEnding(l)} data-testid="household-end">
                      {t('household.end')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {past.length > 0 && (
        <>
          <Typography.Title level={5} style={{ margin: '20px 0 8px' }}>
            {t('household.past')}
          </Typography.Title>
          <Table<RoomLink>
            rowKey="id"
            size="small"
            dataSource={past}
            pagination={past.length > 10 ? { pageSize: 10 } : false}
            scroll={{ x: 'max-content' }}
            data-testid="household-past"
            columns={[
              { title: t('residents.name'), key: 'name', render: (_, l) => name(l) },
              { title: t('household.relation'), dataIndex: 'relation', render: (r: RoomLink['relation']) => <RelationTag relation={r} /> },
              { title: t('household.period'), key: 'period', render: (_, l) => period(l.startDate, l.endDate) },
              { title: t('household.endReason'), dataIndex: 'endReason', render: (v: string | null) => v ?? '—' },
            ]}
          />
        </>
      )}
      <LinkResidentModal room={room} open={linking} onClose={() => setLinking(false)} />
      <EndLinkModal link={ending} moveOutRoom={movingOut ? room : null} onClose={() => (setEnding(null), setMovingOut(false))} />
    </>
  );
}
