import { useState } from 'react';
import { Alert, App, Button, Flex, Form, Input, Modal, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import { CrownOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { createGroupBody } from '../../../../../../src/modules/servicedesk/config-schema.ts';
import { QueryError } from '../../../../components/QueryError.tsx';
import { showServerErrors, zodField } from '../../../../lib/form.ts';
import { useCurrentMe } from '../../../auth/api.ts';
import { useDeleteGroup, useGroups, useSaveGroup, useWorkers, type StaffGroup } from '../../config-api.ts';

const ANY = '';

interface Values {
  name: string;
  communityId: string;
  memberIds: string[];
  leaderId?: string;
}

function GroupModal({ editing, onClose }: { editing: StaffGroup | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useCurrentMe();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);
  const save = useSaveGroup();
  const existing = editing && editing !== 'new' ? editing : null;
  const communityId = Form.useWatch('communityId', form);
  const memberIds = Form.useWatch('memberIds', form) ?? [];
  const workers = useWorkers(communityId || undefined);
  // Members already in the group stay selectable with their names even if the list above does not have them.
  const known = new Map((existing?.members ?? []).map((m) => [m.userId, m.name]));
  for (const w of workers.data ?? []) known.set(w.id, w.name);
  const options = [...known].map(([value, label]) => ({ value, label }));

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    const input = { name: v.name, communityId: v.communityId || null, memberIds: v.memberIds ?? [], leaderId: v.leaderId ?? null };
    save.mutate(
      { id: existing?.id, input },
      {
        onSuccess: () => {
          void message.success(t('common.saved'));
          onClose();
        },
        onError: (err) => setFormError(showServerErrors(form, err)),
      },
    );
  };

  return (
    <Modal open={editing !== null} title={existing ? t('servicedesk.settings.groups.edit') : t('servicedesk.settings.groups.add')} onCancel={onClose} onOk={() => void submit()} confirmLoading={save.isPending} destroyOnHidden width={600} okButtonProps={{ 'data-testid': 'group-submit' }}>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={existing ? { name: existing.name, communityId: existing.communityId ?? ANY, memberIds: existing.members.map((m) => m.userId), leaderId: existing.leaderId ?? undefined } : { communityId: ANY, memberIds: [] }}
        onValuesChange={(c: Partial<Values>) => {
          if (c.memberIds && !c.memberIds.includes(form.getFieldValue('leaderId'))) form.setFieldsValue({ leaderId: undefined });
        }}
      >
        <Form.Item name="name" label={t('servicedesk.settings.groups.name')} {...zodField(createGroupBody.shape.name)}>
          <Input maxLength={40} data-testid="group-name" />
        </Form.Item>
        <Form.Item name="communityId" label={t('servicedesk.ticket.community')}>
          <Select options={[{ value: ANY, label: t('servicedesk.settings.companyWide') }, ...me.communities.map((c) => ({ value: c.id, label: c.name }))]} />
        </Form.Item>
        <Form.Item name="memberIds" label={t('servicedesk.settings.groups.members')} extra={t('servicedesk.settings.groups.membersHint')}>
          <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} loading={workers.isPending} options={options} data-testid="group-members" />
        </Form.Item>
        <Form.Item name="leaderId" label={t('servicedesk.settings.groups.leader')}>
          <Select allowClear options={memberIds.map((id) => ({ value: id, label: known.get(id) ?? id }))} placeholder={t('common.optional')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 班组: who takes tickets in turn or from a grab pool; the member order is the round-robin order. */
export function GroupsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const list = useGroups();
  const remove = useDeleteGroup();
  const [editing, setEditing] = useState<StaffGroup | 'new' | null>(null);

  return (
    <>
      <Flex justify="space-between" align="center" gap={12} wrap style={{ marginBottom: 16 }}>
        <Typography.Text type="secondary">{t('servicedesk.settings.groups.hint')}</Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="group-add">
          {t('servicedesk.settings.groups.add')}
        </Button>
      </Flex>
      {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Table<StaffGroup>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('servicedesk.settings.groups.empty') }}
        data-testid="groups-table"
        columns={[
          { title: t('servicedesk.settings.groups.name'), dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
          { title: t('servicedesk.ticket.community'), dataIndex: 'communityName', render: (v: string | null) => v ?? <Tag>{t('servicedesk.settings.companyWide')}</Tag> },
          {
            title: t('servicedesk.settings.groups.members'),
            key: 'members',
            render: (_: unknown, g: StaffGroup) =>
              g.members.length ? (
                <Flex gap={4} wrap style={{ maxWidth: 480 }}>
                  {[...g.members]
                    .sort((a, b) => a.position - b.position)
                    .map((m, i) => (
                      <Tag key={m.userId} icon={m.userId === g.leaderId ? <CrownOutlined /> : undefined} color={m.userId === g.leaderId ? 'gold' : undefined}>
                        {i + 1}. {m.name}
                      </Tag>
                    ))}
                </Flex>
              ) : (
                '—'
              ),
          },
          { title: t('servicedesk.settings.groups.leader'), dataIndex: 'leaderName', render: (v: string | null) => v ?? '—' },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, g: StaffGroup) => (
              <Flex>
                <Button type="link" size="small" onClick={() => setEditing(g)}>
                  {t('common.edit')}
                </Button>
                <Popconfirm title={t('servicedesk.settings.groups.deleteConfirm')} onConfirm={() => remove.mutate(g.id, { onSuccess: () => void message.success(t('common.deleted')), onError: (e) => void message.error(e.message) })}>
                  <Button type="link" size="small" danger>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              </Flex>
            ),
          },
        ]}
      />
      <GroupModal editing={editing} onClose={() => setEditing(null)} />
    </>
  );
}
