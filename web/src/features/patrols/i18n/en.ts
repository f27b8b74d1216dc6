import type { patrolsZh } from './zh-CN.ts';

/** English strings of `patrols`, checked against the zh-CN source. */
export const patrolsEn: typeof patrolsZh = {
  title: 'patrols',
  /** The button on the staff phone desk. */
  entry: 'Patrol check-in',
};
