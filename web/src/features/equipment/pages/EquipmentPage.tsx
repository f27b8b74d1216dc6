import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { App, Button, Card, Col, DatePicker, Descriptions, Empty, Form, Image, Input, InputNumber, Modal, Radio, Row, Select, Skeleton, Space, Table, Tabs, Tag, Typography } from 'antd';
import { AlertOutlined, SwapOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAbilities } from '../../auth/api.ts';
import { isApiError } from '../../../lib/api.ts';
import { formatDateTime } from '../../../lib/format.ts';
import {
  useCatalogue, useChangeStatus, useCreateInspection, useEquipment, useEquipmentTickets, usePlans, useRecordInspection, useReportFault, useTasks,
  type EquipmentDetail, type EquipmentStatus, type Task,
} from '../api.ts';
import { DueTag, StatusTag, useCycleText } from '../labels.tsx';

type InspectionWithRecords = EquipmentDetail['inspections'][number];

/** An item's page: details and label, status history, maintenance, statutory inspections, faults. */
export function EquipmentPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const can = useAbilities();
  const q = useEquipment(id);
  const [dialog, setDialog] = useState<null | 'status' | 'fault' | 'inspection' | { record: InspectionWithRecords }>(null);
  if (q.error) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Skeleton active />;
  const e = q.data;
  return (
    <div data-testid="equipment-detail">
      <PageHeader
        title={`${e.name}（${e.code}）`}
        subtitle={`${e.communityName} · ${t(`equipment.categories.${e.category}`)} · ${[e.building?.name, e.location].filter(Boolean).join(' ')}`}
        extra={
          <>
            <StatusTag status={e.status} />
            {(can('equipment.maintain') || can('equipment.manage')) && (
              <Button icon={<SwapOutlined />} onClick={() => setDialog('status')}>
                {t('equipment.detail.changeStatus')}
              </Button>
            )}
            {e.status !== 'stopped' && (can('ticket.create') || can('equipment.maintain')) && (
              <Button danger icon={<AlertOutlined />} onClick={() => setDialog('fault')} data-testid="equipment-report-fault">
                {t('equipment.detail.reportFault')}
              </Button>
            )}
          </>
        }
      />
      <Tabs
        items={[
          { key: 'info', label: t('equipment.detail.tabs.info'), children: <Info e={e} /> },
          { key: 'history', label: t('equipment.detail.tabs.history'), children: <History e={e} /> },
          { key: 'maintenance', label: t('equipment.detail.tabs.maintenance'), children: <Maintenance e={e} /> },
          {
            key: 'inspections',
            label: t('equipment.detail.tabs.inspections'),
            children: <Inspections e={e} onAdd={() => setDialog('inspection')} onRecord={(i) => setDialog({ record: i })} />,
          },
          { key: 'faults', label: t('equipment.detail.tabs.faults'), children: <Faults id={e.id} /> },
        ]}
      />
      {dialog === 'status' && <StatusDialog e={e} onClose={() => setDialog(null)} />}
      {dialog === 'fault' && <FaultDialog e={e} onClose={() => setDialog(null)} />}
      {dialog === 'inspection' && <AddInspectionDialog e={e} onClose={() => setDialog(null)} />}
      {dialog && typeof dialog === 'object' && <RecordDialog inspection={dialog.record} onClose={() => setDialog(null)} />}
    </div>
  );
}

