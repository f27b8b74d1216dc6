import type { ReactNode } from 'react';
import {
  ApartmentOutlined,
  AuditOutlined,
  BankOutlined,
  HomeOutlined,
  MessageOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { Permission } from '../../../../src/core/permissions.ts';
import type { zhCN } from '../../i18n/zh-CN.ts';

type NavKey = keyof typeof zhCN.nav;

export interface NavPage {
  key: string;
  path: string;
  label: NavKey;
  icon: ReactNode;
  /** Shown only to callers holding this ability (from /api/auth/me); none means every logged-in staff member. */
  ability?: Permission;
}

export interface NavGroup {
  label: NavKey;
  pages: NavPage[];
}

/** The console's left menu, in order. Routes and the menu both come from this table. */
export const COMPANY_NAV: Array<NavPage | NavGroup> = [
  { key: 'home', path: '/', label: 'home', icon: <HomeOutlined /> },
  {
    label: 'groupBasics',
    pages: [
      { key: 'communities', path: '/communities', label: 'communities', icon: <ApartmentOutlined />, ability: 'community.read' },
      { key: 'owners', path: '/owners', label: 'owners', icon: <UserOutlined />, ability: 'owner.manage' },
    ],
  },
  {
    label: 'groupSystem',
    pages: [
      { key: 'staff', path: '/staff', label: 'staff', icon: <TeamOutlined />, ability: 'staff.read' },
      { key: 'roles', path: '/roles', label: 'roles', icon: <SafetyCertificateOutlined />, ability: 'role.read' },
      { key: 'audit', path: '/audit', label: 'audit', icon: <AuditOutlined />, ability: 'audit.read' },
      { key: 'sms', path: '/sms', label: 'sms', icon: <MessageOutlined />, ability: 'sms.read' },
    ],
  },
];

export const PLATFORM_NAV: Array<NavPage | NavGroup> = [
  { label: 'groupPlatform', pages: [{ key: 'companies', path: '/platform/companies', label: 'companies', icon: <BankOutlined />, ability: 'platform.manage' }] },
];

export function isGroup(item: NavPage | NavGroup): item is NavGroup {
  return 'pages' in item;
}

/** The entries this caller may see; groups left empty disappear. */
export function visibleNav(nav: Array<NavPage | NavGroup>, can: (ability: string) => boolean): Array<NavPage | NavGroup> {
  const allowed = (p: NavPage) => !p.ability || can(p.ability);
  return nav
    .map((item) => (isGroup(item) ? { ...item, pages: item.pages.filter(allowed) } : item))
    .filter((item) => (isGroup(item) ? item.pages.length > 0 : allowed(item)));
}

export function navFor(kind: string): Array<NavPage | NavGroup> {
  return kind === 'operator' ? PLATFORM_NAV : COMPANY_NAV;
}
