import type { TFunction } from 'i18next';
import { zhCN } from '../../i18n/zh-CN.ts';

type ActionKey = keyof typeof zhCN.audit.actions;
type EntityKey = keyof typeof zhCN.audit.entityTypes;

/** 'staff.create' → 新建员工; an action a later module adds before the dictionary knows it shows as sent. */
export function actionLabel(t: TFunction, action: string): string | null {
  const key = action.replace(/\./g, '_');
  return Object.hasOwn(zhCN.audit.actions, key) ? t(`audit.actions.${key as ActionKey}`) : null;
}

export function entityTypeLabel(t: TFunction, type: string): string {
  return Object.hasOwn(zhCN.audit.entityTypes, type) ? t(`audit.entityTypes.${type as EntityKey}`) : type;
}

export const ENTITY_TYPES = Object.keys(zhCN.audit.entityTypes) as EntityKey[];