function Info({ e }: { e: EquipmentDetail }) {
  const { t } = useTranslation();
  return (
    <Row gutter={16}>
      <Col xs={24} lg={17}>
        <Card size="small" title={t('equipment.detail.nameplate')} style={{ marginBottom: 16 }}>
          <Descriptions size="small" column={2}>
            <Descriptions.Item label={t('equipment.fields.model')}>{e.model ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('equipment.fields.serialNo')}>{e.serialNo ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('equipment.fields.manufacturer')}>{e.manufacturer ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('equipment.fields.madeOn')}>{e.madeOn ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('equipment.fields.installedOn')}>{e.installedOn ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('equipment.fields.nextInspection')}>{e.nextInspectionOn ?? '—'}</Descriptions.Item>
            {e.specs.map((s) => (
              <Descriptions.Item key={s.label} label={s.label}>
                {s.value}
              </Descriptions.Item>
            ))}
          </Descriptions>
        </Card>
        <Card size="small" title={t('equipment.detail.people')}>
          <Descriptions size="small" column={2}>
            <Descriptions.Item label={t('equipment.fields.vendor')}>{e.vendor ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('equipment.fields.contractor')}>{e.contractorName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('equipment.fields.contractorPhone')}>{e.contractorPhone ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('equipment.fields.responsible')}>{e.responsible?.name ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('equipment.fields.note')} span={2}>
              {e.note ?? '—'}
            </Descriptions.Item>
            {e.attachments.length > 0 && (
              <Descriptions.Item label={t('equipment.detail.attachments')} span={2}>
                <Space wrap>
                  {e.attachments.map((a) => (
                    <a key={a.fileId} href={`/api/files/${a.fileId}`} target="_blank" rel="noreferrer">
                      {a.name}
                    </a>
                  ))}
                </Space>
              </Descriptions.Item>
            )}
          </Descriptions>
        </Card>
      </Col>
      <Col xs={24} lg={7}>
        <Card size="small" title={t('equipment.detail.label')} data-testid="equipment-label">
          <Flexed>
            <Image src={`/api/equipment/${e.id}/label.png`} width={180} preview={false} alt="QR" />
            <Typography.Text strong>{e.code}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('equipment.detail.labelHint')}
            </Typography.Text>
            <Space>
              <a href={`/api/equipment/${e.id}/label.png`} download={`${e.code}.png`}>
                {t('equipment.detail.downloadPng')}
              </a>
              <a href={`/api/equipment/${e.id}/label.svg`} download={`${e.code}.svg`}>
                {t('equipment.detail.downloadSvg')}
              </a>
            </Space>
          </Flexed>
        </Card>
      </Col>
    </Row>
  );
}

const Flexed = ({ children }: { children: React.ReactNode }) => <div style={{ display: 'flex', flexDirection: 'column', alignItems: 'center', gap: 6 }}>{children}</div>;

function History({ e }: { e: EquipmentDetail }) {
  const { t } = useTranslation();
  return (
    <Table
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={e.history}
      columns={[
        { title: t('equipment.detail.at'), dataIndex: 'changedAt', render: (v: string) => formatDateTime(v) },
        { title: t('equipment.detail.from'), dataIndex: 'fromStatus', render: (v: EquipmentStatus | null) => (v ? <StatusTag status={v} /> : '—') },
        { title: t('equipment.detail.to'), dataIndex: 'toStatus', render: (v: EquipmentStatus) => <StatusTag status={v} /> },
        { title: t('equipment.fields.reason'), dataIndex: 'reason' },
        { title: t('equipment.detail.ticketNo'), dataIndex: 'ticket', render: (v: { id: string; no: string } | null) => (v ? <Link to={`/tickets/${v.id}`}>{v.no}</Link> : '—') },
        { title: t('equipment.detail.by'), dataIndex: 'changedBy', render: (v: string | null) => v ?? '—' },
      ]}
    />
  );
}

