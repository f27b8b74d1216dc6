import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Button, Flex, Skeleton, Spin, Tag } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, FilePdfOutlined, FileTextOutlined, GiftOutlined, MinusCircleFilled } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatYuan } from '../../../lib/format.ts';
import { useCurrentMe } from '../../auth/api.ts';
import { receiptUrl, usePayment, type PaymentDetail } from '../api.ts';
import { periodLabel, STATUS_COLORS, yuan } from '../labels.ts';
import { InvoiceSheet } from '../components/InvoiceSheet.tsx';
import '../billing-mobile.css';

const INVOICE_STATUSES = ['requested', 'issued'] as const;

const ICONS = {
  pending: <Spin size="large" />,
  succeeded: <CheckCircleFilled />,
  failed: <CloseCircleFilled />,
  closed: <MinusCircleFilled />,
} as const;

/**
 * 支付结果 and one payment of mine (`/m/payments/:id`): paid ✓ with the amount and receipt number, the bills it paid,
 * the receipt as PDF, 申请发票; while the provider has not answered it waits (and asks again every 2 s).
 */
export function PaymentPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const payment = usePayment(id);

  if (payment.error) return <div className="m-page"><QueryError error={payment.error} onRetry={() => void payment.refetch()} /></div>;
  if (!payment.data) return <div className="m-page"><div className="m-card"><Skeleton active /></div></div>;
  const p = payment.data;

  return (
    <div className="m-page" data-testid="mb-payment" data-status={p.status}>
      <div className="mb-result">
        <div className="mb-result-icon" style={{ color: STATUS_COLORS[p.status] }}>
          {ICONS[p.status]}
        </div>
        <div className="mb-result-title" data-testid="mb-payment-status">
          {t(`billingMobile.statuses.${p.status}`)}
        </div>
        <div className="mb-big-amount" style={{ marginTop: 6 }} data-testid="mb-payment-amount">
          {yuan(t, p.amountFen)}
        </div>
        {p.status === 'pending' && <div className="m-sub">{t('billingMobile.pendingHint')}</div>}
        {p.status === 'closed' && <div className="m-sub">{t('billingMobile.closedHint')}</div>}
        {p.status === 'failed' && <div className="m-sub">{t('billingMobile.failedHint')}</div>}
        {p.refundedFen > 0 && (
          <Tag color="orange" style={{ marginTop: 8 }}>
            {t('billingMobile.refunded', { amount: formatYuan(p.refundedFen) })}
          </Tag>
        )}
      </div>

      <div className="m-card">
        {p.receiptNo && (
          <div className="mb-kv">
            <span>{t('billingMobile.receiptNo')}</span>
            <span data-testid="mb-receipt-no">{p.receiptNo}</span>
          </div>
        )}
        <div className="mb-kv">
          <span>{t('billingMobile.method')}</span>
          <span>{t(`billingMobile.methods.${p.method}`)}</span>
        </div>
        {p.paidAt && (
          <div className="mb-kv">
            <span>{t('billingMobile.paidAt')}</span>
            <span>{dayjs(p.paidAt).format('YYYY-MM-DD HH:mm')}</span>
          </div>
        )}
        <div className="mb-kv">
          <span>{t('billingMobile.room')}</span>
          <span>
            {p.communityName}
            {p.roomLabel ? ` ${p.roomLabel}` : ''}
          </span>
        </div>
        <div className="mb-kv">
          <span>{t('billingMobile.tradeNo')}</span>
          <span style={{ fontFamily: 'monospace', fontSize: 13 }}>{p.tradeNo}</span>
        </div>
      </div>

      {p.prepay && <PrepayCard prepay={p.prepay} />}
      {(p.allocations.length > 0 || p.toBalanceFen > 0) && <PaidLines payment={p} />}
      {p.refunds.length > 0 && (
        <div className="m-card">
          {p.refunds.map((r) => (
            <div className="mb-kv" key={r.id}>
              <span>{t(`billingMobile.refundStatuses.${r.status}`)}</span>
              <span>{yuan(t, r.amountFen)}</span>
            </div>
          ))}
        </div>
      )}
      <Actions payment={p} />
    </div>
  );
}

