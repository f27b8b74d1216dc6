import { useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Card, Col, DatePicker, Empty, Form, Input, InputNumber, Modal, Radio, Row, Segmented, Select, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CATEGORIES } from '../../../../../src/modules/equipment/catalogue.ts';
import { CYCLES } from '../../../../../src/modules/equipment/rules.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { CommunitySelect, usePageCommunity } from '../../../components/CommunitySelect.tsx';
import { useAbilities } from '../../auth/api.ts';
import { useCurrentCommunity } from '../../../app/console/community.tsx';
import { isApiError } from '../../../lib/api.ts';
import { EChart, type ChartOption } from '../../servicedesk/components/EChart.tsx';
import { useCatalogue, useCreatePlan, useEquipmentList, useFigures, useGenerate, useInspections, usePlans, useTasks, useUpdatePlan, type CreatePlan, type Figures, type Inspection, type Plan } from '../api.ts';
import { DueTag, useCycleText } from '../labels.tsx';
import { TaskTable } from './EquipmentPage.tsx';
import { StaffPicker } from '../StaffPicker.tsx';

type View = 'open' | 'overdue' | 'done' | 'all';

/** 维保与检验: figures (完好率, overdue, inspections due), plans, tasks by status and inspections coming up. */
export function MaintenancePage() {
  const { t } = useTranslation();
  const can = useAbilities();
  const { message } = App.useApp();
  // Figures and lists span all the caller's communities unless the header or the page picks one.
  const { community } = useCurrentCommunity();
  const [pageCommunity, setCommunityId] = useState<string | undefined>();
  const fromHeader = Boolean(community);
  const communityId = community?.id ?? pageCommunity;
  const { communityId: firstCommunity } = usePageCommunity();
  const figures = useFigures({ communityId });
  const generate = useGenerate();
  const [adding, setAdding] = useState(false);
  return (
    <div data-testid="equipment-maintenance">
      <PageHeader
        title={t('equipment.maintenanceTitle')}
        extra={
          <>
            {!fromHeader && <CommunitySelect allowAll value={communityId} onChange={setCommunityId} />}
            {can('equipment.manage') && communityId && (
              <Button icon={<ThunderboltOutlined />} loading={generate.isPending} onClick={() => void generate.mutateAsync({ communityId }).then((r) => message.success(t('equipment.maintenance.generated', { n: r.created })))}>
                {t('equipment.maintenance.generate')}
              </Button>
            )}
            {can('equipment.manage') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
                {t('equipment.maintenance.addPlan')}
              </Button>
            )}
          </>
        }
      />
      {figures.error ? <QueryError error={figures.error} onRetry={() => void figures.refetch()} /> : figures.data && <FigureCards f={figures.data} />}
      <Tabs
        style={{ marginTop: 16 }}
        items={[
          { key: 'tasks', label: t('equipment.maintenance.tasks'), children: <Tasks communityId={communityId} /> },
          { key: 'inspections', label: t('equipment.maintenance.inspections'), children: <Upcoming communityId={communityId} /> },
          { key: 'plans', label: t('equipment.maintenance.plans'), children: <Plans communityId={communityId} /> },
        ]}
      />
      {adding && (communityId ?? firstCommunity) && <PlanDialog communityId={(communityId ?? firstCommunity)!} onClose={() => setAdding(false)} />}
    </div>
  );
}

function Kpi({ title, value, suffix, color, hint, testId }: { title: string; value: ReactNode; suffix?: string; color?: string; hint?: string; testId: string }) {
  return (
    <Card size="small" style={{ height: '100%' }} data-testid={testId}>
      <Statistic title={title} value={value as string} suffix={suffix} styles={{ content: { color } }} />
      {hint && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{hint}</Typography.Text>}
    </Card>
  );
}

