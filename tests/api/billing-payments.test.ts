import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { type Client, createBuilding, createRoom, createStaffUser, type TestBuilding, type TestRoom } from '../helpers/factories.ts';
import { anonymous, auditRows, expectFieldError, sessionAs } from '../helpers/api.ts';
import { type BillingCompany, billingCompany, bind, feeItem, runBills } from '../helpers/billing.ts';

/**
 * 收款, 预存款, 收据 and 退款 through the API: counter payments (named lines, oldest first, the rest to a prepaid
 * balance), idempotency (replays, key reuse, five concurrent submissions with one key), concurrent payments on one
 * line that never overpay it, automatic deduction after a bill run and settlement on request, receipts numbered
 * without gaps, refunds (request → approve or reject, from the balance first, then the newest lines) and the
 * receipt PDF. Every endpoint answers 401, 400 naming the field (and nothing changes), 403 and 404.
 */

let t: TestApp;
let co: BillingCompany;
let other: BillingCompany;
/** A second approver of co (项目经理: billing.refund). */
let manager: Client;
let property: { id: string };
/** An item of community 2. */
let fixed2: { id: string };
const buildings = new Map<string, TestBuilding>();

const MONTHS = ['2026-08', '2026-09', '2026-10'];

interface Line {
  id: string;
  amount_fen: number;
  paid_fen: number;
  status: string;
  due_date: string;
  item_id: string;
}

async function newRoom(c: BillingCompany, communityId = c.communityIds[0]): Promise<TestRoom> {
  let building = buildings.get(communityId);
  if (!building) {
    building = await createBuilding(t.db, { company: c, communityId });
    buildings.set(communityId, building);
  }
  return createRoom(t.db, { building, status: 'occupied' });
}

/** A room bound to `items` from 2026-01-01 and billed for `months` (only those items). */
async function billedRoom(c: BillingCompany, items: Array<{ id: string }>, months = MONTHS, communityId = c.communityIds[0]): Promise<TestRoom> {
  const room = await newRoom(c, communityId);
  for (const item of items) await bind(c.admin2, { itemId: item.id, roomId: room.id, startDate: '2026-01-01' });
  for (const periodKey of months) await runBills(c.admin2, { communityId, periodKey, itemIds: items.map((i) => i.id) });
  return room;
}

/** The room's lines, oldest due first (the order payments use). */
async function linesOf(roomId: string): Promise<Line[]> {
  return t.db
    .selectFrom('bill_lines')
    .select(['id', 'amount_fen', 'paid_fen', 'status', 'due_date', 'item_id'])
    .where('room_id', '=', roomId)
    .where('status', '<>', 'revoked')
    .orderBy('due_date')
    .orderBy('period_start')
    .orderBy('id')
    .execute();
}

async function balances(roomId: string) {
  const rows = await t.db.selectFrom('prepaid_balances').select(['kind', 'balance_fen']).where('room_id', '=', roomId).execute();
  return { general: 0, property: 0, utilities: 0, ...Object.fromEntries(rows.map((r) => [r.kind, r.balance_fen])) };
}

