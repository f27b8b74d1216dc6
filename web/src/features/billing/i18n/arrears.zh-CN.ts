/** 欠费、收缴率、催缴、维修资金与公示 — console/phone strings, zh-CN (the source); merged into the app's dictionary as `billingArrears`. */
export const billingArrearsZh = {
  title: '欠费、收缴率、催缴、维修资金与公示',
};
