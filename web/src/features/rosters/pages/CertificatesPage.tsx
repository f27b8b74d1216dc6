import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Empty, Flex, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CERTIFICATE_KINDS, CERTIFICATE_STATUSES, TRAINING_TOPICS } from '../../../../../src/modules/rosters/schema.ts';
import { CommunitySelect, usePageCommunity } from '../../../components/CommunitySelect.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { fromDate, showServerErrors, toDate } from '../../../lib/form.ts';
import { useAbilities } from '../../auth/api.ts';
import { EChart, type ChartOption } from '../../servicedesk/components/EChart.tsx';
import { type Certificate, type Compliance, downloadTraining, type Training, useCertificates, useCompliance, useCreateTraining, useDeleteTraining, useRevokeCertificate, useRosterStaff, useSaveCertificate, useTraining, useTrainingSummary } from '../api.ts';
import { STATUS_COLORS, useCertName } from '../components/labels.ts';

type Tab = 'certificates' | 'compliance' | 'training' | 'summary';

/** 证书与培训: certificates with their expiry status, who lacks a required certificate (持证上岗), training and hours. */
export default function CertificatesPage() {
  const { t } = useTranslation();
  const can = useAbilities();
  const manage = can('roster.manage');
  const { communityId, setCommunityId, fromHeader } = usePageCommunity();
  const [tab, setTab] = useState<Tab>('certificates');
  const body = (node: React.ReactNode) => (communityId ? node : <Empty description={t('rosters.common.chooseCommunity')} />);
  return (
    <>
      <PageHeader title={t('rosters.certs.title')} subtitle={t('rosters.certs.subtitle')} extra={!fromHeader && <CommunitySelect value={communityId} onChange={(id) => id && setCommunityId(id)} testId="certs-community" />} />
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as Tab)}
        destroyOnHidden
        items={[
          { key: 'certificates', label: t('rosters.certs.tabs.certificates'), children: body(<CertificatesTab communityId={communityId!} manage={manage} />) },
          { key: 'compliance', label: t('rosters.certs.tabs.compliance'), children: body(<ComplianceTab communityId={communityId!} />) },
          { key: 'training', label: t('rosters.certs.tabs.training'), children: body(<TrainingTab communityId={communityId!} manage={manage} />) },
          { key: 'summary', label: t('rosters.certs.tabs.summary'), children: <SummaryTab /> },
        ]}
      />
    </>
  );
}

