import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Permission } from '../core/permissions.ts';
import type { RequestContext } from '../core/context.ts';
import { localDate } from '../modules/servicedesk/deadlines.ts';
import { CATALOGUE, type Category } from '../modules/equipment/catalogue.ts';
import { addDays, addMonths } from '../modules/equipment/rules.ts';
import { generateMaintenanceTasks } from '../modules/equipment/plans.ts';
import { fileFaultTicket } from '../modules/equipment/faults.ts';
import { loadEquipment } from '../modules/equipment/repo.ts';

/**
 * Demo equipment of 锦华苑 (JHY, company demo-a): about thirty items across the categories, maintenance plans from the
 * catalogue with three weeks of tasks (most done, a few overdue), statutory inspections with their last records — two
 * lifts whose 年检 falls due within 30 days — and one barrier in 故障 with its repair ticket. Idempotent: a community
 * that already has equipment is left alone.
 */

interface Item {
  code: string;
  name: string;
  category: Category;
  location: string;
  building?: string;
  model?: string;
  manufacturer?: string;
  installed?: string;
  specs?: Array<[string, string]>;
  contractor?: [string, string];
}

const LIFT_CONTRACTOR: [string, string] = ['苏州通力电梯维保有限公司', '0512-66881234'];
const ITEMS: Item[] = [
  ...[1, 2, 3, 5, 6].flatMap((b) => [1, 2].map((n): Item => ({
    code: `DT-${b}0${n}`, name: `${b}栋${n}号电梯`, category: 'lift', location: `${n}号梯`, building: `${b}栋`, model: 'MonoSpace 500', manufacturer: '通力电梯', installed: '2018-06-20',
    specs: [['额定载重', '1000 kg'], ['额定速度', '1.75 m/s'], ['层站', '18/18']], contractor: LIFT_CONTRACTOR,
  }))),
  { code: 'BY-01', name: '1号箱式变压器', category: 'transformer', location: '配电房', model: 'SCB11-800/10', manufacturer: '正泰电气', installed: '2018-03-10', specs: [['容量', '800 kVA'], ['电压', '10/0.4 kV']] },
  { code: 'BY-02', name: '2号箱式变压器', category: 'transformer', location: '配电房', model: 'SCB11-800/10', manufacturer: '正泰电气', installed: '2018-03-10', specs: [['容量', '800 kVA']] },
  { code: 'PD-01', name: '高压开关柜', category: 'switchgear', location: '配电房', model: 'KYN28A-12', manufacturer: '施耐德', installed: '2018-03-10' },
  { code: 'PD-02', name: '低压配电柜', category: 'switchgear', location: '配电房', model: 'GCS', manufacturer: '施耐德', installed: '2018-03-10' },
  { code: 'SB-01', name: '生活水泵1号', category: 'pump', location: '1号水泵房 B1-07', model: 'CDLF32-50', manufacturer: '南方泵业', installed: '2018-05-01', specs: [['流量', '32 m³/h'], ['功率', '7.5 kW']] },
  { code: 'SB-02', name: '生活水泵2号', category: 'pump', location: '1号水泵房 B1-07', model: 'CDLF32-50', manufacturer: '南方泵业', installed: '2018-05-01', specs: [['流量', '32 m³/h'], ['功率', '7.5 kW']] },
  { code: 'SX-01', name: '二次供水水箱', category: 'pump', location: '1号水泵房 B1-07', model: '不锈钢 60 m³', installed: '2018-05-01' },
  { code: 'XF-01', name: '消火栓泵1号', category: 'fire', location: '消防泵房 B1-05', model: 'XBD8/30', manufacturer: '上海连成', installed: '2018-05-01' },
  { code: 'XF-02', name: '喷淋泵1号', category: 'fire', location: '消防泵房 B1-05', model: 'XBD8/25', manufacturer: '上海连成', installed: '2018-05-01' },
  { code: 'XF-03', name: '火灾报警控制器', category: 'fire', location: '消防控制室 1栋一层', model: 'JB-QB-GST200', manufacturer: '海湾安全', installed: '2018-06-01' },
  { code: 'JK-01', name: '东门监控摄像机', category: 'cctv', location: '东门岗亭', model: 'DS-2CD3T47', manufacturer: '海康威视', installed: '2021-04-01' },
  { code: 'JK-02', name: '地库入口监控', category: 'cctv', location: '地下车库入口', model: 'DS-2CD3T47', manufacturer: '海康威视', installed: '2021-04-01' },
  { code: 'JK-03', name: '监控硬盘录像机', category: 'cctv', location: '监控中心', model: 'DS-8632N', manufacturer: '海康威视', installed: '2021-04-01' },
  { code: 'MJ-01', name: '1栋单元门禁', category: 'access', location: '1单元', building: '1栋', manufacturer: '立林', installed: '2018-06-01' },
  { code: 'DZ-01', name: '东门车辆道闸', category: 'barrier', location: '东门', manufacturer: '捷顺科技', installed: '2020-09-01' },
  { code: 'DZ-02', name: '地库入口道闸', category: 'barrier', location: '地下车库入口', manufacturer: '捷顺科技', installed: '2020-09-01' },
  { code: 'ZM-01', name: '小区路灯', category: 'lighting', location: '主干道', installed: '2018-06-01', specs: [['数量', '86 盏']] },
  { code: 'BL-01', name: '防雷接地系统', category: 'lightning', location: '各楼栋屋面', installed: '2018-06-01' },
  { code: 'HF-01', name: '1号化粪池', category: 'septic', location: '3栋北侧', installed: '2018-06-01' },
  { code: 'HF-02', name: '2号化粪池', category: 'septic', location: '6栋北侧', installed: '2018-06-01' },
  { code: 'YL-01', name: '儿童游乐设施', category: 'playground', location: '中心花园', installed: '2019-05-01' },
  { code: 'JS-01', name: '室外健身器材', category: 'playground', location: '中心花园', installed: '2019-05-01' },
];

