import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { type Client, createBuilding, createOwnerUser, createResident, createRoom, createStaffUser, type TestBuilding, type TestRoom, uniquePhone } from '../helpers/factories.ts';
import { anonymous, auditRows, expectFieldError, ownerLogin, sessionAs } from '../helpers/api.ts';
import { type BillingCompany, billingCompany, bind, feeItem, runBills } from '../helpers/billing.ts';
import { localDate } from '../../src/modules/servicedesk/deadlines.ts';

/**
 * 滞纳金 and 预交优惠 through the API. Late fees: shown as they accrue, charged when a payment pays an overdue line
 * (counter and online, by the day the owner started paying), paid from what is left of the money, never over the
 * cap, waived at the counter or afterwards by someone with billing.waive (kept on record), revoked when their payment
 * is refunded. Prepayments: a quote, the rules (no arrears, the exact amount, a monthly item with terms in force), the
 * deposit and the free months, spent after the cash by the bill runs to come, and forfeited by a refund. Every
 * operation leaves the reconciliation without a mismatch.
 */

let t: TestApp;
let co: BillingCompany;
let other: BillingCompany;
let manager: Client;
let building: TestBuilding;
/** 物业费 at 2.00/m² with 滞纳金 0.5‰ a day after 5 days' grace, capped at 50 元 a line. */
let lateItem: { id: string };
/** 物业费 at 2.00/m², pay 3 months get 1 free, auto deduction. */
let prepayItem: { id: string };

const TODAY = () => localDate(new Date(), 'Asia/Shanghai');
const dayNo = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;

interface Line {
  id: string;
  kind: string;
  amount_fen: number;
  paid_fen: number;
  status: string;
  due_date: string;
  source_line_id: string | null;
  charged_by_payment_id: string | null;
  waived_by: string | null;
}

async function linesOf(roomId: string): Promise<Line[]> {
  return t.db
    .selectFrom('bill_lines')
    .select(['id', 'kind', 'amount_fen', 'paid_fen', 'status', 'due_date', 'source_line_id', 'charged_by_payment_id', 'waived_by'])
    .where('room_id', '=', roomId)
    .orderBy('kind')
    .orderBy('due_date')
    .orderBy('created_at')
    .execute();
}

/** The late fee of `fen` paid today on a line due `due`: 0.5‰ a day for the days after 5 days' grace, ≤ 5000. */
function expectedFee(fen: number, due: string): number {
  const days = dayNo(TODAY()) - dayNo(due) - 5;
  return days > 0 ? Math.min(5000, Math.round((fen * days * 5) / 10_000)) : 0;
}

async function billedRoom(item: { id: string }, months: string[]): Promise<TestRoom> {
  const room = await createRoom(t.db, { building, status: 'occupied' });
  await bind(co.admin2, { itemId: item.id, roomId: room.id, startDate: '2026-01-01' });
  for (const periodKey of months) await runBills(co.admin2, { communityId: co.communityIds[0], periodKey, itemIds: [item.id] });
  return room;
}

function pay(client: Client, body: Record<string, unknown>) {
  return client.post('/api/payments', { method: 'cash', idempotencyKey: randomUUID(), ...body });
}

async function reconciled(client: Client = co.admin2) {
  const res = await client.get(`/api/billing/reconciliation?from=2026-01-01&to=${TODAY()}`);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().mismatches).toEqual([]);
  expect(res.json().ok).toBe(true);
}

