import { useState } from 'react';
import { Flex, Input, Segmented, Switch, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { CommunitySelect } from '../../../components/CommunitySelect.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useCurrentCommunity } from '../../../app/console/community.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useNotices, type NoticeStatus, type NoticeSummary } from '../api.ts';
import { NoticeDrawer } from '../components/NoticeDrawer.tsx';
import { NoticeStatusTag } from '../components/tags.tsx';

type Filter = 'all' | 'mine' | NoticeStatus;

/** 整改通知: every notice by status, overdue ones first and in red; a row opens the notice with its workflow. */
export default function RectificationsPage() {
  const { t } = useTranslation();
  const { community } = useCurrentCommunity();
  const [communityId, setCommunityId] = useState<string | undefined>(undefined);
  const [filter, setFilter] = useState<Filter>('all');
  const [overdue, setOverdue] = useState(false);
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string>();
  const scope = community?.id ?? communityId;
  const query = {
    communityId: scope,
    status: filter === 'all' || filter === 'mine' ? undefined : filter,
    mine: filter === 'mine' ? ('true' as const) : undefined,
    overdue: overdue ? ('true' as const) : undefined,
    q: q || undefined,
    page,
    pageSize: 20,
  };
  const list = useNotices(query);
  const filters: Filter[] = ['all', 'mine', 'open', 'returned', 'rectified', 'closed', 'cancelled'];
  return (
    <>
      <PageHeader title={t('quality.notices.title')} subtitle={t('quality.notices.subtitle')} extra={!community && <CommunitySelect allowAll value={communityId} onChange={setCommunityId} />} />
      <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
        <Segmented<Filter>
          value={filter}
          onChange={(v) => {
            setFilter(v);
            setPage(1);
          }}
          options={filters.map((f) => ({ value: f, label: f === 'all' ? t('quality.common.all') : f === 'mine' ? t('quality.notices.mine') : t(`quality.noticeStatus.${f}`) }))}
          data-testid="notice-filter"
        />
        <Flex gap={6} align="center">
          <Switch size="small" checked={overdue} onChange={setOverdue} data-testid="notice-overdue" />
          <Typography.Text>{t('quality.notices.overdueOnly')}</Typography.Text>
        </Flex>
        <Input.Search allowClear placeholder={t('quality.notices.search')} style={{ width: 240 }} onSearch={(v) => setQ(v.trim())} />
      </Flex>
      {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Table<NoticeSummary>
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data?.items}
        locale={{ emptyText: t('quality.notices.empty') }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer', ...(r.overdue && { background: '#fff1f0' }) } })}
        pagination={{ current: page, pageSize: 20, total: list.data?.total, onChange: setPage, showSizeChanger: false }}
        data-testid="notice-table"
        columns={[
          { title: t('quality.notices.no'), dataIndex: 'no', width: 150 },
          { title: t('quality.notices.description'), dataIndex: 'description', ellipsis: true },
          { title: t('quality.notices.location'), render: (_, r) => [r.buildingName, r.location].filter(Boolean).join(' · ') || '—', ellipsis: true },
          { title: t('quality.notices.department'), render: (_, r) => r.department?.name ?? '—', width: 100 },
          { title: t('quality.notices.assignee'), render: (_, r) => r.assignee?.name ?? '—', width: 90 },
          { title: t('quality.notices.deadline'), width: 150, render: (_, r) => <Typography.Text type={r.overdue ? 'danger' : undefined}>{formatDateTime(r.deadlineAt)}</Typography.Text> },
          { title: t('quality.notices.status'), width: 150, render: (_, r) => <NoticeStatusTag status={r.status} overdue={r.overdue} /> },
        ]}
      />
      <NoticeDrawer id={open} onClose={() => setOpen(undefined)} />
    </>
  );
}
