import { useState } from 'react';
import { App, Badge, Button, Card, Flex, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { SecretOnceModal, type SecretToShow } from '../../../components/SecretOnceModal.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useAbilities } from '../../auth/api.ts';
import { useRoles } from '../../roles/api.ts';
import { roleName } from '../../roles/labels.ts';
import { currentLang } from '../../../i18n/index.ts';
import { StaffFormModal } from '../components/StaffFormModal.tsx';
import { useResetStaffPassword, useStaffList, useUpdateStaff, type StaffMember, type StaffQuery } from '../api.ts';

export default function StaffPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useAbilities();
  const manage = can('staff.manage');
  const [query, setQuery] = useState<StaffQuery>({ page: 1, pageSize: 20 });
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<StaffMember | undefined>();
  const [formOpen, setFormOpen] = useState(false);
  const [secret, setSecret] = useState<SecretToShow | null>(null);
  const list = useStaffList(query);
  const roles = useRoles();
  const update = useUpdateStaff();
  const reset = useResetStaffPassword();

  const filter = (patch: StaffQuery) => setQuery((q) => ({ ...q, ...patch, page: 1 }));

  const setStatus = (s: StaffMember, status: 'active' | 'disabled') =>
    update.mutateAsync({ id: s.id, input: { status } }).then(
      () => void message.success(status === 'disabled' ? t('staff.disabledDone') : t('staff.enabledDone')),
      (err: Error) => void message.error(err.message),
    );

  const resetPassword = (s: StaffMember) =>
    reset.mutateAsync(s.id).then(
      (r) =>
        setSecret({
          title: t('staff.resetPassword'),
          label: t('staff.tempPasswordFor', { username: s.username }),
          secret: r.temporaryPassword,
          note: r.sentBySms ? t('staff.tempPasswordSms') : undefined,
        }),
      (err: Error) => void message.error(err.message),
    );

  return (
    <>
      <PageHeader
        title={t('staff.title')}
        subtitle={t('staff.subtitle')}
        extra={
          manage && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              data-testid="staff-create"
              onClick={() => {
                setEditing(undefined);
                setFormOpen(true);
              }}
            >
              {t('staff.create')}
            </Button>
          )
        }
      />
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('staff.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(q) => filter({ q: q.trim() || undefined })}
            style={{ width: 260 }}
            data-testid="staff-search"
          />
          <Select
            allowClear
            placeholder={t('staff.statusFilter')}
            value={query.status}
            onChange={(status) => filter({ status })}
            style={{ width: 140 }}
            options={[
              { value: 'active', label: t('common.active') },
              { value: 'disabled', label: t('common.disabled') },
            ]}
          />
          <Select
            allowClear
            placeholder={t('staff.roleFilter')}
            value={query.roleId}
            onChange={(roleId) => filter({ roleId })}
            style={{ width: 180 }}
            options={(roles.data?.items ?? []).filter((r) => r.builtinKey !== 'owner').map((r) => ({ value: r.id, label: roleName(r.name, currentLang(), r.builtinKey) }))}
            optionFilterProp="label"
            showSearch
          />
          <Button
            icon={<ReloadOutlined />}
            onClick={() => {
              setSearch('');
              setQuery({ page: 1, pageSize: query.pageSize });
            }}
          >
            {t('common.reset')}
          </Button>
        </Flex>
        {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
        <Table<StaffMember>
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items}
          scroll={{ x: 'max-content' }}
          data-testid="staff-table"
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (page, pageSize) => setQuery((q) => ({ ...q, page, pageSize })),
          }}
          columns={[
            {
              title: t('staff.username'),
              dataIndex: 'username',
              render: (v: string, s) => (
                <Space size={4} wrap>
                  <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>{v}</Typography.Text>
                  {s.mustChangePassword && <Tag color="orange">{t('staff.mustChange')}</Tag>}
                </Space>
              ),
            },
            { title: t('staff.displayName'), dataIndex: 'displayName' },
            { title: t('staff.phone'), dataIndex: 'phone', render: (v: string | null) => v ?? '—' },
            {
              title: t('staff.roles'),
              dataIndex: 'roles',
              render: (rs: StaffMember['roles']) => rs.map((r) => <Tag key={r.id} color="blue">{roleName(r.name, currentLang())}</Tag>),
            },
            {
              title: t('staff.communities'),
              key: 'communities',
              render: (_, s) =>
                s.allCommunities ? (
                  <Tag color="geekblue">{t('staff.allCommunities')}</Tag>
                ) : s.communities.length ? (
                  <Typography.Text ellipsis={{ tooltip: s.communities.map((c) => c.name).join('、') }} style={{ maxWidth: 180 }}>
                    {s.communities.map((c) => c.name).join('、')}
                  </Typography.Text>
                ) : (
                  '—'
                ),
            },
            {
              title: t('staff.status'),
              dataIndex: 'status',
              render: (v: StaffMember['status']) =>
                v === 'active' ? <Badge status="success" text={t('common.active')} /> : <Badge status="default" text={t('common.disabled')} />,
            },
            { title: t('staff.lastLoginAt'), dataIndex: 'lastLoginAt', render: (v: string | null) => (v ? formatDateTime(v) : t('staff.neverLoggedIn')) },
            ...(manage
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    fixed: 'right' as const,
                    render: (_: unknown, s: StaffMember) => (
                      <Space size={0} wrap={false}>
                        <Button
                          type="link"
                          size="small"
                          onClick={() => {
                            setEditing(s);
                            setFormOpen(true);
                          }}
                        >
                          {t('common.edit')}
                        </Button>
                        {s.status === 'active' ? (
                          <Popconfirm title={t('staff.disableConfirm')} onConfirm={() => setStatus(s, 'disabled')} okButtonProps={{ danger: true }}>
                            <Button type="link" size="small" danger>
                              {t('common.disable')}
                            </Button>
                          </Popconfirm>
                        ) : (
                          <Popconfirm title={t('staff.enableConfirm')} onConfirm={() => setStatus(s, 'active')}>
                            <Button type="link" size="small">
                              {t('common.enable')}
                            </Button>
                          </Popconfirm>
                        )}
                        <Popconfirm title={t('staff.resetConfirm')} onConfirm={() => resetPassword(s)}>
                          <Button type="link" size="small">
                            {t('staff.resetPassword')}
                          </Button>
                        </Popconfirm>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <StaffFormModal
        open={formOpen}
        staff={editing}
        onClose={() => setFormOpen(false)}
        onCreated={(r) =>
          r.temporaryPassword
            ? setSecret({ title: t('staff.createdTitle'), label: t('staff.tempPasswordFor', { username: r.staff.username }), secret: r.temporaryPassword })
            : void message.success(t('common.created'))
        }
      />
      <SecretOnceModal value={secret} onClose={() => setSecret(null)} />
    </>
  );
}
