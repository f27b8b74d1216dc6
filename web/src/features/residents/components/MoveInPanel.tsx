import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Collapse, DatePicker, Descriptions, Empty, Flex, Form, Input, InputNumber, Row, Segmented, Space, Steps, Switch, Table, Tag, Typography } from 'antd';
import { AuditOutlined, CheckCircleOutlined, DeleteOutlined, KeyOutlined, PlusOutlined, SolutionOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { createMoveInBody, handoverBody, inspectionBody } from '../../../../../src/modules/residents/schema.ts';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDate, formatDateTime } from '../../../lib/format.ts';
import { showServerErrors, toDate, zodDateField, zodField } from '../../../lib/form.ts';
import { useAbilities } from '../../auth/api.ts';
import type { RoomDetail } from '../../estate/api.ts';
import { useHandOver, useMoveIns, useRecordInspection, useRegisterMoveIn, type CreateResidentInput, type MoveIn } from '../api.ts';
import { ResidentFields, RESIDENT_ALIASES } from './ResidentFields.tsx';
import { ResidentPicker } from './ResidentPicker.tsx';

type Item = MoveIn['items'][number];
interface CheckRow {
  area: string;
  item: string;
  ok: boolean;
  defect?: string;
}

const itemShape = inspectionBody.shape.items.element.shape;

function stepOf(m: MoveIn | undefined): number {
  if (!m) return 0;
  return m.status === 'registered' ? 1 : m.status === 'inspected' ? 2 : 3;
}

/** The progress of one move-in: 登记 → 验房 → 交房. */
function MoveInSteps({ moveIn, current }: { moveIn?: MoveIn; current: number }) {
  const { t } = useTranslation();
  return (
    <Steps
      current={current}
      status={current >= 3 ? 'finish' : 'process'}
      data-testid="movein-steps"
      style={{ marginBottom: 24 }}
      items={[
        { title: t('moveIn.stepRegister'), icon: <SolutionOutlined />, content: moveIn ? t('moveIn.noticeNoShort', { no: moveIn.noticeNo }) : t('moveIn.stepRegisterHint') },
        {
          title: t('moveIn.stepInspect'),
          icon: <AuditOutlined />,
          content: moveIn?.inspectedAt ? t('moveIn.defectsCount', { count: moveIn.defects }) : t('moveIn.stepInspectHint'),
        },
        { title: t('moveIn.stepHandover'), icon: <KeyOutlined />, content: moveIn?.handedOverAt ? t('moveIn.keysCount', { count: moveIn.keysCount ?? 0 }) : t('moveIn.stepHandoverHint') },
        { title: t('moveIn.stepDone'), icon: <CheckCircleOutlined /> },
      ]}
    />
  );
}

interface RegisterValues {
  noticeNo: string;
  contractNo: string;
  moveInDate: Dayjs;
  warrantyEnd?: Dayjs;
  sharePercent?: number;
  residentId?: string;
  resident?: Omit<CreateResidentInput, 'communityId'>;
}

const regShape = createMoveInBody.shape;

/** Step 1: the notice (入住通知单) and contract (购房合同) numbers and the owner, existing or new. */
function RegisterForm({ room, onCancel }: { room: RoomDetail; onCancel: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<RegisterValues>();
  const [mode, setMode] = useState<'new' | 'existing'>('new');
  const [formError, setFormError] = useState<string | null>(null);
  const register = useRegisterMoveIn();

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    // mutateAsync: the form is gone once the move-in exists, and a gone observer would skip mutate's callbacks.
    register
      .mutateAsync({
        roomId: room.id,
        ...(mode === 'existing' ? { residentId: v.residentId } : { resident: { ...v.resident!, phone: v.resident?.phone || null, idNumber: v.resident?.idNumber || null } }),
        noticeNo: v.noticeNo,
        contractNo: v.contractNo,
        moveInDate: toDate(v.moveInDate)!,
        warrantyEnd: toDate(v.warrantyEnd) ?? null,
        sharePercent: v.sharePercent ?? null,
      })
      .then(
        () => void message.success(t('moveIn.registered')),
        (err: unknown) => setFormError(showServerErrors(form, err, mode === 'new' ? RESIDENT_ALIASES : {})),
      );
  };

  return (
    <>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" initialValues={{ moveInDate: dayjs(), warrantyEnd: dayjs().add(2, 'year'), resident: { idType: 'idCard', careFlags: [] } }}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="noticeNo" label={t('moveIn.noticeNo')} {...zodField(regShape.noticeNo)}>
              <Input maxLength={40} data-testid="movein-notice" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="contractNo" label={t('moveIn.contractNo')} {...zodField(regShape.contractNo)}>
              <Input maxLength={40} data-testid="movein-contract" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="moveInDate" label={t('moveIn.moveInDate')} {...zodDateField(regShape.moveInDate)}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="warrantyEnd" label={t('household.warrantyEnd')} {...zodDateField(regShape.warrantyEnd)}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="sharePercent" label={t('household.share')} extra={t('household.shareHint')} {...zodField(regShape.sharePercent)}>
              <InputNumber min={0.01} max={100} precision={2} suffix="%" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t('moveIn.owner')}
        </Typography.Title>
        <Segmented
          value={mode}
          onChange={(m) => setMode(m as 'new' | 'existing')}
          options={[
            { value: 'new', label: <span data-testid="movein-owner-new">{t('household.newPerson')}</span> },
            { value: 'existing', label: <span data-testid="movein-owner-existing">{t('household.existingPerson')}</span> },
          ]}
          style={{ marginBottom: 16 }}
        />
        {mode === 'existing' ? (
          <Form.Item name="residentId" label={t('household.person')} rules={[{ required: true, message: t('validation.required') }]} required>
            <ResidentPicker communityId={room.communityId} testId="movein-owner-picker" />
          </Form.Item>
        ) : (
          <ResidentFields prefix={['resident']} testIdPrefix="movein-owner" />
        )}
        <Space>
          <Button type="primary" onClick={() => void submit()} loading={register.isPending} data-testid="movein-register-submit">
            {t('moveIn.register')}
          </Button>
          <Button onClick={onCancel}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </>
  );
}

