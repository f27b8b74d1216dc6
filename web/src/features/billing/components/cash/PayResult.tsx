import { Button, Result, Typography } from 'antd';
import { FileSearchOutlined, PrinterOutlined, RedoOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { formatYuan } from '../../../../lib/format.ts';
import { receiptUrl, type PaymentDetail } from '../../api-cash.ts';

/** What the cashier sees once the money is booked: the receipt number, print, and on to the next payer. */
export function PayResult({ payment, onNext }: { payment: PaymentDetail; onNext: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const lines = payment.allocations.filter((a) => a.amountFen > 0);
  const lateFeesFen = lines.filter((a) => a.kind === 'lateFee').reduce((s, a) => s + a.amountFen, 0);
  const prepay = payment.prepay;
  return (
    <Result
      status="success"
      style={{ padding: '24px 8px' }}
      title={<span data-testid="counter-result">{t('billingCash.counter.success', { amount: formatYuan(payment.amountFen) })}</span>}
      subTitle={
        <span data-testid="counter-receipt-no" data-receipt={payment.receiptNo ?? ''}>
          {t('billingCash.counter.resultSub', { receipt: payment.receiptNo ?? '—', tradeNo: payment.tradeNo })}
        </span>
      }
      extra={[
        <Button key="print" type="primary" icon={<PrinterOutlined />} onClick={() => window.open(receiptUrl(payment.id), '_blank', 'noopener')} data-testid="counter-print">
          {t('billingCash.counter.print')}
        </Button>,
        <Button key="detail" icon={<FileSearchOutlined />} onClick={() => navigate(`/billing/payments/${payment.id}`)}>
          {t('billingCash.counter.detail')}
        </Button>,
        <Button key="next" icon={<RedoOutlined />} onClick={onNext} data-testid="counter-next">
          {t('billingCash.counter.next')}
        </Button>,
      ]}
    >
      {payment.replayed && <Typography.Paragraph type="warning">{t('billingCash.counter.replayed')}</Typography.Paragraph>}
      {lines.length > 0 && <Typography.Paragraph style={{ marginBottom: 4 }}>{t('billingCash.counter.allocated', { count: lines.length, amount: formatYuan(payment.allocatedFen) })}</Typography.Paragraph>}
      {lateFeesFen > 0 && (
        <Typography.Paragraph type="warning" style={{ marginBottom: 4 }} data-testid="counter-result-late-fees">
          {t('billingCash.counter.lateFeesCharged', { amount: formatYuan(lateFeesFen) })}
        </Typography.Paragraph>
      )}
      {payment.lateFeeWaived && <Typography.Paragraph style={{ marginBottom: 4 }}>{t('billingCash.counter.lateFeesWaived')}</Typography.Paragraph>}
      {prepay && (
        <Typography.Paragraph type="success" style={{ marginBottom: 4 }} data-testid="counter-result-prepay">
          {t('billingCash.counter.prepaid', { item: prepay.itemName, months: prepay.months, free: prepay.freeMonths, amount: formatYuan(prepay.bonusFen) })}
        </Typography.Paragraph>
      )}
      {payment.toBalanceFen > 0 && (
        <Typography.Paragraph style={{ marginBottom: 0 }}>
          {t('billingCash.counter.toBalance', { amount: formatYuan(payment.toBalanceFen), kind: t(`billingCash.balanceKinds.${payment.balanceKind ?? 'general'}`) })}
        </Typography.Paragraph>
      )}
    </Result>
  );
}
