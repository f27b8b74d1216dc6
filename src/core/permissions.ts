/**
 * Every permission in Anju, one typed table. Roles are sets of these strings; services check them on the
 * server, and `/api/auth/me` sends the caller's set as `abilities` so the UI hides what it cannot do.
 * No server imports here: the web app imports this file too. Later modules add their rows.
 */
export const PERMISSIONS = {
  'community.read': { group: 'community', zh: '查看小区', en: 'View communities' },
  'community.manage': { group: 'community', zh: '管理小区', en: 'Manage communities' },
  'staff.read': { group: 'admin', zh: '查看员工账号', en: 'View staff accounts' },
  'staff.manage': { group: 'admin', zh: '管理员工账号', en: 'Manage staff accounts' },
  'role.read': { group: 'admin', zh: '查看角色', en: 'View roles' },
  'role.manage': { group: 'admin', zh: '管理角色', en: 'Manage roles' },
  'audit.read': { group: 'admin', zh: '查看操作日志', en: 'Read the audit trail' },
  'sms.read': { group: 'admin', zh: '查看短信发件箱', en: 'Read the SMS outbox' },
  'job.read': { group: 'admin', zh: '查看定时任务', en: 'View scheduled jobs' },
  'file.upload': { group: 'common', zh: '上传文件', en: 'Upload files' },
  'owner.manage': { group: 'resident', zh: '管理业主账号', en: 'Manage owner accounts' },
  'personal.viewFull': { group: 'resident', zh: '查看完整个人信息', en: 'See personal data unmasked' },
  'estate.read': { group: 'estate', zh: '查看房产', en: 'View the estate' },
  'estate.manage': { group: 'estate', zh: '管理房产', en: 'Manage the estate' },
  'resident.read': { group: 'resident', zh: '查看住户', en: 'View residents' },
  'resident.manage': { group: 'resident', zh: '管理住户', en: 'Manage residents' },
  'ticket.read': { group: 'service', zh: '查看工单', en: 'View tickets' },
  'ticket.create': { group: 'service', zh: '登记工单', en: 'Register tickets' },
  'ticket.dispatch': { group: 'service', zh: '派单', en: 'Dispatch tickets' },
  'ticket.work': { group: 'service', zh: '处理工单', en: 'Work on tickets' },
  'ticket.returnVisit': { group: 'service', zh: '回访', en: 'Return visits' },
  'ticket.extendDeadline': { group: 'service', zh: '延长时限', en: 'Extend deadlines' },
  'servicedesk.configure': { group: 'service', zh: '配置服务台（类别、时限、派单、日历）', en: 'Configure the service desk (categories, time limits, dispatch, calendar)' },
  'ticket.approveMajor': { group: 'service', zh: '审批中修/大修', en: 'Approve medium and major repairs' },
  'billing.read': { group: 'billing', zh: '查看收费', en: 'View billing' },
  'billing.collect': { group: 'billing', zh: '收款', en: 'Take payments' },
  'billing.manage': { group: 'billing', zh: '管理收费项目与账单', en: 'Manage fee items and bills' },
  'billing.refund': { group: 'billing', zh: '审批退款', en: 'Approve refunds' },
  'billing.waive': { group: 'billing', zh: '减免滞纳金', en: 'Waive late fees' },
  'patrol.read': { group: 'field', zh: '查看巡更巡检', en: 'View patrols' },
  'patrol.checkin': { group: 'field', zh: '巡更打卡', en: 'Patrol check-in' },
  'patrol.manage': { group: 'field', zh: '管理巡更计划', en: 'Manage patrol plans' },
  'equipment.read': { group: 'field', zh: '查看设备', en: 'View equipment' },
  'equipment.manage': { group: 'field', zh: '管理设备', en: 'Manage equipment' },
  'equipment.maintain': { group: 'field', zh: '设备维保作业', en: 'Do equipment maintenance' },
  'inventory.manage': { group: 'field', zh: '管理库存', en: 'Manage the store' },
  'quality.read': { group: 'field', zh: '查看品质检查与整改', en: 'View quality checks and rectification' },
  'quality.manage': { group: 'field', zh: '品质检查', en: 'Quality checks' },
  'quality.rectify': { group: 'field', zh: '整改作业', en: 'Rectify findings' },
  'cleaning.read': { group: 'field', zh: '查看保洁绿化', en: 'View cleaning and greening' },
  'cleaning.manage': { group: 'field', zh: '管理保洁绿化计划', en: 'Manage cleaning and greening schedules' },
  'cleaning.work': { group: 'field', zh: '保洁绿化作业', en: 'Do cleaning and greening work' },
  'roster.read': { group: 'field', zh: '查看排班与证书', en: 'View rosters and certificates' },
  'roster.manage': { group: 'field', zh: '管理部门、岗位、排班、证书与培训', en: 'Manage departments, posts, rosters, certificates and training' },
  'committee.view': { group: 'committee', zh: '业委会查看', en: "Owners' committee views" },
  'owner.self': { group: 'resident', zh: '业主自助', en: 'Owner self-service' },
  'platform.manage': { group: 'platform', zh: '平台运营：管理物业公司', en: 'Platform: manage property companies' },
} as const satisfies Record<string, { group: string; zh: string; en: string }>;