/** Step 2: the joint inspection (联合验房) checklist; every item is fine or has a defect described. */
function InspectionForm({ moveIn, onCancel }: { moveIn: MoveIn; onCancel?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ items: CheckRow[] }>();
  const [formError, setFormError] = useState<string | null>(null);
  const record = useRecordInspection();
  const defaults: CheckRow[] = moveIn.items.length
    ? moveIn.items.map((i) => ({ area: i.area, item: i.item, ok: i.ok, defect: i.defect ?? undefined }))
    : t('moveIn.checklist')
        .split('\n')
        .map((line) => {
          const [area, item] = line.split('|');
          return { area, item, ok: true };
        });

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    const items = v.items.map((i) => ({ area: i.area, item: i.item, ok: i.ok, defect: i.ok ? null : (i.defect ?? null) }));
    record.mutateAsync({ id: moveIn.id, input: { items } }).then(
      () => void message.success(t('moveIn.inspected')),
      (err: unknown) => setFormError(showServerErrors(form, err)),
    );
  };

  return (
    <>
      <Typography.Paragraph type="secondary">{t('moveIn.inspectHint')}</Typography.Paragraph>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} initialValues={{ items: defaults }} data-testid="inspection-form">
        <Form.List name="items">
          {(fields, { add, remove }) => (
            <>
              <Row gutter={8} style={{ marginBottom: 6, color: '#8c8c8c', fontSize: 12 }}>
                <Col span={4}>{t('moveIn.area')}</Col>
                <Col span={7}>{t('moveIn.item')}</Col>
                <Col span={4}>{t('moveIn.result')}</Col>
                <Col span={8}>{t('moveIn.defect')}</Col>
              </Row>
              {fields.map((f) => (
                <InspectionRow key={f.key} name={f.name} onRemove={fields.length > 1 ? () => remove(f.name) : undefined} />
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ area: '', item: '', ok: true })} block style={{ marginBottom: 16 }}>
                {t('moveIn.addItem')}
              </Button>
            </>
          )}
        </Form.List>
        <Space>
          <Button type="primary" onClick={() => void submit()} loading={record.isPending} data-testid="movein-inspect-submit">
            {t('moveIn.saveInspection')}
          </Button>
          {onCancel && <Button onClick={onCancel}>{t('common.cancel')}</Button>}
        </Space>
      </Form>
    </>
  );
}

