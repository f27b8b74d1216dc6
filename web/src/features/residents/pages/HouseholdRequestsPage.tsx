import { useState } from 'react';
import { Alert, App, Button, Card, Flex, Form, Input, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { decisionBody } from '../../../../../src/modules/residents/schema.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDate, formatDateTime } from '../../../lib/format.ts';
import { zodField } from '../../../lib/form.ts';
import { useAbilities } from '../../auth/api.ts';
import { RelationTag } from '../labels.tsx';
import { useDecideRequest, useHouseholdRequests, type HouseholdRequest, type RequestQuery } from '../api.ts';

const STATUS_COLOR = { pending: 'processing', approved: 'success', rejected: 'default' } as const;

/** Approve or reject with an optional note to the owner. */
function DecisionModal({ request, approve, onClose }: { request: HouseholdRequest | null; approve: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ note?: string }>();
  const [error, setError] = useState<string | null>(null);
  const decide = useDecideRequest();

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v || !request) return;
    setError(null);
    decide.mutate(
      { id: request.id, approve, note: v.note?.trim() || undefined },
      {
        onSuccess: () => {
          void message.success(approve ? t('requests.approvedDone') : t('requests.rejectedDone'));
          form.resetFields();
          onClose();
        },
        onError: (err) => setError(err.message),
      },
    );
  };

  return (
    <Modal
      open={request !== null}
      title={approve ? t('requests.approveTitle') : t('requests.rejectTitle')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={approve ? t('requests.approve') : t('requests.reject')}
      okButtonProps={{ danger: !approve, 'data-testid': 'decision-submit' }}
      confirmLoading={decide.isPending}
      destroyOnHidden
    >
      {request && (
        <Typography.Paragraph>
          {approve
            ? t('requests.approveText', { name: request.name, relation: t(`residents.relations.${request.relation}`), room: request.roomLabel })
            : t('requests.rejectText', { name: request.name, room: request.roomLabel })}
        </Typography.Paragraph>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="note" label={t('requests.note')} {...zodField(decisionBody.shape.note)}>
          <Input.TextArea rows={2} maxLength={300} placeholder={approve ? t('requests.notePlaceholderApprove') : t('requests.notePlaceholderReject')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 住户申请: owners' requests from the phone site to add a family member or tenant, for staff to decide. */
export default function HouseholdRequestsPage() {
  const { t } = useTranslation();
  const can = useAbilities();
  const manage = can('resident.manage');
  const [query, setQuery] = useState<RequestQuery>({ page: 1, pageSize: 20, status: 'pending' });
  const [deciding, setDeciding] = useState<{ request: HouseholdRequest | null; approve: boolean }>({ request: null, approve: true });
  const list = useHouseholdRequests(query);

  return (
    <>
      <PageHeader title={t('requests.title')} subtitle={t('requests.subtitle')} />
      <Card>
        <Segmented
          value={query.status ?? 'all'}
          onChange={(v) => setQuery((x) => ({ ...x, page: 1, status: v === 'all' ? undefined : (v as RequestQuery['status']) }))}
          options={[
            { value: 'pending', label: t('requests.statuses.pending') },
            { value: 'approved', label: t('requests.statuses.approved') },
            { value: 'rejected', label: t('requests.statuses.rejected') },
            { value: 'all', label: t('common.all') },
          ]}
          style={{ marginBottom: 16 }}
          data-testid="requests-filter"
        />
        {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
        <Table<HouseholdRequest>
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items}
          scroll={{ x: 'max-content' }}
          data-testid="requests-table"
          locale={{ emptyText: query.status === 'pending' ? t('requests.nonePending') : t('requests.none') }}
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: list.data?.total ?? 0,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (page, pageSize) => setQuery((x) => ({ ...x, page, pageSize })),
          }}
          columns={[
            { title: t('requests.at'), dataIndex: 'createdAt', render: formatDateTime },
            { title: t('requests.room'), dataIndex: 'roomLabel', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{v}</span> },
            { title: t('requests.person'), dataIndex: 'name', render: (v: string) => <Typography.Text strong data-testid="request-name">{v}</Typography.Text> },
            { title: t('household.relation'), dataIndex: 'relation', render: (r: HouseholdRequest['relation']) => <RelationTag relation={r} /> },
            { title: t('residents.phone'), dataIndex: 'phone', render: (v: string | null) => v ?? '—' },
            { title: t('household.lease'), key: 'lease', render: (_, r) => (r.relation === 'tenant' ? `${formatDate(r.leaseStart)} ~ ${formatDate(r.leaseEnd)}` : '—') },
            { title: t('requests.ownerNote'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
            {
              title: t('common.status'),
              dataIndex: 'status',
              render: (s: HouseholdRequest['status'], r) => (
                <Flex vertical align="flex-start">
                  <Tag color={STATUS_COLOR[s]} data-testid="request-status">
                    {t(`requests.statuses.${s}`)}
                  </Tag>
                  {r.decisionNote && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.decisionNote}</Typography.Text>}
                </Flex>
              ),
            },
            ...(manage
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    fixed: 'right' as const,
                    render: (_: unknown, r: HouseholdRequest) =>
                      r.status === 'pending' ? (
                        <Space size={0}>
                          <Button type="link" size="small" onClick={() => setDeciding({ request: r, approve: true })} data-testid="request-approve">
                            {t('requests.approve')}
                          </Button>
                          <Button type="link" size="small" danger onClick={() => setDeciding({ request: r, approve: false })} data-testid="request-reject">
                            {t('requests.reject')}
                          </Button>
                        </Space>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <DecisionModal request={deciding.request} approve={deciding.approve} onClose={() => setDeciding((d) => ({ ...d, request: null }))} />
    </>
  );
}
