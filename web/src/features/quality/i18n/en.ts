import type { qualityZh } from './zh-CN.ts';

/** English strings of `quality`, checked against the zh-CN source. */
export const qualityEn: typeof qualityZh = {
  title: 'quality',
  /** The button on the staff phone desk. */
  entry: 'Quality checks & rectification',
};
