import { useEffect, useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { App, Badge, Button, Card, Flex, Space, Table, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { issueInvoiceBody, rejectInvoiceBody } from '../../../../../src/modules/billing/daily-schema.ts';
import { useCurrentCommunity } from '../../../app/console/community.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDate, formatDateTime, formatYuan } from '../../../lib/format.ts';
import { useAbilities, useCurrentMe } from '../../auth/api.ts';
import { useHandleInvoice, useInvoiceRequests, type InvoiceRequest, type InvoiceStatus } from '../api-cash.ts';
import { InvoiceStatusTag, Money, mono } from '../components/cash/labels.tsx';
import { NoteModal } from '../components/cash/NoteModal.tsx';

type Tab = InvoiceStatus | 'all';
const TABS: readonly Tab[] = ['requested', 'issued', 'rejected', 'all'];

/** 发票申请: requests registered at the counter or by owners; finance (billing.manage) records the invoice number or rejects. */
export default function InvoicesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useAbilities();
  const me = useCurrentMe();
  const { community } = useCurrentCommunity();
  const [tab, setTab] = useState<Tab>('requested');
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [handling, setHandling] = useState<{ request: InvoiceRequest; action: 'issue' | 'reject' } | null>(null);
  const list = useInvoiceRequests({ communityId: community?.id, status: tab === 'all' ? undefined : tab, ...paging });
  const waiting = useInvoiceRequests({ communityId: community?.id, status: 'requested', page: 1, pageSize: 1 });
  const handle = useHandleInvoice();
  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [community?.id, tab]);
  const finance = can('billing.manage');

  return (
    <>
      <PageHeader title={t('billingCash.invoices.title')} subtitle={t('billingCash.invoices.subtitle')} />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setTab(k as Tab)}
          items={TABS.map((s) => ({
            key: s,
            label:
              s === 'requested' ? (
                <Badge count={waiting.data?.total ?? 0} size="small" offset={[8, -2]}>
                  {t('billingCash.invoiceStatuses.requested')}
                </Badge>
              ) : s === 'all' ? (
                t('billingCash.invoices.all')
              ) : (
                t(`billingCash.invoiceStatuses.${s}`)
              ),
          }))}
          data-testid="invoice-tabs"
        />
        {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
        <Table<InvoiceRequest>
          rowKey="id"
          size="middle"
          loading={list.isFetching && !list.data}
          dataSource={list.data?.items}
          scroll={{ x: 'max-content' }}
          data-testid="invoice-table"
          locale={{ emptyText: t('billingCash.invoices.empty') }}
          onRow={(r) => ({ 'data-testid': 'invoice-row', 'data-id': r.id }) as HTMLAttributes<HTMLElement>}
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
              title: t('billingCash.col.receiptNo'),
              dataIndex: 'receiptNo',
              render: (v: string | null, r) => (
                <Flex vertical>
                  <Link to={`/billing/payments/${r.paymentId}`} style={mono}>
                    {v ?? r.tradeNo}
                  </Link>
                  {v && <Typography.Text type="secondary" style={{ ...mono, fontSize: 11 }}>{r.tradeNo}</Typography.Text>}
                </Flex>
              ),
            },
            {
              title: t('billingCash.col.room'),
              dataIndex: 'roomLabel',
              render: (v: string | null, r) => (
                <Flex vertical>
                  <span style={{ whiteSpace: 'nowrap' }}>{v ?? '—'}</span>
                  {!community && me.communities.length > 1 && (
                    <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                      {r.communityName}
                    </Typography.Text>
                  )}
                </Flex>
              ),
            },
            {
              title: t('billingCash.invoices.invoiceTitle'),
              dataIndex: 'title',
              render: (v: string, r) => (
                <Flex vertical style={{ maxWidth: 230 }}>
                  <Typography.Text ellipsis={{ tooltip: v }}>
                    <Tag>{t(`billingCash.invoiceKinds.${r.kind}`)}</Tag>
                    {v}
                  </Typography.Text>
                  {r.taxNo && <Typography.Text type="secondary" style={{ ...mono, fontSize: 12 }}>{r.taxNo}</Typography.Text>}
                  {r.email && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: r.email }}>
                      {r.email}
                    </Typography.Text>
                  )}
                </Flex>
              ),
            },
            { title: t('billingCash.col.money'), dataIndex: 'amountFen', align: 'right' as const, render: (v: number) => <Money fen={v} strong /> },
            {
              title: t('billingCash.col.status'),
              dataIndex: 'status',
              render: (status: InvoiceStatus, r) => (
                <Flex vertical align="flex-start" gap={2} style={{ maxWidth: 220 }}>
                  <InvoiceStatusTag status={status} />
                  {r.invoiceNo && <span style={{ ...mono, fontSize: 12 }}>{r.invoiceNo}</span>}
                  {r.note && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: r.note }}>
                      {r.note}
                    </Typography.Text>
                  )}
                  {r.handledAt && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.handledBy}
                      <br />
                      {formatDateTime(r.handledAt)}
                    </Typography.Text>
                  )}
                </Flex>
              ),
            },
            ...(finance
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    fixed: 'right' as const,
                    render: (_: unknown, r: InvoiceRequest) =>
                      r.status === 'requested' && (
                        <Space size={4}>
                          <Button size="small" type="primary" onClick={() => setHandling({ request: r, action: 'issue' })} data-testid="invoice-issue">
                            {t('billingCash.invoices.issue')}
                          </Button>
                          <Button size="small" danger onClick={() => setHandling({ request: r, action: 'reject' })} data-testid="invoice-reject">
                            {t('billingCash.invoices.reject')}
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
        key={handling ? `${handling.request.id}:${handling.action}` : 'none'}
        open={handling !== null}
        title={handling ? t(handling.action === 'issue' ? 'billingCash.invoices.issueTitle' : 'billingCash.invoices.rejectTitle', { title: handling.request.title }) : ''}
        hint={
          handling && (
            <>
              <Typography.Text strong style={{ display: 'block' }}>
                ¥{formatYuan(handling.request.amountFen)} · {t(`billingCash.invoiceKinds.${handling.request.kind}`)} · {handling.request.title}
                {handling.request.taxNo ? ` · ${handling.request.taxNo}` : ''}
              </Typography.Text>
              {handling.request.email && <span style={{ display: 'block' }}>{handling.request.email}</span>}
              {handling.action === 'issue' && <span style={{ display: 'block', marginTop: 8 }}>{t('billingCash.invoices.issueHint')}</span>}
            </>
          )
        }
        label={handling?.action === 'issue' ? t('billingCash.invoices.invoiceNo') : t('billingCash.invoices.rejectNote')}
        field={handling?.action === 'issue' ? 'invoiceNo' : 'note'}
        schema={handling?.action === 'issue' ? issueInvoiceBody.shape.invoiceNo : rejectInvoiceBody.shape.note}
        multiline={handling?.action !== 'issue'}
        okText={handling?.action === 'issue' ? t('billingCash.invoices.issue') : t('billingCash.invoices.reject')}
        danger={handling?.action === 'reject'}
        testId="invoice-decision"
        onClose={() => setHandling(null)}
        onSubmit={(text) => {
          const h = handling!;
          const body = h.action === 'issue' ? { id: h.request.id, action: 'issue' as const, invoiceNo: text ?? '' } : { id: h.request.id, action: 'reject' as const, note: text ?? '' };
          return handle.mutateAsync(body).then(() => void message.success(h.action === 'issue' ? t('billingCash.invoices.issued') : t('billingCash.invoices.rejected')));
        }}
      />
    </>
  );
}
