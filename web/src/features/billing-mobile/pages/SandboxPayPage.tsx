import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Empty, Flex, Skeleton } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { useCurrentMe } from '../../auth/api.ts';
import { usePayment, useSandboxConfirm } from '../api.ts';
import { recalledPayment } from '../pay.ts';
import { yuan } from '../labels.ts';
import '../billing-mobile.css';

/**
 * The sandbox provider's pay page (`/m/pay/sandbox?tradeNo=…`), standing in for WeChat Pay or Alipay in a demo:
 * the amount and the payee, 确认支付 or 取消支付. Either makes the server notify itself as a provider would; then
 * the result page. The payment is found by the id the bills page added to the link, or remembered for the trade
 * number in this tab.
 */
export function SandboxPayPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useCurrentMe();
  const [params] = useSearchParams();
  const tradeNo = params.get('tradeNo') ?? '';
  const paymentId = params.get('paymentId') ?? (tradeNo ? recalledPayment(tradeNo) : null);
  const payment = usePayment(paymentId);
  const confirm = useSandboxConfirm(paymentId ?? '');

  if (!paymentId || (payment.data && payment.data.tradeNo !== tradeNo)) {
    return (
      <div className="m-page">
        <div className="m-card">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('billingMobile.paymentNotFound')} />
          <Link to="/bills">
            <Button block size="large">
              {t('billingMobile.backToBills')}
            </Button>
          </Link>
        </div>
      </div>
    );
  }
  if (payment.error) return <div className="m-page"><QueryError error={payment.error} onRetry={() => void payment.refetch()} /></div>;
  if (!payment.data) return <div className="m-page"><div className="m-card"><Skeleton active /></div></div>;
  const p = payment.data;
  const finish = (outcome: 'succeeded' | 'closed') => confirm.mutateAsync(outcome).then(() => navigate(`/payments/${p.id}`, { replace: true }), () => undefined);

  return (
    <div className="m-page" data-testid="mb-sandbox" data-status={p.status}>
      <div className="mb-checkout">
        <span className="mb-checkout-badge">
          <SafetyCertificateOutlined /> {t('billingMobile.sandboxBadge')}
        </span>
        <div style={{ marginTop: 18, color: '#888' }}>{t('billingMobile.orderName')}</div>
        <div className="mb-big-amount" style={{ fontSize: 40 }} data-testid="mb-sandbox-amount">
          {yuan(t, p.amountFen)}
        </div>
      </div>
      <div className="m-card">
        <div className="mb-kv">
          <span>{t('billingMobile.merchant')}</span>
          <span data-testid="mb-sandbox-merchant">{me.user.companyName ?? p.communityName}</span>
        </div>
        <div className="mb-kv">
          <span>{t('billingMobile.order')}</span>
          <span>
            {t('billingMobile.orderName')} · {p.communityName}
            {p.roomLabel ? ` ${p.roomLabel}` : ''}
          </span>
        </div>
        <div className="mb-kv">
          <span>{t('billingMobile.tradeNo')}</span>
          <span style={{ fontFamily: 'monospace', fontSize: 13 }}>{p.tradeNo}</span>
        </div>
      </div>
      <Alert type="warning" showIcon title={t('billingMobile.sandboxNotice')} style={{ marginBottom: 16 }} />
      {confirm.error && <Alert type="error" showIcon title={confirm.error.message} style={{ marginBottom: 12 }} data-testid="mb-sandbox-error" />}
      {p.status === 'pending' ? (
        <Flex vertical gap={10}>
          <Button type="primary" size="large" block loading={confirm.isPending && confirm.variables === 'succeeded'} disabled={confirm.isPending} onClick={() => void finish('succeeded')} style={{ height: 52, fontSize: 18 }} data-testid="mb-sandbox-confirm">
            {t('billingMobile.confirmPay')}
          </Button>
          <Button size="large" block loading={confirm.isPending && confirm.variables === 'closed'} disabled={confirm.isPending} onClick={() => void finish('closed')} data-testid="mb-sandbox-cancel">
            {t('billingMobile.cancelPay')}
          </Button>
        </Flex>
      ) : (
        <>
          <Alert type="info" showIcon title={t('billingMobile.notPending')} style={{ marginBottom: 12 }} />
          <Link to={`/payments/${p.id}`} replace>
            <Button type="primary" size="large" block>
              {t('billingMobile.viewResult')}
            </Button>
          </Link>
        </>
      )}
    </div>
  );
}
