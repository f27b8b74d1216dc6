import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { App, Button, DatePicker, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CATEGORIES } from '../../../../../src/modules/equipment/catalogue.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { CommunitySelect, usePageCommunity } from '../../../components/CommunitySelect.tsx';
import { useAbilities } from '../../auth/api.ts';
import { useCurrentCommunity } from '../../../app/console/community.tsx';
import { download, isApiError } from '../../../lib/api.ts';
import { useCreateEquipment, useEquipmentList, type Category, type EquipmentStatus, type EquipmentSummary } from '../api.ts';
import { StatusTag } from '../labels.tsx';
import { StaffPicker } from '../StaffPicker.tsx';

/** 设备台账: the ledger with filters, export, label sheet and "add equipment". */
export function LedgerPage() {
  const { t } = useTranslation();
  const can = useAbilities();
  const navigate = useNavigate();
  // The ledger spans all the caller's communities unless the header or the page picks one.
  const { community } = useCurrentCommunity();
  const [pageCommunity, setCommunityId] = useState<string | undefined>();
  const fromHeader = Boolean(community);
  const communityId = community?.id ?? pageCommunity;
  const { communityId: defaultCommunity } = usePageCommunity();
  const [category, setCategory] = useState<Category | undefined>();
  const [status, setStatus] = useState<EquipmentStatus | undefined>();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState(false);
  const filters = { communityId, category, status, q: q || undefined };
  const list = useEquipmentList({ ...filters, page, pageSize: 20 });

  const columns = [
    { title: t('equipment.fields.code'), dataIndex: 'code', render: (v: string, r: EquipmentSummary) => <Link to={`/field/equipment/${r.id}`}>{v}</Link> },
    { title: t('equipment.fields.name'), dataIndex: 'name' },
    { title: t('equipment.fields.category'), dataIndex: 'category', render: (v: Category) => t(`equipment.categories.${v}`) },
    { title: t('equipment.fields.location'), render: (_: unknown, r: EquipmentSummary) => [r.building?.name, r.location].filter(Boolean).join(' ') },
    { title: t('equipment.fields.status'), dataIndex: 'status', render: (v: EquipmentStatus) => <StatusTag status={v} /> },
    { title: t('equipment.fields.responsible'), render: (_: unknown, r: EquipmentSummary) => r.responsible?.name ?? '—' },
    { title: t('equipment.fields.nextInspection'), dataIndex: 'nextInspectionOn', render: (v: string | null) => v ?? '—' },
    {
      title: t('equipment.fields.tasks'),
      render: (_: unknown, r: EquipmentSummary) => (
        <Space size={4}>
          {r.overdueTasks > 0 && <Tag color="red">{t('equipment.ledger.overdue', { n: r.overdueTasks })}</Tag>}
          {r.openTasks > 0 && <Tag>{t('equipment.ledger.open', { n: r.openTasks })}</Tag>}
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="equipment-ledger">
      <PageHeader
        title={t('equipment.title')}
        extra={
          <>
            <Button icon={<DownloadOutlined />} onClick={() => void download('/api/equipment.xlsx', filters, 'equipment.xlsx')}>
              {t('equipment.ledger.export')}
            </Button>
            <Button icon={<PrinterOutlined />} disabled={!communityId} onClick={() => window.open(`/api/equipment-labels.pdf?communityId=${communityId}${category ? `&category=${category}` : ''}`, '_blank')}>
              {t('equipment.ledger.labels')}
            </Button>
            {can('equipment.manage') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="equipment-add">
                {t('equipment.ledger.add')}
              </Button>
            )}
          </>
        }
      />
      <Space wrap style={{ marginBottom: 16 }}>
        {!fromHeader && <CommunitySelect allowAll value={communityId} onChange={(v) => { setCommunityId(v); setPage(1); }} />}
        <Select allowClear placeholder={t('equipment.fields.category')} style={{ width: 160 }} value={category} onChange={(v) => { setCategory(v); setPage(1); }} options={CATEGORIES.map((c) => ({ value: c, label: t(`equipment.categories.${c}`) }))} />
        <Select allowClear placeholder={t('equipment.fields.status')} style={{ width: 120 }} value={status} onChange={(v) => { setStatus(v); setPage(1); }} options={(['normal', 'fault', 'stopped'] as const).map((s) => ({ value: s, label: t(`equipment.statuses.${s}`) }))} />
        <Input.Search allowClear placeholder={t('equipment.fields.search')} style={{ width: 240 }} onSearch={(v) => { setQ(v.trim()); setPage(1); }} />
        {list.data && <Typography.Text type="secondary">{t('equipment.ledger.total', { n: list.data.total })}</Typography.Text>}
      </Space>
      {list.error ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<EquipmentSummary>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data?.items}
          columns={columns}
          onRow={(r) => ({ onDoubleClick: () => navigate(`/field/equipment/${r.id}`) })}
          pagination={{ current: page, pageSize: 20, total: list.data?.total, onChange: setPage, showSizeChanger: false }}
        />
      )}
      {adding && (communityId ?? defaultCommunity) && <AddEquipment communityId={(communityId ?? defaultCommunity)!} onClose={() => setAdding(false)} />}
    </div>
  );
}

