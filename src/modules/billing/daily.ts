import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, can, canSeeCommunity, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import type { Lang } from '../../core/messages.ts';
import type { PaymentMethod } from '../../db/schema-payments.ts';
import { localDate } from '../servicedesk/deadlines.ts';
import { localTime, type Report } from '../servicedesk/reports.ts';
import { listPayments } from './payment-read.ts';
import { PAYMENT_METHODS } from './payment-schema.ts';
import type { CashierClosing, CloseDayInput, DailyReport, DailyReportQuery, MethodFigure } from './daily-schema.ts';

/**
 * 收款日报 and 交账. The report adds up a community's succeeded payments of one business date (the community's local
 * date of paid_at) by method and by collector — owners' online payments under "online" — and nets the refunds paid
 * back that day. A refund is counted under the collector of the payment it returns: that collector's takings are
 * what it reduces. A cashier (billing.collect without billing.manage) sees their own counter payments and the owners'
 * online ones, not their colleagues' takings.
 *
 * At the end of the day each cashier hands the takings over: the day's counter figures are frozen in a
 * cashier_closings row, once. A counter payment booked for that day afterwards makes the closing differ from the
 * day's figures, which the report flags (changedSinceClose).
 */

/** More payments than this in a day are summed exactly but not listed one by one. */
const MAX_LISTED = 5000;

type Label = Record<Lang, string>;
const L = (zh: string, en: string): Label => ({ 'zh-CN': zh, en });
const METHOD_LABELS: Record<PaymentMethod, Label> = {
  cash: L('现金', 'Cash'),
  pos: L('POS 刷卡', 'POS'),
  transfer: L('银行转账', 'Bank transfer'),
  wechatpay: L('微信支付', 'WeChat Pay'),
  alipay: L('支付宝', 'Alipay'),
  sandbox: L('沙箱（演示）', 'Sandbox (demo)'),
};
const ONLINE = L('线上缴费', 'Online');

interface Scope {
  companyId: string;
  community: { id: string; name: string; timeZone: string };
  date: string;
  /** Only this collector's payments (and the refunds of them); null for everyone's. */
  collectorId: string | null;
  /** With collectorId: the owners' online payments too (a cashier's default view: theirs and online, not colleagues'). */
  withOnline: boolean;
}

/** The community (404 when not the caller's), the business date and whose payments the caller may see. */
async function scopeOf(db: Db, ctx: RequestContext, q: DailyReportQuery): Promise<Scope> {
  requirePermission(ctx.actor, 'billing.read');
  const companyId = companyOf(ctx.actor);
  const c = await db.selectFrom('communities').select(['id', 'name', 'time_zone']).where('id', '=', q.communityId).where('company_id', '=', companyId).executeTakeFirst();
  if (!c || !canSeeCommunity(ctx.actor, c.id)) throw new NotFoundError('community');
  const ownOnly = can(ctx.actor, 'billing.collect') && !can(ctx.actor, 'billing.manage');
  if (ownOnly && q.collectorId && q.collectorId !== ctx.actor.userId) throw new ForbiddenError('billing.manage');
  return {
    companyId,
    community: { id: c.id, name: c.name, timeZone: c.time_zone },
    date: q.date ?? localDate(new Date(), c.time_zone),
    collectorId: ownOnly ? ctx.actor.userId : (q.collectorId ?? null),
    withOnline: ownOnly && !q.collectorId,
  };
}

interface FigureRow {
  channel: 'counter' | 'owner';
  collector_id: string | null;
  method: PaymentMethod;
  count: number;
  amount: number;
}