/** Plans from the catalogue: [category, template key, start (days before today)]. */
const PLANS: Array<[Category, string, number]> = [
  ['lift', 'liftHalfMonth', 40],
  ['pump', 'pumpRoomDaily', 21],
  ['transformer', 'powerRoomDaily', 21],
  ['fire', 'fireMonth', 25],
  ['cctv', 'cctvMonth', 12],
  ['barrier', 'barrierMonth', 5],
  ['septic', 'septicQuarter', 80],
  ['lighting', 'lightingWeek', 20],
  ['playground', 'playgroundWeek', 20],
  ['switchgear', 'lvHalfYear', 170],
];

export async function seedEquipments(db: Kysely<DB>, companyCodes: readonly string[], now = new Date()): Promise<void> {
  if (!companyCodes.includes('demo-a')) return;
  const company = await db.selectFrom('companies').select('id').where('code', '=', 'demo-a').executeTakeFirst();
  if (!company) return;
  const companyId = company.id;
  const jhy = await db.selectFrom('communities').select(['id', 'time_zone']).where('company_id', '=', companyId).where('code', '=', 'JHY').executeTakeFirst();
  if (!jhy) return;
  if (await db.selectFrom('equipment').select('id').where('community_id', '=', jhy.id).limit(1).executeTakeFirst()) return;
  const users = new Map((await db.selectFrom('users').select(['id', 'username']).where('company_id', '=', companyId).where('username', 'in', ['weixiu', 'jingli']).execute()).map((u) => [u.username, u.id]));
  const weixiu = users.get('weixiu') ?? null;
  const jingli = users.get('jingli') ?? null;
  const buildings = new Map((await db.selectFrom('buildings').select(['id', 'name']).where('community_id', '=', jhy.id).execute()).map((b) => [b.name, b.id]));
  const today = localDate(now, jhy.time_zone);

  const made = await db.transaction().execute(async (trx) => {
    const rows = await trx
      .insertInto('equipment')
      .values(
        ITEMS.map((i) => ({
          company_id: companyId, community_id: jhy.id, code: `JHY-${i.code}`, name: i.name, category: i.category, location: i.location, building_id: (i.building && buildings.get(i.building)) || null,
          model: i.model ?? null, manufacturer: i.manufacturer ?? null, installed_on: i.installed ?? null, made_on: i.installed ? addMonths(i.installed, -4) : null, serial_no: i.model ? `SN${i.code.replace('-', '')}${(i.installed ?? '').slice(0, 4)}` : null,
          specs: JSON.stringify((i.specs ?? []).map(([label, value]) => ({ label, value }))), vendor: i.manufacturer ?? null, contractor_name: i.contractor?.[0] ?? (i.category === 'lift' ? null : '本公司工程部'), contractor_phone: i.contractor?.[1] ?? null,
          responsible_id: i.category === 'fire' || i.category === 'cctv' ? jingli : weixiu, status_changed_at: `${i.installed ?? '2018-06-01'}T09:00:00+08:00`, created_by: jingli,
        })),
      )
      .returning(['id', 'code', 'category'])
      .execute();
    await trx.insertInto('equipment_status_history').values(rows.map((r) => ({ company_id: companyId, equipment_id: r.id, from_status: null, to_status: 'normal' as const, reason: '建档', changed_by: jingli, changed_at: new Date('2024-01-02T09:00:00+08:00') }))).execute();

    // One pump stopped: the standby was taken out of service while its seal is replaced.
    const spare = rows.find((r) => r.code === 'JHY-SB-02')!;
    const stoppedAt = new Date(now.getTime() - 6 * 86_400_000);
    await trx.updateTable('equipment').set({ status: 'stopped', status_changed_at: stoppedAt }).where('id', '=', spare.id).execute();
    await trx.insertInto('equipment_status_history').values({ company_id: companyId, equipment_id: spare.id, from_status: 'normal', to_status: 'stopped', reason: '机械密封漏水，待配件更换，暂停使用', changed_by: jingli, changed_at: stoppedAt }).execute();

    await trx
      .insertInto('maintenance_plans')
      .values(
        PLANS.map(([category, key, back]) => {
          const t = CATALOGUE.find((c) => c.code === category)!.plans.find((p) => p.key === key)!;
          return { company_id: companyId, community_id: jhy.id, category, name: t.zh, cycle: t.cycle, interval: t.interval, start_on: addDays(today, -back), checklist: JSON.stringify(t.checklist), assignee_id: weixiu, lead_days: Math.min(t.leadDays, 3), created_by: jingli };
        }),
      )
      .execute();

    // Statutory inspections: lift 年检 (two within 30 days), HV tests and gear, lightning, fire systems, water quality.
    const inspections: Array<{ code: string; kind: string; name: string; months: number; agency: string; due: string }> = [];
    const lifts = rows.filter((r) => r.category === 'lift');
    lifts.forEach((l, i) => inspections.push({ code: l.code, kind: 'liftAnnual', name: '电梯定期检验（年检）', months: 12, agency: '苏州市特种设备检验研究院', due: i === 0 ? addDays(today, 12) : i === 1 ? addDays(today, 26) : addDays(today, 70 + i * 20) }));
    inspections.push(
      { code: 'JHY-BY-01', kind: 'hvSafety', name: '高压电气预防性试验', months: 24, agency: '国网苏州供电公司试验所', due: addDays(today, 140) },
      { code: 'JHY-BY-01', kind: 'protectiveGear', name: '高压绝缘工具校验', months: 6, agency: '电力安全工器具检测中心', due: addDays(today, 45) },
      { code: 'JHY-BL-01', kind: 'lightningTest', name: '防雷装置检测', months: 12, agency: '苏州市防雷检测中心', due: addDays(today, 55) },
      { code: 'JHY-XF-03', kind: 'fireSystem', name: '建筑消防设施检测', months: 12, agency: '苏州消防技术服务公司', due: addDays(today, 200) },
      { code: 'JHY-SX-01', kind: 'waterQuality', name: '二次供水水质检测', months: 6, agency: '苏州市疾控中心', due: addDays(today, -3) },
    );
    const byCode = new Map(rows.map((r) => [r.code, r.id]));
    const insp = await trx
      .insertInto('equipment_inspections')
      .values(inspections.map((i) => ({ company_id: companyId, community_id: jhy.id, equipment_id: byCode.get(i.code)!, kind: i.kind, name: i.name, cycle_months: i.months, agency: i.agency, next_due_on: i.due, created_by: jingli })))
      .returning(['id', 'equipment_id', 'kind'])
      .execute();
    await trx
      .insertInto('inspection_records')
      .values(
        insp.map((row, n) => {
          const i = inspections[n];
          const on = addMonths(i.due, -i.months);
          return { company_id: companyId, inspection_id: row.id, equipment_id: row.equipment_id, inspected_on: on, certificate_no: `${i.kind.slice(0, 2).toUpperCase()}-${on.replaceAll('-', '')}-${String(n + 1).padStart(3, '0')}`, result: 'passed' as const, agency: i.agency, next_due_on: i.due, recorded_by: weixiu };
        }),
      )
      .execute();
    return { barrier: byCode.get('JHY-DZ-01')! };
  });

  // Three weeks of tasks, generated as the daily job would have; then most are done, a few left overdue.
  await generateMaintenanceTasks(db, { day: addDays(today, -21), through: today, communityIds: [jhy.id] });
  await generateMaintenanceTasks(db, { day: today, communityIds: [jhy.id] });
  await sql`
    UPDATE maintenance_tasks t SET status = 'done', done_by = ${weixiu}, done_at = (t.due_on + time '10:30') AT TIME ZONE ${jhy.time_zone},
      answers = (SELECT COALESCE(jsonb_agg(jsonb_build_object('index', o - 1, 'ok', CASE WHEN x->>'kind' = 'check' THEN true END,
                   'value', CASE WHEN x->>'kind' = 'number' THEN COALESCE((x->>'min')::numeric + 0.1, (x->>'max')::numeric * 0.8) END)), '[]')
                   FROM jsonb_array_elements(t.checklist) WITH ORDINALITY AS a(x, o))
    WHERE t.community_id = ${jhy.id} AND t.status = 'open' AND t.due_on < ${addDays(today, -1)}::date
      AND NOT (t.title LIKE '监控系统月度保养%' OR (t.title LIKE '化粪池检查%' AND t.due_on >= ${addDays(today, -7)}::date))`.execute(db);

  // The east gate barrier broke this morning: reported by 周强 from its label, a ticket on the desk.
  if (weixiu) {
    const permissions = new Set<Permission>(['equipment.read', 'equipment.maintain', 'ticket.create', 'ticket.read']);
    const ctx: RequestContext = { actor: { userId: weixiu, sessionId: 'seed', kind: 'staff', companyId, username: 'weixiu', displayName: '周强', permissions, communityIds: 'all' }, requestId: 'seed', ip: '127.0.0.1', lang: 'zh-CN' };
    const quiet = { warn() {}, error() {}, info() {} };
    const e = await loadEquipment(db, ctx.actor, made.barrier);
    await fileFaultTicket({ db, sms: undefined as never, log: quiet as never }, ctx, e, { description: '道闸起杆后不落杆，车牌识别正常，疑似电机故障；已临时人工值守放行', urgency: 'urgent', photoFileIds: [] }, { kind: 'report' });
  }
}
