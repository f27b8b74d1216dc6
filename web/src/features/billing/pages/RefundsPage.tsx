import { useEffect, useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { App, Badge, Button, Card, Flex, Space, Table, Tabs, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { refundDecisionBody, refundRejectBody } from '../../../../../src/modules/billing/payment-schema.ts';
import { useCurrentCommunity } from '../../../app/console/community.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDate, formatDateTime, formatYuan } from '../../../lib/format.ts';
import { useAbilities } from '../../auth/api.ts';
import { useDecideRefund, useRefunds, type PaymentMethod, type RefundStatus, type RefundView } from '../api-cash.ts';
import { MethodTag, Money, RefundStatusTag, mono } from '../components/cash/labels.tsx';
import { NoteModal } from '../components/cash/NoteModal.tsx';

type Tab = RefundStatus | 'all';
const TABS: readonly Tab[] = ['requested', 'refunded', 'rejected', 'refunding', 'failed', 'all'];

/** Where the money of a refund came back from: the payment's part still in the balance, then its bills (which owe again). */
function Source({ r }: { r: RefundView }) {
  const { t } = useTranslation();
  if (r.status === 'requested') return <Typography.Text type="secondary">{t('billingCash.refunds.pendingSource')}</Typography.Text>;
  if (r.status === 'rejected') return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Flex vertical data-testid="refund-source">
      {r.fromBalanceFen > 0 && <span style={{ whiteSpace: 'nowrap' }}>{t('billingCash.refunds.fromBalance', { amount: formatYuan(r.fromBalanceFen) })}</span>}
      {r.fromLinesFen > 0 && <span style={{ whiteSpace: 'nowrap' }}>{t('billingCash.refunds.fromLines', { amount: formatYuan(r.fromLinesFen) })}</span>}
    </Flex>
  );
}

/** 退款审批: refund requests by status; those with billing.refund approve (with a note) or reject (with a reason). */
export default function RefundsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useAbilities();
  const { community } = useCurrentCommunity();
  const [tab, setTab] = useState<Tab>('requested');
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [deciding, setDeciding] = useState<{ refund: RefundView; decision: 'approve' | 'reject' } | null>(null);
  const list = useRefunds({ communityId: community?.id, status: tab === 'all' ? undefined : tab, ...paging });
  const waiting = useRefunds({ communityId: community?.id, status: 'requested', page: 1, pageSize: 1 });
  const decide = useDecideRefund();
  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [community?.id, tab]);
  const approver = can('billing.refund');

  return (
    <>
      <PageHeader title={t('billingCash.refunds.title')} subtitle={t('billingCash.refunds.subtitle')} />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setTab(k as Tab)}
          items={TABS.map((s) => ({
            key: s,
            label:
              s === 'requested' ? (
                <Badge count={waiting.data?.total ?? 0} size="small" offset={[8, -2]}>
                  {t('billingCash.refundStatuses.requested')}
                </Badge>
              ) : s === 'all' ? (
                t('billingCash.refunds.all')
              ) : (
                t(`billingCash.refundStatuses.${s}`)
              ),
          }))}
          data-testid="refund-tabs"
        />
        {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
        <Table<RefundView>
          rowKey="id"
          size="middle"
          loading={list.isFetching && !list.data}
          dataSource={list.data?.items}
          scroll={{ x: 'max-content' }}
          data-testid="refund-table"
          locale={{ emptyText: t('billingCash.refunds.empty') }}
          onRow={(r) => ({ 'data-testid': 'refund-row', 'data-id': r.id }) as HTMLAttributes<HTMLElement>}
          pagination={{
            current: paging.page,
            pageSize: paging.pageSize,
            total: list.data?.total ?? 0,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (page, pageSize) => setPaging({ page, pageSize }),
          }}
          columns={[
            {
              title: t('billingCash.col.createdAt'),
              dataIndex: 'createdAt',
              render: (v: string, r) => (
                <Flex vertical>
                  <span style={{ whiteSpace: 'nowrap' }}>{formatDate(v)}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                    {dayjs(v).format('HH:mm')} · {r.requestedBy ?? '—'}
                  </Typography.Text>
                </Flex>
              ),
            },
            {
              title: t('billingCash.col.tradeNo'),
              dataIndex: 'tradeNo',
              render: (v: string, r) => (
                <Flex vertical>
                  <Link to={`/billing/payments/${r.paymentId}`} style={{ ...mono, fontSize: 12 }}>
                    {v}
                  </Link>
                  <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                    {r.roomLabel ?? '—'}
                  </Typography.Text>
                </Flex>
              ),
            },
            {
              title: t('billingCash.col.refund'),
              dataIndex: 'amountFen',
              align: 'right' as const,
              render: (v: number, r) => (
                <Flex vertical align="flex-end" gap={2}>
                  <Money fen={v} strong />
                  <MethodTag method={r.method as PaymentMethod} />
                </Flex>
              ),
            },
            { title: t('billingCash.col.reason'), dataIndex: 'reason', render: (v: string) => <Typography.Text style={{ maxWidth: 180 }} ellipsis={{ tooltip: v }}>{v}</Typography.Text> },
            { title: t('billingCash.col.source'), key: 'source', render: (_: unknown, r) => <Source r={r} /> },
            {
              title: t('billingCash.col.status'),
              dataIndex: 'status',
              render: (status: RefundStatus, r) => (
                <Flex vertical align="flex-start" gap={2} style={{ maxWidth: 220 }}>
                  <RefundStatusTag status={status} />
                  {r.decidedBy && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.decidedBy}
                      <br />
                      {formatDateTime(r.decidedAt)}
                    </Typography.Text>
                  )}
                  {r.decisionNote && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: r.decisionNote }}>
                      {r.decisionNote}
                    </Typography.Text>
                  )}
                  {r.error && (
                    <Typography.Text type="danger" style={{ fontSize: 12 }}>
                      {r.error}
                    </Typography.Text>
                  )}
                </Flex>
              ),
            },
            ...(approver
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    fixed: 'right' as const,
                    render: (_: unknown, r: RefundView) =>
                      r.status === 'requested' && (
                        <Space size={4}>
                          <Button size="small" type="primary" onClick={() => setDeciding({ refund: r, decision: 'approve' })} data-testid="refund-approve">
                            {t('billingCash.refunds.approve')}
                          </Button>
                          <Button size="small" danger onClick={() => setDeciding({ refund: r, decision: 'reject' })} data-testid="refund-reject">
                            {t('billingCash.refunds.reject')}
                          </Button>
                        </Space>
                      ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <NoteModal
        key={deciding ? `${deciding.refund.id}:${deciding.decision}` : 'none'}
        open={deciding !== null}
        title={
          deciding
            ? t(deciding.decision === 'approve' ? 'billingCash.refunds.approveTitle' : 'billingCash.refunds.rejectTitle', { amount: formatYuan(deciding.refund.amountFen) })
            : ''
        }
        hint={deciding?.decision === 'approve' ? t('billingCash.refunds.approveHint') : deciding?.refund.reason}
        label={deciding?.decision === 'approve' ? t('billingCash.refunds.note') : t('billingCash.refunds.rejectNote')}
        field="note"
        schema={deciding?.decision === 'approve' ? refundDecisionBody.shape.note : refundRejectBody.shape.note}
        okText={deciding?.decision === 'approve' ? t('billingCash.refunds.approve') : t('billingCash.refunds.reject')}
        danger={deciding?.decision === 'reject'}
        testId="refund-decision"
        onClose={() => setDeciding(null)}
        onSubmit={(note) =>
          decide.mutateAsync({ id: deciding!.refund.id, decision: deciding!.decision, note }).then((r) => {
            void message.success(r.status === 'rejected' ? t('billingCash.refunds.rejected') : t('billingCash.refunds.approved'));
          })
        }
      />
    </>
  );
}