async function books() {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT (SELECT count(*) FROM payments WHERE company_id = ${co.companyId}) AS payments,
           (SELECT count(*) FROM bill_lines WHERE company_id = ${co.companyId}) AS lines,
           (SELECT string_agg(status, ',' ORDER BY id) FROM bill_lines WHERE company_id = ${co.companyId}) AS states,
           (SELECT count(*) FROM payment_allocations WHERE company_id = ${co.companyId}) AS allocations,
           (SELECT count(*) FROM prepay_bonuses WHERE company_id = ${co.companyId}) AS bonuses,
           (SELECT COALESCE(sum(balance_fen), 0) FROM prepaid_balances WHERE company_id = ${co.companyId}) AS balances`.execute(t.db);
  return rows[0];
}

beforeAll(async () => {
  t = await testApp();
  [co, other] = await Promise.all([billingCompany(t), billingCompany(t)]);
  manager = await sessionAs(t.app, t.db, (await createStaffUser(t.db, co, { role: 'manager', communityIds: co.communityIds })).id);
  building = await createBuilding(t.db, { company: co, communityId: co.communityIds[0] });
  lateItem = await feeItem(co.admin2, co, { kind: 'property', unitPrice: '2.00', lateFee: { graceDays: 5, perDayPermille: '0.5', capFen: 5000 } });
  prepayItem = await feeItem(co.admin2, co, { kind: 'property', unitPrice: '2.00', autoDeduct: true, discounts: [{ kind: 'prepay', payMonths: 3, freeMonths: 1 }] });
});

describe('滞纳金 at the counter', () => {
  it('shows the fee accruing, charges it on the overdue lines paid and pays it from the rest of the money', async () => {
    const room = await billedRoom(lateItem, ['2026-08', '2026-09']);
    const list = await co.cashier.get(`/api/bill-lines?roomId=${room.id}&pageSize=50`);
    expect(list.statusCode).toBe(200);
    const shown = list.json().items as Array<{ id: string; kind: string; amountFen: number; dueDate: string; lateFeeAccruedFen: number; lateFeesChargedFen: number }>;
    expect(shown).toHaveLength(2);
    for (const l of shown) {
      expect(l.kind).toBe('charge');
      expect(l.lateFeeAccruedFen).toBe(expectedFee(l.amountFen, l.dueDate));
      expect(l.lateFeeAccruedFen).toBeGreaterThan(0);
    }
    const owed = shown.reduce((s, l) => s + l.amountFen, 0);
    const fees = shown.reduce((s, l) => s + l.lateFeeAccruedFen, 0);
    // Without a balance kind, a single 分 more than principal and late fees is refused, and nothing changes.
    const before = await books();
    expectFieldError(await pay(co.cashier, { roomId: room.id, amountFen: owed + fees + 1 }), 'balanceKind');
    expect(await books()).toEqual(before);

    const res = await pay(co.cashier, { roomId: room.id, amountFen: owed + fees });
    expect(res.statusCode, res.body).toBe(201);
    const payment = res.json();
    expect(payment.toBalanceFen).toBe(0);
    expect(payment.allocations.filter((a: { kind: string }) => a.kind === 'lateFee').map((a: { amountFen: number }) => a.amountFen).sort()).toEqual(shown.map((l) => l.lateFeeAccruedFen).sort());
    const lines = await linesOf(room.id);
    const feeLines = lines.filter((l) => l.kind === 'lateFee');
    expect(feeLines).toHaveLength(2);
    for (const f of feeLines) {
      expect(f).toMatchObject({ status: 'paid', charged_by_payment_id: payment.id, due_date: TODAY() });
      const source = shown.find((l) => l.id === f.source_line_id)!;
      expect(f.amount_fen).toBe(source.lateFeeAccruedFen);
    }
    expect(lines.filter((l) => l.kind === 'charge').every((l) => l.status === 'paid')).toBe(true);
    // The charge now shows what was charged and accrues nothing more; the receipt names the late fee.
    const after = (await co.cashier.get(`/api/bill-lines?roomId=${room.id}&kind=charge`)).json().items;
    expect(after.map((l: { lateFeeAccruedFen: number }) => l.lateFeeAccruedFen)).toEqual([0, 0]);
    expect(after.reduce((s: number, l: { lateFeesChargedFen: number }) => s + l.lateFeesChargedFen, 0)).toBe(fees);
    await reconciled();
  });

  it('leaves the late fee owed when the money covers only the principal, until it is paid or waived', async () => {
    const room = await billedRoom(lateItem, ['2026-08']);
    const [line] = await linesOf(room.id);
    const res = await pay(co.cashier, { roomId: room.id, amountFen: line.amount_fen });
    expect(res.statusCode, res.body).toBe(201);
    const fee = (await linesOf(room.id)).find((l) => l.kind === 'lateFee')!;
    expect(fee).toMatchObject({ status: 'unpaid', amount_fen: expectedFee(line.amount_fen, line.due_date), source_line_id: line.id });
    // It is arrears like any line: the owner owes it.
    const owed = (await co.cashier.get(`/api/bill-lines?roomId=${room.id}&status=unpaid`)).json().items;
    expect(owed.map((l: { id: string; kind: string; lateFeeAccruedFen: number }) => [l.id, l.kind, l.lateFeeAccruedFen])).toEqual([[fee.id, 'lateFee', 0]]);

    // 减免: billing.waive only (a cashier has none), a reason, the caller's company, a late fee, unpaid.
    const url = `/api/bill-lines/${fee.id}/waive`;
    expect((await anonymous(t.app, 'POST', url, { reason: '困难户' })).statusCode).toBe(401);
    expect((await co.cashier.post(url, { reason: '困难户' })).statusCode).toBe(403);
    expectFieldError(await manager.post(url, { reason: ' ' }), 'reason');
    expect((await other.admin2.post(url, { reason: '困难户' })).statusCode).toBe(404);
    expect((await manager.post(`/api/bill-lines/${line.id}/waive`, { reason: '困难户' })).statusCode).toBe(409);
    const waived = await manager.post(url, { reason: '困难户，经理批准' });
    expect(waived.statusCode, waived.body).toBe(200);
    expect(waived.json()).toEqual({ id: fee.id, status: 'revoked', waivedFen: fee.amount_fen });
    expect((await linesOf(room.id)).find((l) => l.id === fee.id)).toMatchObject({ status: 'revoked', waived_by: expect.any(String) });
    expect(await auditRows(t.db, fee.id, 'billLine.waiveLateFee')).toHaveLength(1);
    expect((await manager.post(url, { reason: '再来一次' })).statusCode).toBe(409);
    await reconciled();
  });

  it('waives at the counter only with billing.waive and a reason; the waiver stays on record', async () => {
    const room = await billedRoom(lateItem, ['2026-08']);
    const [line] = await linesOf(room.id);
    const before = await books();
    expectFieldError(await pay(co.cashier, { roomId: room.id, amountFen: line.amount_fen, waiveLateFee: true, waiveReason: '减免' }), 'waiveLateFee');
    expectFieldError(await pay(manager, { roomId: room.id, amountFen: line.amount_fen, waiveLateFee: true }), 'waiveReason');
    expect(await books()).toEqual(before);
    const res = await pay(manager, { roomId: room.id, amountFen: line.amount_fen, waiveLateFee: true, waiveReason: '疫情减免' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ lateFeeWaived: true, toBalanceFen: 0, allocatedFen: line.amount_fen });
    const fee = (await linesOf(room.id)).find((l) => l.kind === 'lateFee')!;
    expect(fee).toMatchObject({ status: 'revoked', amount_fen: expectedFee(line.amount_fen, line.due_date), waived_by: expect.any(String) });
    await reconciled();
  });

  it('charges partial payments for what each pays, and a refund revokes the fee its payment charged', async () => {
    const room = await billedRoom(lateItem, ['2026-08']);
    const [line] = await linesOf(room.id);
    const part = Math.floor(line.amount_fen / 2);
    const first = await pay(co.cashier, { roomId: room.id, amountFen: part, lines: [{ lineId: line.id, amountFen: part }] });
    expect(first.statusCode, first.body).toBe(201);
    const fee1 = (await linesOf(room.id)).find((l) => l.kind === 'lateFee')!;
    expect(fee1.amount_fen).toBe(expectedFee(part, line.due_date));
    expect(fee1.status).toBe('unpaid');
    // The refund puts the principal back; its late fee is no longer owed (the line will be charged anew when paid).
    const refund = await co.cashier.post('/api/refunds', { paymentId: first.json().id, amountFen: part, reason: '收错房号', idempotencyKey: randomUUID() });
    expect(refund.statusCode, refund.body).toBe(201);
    const approved = await manager.post(`/api/refunds/${refund.json().id}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    const after = await linesOf(room.id);
    expect(after.find((l) => l.id === fee1.id)).toMatchObject({ status: 'revoked', waived_by: null });
    expect(after.find((l) => l.id === line.id)).toMatchObject({ status: 'unpaid', paid_fen: 0 });
    // Paying the whole line now charges the whole line's late fee once.
    const accrued = (await co.cashier.get(`/api/bill-lines/${line.id}`)).json().lateFeeAccruedFen;
    expect(accrued).toBe(expectedFee(line.amount_fen, line.due_date));
    const second = await pay(co.cashier, { roomId: room.id, amountFen: line.amount_fen + accrued });
    expect(second.statusCode, second.body).toBe(201);
    const live = (await linesOf(room.id)).filter((l) => l.kind === 'lateFee' && l.status !== 'revoked');
    expect(live.map((l) => [l.amount_fen, l.status])).toEqual([[accrued, 'paid']]);
    await reconciled();
  });

  it('charges nothing on an item without late-fee terms or within the grace period', async () => {
    const plain = await feeItem(co.admin2, co, { kind: 'property', unitPrice: '1.50' });
    const room = await billedRoom(plain, ['2026-08']);
    const [line] = await linesOf(room.id);
    expect((await co.cashier.get(`/api/bill-lines/${line.id}`)).json().lateFeeAccruedFen).toBe(0);
    expect((await pay(co.cashier, { roomId: room.id, amountFen: line.amount_fen })).statusCode).toBe(201);
    expect((await linesOf(room.id)).filter((l) => l.kind === 'lateFee')).toEqual([]);
  });
});

