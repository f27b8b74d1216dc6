import { useState } from 'react';
import { App, Button, DatePicker, Descriptions, Drawer, Flex, Form, Input, Modal, Select, Skeleton, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { showServerErrors } from '../../../lib/form.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useAssignees, useCreateInspection, useInspection, useInspections, useTemplates, type InspectionKind, type InspectionSummary } from '../api.ts';
import { InspectionStatusTag, NoticeStatusTag } from './tags.tsx';
import { NoticeDrawer } from './NoticeDrawer.tsx';

const pct = (p: number | null) => (p === null ? '' : ` (${p}%)`);

/** 检查记录: the community's inspections, newest first; a row opens its items, points and findings. */
export function InspectionsTab({ communityId, canManage }: { communityId: string; canManage: boolean }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [kind, setKind] = useState<InspectionKind>();
  const [open, setOpen] = useState<string>();
  const [ordering, setOrdering] = useState(false);
  const list = useInspections({ communityId, kind, page, pageSize: 15 });
  return (
    <>
      <Flex justify="space-between" style={{ marginBottom: 12 }}>
        <Select<InspectionKind>
          allowClear
          placeholder={t('quality.inspections.kind')}
          style={{ width: 160 }}
          value={kind}
          onChange={setKind}
          options={(['scheduled', 'adhoc', 'cross'] as const).map((k) => ({ value: k, label: t(`quality.kind.${k}`) }))}
        />
        {canManage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOrdering(true)} data-testid="order-inspection">
            {t('quality.inspections.order')}
          </Button>
        )}
      </Flex>
      {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Table<InspectionSummary>
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data?.items}
        locale={{ emptyText: t('quality.inspections.empty') }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        pagination={{ current: page, pageSize: 15, total: list.data?.total, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('quality.inspections.date'), dataIndex: 'plannedOn', width: 110 },
          { title: t('quality.inspections.title'), dataIndex: 'title' },
          { title: t('quality.inspections.kind'), width: 100, render: (_, r) => t(`quality.kind.${r.kind}`) },
          { title: t('quality.inspections.inspector'), width: 100, render: (_, r) => r.inspector.name },
          { title: t('quality.inspections.status'), width: 100, render: (_, r) => <InspectionStatusTag status={r.status} /> },
          { title: t('quality.inspections.score'), width: 130, render: (_, r) => (r.score === null ? '—' : `${r.score}/${r.maxScore}${pct(r.percent)}`) },
          { title: t('quality.inspections.findings'), dataIndex: 'findings', width: 80 },
        ]}
      />
      <InspectionDrawer id={open} onClose={() => setOpen(undefined)} />
      {ordering && <OrderModal communityId={communityId} onClose={() => setOrdering(false)} />}
    </>
  );
}

