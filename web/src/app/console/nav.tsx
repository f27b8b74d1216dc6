import type { ReactNode } from 'react';
import {
  AlertOutlined,
  CalendarOutlined,
  ClearOutlined,
  EnvironmentOutlined,
  IdcardOutlined,
  ScheduleOutlined,
  ToolOutlined,
  FormOutlined,
  SafetyOutlined,
  PartitionOutlined,
  DollarOutlined,
  FileDoneOutlined,
  FileTextOutlined,
  NotificationOutlined,
  RollbackOutlined,
  TagsOutlined,
  ThunderboltOutlined,
  UnorderedListOutlined,
  WarningOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BankOutlined,
  BuildOutlined,
  CarOutlined,
  CheckSquareOutlined,
  ClusterOutlined,
  CrownOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  FileExcelOutlined,
  HomeOutlined,
  MessageOutlined,
  PhoneOutlined,
  ProjectOutlined,
  SafetyCertificateOutlined,
  SearchOutlined,
  SettingOutlined,
  SolutionOutlined,
  TableOutlined,
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
  /**
   * Shown only to callers holding this ability (from /api/auth/me), or any one of a list; none means every
   * logged-in staff member.
   */
  ability?: Permission | Permission[];
}

export interface NavGroup {
  label: NavKey;
  pages: NavPage[];
}

