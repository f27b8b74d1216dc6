import { useState } from 'react';
import { Alert, App, Button, DatePicker, Flex, Form, Input, Modal, Popconfirm, Radio, Select, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { putQuotaBody } from '../../../../../../src/modules/billing/arrears-schema.ts';
import { CommunitySelect } from '../../../../components/CommunitySelect.tsx';
import { QueryError } from '../../../../components/QueryError.tsx';
import { formatDateTime } from '../../../../lib/format.ts';
import { showServerErrors } from '../../../../lib/form.ts';
import { useZones } from '../../../estate/api.ts';
import { useDeleteQuota, usePutQuota, useQuotas, type Quota } from '../../api-arrears.ts';
import { CollectorSelect } from './shared.tsx';

type Scope = 'community' | 'zone' | 'collector';

interface Values {
  communityId?: string;
  scope: Scope;
  zoneId?: string;
  collectorId?: string;
  targetPercent: string;
}

const scopeOf = (q: Quota): Scope => (q.zoneId ? 'zone' : q.collectorId ? 'collector' : 'community');

/** Sets one target; the same community/zone/collector and year again replaces it (the server says which). */
function QuotaModal({ open, year, communityId, editing, onClose }: { open: boolean; year: number; communityId: string | undefined; editing: Quota | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);
  const put = usePutQuota();
  const chosenCommunity = Form.useWatch('communityId', form) ?? communityId ?? editing?.communityId;
  const scope = Form.useWatch('scope', form) ?? 'community';
  const zones = useZones(chosenCommunity);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const community = communityId ?? v.communityId;
    if (!community) return;
    setFormError(null);
    put.mutate(
      { communityId: community, year, zoneId: v.scope === 'zone' ? v.zoneId : null, collectorId: v.scope === 'collector' ? v.collectorId : null, targetPercent: v.targetPercent.trim() },
      {
        onSuccess: ({ created }) => {
          void message.success(t(created ? 'billingArrears.quotas.created' : 'billingArrears.quotas.replaced'));
          onClose();
        },
        onError: (err) => setFormError(showServerErrors(form, err)),
      },
    );
  };

  return (
    <Modal
      open={open}
      title={`${t('billingArrears.quotas.add')} · ${year}`}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={put.isPending}
      okButtonProps={{ 'data-testid': 'quota-submit' }}
      destroyOnHidden
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={
          editing
            ? { communityId: editing.communityId, scope: scopeOf(editing), zoneId: editing.zoneId ?? undefined, collectorId: editing.collectorId ?? undefined, targetPercent: editing.targetPercent }
            : { communityId, scope: 'community', targetPercent: '95' }
        }
      >
        {!communityId && (
          <Form.Item name="communityId" label={t('billingArrears.common.community')} rules={[{ required: true, message: t('billingArrears.common.required') }]}>
            <CommunitySelect width={260} testId="quota-community" />
          </Form.Item>
        )}
        <Form.Item name="scope" label={t('billingArrears.quotas.scope')}>
          <Radio.Group disabled={editing !== null} options={(['community', 'zone', 'collector'] as const).map((s) => ({ value: s, label: t(`billingArrears.quotas.scopes.${s}`) }))} />
        </Form.Item>
        {scope === 'zone' && (
          <Form.Item name="zoneId" label={t('billingArrears.common.zone')} rules={[{ required: true, message: t('billingArrears.common.required') }]}>
            <Select disabled={editing !== null} options={(zones.data?.items ?? []).map((z) => ({ value: z.id, label: z.name }))} data-testid="quota-zone" />
          </Form.Item>
        )}
        {scope === 'collector' && (
          <Form.Item name="collectorId" label={t('billingArrears.quotas.collector')} rules={[{ required: true, message: t('billingArrears.common.required') }]}>
            <CollectorSelect communityId={chosenCommunity} testId="quota-collector" allowClear={false} />
          </Form.Item>
        )}
        <Form.Item
          name="targetPercent"
          label={t('billingArrears.quotas.target')}
          extra={t('billingArrears.quotas.targetHint')}
          rules={[
            { required: true, message: t('billingArrears.common.required') },
            {
              validator: async (_r, v: string | undefined) => {
                if (!v) return;
                const ok = /^\d{1,3}(\.\d{1,2})?$/.test(v.trim()) && Number(v) > 0 && Number(v) <= 100 && putQuotaBody.shape.targetPercent.safeParse(v).success;
                if (!ok) throw new Error(t('billingArrears.quotas.targetHint'));
              },
            },
          ]}
        >
          <Input suffix="%" style={{ width: 160 }} inputMode="decimal" data-testid="quota-target" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 指标设置: each year's collection-rate targets of communities, zones and collectors (billing.manage). */
export function QuotasTab({ communityId }: { communityId: string | undefined }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [year, setYear] = useState<Dayjs>(() => dayjs().startOf('year'));
  const [modal, setModal] = useState<{ editing: Quota | null } | null>(null);
  const q = useQuotas({ communityId, year: year.year() });
  const del = useDeleteQuota();

  return (
    <div data-testid="arrears-quotas">
      <Flex gap={12} align="center" wrap style={{ marginBottom: 12 }}>
        <DatePicker picker="year" value={year} allowClear={false} onChange={(d) => d && setYear(d)} data-testid="quota-year" />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal({ editing: null })} data-testid="quota-add">
          {t('billingArrears.quotas.add')}
        </Button>
        <Typography.Text type="secondary">{t('billingArrears.quotas.hint')}</Typography.Text>
      </Flex>
      {q.error && <QueryError error={q.error} onRetry={() => void q.refetch()} />}
      <Table<Quota>
        size="small"
        rowKey="id"
        dataSource={q.data?.items ?? []}
        loading={q.isFetching}
        pagination={false}
        locale={{ emptyText: t('billingArrears.quotas.empty') }}
        data-testid="quota-table"
        columns={[
          ...(communityId ? [] : [{ title: t('billingArrears.common.community'), dataIndex: 'communityName' }]),
          {
            title: t('billingArrears.quotas.scope'),
            key: 'scope',
            render: (_: unknown, r: Quota) => {
              const s = scopeOf(r);
              return (
                <Flex gap={6} align="center">
                  <Tag color={s === 'community' ? 'blue' : s === 'zone' ? 'purple' : 'cyan'}>{t(`billingArrears.quotas.scopes.${s}`)}</Tag>
                  {r.zoneName ?? r.collectorName ?? r.communityName}
                </Flex>
              );
            },
          },
          { title: t('billingArrears.quotas.target'), dataIndex: 'targetPercent', align: 'right' as const, render: (v: string) => <Typography.Text strong>{v}%</Typography.Text> },
          { title: t('billingArrears.quotas.updatedAt'), dataIndex: 'updatedAt', render: (v: string) => formatDateTime(v) },
          {
            title: '',
            key: 'actions',
            width: 150,
            render: (_: unknown, r: Quota) => (
              <Flex gap={4}>
                <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setModal({ editing: r })}>
                  {t('billingArrears.quotas.edit')}
                </Button>
                <Popconfirm title={t('billingArrears.common.confirmDelete')} onConfirm={() => del.mutate(r.id, { onSuccess: () => void message.success(t('billingArrears.common.deleted')), onError: (e) => void message.error(e.message) })}>
                  <Button size="small" type="link" danger icon={<DeleteOutlined />}>
                    {t('billingArrears.common.delete')}
                  </Button>
                </Popconfirm>
              </Flex>
            ),
          },
        ]}
      />
      <QuotaModal open={modal !== null} year={year.year()} communityId={communityId ?? modal?.editing?.communityId} editing={modal?.editing ?? null} onClose={() => setModal(null)} />
    </div>
  );
}