function InspectionDrawer({ id, onClose }: { id: string | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const insp = useInspection(id);
  const [notice, setNotice] = useState<string>();
  const d = insp.data;
  return (
    <Drawer open={Boolean(id)} onClose={onClose} width={720} title={d ? `${d.plannedOn} ${d.title}` : t('quality.inspections.title')} destroyOnHidden>
      {insp.error ? (
        <QueryError error={insp.error} />
      ) : !d ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={16} data-testid="inspection-drawer">
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('quality.inspections.kind')}>{t(`quality.kind.${d.kind}`)}</Descriptions.Item>
            <Descriptions.Item label={t('quality.inspections.status')}>
              <InspectionStatusTag status={d.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('quality.inspections.template')}>
              {d.templateName} · {t('quality.inspections.version', { v: d.templateVersion })}
            </Descriptions.Item>
            <Descriptions.Item label={t('quality.inspections.inspector')}>{d.inspector.name}</Descriptions.Item>
            <Descriptions.Item label={t('quality.inspections.score')}>{d.score === null ? '—' : `${d.score}/${d.maxScore}${pct(d.percent)}`}</Descriptions.Item>
            <Descriptions.Item label={t('quality.inspections.orderedBy')}>{d.orderedBy?.name ?? '—'}</Descriptions.Item>
            {d.note && <Descriptions.Item label={t('quality.inspections.note')} span={2}>{d.note}</Descriptions.Item>}
          </Descriptions>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={d.items}
            columns={[
              { title: t('quality.inspections.item'), dataIndex: 'label' },
              { title: t('quality.templates.departmentKind'), width: 90, render: (_, r) => t(`quality.departmentKind.${r.departmentKind}`) },
              { title: t('quality.inspections.maxPoints'), dataIndex: 'maxPoints', width: 60 },
              { title: t('quality.inspections.deducted'), dataIndex: 'deducted', width: 60 },
              { title: t('quality.inspections.pointsLeft'), width: 60, render: (_, r) => <Typography.Text type={r.points < r.maxPoints ? 'danger' : undefined}>{r.points}</Typography.Text> },
            ]}
          />
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('quality.inspections.notices')}
          </Typography.Title>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={d.notices}
            onRow={(r) => ({ onClick: () => setNotice(r.id), style: { cursor: 'pointer' } })}
            columns={[
              { title: t('quality.notices.no'), dataIndex: 'no', width: 140 },
              { title: t('quality.notices.description'), dataIndex: 'description' },
              { title: t('quality.notices.deadline'), width: 140, render: (_, r) => formatDateTime(r.deadlineAt) },
              { title: t('quality.notices.status'), width: 140, render: (_, r) => <NoticeStatusTag status={r.status} overdue={r.overdue} /> },
            ]}
          />
          <NoticeDrawer id={notice} onClose={() => setNotice(undefined)} />
        </Flex>
      )}
    </Drawer>
  );
}

/** An ad hoc inspection (e.g. ordered by the general manager) or a cross-inspection by an inspector of another community. */
function OrderModal({ communityId, onClose }: { communityId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ templateId: string; kind: 'adhoc' | 'cross'; plannedOn: Dayjs; inspectorId: string; title?: string; note?: string }>();
  const templates = useTemplates();
  const people = useAssignees(communityId);
  const create = useCreateInspection();
  const kind = Form.useWatch('kind', form) ?? 'adhoc';
  const inspectors = (people.data?.inspectors ?? []).filter((p) => {
    const local = p.all || p.communityIds.includes(communityId);
    return kind === 'cross' ? !local : local;
  });
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await create.mutateAsync({ communityId, templateId: v.templateId, kind: v.kind, plannedOn: v.plannedOn.format('YYYY-MM-DD'), inspectorId: v.inspectorId, title: v.title || undefined, note: v.note || undefined });
      void message.success(t('quality.common.done'));
      onClose();
    } catch (err) {
      const rest = showServerErrors(form, err);
      if (rest) void message.error(rest);
    }
  };
  return (
    <Modal open title={t('quality.inspections.orderTitle')} onCancel={onClose} onOk={() => void submit().catch(() => undefined)} confirmLoading={create.isPending}>
      <Form form={form} layout="vertical" initialValues={{ kind: 'adhoc', plannedOn: dayjs() }}>
        <Form.Item name="kind" label={t('quality.inspections.kind')} extra={kind === 'cross' ? t('quality.inspections.crossHint') : undefined}>
          <Select options={(['adhoc', 'cross'] as const).map((k) => ({ value: k, label: t(`quality.kind.${k}`) }))} onChange={() => form.setFieldValue('inspectorId', undefined)} />
        </Form.Item>
        <Form.Item name="templateId" label={t('quality.inspections.template')} rules={[{ required: true }]}>
          <Select options={(templates.data ?? []).filter((x) => x.active).map((x) => ({ value: x.id, label: `${x.name}（${x.maxScore}）` }))} />
        </Form.Item>
        <Form.Item name="plannedOn" label={t('quality.inspections.date')} rules={[{ required: true }]}>
          <DatePicker disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item name="inspectorId" label={t('quality.inspections.inspector')} rules={[{ required: true }]}>
          <Select showSearch optionFilterProp="label" options={inspectors.map((p) => ({ value: p.id, label: p.name }))} />
        </Form.Item>
        <Form.Item name="title" label={t('quality.inspections.title')} rules={[{ max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="note" label={t('quality.inspections.note')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
