import type { cleaningZh } from './zh-CN.ts';

/** English strings of `cleaning`, checked against the zh-CN source. */
export const cleaningEn: typeof cleaningZh = {
  title: 'cleaning',
  /** The button on the staff phone desk. */
  entry: 'Cleaning & greening tasks',
};