function FigureCards({ f }: { f: Figures }) {
  const { t } = useTranslation();
  const rate = f.total.intactRate;
  const byCategory: ChartOption = {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 40, right: 48, top: 24, bottom: 64 },
    xAxis: { type: 'category', data: f.byCategory.map((c) => t(`equipment.categories.${c.category}`)), axisLabel: { interval: 0, rotate: 30 } },
    yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } }],
    series: [
      { name: t('equipment.statuses.normal'), type: 'bar', stack: 'n', barMaxWidth: 36, data: f.byCategory.map((c) => c.normal), itemStyle: { color: '#52c41a' } },
      { name: t('equipment.statuses.fault'), type: 'bar', stack: 'n', barMaxWidth: 36, data: f.byCategory.map((c) => c.fault), itemStyle: { color: '#f5222d' } },
      { name: t('equipment.statuses.stopped'), type: 'bar', stack: 'n', barMaxWidth: 36, data: f.byCategory.map((c) => c.stopped), itemStyle: { color: '#bfbfbf' } },
      { name: t('equipment.maintenance.intactRate'), type: 'line', yAxisIndex: 1, data: f.byCategory.map((c) => c.intactRate), itemStyle: { color: '#1677ff' } },
    ],
  };
  const faults: ChartOption = {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 24, bottom: 32 },
    xAxis: { type: 'category', data: f.faultsByMonth.map((m) => m.month.slice(2)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ name: t('equipment.maintenance.faults'), type: 'bar', barMaxWidth: 28, data: f.faultsByMonth.map((m) => m.count), itemStyle: { color: '#fa8c16' } }],
  };
  return (
    <>
      <Row gutter={[12, 12]}>
        <Col xs={12} md={8} xl={4}>
          <Kpi testId="kpi-intact" title={t('equipment.maintenance.intactRate')} value={rate === null ? '—' : rate.toFixed(1)} suffix={rate === null ? undefined : '%'} color={rate !== null && rate < 98 ? '#fa8c16' : '#52c41a'} hint={t('equipment.maintenance.intactHint')} />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Kpi testId="kpi-open" title={t('equipment.maintenance.openTasks')} value={f.tasks.open} />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Kpi testId="kpi-overdue" title={t('equipment.maintenance.overdueTasks')} value={f.tasks.overdue} color={f.tasks.overdue ? '#f5222d' : undefined} />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Kpi testId="kpi-done" title={t('equipment.maintenance.doneMonth')} value={f.tasks.doneThisMonth} />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Kpi testId="kpi-within30" title={t('equipment.maintenance.within30')} value={f.inspections.within30} color={f.inspections.within30 ? '#fa8c16' : undefined} hint={`${t('equipment.maintenance.within60')} ${f.inspections.within60}`} />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Kpi testId="kpi-inspection-overdue" title={t('equipment.maintenance.overdueInspections')} value={f.inspections.overdue} color={f.inspections.overdue ? '#f5222d' : undefined} />
        </Col>
      </Row>
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('equipment.maintenance.byCategory')}>
            {f.byCategory.length ? <EChart option={byCategory} height={280} testId="chart-intact" /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('equipment.maintenance.faultsByMonth')}>
            <EChart option={faults} height={280} testId="chart-faults" />
          </Card>
        </Col>
      </Row>
    </>
  );
}

function Tasks({ communityId }: { communityId: string | undefined }) {
  const { t } = useTranslation();
  const [view, setView] = useState<View>('overdue');
  const [page, setPage] = useState(1);
  const q = useTasks({ communityId, view, page, pageSize: 20 });
  return (
    <>
      <Segmented<View>
        value={view}
        onChange={(v) => { setView(v); setPage(1); }}
        options={(['overdue', 'open', 'done', 'all'] as const).map((v) => ({ value: v, label: t(`equipment.maintenance.views.${v}`) }))}
        style={{ marginBottom: 12 }}
      />
      {q.error ? <QueryError error={q.error} onRetry={() => void q.refetch()} /> : <TaskTable tasks={q.data?.items} loading={q.isFetching} showEquipment />}
      {q.data && q.data.total > 20 && (
        <Space style={{ marginTop: 8 }}>
          <Button disabled={page === 1} onClick={() => setPage(page - 1)}>‹</Button>
          <Typography.Text>{page} / {Math.ceil(q.data.total / 20)}</Typography.Text>
          <Button disabled={page * 20 >= q.data.total} onClick={() => setPage(page + 1)}>›</Button>
        </Space>
      )}
    </>
  );
}

