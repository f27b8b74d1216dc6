import { useState } from 'react';
import { App, Badge, Button, Card, Flex, Input, Popconfirm, Space, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { SecretOnceModal, type SecretToShow } from '../../../components/SecretOnceModal.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { CompanyFormModal } from '../components/CompanyFormModal.tsx';
import { useCompanies, useUpdateCompany, type Company, type CompanyQuery } from '../api.ts';

/** The platform operator's list of property companies (tenants). */
export default function CompaniesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [query, setQuery] = useState<CompanyQuery>({ page: 1, pageSize: 20 });
  const [form, setForm] = useState<{ open: boolean; company?: Company }>({ open: false });
  const [secret, setSecret] = useState<SecretToShow | null>(null);
  const list = useCompanies(query);
  const update = useUpdateCompany();

  const setStatus = (c: Company, status: Company['status']) =>
    update.mutateAsync({ id: c.id, input: { status } }).then(
      () => void message.success(status === 'suspended' ? t('platform.suspended') : t('platform.reactivated')),
      (err: Error) => void message.error(err.message),
    );

  return (
    <>
      <PageHeader
        title={t('platform.title')}
        subtitle={t('platform.subtitle')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm({ open: true })} data-testid="company-create">
            {t('platform.create')}
          </Button>
        }
      />
      <Card>
        <Flex gap={12} style={{ marginBottom: 16 }}>
          <Input.Search allowClear placeholder={t('platform.searchPlaceholder')} onSearch={(v) => setQuery((q) => ({ ...q, q: v.trim() || undefined, page: 1 }))} style={{ width: 260 }} />
        </Flex>
        {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
        <Table<Company>
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items}
          scroll={{ x: 1000 }}
          data-testid="companies-table"
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (page, pageSize) => setQuery((q) => ({ ...q, page, pageSize })),
          }}
          columns={[
            { title: t('platform.name'), dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
            { title: t('platform.code'), dataIndex: 'code', width: 120 },
            { title: t('platform.contactPhone'), dataIndex: 'contactPhone', width: 140, render: (v: string | null) => v ?? '—' },
            { title: t('platform.communityCount'), dataIndex: 'communityCount', width: 90, align: 'right' },
            { title: t('platform.staffCount'), dataIndex: 'staffCount', width: 90, align: 'right' },
            {
              title: t('platform.status'),
              dataIndex: 'status',
              width: 100,
              render: (s: Company['status']) => <Badge status={s === 'active' ? 'success' : 'warning'} text={t(`platform.statuses.${s}`)} />,
            },
            { title: t('common.createdAt'), dataIndex: 'createdAt', width: 180, render: formatDateTime },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 150,
              fixed: 'right',
              render: (_, c) => (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => setForm({ open: true, company: c })}>
                    {t('common.edit')}
                  </Button>
                  {c.status === 'active' ? (
                    <Popconfirm title={t('platform.suspendConfirm')} onConfirm={() => setStatus(c, 'suspended')} okButtonProps={{ danger: true }}>
                      <Button type="link" size="small" danger>
                        {t('platform.suspend')}
                      </Button>
                    </Popconfirm>
                  ) : (
                    <Popconfirm title={t('platform.reactivateConfirm')} onConfirm={() => setStatus(c, 'active')}>
                      <Button type="link" size="small">
                        {t('platform.reactivate')}
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <CompanyFormModal
        open={form.open}
        company={form.company}
        onClose={() => setForm({ open: false })}
        onCreated={(r, username) =>
          r.temporaryPassword
            ? setSecret({ title: t('platform.createdTitle'), label: t('platform.tempPasswordFor', { username }), secret: r.temporaryPassword })
            : void message.success(t('common.created'))
        }
      />
      <SecretOnceModal value={secret} onClose={() => setSecret(null)} />
    </>
  );
}
