import type { rostersZh } from './zh-CN.ts';

/** English strings of `rosters`, checked against the zh-CN source. */
export const rostersEn: typeof rostersZh = {
  title: 'rosters',
  /** The button on the staff phone desk. */
  entry: 'My roster',
};
