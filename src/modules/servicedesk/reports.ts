import type { FastifyReply } from 'fastify';
import ExcelJS from 'exceljs';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { RequestContext } from '../../core/context.ts';
import type { Lang } from '../../core/messages.ts';
import type { ClockName, ClockState, TicketKind, TicketStatus } from '../../db/schema-service-desk.ts';
import { CLOCKS } from './rules.ts';
import { deskConfig } from './config.ts';
import * as fig from './dashboard.ts';
import { isoWeekDays, monthDays } from './dashboard-schema.ts';

/**
 * The service desk's .xlsx reports: the weekly analysis of complaints that went overdue (投诉超时周报) and the monthly
 * summary (服务质量月报) with the dashboard's figures against the company's targets. Both use the dashboard's scope
 * rules: the caller's communities, tickets reported in the period (business dates in the community's zone).
 */

type Label = Record<Lang, string>;
const L = (zh: string, en: string): Label => ({ 'zh-CN': zh, en });

const KIND: Record<TicketKind, Label> = {
  homeRepair: L('户内维修', 'In-home repair'),
  publicRepair: L('公共维修', 'Public repair'),
  complaint: L('投诉', 'Complaint'),
  inquiry: L('咨询', 'Inquiry'),
  paidService: L('特约服务', 'Paid service'),
};
const CLOCK: Record<ClockName, Label> = { respond: L('响应', 'Respond'), arrive: L('到场', 'Arrive'), resolve: L('完成', 'Resolve'), reply: L('答复', 'Reply') };
const STATUS: Record<TicketStatus, Label> = {
  submitted: L('待受理', 'Submitted'),
  accepted: L('已受理', 'Accepted'),
  dispatched: L('已派单', 'Dispatched'),
  arrived: L('已到场', 'On site'),
  inProgress: L('处理中', 'In progress'),
  paused: L('已暂停', 'Paused'),
  completed: L('已完成', 'Completed'),
  confirmed: L('已确认', 'Confirmed'),
  visited: L('已回访', 'Visited'),
  closed: L('已关闭', 'Closed'),
  cancelled: L('已取消', 'Cancelled'),
};
const CAUSE: Record<string, Label> = { pause: L('暂停', 'Paused'), extend: L('延期', 'Extended'), handBack: L('退单', 'Handed back'), transfer: L('转单', 'Transferred') };

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface Report {
  fileName: string;
  /** A plain-ASCII name for clients that do not read RFC 5987 `filename*`. */
  asciiName: string;
  data: Buffer;
}

interface Column {
  header: string;
  width: number;
  /** Number format, e.g. '0.0'. */
  format?: string;
}

/** A sheet with a bold, frozen header row; `warn` rows (early warnings: a target missed) are filled light red. */
function addSheet(wb: ExcelJS.Workbook, name: string, columns: Column[], rows: Array<Array<string | number | null>>, warn: (row: number) => boolean = () => false) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width, style: c.format ? { numFmt: c.format } : {} }));
  ws.getRow(1).font = { bold: true };
  rows.forEach((r, i) => {
    const row = ws.addRow(r);
    if (warn(i)) row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFCE4D6' } };
  });
  return ws;
}

const hours = (ms: number) => Math.round(ms / 360_000) / 10;

/** 'YYYY-MM-DD HH:mm' in the community's zone: what the desk saw on its clock, not UTC. */
/** 'YYYY-MM-DD HH:mm' in a time zone. */
export function localTime(at: Date, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at).map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Community prefix of a file name: the community's name when the report is about one. */
function prefixOf(s: fig.DashboardScope, all: boolean) {
  return all ? '' : `${s.communities[0].name}-`;
}

// ─────────────────────────────── Weekly: complaints that went overdue ───────────────────────────────

interface OverdueComplaint {
  id: string;
  no: string;
  title: string;
  severity: 'ordinary' | 'major';
  status: TicketStatus;
  reported_at: Date;
  community_name: string;
  time_zone: string;
  category_name: string;
  category_name_en: string | null;
  assignee_name: string | null;
  causes: Array<{ action: string; note: string }> | null;
}

