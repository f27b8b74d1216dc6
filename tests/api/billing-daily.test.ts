import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { type Client, companyRows, createRoom, createStaffUser } from '../helpers/factories.ts';
import { anonymous, auditRows, createRoleUser, expectFieldError, sessionAs } from '../helpers/api.ts';
import { type BillingCompany, billingCompany } from '../helpers/billing.ts';

let t: TestApp;
let other: BillingCompany;

beforeAll(async () => {
  t = await testApp();
  other = await billingCompany(t, { communities: 1 });
});

afterEach(() => {
  vi.useRealTimers();
});

/** A company with two named cashiers (甲 the built-in cashier, 乙 a second one) over both its communities. */
async function shop() {
  const co = await billingCompany(t);
  const second = await createStaffUser(t.db, co, { role: 'cashier', communityIds: co.communityIds });
  await t.db.updateTable('users').set({ display_name: '收费员甲' }).where('id', '=', co.cashier.me.user.id).execute();
  await t.db.updateTable('users').set({ display_name: '收费员乙' }).where('id', '=', second.id).execute();
  return { co, c1: co.cashier, c2: await sessionAs(t.app, t.db, second.id), community: co.communityIds[0], id1: co.cashier.me.user.id, id2: second.id };
}

type Method = 'cash' | 'pos' | 'transfer' | 'wechatpay' | 'alipay' | 'sandbox';

/**
 * A payment row written directly, so its time and business date are the test's: a collector's is a counter
 * payment, one without a collector an owner's online payment. Succeeded rows are fully allocated (CHECK).
 */
