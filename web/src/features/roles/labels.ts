import { BUILTIN_ROLES, PERMISSIONS, isPermission } from '../../../../src/core/permissions.ts';
import type { Lang } from '../../i18n/index.ts';
import type { zhCN } from '../../i18n/zh-CN.ts';

export type PermissionGroup = keyof typeof zhCN.roles.group;

/** Order in which permission groups are shown: the daily work first, administration last. */
export const GROUP_ORDER: PermissionGroup[] = ['community', 'estate', 'resident', 'service', 'billing', 'field', 'committee', 'admin', 'common', 'platform'];

export function isKnownGroup(g: string): g is PermissionGroup {
  return (GROUP_ORDER as string[]).includes(g);
}

/**
 * Built-in roles are stored under their Chinese names. In English, show the English name, as long as
 * the company has not renamed the role.
 */
export function roleName(name: string, lang: Lang, builtinKey?: string | null): string {
  if (lang !== 'en') return name;
  const builtin = BUILTIN_ROLES.find((r) => r.zh === name && (builtinKey == null || r.key === builtinKey));
  return builtin ? builtin.en : name;
}

export function permissionLabel(key: string, lang: Lang): string {
  if (!isPermission(key)) return key;
  return lang === 'en' ? PERMISSIONS[key].en : PERMISSIONS[key].zh;
}
