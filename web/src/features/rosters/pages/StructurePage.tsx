import { useState } from 'react';
import { Alert, App, Button, Checkbox, Empty, Flex, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Switch, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { type TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { CERTIFICATE_KINDS, DEPARTMENT_KINDS } from '../../../../../src/modules/rosters/schema.ts';
import { CommunitySelect, usePageCommunity } from '../../../components/CommunitySelect.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { showServerErrors } from '../../../lib/form.ts';
import { useAbilities } from '../../auth/api.ts';
import { type Department, type Post, type Shift, useDeleteDepartment, useDepartments, usePosts, useRosterStaff, useSaveDepartment, useSavePost, useSaveShift, useShifts } from '../api.ts';
import { useCertName } from '../components/labels.ts';

type Tab = 'departments' | 'posts' | 'shifts';

/** 部门与岗位: the company's departments, a community's posts (members, required certificates) and shifts. */
export default function StructurePage() {
  const { t } = useTranslation();
  const can = useAbilities();
  const manage = can('roster.manage');
  const { communityId, setCommunityId, fromHeader } = usePageCommunity();
  const [tab, setTab] = useState<Tab>('posts');
  return (
    <>
      <PageHeader
        title={t('rosters.structure.title')}
        subtitle={t('rosters.structure.subtitle')}
        extra={!fromHeader && tab !== 'departments' && <CommunitySelect value={communityId} onChange={(id) => id && setCommunityId(id)} testId="structure-community" />}
      />
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as Tab)}
        items={[
          { key: 'posts', label: t('rosters.structure.tabs.posts'), children: communityId ? <PostsTab communityId={communityId} manage={manage} /> : <Empty description={t('rosters.common.chooseCommunity')} /> },
          { key: 'shifts', label: t('rosters.structure.tabs.shifts'), children: communityId ? <ShiftsTab communityId={communityId} manage={manage} /> : <Empty description={t('rosters.common.chooseCommunity')} /> },
          { key: 'departments', label: t('rosters.structure.tabs.departments'), children: <DepartmentsTab communityId={communityId} manage={manage} /> },
        ]}
      />
    </>
  );
}

