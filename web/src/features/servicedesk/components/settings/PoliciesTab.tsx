import { useState } from 'react';
import { Alert, App, Button, Checkbox, Col, Flex, Form, Input, InputNumber, Modal, Popconfirm, Row, Select, Switch, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { createPolicyBody } from '../../../../../../src/modules/servicedesk/config-schema.ts';
import { clockName, durationUnit, severity, ticketKind, urgency } from '../../../../../../src/modules/servicedesk/schema.ts';
import { QueryError } from '../../../../components/QueryError.tsx';
import { showServerErrors, zodField } from '../../../../lib/form.ts';
import { useCurrentMe } from '../../../auth/api.ts';
import type { ClockName, Severity, TicketKind, Urgency } from '../../api.ts';
import { useCategories, useDeletePolicy, usePolicies, useSavePolicy, type Policy } from '../../config-api.ts';

type Unit = (typeof durationUnit.options)[number];
const ANY = '';

interface Values {
  communityId: string;
  kind: TicketKind;
  categoryId: string;
  urgency: string;
  severity: string;
  clocks: Record<ClockName, { on?: boolean; amount?: number; unit?: Unit }>;
  pauseStopsClock: boolean;
  note?: string;
}

/** "响应 30分钟 · 完成 3个工作日", in the clocks' order. */
export function clocksText(p: Policy, t: TFunction): string {
  return clockName.options
    .filter((c) => p.descriptions[c])
    .map((c) => `${t(`servicedesk.clocks.${c}`)} ${p.descriptions[c]}`)
    .join(' · ');
}

/** Each clock on or off, with an amount and a unit. */
function ClockEditor() {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={4} data-testid="policy-clocks">
      {clockName.options.map((c) => (
        <Row key={c} gutter={8} align="middle">
          <Col flex="110px">
            <Form.Item name={['clocks', c, 'on']} valuePropName="checked" noStyle>
              <Checkbox data-testid={`policy-clock-${c}`}>{t(`servicedesk.clocks.${c}`)}</Checkbox>
            </Form.Item>
          </Col>
          <Form.Item noStyle shouldUpdate={(a: Values, b: Values) => a.clocks?.[c]?.on !== b.clocks?.[c]?.on}>
            {({ getFieldValue }) => {
              const on = Boolean(getFieldValue(['clocks', c, 'on']));
              return (
                <>
                  <Col flex="120px">
                    <Form.Item name={['clocks', c, 'amount']} style={{ marginBottom: 8 }} rules={on ? [{ required: true, message: t('validation.required') }] : []}>
                      <InputNumber min={1} max={10000} precision={0} disabled={!on} style={{ width: '100%' }} data-testid={`policy-amount-${c}`} />
                    </Form.Item>
                  </Col>
                  <Col flex="140px">
                    <Form.Item name={['clocks', c, 'unit']} style={{ marginBottom: 8 }}>
                      <Select disabled={!on} options={durationUnit.options.map((u) => ({ value: u, label: t(`servicedesk.settings.units.${u}`) }))} data-testid={`policy-unit-${c}`} />
                    </Form.Item>
                  </Col>
                </>
              );
            }}
          </Form.Item>
        </Row>
      ))}
    </Flex>
  );
}