/** Everything money touches in a company, to compare before and after a refused request. */
async function books(companyId: string) {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT (SELECT count(*) FROM payments WHERE company_id = ${companyId}) AS payments,
           (SELECT count(*) FROM payment_allocations WHERE company_id = ${companyId}) AS allocations,
           (SELECT count(*) FROM balance_entries WHERE company_id = ${companyId}) AS entries,
           (SELECT count(*) FROM receipts WHERE company_id = ${companyId}) AS receipts,
           (SELECT count(*) FROM refunds WHERE company_id = ${companyId}) AS refunds,
           (SELECT string_agg(status, ',' ORDER BY id) FROM refunds WHERE company_id = ${companyId}) AS refund_states,
           (SELECT COALESCE(sum(paid_fen), 0) FROM bill_lines WHERE company_id = ${companyId}) AS paid,
           (SELECT string_agg(status, ',' ORDER BY id) FROM bill_lines WHERE company_id = ${companyId}) AS line_states,
           (SELECT COALESCE(sum(balance_fen), 0) FROM prepaid_balances WHERE company_id = ${companyId}) AS balances,
           (SELECT COALESCE(sum(refunded_fen), 0) FROM payments WHERE company_id = ${companyId}) AS refunded,
           (SELECT COALESCE(max(last), 0) FROM receipt_counters WHERE company_id = ${companyId}) AS receipt_counter`.execute(t.db);
  return rows[0];
}

function pay(client: Client, body: Record<string, unknown>) {
  return client.post('/api/payments', { method: 'cash', idempotencyKey: randomUUID(), ...body });
}

async function paid(client: Client, body: Record<string, unknown>) {
  const res = await pay(client, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function requestRefund(client: Client, paymentId: string, amountFen: number) {
  const res = await client.post('/api/refunds', { paymentId, amountFen, reason: '多收退回', idempotencyKey: randomUUID() });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

beforeAll(async () => {
  t = await testApp();
  [co, other] = await Promise.all([billingCompany(t), billingCompany(t)]);
  manager = await sessionAs(t.app, t.db, (await createStaffUser(t.db, co, { role: 'manager', communityIds: co.communityIds })).id);
  property = await feeItem(co.admin2, co, { kind: 'property', unitPrice: '2.00' });
  fixed2 = await feeItem(co.admin2, co, { kind: 'fixed', unitPrice: '15', communities: [{ communityId: co.communityIds[1] }] });
});

describe('the payment endpoints', () => {
  const id = randomUUID();
  const endpoints = [
    ['POST', '/api/payments'],
    ['GET', '/api/payments'],
    ['GET', `/api/payments/${id}`],
    ['GET', `/api/payments/${id}/receipt.pdf`],
    ['GET', `/api/rooms/${id}/balances`],
    ['POST', `/api/rooms/${id}/settle`],
    ['POST', '/api/refunds'],
    ['GET', '/api/refunds'],
    ['GET', `/api/refunds/${id}`],
    ['POST', `/api/refunds/${id}/approve`],
    ['POST', `/api/refunds/${id}/reject`],
  ] as const;

  it.each(endpoints)('%s %s needs a session (401)', async (method, url) => {
    const res = await anonymous(t.app, method, url, method === 'POST' ? {} : undefined);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('are refused to a technician (no billing permission) and refund decisions to a cashier (403)', async () => {
    const room = await billedRoom(co, [property], ['2026-08']);
    const p = await paid(co.cashier, { roomId: room.id, amountFen: 1000 });
    const refund = await requestRefund(co.cashier, p.id, 100);
    const before = await books(co.companyId);
    const calls: Array<[Client, 'GET' | 'POST', string, unknown, string]> = [
      [co.technician, 'POST', '/api/payments', { roomId: room.id, method: 'cash', amountFen: 100, idempotencyKey: randomUUID() }, 'billing.collect'],
      [co.technician, 'GET', '/api/payments', undefined, 'billing.read'],
      [co.technician, 'GET', `/api/payments/${p.id}`, undefined, 'billing.read'],
      [co.technician, 'GET', `/api/payments/${p.id}/receipt.pdf`, undefined, 'billing.read'],
      [co.technician, 'GET', `/api/rooms/${room.id}/balances`, undefined, 'billing.read'],
      [co.technician, 'POST', `/api/rooms/${room.id}/settle`, {}, 'billing.collect'],
      [co.technician, 'POST', '/api/refunds', { paymentId: p.id, amountFen: 100, reason: '多收退回', idempotencyKey: randomUUID() }, 'billing.collect'],
      [co.technician, 'GET', '/api/refunds', undefined, 'billing.read'],
      [co.technician, 'GET', `/api/refunds/${refund.id}`, undefined, 'billing.read'],
      [co.cashier, 'POST', `/api/refunds/${refund.id}/approve`, {}, 'billing.refund'],
      [co.cashier, 'POST', `/api/refunds/${refund.id}/reject`, { note: '不同意' }, 'billing.refund'],
    ];
    for (const [client, method, url, body, permission] of calls) {
      const res = await client.request(method, url, body);
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(403);
      expect(res.json().error.details.permission, url).toBe(permission);
    }
    expect(await books(co.companyId)).toEqual(before);
  });

  it('answer 404 for another company’s payment, room and refund, and for a community the cashier is not assigned to', async () => {
    const theirRoom = await billedRoom(other, [await feeItem(other.admin2, other, { kind: 'fixed', unitPrice: '10' })], ['2026-08']);
    const theirs = await paid(other.cashier, { roomId: theirRoom.id, amountFen: 500 });
    const theirRefund = await requestRefund(other.cashier, theirs.id, 100);
    const before = await books(other.companyId);
    for (const [method, url, body] of [
      ['GET', `/api/payments/${theirs.id}`, undefined],
      ['GET', `/api/payments/${theirs.id}/receipt.pdf`, undefined],
      ['GET', `/api/rooms/${theirRoom.id}/balances`, undefined],
      ['POST', `/api/rooms/${theirRoom.id}/settle`, {}],
      ['GET', `/api/refunds/${theirRefund.id}`, undefined],
      ['POST', `/api/refunds/${theirRefund.id}/approve`, {}],
      ['POST', `/api/refunds/${theirRefund.id}/reject`, { note: '不同意' }],
    ] as const) {
      const res = await co.admin2.request(method, url, body);
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(404);
    }
    expect((await co.admin2.get(`/api/payments?roomId=${theirRoom.id}`)).json().total).toBe(0);
    expect((await co.admin2.get(`/api/refunds?paymentId=${theirs.id}`)).json().total).toBe(0);
    expect(await books(other.companyId)).toEqual(before);

    // A cashier of community 1 only does not see community 2's payments.
    const c2Room = await billedRoom(co, [fixed2], ['2026-08'], co.communityIds[1]);
    const p2 = await paid(co.admin2, { roomId: c2Room.id, amountFen: 300 });
    const c1Cashier = await sessionAs(t.app, t.db, (await createStaffUser(t.db, co, { role: 'cashier', communityIds: [co.communityIds[0]] })).id);
    expect((await c1Cashier.get(`/api/payments/${p2.id}`)).statusCode).toBe(404);
    expect((await c1Cashier.get(`/api/rooms/${c2Room.id}/balances`)).statusCode).toBe(404);
    expect((await c1Cashier.post(`/api/rooms/${c2Room.id}/settle`)).statusCode).toBe(404);
    expectFieldError(await pay(c1Cashier, { roomId: c2Room.id, amountFen: 100 }), 'roomId');
    expectFieldError(await c1Cashier.post('/api/refunds', { paymentId: p2.id, amountFen: 100, reason: '多收退回', idempotencyKey: randomUUID() }), 'paymentId');
  });
});

describe('POST /api/payments', () => {
  it('refuses bad requests naming the field, and changes nothing', async () => {
    const room = await billedRoom(co, [property]);
    const [l1, l2] = await linesOf(room.id);
    const otherRoom = await billedRoom(co, [property], ['2026-08']);
    const [foreign] = await linesOf(otherRoom.id);
    const theirRoom = await newRoom(other);
    await paid(co.cashier, { lines: [{ lineId: l2.id }], amountFen: l2.amount_fen });
    const owed = (await linesOf(room.id)).reduce((sum, l) => sum + l.amount_fen - l.paid_fen, 0);
    const before = await books(co.companyId);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ roomId: room.id, amountFen: 100, idempotencyKey: undefined }, 'idempotencyKey'],
      [{ roomId: room.id, amountFen: 100, idempotencyKey: 'short' }, 'idempotencyKey'],
      [{ roomId: room.id, amountFen: 0 }, 'amountFen'],
      [{ roomId: room.id, amountFen: 12.5 }, 'amountFen'],
      [{ roomId: room.id, amountFen: 100, method: 'wechatpay' }, 'method'],
      [{ roomId: 'not-a-uuid', amountFen: 100 }, 'roomId'],
      [{ roomId: room.id, amountFen: 100, balanceKind: 'gold' }, 'balanceKind'],
      [{ roomId: room.id, amountFen: 100, extra: 1 }, 'extra'],
      [{ amountFen: 100 }, 'roomId'],
      [{ roomId: theirRoom.id, amountFen: 100 }, 'roomId'],
      [{ roomId: randomUUID(), amountFen: 100 }, 'roomId'],
      [{ roomId: room.id, amountFen: 100, lines: [{ lineId: foreign.id }] }, 'lines.0.lineId'],
      [{ roomId: room.id, amountFen: 100, lines: [{ lineId: randomUUID() }] }, 'lines.0.lineId'],
      [{ roomId: room.id, amountFen: l2.amount_fen, lines: [{ lineId: l2.id }] }, 'lines.0.lineId'],
      [{ roomId: room.id, amountFen: 200, lines: [{ lineId: l1.id, amountFen: 100 }, { lineId: l1.id, amountFen: 100 }] }, 'lines'],
      [{ roomId: room.id, amountFen: l1.amount_fen + 1, lines: [{ lineId: l1.id, amountFen: l1.amount_fen + 1 }] }, 'lines.0.amountFen'],
      [{ roomId: room.id, amountFen: 100, lines: [{ lineId: l1.id, amountFen: 101 }] }, 'amountFen'],
      [{ roomId: room.id, amountFen: l1.amount_fen + 1, lines: [{ lineId: l1.id }] }, 'balanceKind'],
      [{ roomId: room.id, amountFen: owed + 1 }, 'balanceKind'],
      [{ lines: [{ lineId: l1.id }], amountFen: l1.amount_fen + 1, balanceKind: 'general' }, 'balanceKind'],
      [{ roomId: room.id, communityId: co.communityIds[1], amountFen: 100 }, 'communityId'],
    ];
    for (const [body, field] of cases) {
      const res = await pay(co.cashier, body);
      expectFieldError(res, field);
    }
    expect(await books(co.companyId)).toEqual(before);
    // The overpayment message says what is due.
    const res = await pay(co.cashier, { roomId: room.id, amountFen: owed + 1 });
    expect(res.json().error.message).toContain(`${Math.trunc(owed / 100)}.${String(owed % 100).padStart(2, '0')}`);
  });

  it('pays named lines, in part, and leaves the others', async () => {
    const room = await billedRoom(co, [property]);
    const [l1, , l3] = await linesOf(room.id);
    const res = await pay(co.cashier, { roomId: room.id, method: 'pos', amountFen: 5000 + l3.amount_fen, lines: [{ lineId: l1.id, amountFen: 5000 }, { lineId: l3.id, amountFen: null }], payerName: '张三', reference: 'POS-778' });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({ status: 'succeeded', method: 'pos', channel: 'counter', amountFen: 5000 + l3.amount_fen, allocatedFen: 5000 + l3.amount_fen, toBalanceFen: 0, balanceKind: null, refundedFen: 0, payerName: '张三', reference: 'POS-778', collectorId: co.cashier.me.user.id });
    expect(p.receiptNo).toMatch(/^SJ2026-\d{6}$/);
    expect(p.receipt).toMatchObject({ number: p.receiptNo, printCount: 0 });
    expect(p.allocations.map((a: { lineId: string; amountFen: number }) => [a.lineId, a.amountFen])).toEqual([[l1.id, 5000], [l3.id, l3.amount_fen]]);
    expect(p.businessDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const after = await linesOf(room.id);
    expect(after.map((l) => [l.status, l.paid_fen])).toEqual([['partial', 5000], ['unpaid', 0], ['paid', l3.amount_fen]]);
    const audit = await auditRows(t.db, p.id, 'payment.create');
    expect(audit).toHaveLength(1);
    expect(audit[0].after).toMatchObject({ method: 'pos', amountFen: 5000 + l3.amount_fen, toBalanceFen: 0, receiptNo: p.receiptNo });
    expect((await co.cashier.get(`/api/payments/${p.id}`)).json()).toMatchObject({ id: p.id, receiptNo: p.receiptNo, allocations: p.allocations });
  });

  it('pays the oldest lines first', async () => {
    const room = await billedRoom(co, [property]);
    const [l1, l2] = await linesOf(room.id);
    const p = await paid(co.cashier, { roomId: room.id, amountFen: l1.amount_fen + 123 });
    expect(p).toMatchObject({ allocatedFen: l1.amount_fen + 123, toBalanceFen: 0 });
    expect((await linesOf(room.id)).map((l) => [l.status, l.paid_fen])).toEqual([['paid', l1.amount_fen], ['partial', 123], ['unpaid', 0]]);
    expect(p.allocations.map((a: { lineId: string }) => a.lineId)).toEqual([l1.id, l2.id]);
  });

  it('puts what is left over into the chosen prepaid balance, with its ledger entry and the receipt', async () => {
    const room = await billedRoom(co, [property]);
    const lines = await linesOf(room.id);
    const owed = lines.reduce((s, l) => s + l.amount_fen, 0);
    const p = await paid(co.cashier, { roomId: room.id, amountFen: owed + 3000, balanceKind: 'property' });
    expect(p).toMatchObject({ allocatedFen: owed, toBalanceFen: 3000, balanceKind: 'property' });
    expect(p.receipt).not.toBeNull();
    expect((await linesOf(room.id)).every((l) => l.status === 'paid')).toBe(true);
    const view = (await co.cashier.get(`/api/rooms/${room.id}/balances`)).json();
    expect(view).toMatchObject({ roomId: room.id, balances: { general: 0, property: 3000, utilities: 0 }, totalFen: 3000 });
    expect(view.entries).toEqual([expect.objectContaining({ kind: 'property', deltaFen: 3000, balanceAfterFen: 3000, reason: 'deposit', paymentId: p.id })]);
    // A room with nothing open: everything is a deposit.
    const d = await paid(co.cashier, { roomId: room.id, amountFen: 800, balanceKind: 'general' });
    expect(d).toMatchObject({ allocatedFen: 0, toBalanceFen: 800, balanceKind: 'general', allocations: [] });
    expect(await balances(room.id)).toEqual({ general: 800, property: 3000, utilities: 0 });
  });

  it('is idempotent: the same key and body return the same payment; the same key with another body is refused', async () => {
    const room = await billedRoom(co, [property]);
    const body = { roomId: room.id, method: 'cash', amountFen: 4321, idempotencyKey: randomUUID() };
    const first = await co.cashier.post('/api/payments', body);
    expect(first.statusCode).toBe(201);
    const before = await books(co.companyId);
    const again = await co.cashier.post('/api/payments', body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, receiptNo: first.json().receiptNo, replayed: true });
    const changed = await co.cashier.post('/api/payments', { ...body, amountFen: 4322 });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().error.details).toMatchObject({ field: 'idempotencyKey', paymentId: first.json().id });
    expect(await books(co.companyId)).toEqual(before);
    // A key whose request was refused is still free.
    const key = randomUUID();
    expectFieldError(await co.cashier.post('/api/payments', { ...body, amountFen: 10_000_000, idempotencyKey: key }), 'balanceKind');
    expect((await co.cashier.post('/api/payments', { ...body, amountFen: 100, idempotencyKey: key })).statusCode).toBe(201);
  });

  it('books five concurrent submissions with one key once: one payment, one receipt', async () => {
    const room = await billedRoom(co, [property]);
    const body = { roomId: room.id, method: 'cash', amountFen: 20_000, idempotencyKey: randomUUID() };
    const before = await books(co.companyId);
    const results = await Promise.all(Array.from({ length: 5 }, () => co.cashier.post('/api/payments', body)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 201]);
    const ids = new Set(results.map((r) => r.json().id));
    expect(ids.size).toBe(1);
    const [id] = ids;
    const payments = await t.db.selectFrom('payments').select('id').where('company_id', '=', co.companyId).where('idempotency_key', '=', body.idempotencyKey).execute();
    expect(payments).toEqual([{ id }]);
    expect(await t.db.selectFrom('receipts').select('number').where('payment_id', '=', id).execute()).toHaveLength(1);
    const after = await books(co.companyId);
    expect(Number(after.payments) - Number(before.payments)).toBe(1);
    expect(Number(after.receipts) - Number(before.receipts)).toBe(1);
    expect(Number(after.receipt_counter) - Number(before.receipt_counter)).toBe(1);
    expect(Number(after.paid) - Number(before.paid)).toBe(20_000);
  });

  it('never overpays a line under concurrent payments with different keys', async () => {
    const room = await billedRoom(co, [property], ['2026-08']);
    const [line] = await linesOf(room.id);
    const part = Math.floor(line.amount_fen * 0.4);
    const results = await Promise.all(Array.from({ length: 5 }, () => pay(co.cashier, { roomId: room.id, amountFen: part, lines: [{ lineId: line.id, amountFen: part }] })));
    const ok = results.filter((r) => r.statusCode === 201);
    expect(ok).toHaveLength(2);
    for (const r of results.filter((x) => x.statusCode !== 201)) expectFieldError(r, 'lines.0.amountFen');
    const [after] = await linesOf(room.id);
    expect(after).toMatchObject({ paid_fen: 2 * part, status: 'partial' });

    // Paying in full (what it owes) five times at once: exactly one succeeds.
    const room2 = await billedRoom(co, [property], ['2026-08']);
    const [line2] = await linesOf(room2.id);
    const full = await Promise.all(Array.from({ length: 5 }, () => pay(co.cashier, { roomId: room2.id, amountFen: line2.amount_fen, lines: [{ lineId: line2.id }] })));
    expect(full.filter((r) => r.statusCode === 201)).toHaveLength(1);
    for (const r of full.filter((x) => x.statusCode !== 201)) expectFieldError(r, 'lines.0.lineId');
    expect((await linesOf(room2.id))[0]).toMatchObject({ paid_fen: line2.amount_fen, status: 'paid' });
  });
});

describe('prepaid balances: automatic deduction and settlement', () => {
  it('settles new lines of an automatic item from the balance after a bill run; the rest on request, own kind first', async () => {
    const auto = await billingCompany(t, { communities: 1 });
    const community = auto.communityIds[0];
    const prop = await feeItem(auto.admin2, auto, { kind: 'property', unitPrice: '2.00', autoDeduct: true });
    const misc = await feeItem(auto.admin2, auto, { kind: 'fixed', unitPrice: '20' });
    expect(prop).toMatchObject({ balanceKind: 'property', autoDeduct: true });
    expect(misc).toMatchObject({ balanceKind: 'general', autoDeduct: false });
    const room = await newRoom(auto);
    const bystander = await newRoom(auto);
    for (const r of [room, bystander]) for (const item of [prop, misc]) await bind(auto.admin2, { itemId: item.id, roomId: r.id, startDate: '2026-01-01' });

    // Deposits while nothing is billed yet.
    const d1 = await paid(auto.cashier, { roomId: room.id, amountFen: 20_000, balanceKind: 'property' });
    const d2 = await paid(auto.cashier, { roomId: room.id, amountFen: 1000, balanceKind: 'general' });
    expect([d1.toBalanceFen, d2.toBalanceFen]).toEqual([20_000, 1000]);

    await runBills(auto.admin2, { communityId: community, periodKey: '2026-09' });
    const first = await linesOf(room.id);
    const propLine = first.find((l) => l.item_id === prop.id)!;
    const miscLine = first.find((l) => l.item_id === misc.id)!;
    expect(propLine).toMatchObject({ status: 'paid', paid_fen: propLine.amount_fen });
    expect(miscLine).toMatchObject({ status: 'unpaid', paid_fen: 0 });
    expect(await balances(room.id)).toEqual({ general: 1000, property: 20_000 - propLine.amount_fen, utilities: 0 });
    const alloc = await t.db.selectFrom('payment_allocations').selectAll().where('bill_line_id', '=', propLine.id).execute();
    expect(alloc).toEqual([expect.objectContaining({ source: 'balance', balance_kind: 'property', payment_id: null, amount_fen: propLine.amount_fen, created_by: null })]);
    const entry = await t.db.selectFrom('balance_entries').selectAll().where('bill_line_id', '=', propLine.id).execute();
    expect(entry).toEqual([expect.objectContaining({ reason: 'settlement', kind: 'property', delta_fen: -propLine.amount_fen, balance_after_fen: 20_000 - propLine.amount_fen })]);
    // The room without a balance is untouched.
    expect((await linesOf(bystander.id)).map((l) => l.status)).toEqual(['unpaid', 'unpaid']);

    // 预存款抵扣 on request: the general line from general only (the property balance is not general's).
    const settle = await auto.cashier.post(`/api/rooms/${room.id}/settle`);
    expect(settle.statusCode, settle.body).toBe(200);
    expect(settle.json()).toEqual({ settledFen: 1000 });
    expect((await linesOf(room.id)).find((l) => l.id === miscLine.id)).toMatchObject({ status: 'partial', paid_fen: 1000 });
    expect(await balances(room.id)).toEqual({ general: 0, property: 20_000 - propLine.amount_fen, utilities: 0 });
    expect(await auditRows(t.db, room.id, 'balance.settle')).toEqual([expect.objectContaining({ after: { settledFen: 1000 } })]);
    // Nothing left for general lines: settling again moves nothing and writes no audit row.
    expect((await auto.cashier.post(`/api/rooms/${room.id}/settle`)).json()).toEqual({ settledFen: 0 });
    expect(await auditRows(t.db, room.id, 'balance.settle')).toHaveLength(1);

    // The next month's property line takes what is left of the property balance: partly paid.
    await runBills(auto.admin2, { communityId: community, periodKey: '2026-10' });
    const october = (await linesOf(room.id)).filter((l) => l.item_id === prop.id).at(-1)!;
    expect(october).toMatchObject({ status: 'partial', paid_fen: 20_000 - propLine.amount_fen });
    expect(await balances(room.id)).toEqual({ general: 0, property: 0, utilities: 0 });

    // A general deposit is taken by an open property line after the own kind (the payment's own settlement).
    const d3 = await paid(auto.cashier, { roomId: room.id, amountFen: 500, balanceKind: 'general', lines: [{ lineId: miscLine.id, amountFen: 100 }] });
    expect(d3).toMatchObject({ allocatedFen: 100, toBalanceFen: 400 });
    expect((await linesOf(room.id)).find((l) => l.id === october.id)!.paid_fen).toBe(20_000 - propLine.amount_fen + 400);
    expect(await balances(room.id)).toEqual({ general: 0, property: 0, utilities: 0 });
  });
  it('a payment with a deposit and a settlement of the same room at once do not deadlock (PostgreSQL)', async () => {
    // A payment locks the room's lines and then writes its balance; a settlement locks the balance and then the
    // lines. Unless both take them in one order, PostgreSQL kills one of them (40P01 → 500) now and then.
    const rooms: TestRoom[] = [];
    for (let i = 0; i < 10; i++) {
      const room = await newRoom(co);
      await bind(co.admin2, { itemId: property.id, roomId: room.id, startDate: '2026-01-01' });
      rooms.push(room);
    }
    for (const periodKey of ['2026-06', '2026-07']) await runBills(co.admin2, { communityId: co.communityIds[0], periodKey, itemIds: [property.id] });
    for (const room of rooms) {
      const [l1, l2] = await linesOf(room.id);
      await paid(co.cashier, { roomId: room.id, amountFen: l1.amount_fen + 3000, lines: [{ lineId: l1.id }], balanceKind: 'property' });
      const [payment, settle] = await Promise.all([pay(co.cashier, { roomId: room.id, amountFen: 100_000, balanceKind: 'property' }), co.cashier.post(`/api/rooms/${room.id}/settle`)]);
      expect([payment.statusCode, settle.statusCode], `${payment.body} ${settle.body}`).toEqual([201, 200]);
      expect((await linesOf(room.id)).map((l) => l.status)).toEqual(['paid', 'paid']);
      expect((await balances(room.id)).property).toBe(100_000 + 3000 - l2.amount_fen);
    }
  });
});

describe('receipts', () => {
  it('are numbered per company and year without gaps; refused and replayed payments take no number', async () => {
    const fresh = await billingCompany(t, { communities: 1 });
    const room = await newRoom(fresh);
    const numbers: string[] = [];
    const key = randomUUID();
    for (let i = 0; i < 3; i++) {
      const body = { roomId: room.id, amountFen: 100 + i, balanceKind: 'general', ...(i === 0 && { idempotencyKey: key }) };
      numbers.push((await paid(fresh.cashier, body)).receiptNo);
      expectFieldError(await pay(fresh.cashier, { roomId: room.id, amountFen: 100 }), 'balanceKind');
    }
    expect((await fresh.cashier.post('/api/payments', { roomId: room.id, method: 'cash', amountFen: 100, balanceKind: 'general', idempotencyKey: key })).statusCode).toBe(200);
    const concurrent = await Promise.all(Array.from({ length: 4 }, (_, i) => pay(fresh.cashier, { roomId: room.id, amountFen: 200 + i, balanceKind: 'general' })));
    numbers.push(...concurrent.map((r) => r.json().receiptNo as string).sort());
    const year = numbers[0].slice(2, 6);
    expect(numbers).toEqual(Array.from({ length: 7 }, (_, i) => `SJ${year}-${String(i + 1).padStart(6, '0')}`));
    // Another company counts from 1 on its own.
    const another = await billingCompany(t, { communities: 1 });
    expect((await paid(another.cashier, { roomId: (await newRoom(another)).id, amountFen: 100, balanceKind: 'general' })).receiptNo).toBe(`SJ${year}-000001`);
    // The list finds a payment by its receipt number.
    const found = (await fresh.cashier.get(`/api/payments?q=${numbers[4]}`)).json();
    expect(found.items.map((p: { receiptNo: string }) => p.receiptNo)).toEqual([numbers[4]]);
  });

  it('prints as PDF; every print is counted and audited', async () => {
    const room = await billedRoom(co, [property], ['2026-08']);
    const p = await paid(co.cashier, { roomId: room.id, amountFen: 1000 });
    for (const copy of [1, 2]) {
      const res = await co.cashier.get(`/api/payments/${p.id}/receipt.pdf`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toContain(`${p.receiptNo}.pdf`);
      expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      expect((await co.cashier.get(`/api/payments/${p.id}`)).json().receipt.printCount).toBe(copy);
    }
    const audit = await auditRows(t.db, p.receipt.id, 'receipt.print');
    expect(audit.map((a) => a.after)).toEqual([{ number: p.receiptNo, copy: 1 }, { number: p.receiptNo, copy: 2 }]);
    expect(audit[0].actor_id).toBe(co.cashier.me.user.id);
  });
});

describe('refunds', () => {
  it('refuses more than what remains (pending requests count), and bad requests, changing nothing', async () => {
    const room = await billedRoom(co, [property], ['2026-08']);
    const p = await paid(co.cashier, { roomId: room.id, amountFen: 5000 });
    await requestRefund(co.cashier, p.id, 3000);
    const theirs = await paid(other.cashier, { roomId: (await newRoom(other)).id, amountFen: 100, balanceKind: 'general' });
    const before = await books(co.companyId);
    const base = { paymentId: p.id, amountFen: 100, reason: '多收退回', idempotencyKey: randomUUID() };
    for (const [body, field] of [
      [{ ...base, amountFen: 2001 }, 'amountFen'],
      [{ ...base, amountFen: 0 }, 'amountFen'],
      [{ ...base, reason: '' }, 'reason'],
      [{ ...base, paymentId: theirs.id }, 'paymentId'],
      [{ ...base, paymentId: randomUUID() }, 'paymentId'],
      [{ ...base, idempotencyKey: undefined }, 'idempotencyKey'],
    ] as const) {
      expectFieldError(await co.cashier.post('/api/refunds', body), field);
    }
    const tooMuch = await co.cashier.post('/api/refunds', { ...base, amountFen: 2001 });
    expect(tooMuch.json().error.message).toContain('20.00');
    expect(await books(co.companyId)).toEqual(before);
    // 2000 is still possible; the same key again returns the same request, another amount is refused.
    const body = { ...base, amountFen: 2000 };
    const ok = await co.cashier.post('/api/refunds', body);
    expect(ok.statusCode).toBe(201);
    expect((await co.cashier.post('/api/refunds', body)).json().id).toBe(ok.json().id);
    expect((await co.cashier.post('/api/refunds', { ...body, amountFen: 1999 })).statusCode).toBe(409);
  });

  it('the requester cannot approve; a rejection moves nothing and closes the request', async () => {
    const room = await billedRoom(co, [property], ['2026-08']);
    const p = await paid(co.admin2, { roomId: room.id, amountFen: 5000 });
    const refund = await requestRefund(co.admin2, p.id, 1000);
    expect(refund).toMatchObject({ status: 'requested', amountFen: 1000, paymentId: p.id, tradeNo: p.tradeNo, fromBalanceFen: 0, fromLinesFen: 0 });
    const before = await books(co.companyId);
    const self = await co.admin2.post(`/api/refunds/${refund.id}/approve`, {});
    expect(self.statusCode).toBe(409);
    expect(self.json().error.message).toMatch(/申请人|requested/);
    expectFieldError(await manager.post(`/api/refunds/${refund.id}/reject`, {}), 'note');
    expectFieldError(await manager.post(`/api/refunds/${refund.id}/reject`, { note: 'x' }), 'note');
    expect(await books(co.companyId)).toEqual(before);

    const rejected = await manager.post(`/api/refunds/${refund.id}/reject`, { note: '金额有误' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionNote: '金额有误', decidedBy: manager.me.user.displayName });
    const after = await books(co.companyId);
    expect({ ...after, refund_states: null }).toEqual({ ...before, refund_states: null });
    expect(await auditRows(t.db, refund.id, 'refund.reject')).toHaveLength(1);
    expect((await manager.post(`/api/refunds/${refund.id}/approve`, {})).statusCode).toBe(409);
    expect((await manager.post(`/api/refunds/${refund.id}/reject`, { note: '再次驳回' })).statusCode).toBe(409);
    // A rejected request no longer holds the money: the full amount can be asked again.
    await requestRefund(co.cashier, p.id, 5000);
  });

  it('comes from the balance first, then the newest lines, which owe again', async () => {
    const room = await billedRoom(co, [property], ['2026-08', '2026-09']);
    const [l1, l2] = await linesOf(room.id);
    const amount = l1.amount_fen + l2.amount_fen + 3000;
    const p = await paid(co.cashier, { roomId: room.id, amountFen: amount, balanceKind: 'general' });
    const r1 = await requestRefund(co.cashier, p.id, 8000);
    const approved = await manager.post(`/api/refunds/${r1.id}/approve`, { note: '同意' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'refunded', fromBalanceFen: 3000, fromLinesFen: 5000, decisionNote: '同意' });
    expect(approved.json().refundedAt).not.toBeNull();
    expect(await balances(room.id)).toEqual({ general: 0, property: 0, utilities: 0 });
    expect((await linesOf(room.id)).map((l) => [l.status, l.paid_fen])).toEqual([['paid', l1.amount_fen], ['partial', l2.amount_fen - 5000]]);
    const detail = (await co.cashier.get(`/api/payments/${p.id}`)).json();
    expect(detail.refundedFen).toBe(8000);
    expect(detail.allocations.filter((a: { refundId: string | null }) => a.refundId)).toEqual([expect.objectContaining({ lineId: l2.id, amountFen: -5000, refundId: r1.id })]);
    expect(detail.refunds).toEqual([expect.objectContaining({ id: r1.id, status: 'refunded', amountFen: 8000 })]);
    const entry = await t.db.selectFrom('balance_entries').selectAll().where('refund_id', '=', r1.id).execute();
    expect(entry).toEqual([expect.objectContaining({ reason: 'refund', kind: 'general', delta_fen: -3000, balance_after_fen: 0, payment_id: p.id })]);
    expect(await auditRows(t.db, r1.id, 'refund.approve')).toEqual([expect.objectContaining({ after: expect.objectContaining({ status: 'refunded', fromBalanceFen: 3000, fromLinesFen: 5000 }) })]);

    // The rest: line 2 first (newest), then line 1; both owe again in full.
    const r2 = await requestRefund(co.cashier, p.id, amount - 8000);
    expect((await manager.post(`/api/refunds/${r2.id}/approve`, {})).json()).toMatchObject({ status: 'refunded', fromBalanceFen: 0, fromLinesFen: amount - 8000 });
    expect((await linesOf(room.id)).map((l) => [l.status, l.paid_fen])).toEqual([['unpaid', 0], ['unpaid', 0]]);
    expect((await co.cashier.get(`/api/payments/${p.id}`)).json().refundedFen).toBe(amount);
    expectFieldError(await co.cashier.post('/api/refunds', { paymentId: p.id, amountFen: 1, reason: '多收退回', idempotencyKey: randomUUID() }), 'amountFen');
    // The lines can be paid again.
    await paid(co.cashier, { roomId: room.id, amountFen: l1.amount_fen + l2.amount_fen });
    expect((await linesOf(room.id)).map((l) => l.status)).toEqual(['paid', 'paid']);
  });

  it('of a payment whose deposit a settlement spent: 409 with the most it can give back; that much comes from its lines', async () => {
    const room = await billedRoom(co, [property], ['2026-08', '2026-09']);
    const [l1] = await linesOf(room.id);
    const p = await paid(co.cashier, { roomId: room.id, amountFen: l1.amount_fen + 5000, balanceKind: 'property', lines: [{ lineId: l1.id }] });
    expect(p.toBalanceFen).toBe(5000);
    expect((await co.cashier.post(`/api/rooms/${room.id}/settle`)).json()).toEqual({ settledFen: 5000 });
    expect((await linesOf(room.id)).map((l) => [l.status, l.paid_fen])).toEqual([['paid', l1.amount_fen], ['partial', 5000]]);

    const all = await requestRefund(co.cashier, p.id, p.amountFen);
    const before = await books(co.companyId);
    const refused = await manager.post(`/api/refunds/${all.id}/approve`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details).toEqual({ maxFen: l1.amount_fen });
    expect(refused.json().error.message).toContain(`${l1.amount_fen / 100}`);
    expect(await books(co.companyId)).toEqual(before);
    expect((await co.cashier.get(`/api/refunds/${all.id}`)).json().status).toBe('requested');

    await manager.post(`/api/refunds/${all.id}/reject`, { note: '改为部分退款' });
    const part = await requestRefund(co.cashier, p.id, l1.amount_fen);
    expect((await manager.post(`/api/refunds/${part.id}/approve`, {})).json()).toMatchObject({ status: 'refunded', fromBalanceFen: 0, fromLinesFen: l1.amount_fen });
    // The settled line keeps what the balance paid it.
    expect((await linesOf(room.id)).map((l) => [l.status, l.paid_fen])).toEqual([['unpaid', 0], ['partial', 5000]]);
  });

  it('lists and reads refunds', async () => {
    const room = await billedRoom(co, [property], ['2026-08']);
    const p = await paid(co.cashier, { roomId: room.id, amountFen: 700 });
    const r = await requestRefund(co.cashier, p.id, 700);
    const list = (await co.cashier.get(`/api/refunds?paymentId=${p.id}`)).json();
    expect(list).toMatchObject({ total: 1, items: [{ id: r.id, status: 'requested', requestedBy: co.cashier.me.user.displayName }] });
    expect((await co.cashier.get(`/api/refunds?status=requested&paymentId=${p.id}`)).json().total).toBe(1);
    expect((await co.cashier.get(`/api/refunds?status=refunded&paymentId=${p.id}`)).json().total).toBe(0);
    expect((await co.cashier.get(`/api/refunds/${r.id}`)).json()).toMatchObject({ id: r.id, roomId: room.id, method: 'cash' });
    expect((await co.cashier.get(`/api/refunds/${randomUUID()}`)).statusCode).toBe(404);
  });
});

describe('the books afterwards', () => {
  it('reconcile for the whole company', async () => {
    const from = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const res = await co.admin2.get(`/api/billing/reconciliation?from=${from}&to=${to}`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.mismatches).toEqual([]);
    expect(r).toMatchObject({ ok: true, mismatchCount: 0, period: { differenceFen: 0 } });
    expect(r.period.paymentCount).toBeGreaterThan(10);
    expect(r.period.refundCount).toBeGreaterThanOrEqual(3);
  });
});
