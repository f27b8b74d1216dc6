import type { billingArrearsZh } from './arrears.zh-CN.ts';

/** English strings of `billingArrears`, checked against the zh-CN source. */
export const billingArrearsEn: typeof billingArrearsZh = {
  title: '欠费、收缴率、催缴、维修资金与公示',
};
