import type { billingSetupZh } from './setup.zh-CN.ts';

/** English strings of `billingSetup`, checked against the zh-CN source. */
export const billingSetupEn: typeof billingSetupZh = {
  title: '收费项目、出账、账单、抄表',
};
