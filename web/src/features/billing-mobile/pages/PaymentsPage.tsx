import { Link } from 'react-router-dom';
import { Empty, Flex, Skeleton, Tag, Typography } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatYuan } from '../../../lib/format.ts';
import { useOwnerBilling } from '../api.ts';
import { yuan } from '../labels.ts';
import '../billing-mobile.css';

/** 缴费记录: my payments (online and at the counter, for my homes), newest first; a tap opens one with its receipt. */
export function PaymentsPage() {
  const { t } = useTranslation();
  const billing = useOwnerBilling();

  if (billing.error) return <div className="m-page"><QueryError error={billing.error} onRetry={() => void billing.refetch()} /></div>;
  if (!billing.data) return <div className="m-page"><div className="m-card"><Skeleton active /></div></div>;
  const payments = billing.data.payments;

  return (
    <div className="m-page" data-testid="mb-payments">
      {payments.length === 0 ? (
        <div className="m-card">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('billingMobile.noPayments')} />
        </div>
      ) : (
        <Flex vertical gap={10}>
          {payments.map((p) => (
            <Link key={p.id} to={`/payments/${p.id}`} className="m-card m-row-link" data-testid="mb-payment-row" data-trade={p.tradeNo}>
              <Flex justify="space-between" align="center" gap={8}>
                <div style={{ minWidth: 0 }}>
                  <Typography.Text strong style={{ fontSize: 16 }}>
                    {p.communityName}
                    {p.roomLabel ? ` ${p.roomLabel}` : ''}
                  </Typography.Text>
                  <div className="m-sub">{t('billingMobile.paymentRow', { date: dayjs(p.paidAt ?? p.createdAt).format('YYYY-MM-DD HH:mm'), method: t(`billingMobile.methods.${p.method}`) })}</div>
                  {p.receiptNo && (
                    <div className="m-sub">
                      {t('billingMobile.receiptNo')} {p.receiptNo}
                    </div>
                  )}
                </div>
                <Flex vertical align="flex-end" gap={4} style={{ flex: 'none' }}>
                  <span className="mb-amount">{yuan(t, p.amountFen)}</span>
                  {p.refundedFen > 0 && (
                    <Tag color="orange" style={{ marginInlineEnd: 0 }}>
                      {t('billingMobile.refunded', { amount: formatYuan(p.refundedFen) })}
                    </Tag>
                  )}
                  <RightOutlined style={{ color: '#bbb' }} />
                </Flex>
              </Flex>
            </Link>
          ))}
        </Flex>
      )}
    </div>
  );
}
