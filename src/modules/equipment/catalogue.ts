import type { ChecklistItem, MaintenanceCycle } from '../../db/schema-equipment.ts';

/**
 * The equipment catalogue: categories with the maintenance cycles and statutory checks a property company applies by
 * default (DOMAIN.md §6; TSG T5002 for lifts: maintenance at least every 15 days, annual inspection by the special-
 * equipment authority). Offered when a plan or an inspection is created; the company may change every figure.
 * No I/O: the web app imports this too.
 */

export const CATEGORIES = ['lift', 'transformer', 'switchgear', 'pump', 'fire', 'cctv', 'access', 'barrier', 'lighting', 'lightning', 'boiler', 'septic', 'playground', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface PlanTemplate {
  key: string;
  zh: string;
  en: string;
  cycle: MaintenanceCycle;
  interval: number;
  leadDays: number;
  checklist: ChecklistItem[];
}

export interface InspectionTemplate {
  kind: string;
  zh: string;
  en: string;
  cycleMonths: number;
  /** Who does it: 特种设备检验机构, 防雷检测机构 … */
  agencyZh: string;
}

export interface CategoryInfo {
  code: Category;
  zh: string;
  en: string;
  /** The service-desk category a fault of this kind is filed under (servicedesk/defaults.ts codes). */
  ticketCategory: 'elevator' | 'lighting' | 'sewer' | 'otherPublic';
  plans: PlanTemplate[];
  inspections: InspectionTemplate[];
}

const check = (label: string): ChecklistItem => ({ label, kind: 'check' });
const num = (label: string, unit: string, min: number | null, max: number | null): ChecklistItem => ({ label, kind: 'number', unit, min, max });

export const CATALOGUE: readonly CategoryInfo[] = [
  {
    code: 'lift', zh: '电梯', en: 'Lift', ticketCategory: 'elevator',
    plans: [
      { key: 'liftHalfMonth', zh: '电梯半月维保', en: 'Lift maintenance every 15 days', cycle: 'everyNDays', interval: 15, leadDays: 2, checklist: [check('机房环境、照明正常'), check('曳引机、制动器工作正常'), check('轿厢照明、风扇、紧急报警装置正常'), check('层门、轿门开关门正常，门锁可靠'), check('井道、底坑无杂物积水')] },
      { key: 'liftQuarter', zh: '电梯季度维保', en: 'Lift quarterly maintenance', cycle: 'quarterly', interval: 1, leadDays: 5, checklist: [check('曳引钢丝绳磨损、张力正常'), check('限速器、安全钳动作可靠'), check('缓冲器完好')] },
      { key: 'liftYear', zh: '电梯年度维保', en: 'Lift annual maintenance', cycle: 'yearly', interval: 1, leadDays: 15, checklist: [check('制动器解体检查'), check('平衡系数测试'), check('绝缘电阻测试')] },
    ],
    inspections: [{ kind: 'liftAnnual', zh: '电梯定期检验（年检）', en: 'Lift annual inspection', cycleMonths: 12, agencyZh: '特种设备检验研究院' }],
  },
  {
    code: 'transformer', zh: '变压器', en: 'Transformer', ticketCategory: 'otherPublic',
    plans: [
      { key: 'powerRoomDaily', zh: '配电房巡检', en: 'Power room round', cycle: 'daily', interval: 1, leadDays: 0, checklist: [num('变压器温度', '℃', null, 90), check('无异响、异味'), check('门窗、防鼠板完好')] },
      { key: 'transformerHalfYear', zh: '变压器保养', en: 'Transformer servicing', cycle: 'halfYearly', interval: 1, leadDays: 10, checklist: [check('清扫除尘'), check('紧固接线端子'), num('绝缘电阻', 'MΩ', 0.5, null)] },
    ],
    inspections: [
      { kind: 'hvSafety', zh: '高压电气预防性试验', en: 'HV safety test', cycleMonths: 24, agencyZh: '电力试验单位' },
      { kind: 'protectiveGear', zh: '高压绝缘工具校验', en: 'HV protective gear calibration', cycleMonths: 6, agencyZh: '电力安全工器具检测机构' },
    ],
  },
  {
    code: 'switchgear', zh: '高低压配电', en: 'Switchgear', ticketCategory: 'otherPublic',
    plans: [
      { key: 'lvHalfYear', zh: '低压配电柜保养', en: 'LV switchgear servicing', cycle: 'halfYearly', interval: 1, leadDays: 10, checklist: [check('清扫柜内积尘'), check('紧固母排、接线'), check('指示灯、仪表正常')] },
      { key: 'earthTest', zh: '绝缘及接地电阻测试', en: 'Insulation and earth test', cycle: 'halfYearly', interval: 1, leadDays: 10, checklist: [num('接地电阻', 'Ω', null, 4), num('绝缘电阻', 'MΩ', 0.5, null)] },
      { key: 'batteryYear', zh: '直流屏蓄电池核对性放电', en: 'Battery discharge test', cycle: 'yearly', interval: 1, leadDays: 15, checklist: [check('放电容量达标')] },
      { key: 'overhaul', zh: '春秋季检修', en: 'Spring/autumn overhaul', cycle: 'everyNMonths', interval: 6, leadDays: 10, checklist: [check('断路器操作试验'), check('电缆头检查')] },
    ],
    inspections: [{ kind: 'hvSafety', zh: '高压电气预防性试验', en: 'HV safety test', cycleMonths: 24, agencyZh: '电力试验单位' }],
  },
  {
    code: 'pump', zh: '水泵/二次供水', en: 'Pumps / secondary water supply', ticketCategory: 'otherPublic',
    plans: [
      { key: 'pumpRoomDaily', zh: '泵房巡检', en: 'Pump room round', cycle: 'daily', interval: 1, leadDays: 0, checklist: [num('出水压力', 'MPa', 0.2, 0.8), check('水泵无异响、无渗漏'), check('控制柜运行正常')] },
      { key: 'pumpMonth', zh: '水泵月度保养', en: 'Pump monthly servicing', cycle: 'monthly', interval: 1, leadDays: 3, checklist: [check('轴承加注润滑脂'), check('盘根/机械密封检查'), check('主备泵切换试验')] },
      { key: 'tankClean', zh: '二次供水水箱清洗消毒', en: 'Water tank cleaning', cycle: 'halfYearly', interval: 1, leadDays: 10, checklist: [check('清洗消毒完成'), check('水质检测报告已取得')] },
    ],
    inspections: [{ kind: 'waterQuality', zh: '二次供水水质检测', en: 'Water quality test', cycleMonths: 6, agencyZh: '疾控/水质检测机构' }],
  },
  {
    code: 'fire', zh: '消防', en: 'Fire protection', ticketCategory: 'otherPublic',
    plans: [
      { key: 'fireMonth', zh: '消防设施月检', en: 'Fire systems monthly check', cycle: 'monthly', interval: 1, leadDays: 3, checklist: [check('消防泵手动/自动启动正常'), num('管网压力', 'MPa', 0.3, null), check('消火栓箱设施齐全'), check('报警控制器无故障')] },
      { key: 'fireYear', zh: '消防设施年度检测', en: 'Fire systems annual test', cycle: 'yearly', interval: 1, leadDays: 30, checklist: [check('联动测试完成')] },
    ],
    inspections: [{ kind: 'fireSystem', zh: '建筑消防设施检测', en: 'Fire systems inspection', cycleMonths: 12, agencyZh: '消防技术服务机构' }],
  },
  {
    code: 'cctv', zh: '监控', en: 'CCTV', ticketCategory: 'otherPublic',
    plans: [{ key: 'cctvMonth', zh: '监控系统月度保养', en: 'CCTV monthly servicing', cycle: 'monthly', interval: 1, leadDays: 3, checklist: [check('画面清晰、无黑屏'), check('录像保存 ≥ 30 天'), check('镜头清洁')] }],
    inspections: [],
  },
  {
    code: 'access', zh: '门禁/对讲', en: 'Access control / intercom', ticketCategory: 'otherPublic',
    plans: [{ key: 'accessMonth', zh: '门禁对讲月度检查', en: 'Access control monthly check', cycle: 'monthly', interval: 1, leadDays: 3, checklist: [check('刷卡开门正常'), check('对讲通话清晰'), check('闭门器正常')] }],
    inspections: [],
  },
  {
    code: 'barrier', zh: '道闸', en: 'Barrier gate', ticketCategory: 'otherPublic',
    plans: [{ key: 'barrierMonth', zh: '道闸月度保养', en: 'Barrier monthly servicing', cycle: 'monthly', interval: 1, leadDays: 3, checklist: [check('起落杆正常、防砸有效'), check('车牌识别正常')] }],
    inspections: [],
  },
  {
    code: 'lighting', zh: '照明', en: 'Lighting', ticketCategory: 'lighting',
    plans: [{ key: 'lightingWeek', zh: '公共照明巡查', en: 'Public lighting round', cycle: 'weekly', interval: 1, leadDays: 0, checklist: [num('完好率', '%', 95, 100), num('楼梯间完好率', '%', 90, 100)] }],
    inspections: [],
  },
  {
    code: 'lightning', zh: '避雷', en: 'Lightning protection', ticketCategory: 'otherPublic',
    plans: [{ key: 'lightningCheck', zh: '避雷设施雨季前检查', en: 'Lightning protection check before the rainy season', cycle: 'yearly', interval: 1, leadDays: 15, checklist: [check('引下线、接闪带无断裂锈蚀')] }],
    inspections: [{ kind: 'lightningTest', zh: '防雷装置检测', en: 'Lightning protection test', cycleMonths: 12, agencyZh: '防雷检测机构' }],
  },
  {
    code: 'boiler', zh: '锅炉/换热站', en: 'Boiler / heat exchange', ticketCategory: 'otherPublic',
    plans: [{ key: 'boilerDaily', zh: '换热站巡检', en: 'Heat station round', cycle: 'daily', interval: 1, leadDays: 0, checklist: [num('供水温度', '℃', null, 95), num('压力', 'MPa', null, 1.0), check('安全阀、压力表在检定期内')] }],
    inspections: [
      { kind: 'pressureVessel', zh: '压力容器定期检验', en: 'Pressure vessel inspection', cycleMonths: 36, agencyZh: '特种设备检验研究院' },
      { kind: 'safetyValve', zh: '安全阀校验', en: 'Safety valve calibration', cycleMonths: 12, agencyZh: '特种设备检验研究院' },
      { kind: 'gaugeCalibration', zh: '压力表检定', en: 'Pressure gauge calibration', cycleMonths: 6, agencyZh: '计量检定机构' },
    ],
  },
  {
    code: 'septic', zh: '化粪池', en: 'Septic tank', ticketCategory: 'sewer',
    plans: [
      { key: 'septicQuarter', zh: '化粪池检查', en: 'Septic tank check', cycle: 'quarterly', interval: 1, leadDays: 5, checklist: [check('液位正常、无外溢'), check('井盖完好')] },
      { key: 'septicEmpty', zh: '化粪池清掏', en: 'Septic tank emptying', cycle: 'yearly', interval: 1, leadDays: 15, checklist: [check('清掏完成并取得联单')] },
      { key: 'wellsHalfYear', zh: '雨污水井清疏', en: 'Rain and sewage wells cleared', cycle: 'halfYearly', interval: 1, leadDays: 10, checklist: [check('井内无淤积'), check('管道通畅')] },
    ],
    inspections: [],
  },
  {
    code: 'playground', zh: '游乐健身设施', en: 'Playground / fitness', ticketCategory: 'otherPublic',
    plans: [{ key: 'playgroundWeek', zh: '游乐健身设施安全检查', en: 'Playground safety check', cycle: 'weekly', interval: 1, leadDays: 0, checklist: [check('无松动、锐边、断裂'), check('地面防护完好')] }],
    inspections: [],
  },
  { code: 'other', zh: '其他', en: 'Other', ticketCategory: 'otherPublic', plans: [], inspections: [] },
];

export function categoryInfo(code: string): CategoryInfo {
  return CATALOGUE.find((c) => c.code === code) ?? CATALOGUE[CATALOGUE.length - 1];
}