function Upcoming({ communityId }: { communityId: string | undefined }) {
  const { t } = useTranslation();
  const [within, setWithin] = useState(30);
  const q = useInspections({ communityId, dueWithin: within, pageSize: 100 });
  return (
    <>
      <Segmented<number> value={within} onChange={setWithin} options={[30, 60, 366].map((n) => ({ value: n, label: t('equipment.maintenance.within', { n }) }))} style={{ marginBottom: 12 }} />
      <Table<Inspection>
        rowKey="id"
        size="small"
        loading={q.isFetching}
        dataSource={q.data?.items}
        pagination={false}
        columns={[
          { title: t('equipment.detail.nextDueOn'), dataIndex: 'nextDueOn', render: (v: string, r) => <Space>{v}<DueTag daysLeft={r.daysLeft} /></Space> },
          { title: t('equipment.detail.kind'), dataIndex: 'name' },
          { title: t('equipment.fields.name'), render: (_: unknown, r) => <Link to={`/field/equipment/${r.equipment.id}`}>{r.equipment.name}（{r.equipment.code}）</Link> },
          { title: t('equipment.detail.agency'), dataIndex: 'agency', render: (v: string | null) => v ?? '—' },
          { title: t('equipment.detail.certificateNo'), render: (_: unknown, r) => r.lastRecord?.certificateNo ?? '—' },
          { title: t('equipment.detail.inspectedOn'), render: (_: unknown, r) => r.lastRecord?.inspectedOn ?? '—' },
        ]}
      />
    </>
  );
}

function Plans({ communityId }: { communityId: string | undefined }) {
  const { t } = useTranslation();
  const can = useAbilities();
  const cycleText = useCycleText();
  const q = usePlans({ communityId, pageSize: 100 });
  const update = useUpdatePlan();
  return (
    <Table<Plan>
      rowKey="id"
      size="small"
      loading={q.isFetching}
      dataSource={q.data?.items}
      pagination={false}
      columns={[
        { title: t('equipment.maintenance.planName'), dataIndex: 'name' },
        { title: t('equipment.maintenance.scope'), render: (_: unknown, p) => (p.equipment ? <Link to={`/field/equipment/${p.equipment.id}`}>{p.equipment.name}（{p.equipment.code}）</Link> : t(`equipment.categories.${p.category!}`)) },
        { title: t('equipment.maintenance.cycle'), render: (_: unknown, p) => cycleText(p) },
        { title: t('equipment.maintenance.nextDue'), dataIndex: 'nextDueOn', render: (v: string | null) => v ?? '—' },
        { title: t('equipment.maintenance.checklist'), render: (_: unknown, p) => p.checklist.length },
        { title: t('equipment.maintenance.assignee'), render: (_: unknown, p) => p.assignee?.name ?? p.post?.name ?? '—' },
        {
          title: t('equipment.maintenance.active'),
          render: (_: unknown, p) => (
            <Space>
              {p.active ? <Tag color="green">{t('equipment.maintenance.active')}</Tag> : <Tag>{t('equipment.maintenance.paused')}</Tag>}
              {can('equipment.manage') && (
                <Button size="small" type="link" onClick={() => update.mutate({ id: p.id, active: !p.active })}>
                  {p.active ? t('equipment.maintenance.pause') : t('equipment.maintenance.resume')}
                </Button>
              )}
            </Space>
          ),
        },
      ]}
    />
  );
}

interface PlanForm {
  communityId: string;
  scope: 'item' | 'category';
  equipmentId?: string;
  category?: CreatePlan['category'];
  name: string;
  cycle: CreatePlan['cycle'];
  interval: number;
  startOn: dayjs.Dayjs;
  endOn?: dayjs.Dayjs;
  leadDays: number;
  assigneeId?: string | null;
  checklist: NonNullable<CreatePlan['checklist']>;
}