describe('滞纳金 online', () => {
  it('quotes the owner principal plus late fees and books them by the day the payment started', async () => {
    const room = await billedRoom(lateItem, ['2026-08', '2026-09']);
    const phone = uniquePhone();
    await createResident(t.db, { room, phone });
    await createOwnerUser(t.db, co, phone);
    const owner = await ownerLogin(t.app, t.db, phone);
    const billing = (await owner.get('/api/owner/billing')).json();
    const mine = billing.rooms.find((r: { roomId: string }) => r.roomId === room.id);
    const open = mine.lines.filter((l: { status: string }) => l.status === 'unpaid');
    expect(open.every((l: { lateFeeAccruedFen: number; owedFen: number; dueDate: string }) => l.lateFeeAccruedFen === expectedFee(l.owedFen, l.dueDate))).toBe(true);
    const quoted = open.reduce((s: number, l: { owedFen: number; lateFeeAccruedFen: number }) => s + l.owedFen + l.lateFeeAccruedFen, 0);
    const started = await owner.post('/api/owner/payments', { lineIds: open.map((l: { id: string }) => l.id), provider: 'sandbox', idempotencyKey: randomUUID() });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json().amountFen).toBe(quoted);
    const confirmed = await owner.post(`/api/owner/payments/${started.json().paymentId}/sandbox-confirm`, {});
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'succeeded', toBalanceFen: 0, amountFen: quoted });
    const lines = await linesOf(room.id);
    expect(lines.every((l) => l.status === 'paid')).toBe(true);
    expect(lines.filter((l) => l.kind === 'lateFee')).toHaveLength(2);
    await reconciled();
  });
});

