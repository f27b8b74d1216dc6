/** quality strings, zh-CN (the source); merged into the app's dictionary as `quality`. */
export const qualityZh = {
  title: 'quality',
  /** The button on the staff phone desk. */
  entry: '品质检查与整改',
};