export async function overdueComplaintsReport(db: Kysely<DB>, ctx: RequestContext, q: { week: string; communityId?: string }): Promise<Report> {
  const s = await fig.dashboardScope(db, ctx, { ...isoWeekDays(q.week), communityId: q.communityId });
  const lang = s.lang;
  const now = new Date();
  const late = sql.raw(CLOCKS.map((c) => `t.${c}_state IN ('overdue', 'metLate')`).join(' OR '));
  const clockCols = sql.raw(CLOCKS.map((c) => `t.${c}_due_at, t.${c}_done_at, t.${c}_state`).join(', '));
  const details = await sql<OverdueComplaint>`
    SELECT t.id, t.no, t.title, t.severity, t.status, t.reported_at, c.name AS community_name, c.time_zone, cat.name AS category_name, cat.name_en AS category_name_en,
      u.display_name AS assignee_name, ${clockCols},
      (SELECT json_agg(json_build_object('action', e.action, 'note', e.note) ORDER BY e.at)
         FROM ticket_events e WHERE e.ticket_id = t.id AND e.action IN ('pause', 'extend', 'handBack', 'transfer') AND e.note IS NOT NULL) AS causes
    FROM tickets t
    JOIN communities c ON c.id = t.community_id
    JOIN ticket_categories cat ON cat.id = t.category_id
    LEFT JOIN users u ON u.id = t.assignee_id
    WHERE ${fig.inScope(s)} AND t.kind = 'complaint' AND (${late})
    ORDER BY t.reported_at, t.no`.execute(db);
  // Every complaint of the week, for the share that went overdue.
  const totals = await sql<{ category: string; community: string; complaints: number; late: number; still_open: number }>`
    SELECT cat.name AS category, c.name AS community, count(*) AS complaints, count(*) FILTER (WHERE ${late}) AS late,
      count(*) FILTER (WHERE (${late}) AND t.status IN ('submitted', 'accepted', 'dispatched', 'arrived', 'inProgress', 'paused')) AS still_open
    FROM tickets t JOIN communities c ON c.id = t.community_id JOIN ticket_categories cat ON cat.id = t.category_id
    WHERE ${fig.inScope(s)} AND t.kind = 'complaint' GROUP BY 1, 2`.execute(db);

  const wb = new ExcelJS.Workbook();
  wb.creator = 'Anju 安居';
  const rows = details.rows.map((t) => {
    const row = t as unknown as Record<string, Date | string | null>;
    const broken = CLOCKS.filter((c) => row[`${c}_state`] === 'overdue' || row[`${c}_state`] === 'metLate');
    // The delay is the longest among the clocks that broke: until done, or until now while still running.
    const delays = broken.map((c) => ((row[`${c}_done_at`] as Date | null) ?? now).getTime() - (row[`${c}_due_at`] as Date).getTime());
    const worst = broken[delays.indexOf(Math.max(...delays))];
    const done = row[`${worst}_done_at`] as Date | null;
    return [
      t.no,
      t.community_name,
      lang === 'en' && t.category_name_en ? t.category_name_en : t.category_name,
      t.severity === 'major' ? (lang === 'en' ? 'Major' : '重大') : lang === 'en' ? 'Ordinary' : '一般',
      t.title,
      localTime(t.reported_at, t.time_zone),
      t.assignee_name ?? '',
      STATUS[t.status][lang],
      broken.map((c) => `${CLOCK[c][lang]}${(row[`${c}_state`] as ClockState) === 'overdue' ? (lang === 'en' ? ' (open)' : '（未完成）') : ''}`).join(lang === 'en' ? ', ' : '、'),
      localTime(row[`${worst}_due_at`] as Date, t.time_zone),
      done ? localTime(done, t.time_zone) : lang === 'en' ? 'not yet' : '未完成',
      hours(Math.max(...delays)),
      (t.causes ?? []).map((e) => `${CAUSE[e.action]?.[lang] ?? e.action}：${e.note}`).join('；'),
    ];
  });
  addSheet(
    wb,
    lang === 'en' ? 'Overdue complaints' : '超时投诉明细',
    [
      { header: lang === 'en' ? 'Ticket' : '工单号', width: 18 },
      { header: lang === 'en' ? 'Community' : '小区', width: 14 },
      { header: lang === 'en' ? 'Category' : '类别', width: 14 },
      { header: lang === 'en' ? 'Severity' : '严重程度', width: 9 },
      { header: lang === 'en' ? 'Title' : '标题', width: 28 },
      { header: lang === 'en' ? 'Reported' : '登记时间', width: 17 },
      { header: lang === 'en' ? 'Assignee' : '处理人', width: 10 },
      { header: lang === 'en' ? 'Status' : '状态', width: 9 },
      { header: lang === 'en' ? 'Late clocks' : '超时环节', width: 18 },
      { header: lang === 'en' ? 'Due' : '时限', width: 17 },
      { header: lang === 'en' ? 'Done' : '完成时间', width: 17 },
      { header: lang === 'en' ? 'Delay (h)' : '超时（小时）', width: 12, format: '0.0' },
      { header: lang === 'en' ? 'Cause (timeline notes)' : '原因（暂停、延期、退单、转单说明）', width: 40 },
    ],
    rows,
  );

  const summary = (key: 'category' | 'community') => {
    const acc = new Map<string, { complaints: number; late: number; open: number }>();
    for (const r of totals.rows) {
      const a = acc.get(r[key]) ?? { complaints: 0, late: 0, open: 0 };
      a.complaints += Number(r.complaints);
      a.late += Number(r.late);
      a.open += Number(r.still_open);
      acc.set(r[key], a);
    }
    return [...acc].sort((a, b) => b[1].late - a[1].late || a[0].localeCompare(b[0]));
  };
  const ws = wb.addWorksheet(lang === 'en' ? 'Summary' : '汇总');
  ws.columns = [{ width: 18 }, { width: 12 }, { width: 12 }, { width: 12 }, { width: 12 }];
  ws.addRow([lang === 'en' ? `Complaints of ${q.week} (${s.from} – ${s.to})` : `${q.week}（${s.from} 至 ${s.to}）投诉超时分析`]).font = { bold: true };
  for (const [key, title] of [
    ['category', lang === 'en' ? 'Category' : '类别'],
    ['community', lang === 'en' ? 'Community' : '小区'],
  ] as const) {
    ws.addRow([]);
    ws.addRow([title, lang === 'en' ? 'Complaints' : '投诉数', lang === 'en' ? 'Overdue' : '超时数', lang === 'en' ? 'Still open' : '其中未完成', lang === 'en' ? 'Overdue %' : '超时率%']).font = { bold: true };
    for (const [name, a] of summary(key)) ws.addRow([name, a.complaints, a.late, a.open, fig.percent(a.late, a.complaints)]);
  }
  const name = lang === 'en' ? `overdue-complaints-${q.week}.xlsx` : `${prefixOf(s, !q.communityId)}投诉超时分析-${q.week}.xlsx`;
  return { fileName: name, asciiName: `overdue-complaints-${q.week}.xlsx`, data: Buffer.from(await wb.xlsx.writeBuffer()) };
}

