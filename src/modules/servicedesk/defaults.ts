import type { ClockSpec, Severity, TicketKind, Urgency } from '../../db/schema-service-desk.ts';

/**
 * What a company starts with: categories per kind and the default time limits of DOMAIN.md §4 (the 礼宾助理 rules
 * and the level-1 national standard). Administrators edit both per company and override them per community.
 */
export const DEFAULT_CATEGORIES: ReadonlyArray<{ kind: TicketKind; code: string; name: string; nameEn: string }> = [
  { kind: 'homeRepair', code: 'waterElectric', name: '水电', nameEn: 'Water & electricity' },
  { kind: 'homeRepair', code: 'doorWindow', name: '门窗', nameEn: 'Doors & windows' },
  { kind: 'homeRepair', code: 'drain', name: '管道疏通', nameEn: 'Blocked drains' },
  { kind: 'homeRepair', code: 'simple', name: '简单维修（灯泡、门锁、小配件）', nameEn: 'Simple repair (bulb, lock, small part)' },
  { kind: 'homeRepair', code: 'otherHome', name: '其他户内维修', nameEn: 'Other in-home repair' },
  { kind: 'publicRepair', code: 'elevator', name: '电梯', nameEn: 'Lifts' },
  { kind: 'publicRepair', code: 'lighting', name: '公共照明', nameEn: 'Public lighting' },
  { kind: 'publicRepair', code: 'doorGlass', name: '门、玻璃及五金', nameEn: 'Doors, glass and fittings' },
  { kind: 'publicRepair', code: 'sewer', name: '井盖、污水、积水', nameEn: 'Manholes, sewage, standing water' },
  { kind: 'publicRepair', code: 'otherPublic', name: '其他公共设施', nameEn: 'Other public facilities' },
  { kind: 'complaint', code: 'noise', name: '噪音扰民', nameEn: 'Noise and nuisance' },
  { kind: 'complaint', code: 'attitude', name: '服务态度', nameEn: 'Staff attitude' },
  { kind: 'complaint', code: 'environment', name: '环境卫生', nameEn: 'Cleanliness' },
  { kind: 'complaint', code: 'otherComplaint', name: '其他投诉', nameEn: 'Other complaints' },
  { kind: 'inquiry', code: 'fee', name: '收费咨询', nameEn: 'Fee questions' },
  { kind: 'inquiry', code: 'general', name: '一般咨询', nameEn: 'General questions' },
  { kind: 'inquiry', code: 'procedure', name: '其他部门办事咨询', nameEn: "Other departments' procedures" },
  { kind: 'paidService', code: 'paidRepair', name: '有偿维修', nameEn: 'Paid repair' },
  { kind: 'paidService', code: 'housekeeping', name: '家政保洁', nameEn: 'Housekeeping' },
];

export interface DefaultPolicy {
  kind: TicketKind;
  categoryCode: string | null;
  urgency: Urgency | null;
  severity: Severity | null;
  clocks: ClockSpec;
  note: string;
}

const min = (amount: number) => ({ amount, unit: 'minutes' as const });
const hours = (amount: number) => ({ amount, unit: 'hours' as const });
const days = (amount: number) => ({ amount, unit: 'days' as const });
const halfDays = (amount: number) => ({ amount, unit: 'halfDays' as const });
const workingDays = (amount: number) => ({ amount, unit: 'workingDays' as const });

export const DEFAULT_POLICIES: readonly DefaultPolicy[] = [
  { kind: 'homeRepair', categoryCode: null, urgency: null, severity: null, clocks: { respond: min(30), resolve: workingDays(7) }, note: '其他户内维修：约定时间，≤7个工作日' },
  { kind: 'homeRepair', categoryCode: null, urgency: 'urgent', severity: null, clocks: { respond: min(5), arrive: min(10), resolve: hours(4) }, note: '紧急户内维修（漏水、停水停电、堵塞）：10分钟到场' },
  { kind: 'homeRepair', categoryCode: 'simple', urgency: null, severity: null, clocks: { respond: min(30), resolve: halfDays(1) }, note: '简单维修：半天内完成' },
  { kind: 'publicRepair', categoryCode: null, urgency: null, severity: null, clocks: { respond: min(30), resolve: workingDays(3) }, note: '公共部位维修：≤3个工作日' },
  { kind: 'publicRepair', categoryCode: null, urgency: 'urgent', severity: null, clocks: { respond: min(5), arrive: min(10), resolve: hours(24) }, note: '紧急公共故障（井盖缺失、污水外溢、积水）：10分钟到场' },
  { kind: 'publicRepair', categoryCode: 'doorGlass', urgency: null, severity: null, clocks: { respond: min(30), resolve: workingDays(2) }, note: '门、玻璃五金：2个工作日' },
  { kind: 'publicRepair', categoryCode: 'lighting', urgency: null, severity: null, clocks: { respond: min(30), resolve: days(2) }, note: '公共照明：2天' },
  { kind: 'publicRepair', categoryCode: 'otherPublic', urgency: null, severity: null, clocks: { respond: min(30), resolve: workingDays(5) }, note: '其他公共设施故障：5个工作日' },
  { kind: 'complaint', categoryCode: null, urgency: null, severity: null, clocks: { respond: min(30), arrive: hours(8), reply: hours(8) }, note: '其他投诉：8小时到场、8小时书面答复' },
  { kind: 'complaint', categoryCode: 'noise', urgency: null, severity: null, clocks: { respond: min(5), arrive: min(15), reply: hours(8) }, note: '邻里投诉（装修噪音、夜间噪音）：15分钟上门' },
  { kind: 'complaint', categoryCode: 'attitude', urgency: null, severity: null, clocks: { respond: min(30), reply: halfDays(1) }, note: '服务态度投诉（一般）：半天' },
  { kind: 'complaint', categoryCode: 'attitude', urgency: null, severity: 'major', clocks: { respond: min(30), reply: days(2) }, note: '服务态度投诉（严重）：2天' },
  { kind: 'inquiry', categoryCode: null, urgency: null, severity: null, clocks: { reply: min(30) }, note: '一般咨询：30分钟' },
  { kind: 'inquiry', categoryCode: 'fee', urgency: null, severity: null, clocks: { reply: min(30) }, note: '收费咨询：即时答复或30分钟内到场' },
  { kind: 'inquiry', categoryCode: 'procedure', urgency: null, severity: null, clocks: { reply: workingDays(2) }, note: '其他部门办事咨询：2个工作日' },
  { kind: 'paidService', categoryCode: null, urgency: null, severity: null, clocks: { reply: hours(24) }, note: '特约服务：24小时内答复' },
];

/** Return-visit questions shown to the owner and asked by customer service. */
export const RETURN_VISIT_QUESTIONS = [
  { key: 'resolved', zh: '问题是否已经解决？', en: 'Was the problem solved?' },
  { key: 'punctual', zh: '工作人员是否按约定时间到场？', en: 'Did the staff arrive at the agreed time?' },
  { key: 'tidy', zh: '完工后现场是否清理干净？', en: 'Was the site left clean?' },
  { key: 'satisfaction', zh: '您对本次服务的满意度（1–5）', en: 'How satisfied are you (1–5)?' },
] as const;