function PolicyModal({ editing, onClose }: { editing: Policy | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useCurrentMe();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);
  const save = useSavePolicy();
  const categories = useCategories();
  const kind = Form.useWatch('kind', form);
  const existing = editing && editing !== 'new' ? editing : null;

  const initial = (): Partial<Values> => {
    const clocks = Object.fromEntries(
      clockName.options.map((c) => {
        const d = existing?.clocks[c];
        return [c, d ? { on: true, amount: d.amount, unit: d.unit } : { on: false, amount: undefined, unit: c === 'resolve' ? 'workingDays' : 'minutes' }];
      }),
    ) as Values['clocks'];
    return existing
      ? { communityId: existing.communityId ?? ANY, kind: existing.kind, categoryId: existing.categoryId ?? ANY, urgency: existing.urgency ?? ANY, severity: existing.severity ?? ANY, clocks, pauseStopsClock: existing.pauseStopsClock, note: existing.note ?? undefined }
      : { communityId: ANY, kind: 'homeRepair', categoryId: ANY, urgency: ANY, severity: ANY, clocks, pauseStopsClock: true };
  };

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    const clocks = Object.fromEntries(clockName.options.filter((c) => v.clocks[c]?.on).map((c) => [c, { amount: v.clocks[c]!.amount!, unit: v.clocks[c]!.unit! }]));
    if (Object.keys(clocks).length === 0) {
      setFormError(t('servicedesk.settings.policies.needClock'));
      return;
    }
    const input = {
      communityId: v.communityId || null,
      kind: v.kind,
      categoryId: v.categoryId || null,
      urgency: (v.urgency || null) as Urgency | null,
      severity: (v.severity || null) as Severity | null,
      clocks,
      pauseStopsClock: v.pauseStopsClock,
      note: v.note?.trim() ? v.note.trim() : existing ? null : undefined,
    };
    save.mutate(
      { id: existing?.id, input: input as Parameters<typeof save.mutate>[0]['input'] },
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
    <Modal open={editing !== null} title={existing ? t('servicedesk.settings.policies.edit') : t('servicedesk.settings.policies.add')} onCancel={onClose} onOk={() => void submit()} confirmLoading={save.isPending} destroyOnHidden width={680} okButtonProps={{ 'data-testid': 'policy-submit' }}>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form<Values> form={form} layout="vertical" preserve={false} initialValues={initial()} onValuesChange={(c: Partial<Values>) => c.kind && form.setFieldsValue({ categoryId: ANY })}>
        <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 12 }}>
          {t('servicedesk.settings.policies.scopeHint')}
        </Typography.Text>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="communityId" label={t('servicedesk.ticket.community')}>
              <Select options={[{ value: ANY, label: t('servicedesk.settings.companyWide') }, ...me.communities.map((c) => ({ value: c.id, label: c.name }))]} data-testid="policy-community" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="kind" label={t('servicedesk.ticket.kind')} {...zodField(createPolicyBody.shape.kind)}>
              <Select options={ticketKind.options.map((k) => ({ value: k, label: t(`servicedesk.kinds.${k}`) }))} data-testid="policy-kind" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="categoryId" label={t('servicedesk.ticket.category')}>
              <Select
                options={[{ value: ANY, label: t('servicedesk.settings.any') }, ...(categories.data?.items ?? []).filter((c) => c.kind === kind).map((c) => ({ value: c.id, label: c.name }))]}
                data-testid="policy-category"
              />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="urgency" label={t('servicedesk.ticket.urgency')}>
              <Select options={[{ value: ANY, label: t('servicedesk.settings.any') }, ...urgency.options.map((u) => ({ value: u, label: t(`servicedesk.urgencies.${u}`) }))]} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="severity" label={t('servicedesk.ticket.severity')}>
              <Select options={[{ value: ANY, label: t('servicedesk.settings.any') }, ...severity.options.map((s) => ({ value: s, label: t(`servicedesk.severities.${s}`) }))]} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('servicedesk.settings.policies.clocks')} required>
          <ClockEditor />
        </Form.Item>
        <Flex gap={24} align="flex-start">
          <Form.Item name="pauseStopsClock" label={t('servicedesk.settings.policies.pauseStopsClock')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="note" label={t('servicedesk.form.note')} style={{ flex: 1 }} {...zodField(createPolicyBody.shape.note)}>
            <Input maxLength={200} placeholder={t('common.optional')} />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}

/** 时限: which deadlines apply to which tickets; the most specific policy wins. */
export function PoliciesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const list = usePolicies();
  const remove = useDeletePolicy();
  const [editing, setEditing] = useState<Policy | 'new' | null>(null);
  const any = <Typography.Text type="secondary">{t('servicedesk.settings.any')}</Typography.Text>;

  return (
    <>
      <Flex justify="space-between" align="center" gap={12} wrap style={{ marginBottom: 16 }}>
        <Typography.Text type="secondary">{t('servicedesk.settings.policies.hint')}</Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="policy-add">
          {t('servicedesk.settings.policies.add')}
        </Button>
      </Flex>
      {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Table<Policy>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="policies-table"
        columns={[
          { title: t('servicedesk.ticket.community'), dataIndex: 'communityName', render: (v: string | null) => v ?? <Tag>{t('servicedesk.settings.companyWide')}</Tag> },
          { title: t('servicedesk.ticket.kind'), dataIndex: 'kind', render: (k: TicketKind) => t(`servicedesk.kinds.${k}`) },
          { title: t('servicedesk.ticket.category'), dataIndex: 'categoryName', render: (v: string | null) => v ?? any },
          { title: t('servicedesk.ticket.urgency'), dataIndex: 'urgency', render: (v: Urgency | null) => (v ? t(`servicedesk.urgencies.${v}`) : any) },
          { title: t('servicedesk.ticket.severity'), dataIndex: 'severity', render: (v: Severity | null) => (v ? t(`servicedesk.severities.${v}`) : any) },
          { title: t('servicedesk.settings.policies.clocks'), key: 'clocks', render: (_: unknown, p: Policy) => <span style={{ whiteSpace: 'nowrap' }} data-testid="policy-clocks-text">{clocksText(p, t)}</span> },
          { title: t('servicedesk.settings.policies.pauseStopsClock'), dataIndex: 'pauseStopsClock', render: (v: boolean) => (v ? t('common.yes') : t('common.no')) },
          { title: t('servicedesk.form.note'), dataIndex: 'note', render: (v: string | null) => <Typography.Text style={{ maxWidth: 260 }} ellipsis={{ tooltip: v }}>{v ?? '—'}</Typography.Text> },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right' as const,
            render: (_: unknown, p: Policy) => (
              <Flex>
                <Button type="link" size="small" onClick={() => setEditing(p)}>
                  {t('common.edit')}
                </Button>
                <Popconfirm title={t('servicedesk.settings.policies.deleteConfirm')} onConfirm={() => remove.mutate(p.id, { onSuccess: () => void message.success(t('common.deleted')), onError: (e) => void message.error(e.message) })}>
                  <Button type="link" size="small" danger>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              </Flex>
            ),
          },
        ]}
      />
      <PolicyModal editing={editing} onClose={() => setEditing(null)} />
    </>
  );
}
