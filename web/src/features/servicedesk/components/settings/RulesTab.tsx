import { useState } from 'react';
import { Alert, App, Button, Col, Flex, Form, InputNumber, Modal, Popconfirm, Radio, Row, Select, Switch, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { createRuleBody } from '../../../../../../src/modules/servicedesk/config-schema.ts';
import { ticketKind } from '../../../../../../src/modules/servicedesk/schema.ts';
import { QueryError } from '../../../../components/QueryError.tsx';
import { showServerErrors, zodField } from '../../../../lib/form.ts';
import { useCurrentMe } from '../../../auth/api.ts';
import { useBuildings, useZones } from '../../../estate/api.ts';
import type { TicketKind } from '../../api.ts';
import { useCategories, useDeleteRule, useGroups, useRules, useSaveRule, useWorkers, type DispatchMode, type DispatchRule } from '../../config-api.ts';

const ANY = '';

interface Values {
  communityId: string;
  kind: string;
  categoryId: string;
  buildingId: string;
  zoneId: string;
  mode: DispatchMode;
  assigneeId?: string;
  groupId?: string;
  priority: number;
  active: boolean;
}

function RuleModal({ editing, onClose }: { editing: DispatchRule | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useCurrentMe();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);
  const save = useSaveRule();
  const existing = editing && editing !== 'new' ? editing : null;
  const communityId = Form.useWatch('communityId', form);
  const kind = Form.useWatch('kind', form);
  const mode = Form.useWatch('mode', form) ?? 'person';
  const categories = useCategories();
  const buildings = useBuildings(communityId);
  const zones = useZones(communityId);
  const groups = useGroups(communityId);
  const workers = useWorkers(communityId);
  const any = { value: ANY, label: t('servicedesk.settings.any') };

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    const input = {
      communityId: v.communityId,
      kind: (v.kind || null) as TicketKind | null,
      categoryId: v.categoryId || null,
      buildingId: v.buildingId || null,
      zoneId: v.zoneId || null,
      mode: v.mode,
      assigneeId: v.mode === 'person' ? (v.assigneeId ?? null) : null,
      groupId: v.mode === 'person' ? null : (v.groupId ?? null),
      priority: v.priority,
      active: v.active,
    };
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
    <Modal open={editing !== null} title={existing ? t('servicedesk.settings.rules.edit') : t('servicedesk.settings.rules.add')} onCancel={onClose} onOk={() => void submit()} confirmLoading={save.isPending} destroyOnHidden width={680} okButtonProps={{ 'data-testid': 'rule-submit' }}>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={
          existing
            ? { communityId: existing.communityId, kind: existing.kind ?? ANY, categoryId: existing.categoryId ?? ANY, buildingId: existing.buildingId ?? ANY, zoneId: existing.zoneId ?? ANY, mode: existing.mode, assigneeId: existing.assigneeId ?? undefined, groupId: existing.groupId ?? undefined, priority: existing.priority, active: existing.active }
            : { communityId: me.communities[0]?.id, kind: ANY, categoryId: ANY, buildingId: ANY, zoneId: ANY, mode: 'person', priority: 100, active: true }
        }
        onValuesChange={(c: Partial<Values>) => {
          if (c.communityId) form.setFieldsValue({ buildingId: ANY, zoneId: ANY, assigneeId: undefined, groupId: undefined });
          if (c.kind !== undefined) form.setFieldsValue({ categoryId: ANY });
        }}
      >
        <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 12 }}>
          {t('servicedesk.settings.rules.conditionsHint')}
        </Typography.Text>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="communityId" label={t('servicedesk.ticket.community')} {...zodField(createRuleBody.shape.communityId)}>
              <Select options={me.communities.map((c) => ({ value: c.id, label: c.name }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="kind" label={t('servicedesk.ticket.kind')}>
              <Select options={[any, ...ticketKind.options.map((k) => ({ value: k, label: t(`servicedesk.kinds.${k}`) }))]} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="categoryId" label={t('servicedesk.ticket.category')}>
              <Select options={[any, ...(categories.data?.items ?? []).filter((c) => !kind || c.kind === kind).map((c) => ({ value: c.id, label: c.name }))]} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="buildingId" label={t('servicedesk.settings.rules.building')}>
              <Select options={[any, ...(buildings.data?.items ?? []).map((b) => ({ value: b.id, label: b.name }))]} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="zoneId" label={t('servicedesk.settings.rules.zone')}>
              <Select options={[any, ...(zones.data?.items ?? []).map((z) => ({ value: z.id, label: z.name }))]} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="mode" label={t('servicedesk.dispatch.mode')}>
          <Radio.Group optionType="button" buttonStyle="solid" options={(['person', 'pool', 'roundRobin'] as const).map((m) => ({ value: m, label: t(`servicedesk.dispatch.modes.${m}`) }))} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            {mode === 'person' ? (
              <Form.Item name="assigneeId" label={t('servicedesk.dispatch.person')} rules={[{ required: true, message: t('validation.required') }]}>
                <Select showSearch={{ optionFilterProp: 'label' }} options={(workers.data ?? []).map((w) => ({ value: w.id, label: w.name }))} />
              </Form.Item>
            ) : (
              <Form.Item name="groupId" label={t('servicedesk.dispatch.group')} rules={[{ required: true, message: t('validation.required') }]}>
                <Select options={(groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.name }))} notFoundContent={t('servicedesk.dispatch.noGroups')} />
              </Form.Item>
            )}
          </Col>
          <Col span={6}>
            <Form.Item name="priority" label={t('servicedesk.settings.rules.priority')} extra={t('servicedesk.settings.rules.priorityHint')} {...zodField(createRuleBody.shape.priority)}>
              <InputNumber min={0} max={10000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="active" label={t('common.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

/** 派单规则: new tickets matching a rule go straight to a person, a group in turn, or a grab pool. */
export function RulesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const list = useRules();
  const remove = useDeleteRule();
  const [editing, setEditing] = useState<DispatchRule | 'new' | null>(null);

  const conditions = (r: DispatchRule) => {
    const parts = [r.kind && t(`servicedesk.kinds.${r.kind}`), r.categoryName, r.buildingName, r.zoneName].filter(Boolean);
    return parts.length ? parts.map((p) => <Tag key={p as string}>{p}</Tag>) : <Typography.Text type="secondary">{t('servicedesk.settings.rules.anyTicket')}</Typography.Text>;
  };

  return (
    <>
      <Flex justify="space-between" align="center" gap={12} wrap style={{ marginBottom: 16 }}>
        <Typography.Text type="secondary">{t('servicedesk.settings.rules.hint')}</Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="rule-add">
          {t('servicedesk.settings.rules.add')}
        </Button>
      </Flex>
      {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Table<DispatchRule>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('servicedesk.settings.rules.empty') }}
        data-testid="rules-table"
        columns={[
          { title: t('servicedesk.settings.rules.priority'), dataIndex: 'priority', align: 'right' },
          { title: t('servicedesk.ticket.community'), dataIndex: 'communityName' },
          { title: t('servicedesk.settings.rules.conditions'), key: 'conditions', render: (_: unknown, r: DispatchRule) => <Flex gap={4} wrap>{conditions(r)}</Flex> },
          { title: t('servicedesk.dispatch.mode'), dataIndex: 'mode', render: (m: DispatchMode) => t(`servicedesk.dispatch.modes.${m}`) },
          { title: t('servicedesk.settings.rules.target'), key: 'target', render: (_: unknown, r: DispatchRule) => r.assigneeName ?? r.groupName ?? '—' },
          { title: t('common.status'), dataIndex: 'active', render: (a: boolean) => (a ? <Tag color="success">{t('common.active')}</Tag> : <Tag>{t('common.disabled')}</Tag>) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, r: DispatchRule) => (
              <Flex>
                <Button type="link" size="small" onClick={() => setEditing(r)}>
                  {t('common.edit')}
                </Button>
                <Popconfirm title={t('servicedesk.settings.rules.deleteConfirm')} onConfirm={() => remove.mutate(r.id, { onSuccess: () => void message.success(t('common.deleted')), onError: (e) => void message.error(e.message) })}>
                  <Button type="link" size="small" danger>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              </Flex>
            ),
          },
        ]}
      />
      <RuleModal editing={editing} onClose={() => setEditing(null)} />
    </>
  );
}
