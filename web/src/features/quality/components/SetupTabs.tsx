import { useState } from 'react';
import { App, Button, Card, Col, Flex, Form, Input, InputNumber, Modal, Row, Select, Switch, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { showServerErrors } from '../../../lib/form.ts';
import { useAssignees, useCreateSchedule, useCreateTemplate, useSchedules, useTemplates, useUpdateSchedule, useUpdateTemplate, type DepartmentKind, type Template } from '../api.ts';

type Weekday = 'w1' | 'w2' | 'w3' | 'w4' | 'w5' | 'w6' | 'w7';
const weekdayName = (t: (k: `quality.weekday.${Weekday}`) => string, d: number) => t(`quality.weekday.w${d}` as `quality.weekday.${Weekday}`);

const KINDS: DepartmentKind[] = ['cleaning', 'security', 'engineering', 'greening', 'service', 'quality', 'admin', 'other'];

/** 检查表: the checklist templates with their scored items. */
export function TemplatesTab({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const list = useTemplates();
  const update = useUpdateTemplate();
  const [editing, setEditing] = useState<Template | 'new' | null>(null);
  if (list.error) return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <>
      {canManage && (
        <Flex justify="flex-end" style={{ marginBottom: 12 }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('quality.templates.create')}
          </Button>
        </Flex>
      )}
      <Row gutter={[16, 16]}>
        {(list.data ?? []).map((tpl) => (
          <Col key={tpl.id} xs={24} lg={12}>
            <Card
              size="small"
              title={
                <Flex gap={8} align="center">
                  {tpl.name}
                  <Tag>v{tpl.version}</Tag>
                  {!tpl.active && <Tag>{t('quality.common.inactive')}</Tag>}
                </Flex>
              }
              extra={
                canManage && (
                  <Flex gap={8} align="center">
                    <Switch size="small" checked={tpl.active} onChange={(active) => update.mutate({ id: tpl.id, active })} />
                    <Button size="small" onClick={() => setEditing(tpl)}>
                      {t('quality.templates.edit')}
                    </Button>
                  </Flex>
                )
              }
            >
              <Typography.Text type="secondary">{tpl.description}</Typography.Text>
              <Typography.Paragraph strong style={{ margin: '6px 0' }}>
                {t('quality.templates.items', { n: tpl.items.length, max: tpl.maxScore })}
              </Typography.Paragraph>
              <ol style={{ margin: 0, paddingLeft: 20 }}>
                {tpl.items.map((i) => (
                  <li key={i.id}>
                    {i.label} <Typography.Text type="secondary">· {t(`quality.departmentKind.${i.departmentKind}`)} · {i.maxPoints}</Typography.Text>
                  </li>
                ))}
              </ol>
            </Card>
          </Col>
        ))}
      </Row>
      {editing && <TemplateModal template={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

interface TemplateForm {
  name: string;
  description?: string;
  items: Array<{ label: string; maxPoints: number; departmentKind: DepartmentKind; guidance?: string }>;
}

function TemplateModal({ template, onClose }: { template: Template | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<TemplateForm>();
  const create = useCreateTemplate();
  const update = useUpdateTemplate();
  const submit = async () => {
    const v = await form.validateFields();
    const body = { name: v.name, description: v.description || undefined, items: v.items.map((i) => ({ ...i, guidance: i.guidance || undefined })) };
    try {
      if (template) await update.mutateAsync({ id: template.id, ...body });
      else await create.mutateAsync(body);
      void message.success(t('quality.common.done'));
      onClose();
    } catch (err) {
      const rest = showServerErrors(form, err);
      if (rest) void message.error(rest);
    }
  };
  return (
    <Modal open width={760} title={template ? template.name : t('quality.templates.create')} onCancel={onClose} onOk={() => void submit().catch(() => undefined)} confirmLoading={create.isPending || update.isPending}>
      <Form
        form={form}
        layout="vertical"
        initialValues={template ? { name: template.name, description: template.description ?? undefined, items: template.items.map((i) => ({ ...i, guidance: i.guidance ?? undefined })) } : { items: [{ label: '', maxPoints: 10, departmentKind: 'cleaning' }] }}
      >
        <Form.Item name="name" label={t('quality.templates.name')} rules={[{ required: true, max: 60 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="description" label={t('quality.templates.description')} rules={[{ max: 300 }]}>
          <Input />
        </Form.Item>
        {template && <Typography.Text type="warning">{t('quality.templates.versionNote')}</Typography.Text>}
        <Form.List name="items">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Flex key={f.key} gap={8} align="flex-start">
                  <Form.Item name={[f.name, 'label']} rules={[{ required: true, max: 100 }]} style={{ flex: 3 }}>
                    <Input placeholder={t('quality.templates.label')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'maxPoints']} rules={[{ required: true }]} style={{ width: 90 }}>
                    <InputNumber min={1} max={100} placeholder={t('quality.templates.maxPoints')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'departmentKind']} style={{ width: 110 }}>
                    <Select options={KINDS.map((k) => ({ value: k, label: t(`quality.departmentKind.${k}`) }))} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'guidance']} rules={[{ max: 300 }]} style={{ flex: 2 }}>
                    <Input placeholder={t('quality.templates.guidance')} />
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} disabled={fields.length <= 1} />
                </Flex>
              ))}
              <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ label: '', maxPoints: 10, departmentKind: 'cleaning' })}>
                {t('quality.templates.addItem')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

/** 检查计划: weekly on a weekday or monthly on a day, with the inspector; the daily job plans the inspections. */
export function SchedulesTab({ communityId, canManage }: { communityId: string; canManage: boolean }) {
  const { t } = useTranslation();
  const list = useSchedules(communityId);
  const update = useUpdateSchedule();
  const [creating, setCreating] = useState(false);
  return (
    <>
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{t('quality.schedules.hint')}</Typography.Text>
        {canManage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('quality.schedules.create')}
          </Button>
        )}
      </Flex>
      {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Table
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data}
        pagination={false}
        columns={[
          { title: t('quality.schedules.name'), dataIndex: 'name' },
          { title: t('quality.schedules.template'), render: (_, r) => r.template.name },
          { title: t('quality.schedules.frequency'), render: (_, r) => (r.frequency === 'weekly' ? `${t('quality.schedules.weekly')} ${weekdayName(t, r.weekday ?? 1)}` : t('quality.schedules.onDay', { d: r.monthDay })) },
          { title: t('quality.schedules.inspector'), render: (_, r) => r.inspector.name },
          { title: t('quality.schedules.active'), render: (_, r) => <Switch size="small" disabled={!canManage} checked={r.active} onChange={(active) => update.mutate({ id: r.id, active })} /> },
        ]}
      />
      {creating && <ScheduleModal communityId={communityId} onClose={() => setCreating(false)} />}
    </>
  );
}