/** The day's succeeded payments by channel, collector and method. */
function paymentFigures(db: Db, s: Pick<Scope, 'companyId' | 'date' | 'collectorId'> & { communityId: string; withOnline?: boolean }, counterOnly = false): Promise<FigureRow[]> {
  return db
    .selectFrom('payments as p')
    .select((eb) => ['p.channel', 'p.collector_id', 'p.method', eb.fn.countAll<number>().as('count'), sql<number>`sum(p.amount_fen)::bigint`.as('amount')])
    .where('p.company_id', '=', s.companyId)
    .where('p.business_date', '=', s.date)
    .where('p.community_id', '=', s.communityId)
    .where('p.status', '=', 'succeeded')
    .$if(s.collectorId !== null, (qb) => qb.where((eb) => (s.withOnline ? eb.or([eb('p.collector_id', '=', s.collectorId!), eb('p.channel', '=', 'owner')]) : eb('p.collector_id', '=', s.collectorId!))))
    .$if(counterOnly, (qb) => qb.where('p.channel', '=', 'counter'))
    .groupBy(['p.channel', 'p.collector_id', 'p.method'])
    .execute();
}

/** Refunds paid back on the day, by the refunded payment's channel, collector and method. */
function refundFigures(db: Db, s: Scope): Promise<FigureRow[]> {
  return db
    .selectFrom('refunds as f')
    .innerJoin('payments as p', 'p.id', 'f.payment_id')
    .select((eb) => ['p.channel', 'p.collector_id', 'p.method', eb.fn.countAll<number>().as('count'), sql<number>`sum(f.amount_fen)::bigint`.as('amount')])
    .where('f.company_id', '=', s.companyId)
    .where('f.business_date', '=', s.date)
    .where('f.community_id', '=', s.community.id)
    .where('f.status', '=', 'refunded')
    .$if(s.collectorId !== null, (qb) => qb.where((eb) => (s.withOnline ? eb.or([eb('p.collector_id', '=', s.collectorId!), eb('p.channel', '=', 'owner')]) : eb('p.collector_id', '=', s.collectorId!))))
    .groupBy(['p.channel', 'p.collector_id', 'p.method'])
    .execute();
}

/** Rows added up by method, in the fixed order of methods, leaving out methods with nothing. */
function byMethod(rows: readonly FigureRow[]): MethodFigure[] {
  return PAYMENT_METHODS.flatMap((method) => {
    const of = rows.filter((r) => r.method === method);
    return of.length ? [{ method, count: sum(of, 'count'), amountFen: sum(of, 'amount') }] : [];
  });
}

const sum = (rows: readonly FigureRow[], key: 'count' | 'amount') => rows.reduce((s, r) => s + Number(r[key]), 0);
const groupKey = (r: Pick<FigureRow, 'channel' | 'collector_id'>) => (r.channel === 'owner' ? 'online' : r.collector_id!);

/** The hand-overs of a community's day (one collector's, when given), with the day's figures now beside them. */
async function closingsOf(db: Db, s: Pick<Scope, 'companyId' | 'date' | 'collectorId'> & { communityId: string }): Promise<CashierClosing[]> {
  const [rows, now] = await Promise.all([
    db
      .selectFrom('cashier_closings as k')
      .leftJoin('users as u', 'u.id', 'k.collector_id')
      .leftJoin('users as b', 'b.id', 'k.closed_by')
      .select(['k.id', 'k.community_id', 'k.collector_id', 'u.display_name as collector_name', 'k.business_date', 'k.total_fen', 'k.by_method', 'k.payment_count', 'b.display_name as closed_name', 'k.closed_at'])
      .where('k.company_id', '=', s.companyId)
      .where('k.community_id', '=', s.communityId)
      .where('k.business_date', '=', s.date)
      .$if(s.collectorId !== null, (qb) => qb.where('k.collector_id', '=', s.collectorId!))
      .orderBy('k.closed_at')
      .execute(),
    paymentFigures(db, s, true),
  ]);
  return rows.map((k) => {
    const mine = now.filter((r) => r.collector_id === k.collector_id);
    const currentFen = sum(mine, 'amount');
    const currentCount = sum(mine, 'count');
    return {
      id: k.id,
      communityId: k.community_id,
      collectorId: k.collector_id,
      collectorName: k.collector_name,
      businessDate: k.business_date,
      totalFen: k.total_fen,
      paymentCount: k.payment_count,
      byMethod: PAYMENT_METHODS.filter((m) => k.by_method[m] !== undefined).map((method) => ({ method, amountFen: k.by_method[method] })),
      closedBy: k.closed_name,
      closedAt: k.closed_at.toISOString(),
      currentFen,
      currentCount,
      changedSinceClose: currentFen !== k.total_fen || currentCount !== k.payment_count,
    };
  });
}