function InspectionRow({ name, onRemove }: { name: number; onRemove?: () => void }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const ok = Form.useWatch(['items', name, 'ok'], form) as boolean | undefined;
  return (
    <Row gutter={8} align="top" data-testid="inspection-row">
      <Col span={4}>
        <Form.Item name={[name, 'area']} {...zodField(itemShape.area)}>
          <Input maxLength={40} aria-label={t('moveIn.area')} />
        </Form.Item>
      </Col>
      <Col span={7}>
        <Form.Item name={[name, 'item']} {...zodField(itemShape.item)}>
          <Input maxLength={100} aria-label={t('moveIn.item')} />
        </Form.Item>
      </Col>
      <Col span={4}>
        <Form.Item name={[name, 'ok']} valuePropName="checked">
          <Switch checkedChildren={t('moveIn.ok')} unCheckedChildren={t('moveIn.notOk')} data-testid="inspection-ok" style={ok === false ? { background: '#d4380d' } : undefined} />
        </Form.Item>
      </Col>
      <Col span={8}>
        <Form.Item name={[name, 'defect']} dependencies={[['items', name, 'ok']]} rules={ok === false ? [{ required: true, whitespace: true, message: t('moveIn.defectRequired') }] : []}>
          <Input maxLength={300} disabled={ok !== false} placeholder={ok === false ? t('moveIn.defectPlaceholder') : ''} aria-label={t('moveIn.defect')} data-testid="inspection-defect" />
        </Form.Item>
      </Col>
      <Col span={1}>{onRemove && <Button type="text" icon={<DeleteOutlined />} onClick={onRemove} aria-label={t('common.delete')} />}</Col>
    </Row>
  );
}

/** Step 3: keys handed over; the room becomes 已交房, or 已入住 when the owner moves in straight away. */
function HandoverForm({ moveIn, onReinspect }: { moveIn: MoveIn; onReinspect: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ keysCount: number; note?: string; occupyNow: boolean }>();
  const [formError, setFormError] = useState<string | null>(null);
  const handOver = useHandOver();
  const shape = handoverBody.shape;

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    handOver.mutateAsync({ id: moveIn.id, input: { keysCount: v.keysCount, occupyNow: v.occupyNow, ...(v.note?.trim() ? { note: v.note.trim() } : {}) } }).then(
      () => void message.success(t('moveIn.handedOver')),
      (err: unknown) => setFormError(showServerErrors(form, err)),
    );
  };

  return (
    <>
      <InspectionSummary moveIn={moveIn} />
      {formError && <Alert type="error" showIcon title={formError} style={{ margin: '16px 0' }} />}
      <Form form={form} layout="vertical" initialValues={{ keysCount: 3, occupyNow: false }} style={{ marginTop: 16 }}>
        <Row gutter={16}>
          <Col xs={24} md={6}>
            <Form.Item name="keysCount" label={t('moveIn.keys')} {...zodField(shape.keysCount)}>
              <InputNumber min={0} max={50} precision={0} style={{ width: '100%' }} data-testid="movein-keys" />
            </Form.Item>
          </Col>
          <Col xs={24} md={18}>
            <Form.Item name="note" label={t('moveIn.handoverNote')} {...zodField(shape.note)}>
              <Input maxLength={300} placeholder={t('moveIn.handoverNotePlaceholder')} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="occupyNow" valuePropName="checked" label={t('moveIn.occupyNow')} extra={t('moveIn.occupyNowHint')}>
          <Switch data-testid="movein-occupy" />
        </Form.Item>
        <Space>
          <Button type="primary" icon={<KeyOutlined />} onClick={() => void submit()} loading={handOver.isPending} data-testid="movein-handover-submit">
            {t('moveIn.handOver')}
          </Button>
          <Button onClick={onReinspect}>{t('moveIn.reinspect')}</Button>
        </Space>
      </Form>
    </>
  );
}

/** The checklist as recorded: defects first, in red. */
function InspectionSummary({ moveIn }: { moveIn: MoveIn }) {
  const { t } = useTranslation();
  const items = [...moveIn.items].sort((a, b) => Number(a.ok) - Number(b.ok));
  return (
    <Table<Item>
      rowKey="id"
      size="small"
      dataSource={items}
      pagination={false}
      data-testid="inspection-summary"
      title={() => (
        <Space>
          <Typography.Text strong>{t('moveIn.inspectionResult')}</Typography.Text>
          {moveIn.defects > 0 ? <Tag color="red">{t('moveIn.defectsCount', { count: moveIn.defects })}</Tag> : <Tag color="green">{t('moveIn.allOk')}</Tag>}
          {moveIn.inspectedAt && <Typography.Text type="secondary">{formatDateTime(moveIn.inspectedAt)}</Typography.Text>}
        </Space>
      )}
      columns={[
        { title: t('moveIn.area'), dataIndex: 'area', width: 110 },
        { title: t('moveIn.item'), dataIndex: 'item' },
        { title: t('moveIn.result'), dataIndex: 'ok', width: 90, render: (ok: boolean) => (ok ? <Tag color="green">{t('moveIn.ok')}</Tag> : <Tag color="red">{t('moveIn.notOk')}</Tag>) },
        { title: t('moveIn.defect'), dataIndex: 'defect', render: (v: string | null) => v ?? '—' },
      ]}
    />
  );
}

