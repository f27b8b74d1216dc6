import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { approvalBody } from '../../../../../src/modules/servicedesk/schema.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { usePendingApprovals, useVote, type PendingApproval } from '../api.ts';

/** 业委会审批: medium and major repairs wait for the owners' committee before work starts. */
export default function ApprovalsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const list = usePendingApprovals();
  const vote = useVote();
  const [deciding, setDeciding] = useState<{ item: PendingApproval; decision: 'approve' | 'reject' } | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = () => {
    if (!deciding) return;
    const parsed = approvalBody.shape.note.safeParse(note.trim() || undefined);
    if (!parsed.success) {
      setError(t('validation.tooLong', { max: '500' }));
      return;
    }
    vote.mutate(
      { id: deciding.item.id, body: { decision: deciding.decision, note: parsed.data } },
      {
        onSuccess: () => {
          void message.success(deciding.decision === 'approve' ? t('servicedesk.approvals.approved') : t('servicedesk.approvals.rejected'));
          setDeciding(null);
        },
        onError: (e) => setError(e.message),
      },
    );
  };

  return (
    <>
      <PageHeader title={t('servicedesk.approvals.title')} subtitle={t('servicedesk.approvals.subtitle')} />
      <Card>
        {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
        <Table<PendingApproval>
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items}
          scroll={{ x: 'max-content' }}
          pagination={false}
          locale={{ emptyText: t('servicedesk.approvals.empty') }}
          data-testid="approvals-table"
          columns={[
            { title: t('servicedesk.ticket.no'), dataIndex: 'no', render: (v: string, r) => <Link to={`/tickets/${r.id}`}>{v}</Link> },
            {
              title: t('servicedesk.ticket.title'),
              dataIndex: 'title',
              render: (v: string, r) => (
                <div style={{ maxWidth: 360 }}>
                  <Typography.Text strong>{v}</Typography.Text>
                  {r.description && (
                    <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0, fontSize: 12 }}>
                      {r.description}
                    </Typography.Paragraph>
                  )}
                </div>
              ),
            },
            { title: t('servicedesk.ticket.repairSize'), dataIndex: 'repairSize', render: (s: PendingApproval['repairSize']) => (s ? <Tag color="purple">{t(`servicedesk.repairSizes.${s}`)}</Tag> : '—') },
            { title: t('servicedesk.ticket.community'), dataIndex: 'communityName' },
            { title: t('servicedesk.ticket.place'), dataIndex: 'location', render: (v: string | null) => v ?? '—' },
            { title: t('servicedesk.ticket.reportedAt'), dataIndex: 'reportedAt', render: formatDateTime },
            {
              title: t('servicedesk.approvals.myDecision'),
              dataIndex: 'myDecision',
              render: (d: string | null) => (d ? <Tag color={d === 'approve' ? 'success' : 'error'}>{t(`servicedesk.approvals.${d as 'approve'}`)}</Tag> : <Tag>{t('servicedesk.approvals.notVoted')}</Tag>),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              fixed: 'right' as const,
              render: (_: unknown, r: PendingApproval) => (
                <Space size={0}>
                  <Button type="link" size="small" icon={<CheckOutlined />} onClick={() => { setNote(''); setError(null); setDeciding({ item: r, decision: 'approve' }); }} data-testid="approval-approve">
                    {t('servicedesk.approvals.approve')}
                  </Button>
                  <Button type="link" size="small" danger icon={<CloseOutlined />} onClick={() => { setNote(''); setError(null); setDeciding({ item: r, decision: 'reject' }); }} data-testid="approval-reject">
                    {t('servicedesk.approvals.reject')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        open={deciding !== null}
        title={deciding?.decision === 'reject' ? t('servicedesk.approvals.rejectTitle') : t('servicedesk.approvals.approveTitle')}
        onCancel={() => setDeciding(null)}
        onOk={submit}
        okButtonProps={{ danger: deciding?.decision === 'reject', 'data-testid': 'approval-submit' }}
        confirmLoading={vote.isPending}
        destroyOnHidden
      >
        {deciding && (
          <Typography.Paragraph>
            {deciding.item.no} · {deciding.item.title}
          </Typography.Paragraph>
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Input.TextArea rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('servicedesk.approvals.notePlaceholder')} data-testid="approval-note" />
      </Modal>
    </>
  );
}
