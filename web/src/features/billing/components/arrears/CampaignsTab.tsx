import { useState, type HTMLAttributes } from 'react';
import { Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../../components/QueryError.tsx';
import { formatDateTime } from '../../../../lib/format.ts';
import { useCampaigns, type Campaign } from '../../api-arrears.ts';
import { ChannelTags } from './labels.tsx';
import { Money } from './shared.tsx';

/** 催缴活动, newest first; a row opens the campaign. */
export function CampaignsTab({ communityId, onOpen }: { communityId: string | undefined; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const q = useCampaigns({ communityId, ...page });
  return (
    <div data-testid="collection-campaigns">
      {q.error && <QueryError error={q.error} onRetry={() => void q.refetch()} />}
      <Table<Campaign>
        size="small"
        rowKey="id"
        dataSource={q.data?.items ?? []}
        loading={q.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('billingArrears.collection.empty') }}
        data-testid="campaigns-table"
        onRow={(r) => ({ onClick: () => onOpen(r.id), style: { cursor: 'pointer' }, 'data-testid': 'campaign-row' }) as HTMLAttributes<HTMLTableRowElement>}
        pagination={{ current: page.page, pageSize: page.pageSize, total: q.data?.total ?? 0, showSizeChanger: true, onChange: (p, s) => setPage({ page: s === page.pageSize ? p : 1, pageSize: s }) }}
        columns={[
          { title: t('billingArrears.collection.campaignTitle'), dataIndex: 'title', render: (v: string) => <Typography.Link>{v}</Typography.Link> },
          ...(communityId ? [] : [{ title: t('billingArrears.common.community'), dataIndex: 'communityName' }]),
          { title: t('billingArrears.collection.channels'), dataIndex: 'channels', render: (v: Campaign['channels']) => <ChannelTags channels={v} /> },
          { title: t('billingArrears.collection.rooms'), dataIndex: 'roomCount', align: 'right' as const },
          { title: t('billingArrears.collection.totalOwed'), dataIndex: 'totalOwedFen', align: 'right' as const, render: (v: number) => <Money fen={v} strong /> },
          {
            title: `${t('billingArrears.collection.smsCount')} / ${t('billingArrears.collection.inAppCount')} / ${t('billingArrears.collection.taskCount')}`,
            key: 'counts',
            align: 'center' as const,
            render: (_: unknown, r: Campaign) => `${r.smsCount} / ${r.inAppCount} / ${r.taskCount}`,
          },
          { title: t('billingArrears.collection.createdBy'), dataIndex: 'createdBy', render: (v: string | null) => v ?? '—' },
          { title: t('billingArrears.collection.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
        ]}
      />
    </div>
  );
}