// ─────────────────────────────── Monthly summary ───────────────────────────────

export async function monthlyReport(db: Kysely<DB>, ctx: RequestContext, q: { month: string; communityId?: string }): Promise<Report> {
  const s = await fig.dashboardScope(db, ctx, { ...monthDays(q.month), communityId: q.communityId });
  const lang = s.lang;
  const { settings } = await deskConfig(db, s.companyId);
  const [totals, onTime, byKind, byCategory, byCommunity, byTechnician, visits, satisfaction, rework, overdue] = [
    await fig.figureTotals(db, s),
    await fig.figureOnTime(db, s),
    await fig.figureByKind(db, s),
    await fig.figureByCategory(db, s),
    await fig.figureByCommunity(db, s),
    await fig.figureByTechnician(db, s),
    await fig.figureReturnVisits(db, s),
    await fig.figureSatisfaction(db, s),
    await fig.figureRework(db, s),
    await fig.figureOverdue(db, s),
  ];
  const zoneOf = (communityName: string) => s.communities.find((c) => c.name === communityName)?.timeZone ?? 'Asia/Shanghai';
  const met = onTime.reduce((a, c) => a + c.met, 0);
  const judged = onTime.reduce((a, c) => a + c.met + c.metLate + c.overdue, 0);
  const timeliness = fig.percent(met, judged);
  const zh = lang !== 'en';
  const reached = (value: number | null, target: number) => (value === null ? '' : value >= target ? (zh ? '达标' : 'met') : zh ? '未达标' : 'missed');

  const wb = new ExcelJS.Workbook();
  wb.creator = 'Anju 安居';
  // Sheet 1: the month at a glance, with the targets; missed targets are the early warning (预警) and show in red.
  const figures: Array<[string, number | null, number | null, string]> = [
    [zh ? '登记工单' : 'Tickets registered', totals.created, null, ''],
    [zh ? '已完成' : 'Completed', totals.completed, null, ''],
    [zh ? '已关闭' : 'Closed', totals.closed, null, ''],
    [zh ? '未完成' : 'Open', totals.open, null, ''],
    [zh ? '其中已超时' : 'Open and overdue', totals.overdueOpen, null, ''],
    [zh ? '已取消' : 'Cancelled', totals.cancelled, null, ''],
    [zh ? '及时率 %（全部时限）' : 'On time % (all clocks)', timeliness, settings.timelinessTarget, reached(timeliness, settings.timelinessTarget)],
    ...onTime.map((c): [string, number | null, number | null, string] => [zh ? `${CLOCK[c.clock][lang]}及时率 %` : `${CLOCK[c.clock][lang]} on time %`, c.rate, null, '']),
    [zh ? '回访率 %' : 'Return-visit rate %', visits.rate, settings.returnVisitTarget, reached(visits.rate, settings.returnVisitTarget)],
    [zh ? '重大投诉回访率 %' : 'Major complaints visited %', visits.majorRate, 100, reached(visits.majorRate, 100)],
    [zh ? '满意率 %' : 'Satisfied %', satisfaction.satisfiedRate, settings.satisfactionTarget, reached(satisfaction.satisfiedRate, settings.satisfactionTarget)],
    [zh ? '平均评分（1–5）' : 'Average score (1–5)', satisfaction.average, null, ''],
    [zh ? '返修率 %' : 'Rework rate %', rework.rate, null, ''],
  ];
  const sheet1 = addSheet(
    wb,
    zh ? '月度汇总' : 'Summary',
    [
      { header: zh ? `指标（${q.month}）` : `Figure (${q.month})`, width: 26 },
      { header: zh ? '实际' : 'Actual', width: 10 },
      { header: zh ? '目标' : 'Target', width: 10 },
      { header: zh ? '是否达标' : 'Target met', width: 10 },
    ],
    figures.map(([label, value, target, verdict]) => (target === null ? [label, value] : [label, value, target, verdict])),
    (i) => figures[i][3] === (zh ? '未达标' : 'missed'),
  );
  sheet1.addRow([]);
  sheet1.addRow([zh ? `回访：应回访 ${visits.due}，已回访 ${visits.visited}；重大投诉 ${visits.majorComplaints}，已回访 ${visits.majorVisited}` : `Return visits: ${visits.visited} of ${visits.due}; major complaints ${visits.majorVisited} of ${visits.majorComplaints}`]);
  sheet1.addRow([zh ? `满意度：评价 ${satisfaction.rated} 单` : `Satisfaction: ${satisfaction.rated} rated tickets`]);

  const rate = zh ? '及时率 %' : 'On time %';
  const created = zh ? '登记数' : 'Registered';
  addSheet(wb, zh ? '按类型' : 'By kind', [{ header: zh ? '类型' : 'Kind', width: 14 }, { header: created, width: 10 }, { header: rate, width: 10 }], byKind.map((k) => [KIND[k.kind][lang], k.created, k.onTimeRate]), (i) => (byKind[i].onTimeRate ?? 100) < settings.timelinessTarget);
  addSheet(wb, zh ? '按类别' : 'By category', [{ header: zh ? '类别' : 'Category', width: 30 }, { header: created, width: 10 }, { header: rate, width: 10 }], byCategory.map((c) => [c.name, c.created, c.onTimeRate]), (i) => (byCategory[i].onTimeRate ?? 100) < settings.timelinessTarget);
  addSheet(
    wb,
    zh ? '按小区' : 'By community',
    [{ header: zh ? '小区' : 'Community', width: 16 }, { header: created, width: 10 }, { header: rate, width: 10 }, { header: zh ? '满意率 %' : 'Satisfied %', width: 10 }],
    byCommunity.map((c) => [c.name, c.created, c.onTimeRate, c.satisfaction]),
    (i) => (byCommunity[i].satisfaction ?? 100) < settings.satisfactionTarget || (byCommunity[i].onTimeRate ?? 100) < settings.timelinessTarget,
  );
  addSheet(
    wb,
    zh ? '按人员' : 'By technician',
    [
      { header: zh ? '人员' : 'Name', width: 12 },
      { header: zh ? '完成数' : 'Completed', width: 10 },
      { header: rate, width: 10 },
      { header: zh ? '平均评分' : 'Avg rating', width: 10 },
      { header: zh ? '返修率 %' : 'Rework %', width: 10 },
    ],
    byTechnician.map((x) => [x.name, x.completed, x.onTimeRate, x.avgRating, x.reworkRate]),
  );
  addSheet(
    wb,
    zh ? '超时未完成' : 'Overdue',
    [
      { header: zh ? '工单号' : 'Ticket', width: 18 },
      { header: zh ? '标题' : 'Title', width: 28 },
      { header: zh ? '小区' : 'Community', width: 14 },
      { header: zh ? '处理人' : 'Assignee', width: 10 },
      { header: zh ? '超时环节' : 'Clock', width: 10 },
      { header: zh ? '时限' : 'Due', width: 17 },
    ],
    overdue.map((o) => [o.no, o.title, o.communityName, o.assigneeName ?? '', CLOCK[o.clock][lang], localTime(new Date(o.dueAt), zoneOf(o.communityName))]),
  );
  const name = zh ? `${prefixOf(s, !q.communityId)}服务质量月报-${q.month}.xlsx` : `service-desk-monthly-${q.month}.xlsx`;
  return { fileName: name, asciiName: `service-desk-monthly-${q.month}.xlsx`, data: Buffer.from(await wb.xlsx.writeBuffer()) };
}

/** Sends an .xlsx with its name twice: plain ASCII for old clients, the real (Chinese) name per RFC 5987 for the rest. */
export function sendReport(reply: FastifyReply, file: Report) {
  return reply
    .header('content-type', XLSX_TYPE)
    .header('content-disposition', `attachment; filename="${file.asciiName}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
    .header('cache-control', 'no-store')
    .send(file.data);
}