function ScheduleModal({ communityId, onClose }: { communityId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string; templateId: string; frequency: 'weekly' | 'monthly'; weekday?: number; monthDay?: number; inspectorId: string }>();
  const templates = useTemplates();
  const people = useAssignees(communityId);
  const create = useCreateSchedule();
  const frequency = Form.useWatch('frequency', form) ?? 'weekly';
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await create.mutateAsync({ communityId, ...v, weekday: v.frequency === 'weekly' ? v.weekday : undefined, monthDay: v.frequency === 'monthly' ? v.monthDay : undefined });
      void message.success(t('quality.common.done'));
      onClose();
    } catch (err) {
      const rest = showServerErrors(form, err);
      if (rest) void message.error(rest);
    }
  };
  return (
    <Modal open title={t('quality.schedules.create')} onCancel={onClose} onOk={() => void submit().catch(() => undefined)} confirmLoading={create.isPending}>
      <Form form={form} layout="vertical" initialValues={{ frequency: 'weekly', weekday: 3, monthDay: 28 }}>
        <Form.Item name="name" label={t('quality.schedules.name')} rules={[{ required: true, max: 60 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="templateId" label={t('quality.schedules.template')} rules={[{ required: true }]}>
          <Select options={(templates.data ?? []).filter((x) => x.active).map((x) => ({ value: x.id, label: x.name }))} />
        </Form.Item>
        <Form.Item name="frequency" label={t('quality.schedules.frequency')}>
          <Select options={[{ value: 'weekly', label: t('quality.schedules.weekly') }, { value: 'monthly', label: t('quality.schedules.monthly') }]} />
        </Form.Item>
        {frequency === 'weekly' ? (
          <Form.Item name="weekday" label={t('quality.schedules.weekday')} rules={[{ required: true }]}>
            <Select options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: weekdayName(t, d) }))} />
          </Form.Item>
        ) : (
          <Form.Item name="monthDay" label={t('quality.schedules.monthDay')} rules={[{ required: true }]}>
            <InputNumber min={1} max={31} />
          </Form.Item>
        )}
        <Form.Item name="inspectorId" label={t('quality.schedules.inspector')} rules={[{ required: true }]}>
          <Select showSearch optionFilterProp="label" options={(people.data?.inspectors ?? []).map((p) => ({ value: p.id, label: p.name }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