function AddEquipment({ communityId, onClose }: { communityId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const create = useCreateEquipment();
  const navigate = useNavigate();
  const submit = async () => {
    const v = await form.validateFields();
    try {
      const e = await create.mutateAsync({ ...v, madeOn: v.madeOn?.format('YYYY-MM-DD'), installedOn: v.installedOn?.format('YYYY-MM-DD') });
      void message.success(t('equipment.ledger.created', { code: e.code }));
      onClose();
      navigate(`/field/equipment/${e.id}`);
    } catch (err) {
      if (isApiError(err)) form.setFields(err.fieldIssues.map((f) => ({ name: f.field, errors: [f.message] })));
      if (isApiError(err) && !err.fieldIssues.length) void message.error(err.message);
    }
  };
  return (
    <Modal open title={t('equipment.ledger.add')} onCancel={onClose} onOk={() => void submit()} confirmLoading={create.isPending} width={640}>
      <Form form={form} layout="vertical" initialValues={{ category: 'lift', communityId }}>
        <Form.Item name="communityId" label={t('equipment.fields.community')} rules={[{ required: true }]}>
          <CommunitySelect width={240} />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="code" label={t('equipment.fields.code')} rules={[{ required: true }]} style={{ width: '40%' }}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="name" label={t('equipment.fields.name')} rules={[{ required: true }]} style={{ width: '60%' }}>
            <Input maxLength={100} />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="category" label={t('equipment.fields.category')} rules={[{ required: true }]}>
          <Select options={CATEGORIES.map((c) => ({ value: c, label: t(`equipment.categories.${c}`) }))} />
        </Form.Item>
        <Form.Item name="location" label={t('equipment.fields.location')}>
          <Input maxLength={200} />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="model" label={t('equipment.fields.model')} style={{ width: '50%' }}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="manufacturer" label={t('equipment.fields.manufacturer')} style={{ width: '50%' }}>
            <Input maxLength={100} />
          </Form.Item>
        </Space.Compact>
        <Space>
          <Form.Item name="madeOn" label={t('equipment.fields.madeOn')}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="installedOn" label={t('equipment.fields.installedOn')}>
            <DatePicker />
          </Form.Item>
        </Space>
        <Form.Item name="responsibleId" label={t('equipment.fields.responsible')}>
          <StaffPicker />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="contractorName" label={t('equipment.fields.contractor')} style={{ width: '60%' }}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="contractorPhone" label={t('equipment.fields.contractorPhone')} style={{ width: '40%' }}>
            <Input maxLength={20} />
          </Form.Item>
        </Space.Compact>
      </Form>
    </Modal>
  );
}