function PlanDialog({ communityId: initialCommunity, onClose }: { communityId: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<PlanForm>();
  const create = useCreatePlan();
  const catalogue = useCatalogue();
  const communityId = Form.useWatch('communityId', form) ?? initialCommunity;
  const scope = Form.useWatch('scope', form);
  const category = Form.useWatch('category', form);
  const [search, setSearch] = useState('');
  const items = useEquipmentList({ communityId, q: search || undefined, pageSize: 50 });
  const equipmentId = Form.useWatch('equipmentId', form);
  const chosenCategory = scope === 'category' ? category : items.data?.items.find((i) => i.id === equipmentId)?.category;
  const templates = catalogue.data?.find((c) => c.code === chosenCategory)?.plans ?? [];
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await create.mutateAsync({
        communityId,
        ...(v.scope === 'item' ? { equipmentId: v.equipmentId } : { category: v.category }),
        name: v.name, cycle: v.cycle, interval: v.interval, assigneeId: v.assigneeId ?? null, startOn: v.startOn.format('YYYY-MM-DD'), endOn: v.endOn?.format('YYYY-MM-DD'), leadDays: v.leadDays, checklist: v.checklist ?? [],
      });
      void message.success(t('equipment.maintenance.planCreated'));
      onClose();
    } catch (err) {
      if (isApiError(err) && err.fieldIssues.length) form.setFields(err.fieldIssues.map((f) => ({ name: f.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) as never, errors: [f.message] })));
      else if (isApiError(err)) void message.error(err.message);
    }
  };
  return (
    <Modal open width={720} title={t('equipment.maintenance.addPlan')} onCancel={onClose} onOk={() => void submit()} confirmLoading={create.isPending}>
      <Form form={form} layout="vertical" initialValues={{ communityId: initialCommunity, scope: 'category', category: 'lift', cycle: 'monthly', interval: 1, startOn: dayjs(), leadDays: 0, checklist: [] }}>
        <Form.Item name="communityId" label={t('equipment.fields.community')} rules={[{ required: true }]}>
          <CommunitySelect width={240} />
        </Form.Item>
        <Form.Item name="scope" label={t('equipment.maintenance.scope')}>
          <Radio.Group options={[{ value: 'category', label: t('equipment.maintenance.wholeCategory') }, { value: 'item', label: t('equipment.maintenance.oneItem') }]} />
        </Form.Item>
        {scope === 'item' ? (
          <Form.Item name="equipmentId" label={t('equipment.fields.name')} rules={[{ required: true }]}>
            <Select showSearch filterOption={false} onSearch={setSearch} options={items.data?.items.map((i) => ({ value: i.id, label: `${i.code} ${i.name}` }))} />
          </Form.Item>
        ) : (
          <Form.Item name="category" label={t('equipment.fields.category')} rules={[{ required: true }]}>
            <Select options={CATEGORIES.map((c) => ({ value: c, label: t(`equipment.categories.${c}`) }))} />
          </Form.Item>
        )}
        {templates.length > 0 && (
          <Form.Item label={t('equipment.maintenance.template')}>
            <Select
              data-testid="plan-template"
              options={templates.map((x) => ({ value: x.key, label: i18n.language === 'en' ? x.en : x.zh }))}
              onChange={(key) => {
                const x = templates.find((y) => y.key === key)!;
                form.setFieldsValue({ name: i18n.language === 'en' ? x.en : x.zh, cycle: x.cycle, interval: x.interval, leadDays: x.leadDays, checklist: x.checklist });
              }}
            />
          </Form.Item>
        )}
        <Form.Item name="name" label={t('equipment.maintenance.planName')} rules={[{ required: true }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="cycle" label={t('equipment.maintenance.cycle')} rules={[{ required: true }]}>
            <Select style={{ width: 140 }} options={CYCLES.map((c) => ({ value: c, label: t(`equipment.cycles.${c}`) }))} />
          </Form.Item>
          <Form.Item name="interval" label={t('equipment.maintenance.interval')} rules={[{ required: true }]}>
            <InputNumber min={1} max={366} precision={0} style={{ width: 80 }} />
          </Form.Item>
          <Form.Item name="startOn" label={t('equipment.maintenance.startOn')} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="endOn" label={t('equipment.maintenance.endOn')}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="leadDays" label={t('equipment.maintenance.leadDays')}>
            <InputNumber min={0} max={60} precision={0} style={{ width: 90 }} />
          </Form.Item>
        </Space>
        <Form.Item name="assigneeId" label={t('equipment.maintenance.assignee')} extra={t('equipment.maintenance.assigneeHint')}>
          <StaffPicker />
        </Form.Item>
        <Typography.Text strong>{t('equipment.maintenance.checklist')}</Typography.Text>
        <Form.List name="checklist">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item name={[f.name, 'label']} rules={[{ required: true }]}>
                    <Input placeholder={t('equipment.maintenance.itemLabel')} style={{ width: 260 }} maxLength={100} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'kind']} initialValue="check">
                    <Select style={{ width: 90 }} options={(['check', 'number', 'text'] as const).map((k) => ({ value: k, label: t(`equipment.maintenance.kinds.${k}`) }))} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'min']}>
                    <InputNumber placeholder={t('equipment.maintenance.min')} style={{ width: 80 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'max']}>
                    <InputNumber placeholder={t('equipment.maintenance.max')} style={{ width: 80 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'unit']}>
                    <Input placeholder={t('equipment.maintenance.unit')} style={{ width: 60 }} maxLength={10} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button type="dashed" onClick={() => add({ kind: 'check' })} icon={<PlusOutlined />} block>
                {t('equipment.maintenance.addItem')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
