/** 收银、收款、退款、日报、发票 — console/phone strings, zh-CN (the source); merged into the app's dictionary as `billingCash`. */
export const billingCashZh = {
  title: '收银、收款、退款、日报、发票',
};
