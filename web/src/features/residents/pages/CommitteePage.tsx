import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Card, Col, DatePicker, Form, Modal, Row, Select, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { createCommitteeMemberBody } from '../../../../../src/modules/residents/schema.ts';
import { CommunitySelect, usePageCommunity } from '../../../components/CommunitySelect.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDate } from '../../../lib/format.ts';
import { showServerErrors, toDate, zodDateField, zodField } from '../../../lib/form.ts';
import { useAbilities } from '../../auth/api.ts';
import { positionLabel } from '../labels.tsx';
import { useAddCommitteeMember, useCommittee, type CommitteeMember } from '../api.ts';
import { ResidentDrawer } from '../components/ResidentDrawer.tsx';
import { ResidentPicker } from '../components/ResidentPicker.tsx';

const shape = createCommitteeMemberBody.shape;
const POSITIONS = ['director', 'deputyDirector', 'member'] as const;

function AddMemberModal({ open, communityId, onClose }: { open: boolean; communityId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ residentId: string; position: (typeof POSITIONS)[number]; termStart: Dayjs; termEnd: Dayjs }>();
  const [formError, setFormError] = useState<string | null>(null);
  const add = useAddCommitteeMember();

  useEffect(() => {
    if (!open) return;
    setFormError(null);
    form.resetFields();
  }, [open, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    add.mutate(
      { communityId, residentId: v.residentId, position: v.position, termStart: toDate(v.termStart)!, termEnd: toDate(v.termEnd)! },
      { onSuccess: onClose, onError: (err) => setFormError(showServerErrors(form, err)) },
    );
  };

  return (
    <Modal open={open} title={t('committee.add')} onCancel={onClose} onOk={() => void submit()} okText={t('common.save')} confirmLoading={add.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'committee-form-submit' }}>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" preserve={false} initialValues={{ position: 'member', termStart: dayjs().startOf('month'), termEnd: dayjs().startOf('month').add(5, 'year').subtract(1, 'day') }}>
        <Form.Item name="residentId" label={t('committee.resident')} extra={t('committee.residentHint')} {...zodField(shape.residentId)}>
          <ResidentPicker communityId={communityId} testId="committee-resident" />
        </Form.Item>
        <Form.Item name="position" label={t('committee.position')} {...zodField(shape.position)}>
          <Select options={POSITIONS.map((p) => ({ value: p, label: t(`committee.positions.${p}`) }))} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="termStart" label={t('committee.termStart')} {...zodDateField(shape.termStart)}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="termEnd" label={t('committee.termEnd')} {...zodDateField(shape.termEnd)}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

/** 业委会: the owners' committee of a community, its members and their terms. */
export default function CommitteePage() {
  const { t } = useTranslation();
  const can = useAbilities();
  const { communityId, setCommunityId, fromHeader } = usePageCommunity();
  const list = useCommittee(communityId);
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const items = [...(list.data?.items ?? [])].sort((a, b) => Number(b.current) - Number(a.current) || POSITIONS.indexOf(a.position) - POSITIONS.indexOf(b.position));

  return (
    <>
      <PageHeader
        title={t('committee.title')}
        subtitle={t('committee.subtitle')}
        extra={
          <>
            {!fromHeader && <CommunitySelect value={communityId} onChange={(id) => id && setCommunityId(id)} testId="committee-community" />}
            {can('resident.manage') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="committee-add">
                {t('committee.add')}
              </Button>
            )}
          </>
        }
      />
      <Card>
        {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
        <Table<CommitteeMember>
          rowKey="id"
          loading={list.isPending && Boolean(communityId)}
          dataSource={items}
          pagination={false}
          data-testid="committee-table"
          locale={{ emptyText: t('committee.empty') }}
          columns={[
            { title: t('committee.resident'), dataIndex: 'residentName', render: (v: string, m) => <Typography.Link onClick={() => setOpen(m.residentId)}>{v}</Typography.Link> },
            { title: t('committee.position'), dataIndex: 'position', render: (p: string) => <Tag color={p === 'director' ? 'gold' : p === 'deputyDirector' ? 'orange' : 'default'}>{positionLabel(t, p)}</Tag> },
            { title: t('committee.term'), key: 'term', render: (_, m) => `${formatDate(m.termStart)} ~ ${formatDate(m.termEnd)}` },
            { title: t('common.status'), dataIndex: 'current', render: (c: boolean) => (c ? <Badge status="success" text={t('committee.current')} /> : <Badge status="default" text={t('committee.past')} />) },
          ]}
        />
      </Card>
      {communityId && <AddMemberModal open={adding} communityId={communityId} onClose={() => setAdding(false)} />}
      <ResidentDrawer residentId={open} onClose={() => setOpen(null)} />
    </>
  );
}