function Maintenance({ e }: { e: EquipmentDetail }) {
  const { t } = useTranslation();
  const cycleText = useCycleText();
  const plans = usePlans({ equipmentId: e.id, pageSize: 50 });
  const tasks = useTasks({ equipmentId: e.id, pageSize: 20 });
  return (
    <>
      <Typography.Title level={5}>{t('equipment.detail.plans')}</Typography.Title>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        loading={plans.isLoading}
        dataSource={plans.data?.items}
        columns={[
          { title: t('equipment.fields.name'), dataIndex: 'name' },
          { title: t('equipment.maintenance.cycle'), render: (_: unknown, p) => cycleText(p) },
          { title: t('equipment.maintenance.nextDue'), dataIndex: 'nextDueOn', render: (v: string | null) => v ?? '—' },
          { title: t('equipment.maintenance.assignee'), render: (_: unknown, p) => p.assignee?.name ?? p.post?.name ?? '—' },
          { title: t('equipment.maintenance.active'), dataIndex: 'active', render: (v: boolean) => (v ? <Tag color="green">{t('equipment.maintenance.active')}</Tag> : <Tag>{t('equipment.maintenance.paused')}</Tag>) },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('equipment.detail.recentTasks')}
      </Typography.Title>
      <TaskTable tasks={tasks.data?.items} loading={tasks.isLoading} />
    </>
  );
}

export function TaskTable({ tasks, loading, showEquipment }: { tasks: Task[] | undefined; loading: boolean; showEquipment?: boolean }) {
  const { t } = useTranslation();
  return (
    <Table<Task>
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={tasks}
      pagination={false}
      columns={[
        { title: t('equipment.maintenance.due'), dataIndex: 'dueOn', render: (v: string, r) => <Space>{v}{r.overdue && <Tag color="red">{t('equipment.mobile.overdue')}</Tag>}</Space> },
        ...(showEquipment ? [{ title: t('equipment.fields.name'), render: (_: unknown, r: Task) => <Link to={`/field/equipment/${r.equipment.id}`}>{r.equipment.name}（{r.equipment.code}）</Link> }] : []),
        { title: t('equipment.maintenance.tasks'), dataIndex: 'title' },
        { title: t('equipment.fields.status'), dataIndex: 'status', render: (v: Task['status'], r) => <Space>{t(`equipment.taskStatuses.${v}`)}{r.abnormal && <Tag color="orange">{t('equipment.maintenance.abnormal')}</Tag>}</Space> },
        { title: t('equipment.maintenance.assignee'), render: (_: unknown, r) => r.assignee?.name ?? r.post?.name ?? '—' },
        { title: t('equipment.maintenance.doneBy'), render: (_: unknown, r) => (r.doneAt ? `${r.doneBy ?? ''} ${formatDateTime(r.doneAt)}` : '—') },
        { title: t('equipment.detail.ticketNo'), dataIndex: 'ticket', render: (v: Task['ticket']) => (v ? <Link to={`/tickets/${v.id}`}>{v.no}</Link> : '—') },
      ]}
    />
  );
}

function Inspections({ e, onAdd, onRecord }: { e: EquipmentDetail; onAdd: () => void; onRecord: (i: InspectionWithRecords) => void }) {
  const { t } = useTranslation();
  const can = useAbilities();
  if (!e.inspections.length)
    return (
      <Empty description={t('equipment.detail.noHistory')}>
        {can('equipment.manage') && <Button onClick={onAdd}>{t('equipment.detail.addInspection')}</Button>}
      </Empty>
    );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {can('equipment.manage') && <Button onClick={onAdd}>{t('equipment.detail.addInspection')}</Button>}
      {e.inspections.map((i) => (
        <Card
          key={i.id}
          size="small"
          title={
            <Space>
              {i.name}
              <DueTag daysLeft={i.daysLeft} />
            </Space>
          }
          extra={(can('equipment.maintain') || can('equipment.manage')) && <Button size="small" onClick={() => onRecord(i)}>{t('equipment.detail.record')}</Button>}
        >
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {t('equipment.detail.nextDueOn')}：{i.nextDueOn} · {t('equipment.detail.cycleMonths')}：{i.cycleMonths} · {t('equipment.detail.agency')}：{i.agency ?? '—'}
          </Typography.Paragraph>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={i.records}
            columns={[
              { title: t('equipment.detail.inspectedOn'), dataIndex: 'inspectedOn' },
              { title: t('equipment.detail.certificateNo'), dataIndex: 'certificateNo', render: (v: string | null) => v ?? '—' },
              { title: t('equipment.detail.result'), dataIndex: 'result', render: (v: 'passed' | 'conditional' | 'failed') => <Tag color={v === 'failed' ? 'red' : v === 'passed' ? 'green' : 'orange'}>{t(`equipment.results.${v}`)}</Tag> },
              { title: t('equipment.detail.agency'), dataIndex: 'agency', render: (v: string | null) => v ?? '—' },
              { title: t('equipment.detail.nextDueOn'), dataIndex: 'nextDueOn' },
              { title: t('equipment.detail.by'), dataIndex: 'recordedBy', render: (v: string | null) => v ?? '—' },
            ]}
          />
        </Card>
      ))}
    </Space>
  );
}