function CertificatesTab({ communityId, manage }: { communityId: string; manage: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const certName = useCertName();
  const [q, setQ] = useState<{ page: number; pageSize: number; kind?: string; status?: string }>({ page: 1, pageSize: 20 });
  const list = useCertificates({ ...q, communityId });
  const revoke = useRevokeCertificate();
  const [editing, setEditing] = useState<Certificate | 'new' | null>(null);
  const en = i18n.language === 'en';
  return (
    <div data-testid="certificates">
      {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Flex gap={8} style={{ marginBottom: 12 }} wrap>
        {manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="certificate-new">
            {t('rosters.certs.new')}
          </Button>
        )}
        <Select allowClear placeholder={t('rosters.certs.allKinds')} value={q.kind} onChange={(kind) => setQ({ ...q, kind, page: 1 })} options={CERTIFICATE_KINDS.map((k) => ({ value: k.code, label: en ? k.en : k.zh }))} style={{ width: 200 }} />
        <Select
          allowClear
          placeholder={t('rosters.certs.allStatuses')}
          value={q.status}
          onChange={(status) => setQ({ ...q, status, page: 1 })}
          options={CERTIFICATE_STATUSES.map((s) => ({ value: s, label: t(`rosters.certs.statuses.${s}`) }))}
          style={{ width: 140 }}
          data-testid="certificate-status-filter"
        />
      </Flex>
      <Table<Certificate>
        size="small"
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{ current: q.page, pageSize: q.pageSize, total: list.data?.total ?? 0, onChange: (page, pageSize) => setQ({ ...q, page, pageSize }) }}
        columns={[
          { title: t('rosters.certs.holder'), dataIndex: ['user', 'name'] },
          { title: t('rosters.certs.kind'), dataIndex: 'kind', render: (k: string) => certName(k) },
          { title: t('rosters.certs.number'), dataIndex: 'number' },
          { title: t('rosters.certs.issuer'), dataIndex: 'issuer', render: (v: string | null) => v ?? '—' },
          { title: t('rosters.certs.expiresOn'), dataIndex: 'expiresOn', render: (v: string | null) => v ?? t('rosters.certs.noExpiry') },
          {
            title: t('rosters.certs.status'),
            dataIndex: 'status',
            render: (s: Certificate['status'], c) => (
              <Space size={4}>
                <Tag color={STATUS_COLORS[s]}>{t(`rosters.certs.statuses.${s}`)}</Tag>
                {c.daysLeft !== null && s !== 'expired' && <Typography.Text type={s === 'expiring' ? 'warning' : 'secondary'}>{t('rosters.certs.daysLeftValue', { days: c.daysLeft })}</Typography.Text>}
              </Space>
            ),
          },
          ...(manage
            ? [
                {
                  title: t('rosters.common.actions'),
                  key: 'a',
                  render: (_: unknown, c: Certificate) =>
                    c.status === 'revoked' ? null : (
                      <Space>
                        <Button size="small" onClick={() => setEditing(c)}>
                          {t('rosters.common.edit')}
                        </Button>
                        <Popconfirm title={t('rosters.certs.revokeConfirm')} onConfirm={() => revoke.mutateAsync(c.id).catch((e: Error) => message.error(e.message))}>
                          <Button size="small" danger>
                            {t('rosters.certs.revoke')}
                          </Button>
                        </Popconfirm>
                      </Space>
                    ),
                },
              ]
            : []),
        ]}
      />
      {editing && <CertificateModal communityId={communityId} certificate={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

function CertificateModal({ communityId, certificate, onClose }: { communityId: string; certificate: Certificate | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm();
  const save = useSaveCertificate();
  const staff = useRosterStaff(communityId);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const v = await form.validateFields();
    const common = { number: v.number, issuer: v.issuer || null, issuedOn: toDate(v.issuedOn) ?? null, expiresOn: toDate(v.expiresOn) ?? null };
    try {
      await save.mutateAsync({ id: certificate?.id, body: certificate ? common : { ...common, userId: v.userId, kind: v.kind } });
      onClose();
    } catch (e) {
      setError(showServerErrors(form, e));
    }
  };
  return (
    <Modal open title={certificate ? t('rosters.certs.editTitle') : t('rosters.certs.new')} onOk={submit} onCancel={onClose} confirmLoading={save.isPending} okText={t('rosters.common.save')} destroyOnHidden>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ userId: certificate?.user.id, kind: certificate?.kind, number: certificate?.number, issuer: certificate?.issuer, issuedOn: fromDate(certificate?.issuedOn), expiresOn: fromDate(certificate?.expiresOn) }}
      >
        <Flex gap={12}>
          <Form.Item name="userId" label={t('rosters.certs.holder')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <Select disabled={Boolean(certificate)} showSearch optionFilterProp="label" options={certificate ? [{ value: certificate.user.id, label: certificate.user.name }] : (staff.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))} />
          </Form.Item>
          <Form.Item name="kind" label={t('rosters.certs.kind')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <Select disabled={Boolean(certificate)} options={CERTIFICATE_KINDS.map((k) => ({ value: k.code, label: i18n.language === 'en' ? k.en : k.zh }))} />
          </Form.Item>
        </Flex>
        <Flex gap={12}>
          <Form.Item name="number" label={t('rosters.certs.number')} rules={[{ required: true, max: 60 }]} style={{ flex: 1 }}>
            <Input />
          </Form.Item>
          <Form.Item name="issuer" label={t('rosters.certs.issuer')} rules={[{ max: 100 }]} style={{ flex: 1 }}>
            <Input />
          </Form.Item>
        </Flex>
        <Flex gap={12}>
          <Form.Item name="issuedOn" label={t('rosters.certs.issuedOn')} style={{ flex: 1 }}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="expiresOn" label={t('rosters.certs.expiresOn')} style={{ flex: 1 }}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}

function ComplianceTab({ communityId }: { communityId: string }) {
  const { t } = useTranslation();
  const certName = useCertName();
  const [asOf, setAsOf] = useState<Dayjs>(() => dayjs());
  const q = useCompliance(communityId, asOf.format('YYYY-MM-DD'));
  const gaps = q.data?.gaps ?? [];
  return (
    <div data-testid="compliance">
      {q.error && <QueryError error={q.error} onRetry={() => void q.refetch()} />}
      <Flex gap={8} align="center" style={{ marginBottom: 12 }}>
        <Typography.Text>{t('rosters.certs.compliance.asOf')}</Typography.Text>
        <DatePicker value={asOf} allowClear={false} onChange={(d) => d && setAsOf(d)} />
      </Flex>
      {q.data && gaps.length === 0 && <Alert type="success" showIcon message={t('rosters.certs.compliance.ok')} />}
      {gaps.length > 0 && (
        <Table<Compliance['gaps'][number]>
          size="small"
          rowKey={(g) => `${g.user.id}${g.post.id}${g.kind}`}
          dataSource={gaps}
          pagination={false}
          columns={[
            { title: t('rosters.certs.compliance.person'), dataIndex: ['user', 'name'] },
            { title: t('rosters.certs.compliance.post'), dataIndex: ['post', 'name'] },
            { title: t('rosters.certs.compliance.required'), dataIndex: 'kind', render: (k: string) => <Tag color="red">{certName(k)}</Tag> },
            {
              title: t('rosters.certs.compliance.reason'),
              key: 'reason',
              render: (_: unknown, g) => (g.reason === 'missing' ? <Tag color="red">{t('rosters.certs.compliance.missing')}</Tag> : <Tag color="orange">{t('rosters.certs.compliance.expired', { date: g.expiredOn })}</Tag>),
            },
          ]}
        />
      )}
    </div>
  );
}

function TrainingTab({ communityId, manage }: { communityId: string; manage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [year, setYear] = useState<Dayjs>(() => dayjs().startOf('year'));
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const list = useTraining({ ...page, year: year.year() });
  const del = useDeleteTraining();
  const [creating, setCreating] = useState(false);
  return (
    <div data-testid="training">
      {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Flex gap={8} style={{ marginBottom: 12 }}>
        {manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="training-new">
            {t('rosters.training.new')}
          </Button>
        )}
        <DatePicker picker="year" value={year} allowClear={false} onChange={(d) => d && setYear(d)} />
      </Flex>
      <Table<Training>
        size="small"
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{ current: page.page, pageSize: page.pageSize, total: list.data?.total ?? 0, onChange: (p, s) => setPage({ page: p, pageSize: s }) }}
        columns={[
          { title: t('rosters.training.day'), dataIndex: 'day', width: 110 },
          { title: t('rosters.training.people'), dataIndex: ['user', 'name'] },
          { title: t('rosters.training.title'), dataIndex: 'title' },
          { title: t('rosters.training.topic'), dataIndex: 'topic', render: (k: Training['topic']) => <Tag>{t(`rosters.training.topics.${k}`)}</Tag> },
          { title: t('rosters.training.hours'), dataIndex: 'hours', align: 'right', render: (h: number) => h.toFixed(1) },
          { title: t('rosters.training.trainer'), dataIndex: 'trainer', render: (v: string | null) => v ?? '—' },
          { title: t('rosters.training.passed'), dataIndex: 'passed', render: (p: boolean | null) => (p === null ? '—' : p ? <Tag color="green">{t('rosters.training.passedYes')}</Tag> : <Tag color="red">{t('rosters.training.passedNo')}</Tag>) },
          ...(manage
            ? [
                {
                  title: t('rosters.common.actions'),
                  key: 'a',
                  render: (_: unknown, r: Training) => (
                    <Popconfirm title={t('rosters.training.deleteConfirm')} onConfirm={() => del.mutateAsync(r.id).catch((e: Error) => message.error(e.message))}>
                      <Button size="small" danger>
                        {t('rosters.common.delete')}
                      </Button>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
      {creating && <TrainingModal communityId={communityId} onClose={() => setCreating(false)} />}
    </div>
  );
}

function TrainingModal({ communityId, onClose }: { communityId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const create = useCreateTraining();
  const staff = useRosterStaff(communityId);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await create.mutateAsync({ userIds: v.userIds, communityId, title: v.title, topic: v.topic, day: toDate(v.day)!, hours: v.hours, trainer: v.trainer || null, passed: v.passed ?? null });
      onClose();
    } catch (e) {
      setError(showServerErrors(form, e));
    }
  };
  return (
    <Modal open width={560} title={t('rosters.training.new')} onOk={submit} onCancel={onClose} confirmLoading={create.isPending} okText={t('rosters.common.save')} destroyOnHidden>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ topic: 'safety', day: dayjs(), hours: 1 }}>
        <Form.Item name="userIds" label={t('rosters.training.people')} rules={[{ required: true }]}>
          <Select mode="multiple" showSearch optionFilterProp="label" options={(staff.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))} />
        </Form.Item>
        <Form.Item name="title" label={t('rosters.training.title')} rules={[{ required: true, max: 100 }]}>
          <Input />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="topic" label={t('rosters.training.topic')} style={{ flex: 1 }}>
            <Select options={TRAINING_TOPICS.map((k) => ({ value: k, label: t(`rosters.training.topics.${k}`) }))} />
          </Form.Item>
          <Form.Item name="day" label={t('rosters.training.day')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
          <Form.Item name="hours" label={t('rosters.training.hours')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <InputNumber min={0.1} max={240} step={0.5} precision={1} style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
        <Flex gap={12}>
          <Form.Item name="trainer" label={t('rosters.training.trainer')} rules={[{ max: 60 }]} style={{ flex: 1 }}>
            <Input />
          </Form.Item>
          <Form.Item name="passed" label={t('rosters.training.passed')} style={{ flex: 1 }}>
            <Select
              allowClear
              options={[
                { value: true, label: t('rosters.training.passedYes') },
                { value: false, label: t('rosters.training.passedNo') },
              ]}
            />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}

function SummaryTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [year, setYear] = useState<Dayjs>(() => dayjs().startOf('year'));
  const q = useTrainingSummary({ year: year.year() });
  const people = q.data?.people ?? [];
  const option = useMemo<ChartOption>(() => {
    const top = people.slice(0, 15).reverse();
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: top.map((p) => p.user.name) },
      series: [{ type: 'bar', data: top.map((p) => p.hours), itemStyle: { color: '#1677ff' }, barMaxWidth: 18 }],
    } as ChartOption;
  }, [people]);
  return (
    <div data-testid="training-summary">
      {q.error && <QueryError error={q.error} onRetry={() => void q.refetch()} />}
      <Flex gap={8} style={{ marginBottom: 12 }}>
        <DatePicker picker="year" value={year} allowClear={false} onChange={(d) => d && setYear(d)} />
        <Button icon={<DownloadOutlined />} onClick={() => downloadTraining({ year: year.year() }).catch((e: Error) => message.error(e.message))} data-testid="training-export">
          {t('rosters.training.export')}
        </Button>
      </Flex>
      <Flex gap={12} wrap>
        <Card size="small" title={t('rosters.training.chart')} style={{ flex: '1 1 380px' }}>
          {people.length ? <EChart option={option} height={Math.max(160, Math.min(15, people.length) * 26)} testId="training-chart" /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
        </Card>
        <Table
          size="small"
          style={{ flex: '2 1 520px' }}
          rowKey={(p) => p.user.id}
          loading={q.isFetching}
          dataSource={people}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('rosters.certs.holder'), dataIndex: ['user', 'name'] },
            { title: t('rosters.training.sessions'), dataIndex: 'sessions', align: 'right' },
            { title: t('rosters.training.totalHours'), dataIndex: 'hours', align: 'right', render: (h: number) => <Typography.Text strong>{h.toFixed(1)}</Typography.Text> },
            ...TRAINING_TOPICS.map((k) => ({ title: t(`rosters.training.topics.${k}`), key: k, align: 'right' as const, render: (_: unknown, p: (typeof people)[number]) => (p.byTopic[k] ? p.byTopic[k].toFixed(1) : '') })),
          ]}
        />
      </Flex>
    </div>
  );
}
