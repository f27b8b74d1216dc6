/** rosters strings, zh-CN (the source); merged into the app's dictionary as `rosters`. */
export const rostersZh = {
  title: 'rosters',
  /** The button on the staff phone desk. */
  entry: '我的排班',
};