/** The console's left menu, in order. Routes and the menu both come from this table. */
export const COMPANY_NAV: Array<NavPage | NavGroup> = [
  { key: 'home', path: '/', label: 'home', icon: <HomeOutlined /> },
  {
    label: 'groupEstate',
    pages: [
      { key: 'estate', path: '/estate', label: 'estate', icon: <BuildOutlined />, ability: 'estate.read' },
      { key: 'rooms', path: '/estate/rooms', label: 'rooms', icon: <TableOutlined />, ability: 'estate.read' },
      { key: 'parking', path: '/estate/parking', label: 'parking', icon: <CarOutlined />, ability: 'estate.read' },
      { key: 'zones', path: '/estate/zones', label: 'zones', icon: <ClusterOutlined />, ability: 'estate.read' },
    ],
  },
  {
    label: 'groupResidents',
    pages: [
      { key: 'residents', path: '/residents', label: 'residents', icon: <SearchOutlined />, ability: 'resident.read' },
      { key: 'householdRequests', path: '/residents/requests', label: 'householdRequests', icon: <SolutionOutlined />, ability: 'resident.read' },
      { key: 'committee', path: '/residents/committee', label: 'committee', icon: <CrownOutlined />, ability: 'resident.read' },
    ],
  },
  {
    label: 'groupServiceDesk',
    pages: [
      { key: 'tickets', path: '/tickets', label: 'tickets', icon: <CustomerServiceOutlined />, ability: 'ticket.read' },
      { key: 'ticketBoard', path: '/tickets/board', label: 'ticketBoard', icon: <ProjectOutlined />, ability: 'ticket.read' },
      { key: 'returnVisits', path: '/return-visits', label: 'returnVisits', icon: <PhoneOutlined />, ability: 'ticket.returnVisit' },
      { key: 'ticketApprovals', path: '/ticket-approvals', label: 'ticketApprovals', icon: <CheckSquareOutlined />, ability: 'ticket.approveMajor' },
      { key: 'serviceDeskDashboard', path: '/service-desk/dashboard', label: 'serviceDeskDashboard', icon: <DashboardOutlined />, ability: 'ticket.read' },
      { key: 'serviceDeskSettings', path: '/service-desk/settings', label: 'serviceDeskSettings', icon: <SettingOutlined />, ability: 'servicedesk.configure' },
    ],
  },
  {
    label: 'groupBilling',
    pages: [
      { key: 'billingCounter', path: '/billing/counter', label: 'billingCounter', icon: <DollarOutlined />, ability: 'billing.collect' },
      { key: 'billingPayments', path: '/billing/payments', label: 'billingPayments', icon: <UnorderedListOutlined />, ability: 'billing.read' },
      { key: 'billingRefunds', path: '/billing/refunds', label: 'billingRefunds', icon: <RollbackOutlined />, ability: 'billing.read' },
      { key: 'billingDaily', path: '/billing/daily', label: 'billingDaily', icon: <CalendarOutlined />, ability: 'billing.read' },
      { key: 'billingInvoices', path: '/billing/invoices', label: 'billingInvoices', icon: <FileDoneOutlined />, ability: 'billing.read' },
      { key: 'billingBills', path: '/billing/bills', label: 'billingBills', icon: <FileTextOutlined />, ability: 'billing.read' },
      { key: 'billingRuns', path: '/billing/runs', label: 'billingRuns', icon: <ThunderboltOutlined />, ability: 'billing.manage' },
      { key: 'billingItems', path: '/billing/items', label: 'billingItems', icon: <TagsOutlined />, ability: 'billing.read' },
      { key: 'billingMeters', path: '/billing/meters', label: 'billingMeters', icon: <DashboardOutlined />, ability: 'billing.read' },
      { key: 'billingArrears', path: '/billing/arrears', label: 'billingArrears', icon: <WarningOutlined />, ability: 'billing.read' },
      { key: 'billingCollection', path: '/billing/collection', label: 'billingCollection', icon: <NotificationOutlined />, ability: 'billing.read' },
      { key: 'billingFund', path: '/billing/fund', label: 'billingFund', icon: <BankOutlined />, ability: ['billing.read', 'committee.view'] },
    ],
  },
  {
    label: 'groupField',
    pages: [
      { key: 'fieldPatrols', path: '/field/patrols', label: 'fieldPatrols', icon: <SafetyOutlined />, ability: 'patrol.read' },
      { key: 'fieldPatrolSetup', path: '/field/patrols/setup', label: 'fieldPatrolSetup', icon: <EnvironmentOutlined />, ability: 'patrol.manage' },
      { key: 'fieldEquipment', path: '/field/equipment', label: 'fieldEquipment', icon: <ToolOutlined />, ability: 'equipment.read' },
      { key: 'fieldMaintenance', path: '/field/equipment/maintenance', label: 'fieldMaintenance', icon: <CalendarOutlined />, ability: 'equipment.read' },
      { key: 'fieldQuality', path: '/field/quality', label: 'fieldQuality', icon: <FormOutlined />, ability: 'quality.read' },
      { key: 'fieldRectifications', path: '/field/quality/rectifications', label: 'fieldRectifications', icon: <AlertOutlined />, ability: ['quality.read', 'quality.rectify'] },
      { key: 'fieldCleaning', path: '/field/cleaning', label: 'fieldCleaning', icon: <ClearOutlined />, ability: 'cleaning.read' },
      { key: 'fieldRosters', path: '/field/staff/rosters', label: 'fieldRosters', icon: <ScheduleOutlined />, ability: 'roster.read' },
      { key: 'fieldStaff', path: '/field/staff', label: 'fieldStaff', icon: <PartitionOutlined />, ability: 'roster.read' },
      { key: 'fieldCertificates', path: '/field/staff/certificates', label: 'fieldCertificates', icon: <IdcardOutlined />, ability: 'roster.read' },
    ],
  },
  {
    label: 'groupBasics',
    pages: [
      { key: 'communities', path: '/communities', label: 'communities', icon: <ApartmentOutlined />, ability: 'community.read' },
      { key: 'owners', path: '/owners', label: 'owners', icon: <UserOutlined />, ability: 'owner.manage' },
      { key: 'imports', path: '/imports', label: 'imports', icon: <FileExcelOutlined />, ability: ['estate.manage', 'resident.manage'] },
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

/** True without an ability, or when the caller holds it (any one of a list). */
export function canAny(ability: Permission | Permission[] | undefined, can: (ability: string) => boolean): boolean {
  if (!ability) return true;
  return Array.isArray(ability) ? ability.some(can) : can(ability);
}

/**
 * The menu page a path belongs to: the longest matching prefix, so /estate/rooms/… is 房屋列表, not 房产总览.
 */
export function pageOfPath(pages: NavPage[], pathname: string): NavPage | undefined {
  return pages
    .filter((p) => (p.path === '/' ? pathname === '/' : pathname === p.path || pathname.startsWith(`${p.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

/** The entries this caller may see; groups left empty disappear. */
export function visibleNav(nav: Array<NavPage | NavGroup>, can: (ability: string) => boolean): Array<NavPage | NavGroup> {
  const allowed = (p: NavPage) => canAny(p.ability, can);
  return nav
    .map((item) => (isGroup(item) ? { ...item, pages: item.pages.filter(allowed) } : item))
    .filter((item) => (isGroup(item) ? item.pages.length > 0 : allowed(item)));
}

export function navFor(kind: string): Array<NavPage | NavGroup> {
  return kind === 'operator' ? PLATFORM_NAV : COMPANY_NAV;
}