export async function dailyReport(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: DailyReportQuery): Promise<DailyReport> {
  const s = await scopeOf(deps.db, ctx, q);
  const at = { ...s, communityId: s.community.id };
  const [paid, refunded, closings, listed] = await Promise.all([
    paymentFigures(deps.db, at),
    refundFigures(deps.db, s),
    closingsOf(deps.db, at),
    listPayments(deps, ctx, { communityId: s.community.id, status: 'succeeded', from: s.date, to: s.date, collectorId: s.collectorId ?? undefined, withOnline: s.withOnline, page: 1, pageSize: MAX_LISTED }),
  ]);
  const collectorIds = [...new Set([...paid, ...refunded].map((r) => r.collector_id).filter((id): id is string => id !== null))];
  const names = collectorIds.length ? await deps.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', collectorIds).execute() : [];
  const nameOf = new Map(names.map((u) => [u.id, u.display_name]));

  const keys = [...new Set([...paid, ...refunded].map(groupKey))];
  const byCollector = keys
    .map((key) => {
      const mine = paid.filter((r) => groupKey(r) === key);
      const back = sum(refunded.filter((r) => groupKey(r) === key), 'amount');
      const online = key === 'online';
      const amountFen = sum(mine, 'amount');
      return {
        collectorId: online ? null : key,
        name: online ? ONLINE[ctx.lang] : (nameOf.get(key) ?? key),
        channel: online ? ('online' as const) : ('counter' as const),
        count: sum(mine, 'count'),
        amountFen,
        byMethod: byMethod(mine),
        refundFen: back,
        netFen: amountFen - back,
      };
    })
    .sort((a, b) => (a.channel === b.channel ? a.name.localeCompare(b.name, 'zh-CN') : a.channel === 'counter' ? -1 : 1));

  const totalFen = sum(paid, 'amount');
  const refundFen = sum(refunded, 'amount');
  return {
    date: s.date,
    communityId: s.community.id,
    communityName: s.community.name,
    collectorId: s.collectorId,
    totals: { count: sum(paid, 'count'), amountFen: totalFen },
    byMethod: byMethod(paid),
    byCollector,
    refunds: { count: sum(refunded, 'count'), amountFen: refundFen, byMethod: byMethod(refunded) },
    netFen: totalFen - refundFen,
    payments: [...listed.items].sort((a, b) => (a.paidAt ?? '').localeCompare(b.paidAt ?? '') || a.tradeNo.localeCompare(b.tradeNo)),
    closings,
  };
}

/**
 * 交账: the caller hands over their own counter takings of a day in a community. The figures are frozen as they are
 * now; a second hand-over of the same day is refused (409), whoever tries.
 */
