import { useState } from 'react';
import { App, Button, Card, Flex, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { PERMISSIONS, isPermission } from '../../../../../src/core/permissions.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { currentLang } from '../../../i18n/index.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useAbilities } from '../../auth/api.ts';
import { RoleFormModal, type RoleFormMode } from '../components/RoleFormModal.tsx';
import { useDeleteRole, useRoles, type Role } from '../api.ts';
import { GROUP_ORDER, isKnownGroup, permissionLabel, roleName } from '../labels.ts';

/** A role's permissions as tags under their group names (the expanded row). */
function RolePermissions({ role }: { role: Role }) {
  const { t } = useTranslation();
  const lang = currentLang();
  const byGroup = new Map<string, string[]>();
  for (const p of role.permissions) {
    const group = isPermission(p) ? PERMISSIONS[p].group : 'common';
    byGroup.set(group, [...(byGroup.get(group) ?? []), p]);
  }
  const groups = [...byGroup.keys()].sort((a, b) => GROUP_ORDER.indexOf(a as never) - GROUP_ORDER.indexOf(b as never));
  return (
    <Flex vertical gap={8} style={{ padding: '4px 8px' }}>
      {groups.map((g) => (
        <Flex key={g} gap={8} align="baseline">
          <Typography.Text type="secondary" style={{ width: 110, flex: 'none' }}>
            {isKnownGroup(g) ? t(`roles.group.${g}`) : g}
          </Typography.Text>
          <div>
            {(byGroup.get(g) ?? []).map((p) => (
              <Tag key={p} style={{ marginBottom: 4 }}>
                {permissionLabel(p, lang)}
              </Tag>
            ))}
          </div>
        </Flex>
      ))}
    </Flex>
  );
}

export default function RolesPage() {
  const { t } = useTranslation();
  const lang = currentLang();
  const { message } = App.useApp();
  const can = useAbilities();
  const manage = can('role.manage');
  const [q, setQ] = useState('');
  const [mode, setMode] = useState<RoleFormMode | null>(null);
  const roles = useRoles(q);
  const remove = useDeleteRole();

  const onDelete = (r: Role) =>
    remove.mutateAsync(r.id).then(
      () => void message.success(t('common.deleted')),
      // The server explains a refusal (built-in, still assigned) in the user's language.
      (err: Error) => void message.error(err.message),
    );

  const description = (r: Role) => {
    if (r.builtinKey && (!r.description || r.description === roleName(r.name, 'en', r.builtinKey))) return t('roles.builtinDescription');
    return r.description ?? '—';
  };

  return (
    <>
      <PageHeader
        title={t('roles.title')}
        subtitle={t('roles.subtitle')}
        extra={
          manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setMode({ kind: 'create' })} data-testid="role-create">
              {t('roles.create')}
            </Button>
          )
        }
      />
      <Card>
        <Flex gap={12} style={{ marginBottom: 16 }}>
          <Input.Search allowClear placeholder={t('roles.searchPlaceholder')} onSearch={(v) => setQ(v.trim())} style={{ width: 260 }} />
        </Flex>
        {roles.error && <QueryError error={roles.error} onRetry={() => void roles.refetch()} />}
        <Table<Role>
          rowKey="id"
          loading={roles.isFetching}
          dataSource={roles.data?.items}
          pagination={false}
          scroll={{ x: 960 }}
          expandable={{ expandedRowRender: (r) => <RolePermissions role={r} /> }}
          data-testid="roles-table"
          columns={[
            {
              title: t('roles.name'),
              dataIndex: 'name',
              render: (name: string, r) => (
                <Space size={6}>
                  <Typography.Text strong>{roleName(name, lang, r.builtinKey)}</Typography.Text>
                  {r.builtinKey ? <Tag color="gold">{t('roles.builtin')}</Tag> : <Tag color="cyan">{t('roles.custom')}</Tag>}
                </Space>
              ),
            },
            { title: t('roles.description'), key: 'description', render: (_, r) => <Typography.Text type="secondary">{description(r)}</Typography.Text> },
            { title: t('roles.permissions'), dataIndex: 'permissions', width: 130, render: (p: string[]) => t('roles.permissionCount', { count: p.length }) },
            { title: t('roles.userCount'), dataIndex: 'userCount', width: 100, align: 'right' },
            { title: t('common.updatedAt'), dataIndex: 'updatedAt', width: 180, render: formatDateTime },
            ...(manage
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    width: 190,
                    fixed: 'right' as const,
                    render: (_: unknown, r: Role) => (
                      <Space size={0}>
                        <Button type="link" size="small" onClick={() => setMode({ kind: 'edit', role: r })}>
                          {t('common.edit')}
                        </Button>
                        <Button type="link" size="small" onClick={() => setMode({ kind: 'copy', role: r })}>
                          {t('roles.copy')}
                        </Button>
                        {!r.builtinKey && (
                          <Popconfirm title={t('roles.deleteConfirm', { name: r.name })} onConfirm={() => onDelete(r)} okButtonProps={{ danger: true }}>
                            <Button type="link" size="small" danger>
                              {t('common.delete')}
                            </Button>
                          </Popconfirm>
                        )}
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <RoleFormModal mode={mode} onClose={() => setMode(null)} />
    </>
  );
}