function MoveInFacts({ moveIn }: { moveIn: MoveIn }) {
  const { t } = useTranslation();
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, md: 3 }}
      style={{ marginBottom: 16 }}
      items={[
        { key: 'owner', label: t('moveIn.owner'), children: <span data-testid="movein-owner">{moveIn.residentName}</span> },
        { key: 'notice', label: t('moveIn.noticeNo'), children: moveIn.noticeNo },
        { key: 'contract', label: t('moveIn.contractNo'), children: moveIn.contractNo },
        { key: 'created', label: t('moveIn.registeredAt'), children: formatDateTime(moveIn.createdAt) },
        { key: 'handover', label: t('moveIn.handedOverAt'), children: formatDateTime(moveIn.handedOverAt) },
        { key: 'keys', label: t('moveIn.keys'), children: moveIn.keysCount ?? '—' },
        ...(moveIn.handoverNote ? [{ key: 'note', label: t('moveIn.handoverNote'), children: moveIn.handoverNote }] : []),
      ]}
    />
  );
}

/**
 * 入住办理 on the room page: start a move-in, carry it through inspection and handover, and the earlier ones.
 * `startSignal` changing (the page header's 办理入住 button) opens the registration form.
 */
export function MoveInPanel({ room, startSignal }: { room: RoomDetail; startSignal: number }) {
  const { t } = useTranslation();
  const can = useAbilities();
  const manage = can('resident.manage');
  const list = useMoveIns(room.id);
  const [registering, setRegistering] = useState(false);
  const [reinspecting, setReinspecting] = useState(false);
  const items = list.data?.items ?? [];
  const open = items.find((m) => m.status === 'registered' || m.status === 'inspected');
  const done = items.filter((m) => m !== open);

  useEffect(() => {
    if (startSignal > 0) setRegistering(true);
  }, [startSignal]);
  useEffect(() => {
    if (open) setRegistering(false);
  }, [open]);
  useEffect(() => {
    setReinspecting(false);
  }, [open?.status, open?.inspectedAt]);

  if (list.error) return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  if (list.isPending) return <Card loading variant="borderless" />;

  let active = null;
  if (open) {
    const inspecting = open.status === 'registered' || reinspecting;
    active = (
      <Card size="small" title={t('moveIn.inProgress', { no: open.noticeNo })} data-testid="movein-active">
        <MoveInSteps moveIn={open} current={inspecting ? 1 : 2} />
        <MoveInFacts moveIn={open} />
        {!manage ? (
          <InspectionSummary moveIn={open} />
        ) : inspecting ? (
          <InspectionForm moveIn={open} onCancel={reinspecting ? () => setReinspecting(false) : undefined} />
        ) : (
          <HandoverForm moveIn={open} onReinspect={() => setReinspecting(true)} />
        )}
      </Card>
    );
  } else if (registering && manage) {
    active = (
      <Card size="small" title={t('moveIn.newTitle')} data-testid="movein-active">
        <MoveInSteps current={0} />
        <RegisterForm room={room} onCancel={() => setRegistering(false)} />
      </Card>
    );
  }

  return (
    <Flex vertical gap={16}>
      {active ?? (
        <Flex justify="space-between" align="center" wrap gap={8}>
          <Typography.Text type="secondary">{t('moveIn.intro')}</Typography.Text>
          {manage && (
            <Button type="primary" onClick={() => setRegistering(true)} data-testid="movein-start">
              {t('moveIn.start')}
            </Button>
          )}
        </Flex>
      )}
      {done.length > 0 ? (
        <Collapse
          data-testid="movein-history"
          defaultActiveKey={done[0] && done[0].handedOverAt && dayjs().diff(dayjs(done[0].handedOverAt), 'day') < 1 ? [done[0].id] : []}
          items={done.map((m) => ({
            key: m.id,
            label: (
              <Space wrap>
                <Typography.Text strong>{t('moveIn.noticeNoShort', { no: m.noticeNo })}</Typography.Text>
                <Typography.Text>{m.residentName}</Typography.Text>
                <Tag color={m.status === 'handedOver' ? 'green' : 'default'}>{t(`moveIn.statuses.${m.status}`)}</Tag>
                <Typography.Text type="secondary">{formatDate(m.handedOverAt ?? m.createdAt)}</Typography.Text>
              </Space>
            ),
            children: (
              <>
                <MoveInSteps moveIn={m} current={stepOf(m)} />
                <MoveInFacts moveIn={m} />
                {m.items.length > 0 && <InspectionSummary moveIn={m} />}
              </>
            ),
          }))}
        />
      ) : (
        !active && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('moveIn.none')} />
      )}
    </Flex>
  );
}