export async function closeDay(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: CloseDayInput): Promise<CashierClosing> {
  requirePermission(ctx.actor, 'billing.collect');
  const companyId = companyOf(ctx.actor);
  const c = await deps.db.selectFrom('communities').select(['id', 'time_zone']).where('id', '=', input.communityId).where('company_id', '=', companyId).executeTakeFirst();
  if (!c || !canSeeCommunity(ctx.actor, c.id)) throw new NotFoundError('community');
  if (input.date > localDate(new Date(), c.time_zone)) throw new ValidationError('date', 'validation.closeFutureDay');
  const me = ctx.actor.userId;
  const at = { companyId, communityId: c.id, date: input.date, collectorId: me };
  await deps.db.transaction().execute(async (trx) => {
    const closed = () =>
      trx.selectFrom('cashier_closings').select(['id', 'closed_at']).where('community_id', '=', c.id).where('collector_id', '=', me).where('business_date', '=', input.date).executeTakeFirst();
    const refuse = (k: { id: string; closed_at: Date }) => new ConflictError('conflict.dayClosed', { date: input.date, at: localTime(k.closed_at, c.time_zone) }, { closingId: k.id });
    const existing = await closed();
    if (existing) throw refuse(existing);
    const figures = await paymentFigures(trx, at, true);
    const methods = Object.fromEntries(byMethod(figures).map((m) => [m.method, m.amountFen]));
    const row = await trx
      .insertInto('cashier_closings')
      .values({ company_id: companyId, community_id: c.id, collector_id: me, business_date: input.date, total_fen: sum(figures, 'amount'), by_method: JSON.stringify(methods), payment_count: sum(figures, 'count'), closed_by: me })
      .onConflict((oc) => oc.columns(['community_id', 'collector_id', 'business_date']).doNothing())
      .returning('id')
      .executeTakeFirst();
    // Two hand-overs at once: the other one committed first.
    if (!row) throw refuse((await closed())!);
    await writeAudit(trx, ctx, {
      action: 'cashierClosing.create',
      entityType: 'cashierClosing',
      entityId: row.id,
      after: { communityId: c.id, businessDate: input.date, totalFen: sum(figures, 'amount'), paymentCount: sum(figures, 'count'), byMethod: methods },
    });
  });
  const [closing] = await closingsOf(deps.db, at);
  return closing;
}

// ─────────────────────────────── Export ───────────────────────────────

