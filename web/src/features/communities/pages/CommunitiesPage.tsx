import { useState } from 'react';
import { Button, Card, Flex, Input, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDate } from '../../../lib/format.ts';
import { useAbilities } from '../../auth/api.ts';
import { CommunityFormModal } from '../components/CommunityFormModal.tsx';
import { useCommunities, type Community, type CommunityQuery } from '../api.ts';

export default function CommunitiesPage() {
  const { t } = useTranslation();
  const can = useAbilities();
  const manage = can('community.manage');
  const [query, setQuery] = useState<CommunityQuery>({ page: 1, pageSize: 20 });
  const [form, setForm] = useState<{ open: boolean; community?: Community }>({ open: false });
  const list = useCommunities(query);

  return (
    <>
      <PageHeader
        title={t('communities.title')}
        subtitle={t('communities.subtitle')}
        extra={
          manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm({ open: true })} data-testid="community-create">
              {t('communities.create')}
            </Button>
          )
        }
      />
      <Card>
        <Flex gap={12} style={{ marginBottom: 16 }}>
          <Input.Search allowClear placeholder={t('communities.searchPlaceholder')} onSearch={(v) => setQuery((q) => ({ ...q, q: v.trim() || undefined, page: 1 }))} style={{ width: 260 }} />
        </Flex>
        {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
        <Table<Community>
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('communities.empty') }}
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (page, pageSize) => setQuery((q) => ({ ...q, page, pageSize })),
          }}
          columns={[
            { title: t('communities.name'), dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
            { title: t('communities.code'), dataIndex: 'code', width: 100 },
            { title: t('communities.region'), dataIndex: 'divisionLabel', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{v || '—'}</span> },
            { title: t('communities.street'), dataIndex: 'address', render: (v: string | null) => v ?? '—' },
            { title: t('communities.serviceLevel'), dataIndex: 'serviceLevel', render: (v: Community['serviceLevel']) => (v ? t(`communities.serviceLevels.${v}`) : '—') },
            { title: t('communities.greenRatio'), dataIndex: 'greenRatio', align: 'right' as const, render: (v: number | null) => (v === null ? '—' : `${v}%`) },
            { title: t('common.createdAt'), dataIndex: 'createdAt', width: 120, render: formatDate },
            ...(manage
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    width: 90,
                    render: (_: unknown, c: Community) => (
                      <Button type="link" size="small" onClick={() => setForm({ open: true, community: c })}>
                        {t('common.edit')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <CommunityFormModal open={form.open} community={form.community} onClose={() => setForm({ open: false })} />
    </>
  );
}