// ── Departments ──
function DepartmentsTab({ communityId, manage }: { communityId?: string; manage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const list = useDepartments();
  const del = useDeleteDepartment();
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  return (
    <div data-testid="departments">
      {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      {manage && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} style={{ marginBottom: 12 }} data-testid="department-new">
          {t('rosters.structure.department.new')}
        </Button>
      )}
      <Table<Department>
        size="small"
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('rosters.structure.department.name'), dataIndex: 'name' },
          { title: t('rosters.structure.department.kind'), dataIndex: 'kind', render: (k: Department['kind']) => <Tag>{t(`rosters.departmentKinds.${k}`)}</Tag> },
          { title: t('rosters.structure.department.head'), dataIndex: 'head', render: (h: Department['head']) => h?.name ?? '—' },
          { title: t('rosters.structure.department.posts'), dataIndex: 'posts', align: 'right' },
          ...(manage
            ? [
                {
                  title: t('rosters.common.actions'),
                  key: 'actions',
                  render: (_: unknown, d: Department) => (
                    <Space>
                      <Button size="small" onClick={() => setEditing(d)}>
                        {t('rosters.common.edit')}
                      </Button>
                      <Tooltip title={d.posts > 0 ? t('rosters.structure.department.hasPosts') : undefined}>
                        <Popconfirm title={t('rosters.structure.department.deleteConfirm', { name: d.name })} disabled={d.posts > 0} onConfirm={() => del.mutateAsync(d.id).then(() => message.success(t('rosters.common.deleted')), (e: Error) => message.error(e.message))}>
                          <Button size="small" danger disabled={d.posts > 0}>
                            {t('rosters.common.delete')}
                          </Button>
                        </Popconfirm>
                      </Tooltip>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && <DepartmentModal department={editing === 'new' ? null : editing} communityId={communityId} onClose={() => setEditing(null)} />}
    </div>
  );
}

function DepartmentModal({ department, communityId, onClose }: { department: Department | null; communityId?: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const save = useSaveDepartment();
  const staff = useRosterStaff(communityId);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await save.mutateAsync({ id: department?.id, body: { name: v.name, kind: v.kind, headId: v.headId ?? null } });
      onClose();
    } catch (e) {
      setError(showServerErrors(form, e));
    }
  };
  const headOptions = [...(department?.head ? [{ value: department.head.id, label: department.head.name }] : []), ...(staff.data?.items ?? []).filter((p) => p.id !== department?.head?.id).map((p) => ({ value: p.id, label: p.name }))];
  return (
    <Modal open title={department ? t('rosters.structure.department.editTitle') : t('rosters.structure.department.new')} onOk={submit} onCancel={onClose} confirmLoading={save.isPending} okText={t('rosters.common.save')} destroyOnHidden>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ name: department?.name, kind: department?.kind ?? 'security', headId: department?.head?.id }}>
        <Form.Item name="name" label={t('rosters.structure.department.name')} rules={[{ required: true, max: 60 }]}>
          <Input data-testid="department-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('rosters.structure.department.kind')}>
          <Select options={DEPARTMENT_KINDS.map((k) => ({ value: k, label: t(`rosters.departmentKinds.${k}`) }))} />
        </Form.Item>
        <Form.Item name="headId" label={t('rosters.structure.department.head')}>
          <Select allowClear showSearch optionFilterProp="label" options={headOptions} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

// ── Posts ──
function PostsTab({ communityId, manage }: { communityId: string; manage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const certName = useCertName();
  const [inactive, setInactive] = useState(false);
  const list = usePosts(communityId, inactive);
  const save = useSavePost();
  const [editing, setEditing] = useState<Post | 'new' | null>(null);
  return (
    <div data-testid="posts">
      {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Flex gap={12} align="center" style={{ marginBottom: 12 }}>
        {manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="post-new">
            {t('rosters.structure.post.new')}
          </Button>
        )}
        <Checkbox checked={inactive} onChange={(e) => setInactive(e.target.checked)}>
          {t('rosters.common.showInactive')}
        </Checkbox>
      </Flex>
      <Table<Post>
        size="small"
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('rosters.structure.post.name'), dataIndex: 'name', render: (n: string, p) => <span style={{ opacity: p.active ? 1 : 0.5 }}>{n}</span> },
          { title: t('rosters.structure.post.department'), dataIndex: ['department', 'name'] },
          {
            title: t('rosters.structure.post.roundTheClock'),
            dataIndex: 'roundTheClock',
            render: (v: boolean, p) => (v ? <Tag color="volcano">24h{p.minStaff > 1 ? ` · ≥${p.minStaff}` : ''}</Tag> : p.minStaff > 1 ? <Tag>≥{p.minStaff}</Tag> : '—'),
          },
          { title: t('rosters.structure.post.certificates'), dataIndex: 'requiredCertificates', render: (c: string[]) => (c.length ? c.map((k) => <Tag key={k} color="blue">{certName(k)}</Tag>) : '—') },
          { title: t('rosters.structure.post.members'), dataIndex: 'members', render: (m: Post['members']) => (m.length ? m.map((x) => x.name).join('、') : '—') },
          ...(manage ? [editAndToggleColumn<Post>(t, setEditing, (row) => save.mutateAsync({ id: row.id, body: { active: !row.active } }).catch((e: Error) => message.error(e.message)))] : []),
        ]}
      />
      {editing && <PostModal communityId={communityId} post={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

function PostModal({ communityId, post, onClose }: { communityId: string; post: Post | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm();
  const save = useSavePost();
  const departments = useDepartments();
  const staff = useRosterStaff(communityId);
  const [error, setError] = useState<string | null>(null);
  const en = i18n.language === 'en';
  const submit = async () => {
    const v = await form.validateFields();
    const body = { departmentId: v.departmentId, name: v.name, roundTheClock: v.roundTheClock, minStaff: v.minStaff, requiredCertificates: v.requiredCertificates ?? [], memberIds: v.memberIds ?? [] };
    try {
      await save.mutateAsync({ id: post?.id, body: post ? body : { communityId, ...body } });
      onClose();
    } catch (e) {
      setError(showServerErrors(form, e));
    }
  };
  return (
    <Modal open width={600} title={post ? t('rosters.structure.post.editTitle') : t('rosters.structure.post.new')} onOk={submit} onCancel={onClose} confirmLoading={save.isPending} okText={t('rosters.common.save')} destroyOnHidden>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ name: post?.name, departmentId: post?.department.id, roundTheClock: post?.roundTheClock ?? false, minStaff: post?.minStaff ?? 1, requiredCertificates: post?.requiredCertificates ?? [], memberIds: post?.members.map((m) => m.id) ?? [] }}
      >
        <Flex gap={12}>
          <Form.Item name="name" label={t('rosters.structure.post.name')} rules={[{ required: true, max: 60 }]} style={{ flex: 1 }}>
            <Input data-testid="post-name" />
          </Form.Item>
          <Form.Item name="departmentId" label={t('rosters.structure.post.department')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <Select options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))} data-testid="post-department" />
          </Form.Item>
        </Flex>
        <Flex gap={12}>
          <Form.Item name="roundTheClock" label={t('rosters.structure.post.roundTheClock')} valuePropName="checked" tooltip={t('rosters.structure.post.roundTheClockHint')} style={{ flex: 1 }}>
            <Switch />
          </Form.Item>
          <Form.Item name="minStaff" label={t('rosters.structure.post.minStaff')} style={{ flex: 1 }}>
            <InputNumber min={1} max={50} precision={0} />
          </Form.Item>
        </Flex>
        <Form.Item name="requiredCertificates" label={t('rosters.structure.post.certificates')}>
          <Select mode="multiple" options={CERTIFICATE_KINDS.map((k) => ({ value: k.code, label: en ? k.en : k.zh }))} />
        </Form.Item>
        <Form.Item name="memberIds" label={t('rosters.structure.post.members')}>
          <Select mode="multiple" showSearch optionFilterProp="label" options={(staff.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name}${p.roles.length ? `（${p.roles.join('、')}）` : ''}` }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

// ── Shifts ──
const hoursOf = (minutes: number) => `${(minutes / 60).toFixed(minutes % 60 ? 1 : 0)} h`;

function ShiftsTab({ communityId, manage }: { communityId: string; manage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [inactive, setInactive] = useState(false);
  const list = useShifts(communityId, inactive);
  const save = useSaveShift();
  const [editing, setEditing] = useState<Shift | 'new' | null>(null);
  return (
    <div data-testid="shifts">
      {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Flex gap={12} align="center" style={{ marginBottom: 12 }}>
        {manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="shift-new">
            {t('rosters.structure.shift.new')}
          </Button>
        )}
        <Checkbox checked={inactive} onChange={(e) => setInactive(e.target.checked)}>
          {t('rosters.common.showInactive')}
        </Checkbox>
      </Flex>
      <Table<Shift>
        size="small"
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('rosters.structure.shift.name'), dataIndex: 'name', render: (n: string, s) => <Tag color={s.color ?? undefined}>{n}</Tag> },
          { title: t('rosters.structure.shift.code'), dataIndex: 'code', render: (c: string) => <Typography.Text code>{c}</Typography.Text> },
          {
            title: t('rosters.structure.shift.time'),
            key: 'time',
            render: (_: unknown, s) => (
              <Space>
                {s.startTime}–{s.endTime === '00:00' ? '24:00' : s.endTime}
                {s.crossesMidnight && <Tag>{t('rosters.structure.shift.crosses')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('rosters.structure.shift.hours'),
            dataIndex: 'minutes',
            render: (m: number, s) => (
              <Space>
                {hoursOf(m)}
                {s.tooLongFor24h && (
                  <Tooltip title={t('rosters.structure.shift.tooLong')}>
                    <WarningOutlined style={{ color: '#fa8c16' }} />
                  </Tooltip>
                )}
              </Space>
            ),
          },
          { title: t('rosters.common.active'), dataIndex: 'active', render: (a: boolean) => (a ? <Tag color="green">{t('rosters.common.active')}</Tag> : <Tag>{t('rosters.common.inactive')}</Tag>) },
          ...(manage ? [editAndToggleColumn<Shift>(t, setEditing, (row) => save.mutateAsync({ id: row.id, body: { active: !row.active } }).catch((e: Error) => message.error(e.message)))] : []),
        ]}
      />
      {editing && <ShiftModal communityId={communityId} shift={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

function ShiftModal({ communityId, shift, onClose }: { communityId: string; shift: Shift | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const save = useSaveShift();
  const [error, setError] = useState<string | null>(null);
  const time = [{ required: true }, { pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: 'HH:MM' }];
  const submit = async () => {
    const v = await form.validateFields();
    try {
      const common = { name: v.name, startTime: v.startTime, endTime: v.endTime, color: v.color || null };
      await save.mutateAsync({ id: shift?.id, body: shift ? common : { ...common, communityId, code: v.code } });
      onClose();
    } catch (e) {
      setError(showServerErrors(form, e));
    }
  };
  return (
    <Modal open title={shift ? t('rosters.structure.shift.editTitle') : t('rosters.structure.shift.new')} onOk={submit} onCancel={onClose} confirmLoading={save.isPending} okText={t('rosters.common.save')} destroyOnHidden>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ name: shift?.name, code: shift?.code, startTime: shift?.startTime ?? '08:00', endTime: shift?.endTime ?? '16:00', color: shift?.color ?? '' }}>
        <Flex gap={12}>
          <Form.Item name="name" label={t('rosters.structure.shift.name')} rules={[{ required: true, max: 20 }]} style={{ flex: 1 }}>
            <Input />
          </Form.Item>
          <Form.Item name="code" label={t('rosters.structure.shift.code')} tooltip={t('rosters.structure.shift.codeHint')} rules={[{ required: true, pattern: /^[A-Za-z0-9_-]{1,20}$/ }]} style={{ flex: 1 }}>
            <Input disabled={Boolean(shift)} />
          </Form.Item>
        </Flex>
        <Flex gap={12}>
          <Form.Item name="startTime" label={t('rosters.structure.shift.start')} rules={time} style={{ flex: 1 }}>
            <Input placeholder="08:00" />
          </Form.Item>
          <Form.Item name="endTime" label={t('rosters.structure.shift.end')} rules={time} tooltip={t('rosters.structure.shift.endHint')} style={{ flex: 1 }}>
            <Input placeholder="16:00" />
          </Form.Item>
          <Form.Item name="color" label={t('rosters.structure.shift.color')} rules={[{ pattern: /^(#[0-9a-fA-F]{6})?$/ }]} style={{ flex: 1 }}>
            <Input type="color" />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}

/** The actions column of the posts and shifts tables: edit, and deactivate or activate again. */
function editAndToggleColumn<T extends { active: boolean }>(t: TFunction, edit: (row: T) => void, toggle: (row: T) => unknown) {
  return {
    title: t('rosters.common.actions'),
    key: 'actions',
    render: (_: unknown, row: T) => (
      <Space>
        <Button size="small" onClick={() => edit(row)}>
          {t('rosters.common.edit')}
        </Button>
        <Button size="small" onClick={() => void toggle(row)}>
          {row.active ? t('rosters.structure.post.deactivate') : t('rosters.structure.post.activate')}
        </Button>
      </Space>
    ),
  };
}
