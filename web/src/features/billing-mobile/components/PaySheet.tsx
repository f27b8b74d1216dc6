import { useRef, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Drawer, QRCode, Typography } from 'antd';
import { AlipayOutlined, ExperimentOutlined, WechatOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { billingMobileKeys, useStartPayment, type Provider } from '../api.ts';
import { newIdempotencyKey, payTarget, rememberPayment } from '../pay.ts';
import { yuan } from '../labels.ts';
import { formatYuan } from '../../../lib/format.ts';

const ICONS: Record<Provider, { icon: ReactNode; color: string }> = {
  wechatpay: { icon: <WechatOutlined />, color: '#07c160' },
  alipay: { icon: <AlipayOutlined />, color: '#1677ff' },
  sandbox: { icon: <ExperimentOutlined />, color: '#722ed1' },
};

/**
 * 选择支付方式 as a bottom sheet: the enabled providers (the sandbox labelled as a demo), then one button. The
 * parent mounts it afresh (a new `key`) for each attempt; the attempt has its own idempotency key per provider, so a
 * double tap or a retry after a lost answer starts no second payment, while paying again later (after cancelling)
 * starts a new one.
 */
export function PaySheet({ open, onClose, providers, ...props }: { open: boolean; onClose: () => void; lineIds: string[]; amountFen: number; providers: Provider[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const start = useStartPayment();
  const [provider, setProvider] = useState<Provider | undefined>(providers[0]);
  const [qr, setQr] = useState<{ code: string; paymentId: string } | null>(null);
  const keys = useRef(new Map<Provider, string>());
  // What this attempt pays, as it was when the sheet opened (a refetch behind it must not change the request).
  const [{ lineIds, amountFen }] = useState(() => ({ lineIds: props.lineIds, amountFen: props.amountFen }));

  const pay = async () => {
    if (!provider) return;
    let key = keys.current.get(provider);
    if (!key) keys.current.set(provider, (key = newIdempotencyKey()));
    const result = await start.mutateAsync({ lineIds, provider, idempotencyKey: key }).catch(() => null);
    if (!result) {
      // A bill paid meanwhile (at the counter, on another phone) is refused: show the bills as they are now.
      void qc.invalidateQueries({ queryKey: billingMobileKeys.billing });
      return;
    }
    rememberPayment(result.tradeNo, result.paymentId);
    const target = payTarget(result, window.location.origin);
    if (target.kind === 'qr') return setQr({ code: target.code, paymentId: result.paymentId });
    if (target.kind === 'external') return window.location.assign(target.url);
    onClose();
    navigate(target.kind === 'route' ? target.path : `/payments/${target.paymentId}`);
  };

  return (
    <Drawer
      placement="bottom"
      size="auto"
      open={open}
      onClose={onClose}
      title={t('billingMobile.chooseProvider')}
      destroyOnHidden
      styles={{ body: { paddingBottom: 24 }, wrapper: { maxHeight: '90vh' } }}
      data-testid="mb-pay-sheet"
    >
      <div style={{ textAlign: 'center', marginBottom: 16 }}>
        <div className="mb-big-amount" style={{ color: '#fa541c' }} data-testid="mb-pay-sheet-amount">
          {yuan(t, amountFen)}
        </div>
      </div>
      {qr ? (
        <div style={{ textAlign: 'center' }} data-testid="mb-pay-qr">
          <Typography.Paragraph>{t('billingMobile.scanToPay', { provider: t(`billingMobile.providers.${provider ?? 'wechatpay'}`) })}</Typography.Paragraph>
          <QRCode value={qr.code} style={{ margin: '0 auto 16px' }} />
          <Button type="primary" size="large" block onClick={() => navigate(`/payments/${qr.paymentId}`)}>
            {t('billingMobile.paidAfterScan')}
          </Button>
        </div>
      ) : (
        <>
          <div role="radiogroup">
            {providers.map((p) => (
              <button
                key={p}
                type="button"
                role="radio"
                aria-checked={provider === p}
                className={provider === p ? 'mb-provider active' : 'mb-provider'}
                onClick={() => setProvider(p)}
                data-testid={`mb-provider-${p}`}
              >
                <span className="mb-provider-icon" style={{ background: ICONS[p].color }}>
                  {ICONS[p].icon}
                </span>
                <span style={{ flex: 1, minWidth: 0 }}>
                  <div style={{ fontSize: 16 }}>{t(`billingMobile.providers.${p}`)}</div>
                  <div className="mb-line-sub">{t(`billingMobile.providerHints.${p}`)}</div>
                </span>
              </button>
            ))}
          </div>
          {start.error && <Alert type="error" showIcon title={start.error.message} style={{ marginBottom: 12 }} data-testid="mb-pay-error" />}
          <Button type="primary" size="large" block disabled={!provider} loading={start.isPending} onClick={() => void pay()} style={{ height: 50, fontSize: 17 }} data-testid="mb-pay-submit">
            {t('billingMobile.payNow', { amount: formatYuan(amountFen) })}
          </Button>
        </>
      )}
    </Drawer>
  );
}