async function payment(co: BillingCompany, p: { method: Method; amountFen: number; collectorId?: string | null; paidAt: string; businessDate: string; status?: 'succeeded' | 'pending' | 'failed'; communityId?: string }) {
  const status = p.status ?? 'succeeded';
  const row = await t.db
    .insertInto('payments')
    .values({
      company_id: co.companyId,
      community_id: p.communityId ?? co.communityIds[0],
      trade_no: `AJT${randomUUID().replaceAll('-', '').slice(0, 24)}`,
      method: p.method,
      channel: p.collectorId ? 'counter' : 'owner',
      status,
      amount_fen: p.amountFen,
      allocated_fen: status === 'succeeded' ? p.amountFen : 0,
      idempotency_key: randomUUID(),
      request_hash: 'test',
      collector_id: p.collectorId ?? null,
      paid_at: status === 'succeeded' ? new Date(p.paidAt) : null,
      business_date: p.businessDate,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A refund of `paymentId` in the given state, paid back on `businessDate`. */
async function refund(co: BillingCompany, paymentId: string, amountFen: number, businessDate: string, status: 'refunded' | 'requested' = 'refunded') {
  await t.db
    .insertInto('refunds')
    .values({
      company_id: co.companyId,
      community_id: co.communityIds[0],
      payment_id: paymentId,
      amount_fen: amountFen,
      reason: '多收退回',
      status,
      from_balance_fen: status === 'refunded' ? amountFen : 0,
      out_refund_no: `RFT${randomUUID().replaceAll('-', '').slice(0, 20)}`,
      idempotency_key: randomUUID(),
      business_date: status === 'refunded' ? businessDate : null,
      refunded_at: status === 'refunded' ? new Date(`${businessDate}T04:00:00Z`) : null,
    })
    .execute();
  if (status === 'refunded') await t.db.updateTable('payments').set({ refunded_fen: amountFen }).where('id', '=', paymentId).execute();
}

/** A counter payment through the API, to the room's general balance. */
async function pay(client: Client, roomId: string, amountFen: number, method: 'cash' | 'pos' | 'transfer' = 'cash') {
  const res = await client.post('/api/payments', { roomId, method, amountFen, balanceKind: 'general', idempotencyKey: randomUUID() });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; businessDate: string; paidAt: string };
}

async function report(client: Client, query: string) {
  const res = await client.get(`/api/billing/daily-report?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const todayInShanghai = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const ids = (items: Array<{ id: string }>) => items.map((i) => i.id).sort();

describe('every endpoint needs a session', () => {
  it.each([
    ['GET', `/api/billing/daily-report?communityId=${randomUUID()}`],
    ['GET', `/api/billing/daily-report.xlsx?communityId=${randomUUID()}`],
    ['POST', '/api/billing/daily-report/close'],
  ] as const)('%s %s → 401', async (method, url) => {
    const res = await anonymous(t.app, method, url, method === 'POST' ? { communityId: randomUUID(), date: '2026-03-10' } : undefined);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('the daily report', () => {
  const D = '2026-03-10';

  it('adds up the day exactly by method and collector, owners’ online payments apart, refunds netted', async () => {
    const { co, c1, c2, community, id1, id2 } = await shop();
    // 收费员甲: cash 100.00 + 25.50, POS 300.00; 乙: cash 50.00, transfer 1,200.00; online: WeChat 88.00, Alipay 12.00.
    const cash1 = await payment(co, { method: 'cash', amountFen: 10_000, collectorId: id1, paidAt: `${D}T01:05:00Z`, businessDate: D });
    const day = [
      cash1,
      await payment(co, { method: 'cash', amountFen: 2_550, collectorId: id1, paidAt: `${D}T02:00:00Z`, businessDate: D }),
      await payment(co, { method: 'pos', amountFen: 30_000, collectorId: id1, paidAt: `${D}T03:00:00Z`, businessDate: D }),
      await payment(co, { method: 'cash', amountFen: 5_000, collectorId: id2, paidAt: `${D}T03:30:00Z`, businessDate: D }),
      await payment(co, { method: 'transfer', amountFen: 120_000, collectorId: id2, paidAt: `${D}T06:00:00Z`, businessDate: D }),
    ];
    const wechat = await payment(co, { method: 'wechatpay', amountFen: 8_800, paidAt: `${D}T12:00:00Z`, businessDate: D });
    day.push(wechat, await payment(co, { method: 'alipay', amountFen: 1_200, paidAt: `${D}T13:00:00Z`, businessDate: D }));
    // Not of the day: the next business day, not succeeded, another community.
    await payment(co, { method: 'cash', amountFen: 777, collectorId: id1, paidAt: `${D}T16:30:00Z`, businessDate: '2026-03-11' });
    await payment(co, { method: 'sandbox', amountFen: 999, paidAt: `${D}T05:00:00Z`, businessDate: D, status: 'pending' });
    await payment(co, { method: 'cash', amountFen: 888, collectorId: id1, paidAt: `${D}T05:00:00Z`, businessDate: D, status: 'failed' });
    await payment(co, { method: 'cash', amountFen: 666, collectorId: id1, paidAt: `${D}T05:00:00Z`, businessDate: D, communityId: co.communityIds[1] });
    // Refunds paid back on the day (cash 20.00 of 甲's, WeChat 8.00 online); one waiting, one of the next day.
    await refund(co, cash1, 2_000, D);
    await refund(co, wechat, 800, D);
    await refund(co, day[3], 1_000, D, 'requested');
    await refund(co, day[4], 3_000, '2026-03-11');

    const r = await report(co.admin2, `communityId=${community}&date=${D}`);
    expect(r).toMatchObject({ date: D, communityId: community, collectorId: null, totals: { count: 7, amountFen: 177_550 }, netFen: 174_750 });
    expect(r.byMethod).toEqual([
      { method: 'cash', count: 3, amountFen: 17_550 },
      { method: 'pos', count: 1, amountFen: 30_000 },
      { method: 'transfer', count: 1, amountFen: 120_000 },
      { method: 'wechatpay', count: 1, amountFen: 8_800 },
      { method: 'alipay', count: 1, amountFen: 1_200 },
    ]);
    expect(r.refunds).toEqual({ count: 2, amountFen: 2_800, byMethod: [{ method: 'cash', count: 1, amountFen: 2_000 }, { method: 'wechatpay', count: 1, amountFen: 800 }] });
    expect(r.byCollector).toHaveLength(3);
    expect(r.byCollector.find((c: { collectorId: string }) => c.collectorId === id1)).toEqual({
      collectorId: id1,
      name: '收费员甲',
      channel: 'counter',
      count: 3,
      amountFen: 42_550,
      byMethod: [{ method: 'cash', count: 2, amountFen: 12_550 }, { method: 'pos', count: 1, amountFen: 30_000 }],
      refundFen: 2_000,
      netFen: 40_550,
    });
    expect(r.byCollector.find((c: { collectorId: string }) => c.collectorId === id2)).toEqual({
      collectorId: id2,
      name: '收费员乙',
      channel: 'counter',
      count: 2,
      amountFen: 125_000,
      byMethod: [{ method: 'cash', count: 1, amountFen: 5_000 }, { method: 'transfer', count: 1, amountFen: 120_000 }],
      refundFen: 0,
      netFen: 125_000,
    });
    expect(r.byCollector.at(-1)).toEqual({
      collectorId: null,
      name: '线上缴费',
      channel: 'online',
      count: 2,
      amountFen: 10_000,
      byMethod: [{ method: 'wechatpay', count: 1, amountFen: 8_800 }, { method: 'alipay', count: 1, amountFen: 1_200 }],
      refundFen: 800,
      netFen: 9_200,
    });
    // The parts add up to the whole.
    const parts = r.byCollector.reduce((s: number, c: { amountFen: number }) => s + c.amountFen, 0);
    expect(parts).toBe(r.totals.amountFen);
    expect(r.byCollector.reduce((s: number, c: { netFen: number }) => s + c.netFen, 0)).toBe(r.netFen);
    expect(ids(r.payments)).toEqual([...day].sort());
    expect(r.payments.map((p: { paidAt: string }) => p.paidAt)).toEqual([...r.payments.map((p: { paidAt: string }) => p.paidAt)].sort());
    expect(r.closings).toEqual([]);
    expect((await report(co.admin2, `communityId=${community}&date=${D}`)).byCollector.at(-1).name).toBe('线上缴费');
    const en = await co.admin2.get(`/api/billing/daily-report?communityId=${community}&date=${D}`, { 'accept-language': 'en' });
    expect(en.json().byCollector.at(-1).name).toBe('Online');

    // A manager may look at one collector; a billing.read-only role and a cashier who also manages see everyone.
    const second = await report(co.admin2, `communityId=${community}&date=${D}&collectorId=${id2}`);
    expect(second).toMatchObject({ collectorId: id2, totals: { count: 2, amountFen: 125_000 }, refunds: { count: 0, amountFen: 0 }, netFen: 125_000 });
    expect(second.byCollector.map((c: { collectorId: string }) => c.collectorId)).toEqual([id2]);
    const readOnly = await sessionAs(t.app, t.db, (await createRoleUser(t.db, co, ['billing.read'], { communityIds: [community] })).id);
    const headCashier = await sessionAs(t.app, t.db, (await createRoleUser(t.db, co, ['billing.read', 'billing.collect', 'billing.manage'], { communityIds: [community] })).id);
    for (const client of [readOnly, headCashier]) expect((await report(client, `communityId=${community}&date=${D}`)).totals).toEqual({ count: 7, amountFen: 177_550 });

    // A cashier sees their own collections (and the refunds of them) and the owners' online payments — not a
    // colleague's takings; asking for themselves alone shows only their own.
    const mine = await report(c1, `communityId=${community}&date=${D}`);
    expect(mine).toMatchObject({ collectorId: id1, totals: { count: 5, amountFen: 52_550 } });
    expect(mine.byCollector.map((c: { collectorId: string | null }) => c.collectorId)).toEqual([id1, null]);
    expect(mine.payments).toHaveLength(5);
    const own = await report(c1, `communityId=${community}&date=${D}&collectorId=${id1}`);
    expect(own).toMatchObject({ collectorId: id1, totals: { count: 3, amountFen: 42_550 }, refunds: { count: 1, amountFen: 2_000 }, netFen: 40_550 });
    expect(own.byCollector.map((c: { collectorId: string }) => c.collectorId)).toEqual([id1]);
    expect(own.payments).toHaveLength(3);
    expect((await report(c2, `communityId=${community}&date=${D}`)).totals).toEqual({ count: 4, amountFen: 135_000 });
    const peek = await c1.get(`/api/billing/daily-report?communityId=${community}&date=${D}&collectorId=${id2}`);
    expect(peek.statusCode).toBe(403);
    expect(peek.json().error.details).toEqual({ permission: 'billing.manage' });
  });

  it('puts a payment at 23:30 in Shanghai on that day and one at 00:30 on the next, whatever the UTC date', async () => {
    const { co, c1, community } = await shop();
    const roomId = (await createRoom(t.db, { company: co, communityId: community })).id;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-10T15:30:00Z')); // 23:30 on 10 March in Shanghai
    const late = await pay(c1, roomId, 1_100);
    vi.setSystemTime(new Date('2026-03-10T16:30:00Z')); // 00:30 on 11 March in Shanghai, still 10 March in UTC
    const early = await pay(c1, roomId, 2_200, 'pos');
    vi.useRealTimers();
    expect([late.businessDate, early.businessDate]).toEqual(['2026-03-10', '2026-03-11']);

    const tenth = await report(co.admin2, `communityId=${community}&date=2026-03-10`);
    expect(tenth.totals).toEqual({ count: 1, amountFen: 1_100 });
    expect(ids(tenth.payments)).toEqual([late.id]);
    const eleventh = await report(co.admin2, `communityId=${community}&date=2026-03-11`);
    expect(eleventh.totals).toEqual({ count: 1, amountFen: 2_200 });
    expect(eleventh.byMethod).toEqual([{ method: 'pos', count: 1, amountFen: 2_200 }]);
  });

  it('reports today in the community’s time zone by default', async () => {
    const { co, c1, community } = await shop();
    const roomId = (await createRoom(t.db, { company: co, communityId: community })).id;
    const p = await pay(c1, roomId, 4_321);
    const r = await report(co.admin2, `communityId=${community}`);
    expect(r.date).toBe(todayInShanghai());
    expect(r.date).toBe(p.businessDate);
    expect(r.totals).toEqual({ count: 1, amountFen: 4_321 });
  });

  it('answers 400 naming the parameter, 404 for a community not the caller’s, 403 without billing.read', async () => {
    const { co, community } = await shop();
    for (const [q, field] of [
      ['', 'communityId'],
      ['communityId=x', 'communityId'],
      [`communityId=${community}&date=2026-02-30`, 'date'],
      [`communityId=${community}&date=20260310`, 'date'],
      [`communityId=${community}&collectorId=bob`, 'collectorId'],
    ]) {
      expectFieldError(await co.admin2.get(`/api/billing/daily-report?${q}`), field);
      expectFieldError(await co.admin2.get(`/api/billing/daily-report.xlsx?${q}`), field);
    }
    for (const url of [`/api/billing/daily-report?communityId=${other.communityIds[0]}`, `/api/billing/daily-report?communityId=${randomUUID()}`, `/api/billing/daily-report.xlsx?communityId=${other.communityIds[0]}`]) {
      expect((await co.admin2.get(url)).statusCode).toBe(404);
    }
    const narrow = await sessionAs(t.app, t.db, (await createStaffUser(t.db, co, { role: 'cashier', communityIds: [co.communityIds[1]] })).id);
    expect((await narrow.get(`/api/billing/daily-report?communityId=${community}`)).statusCode).toBe(404);
    expect((await co.technician.get(`/api/billing/daily-report?communityId=${community}`)).statusCode).toBe(403);
    expect((await co.technician.get(`/api/billing/daily-report.xlsx?communityId=${community}`)).statusCode).toBe(403);
  });
});

describe('the daily report as .xlsx', () => {
  it('is a workbook with the summary, the collectors, the payments and the hand-overs', async () => {
    const { co, c1, community, id1, id2 } = await shop();
    const D = '2026-04-01';
    const cash = await payment(co, { method: 'cash', amountFen: 10_050, collectorId: id1, paidAt: `${D}T02:00:00Z`, businessDate: D });
    await payment(co, { method: 'pos', amountFen: 20_000, collectorId: id2, paidAt: `${D}T03:00:00Z`, businessDate: D });
    await payment(co, { method: 'wechatpay', amountFen: 5_000, paidAt: `${D}T04:00:00Z`, businessDate: D });
    await refund(co, cash, 50, D);

    const res = await co.admin2.get(`/api/billing/daily-report.xlsx?communityId=${community}&date=${D}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toContain(`filename="daily-report-${D}.xlsx"`);
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain(`收款日报-${D}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['收款日报', '按收费员', '收款明细', '交账']);

    const summary = wb.getWorksheet('收款日报')!;
    const rows = summary.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    expect(rows).toContainEqual(['日期', D]);
    expect(rows).toContainEqual(['现金', 1, 100.5]);
    expect(rows).toContainEqual(['POS 刷卡', 1, 200]);
    expect(rows).toContainEqual(['微信支付', 1, 50]);
    expect(rows).toContainEqual(['合计', 3, 350.5]);
    expect(rows).toContainEqual(['合计', 1, 0.5]);
    expect(rows.find((r) => r[0] === '净收款')?.[2]).toBe(350);

    const people = wb.getWorksheet('按收费员')!;
    expect(people.rowCount).toBe(5);
    expect(people.getRow(1).getCell(1).value).toBe('收费员');
    const names = [2, 3, 4].map((n) => people.getRow(n).getCell(1).value);
    expect(names.slice(0, 2).sort()).toEqual(['收费员乙', '收费员甲'].sort());
    expect(names[2]).toBe('线上缴费');
    expect(people.getRow(5).getCell(1).value).toBe('合计');
    expect(people.getRow(5).getCell(3).value).toBe(350.5);
    expect(wb.getWorksheet('收款明细')!.rowCount).toBe(4);
    expect(wb.getWorksheet('交账')!.rowCount).toBe(1);

    // A cashier's workbook holds their own takings and the online payments, not a colleague's.
    const mine = await c1.get(`/api/billing/daily-report.xlsx?communityId=${community}&date=${D}`);
    expect(mine.statusCode).toBe(200);
    const own = new ExcelJS.Workbook();
    await own.xlsx.load(mine.rawPayload as unknown as ArrayBuffer);
    expect(own.getWorksheet('收款明细')!.rowCount).toBe(3);
    expect(own.getWorksheet('按收费员')!.getRow(2).getCell(1).value).toBe('收费员甲');

    const en = await co.admin2.get(`/api/billing/daily-report.xlsx?communityId=${community}&date=${D}`, { 'accept-language': 'en' });
    const enWb = new ExcelJS.Workbook();
    await enWb.xlsx.load(en.rawPayload as unknown as ArrayBuffer);
    expect(enWb.worksheets.map((w) => w.name)).toEqual(['Daily report', 'By collector', 'Payments', 'Hand-overs']);
  });
});

describe('handing over the day (交账)', () => {
  it('freezes the caller’s counter takings once, and the report flags payments booked after', async () => {
    const { co, c1, c2, community, id1, id2 } = await shop();
    const roomId = (await createRoom(t.db, { company: co, communityId: community })).id;
    const today = todayInShanghai();
    await pay(c1, roomId, 10_000);
    await pay(c1, roomId, 5_000, 'pos');
    await pay(c2, roomId, 3_000);
    // Online payments are nobody's to hand over.
    await payment(co, { method: 'alipay', amountFen: 9_999, paidAt: new Date().toISOString(), businessDate: today });

    const res = await c1.post('/api/billing/daily-report/close', { communityId: community, date: today });
    expect(res.statusCode, res.body).toBe(201);
    const closing = res.json();
    expect(closing).toMatchObject({
      communityId: community,
      collectorId: id1,
      collectorName: '收费员甲',
      businessDate: today,
      totalFen: 15_000,
      paymentCount: 2,
      byMethod: [{ method: 'cash', amountFen: 10_000 }, { method: 'pos', amountFen: 5_000 }],
      closedBy: '收费员甲',
      currentFen: 15_000,
      currentCount: 2,
      changedSinceClose: false,
    });
    const [audit] = await auditRows(t.db, closing.id, 'cashierClosing.create');
    expect(audit.after).toMatchObject({ communityId: community, businessDate: today, totalFen: 15_000, paymentCount: 2, byMethod: { cash: 10_000, pos: 5_000 } });
    expect(audit.actor_id).toBe(id1);

    const before = await companyRows(t.db, co.companyId, ['cashier_closings']);
    const again = await c1.post('/api/billing/daily-report/close', { communityId: community, date: today });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain(today);
    expect(again.json().error.details).toEqual({ closingId: closing.id });
    expect(await companyRows(t.db, co.companyId, ['cashier_closings'])).toEqual(before);

    let r = await report(co.admin2, `communityId=${community}&date=${today}`);
    expect(r.closings).toEqual([closing]);
    // 甲 takes one more payment after handing over: the closing stays as it was and is flagged.
    await pay(c1, roomId, 700);
    r = await report(co.admin2, `communityId=${community}&date=${today}`);
    expect(r.closings).toHaveLength(1);
    expect(r.closings[0]).toMatchObject({ id: closing.id, totalFen: 15_000, paymentCount: 2, currentFen: 15_700, currentCount: 3, changedSinceClose: true });
    // 乙's payments did not change 甲's closing; 乙 closes their own, which 甲 does not see.
    const second = await c2.post('/api/billing/daily-report/close', { communityId: community, date: today });
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json()).toMatchObject({ collectorId: id2, totalFen: 3_000, paymentCount: 1, byMethod: [{ method: 'cash', amountFen: 3_000 }], changedSinceClose: false });
    expect((await report(co.admin2, `communityId=${community}&date=${today}`)).closings.map((k: { collectorId: string }) => k.collectorId)).toEqual([id1, id2]);
    expect((await report(c1, `communityId=${community}&date=${today}`)).closings.map((k: { collectorId: string }) => k.collectorId)).toEqual([id1]);
    // Each community's day is handed over on its own; a day without takings may be handed over as nothing.
    const elsewhere = await c1.post('/api/billing/daily-report/close', { communityId: co.communityIds[1], date: today });
    expect(elsewhere.statusCode, elsewhere.body).toBe(201);
    expect(elsewhere.json()).toMatchObject({ totalFen: 0, paymentCount: 0, byMethod: [] });
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    expect((await c1.post('/api/billing/daily-report/close', { communityId: community, date: yesterday })).statusCode).toBe(201);
  });

  it('answers 400 naming the field, 404 for a community not the caller’s, 403 without billing.collect — and writes nothing', async () => {
    const { co, c1, community } = await shop();
    const tomorrow = new Date(Date.parse(`${todayInShanghai()}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const before = await companyRows(t.db, co.companyId, ['cashier_closings']);
    for (const [body, field] of [
      [{ communityId: community }, 'date'],
      [{ communityId: community, date: '2026-13-01' }, 'date'],
      [{ date: '2026-03-10' }, 'communityId'],
      [{ communityId: 'x', date: '2026-03-10' }, 'communityId'],
      [{ communityId: community, date: '2026-03-10', collectorId: randomUUID() }, 'collectorId'],
      [{ communityId: community, date: tomorrow }, 'date'],
    ] as const) {
      expectFieldError(await c1.post('/api/billing/daily-report/close', body), field);
    }
    expect((await c1.post('/api/billing/daily-report/close', { communityId: other.communityIds[0], date: '2026-03-10' })).statusCode).toBe(404);
    expect((await c1.post('/api/billing/daily-report/close', { communityId: randomUUID(), date: '2026-03-10' })).statusCode).toBe(404);
    const narrow = await sessionAs(t.app, t.db, (await createStaffUser(t.db, co, { role: 'cashier', communityIds: [co.communityIds[1]] })).id);
    expect((await narrow.post('/api/billing/daily-report/close', { communityId: community, date: '2026-03-10' })).statusCode).toBe(404);
    const readOnly = await sessionAs(t.app, t.db, (await createRoleUser(t.db, co, ['billing.read'], { communityIds: [community] })).id);
    for (const client of [readOnly, co.technician]) expect((await client.post('/api/billing/daily-report/close', { communityId: community, date: '2026-03-10' })).statusCode).toBe(403);
    expect(await companyRows(t.db, co.companyId, ['cashier_closings'])).toEqual(before);
    expect(await t.db.selectFrom('audit_log').select('id').where('company_id', '=', co.companyId).where('action', '=', 'cashierClosing.create').execute()).toEqual([]);
  });
});