function Faults({ id }: { id: string }) {
  const { t } = useTranslation();
  const q = useEquipmentTickets(id);
  return (
    <Table
      rowKey="id"
      size="small"
      loading={q.isLoading}
      pagination={false}
      dataSource={q.data}
      columns={[
        { title: t('equipment.detail.ticketNo'), dataIndex: 'no', render: (v: string, r) => <Link to={`/tickets/${r.id}`}>{v}</Link> },
        { title: t('equipment.fields.description'), dataIndex: 'title' },
        { title: t('equipment.fields.status'), dataIndex: 'status', render: (v: string) => t(`servicedesk.statuses.${v}`, { defaultValue: v }) },
        { title: '', dataIndex: 'source', render: (v: 'report' | 'task') => <Tag>{t(`equipment.sources.${v}`)}</Tag> },
        { title: t('equipment.detail.at'), dataIndex: 'reportedAt', render: (v: string) => formatDateTime(v) },
        { title: t('equipment.maintenance.assignee'), dataIndex: 'assigneeName', render: (v: string | null) => v ?? '—' },
      ]}
    />
  );
}

function useSubmit<T>(form: ReturnType<typeof Form.useForm>[0], run: (v: T) => Promise<unknown>, done: () => void) {
  const { message } = App.useApp();
  return async () => {
    const v = (await form.validateFields()) as T;
    try {
      await run(v);
      done();
    } catch (err) {
      if (isApiError(err) && err.fieldIssues.length) form.setFields(err.fieldIssues.map((f) => ({ name: f.field.split('.'), errors: [f.message] })));
      else if (isApiError(err)) void message.error(err.message);
      else throw err;
    }
  };
}

