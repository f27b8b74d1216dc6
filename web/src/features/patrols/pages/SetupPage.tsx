import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, DatePicker, Drawer, Flex, Form, Input, InputNumber, Modal, Radio, Select, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined, PrinterOutlined, QrcodeOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { CommunitySelect, usePageCommunity } from '../../../components/CommunitySelect.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { isApiError } from '../../../lib/api.ts';
import {
  type Checkpoint,
  type ChecklistItemInput,
  type Plan,
  type PlanInput,
  type PlanPreview,
  previewPlan,
  type Route,
  useCheckpoints,
  useCreateCheckpoint,
  useCreatePlan,
  useCreateRoute,
  usePlans,
  useRoutes,
  useSetupOptions,
  useUpdateCheckpoint,
  useUpdatePlan,
  useUpdateRoute,
} from '../api.ts';

/** 巡更设置: checkpoints with their checklists and printable QR labels, routes in walking order, plans with a window preview. */
export function SetupPage() {
  const { t } = useTranslation();
  const { communityId, setCommunityId, fromHeader } = usePageCommunity();
  return (
    <>
      <PageHeader
        title={t('patrols.setupTitle')}
        subtitle={t('patrols.setupSubtitle')}
        extra={!fromHeader && <CommunitySelect value={communityId} onChange={(id) => id && setCommunityId(id)} testId="patrol-community" />}
      />
      {communityId && (
        <Tabs
          items={[
            { key: 'checkpoints', label: t('patrols.checkpoints'), children: <CheckpointsTab communityId={communityId} /> },
            { key: 'routes', label: t('patrols.routes'), children: <RoutesTab communityId={communityId} /> },
            { key: 'plans', label: t('patrols.plans'), children: <PlansTab communityId={communityId} /> },
          ]}
        />
      )}
    </>
  );
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

// ── Checkpoints ──
function CheckpointsTab({ communityId }: { communityId: string }) {
  const { t } = useTranslation();
  const list = useCheckpoints(communityId);
  const [editing, setEditing] = useState<Checkpoint | 'new' | null>(null);
  if (list.error) return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <>
      <Flex gap={8} style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="patrol-new-checkpoint">
          {t('patrols.newCheckpoint')}
        </Button>
        <Button icon={<PrinterOutlined />} href={`/api/patrol/labels.pdf?communityId=${communityId}`} target="_blank" data-testid="patrol-print-labels">
          {t('patrols.printLabels')}
        </Button>
      </Flex>
      <Table<Checkpoint>
        rowKey="id"
        size="small"
        loading={list.isPending}
        dataSource={list.data}
        pagination={false}
        data-testid="patrol-checkpoints"
        columns={[
          { title: t('patrols.no_'), dataIndex: 'no', width: 60 },
          { title: t('patrols.name'), dataIndex: 'name', render: (v: string, r) => <Space>{v}{!r.active && <Tag>{t('patrols.retired')}</Tag>}</Space> },
          { title: t('patrols.kindLabel'), dataIndex: 'kind', width: 80, render: (k: Checkpoint['kind']) => <Tag color={k === 'inspection' ? 'purple' : 'blue'}>{t(`patrols.kind.${k}`)}</Tag> },
          { title: t('patrols.location'), render: (_, r) => [r.buildingName, r.location].filter(Boolean).join(' · ') },
          { title: t('patrols.checklist'), render: (_, r) => r.checklist.map((i) => i.label).join('、') || '—' },
          {
            title: '',
            width: 200,
            render: (_, r) => (
              <Space>
                <Button size="small" onClick={() => setEditing(r)} data-testid="patrol-edit">{t('patrols.edit')}</Button>
                <Button size="small" icon={<QrcodeOutlined />} href={`/api/patrol/checkpoints/${r.id}/label?format=svg`} target="_blank">{t('patrols.label')}</Button>
                <Button size="small" href={`/api/patrol/checkpoints/${r.id}/label?format=png`} target="_blank">PNG</Button>
              </Space>
            ),
          },
        ]}
      />
      {editing && <CheckpointDrawer communityId={communityId} checkpoint={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

interface CheckpointForm {
  name: string;
  kind: 'patrol' | 'inspection';
  location: string;
  buildingId?: string | null;
  active: boolean;
  checklist: ChecklistItemInput[];
}

function CheckpointDrawer({ communityId, checkpoint, onClose }: { communityId: string; checkpoint: Checkpoint | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<CheckpointForm>();
  const options = useSetupOptions(communityId);
  const create = useCreateCheckpoint();
  const update = useUpdateCheckpoint();
  const submit = async (v: CheckpointForm) => {
    const checklist = (v.checklist ?? []).map((i) => ({
      label: i.label,
      answerKind: i.answerKind,
      normalYes: i.answerKind === 'yesNo' ? (i.normalYes ?? true) : null,
      minValue: i.answerKind === 'number' ? (i.minValue ?? null) : null,
      maxValue: i.answerKind === 'number' ? (i.maxValue ?? null) : null,
      unit: i.answerKind === 'number' ? i.unit || null : null,
      required: i.required ?? true,
    }));
    try {
      if (checkpoint) await update.mutateAsync({ id: checkpoint.id, name: v.name, location: v.location ?? '', buildingId: v.buildingId ?? null, active: v.active, checklist });
      else await create.mutateAsync({ communityId, name: v.name, kind: v.kind, location: v.location ?? '', buildingId: v.buildingId ?? null, checklist });
      void message.success(t('patrols.saved'));
      onClose();
    } catch (e) {
      if (isApiError(e)) form.setFields(e.fieldIssues.map((f) => ({ name: f.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) as never, errors: [f.message] })));
      void message.error(errorText(e));
    }
  };
  return (
    <Drawer open width={560} title={checkpoint ? `${checkpoint.no}. ${checkpoint.name}` : t('patrols.newCheckpoint')} onClose={onClose} extra={<Button type="primary" loading={create.isPending || update.isPending} onClick={() => form.submit()} data-testid="patrol-checkpoint-save">{t('patrols.save')}</Button>}>
      <Form<CheckpointForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={checkpoint ? { ...checkpoint, checklist: checkpoint.checklist } : { kind: 'patrol', location: '', active: true, checklist: [] }}
      >
        <Form.Item name="name" label={t('patrols.name')} rules={[{ required: true, max: 60 }]}>
          <Input data-testid="patrol-checkpoint-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('patrols.kindLabel')}>
          <Radio.Group disabled={Boolean(checkpoint)} options={[{ value: 'patrol', label: t('patrols.kind.patrol') }, { value: 'inspection', label: t('patrols.kind.inspection') }]} />
        </Form.Item>
        <Form.Item name="buildingId" label={t('patrols.building')}>
          <Select allowClear options={(options.data?.buildings ?? []).map((b) => ({ value: b.id, label: b.name }))} />
        </Form.Item>
        <Form.Item name="location" label={t('patrols.location')} rules={[{ max: 200 }]}>
          <Input />
        </Form.Item>
        {checkpoint && (
          <Form.Item name="active" label={t('patrols.inUse')} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
        <Typography.Title level={5}>{t('patrols.checklist')}</Typography.Title>
        <Form.List name="checklist">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Card key={f.key} size="small" style={{ marginBottom: 8 }}>
                  <Flex gap={8} wrap align="flex-start">
                    <Form.Item name={[f.name, 'label']} rules={[{ required: true, max: 60 }]} style={{ flex: 1, minWidth: 180, marginBottom: 8 }}>
                      <Input placeholder={t('patrols.itemLabel')} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'answerKind']} initialValue="yesNo" style={{ width: 110, marginBottom: 8 }}>
                      <Select options={(['yesNo', 'number', 'text'] as const).map((k) => ({ value: k, label: t(`patrols.answerKind.${k}`) }))} />
                    </Form.Item>
                    <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('patrols.remove')} />
                  </Flex>
                  <Form.Item noStyle shouldUpdate>
                    {() => {
                      const kind = form.getFieldValue(['checklist', f.name, 'answerKind']);
                      return (
                        <Flex gap={8} wrap align="center">
                          {kind === 'yesNo' && (
                            <Form.Item name={[f.name, 'normalYes']} label={t('patrols.normalAnswer')} initialValue={true} style={{ marginBottom: 0 }}>
                              <Radio.Group options={[{ value: true, label: t('patrols.yes') }, { value: false, label: t('patrols.no') }]} />
                            </Form.Item>
                          )}
                          {kind === 'number' && (
                            <>
                              <Form.Item name={[f.name, 'minValue']} style={{ marginBottom: 0 }}><InputNumber placeholder={t('patrols.min')} /></Form.Item>
                              –
                              <Form.Item name={[f.name, 'maxValue']} style={{ marginBottom: 0 }}><InputNumber placeholder={t('patrols.max')} /></Form.Item>
                              <Form.Item name={[f.name, 'unit']} style={{ marginBottom: 0, width: 80 }}><Input placeholder={t('patrols.unit')} /></Form.Item>
                            </>
                          )}
                          <Form.Item name={[f.name, 'required']} valuePropName="checked" initialValue={true} style={{ marginBottom: 0 }}>
                            <Checkbox>{t('patrols.required')}</Checkbox>
                          </Form.Item>
                        </Flex>
                      );
                    }}
                  </Form.Item>
                </Card>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ answerKind: 'yesNo', normalYes: true, required: true })} block type="dashed">
                {t('patrols.addItem')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}

// ── Routes ──
function RoutesTab({ communityId }: { communityId: string }) {
  const { t } = useTranslation();
  const list = useRoutes(communityId);
  const [editing, setEditing] = useState<Route | 'new' | null>(null);
  if (list.error) return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} style={{ marginBottom: 12 }} data-testid="patrol-new-route">
        {t('patrols.newRoute')}
      </Button>
      <Table<Route>
        rowKey="id"
        size="small"
        loading={list.isPending}
        dataSource={list.data}
        pagination={false}
        columns={[
          { title: t('patrols.name'), dataIndex: 'name', render: (v: string, r) => <Space>{v}{!r.active && <Tag>{t('patrols.retired')}</Tag>}</Space> },
          { title: t('patrols.kindLabel'), dataIndex: 'kind', width: 80, render: (k: Route['kind']) => <Tag color={k === 'inspection' ? 'purple' : 'blue'}>{t(`patrols.kind.${k}`)}</Tag> },
          { title: t('patrols.order'), render: (_, r) => r.points.map((p, i) => <Tag key={p.checkpointId}>{i + 1}→ {p.name}</Tag>) },
          { title: t('patrols.minutesPerPoint'), dataIndex: 'minutesPerPoint', width: 100, render: (v: number | null) => v ?? '—' },
          { title: '', width: 80, render: (_, r) => <Button size="small" onClick={() => setEditing(r)} data-testid="patrol-edit">{t('patrols.edit')}</Button> },
        ]}
      />
      {editing && <RouteModal communityId={communityId} route={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function RouteModal({ communityId, route, onClose }: { communityId: string; route: Route | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const checkpoints = useCheckpoints(communityId);
  const [name, setName] = useState(route?.name ?? '');
  const [kind, setKind] = useState<Route['kind']>(route?.kind ?? 'patrol');
  const [minutes, setMinutes] = useState<number | null>(route?.minutesPerPoint ?? null);
  const [active, setActive] = useState(route?.active ?? true);
  const [ids, setIds] = useState<string[]>(route?.points.map((p) => p.checkpointId) ?? []);
  const create = useCreateRoute();
  const update = useUpdateRoute();
  const available = (checkpoints.data ?? []).filter((c) => c.active && c.kind === kind);
  const nameOf = (id: string) => checkpoints.data?.find((c) => c.id === id)?.name ?? id;
  const move = (i: number, d: number) => setIds((xs) => {
    const next = [...xs];
    [next[i], next[i + d]] = [next[i + d], next[i]];
    return next;
  });
  const save = async () => {
    try {
      if (route) await update.mutateAsync({ id: route.id, name, minutesPerPoint: minutes, checkpointIds: ids, active });
      else await create.mutateAsync({ communityId, name, kind, minutesPerPoint: minutes, checkpointIds: ids });
      void message.success(t('patrols.saved'));
      onClose();
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  return (
    <Modal open title={route ? route.name : t('patrols.newRoute')} onCancel={onClose} onOk={() => void save()} confirmLoading={create.isPending || update.isPending} width={560}>
      <Form layout="vertical">
        <Form.Item label={t('patrols.name')} required><Input value={name} onChange={(e) => setName(e.target.value)} data-testid="patrol-route-name" /></Form.Item>
        <Form.Item label={t('patrols.kindLabel')}>
          <Radio.Group value={kind} disabled={Boolean(route)} onChange={(e) => (setKind(e.target.value), setIds([]))} options={[{ value: 'patrol', label: t('patrols.kind.patrol') }, { value: 'inspection', label: t('patrols.kind.inspection') }]} />
        </Form.Item>
        <Form.Item label={t('patrols.minutesPerPoint')}><InputNumber min={1} max={240} value={minutes} onChange={(v) => setMinutes(v ?? null)} /></Form.Item>
        {route && <Form.Item label={t('patrols.inUse')}><Switch checked={active} onChange={setActive} /></Form.Item>}
        <Form.Item label={t('patrols.addPoints')}>
          <Select
            mode="multiple"
            value={ids}
            onChange={setIds}
            options={available.map((c) => ({ value: c.id, label: `${c.no}. ${c.name}` }))}
            data-testid="patrol-route-points"
          />
        </Form.Item>
        <Flex vertical gap={4}>
          {ids.map((id, i) => (
            <Flex key={id} align="center" gap={8}>
              <Tag>{i + 1}</Tag>
              <span style={{ flex: 1 }}>{nameOf(id)}</span>
              <Button size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('patrols.up')} />
              <Button size="small" icon={<ArrowDownOutlined />} disabled={i === ids.length - 1} onClick={() => move(i, 1)} aria-label={t('patrols.down')} />
            </Flex>
          ))}
        </Flex>
      </Form>
    </Modal>
  );
}

// ── Plans ──
function PlansTab({ communityId }: { communityId: string }) {
  const { t } = useTranslation();
  const list = usePlans(communityId);
  const update = useUpdatePlan();
  const [editing, setEditing] = useState<Plan | 'new' | null>(null);
  if (list.error) return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} style={{ marginBottom: 12 }} data-testid="patrol-new-plan">
        {t('patrols.newPlan')}
      </Button>
      <Table<Plan>
        rowKey="id"
        size="small"
        loading={list.isPending}
        dataSource={list.data}
        pagination={false}
        data-testid="patrol-plans"
        columns={[
          { title: t('patrols.name'), dataIndex: 'name' },
          { title: t('patrols.route'), dataIndex: 'routeName' },
          { title: t('patrols.shift'), render: (_, r) => [r.shiftName, r.postName].filter(Boolean).join(' · ') },
          { title: t('patrols.frequency'), render: (_, r) => frequencyText(t, r) },
          { title: t('patrols.windows'), render: (_, r) => r.windows.map((w) => <Tag key={w.round}>{w.start}–{w.nextDay ? t('patrols.nextDay') : ''}{w.end}</Tag>) },
          { title: t('patrols.supervisor'), dataIndex: 'supervisorName', render: (v: string | null) => v ?? '—' },
          { title: t('patrols.validity'), render: (_, r) => `${r.validFrom} ~ ${r.validTo ?? ''}` },
          { title: t('patrols.inUse'), width: 70, render: (_, r) => <Switch size="small" checked={r.active} loading={update.isPending} onChange={(active) => update.mutate({ id: r.id, active })} /> },
          { title: '', width: 70, render: (_, r) => <Button size="small" onClick={() => setEditing(r)} data-testid="patrol-edit">{t('patrols.edit')}</Button> },
        ]}
      />
      {editing && <PlanModal communityId={communityId} plan={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function frequencyText(t: TFunction, p: Pick<Plan, 'frequency' | 'rounds' | 'intervalMinutes' | 'fixedTimes' | 'peoplePerRound'>) {
  const base = p.frequency === 'rounds' ? t('patrols.freq.roundsN', { n: p.rounds }) : p.frequency === 'interval' ? t('patrols.freq.everyN', { n: p.intervalMinutes }) : t('patrols.freq.fixedAt', { times: p.fixedTimes.join('、') });
  return p.peoplePerRound > 1 ? `${base} · ${t('patrols.peopleN', { n: p.peoplePerRound })}` : base;
}

interface PlanForm {
  name: string;
  routeId: string;
  shiftId: string;
  postId?: string | null;
  frequency: 'rounds' | 'interval' | 'fixed';
  rounds?: number | null;
  intervalMinutes?: number | null;
  fixedTimes?: string[];
  windowMinutes?: number | null;
  peoplePerRound: number;
  validity: [Dayjs, Dayjs | null];
  supervisorId?: string | null;
}

function PlanModal({ communityId, plan, onClose }: { communityId: string; plan: Plan | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<PlanForm>();
  const options = useSetupOptions(communityId);
  const routes = useRoutes(communityId);
  const create = useCreatePlan();
  const update = useUpdatePlan();
  const [preview, setPreview] = useState<{ ok: PlanPreview } | { error: string } | null>(null);
  const values = Form.useWatch([], form);

  const toBody = (v: PlanForm): PlanInput => ({
    communityId,
    name: v.name || '—',
    routeId: v.routeId,
    shiftId: v.shiftId,
    postId: v.postId ?? null,
    frequency: v.frequency,
    rounds: v.frequency === 'rounds' ? (v.rounds ?? null) : null,
    intervalMinutes: v.frequency === 'interval' ? (v.intervalMinutes ?? null) : null,
    fixedTimes: v.frequency === 'fixed' ? (v.fixedTimes ?? []) : [],
    windowMinutes: v.windowMinutes ?? null,
    peoplePerRound: v.peoplePerRound ?? 1,
    validFrom: (v.validity?.[0] ?? dayjs()).format('YYYY-MM-DD'),
    validTo: v.validity?.[1] ? v.validity[1].format('YYYY-MM-DD') : null,
    supervisorId: v.supervisorId ?? null,
  });

  // The window preview follows the form, a moment after the last change.
  useEffect(() => {
    if (!values?.routeId || !values?.shiftId || !values?.frequency) return;
    const timer = setTimeout(() => {
      previewPlan(toBody(values))
        .then((ok) => setPreview({ ok }))
        .catch((e: unknown) => setPreview({ error: errorText(e) }));
    }, 300);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [JSON.stringify(values)]);

  const submit = async (v: PlanForm) => {
    try {
      const body = toBody(v);
      if (plan) {
        const { communityId: _c, ...patch } = body;
        await update.mutateAsync({ id: plan.id, ...patch });
      } else await create.mutateAsync(body);
      void message.success(t('patrols.saved'));
      onClose();
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const initial: Partial<PlanForm> = plan
    ? { ...plan, fixedTimes: plan.fixedTimes, validity: [dayjs(plan.validFrom), plan.validTo ? dayjs(plan.validTo) : null] }
    : { frequency: 'rounds', rounds: 3, peoplePerRound: 1, validity: [dayjs(), null], fixedTimes: [] };
  return (
    <Modal open width={640} title={plan ? plan.name : t('patrols.newPlan')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={create.isPending || update.isPending}>
      <Form<PlanForm> form={form} layout="vertical" initialValues={initial} onFinish={submit}>
        <Form.Item name="name" label={t('patrols.name')} rules={[{ required: true, max: 60 }]}><Input data-testid="patrol-plan-name" /></Form.Item>
        <Flex gap={12}>
          <Form.Item name="routeId" label={t('patrols.route')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <Select options={(routes.data ?? []).filter((r) => r.active).map((r) => ({ value: r.id, label: r.name }))} data-testid="patrol-plan-route" />
          </Form.Item>
          <Form.Item name="shiftId" label={t('patrols.shift')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <Select options={(options.data?.shifts ?? []).map((s) => ({ value: s.id, label: `${s.name} ${s.start}–${s.end}` }))} data-testid="patrol-plan-shift" />
          </Form.Item>
        </Flex>
        <Flex gap={12}>
          <Form.Item name="postId" label={t('patrols.post')} style={{ flex: 1 }} tooltip={t('patrols.postHint')}>
            <Select allowClear options={(options.data?.posts ?? []).map((p) => ({ value: p.id, label: p.name }))} />
          </Form.Item>
          <Form.Item name="supervisorId" label={t('patrols.supervisor')} style={{ flex: 1 }}>
            <Select allowClear showSearch optionFilterProp="label" options={(options.data?.supervisors ?? []).map((s) => ({ value: s.id, label: s.name }))} />
          </Form.Item>
        </Flex>
        <Form.Item name="frequency" label={t('patrols.frequency')}>
          <Radio.Group options={(['rounds', 'interval', 'fixed'] as const).map((f) => ({ value: f, label: t(`patrols.freq.${f}`) }))} />
        </Form.Item>
        <Flex gap={12} wrap>
          {values?.frequency === 'rounds' && <Form.Item name="rounds" label={t('patrols.freq.rounds')}><InputNumber min={1} max={96} /></Form.Item>}
          {values?.frequency === 'interval' && <Form.Item name="intervalMinutes" label={t('patrols.intervalMinutes')}><InputNumber min={10} max={1440} step={30} /></Form.Item>}
          {values?.frequency === 'fixed' && (
            <Form.Item name="fixedTimes" label={t('patrols.fixedTimes')} style={{ minWidth: 220 }}>
              <Select mode="tags" tokenSeparators={[',', '，', ' ']} placeholder="09:00, 14:00" />
            </Form.Item>
          )}
          <Form.Item name="windowMinutes" label={t('patrols.windowMinutes')} tooltip={t('patrols.windowHint')}><InputNumber min={5} max={1440} /></Form.Item>
          <Form.Item name="peoplePerRound" label={t('patrols.peoplePerRound')}><InputNumber min={1} max={10} /></Form.Item>
        </Flex>
        <Form.Item name="validity" label={t('patrols.validity')}>
          <DatePicker.RangePicker allowEmpty={[false, true]} />
        </Form.Item>
      </Form>
      <div data-testid="patrol-plan-preview">
        {preview && 'ok' in preview && (
          <Alert
            type="info"
            showIcon
            message={t('patrols.previewTitle', { start: preview.ok.shift.start, end: preview.ok.shift.end })}
            description={preview.ok.windows.map((w) => <Tag key={w.round} color="blue">{t('patrols.roundN', { n: w.round })} {w.start}–{w.nextDay ? t('patrols.nextDay') : ''}{w.end}</Tag>)}
          />
        )}
        {preview && 'error' in preview && <Alert type="error" showIcon message={preview.error} />}
      </div>
    </Modal>
  );
}
