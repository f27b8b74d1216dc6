import { useState } from 'react';
import { Badge, Button, Card, Flex, Input, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { OwnerFormModal } from '../components/OwnerFormModal.tsx';
import { useOwners, type OwnerAccount, type OwnerQuery } from '../api.ts';

/** Owner accounts (phone logins for the owner site), as the console's staff manage them. */
export default function OwnersPage() {
  const { t } = useTranslation();
  const [query, setQuery] = useState<OwnerQuery>({ page: 1, pageSize: 20 });
  const [open, setOpen] = useState(false);
  const list = useOwners(query);

  return (
    <>
      <PageHeader
        title={t('owners.title')}
        subtitle={t('owners.subtitle')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="owner-create">
            {t('owners.create')}
          </Button>
        }
      />
      <Card>
        <Flex gap={12} style={{ marginBottom: 16 }}>
          <Input.Search allowClear placeholder={t('owners.searchPlaceholder')} onSearch={(v) => setQuery((q) => ({ ...q, q: v.trim() || undefined, page: 1 }))} style={{ width: 260 }} />
        </Flex>
        {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
        <Table<OwnerAccount>
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items}
          scroll={{ x: 760 }}
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (page, pageSize) => setQuery((q) => ({ ...q, page, pageSize })),
          }}
          columns={[
            { title: t('owners.displayName'), dataIndex: 'displayName' },
            { title: t('owners.phone'), dataIndex: 'phone' },
            {
              title: t('owners.status'),
              dataIndex: 'status',
              render: (v: OwnerAccount['status']) => (v === 'active' ? <Badge status="success" text={t('common.active')} /> : <Badge status="default" text={t('common.disabled')} />),
            },
            { title: t('owners.lastLoginAt'), dataIndex: 'lastLoginAt', render: (v: string | null) => (v ? formatDateTime(v) : t('owners.neverLoggedIn')) },
            { title: t('common.createdAt'), dataIndex: 'createdAt', render: formatDateTime },
          ]}
        />
      </Card>
      <OwnerFormModal open={open} onClose={() => setOpen(false)} />
    </>
  );
}