function StatusDialog({ e, onClose }: { e: EquipmentDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const change = useChangeStatus(e.id);
  const submit = useSubmit<{ status: EquipmentStatus; reason: string }>(form, (v) => change.mutateAsync(v), () => { void message.success(t('equipment.detail.statusChanged')); onClose(); });
  return (
    <Modal open title={t('equipment.detail.changeStatus')} onCancel={onClose} onOk={() => void submit()} confirmLoading={change.isPending}>
      <Form form={form} layout="vertical">
        <Form.Item name="status" label={t('equipment.fields.status')} rules={[{ required: true }]}>
          <Radio.Group options={(['normal', 'fault', 'stopped'] as const).filter((s) => s !== e.status).map((s) => ({ value: s, label: t(`equipment.statuses.${s}`) }))} />
        </Form.Item>
        <Form.Item name="reason" label={t('equipment.fields.reason')} rules={[{ required: true }]}>
          <Input.TextArea maxLength={200} rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function FaultDialog({ e, onClose }: { e: EquipmentDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const report = useReportFault(e.id);
  const submit = useSubmit<{ description: string; urgency: 'normal' | 'urgent' }>(
    form,
    async (v) => {
      const r = await report.mutateAsync(v);
      void message.success(t('equipment.detail.faultReported', { no: r.ticket.no }));
    },
    onClose,
  );
  return (
    <Modal open title={t('equipment.detail.reportFault')} onCancel={onClose} onOk={() => void submit()} confirmLoading={report.isPending}>
      <Typography.Paragraph type="secondary">{t('equipment.mobile.reportHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ urgency: 'normal' }}>
        <Form.Item name="description" label={t('equipment.fields.description')} rules={[{ required: true }]}>
          <Input.TextArea maxLength={1000} rows={4} />
        </Form.Item>
        <Form.Item name="urgency" label={t('equipment.fields.urgency')}>
          <Radio.Group options={[{ value: 'normal', label: t('equipment.fields.normal') }, { value: 'urgent', label: t('equipment.fields.urgent') }]} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AddInspectionDialog({ e, onClose }: { e: EquipmentDetail; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm();
  const create = useCreateInspection();
  const catalogue = useCatalogue();
  const templates = catalogue.data?.find((c) => c.code === e.category)?.inspections ?? [];
  const submit = useSubmit<{ kind: string; name: string; cycleMonths: number; agency?: string; nextDueOn: dayjs.Dayjs }>(form, (v) => create.mutateAsync({ ...v, equipmentId: e.id, nextDueOn: v.nextDueOn.format('YYYY-MM-DD') }), onClose);
  return (
    <Modal open title={t('equipment.detail.addInspection')} onCancel={onClose} onOk={() => void submit()} confirmLoading={create.isPending}>
      <Form form={form} layout="vertical">
        {templates.length > 0 && (
          <Form.Item label={t('equipment.maintenance.template')}>
            <Select
              options={templates.map((x) => ({ value: x.kind, label: i18n.language === 'en' ? x.en : x.zh }))}
              onChange={(kind) => {
                const x = templates.find((y) => y.kind === kind)!;
                form.setFieldsValue({ kind: x.kind, name: i18n.language === 'en' ? x.en : x.zh, cycleMonths: x.cycleMonths, agency: x.agencyZh });
              }}
            />
          </Form.Item>
        )}
        <Form.Item name="kind" label="Code" rules={[{ required: true, pattern: /^[A-Za-z]{2,30}$/ }]}>
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item name="name" label={t('equipment.detail.kind')} rules={[{ required: true }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Space>
          <Form.Item name="cycleMonths" label={t('equipment.detail.cycleMonths')} rules={[{ required: true }]}>
            <InputNumber min={1} max={120} />
          </Form.Item>
          <Form.Item name="nextDueOn" label={t('equipment.detail.nextDueOn')} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
        </Space>
        <Form.Item name="agency" label={t('equipment.detail.agency')}>
          <Input maxLength={100} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RecordDialog({ inspection, onClose }: { inspection: InspectionWithRecords; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const record = useRecordInspection();
  const submit = useSubmit<{ inspectedOn: dayjs.Dayjs; certificateNo?: string; result: 'passed' | 'conditional' | 'failed'; nextDueOn?: dayjs.Dayjs; agency?: string }>(
    form,
    (v) => record.mutateAsync({ id: inspection.id, ...v, inspectedOn: v.inspectedOn.format('YYYY-MM-DD'), nextDueOn: v.nextDueOn?.format('YYYY-MM-DD') }),
    onClose,
  );
  return (
    <Modal open title={`${t('equipment.detail.record')}：${inspection.name}`} onCancel={onClose} onOk={() => void submit()} confirmLoading={record.isPending}>
      <Form form={form} layout="vertical" initialValues={{ inspectedOn: dayjs(), result: 'passed', agency: inspection.agency ?? undefined }}>
        <Space>
          <Form.Item name="inspectedOn" label={t('equipment.detail.inspectedOn')} rules={[{ required: true }]}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
          <Form.Item name="nextDueOn" label={t('equipment.detail.nextDueOn')} extra={`${t('equipment.detail.cycleMonths')}：${inspection.cycleMonths}`}>
            <DatePicker />
          </Form.Item>
        </Space>
        <Form.Item name="certificateNo" label={t('equipment.detail.certificateNo')}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="result" label={t('equipment.detail.result')} rules={[{ required: true }]}>
          <Radio.Group options={(['passed', 'conditional', 'failed'] as const).map((r) => ({ value: r, label: t(`equipment.results.${r}`) }))} />
        </Form.Item>
        <Form.Item name="agency" label={t('equipment.detail.agency')}>
          <Input maxLength={100} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
