/** 收费项目、出账、账单、抄表 — console/phone strings, zh-CN (the source); merged into the app's dictionary as `billingSetup`. */
export const billingSetupZh = {
  title: '收费项目、出账、账单、抄表',
};
