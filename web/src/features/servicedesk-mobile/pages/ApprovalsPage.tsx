import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, App, Button, Empty, Flex, Input, Skeleton, Tag, Typography } from 'antd';
import { CheckOutlined, CloseOutlined, LeftOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { useApprovals, useVote, type PendingApproval } from '../api.ts';

/** 业委会审批: medium and major repairs waiting for the owners' committee; a member approves or rejects with a note. */
export function ApprovalsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = useApprovals();
  return (
    <div className="m-page" data-testid="m-approvals">
      <Button type="link" icon={<LeftOutlined />} onClick={() => navigate(-1)} style={{ paddingInline: 0, marginBottom: 4 }}>
        {t('mobile.back')}
      </Button>
      <Typography.Paragraph type="secondary" style={{ fontSize: 14 }}>
        {t('servicedeskMobile.approvalsIntro')}
      </Typography.Paragraph>
      {list.error ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <Skeleton active />
      ) : list.data.items.length === 0 ? (
        <div className="m-card">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('servicedeskMobile.noApprovals')} />
        </div>
      ) : (
        list.data.items.map((a) => <ApprovalCard key={a.id} item={a} />)
      )}
    </div>
  );
}

function ApprovalCard({ item }: { item: PendingApproval }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const vote = useVote();
  const [decision, setDecision] = useState<'approve' | 'reject' | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="m-card" data-testid="m-approval" data-no={item.no}>
      <Flex justify="space-between" align="flex-start" gap={8}>
        <Typography.Text strong style={{ fontSize: 16, minWidth: 0 }}>
          {item.title}
        </Typography.Text>
        {item.repairSize && (
          <Tag color={item.repairSize === 'major' ? 'red' : 'orange'} style={{ marginInlineEnd: 0, flex: 'none' }}>
            {t(`servicedeskMobile.repairSizes.${item.repairSize}`)}
          </Tag>
        )}
      </Flex>
      <div className="m-sub">{[item.communityName, item.location].filter(Boolean).join(' · ')}</div>
      <div className="m-sub">
        {item.no} · {dayjs(item.reportedAt).format('YYYY-MM-DD')}
      </div>
      {item.description && <div className="m-desc">{item.description}</div>}
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 10 }} />}
      {item.myDecision ? (
        <Alert
          type={item.myDecision === 'approve' ? 'success' : 'warning'}
          showIcon
          style={{ marginTop: 10 }}
          title={t(item.myDecision === 'approve' ? 'servicedeskMobile.votedApprove' : 'servicedeskMobile.votedReject')}
          data-testid="m-approval-voted"
        />
      ) : decision ? (
        <div style={{ marginTop: 12 }}>
          <Input.TextArea rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('servicedeskMobile.voteNotePlaceholder')} data-testid="m-approval-note" />
          <Flex gap={8} style={{ marginTop: 10 }}>
            <Button size="large" style={{ flex: 1 }} onClick={() => setDecision(null)}>
              {t('common.cancel')}
            </Button>
            <Button
              type="primary"
              danger={decision === 'reject'}
              size="large"
              style={{ flex: 1 }}
              loading={vote.isPending}
              data-testid="m-approval-submit"
              onClick={() =>
                vote.mutate(
                  { id: item.id, decision, ...(note.trim() ? { note: note.trim() } : {}) },
                  { onSuccess: () => void message.success(t('servicedeskMobile.voted')), onError: (err) => setError(err.message) },
                )
              }
            >
              {t(decision === 'approve' ? 'servicedeskMobile.confirmApprove' : 'servicedeskMobile.confirmReject')}
            </Button>
          </Flex>
        </div>
      ) : (
        <Flex gap={8} style={{ marginTop: 12 }}>
          <Button size="large" danger icon={<CloseOutlined />} style={{ flex: 1 }} onClick={() => setDecision('reject')} data-testid="m-approval-reject">
            {t('servicedeskMobile.reject')}
          </Button>
          <Button size="large" type="primary" icon={<CheckOutlined />} style={{ flex: 1 }} onClick={() => setDecision('approve')} data-testid="m-approval-approve">
            {t('servicedeskMobile.approve')}
          </Button>
        </Flex>
      )}
    </div>
  );
}
