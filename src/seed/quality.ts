import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { DepartmentKind } from '../db/schema-rosters.ts';
import type { InspectionKind, NoticeStatus } from '../db/schema-quality.ts';
import { localDate, zonedInstant } from '../modules/servicedesk/deadlines.ts';
import { addDays, inspectionScore, noticeNo, weekStartOf } from '../modules/quality/rules.ts';
import { storeWeeklyReport } from '../modules/quality/report.ts';

/**
 * Demo quality data for 锦华园 (JHY) of demo-a: four checklist templates, the Wednesday cleaning inspection and the
 * monthly joint inspection as schedules, the last four weeks' inspections with findings, notices in every state
 * (two closed, one overdue and escalated to the project manager, one sent back, one waiting for verification, one
 * open, one withdrawn), rewards and penalties, an ad hoc inspection planned for today, and last week's supervision
 * report. Idempotent: a company that has quality templates is left alone.
 */

type Item = readonly [label: string, points: number, kind: DepartmentKind];
const TEMPLATES: ReadonlyArray<{ name: string; description: string; items: readonly Item[] }> = [
  {
    name: '保洁周检',
    description: '每周三保洁质量检查',
    items: [
      ['大堂地面干净、无污渍、无积水', 10, 'cleaning'],
      ['电梯轿厢及按钮干净无手印', 10, 'cleaning'],
      ['楼梯扶手、栏杆无积灰', 10, 'cleaning'],
      ['垃圾桶外观清洁、周边无散落垃圾', 10, 'cleaning'],
      ['垃圾日产日清，无满溢', 10, 'cleaning'],
      ['道路广场无烟头纸屑', 10, 'cleaning'],
      ['信报箱、消防栓箱无积灰', 10, 'cleaning'],
      ['地下车库地面无油污杂物', 10, 'cleaning'],
      ['公共卫生间无异味', 10, 'cleaning'],
      ['保洁人员着装规范、工具摆放整齐', 10, 'cleaning'],
    ],
  },
  {
    name: '秩序维护检查',
    description: '岗位纪律与安全防范',
    items: [
      ['岗亭整洁、着装规范、精神饱满', 10, 'security'],
      ['来访登记完整', 10, 'security'],
      ['巡逻按时、记录完整', 10, 'security'],
      ['消防通道畅通无堆放', 15, 'security'],
      ['监控中心24小时有人值守', 15, 'security'],
      ['车辆停放有序', 10, 'security'],
    ],
  },
  {
    name: '工程设施检查',
    description: '公共设施设备完好',
    items: [
      ['公共照明完好（楼道≥90%）', 15, 'engineering'],
      ['配电房整洁、记录完整', 15, 'engineering'],
      ['水泵房无渗漏', 15, 'engineering'],
      ['电梯运行正常、年检标志有效', 15, 'engineering'],
      ['消防设施完好、压力正常', 20, 'engineering'],
      ['维修工具及备件管理规范', 10, 'engineering'],
    ],
  },
  {
    name: '月度联合检查',
    description: '客服主管牵头的月度联合检查',
    items: [
      ['前台接待礼仪', 10, 'service'],
      ['投诉报修回访及时', 10, 'service'],
      ['公共区域环境卫生', 15, 'cleaning'],
      ['绿化修剪、无枯枝黄叶', 10, 'greening'],
      ['秩序维护及消防安全', 15, 'security'],
      ['设备设施运行', 15, 'engineering'],
      ['公告栏信息及时更新', 5, 'service'],
      ['装修巡查记录', 10, 'security'],
    ],
  },
];

const DEPARTMENTS: ReadonlyArray<{ name: string; kind: DepartmentKind }> = [
  { name: '秩序部', kind: 'security' },
  { name: '保洁部', kind: 'cleaning' },
  { name: '工程部', kind: 'engineering' },
  { name: '客服部', kind: 'service' },
  { name: '品质部', kind: 'quality' },
];

interface Finding {
  template: string;
  item: number;
  description: string;
  location: string;
  deduction: number;
  department: string;
  assignee: string | null;
  status: NoticeStatus;
  /** Days from the inspection to the deadline. */
  days: number;
}

