/** 业主端缴费、收据、公示；抄表员 — console/phone strings, zh-CN (the source); merged into the app's dictionary as `billingMobile`. */
export const billingMobileZh = {
  title: '业主端缴费、收据、公示；抄表员',
};
