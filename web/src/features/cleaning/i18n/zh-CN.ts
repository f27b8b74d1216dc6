/** cleaning strings, zh-CN (the source); merged into the app's dictionary as `cleaning`. */
export const cleaningZh = {
  title: 'cleaning',
  /** The button on the staff phone desk. */
  entry: '保洁绿化任务',
};
