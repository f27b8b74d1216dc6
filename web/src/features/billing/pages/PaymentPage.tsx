import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { App, Button, Card, Col, Descriptions, Empty, Flex, Row, Table, Tag, Tooltip, Typography } from 'antd';
import { ArrowLeftOutlined, FileAddOutlined, GiftOutlined, PrinterOutlined, RollbackOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { FullPageSpin } from '../../../components/FullPageSpin.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useAbilities } from '../../auth/api.ts';
import { cashKeys, receiptUrl, usePayment, type PaymentDetail } from '../api-cash.ts';
import { InvoiceModal } from '../components/cash/InvoiceModal.tsx';
import { InvoiceStatusTag, MethodTag, Money, PaymentStatusTag, RefundStatusTag, mono } from '../components/cash/labels.tsx';
import { RefundModal } from '../components/cash/RefundModal.tsx';
import type { InvoiceStatus } from '../api-cash.ts';

type Allocation = PaymentDetail['allocations'][number];
type Refund = PaymentDetail['refunds'][number];

/** What a payment can still give back: its amount less what is refunded or awaiting a decision (the server's rule). */
function refundableOf(p: PaymentDetail): number {
  const pending = p.refunds.filter((r) => r.status === 'requested' || r.status === 'refunding').reduce((s, r) => s + r.amountFen, 0);
  return p.amountFen - p.refundedFen - pending;
}

/** 预交优惠 of a prepayment: the months paid, the free months earned, and how much of the bonus is used or forfeited. */
function PrepayCard({ prepay }: { prepay: NonNullable<PaymentDetail['prepay']> }) {
  const { t } = useTranslation();
  const left = prepay.bonusFen - prepay.usedFen - prepay.forfeitedFen;
  return (
    <Card
      size="small"
      title={
        <span>
          <GiftOutlined /> {t('billingCash.payment.prepay')}
        </span>
      }
      style={{ marginBottom: 16 }}
      data-testid="payment-prepay"
    >
      <Descriptions column={{ xs: 1, md: 2, xl: 4 }} size="small">
        <Descriptions.Item label={t('billingCash.payment.prepayItem')}>{prepay.itemName}</Descriptions.Item>
        <Descriptions.Item label={t('billingCash.payment.prepayMonths')}>{t('billingCash.payment.monthsN', { count: prepay.months })}</Descriptions.Item>
        <Descriptions.Item label={t('billingCash.payment.prepayFree')}>{prepay.freeMonths ? t('billingCash.payment.monthsN', { count: prepay.freeMonths }) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('billingCash.payment.prepayBonus')}>
          <Money fen={prepay.bonusFen} strong type="success" />
        </Descriptions.Item>
        <Descriptions.Item label={t('billingCash.payment.prepayUsed')}>
          <Money fen={prepay.usedFen} />
        </Descriptions.Item>
        <Descriptions.Item label={t('billingCash.payment.prepayForfeited')}>{prepay.forfeitedFen ? <Money fen={prepay.forfeitedFen} type="danger" /> : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('billingCash.payment.prepayLeft')}>
          <Money fen={Math.max(0, left)} />
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

/** 收款详情: the payment, the bills it paid, what went to the balance, the receipt, refunds and the invoice request. */
export default function PaymentPage() {
  const { t } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const { message } = App.useApp();
  const can = useAbilities();
  const qc = useQueryClient();
  const payment = usePayment(id);
  const [modal, setModal] = useState<{ kind: 'refund' | 'invoice' | null; round: number }>({ kind: null, round: 0 });
  const openModal = (kind: 'refund' | 'invoice') => setModal((m) => ({ kind, round: m.round + 1 }));
  const close = () => setModal((m) => ({ ...m, kind: null }));

  if (payment.isPending) return <FullPageSpin />;
  if (payment.error || !payment.data) return <QueryError error={payment.error ?? t('billingCash.payment.notFound')} onRetry={() => void payment.refetch()} />;
  const p = payment.data;
  const succeeded = p.status === 'succeeded';
  const refundable = refundableOf(p);
  const liveInvoice = p.invoice && p.invoice.status !== 'rejected';

  const print = () => {
    window.open(receiptUrl(p.id), '_blank', 'noopener');
    // The server counts the print; read it back once the PDF has been made.
    setTimeout(() => void qc.invalidateQueries({ queryKey: cashKeys.payment(p.id) }), 1500);
  };

  return (
    <>
      <PageHeader
        title={t('billingCash.payment.title', { tradeNo: p.tradeNo })}
        subtitle={[p.communityName, p.roomLabel].filter(Boolean).join(' · ')}
        extra={
          <>
            <Link to="/billing/payments">
              <Button icon={<ArrowLeftOutlined />}>{t('common.back')}</Button>
            </Link>
            {succeeded && p.receipt && (
              <Button type="primary" icon={<PrinterOutlined />} onClick={print} data-testid="payment-print">
                {p.receipt.printCount > 0 ? t('billingCash.payment.reprint') : t('billingCash.payment.print')}
              </Button>
            )}
            {succeeded && can('billing.collect') && refundable > 0 && (
              <Button icon={<RollbackOutlined />} onClick={() => openModal('refund')} data-testid="payment-refund">
                {t('billingCash.payment.requestRefund')}
              </Button>
            )}
            {succeeded && can('billing.collect') && !liveInvoice && p.amountFen > p.refundedFen && (
              <Button icon={<FileAddOutlined />} onClick={() => openModal('invoice')} data-testid="payment-invoice">
                {t('billingCash.payment.registerInvoice')}
              </Button>
            )}
          </>
        }
      />
      <Row gutter={16}>
        <Col xs={24} xl={16}>
          <Card style={{ marginBottom: 16 }} data-testid="payment-summary">
            <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small">
              <Descriptions.Item label={t('billingCash.payment.amount')}>
                <Money fen={p.amountFen} strong />
              </Descriptions.Item>
              <Descriptions.Item label={t('billingCash.col.status')}>
                <PaymentStatusTag status={p.status} />
                {p.lateFeeWaived && (
                  <Tooltip title={t('billingCash.payment.lateFeeWaivedHint')}>
                    <Tag color="default" data-testid="payment-late-fee-waived">
                      {t('billingCash.payment.lateFeeWaived')}
                    </Tag>
                  </Tooltip>
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('billingCash.col.method')}>
                <MethodTag method={p.method} /> {t(`billingCash.channels.${p.channel}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('billingCash.payment.allocated')}>
                <Money fen={p.allocatedFen} />
              </Descriptions.Item>
              <Descriptions.Item label={t('billingCash.payment.toBalance')}>
                {p.toBalanceFen > 0 ? (
                  <span>
                    <Money fen={p.toBalanceFen} /> <Tag>{t(`billingCash.balanceKinds.${p.balanceKind ?? 'general'}`)}</Tag>
                  </span>
                ) : (
                  '—'
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('billingCash.payment.refunded')}>{p.refundedFen ? <Money fen={p.refundedFen} type="danger" /> : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('billingCash.col.paidAt')}>{formatDateTime(p.paidAt)}</Descriptions.Item>
              <Descriptions.Item label={t('billingCash.payment.businessDate')}>{p.businessDate ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('billingCash.payment.refundable')}>{succeeded ? <Money fen={Math.max(0, refundable)} /> : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('billingCash.col.payer')}>{p.payerName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('billingCash.col.collector')}>{p.collectorName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('billingCash.payment.reference')}>{p.reference ? <span style={mono}>{p.reference}</span> : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('billingCash.col.room')}>{p.roomLabel ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('billingCash.payment.note')} span={2}>
                {p.note ?? '—'}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          {p.prepay && <PrepayCard prepay={p.prepay} />}
          <Card size="small" title={t('billingCash.payment.allocations')} style={{ marginBottom: 16 }}>
            <Table<Allocation>
              rowKey={(a) => `${a.lineId}:${a.at}:${a.refundId ?? ''}`}
              size="small"
              pagination={false}
              dataSource={p.allocations}
              data-testid="payment-allocations"
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('billingCash.payment.noAllocations')} /> }}
              columns={[
                {
                  title: t('billingCash.col.item'),
                  dataIndex: 'itemName',
                  render: (v: string, a) => (
                    <span>
                      {v}{' '}
                      {a.kind === 'lateFee' && (
                        <Tag color="magenta" data-testid="allocation-late-fee">
                          {t('billingCash.lateFee.tag')}
                        </Tag>
                      )}
                    </span>
                  ),
                },
                { title: t('billingCash.col.period'), dataIndex: 'periodKey', render: (v: string, a) => <span title={`${a.periodStart} ~ ${a.periodEnd}`}>{v}</span> },
                // A payment may pay a room's meter and parking lines too; their labels show only when they differ.
                ...(p.allocations.some((a) => a.roomLabel !== p.roomLabel) ? [{ title: t('billingCash.col.room'), dataIndex: 'roomLabel', render: (v: string | null) => v ?? '—' }] : []),
                {
                  title: t('billingCash.col.money'),
                  dataIndex: 'amountFen',
                  align: 'right',
                  render: (v: number, a) => (
                    <span>
                      <Money fen={v} type={v < 0 ? 'danger' : undefined} /> {a.refundId && <Tag color="orange">{t('billingCash.payment.reversed')}</Tag>}
                    </span>
                  ),
                },
                { title: t('billingCash.col.paidAt'), dataIndex: 'at', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v)}</span> },
              ]}
            />
          </Card>
          <Card size="small" title={t('billingCash.payment.refunds')}>
            <Table<Refund>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={p.refunds}
              data-testid="payment-refunds"
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('billingCash.payment.noRefunds')} /> }}
              columns={[
                { title: t('billingCash.col.createdAt'), dataIndex: 'createdAt', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v)}</span> },
                { title: t('billingCash.col.money'), dataIndex: 'amountFen', align: 'right', render: (v: number) => <Money fen={v} /> },
                { title: t('billingCash.col.reason'), dataIndex: 'reason' },
                { title: t('billingCash.col.status'), dataIndex: 'status', render: (s: Refund['status']) => <RefundStatusTag status={s} /> },
                { title: t('billingCash.col.refundedAt'), dataIndex: 'refundedAt', render: (v: string | null) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v)}</span> },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={t('billingCash.payment.receipt')} style={{ marginBottom: 16 }} data-testid="payment-receipt">
            {p.receipt ? (
              <Flex vertical gap={4}>
                <Typography.Text style={{ ...mono, fontSize: 18 }} strong>
                  {p.receipt.number}
                </Typography.Text>
                <Typography.Text type="secondary">{formatDateTime(p.receipt.issuedAt)}</Typography.Text>
                <Typography.Text data-testid="payment-print-count" data-count={p.receipt.printCount}>
                  {p.receipt.printCount > 0 ? t('billingCash.payment.printCount', { count: p.receipt.printCount }) : t('billingCash.payment.notPrinted')}
                </Typography.Text>
              </Flex>
            ) : (
              <Typography.Text type="secondary">{t('billingCash.payment.noReceipt')}</Typography.Text>
            )}
          </Card>
          <Card size="small" title={t('billingCash.payment.invoice')} data-testid="payment-invoice-card">
            {p.invoice ? (
              <Flex vertical gap={4}>
                <Flex gap={8} align="center">
                  <InvoiceStatusTag status={p.invoice.status as InvoiceStatus} />
                  <Typography.Text strong>{p.invoice.title}</Typography.Text>
                </Flex>
                {p.invoice.invoiceNo && (
                  <Typography.Text>
                    {t('billingCash.payment.invoiceNo')}: <span style={mono}>{p.invoice.invoiceNo}</span>
                  </Typography.Text>
                )}
                <Link to="/billing/invoices">{t('billingCash.invoices.title')}</Link>
              </Flex>
            ) : (
              <Typography.Text type="secondary">{t('billingCash.payment.noInvoice')}</Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
      <RefundModal key={`refund-${modal.round}`} payment={p} maxFen={Math.max(0, refundable)} open={modal.kind === 'refund'} onClose={close} onDone={() => void message.success(t('billingCash.refundForm.done'))} />
      <InvoiceModal key={`invoice-${modal.round}`} payment={p} open={modal.kind === 'invoice'} onClose={close} onDone={() => void message.success(t('billingCash.invoiceForm.done'))} />
    </>
  );
}
