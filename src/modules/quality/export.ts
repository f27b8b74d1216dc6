import ExcelJS from 'exceljs';
import type { Lang } from '../../core/messages.ts';
import { FONT, contentWidth, drawTable, pageFooters, renderPdf } from '../../core/pdf.ts';
import { localTime, type Report } from '../servicedesk/reports.ts';
import type { WeeklyReport } from './schema.ts';

/** The weekly supervision report (督导报告) as .xlsx and PDF: pure, report in, file out. */

const L = (zh: string, en: string) => ({ zh, en });
const LABELS = {
  title: L('品质督导周报', 'Weekly supervision report'),
  community: L('小区', 'Community'),
  week: L('周期', 'Week'),
  compiled: L('编制时间', 'Compiled'),
  summary: L('概况', 'Summary'),
  planned: L('计划检查', 'Inspections planned'),
  done: L('已完成检查', 'Inspections done'),
  average: L('平均得分率', 'Average score'),
  findings: L('发现问题', 'Findings'),
  due: L('本周到期整改', 'Notices due this week'),
  onTime: L('按时整改闭环', 'Closed on time'),
  rate: L('整改率', 'Rectification rate'),
  overdueCount: L('逾期未整改', 'Overdue'),
  inspections: L('检查记录', 'Inspections'),
  date: L('日期', 'Date'),
  inspection: L('检查', 'Inspection'),
  kind: L('类型', 'Kind'),
  inspector: L('检查人', 'Inspector'),
  status: L('状态', 'Status'),
  score: L('得分', 'Score'),
  byDepartment: L('问题按部门', 'Findings by department'),
  department: L('部门/责任人', 'Department / person'),
  deducted: L('扣分', 'Points deducted'),
  scores: L('部门得分率', 'Department scores'),
  overdue: L('逾期整改', 'Overdue notices'),
  no: L('编号', 'No.'),
  description: L('问题', 'Finding'),
  deadline: L('期限', 'Deadline'),
  escalated: L('升级', 'Escalated'),
  rewards: L('奖优罚劣', 'Rewards and penalties'),
  target: L('对象', 'To'),
  points: L('分数', 'Points'),
  amount: L('金额（元）', 'Amount (yuan)'),
  reason: L('事由', 'Reason'),
  none: L('无', 'None'),
};
const KIND = { scheduled: L('计划', 'Scheduled'), adhoc: L('临时', 'Ad hoc'), cross: L('交叉', 'Cross') };
const STATUS: Record<string, { zh: string; en: string }> = {
  planned: L('待检查', 'Planned'),
  inProgress: L('检查中', 'In progress'),
  submitted: L('已提交', 'Submitted'),
  cancelled: L('已取消', 'Cancelled'),
  open: L('待整改', 'Open'),
  returned: L('已退回', 'Returned'),
  rectified: L('待验证', 'Rectified'),
  closed: L('已消号', 'Closed'),
};
const REWARD = { reward: L('奖励', 'Reward'), penalty: L('处罚', 'Penalty') };
const ESCALATION = ['', L('已报部门负责人', 'Department head'), L('已报项目经理', 'Project manager')] as const;

function labeller(lang: Lang) {
  const k = lang === 'en' ? 'en' : 'zh';
  return { T: (key: keyof typeof LABELS) => LABELS[key][k], pick: (l: { zh: string; en: string }) => l[k] };
}
const pct = (p: number | null) => (p === null ? '—' : `${p}%`);
const yuan = (fen: number | null) => (fen === null ? '' : (fen / 100).toFixed(2));

function sections(r: WeeklyReport, lang: Lang, timeZone: string) {
  const { T, pick } = labeller(lang);
  return {
    head: [
      [T('community'), r.communityName],
      [T('week'), `${r.weekStart} ~ ${r.weekEnd}`],
      [T('compiled'), localTime(new Date(r.compiledAt), timeZone)],
    ],
    summary: [
      [T('planned'), String(r.inspectionsPlanned)],
      [T('done'), String(r.inspectionsDone)],
      [T('average'), pct(r.averagePercent)],
      [T('findings'), String(r.findingsTotal)],
      [T('due'), String(r.rectification.due)],
      [T('onTime'), String(r.rectification.closedOnTime)],
      [T('rate'), pct(r.rectification.rate)],
      [T('overdueCount'), String(r.overdue.length)],
    ],
    inspections: {
      header: [T('date'), T('inspection'), T('kind'), T('inspector'), T('status'), T('score'), T('findings')],
      rows: r.inspections.map((i) => [i.plannedOn, i.title, pick(KIND[i.kind]), i.inspector, pick(STATUS[i.status]!), i.score === null ? '—' : `${i.score}/${i.maxScore} (${pct(i.percent)})`, String(i.findings)]),
    },
    byDepartment: { header: [T('department'), T('findings'), T('deducted')], rows: r.findingsByDepartment.map((d) => [d.department, String(d.findings), String(d.deducted)]) },
    scores: { header: [T('department'), T('score')], rows: r.departmentScores.map((d) => [d.department, pct(d.percent)]) },
    overdue: {
      header: [T('no'), T('description'), T('department'), T('deadline'), T('status'), T('escalated')],
      rows: r.overdue.map((o) => [o.no, o.description, o.department ?? o.assignee ?? '', localTime(new Date(o.deadlineAt), timeZone), pick(STATUS[o.status]!), o.escalationLevel ? pick(ESCALATION[o.escalationLevel as 1 | 2]) : '']),
    },
    rewards: { header: [T('kind'), T('target'), T('points'), T('amount'), T('reason')], rows: r.rewards.map((w) => [pick(REWARD[w.kind]), w.target, w.points === null ? '' : String(w.points), yuan(w.amountFen), w.reason]) },
  };
}

