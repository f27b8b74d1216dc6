/** equipment strings, zh-CN (the source); merged into the app's dictionary as `equipment`. */
export const equipmentZh = {
  title: 'equipment',
  /** The button on the staff phone desk. */
  entry: '设备维保',
};