export async function seedQualitys(db: Kysely<DB>, companyCodes: readonly string[], now = new Date()): Promise<void> {
  if (!companyCodes.includes('demo-a')) return;
  const company = await db.selectFrom('companies').select('id').where('code', '=', 'demo-a').executeTakeFirst();
  if (!company) return;
  const companyId = company.id;
  if (await db.selectFrom('quality_templates').select('id').where('company_id', '=', companyId).limit(1).executeTakeFirst()) return;
  const jhy = await db.selectFrom('communities').select(['id', 'name', 'time_zone']).where('company_id', '=', companyId).where('code', '=', 'JHY').executeTakeFirst();
  if (!jhy) return;
  const users = await db.selectFrom('users').select(['id', 'username']).where('company_id', '=', companyId).where('username', 'in', ['admin', 'jingli', 'pinzhi', 'baojie', 'baoan', 'weixiu', 'kefu']).execute();
  const u = (name: string) => users.find((x) => x.username === name)?.id ?? null;
  const pinzhi = u('pinzhi');
  const jingli = u('jingli');
  if (!pinzhi || !jingli) return;
  const zone = jhy.time_zone;
  const today = localDate(now, zone);
  const monday = weekStartOf(today);
  const at = (day: string, time: string) => zonedInstant(day, time, zone);

  await db.transaction().execute(async (trx) => {
    // Departments normally come from the roster seed; made here only if it did not run.
    await trx
      .insertInto('departments')
      .values(DEPARTMENTS.map((d) => ({ company_id: companyId, name: d.name, kind: d.kind, head_id: d.kind === 'quality' ? pinzhi : jingli })))
      .onConflict((oc) => oc.columns(['company_id', 'name']).doNothing())
      .execute();
    const departments = await trx.selectFrom('departments').select(['id', 'name']).where('company_id', '=', companyId).execute();
    const dept = (name: string) => departments.find((d) => d.name === name)!.id;

    const templates = await trx
      .insertInto('quality_templates')
      .values(TEMPLATES.map((t) => ({ company_id: companyId, name: t.name, description: t.description, created_by: pinzhi })))
      .returning(['id', 'name'])
      .execute();
    const tpl = (name: string) => templates.find((t) => t.name === name)!.id;
    await trx
      .insertInto('quality_template_items')
      .values(TEMPLATES.flatMap((t) => t.items.map(([label, points, kind], i) => ({ company_id: companyId, template_id: tpl(t.name), sort_order: i + 1, label, max_points: points, department_kind: kind }))))
      .execute();
    await trx
      .insertInto('quality_schedules')
      .values([
        { company_id: companyId, community_id: jhy.id, template_id: tpl('保洁周检'), name: '保洁周检（每周三）', frequency: 'weekly', weekday: 3, inspector_id: pinzhi, created_by: pinzhi },
        { company_id: companyId, community_id: jhy.id, template_id: tpl('秩序维护检查'), name: '秩序维护周检（每周五）', frequency: 'weekly', weekday: 5, inspector_id: pinzhi, created_by: pinzhi },
        { company_id: companyId, community_id: jhy.id, template_id: tpl('月度联合检查'), name: '月度联合检查（每月28日）', frequency: 'monthly', month_day: 28, inspector_id: jingli, created_by: pinzhi },
      ])
      .execute();

    // The last four weeks: the Wednesday cleaning inspection, a Friday security inspection, one engineering check.
    const past: Array<{ template: string; day: string; kind: InspectionKind; inspector: string; deductions: Record<number, number>; findings: Finding[] }> = [];
    for (const weeksAgo of [4, 3, 2, 1]) {
      const wed = addDays(monday, -7 * weeksAgo + 2);
      past.push({ template: '保洁周检', day: wed, kind: 'scheduled', inspector: pinzhi, deductions: { 5: weeksAgo % 2 ? 1 : 0 }, findings: [] });
      past.push({ template: '秩序维护检查', day: addDays(wed, 2), kind: 'scheduled', inspector: pinzhi, deductions: { 2: weeksAgo === 2 ? 2 : 0 }, findings: [] });
    }
    past.push({ template: '工程设施检查', day: addDays(monday, -6), kind: 'adhoc', inspector: jingli, deductions: {}, findings: [] });
    const f = (template: string, weeksAgo: number, finding: Omit<Finding, 'template'>) => past.find((p) => p.template === template && p.day === addDays(monday, -7 * weeksAgo + (template === '保洁周检' ? 2 : 4)))!.findings.push({ template, ...finding });
    f('保洁周检', 3, { item: 0, description: '1栋大堂地面有污渍', location: '1栋大堂', deduction: 3, department: '保洁部', assignee: 'baojie', status: 'closed', days: 1 });
    f('保洁周检', 2, { item: 1, description: '2栋电梯轿厢不锈钢面手印多', location: '2栋1单元电梯', deduction: 2, department: '保洁部', assignee: 'baojie', status: 'closed', days: 1 });
    f('保洁周检', 2, { item: 3, description: '垃圾桶周边有散落垃圾', location: '3栋东侧垃圾站', deduction: 3, department: '保洁部', assignee: null, status: 'open', days: 2 });
    f('保洁周检', 1, { item: 2, description: '5栋楼梯扶手积灰', location: '5栋2单元楼梯', deduction: 2, department: '保洁部', assignee: 'baojie', status: 'returned', days: 9 });
    f('秩序维护检查', 1, { item: 3, description: '消防通道堆放杂物', location: '地下车库B区消防通道', deduction: 5, department: '秩序部', assignee: 'baoan', status: 'rectified', days: 2 });
    f('秩序维护检查', 1, { item: 1, description: '来访登记缺少离开时间', location: '南门岗亭', deduction: 2, department: '秩序部', assignee: null, status: 'cancelled', days: 2 });
    past.find((p) => p.template === '工程设施检查')!.findings.push({ template: '工程设施检查', item: 0, description: '地下车库照明灯不亮（3盏）', location: '地下车库C区', deduction: 3, department: '工程部', assignee: 'weixiu', status: 'open', days: 10 });

    let counter = 0;
    const year = Number(today.slice(0, 4));
    const events: Array<{ notice_id: string; at: Date; actor_id: string | null; actor_name: string | null; action: string; from_status: NoticeStatus | null; to_status: NoticeStatus | null; note: string | null; payload: string }> = [];
    for (const p of past) {
      const def = TEMPLATES.find((t) => t.name === p.template)!;
      const maxScore = def.items.reduce((s, [, pts]) => s + pts, 0);
      const submittedAt = at(p.day, '10:30');
      const insp = await trx
        .insertInto('quality_inspections')
        .values({ company_id: companyId, community_id: jhy.id, template_id: tpl(p.template), template_version: 1, kind: p.kind, title: p.kind === 'adhoc' ? '总经理安排·工程设施抽查' : p.template, planned_on: p.day, inspector_id: p.inspector, ordered_by: p.kind === 'adhoc' ? u('admin') : null, status: 'submitted', max_score: maxScore, started_at: at(p.day, '09:00'), submitted_at: submittedAt })
        .returning('id')
        .executeTakeFirstOrThrow();
      const items = await trx
        .insertInto('quality_inspection_items')
        .values(def.items.map(([label, pts, kind], i) => ({ company_id: companyId, inspection_id: insp.id, sort_order: i + 1, label, max_points: pts, department_kind: kind, deducted: p.deductions[i] ?? 0 })))
        .returning(['id', 'sort_order', 'max_points', 'deducted'])
        .execute();
      const itemAt = (i: number) => items.find((x) => x.sort_order === i + 1)!.id;
      for (const fd of p.findings) {
        const deadline = at(addDays(p.day, fd.days), '18:00');
        const rectifiedAt = fd.status === 'open' || fd.status === 'cancelled' ? null : at(addDays(p.day, fd.days), '15:00');
        const overdueLevel = fd.status === 'open' && now.getTime() - deadline.getTime() > 86_400_000 ? 2 : fd.status === 'open' && now > deadline ? 1 : 0;
        const n = await trx
          .insertInto('quality_notices')
          .values({
            company_id: companyId,
            community_id: jhy.id,
            no: noticeNo(year, ++counter),
            inspection_id: insp.id,
            item_id: itemAt(fd.item),
            description: fd.description,
            location: fd.location,
            deduction: fd.deduction,
            department_id: dept(fd.department),
            assignee_id: fd.assignee ? u(fd.assignee) : null,
            deadline_at: deadline,
            status: fd.status,
            rectified_at: rectifiedAt,
            rectify_note: rectifiedAt ? '已按要求整改' : null,
            closed_at: fd.status === 'closed' ? at(addDays(p.day, fd.days), '17:00') : null,
            escalation_level: overdueLevel,
            created_by: p.inspector,
            created_at: submittedAt,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const ev = (time: Date, actor: string | null, name: string | null, action: string, from: NoticeStatus | null, to: NoticeStatus | null, note: string | null, payload: object = {}) =>
          events.push({ notice_id: n.id, at: time, actor_id: actor, actor_name: name, action, from_status: from, to_status: to, note, payload: JSON.stringify(payload) });
        const inspectorName = p.inspector === pinzhi ? '郑洁' : '刘洋';
        ev(submittedAt, p.inspector, inspectorName, 'issue', null, 'open', fd.description);
        const fixDay = addDays(p.day, fd.days);
        if (fd.status === 'returned') {
          ev(at(fixDay, '11:00'), u('baojie'), '钱芳', 'rectify', 'open', 'rectified', '已擦拭');
          ev(at(fixDay, '16:00'), pinzhi, '郑洁', 'sendBack', 'rectified', 'returned', '扶手转角处仍有积灰，请重新清洁');
        } else if (rectifiedAt) {
          ev(rectifiedAt, fd.assignee ? u(fd.assignee) : null, fd.assignee === 'baoan' ? '吴刚' : '钱芳', 'rectify', 'open', 'rectified', '已按要求整改');
        }
        if (fd.status === 'closed') ev(at(fixDay, '17:00'), p.inspector, inspectorName, 'verify', 'rectified', 'closed', '复查合格，消号');
        if (fd.status === 'cancelled') ev(at(p.day, '16:00'), pinzhi, '郑洁', 'cancel', 'open', 'cancelled', '登记表已补齐，误报');
        if (overdueLevel >= 1) ev(new Date(deadline.getTime() + 60_000), null, null, 'escalate', null, null, null, { level: 1 });
        if (overdueLevel === 2) ev(new Date(deadline.getTime() + 86_400_000 + 60_000), null, null, 'escalate', null, null, null, { level: 2 });
      }
      const score = inspectionScore(
        items.map((i) => ({ id: i.id, maxPoints: i.max_points, deducted: i.deducted })),
        p.findings.filter((x) => x.status !== 'cancelled').map((x) => ({ itemId: itemAt(x.item), deduction: x.deduction })),
      ).score;
      await trx.updateTable('quality_inspections').set({ score }).where('id', '=', insp.id).execute();
    }
    await trx.insertInto('quality_notice_events').values(events.map((e) => ({ ...e, company_id: companyId }))).execute();
    await trx.insertInto('quality_counters').values({ company_id: companyId, year, last: counter }).execute();

    // Today: an ad hoc inspection ordered by the general manager, waiting for the inspector on the phone.
    const today$ = await trx
      .insertInto('quality_inspections')
      .values({ company_id: companyId, community_id: jhy.id, template_id: tpl('保洁周检'), template_version: 1, kind: 'adhoc', title: '总经理临时抽查·保洁', planned_on: today, inspector_id: pinzhi, ordered_by: u('admin'), max_score: 100 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`
      INSERT INTO quality_inspection_items (company_id, inspection_id, sort_order, label, max_points, department_kind, guidance)
      SELECT ${companyId}, ${today$.id}, sort_order, label, max_points, department_kind, guidance FROM quality_template_items WHERE template_id = ${tpl('保洁周检')}`.execute(trx);

    const notices = await trx.selectFrom('quality_notices').select(['id', 'description']).where('company_id', '=', companyId).execute();
    const noticeOf = (d: string) => notices.find((n) => n.description === d)?.id ?? null;
    await trx
      .insertInto('quality_rewards')
      .values([
        { company_id: companyId, community_id: jhy.id, kind: 'reward', user_id: u('baojie'), points: 5, amount_fen: 10000, reason: '大堂污渍当天整改完毕，质量好', notice_id: noticeOf('1栋大堂地面有污渍'), occurred_on: addDays(monday, -19), created_by: jingli },
        { company_id: companyId, community_id: jhy.id, kind: 'penalty', department_id: dept('保洁部'), points: 3, reason: '垃圾站散落垃圾逾期未整改', notice_id: noticeOf('垃圾桶周边有散落垃圾'), occurred_on: addDays(monday, -9), created_by: jingli },
        { company_id: companyId, community_id: jhy.id, kind: 'penalty', user_id: u('baoan'), points: 2, amount_fen: 5000, reason: '消防通道堆放杂物', notice_id: noticeOf('消防通道堆放杂物'), occurred_on: addDays(monday, -3), created_by: jingli },
        { company_id: companyId, community_id: jhy.id, kind: 'reward', department_id: dept('秩序部'), points: 3, reason: '月度秩序维护检查满分', occurred_on: addDays(monday, -10), created_by: jingli },
      ])
      .execute();
    await storeWeeklyReport(trx, companyId, jhy, addDays(monday, -7), now, null);
  });
}