describe('预交优惠 (pay 3 months, get 1 free)', () => {
  it('quotes, refuses what breaks the rules (nothing changes), and takes the prepayment with its bonus', async () => {
    const room = await billedRoom(prepayItem, ['2026-08']);
    const [line] = await linesOf(room.id);
    const url = (months: number, itemId = prepayItem.id) => `/api/rooms/${room.id}/prepay-quote?itemId=${itemId}&months=${months}`;
    expect((await anonymous(t.app, 'GET', url(3))).statusCode).toBe(401);
    expect((await other.admin2.get(url(3))).statusCode).toBe(404);
    expectFieldError(await co.cashier.get(url(0)), 'months');
    // The room still owes 2026-08: pay it first.
    expectFieldError(await co.cashier.get(url(3)), 'prepay.itemId');
    expect((await pay(co.cashier, { roomId: room.id, amountFen: line.amount_fen })).statusCode).toBe(201);
    expectFieldError(await co.cashier.get(url(3, lateItem.id)), 'prepay.itemId');
    const quote = await co.cashier.get(url(7));
    expect(quote.statusCode, quote.body).toBe(200);
    expect(quote.json()).toMatchObject({ months: 7, monthlyFen: line.amount_fen, amountFen: 7 * line.amount_fen, freeMonths: 2, bonusFen: 2 * line.amount_fen, balanceKind: 'property', rule: { payMonths: 3, freeMonths: 1 } });

    const q3 = (await co.cashier.get(url(3))).json();
    const before = await books();
    expectFieldError(await pay(co.cashier, { roomId: room.id, amountFen: q3.amountFen + 1, prepay: { itemId: prepayItem.id, months: 3 } }), 'amountFen');
    expectFieldError(await pay(co.cashier, { roomId: room.id, amountFen: q3.amountFen, prepay: { itemId: prepayItem.id, months: 3 }, lines: [{ lineId: line.id }] }), 'prepay');
    expectFieldError(await pay(co.cashier, { communityId: co.communityIds[0], lines: undefined, amountFen: q3.amountFen, prepay: { itemId: prepayItem.id, months: 3 } }), 'roomId');
    expect(await books()).toEqual(before);

    const res = await pay(co.cashier, { roomId: room.id, amountFen: q3.amountFen, prepay: { itemId: prepayItem.id, months: 3 } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ toBalanceFen: q3.amountFen, balanceKind: 'property', prepay: { itemId: prepayItem.id, months: 3, freeMonths: 1, bonusFen: line.amount_fen, usedFen: 0, forfeitedFen: 0 } });

    // Four months billed: three from the cash, the fourth free; the bonus pays nothing else.
    for (const periodKey of ['2026-09', '2026-10', '2026-11', '2026-12']) await runBills(co.admin2, { communityId: co.communityIds[0], periodKey, itemIds: [prepayItem.id] });
    const lines = await linesOf(room.id);
    expect(lines.map((l) => l.status)).toEqual(['paid', 'paid', 'paid', 'paid', 'paid']);
    const bonus = await t.db.selectFrom('prepay_bonuses').selectAll().where('payment_id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(bonus).toMatchObject({ used_fen: line.amount_fen, forfeited_fen: 0 });
    const fromBonus = await t.db.selectFrom('payment_allocations').select(['bill_line_id', 'amount_fen']).where('bonus_id', '=', bonus.id).execute();
    expect(fromBonus).toHaveLength(1);
    expect((await co.cashier.get(`/api/rooms/${room.id}/balances`)).json().balances.property).toBe(0);
    // A fifth month is owed again.
    await runBills(co.admin2, { communityId: co.communityIds[0], periodKey: '2027-01', itemIds: [prepayItem.id] });
    expect((await linesOf(room.id)).at(-1)!.status).toBe('unpaid');
    await reconciled();
  });

  it('a refund of the prepayment forfeits its unused bonus', async () => {
    const room = await billedRoom(prepayItem, ['2026-08']);
    const [line] = await linesOf(room.id);
    expect((await pay(co.cashier, { roomId: room.id, amountFen: line.amount_fen })).statusCode).toBe(201);
    const res = await pay(co.cashier, { roomId: room.id, amountFen: 3 * line.amount_fen, prepay: { itemId: prepayItem.id, months: 3 } });
    expect(res.statusCode, res.body).toBe(201);
    const refund = await co.cashier.post('/api/refunds', { paymentId: res.json().id, amountFen: line.amount_fen, reason: '只预交两个月', idempotencyKey: randomUUID() });
    expect(refund.statusCode, refund.body).toBe(201);
    expect((await manager.post(`/api/refunds/${refund.json().id}/approve`, {})).statusCode).toBe(200);
    const detail = (await co.cashier.get(`/api/payments/${res.json().id}`)).json();
    expect(detail.prepay).toMatchObject({ bonusFen: line.amount_fen, usedFen: 0, forfeitedFen: line.amount_fen });
    // Two months of cash left pay two months; the third is owed — no free month any more.
    for (const periodKey of ['2026-09', '2026-10', '2026-11']) await runBills(co.admin2, { communityId: co.communityIds[0], periodKey, itemIds: [prepayItem.id] });
    expect((await linesOf(room.id)).map((l) => l.status)).toEqual(['paid', 'paid', 'paid', 'unpaid']);
    await reconciled();
  });
});
