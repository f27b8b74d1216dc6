/** patrols strings, zh-CN (the source); merged into the app's dictionary as `patrols`. */
export const patrolsZh = {
  title: 'patrols',
  /** The button on the staff phone desk. */
  entry: '巡更打卡',
};