const fileBase = (r: WeeklyReport, lang: Lang) => (lang === 'en' ? `supervision-report-${r.weekStart}` : `${r.communityName}-品质督导周报-${r.weekStart}`);

export async function weeklyReportXlsx(r: WeeklyReport, lang: Lang, timeZone: string): Promise<Report> {
  const { T } = labeller(lang);
  const s = sections(r, lang, timeZone);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Anju 安居';
  const sheet = (name: string, table: { header: string[]; rows: string[][] }, widths: number[]) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = table.header.map((header, i) => ({ header, width: widths[i] ?? 14 }));
    ws.getRow(1).font = { bold: true };
    for (const row of table.rows) ws.addRow(row);
    return ws;
  };
  const summary = wb.addWorksheet(T('summary'));
  summary.columns = [{ width: 20 }, { width: 30 }];
  summary.addRow([T('title')]).font = { bold: true, size: 14 };
  for (const row of [...s.head, [], ...s.summary]) summary.addRow(row);
  sheet(T('inspections'), s.inspections, [12, 24, 8, 10, 10, 18, 8]);
  sheet(T('byDepartment'), s.byDepartment, [20, 10, 10]);
  sheet(T('scores'), s.scores, [20, 12]);
  sheet(T('overdue'), s.overdue, [16, 36, 16, 17, 10, 14]);
  sheet(T('rewards'), s.rewards, [8, 16, 8, 12, 36]);
  return { fileName: `${fileBase(r, lang)}.xlsx`, asciiName: `supervision-report-${r.weekStart}.xlsx`, data: Buffer.from(await wb.xlsx.writeBuffer()) };
}

export async function weeklyReportPdf(r: WeeklyReport, lang: Lang, timeZone: string): Promise<Report> {
  const { T } = labeller(lang);
  const s = sections(r, lang, timeZone);
  const data = await renderPdf({ size: 'A4', margin: 42, title: `${T('title')} ${r.communityName} ${r.weekStart}`, lang }, (doc) => {
    const width = contentWidth(doc);
    doc.font(FONT.bold).fontSize(16).text(`${r.communityName} ${T('title')}`, { align: 'center' });
    doc.moveDown(0.3).font(FONT.regular).fontSize(10).text(s.head.slice(1).map(([k, v]) => `${k}：${v}`).join('    '), { align: 'center' });
    doc.moveDown(0.8);
    const heading = (text: string) => doc.moveDown(0.6).font(FONT.bold).fontSize(12).text(text).moveDown(0.3).font(FONT.regular);
    const table = (t: { header: string[]; rows: string[][] }, ratios: number[]) => {
      const total = ratios.reduce((a, b) => a + b, 0);
      if (!t.rows.length) {
        doc.fontSize(10).text(T('none'));
        return;
      }
      drawTable(doc, { columns: t.header.map((header, i) => ({ header, width: (width * ratios[i]!) / total })), rows: t.rows, fontSize: 9 });
    };
    heading(T('summary'));
    table({ header: [T('summary'), ''], rows: s.summary }, [1, 1]);
    heading(T('inspections'));
    table(s.inspections, [12, 24, 8, 10, 10, 18, 8]);
    heading(T('byDepartment'));
    table(s.byDepartment, [3, 1, 1]);
    heading(T('scores'));
    table(s.scores, [3, 1]);
    heading(T('overdue'));
    table(s.overdue, [16, 36, 16, 17, 10, 14]);
    heading(T('rewards'));
    table(s.rewards, [8, 16, 8, 12, 36]);
    const range = doc.bufferedPageRange();
    pageFooters(doc, range.start, range.count, (n, count) => `${r.communityName} ${r.weekStart} — ${n}/${count}`);
  });
  return { fileName: `${fileBase(r, lang)}.pdf`, asciiName: `supervision-report-${r.weekStart}.pdf`, data };
}