export type Permission = keyof typeof PERMISSIONS;
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}

const staffPermissions = ALL_PERMISSIONS.filter((p) => p !== 'owner.self' && p !== 'platform.manage');

/** Built-in roles every company starts with. Administrators may copy and edit them; the copies are theirs. */
export const BUILTIN_ROLES = [
  { key: 'admin', zh: '系统管理员', en: 'Administrator', permissions: staffPermissions },
  {
    key: 'manager',
    zh: '项目经理',
    en: 'Project manager',
    permissions: staffPermissions.filter((p) => !['role.manage', 'staff.manage', 'sms.read', 'job.read'].includes(p)),
  },
  {
    key: 'service',
    zh: '客服',
    en: 'Customer service',
    permissions: ['community.read', 'estate.read', 'resident.read', 'resident.manage', 'ticket.read', 'ticket.create', 'ticket.dispatch', 'ticket.returnVisit', 'billing.read', 'quality.rectify', 'file.upload', 'owner.manage'],
  },
  {
    key: 'cashier',
    zh: '收费员',
    en: 'Cashier',
    permissions: ['community.read', 'estate.read', 'resident.read', 'billing.read', 'billing.collect', 'file.upload'],
  },
  {
    key: 'technician',
    zh: '维修工',
    en: 'Technician',
    permissions: ['community.read', 'estate.read', 'ticket.read', 'ticket.work', 'equipment.read', 'equipment.maintain', 'patrol.checkin', 'quality.rectify', 'roster.read', 'file.upload'],
  },
  {
    key: 'security',
    zh: '秩序维护员',
    en: 'Security guard',
    permissions: ['community.read', 'estate.read', 'patrol.read', 'patrol.checkin', 'ticket.create', 'equipment.read', 'quality.rectify', 'roster.read', 'file.upload'],
  },
  { key: 'cleaner', zh: '保洁', en: 'Cleaner', permissions: ['community.read', 'patrol.checkin', 'equipment.read', 'cleaning.read', 'cleaning.work', 'quality.rectify', 'roster.read', 'file.upload'] },
  {
    key: 'quality',
    zh: '品质专员',
    en: 'Quality inspector',
    permissions: ['community.read', 'estate.read', 'patrol.read', 'equipment.read', 'quality.read', 'quality.manage', 'cleaning.read', 'roster.read', 'ticket.read', 'ticket.create', 'file.upload'],
  },
  { key: 'storekeeper', zh: '库管', en: 'Storekeeper', permissions: ['community.read', 'inventory.manage', 'equipment.read'] },
  {
    key: 'committee',
    zh: '业委会成员',
    en: "Owners' committee member",
    permissions: ['community.read', 'committee.view', 'ticket.approveMajor', 'billing.read'],
  },
  { key: 'owner', zh: '业主/住户', en: 'Owner / resident', permissions: ['owner.self', 'file.upload'] },
] as const satisfies ReadonlyArray<{ key: string; zh: string; en: string; permissions: readonly Permission[] }>;

export type BuiltinRoleKey = (typeof BUILTIN_ROLES)[number]['key'];