/** 预交优惠 of a prepayment: the months, the free months and what of their worth is used. */
function PrepayCard({ prepay }: { prepay: NonNullable<PaymentDetail['prepay']> }) {
  const { t } = useTranslation();
  return (
    <div className="m-card" data-testid="mb-payment-prepay">
      <div className="m-card-title">
        <GiftOutlined /> {t('billingMobile.prepayTitle')}
      </div>
      <div className="mb-kv">
        <span>{t('billingMobile.prepayText', { item: prepay.itemName, months: prepay.months, free: prepay.freeMonths })}</span>
      </div>
      <div className="mb-kv">
        <span>{t('billingMobile.prepayBonus')}</span>
        <span>{yuan(t, prepay.bonusFen)}</span>
      </div>
      <div className="mb-kv">
        <span>{t('billingMobile.prepayUsed')}</span>
        <span>{yuan(t, prepay.usedFen)}</span>
      </div>
      {prepay.forfeitedFen > 0 && (
        <div className="mb-kv">
          <span>{t('billingMobile.prepayForfeited')}</span>
          <span>{yuan(t, prepay.forfeitedFen)}</span>
        </div>
      )}
    </div>
  );
}

function PaidLines({ payment: p }: { payment: PaymentDetail }) {
  const { t } = useTranslation();
  return (
    <div className="m-card" data-testid="mb-payment-lines">
      <div className="m-card-title">{t('billingMobile.billsPaid')}</div>
      {p.allocations.map((a, i) => (
        <div className="mb-line" key={`${a.lineId}-${i}`} data-testid="mb-payment-line">
          <div className="mb-line-main">
            <div className="mb-line-name">
              {a.itemName}
              {a.kind === 'lateFee' && (
                <Tag color="magenta" style={{ marginInlineStart: 6, marginInlineEnd: 0 }} data-testid="mb-payment-late-fee">
                  {t('billingMobile.lateFeeTag')}
                </Tag>
              )}
            </div>
            <div className="mb-line-sub">{periodLabel(t, a.periodKey)}</div>
          </div>
          <div className="mb-amount" style={a.amountFen < 0 ? { color: '#999' } : undefined}>
            {yuan(t, a.amountFen)}
          </div>
        </div>
      ))}
      {p.lateFeeWaived && <div className="mb-line-sub" style={{ paddingTop: 8 }}>{t('billingMobile.lateFeeWaived')}</div>}
      {p.toBalanceFen > 0 && (
        <div className="mb-line">
          <div className="mb-line-main">
            <div className="mb-line-name">{t('billingMobile.toBalance', { kind: t(`billingMobile.balanceKinds.${p.balanceKind ?? 'general'}`) })}</div>
          </div>
          <div className="mb-amount">{yuan(t, p.toBalanceFen)}</div>
        </div>
      )}
    </div>
  );
}

function Actions({ payment: p }: { payment: PaymentDetail }) {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const [invoicing, setInvoicing] = useState(false);
  // The server leaves out rejected requests (the payment may be requested again).
  const invoice = INVOICE_STATUSES.find((s) => s === p.invoice?.status);
  const back = (
    <Link to="/bills">
      <Button size="large" block data-testid="mb-back-to-bills">
        {t('billingMobile.backToBills')}
      </Button>
    </Link>
  );
  if (p.status === 'pending') {
    return (
      <Flex vertical gap={10}>
        {p.method === 'sandbox' && (
          <Link to={`/pay/sandbox?tradeNo=${encodeURIComponent(p.tradeNo)}&paymentId=${p.id}`}>
            <Button type="primary" size="large" block>
              {t('billingMobile.continuePay')}
            </Button>
          </Link>
        )}
        {back}
      </Flex>
    );
  }
  if (p.status !== 'succeeded') return back;
  return (
    <Flex vertical gap={10}>
      {invoice && (
        <Alert
          type={invoice === 'issued' ? 'success' : 'info'}
          showIcon
          title={t(`billingMobile.invoiceStatuses.${invoice}`, { no: p.invoice?.invoiceNo ?? '' })}
          data-testid="mb-invoice-status"
        />
      )}
      {p.receipt && (
        // The browser opens the PDF itself (its viewer, or the phone's), with the session cookie.
        <Button type="primary" size="large" block icon={<FilePdfOutlined />} href={receiptUrl(p.id)} target="_blank" rel="noopener" data-testid="mb-receipt">
          {t('billingMobile.viewReceipt')}
        </Button>
      )}
      {!invoice && (
        <Button size="large" block icon={<FileTextOutlined />} onClick={() => setInvoicing(true)} data-testid="mb-invoice">
          {t('billingMobile.requestInvoice')}
        </Button>
      )}
      {back}
      <InvoiceSheet paymentId={p.id} defaultTitle={me.user.displayName} open={invoicing} onClose={() => setInvoicing(false)} />
    </Flex>
  );
}
