import type { billingCashZh } from './cash.zh-CN.ts';

/** English strings of `billingCash`, checked against the zh-CN source. */
export const billingCashEn: typeof billingCashZh = {
  title: '收银、收款、退款、日报、发票',
};
