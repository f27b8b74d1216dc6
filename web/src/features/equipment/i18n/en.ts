import type { equipmentZh } from './zh-CN.ts';

/** English strings of `equipment`, checked against the zh-CN source. */
export const equipmentEn: typeof equipmentZh = {
  title: 'equipment',
  /** The button on the staff phone desk. */
  entry: 'Equipment maintenance',
};