/** 收款日报.xlsx: the summary by method and collector, the payments of the day, the hand-overs. Amounts in 元. */
export async function dailyReportXlsx(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: DailyReportQuery): Promise<Report> {
  const r = await dailyReport(deps, ctx, q);
  const zone = (await deps.db.selectFrom('communities').select('time_zone').where('id', '=', r.communityId).executeTakeFirstOrThrow()).time_zone;
  const lang = ctx.lang;
  const en = lang === 'en';
  const T = (zh: string, english: string) => (en ? english : zh);
  const yuan = (fen: number) => fen / 100;
  const money = { numFmt: '#,##0.00' };
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Anju 安居';

  const summary = wb.addWorksheet(T('收款日报', 'Daily report'));
  summary.columns = [{ width: 22 }, { width: 12 }, { width: 16, style: money }];
  summary.addRow([T('小区', 'Community'), r.communityName]);
  summary.addRow([T('日期', 'Date'), r.date]);
  if (r.collectorId) summary.addRow([T('收费员', 'Collector'), r.byCollector.find((c) => c.collectorId === r.collectorId)?.name ?? r.closings[0]?.collectorName ?? '']);
  const table = (title: string, rows: MethodFigure[], total: { count: number; amountFen: number }) => {
    summary.addRow([]);
    summary.addRow([title, T('笔数', 'Count'), T('金额（元）', 'Amount (yuan)')]).font = { bold: true };
    for (const m of rows) summary.addRow([METHOD_LABELS[m.method][lang], m.count, yuan(m.amountFen)]);
    summary.addRow([T('合计', 'Total'), total.count, yuan(total.amountFen)]).font = { bold: true };
  };
  table(T('收款方式', 'Payments by method'), r.byMethod, r.totals);
  table(T('退款（按原收款方式）', 'Refunds by method'), r.refunds.byMethod, r.refunds);
  summary.addRow([]);
  summary.addRow([T('净收款', 'Net'), null, yuan(r.netFen)]).font = { bold: true };

  const people = wb.addWorksheet(T('按收费员', 'By collector'), { views: [{ state: 'frozen', ySplit: 1 }] });
  people.columns = [
    { header: T('收费员', 'Collector'), width: 16 },
    { header: T('笔数', 'Count'), width: 8 },
    { header: T('收款（元）', 'Taken (yuan)'), width: 14, style: money },
    ...PAYMENT_METHODS.map((m) => ({ header: `${METHOD_LABELS[m][lang]}${T('（元）', ' (yuan)')}`, width: 14, style: money })),
    { header: T('退款（元）', 'Refunded (yuan)'), width: 14, style: money },
    { header: T('净额（元）', 'Net (yuan)'), width: 14, style: money },
    { header: T('交账', 'Handed over'), width: 20 },
  ];
  people.getRow(1).font = { bold: true };
  for (const c of r.byCollector) {
    const closing = r.closings.find((k) => k.collectorId === c.collectorId);
    const handed = closing ? `${localTime(new Date(closing.closedAt), zone)}${closing.changedSinceClose ? T('（之后有变动）', ' (changed since)') : ''}` : '';
    people.addRow([c.name, c.count, yuan(c.amountFen), ...PAYMENT_METHODS.map((m) => yuan(c.byMethod.find((x) => x.method === m)?.amountFen ?? 0)), yuan(c.refundFen), yuan(c.netFen), handed]);
  }
  people.addRow([T('合计', 'Total'), r.totals.count, yuan(r.totals.amountFen), ...PAYMENT_METHODS.map((m) => yuan(r.byMethod.find((x) => x.method === m)?.amountFen ?? 0)), yuan(r.refunds.amountFen), yuan(r.netFen), '']).font = { bold: true };

  const detail = wb.addWorksheet(T('收款明细', 'Payments'), { views: [{ state: 'frozen', ySplit: 1 }] });
  detail.columns = [
    { header: T('收款时间', 'Paid at'), width: 17 },
    { header: T('交易号', 'Trade no.'), width: 28 },
    { header: T('收据号', 'Receipt no.'), width: 15 },
    { header: T('房屋', 'Room'), width: 14 },
    { header: T('缴款人', 'Payer'), width: 12 },
    { header: T('方式', 'Method'), width: 12 },
    { header: T('收费员', 'Collector'), width: 12 },
    { header: T('金额（元）', 'Amount (yuan)'), width: 14, style: money },
    { header: T('已退（元）', 'Refunded (yuan)'), width: 14, style: money },
  ];
  detail.getRow(1).font = { bold: true };
  for (const p of r.payments) {
    detail.addRow([p.paidAt ? localTime(new Date(p.paidAt), zone) : '', p.tradeNo, p.receiptNo ?? '', p.roomLabel ?? '', p.payerName ?? '', METHOD_LABELS[p.method][lang], p.collectorName ?? ONLINE[lang], yuan(p.amountFen), yuan(p.refundedFen)]);
  }

  const hand = wb.addWorksheet(T('交账', 'Hand-overs'), { views: [{ state: 'frozen', ySplit: 1 }] });
  hand.columns = [
    { header: T('收费员', 'Collector'), width: 16 },
    { header: T('交账时间', 'Handed over at'), width: 17 },
    { header: T('交账笔数', 'Count'), width: 10 },
    { header: T('交账金额（元）', 'Amount (yuan)'), width: 16, style: money },
    { header: T('当前笔数', 'Count now'), width: 10 },
    { header: T('当前金额（元）', 'Amount now (yuan)'), width: 16, style: money },
    { header: T('交账后有变动', 'Changed since'), width: 12 },
  ];
  hand.getRow(1).font = { bold: true };
  for (const k of r.closings) {
    hand.addRow([k.collectorName ?? '', localTime(new Date(k.closedAt), zone), k.paymentCount, yuan(k.totalFen), k.currentCount, yuan(k.currentFen), k.changedSinceClose ? T('是', 'yes') : T('否', 'no')]);
  }

  return {
    fileName: en ? `daily-report-${r.date}.xlsx` : `${r.communityName}-收款日报-${r.date}.xlsx`,
    asciiName: `daily-report-${r.date}.xlsx`,
    data: Buffer.from(await wb.xlsx.writeBuffer()),
  };
}
