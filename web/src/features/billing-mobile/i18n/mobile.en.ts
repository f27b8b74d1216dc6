import type { billingMobileZh } from './mobile.zh-CN.ts';

/** English strings of `billingMobile`, checked against the zh-CN source. */
export const billingMobileEn: typeof billingMobileZh = {
  title: '业主端缴费、收据、公示；抄表员',
};
