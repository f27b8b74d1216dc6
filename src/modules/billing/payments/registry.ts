import type { PaymentsConfig } from '../../../config.ts';
import type { PaymentProvider } from './provider.ts';
import { createSandboxPay } from './sandbox.ts';
import { createWechatPay } from './wechatpay.ts';
import { createAlipay } from './alipay.ts';

export type ProviderName = PaymentProvider['name'];

/** The online providers this installation offers, built once per configuration. */
const cache = new WeakMap<PaymentsConfig, Map<ProviderName, PaymentProvider>>();

export function providers(config: PaymentsConfig): Map<ProviderName, PaymentProvider> {
  let map = cache.get(config);
  if (!map) {
    map = new Map();
    if (config.sandbox) map.set('sandbox', createSandboxPay({ secret: config.sandboxSecret, baseUrl: '' }));
    if (config.wechatpay) map.set('wechatpay', createWechatPay(config.wechatpay));
    if (config.alipay) map.set('alipay', createAlipay(config.alipay));
    cache.set(config, map);
  }
  return map;
}

export function notifyUrl(config: PaymentsConfig, provider: ProviderName): string {
  return `${config.publicUrl}/api/payments/notify/${provider}`;
}
