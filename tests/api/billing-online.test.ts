import { createCipheriv, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentsConfig } from '../../src/config.ts';
import { buildApp } from '../../src/app.ts';
import { signSandboxNotification } from '../../src/modules/billing/payments/sandbox.ts';
import type { FetchLike } from '../../src/modules/billing/payments/provider.ts';
import { testApp, testConfig, type TestApp } from '../helpers/app.ts';
import { Client, createBuilding, createOwnerUser, createResident, createRoom, type TestBuilding, type TestRoom, uniquePhone } from '../helpers/factories.ts';
import { anonymous, auditRows, expectFieldError, ownerLogin, randomIp } from '../helpers/api.ts';
import { type BillingCompany, billingCompany, bind, feeItem, runBills } from '../helpers/billing.ts';

/**
 * 在线缴费 from the owner site: an owner linked to a room sees their bills, starts a payment (pending, with the
 * provider's pay link), and the provider's signed notification books it once — the sandbox's own confirm button,
 * the same notification posted twice, tampered or badly signed ones (refused, recorded and audited), an amount that
 * does not match, a payment nobody else may see, and lines paid at the counter meanwhile (the difference goes to the
 * general balance). WeChat Pay and Alipay notifications through HTTP, with keys made here, and their refunds.
 */

let t: TestApp;
let co: BillingCompany;
let item: { id: string };
let building: TestBuilding;

interface Owner {
  client: Client;
  userId: string;
  room: TestRoom;
}

interface Line {
  id: string;
  amount_fen: number;
  paid_fen: number;
  status: string;
}

async function linesOf(roomId: string): Promise<Line[]> {
  return t.db.selectFrom('bill_lines').select(['id', 'amount_fen', 'paid_fen', 'status']).where('room_id', '=', roomId).orderBy('due_date').orderBy('id').execute();
}

/** An owner account (logged in by SMS code) of a resident who owns a new room billed for three months. */
async function ownerWithBills(c: BillingCompany = co, feeItemId = item.id, b: TestBuilding = building): Promise<Owner> {
  const room = await createRoom(t.db, { building: b, status: 'occupied' });
  const phone = uniquePhone();
  await createResident(t.db, { room, phone });
  const user = await createOwnerUser(t.db, c, phone);
  await bind(c.admin2, { itemId: feeItemId, roomId: room.id, startDate: '2026-01-01' });
  for (const periodKey of ['2026-08', '2026-09', '2026-10']) await runBills(c.admin2, { communityId: room.communityId, periodKey, itemIds: [feeItemId] });
  return { client: await ownerLogin(t.app, t.db, phone), userId: user.id, room };
}

async function start(owner: Owner, lineIds: string[], provider = 'sandbox', client = owner.client) {
  const res = await client.post('/api/owner/payments', { lineIds, provider, idempotencyKey: randomUUID() });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { paymentId: string; tradeNo: string; amountFen: number; status: string; payUrl: string | null; qrCode?: string | null };
}

function sandboxBody(tradeNo: string, amountFen: number, status = 'succeeded') {
  return JSON.stringify({ outTradeNo: tradeNo, providerTradeNo: `SBX-${tradeNo}`, amountFen, paidAt: new Date().toISOString(), status });
}

function notify(app: FastifyInstance, provider: string, body: string, headers: Record<string, string>, ip = randomIp()) {
  return app.inject({ method: 'POST', url: `/api/payments/notify/${provider}`, payload: body, headers, remoteAddress: ip });
}

function notifySandbox(body: string, signature = signSandboxNotification(t.config.payments.sandboxSecret, body), ip = randomIp()) {
  return notify(t.app, 'sandbox', body, { 'content-type': 'application/json', 'x-sandbox-signature': signature }, ip);
}

async function paymentRow(id: string) {
  return t.db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function notificationsOf(tradeNo: string) {
  return t.db.selectFrom('payment_notifications').select(['outcome', 'verified', 'company_id', 'provider']).where('trade_no', '=', tradeNo).orderBy('id').execute();
}

/** What a payment moved: allocations, balance entries, receipts. */
async function movedBy(paymentId: string) {
  const [allocations, entries, receipts] = await Promise.all([
    t.db.selectFrom('payment_allocations').select(['bill_line_id', 'amount_fen']).where('payment_id', '=', paymentId).orderBy('id').execute(),
    t.db.selectFrom('balance_entries').select(['kind', 'delta_fen', 'reason']).where('payment_id', '=', paymentId).orderBy('id').execute(),
    t.db.selectFrom('receipts').select('number').where('payment_id', '=', paymentId).execute(),
  ]);
  return { allocations, entries, receipts };
}

beforeAll(async () => {
  t = await testApp();
  co = await billingCompany(t, { communities: 1 });
  item = await feeItem(co.admin2, co, { kind: 'property', unitPrice: '2.00' });
  building = await createBuilding(t.db, { company: co, communityId: co.communityIds[0] });
});

describe('owner billing endpoints', () => {
  const id = randomUUID();
  it.each([
    ['GET', '/api/owner/billing'],
    ['POST', '/api/owner/payments'],
    ['GET', `/api/owner/payments/${id}`],
    ['POST', `/api/owner/payments/${id}/sandbox-confirm`],
    ['GET', `/api/owner/payments/${id}/receipt.pdf`],
  ] as const)('%s %s needs a session (401)', async (method, url) => {
    const res = await anonymous(t.app, method, url, method === 'POST' ? {} : undefined);
    expect(res.statusCode).toBe(401);
  });

  it('are the owner’s: staff get 403', async () => {
    const owner = await ownerWithBills();
    const [line] = await linesOf(owner.room.id);
    expect((await co.admin2.get('/api/owner/billing')).statusCode).toBe(403);
    const res = await co.cashier.post('/api/owner/payments', { lineIds: [line.id], provider: 'sandbox', idempotencyKey: randomUUID() });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details.permission).toBe('owner.self');
    const p = await start(owner, [line.id]);
    expect((await co.cashier.post(`/api/owner/payments/${p.paymentId}/sandbox-confirm`, {})).statusCode).toBe(403);
    expect((await paymentRow(p.paymentId)).status).toBe('pending');
  });

  it('GET /api/owner/billing shows my rooms, what they owe, balances, payments and the providers', async () => {
    const owner = await ownerWithBills();
    const lines = await linesOf(owner.room.id);
    const res = await owner.client.get('/api/owner/billing');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.providers).toEqual(['sandbox']);
    expect(body.rooms).toHaveLength(1);
    expect(body.rooms[0]).toMatchObject({ roomId: owner.room.id, owedFen: lines.reduce((s, l) => s + l.amount_fen, 0), balances: { general: 0, property: 0, utilities: 0 } });
    expect(body.rooms[0].lines.map((l: { id: string }) => l.id)).toEqual(lines.map((l) => l.id));
    expect(body.payments).toEqual([]);
    // Another owner sees only their own.
    const stranger = await ownerWithBills();
    expect((await stranger.client.get('/api/owner/billing')).json().rooms.map((r: { roomId: string }) => r.roomId)).toEqual([stranger.room.id]);
  });
});

describe('POST /api/owner/payments (sandbox)', () => {
  it('refuses lines that are not mine, not open or repeated, and providers not set up, changing nothing', async () => {
    const owner = await ownerWithBills();
    const stranger = await ownerWithBills();
    const [mine, mine2] = await linesOf(owner.room.id);
    const [theirs] = await linesOf(stranger.room.id);
    await co.cashier.post('/api/payments', { roomId: owner.room.id, method: 'cash', amountFen: mine2.amount_fen, lines: [{ lineId: mine2.id }], idempotencyKey: randomUUID() });
    const count = async () => (await t.db.selectFrom('payments').select('id').where('company_id', '=', co.companyId).execute()).length;
    const before = await count();
    for (const [body, field] of [
      [{ lineIds: [theirs.id], provider: 'sandbox' }, 'lineIds.0'],
      [{ lineIds: [mine.id, randomUUID()], provider: 'sandbox' }, 'lineIds.1'],
      [{ lineIds: [mine2.id], provider: 'sandbox' }, 'lineIds.0'],
      [{ lineIds: [mine.id, mine.id], provider: 'sandbox' }, 'lineIds'],
      [{ lineIds: [], provider: 'sandbox' }, 'lineIds'],
      [{ lineIds: [mine.id], provider: 'wechatpay' }, 'provider'],
      [{ lineIds: [mine.id], provider: 'paypal' }, 'provider'],
      [{ lineIds: [mine.id], provider: 'sandbox', idempotencyKey: 'no spaces allowed' }, 'idempotencyKey'],
    ] as const) {
      expectFieldError(await owner.client.post('/api/owner/payments', { idempotencyKey: randomUUID(), ...body }), field);
    }
    expect(await count()).toBe(before);
  });

  it('starts a pending payment with a pay link; the sandbox confirm books it once, with a receipt', async () => {
    const owner = await ownerWithBills();
    const [l1, l2, l3] = await linesOf(owner.room.id);
    const key = randomUUID();
    const res = await owner.client.post('/api/owner/payments', { lineIds: [l1.id, l2.id], provider: 'sandbox', idempotencyKey: key });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(p).toMatchObject({ status: 'pending', amountFen: l1.amount_fen + l2.amount_fen });
    expect(p.payUrl).toBe(`/m/pay/sandbox?tradeNo=${p.tradeNo}`);
    expect(await auditRows(t.db, p.paymentId, 'payment.start')).toHaveLength(1);
    // The same key again: the same payment; with other lines: refused.
    expect((await owner.client.post('/api/owner/payments', { lineIds: [l1.id, l2.id], provider: 'sandbox', idempotencyKey: key })).json().paymentId).toBe(p.paymentId);
    expect((await owner.client.post('/api/owner/payments', { lineIds: [l3.id], provider: 'sandbox', idempotencyKey: key })).statusCode).toBe(409);
    expect((await owner.client.get(`/api/owner/payments/${p.paymentId}`)).json()).toMatchObject({ status: 'pending', receipt: null, allocations: [] });
    expect((await linesOf(owner.room.id)).map((l) => l.status)).toEqual(['unpaid', 'unpaid', 'unpaid']);

    const confirmed = await owner.client.post(`/api/owner/payments/${p.paymentId}/sandbox-confirm`, {});
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'succeeded', method: 'sandbox', channel: 'owner', allocatedFen: p.amountFen, toBalanceFen: 0, payerName: '业主' });
    expect(confirmed.json().receiptNo).toMatch(/^SJ\d{4}-\d{6}$/);
    expect((await linesOf(owner.room.id)).map((l) => l.status)).toEqual(['paid', 'paid', 'unpaid']);
    expect((await paymentRow(p.paymentId)).provider_trade_no).toBe(`SBX${p.tradeNo.slice(2)}`);
    expect(await auditRows(t.db, p.paymentId, 'payment.paidOnline')).toHaveLength(1);

    // Pressed again: acknowledged, nothing booked twice.
    expect((await owner.client.post(`/api/owner/payments/${p.paymentId}/sandbox-confirm`, {})).statusCode).toBe(200);
    expect((await notificationsOf(p.tradeNo)).map((n) => n.outcome)).toEqual(['applied', 'duplicate']);
    const moved = await movedBy(p.paymentId);
    expect(moved.allocations).toHaveLength(2);
    expect(moved.receipts).toHaveLength(1);
    // A replayed start of a paid payment no longer offers a link.
    expect((await owner.client.post('/api/owner/payments', { lineIds: [l1.id, l2.id], provider: 'sandbox', idempotencyKey: key })).json()).toMatchObject({ status: 'succeeded', payUrl: null });

    const billing = (await owner.client.get('/api/owner/billing')).json();
    expect(billing.payments.map((x: { id: string }) => x.id)).toEqual([p.paymentId]);
    expect(billing.rooms[0].owedFen).toBe(l3.amount_fen);
    const pdf = await owner.client.get(`/api/owner/payments/${p.paymentId}/receipt.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('another owner can neither see nor confirm my payment (404), nor print its receipt', async () => {
    const owner = await ownerWithBills();
    const stranger = await ownerWithBills();
    const [l1] = await linesOf(owner.room.id);
    const p = await start(owner, [l1.id]);
    expect((await stranger.client.get(`/api/owner/payments/${p.paymentId}`)).statusCode).toBe(404);
    expect((await stranger.client.post(`/api/owner/payments/${p.paymentId}/sandbox-confirm`, {})).statusCode).toBe(404);
    expect((await paymentRow(p.paymentId)).status).toBe('pending');
    await owner.client.post(`/api/owner/payments/${p.paymentId}/sandbox-confirm`, {});
    expect((await stranger.client.get(`/api/owner/payments/${p.paymentId}/receipt.pdf`)).statusCode).toBe(404);
    // An owner of another company neither.
    const elsewhere = await billingCompany(t, { communities: 1 });
    const theirItem = await feeItem(elsewhere.admin2, elsewhere, { kind: 'fixed', unitPrice: '10' });
    const foreigner = await ownerWithBills(elsewhere, theirItem.id, await createBuilding(t.db, { company: elsewhere, communityId: elsewhere.communityIds[0] }));
    expect((await foreigner.client.get(`/api/owner/payments/${p.paymentId}`)).statusCode).toBe(404);
    expect((await foreigner.client.post(`/api/owner/payments/${p.paymentId}/sandbox-confirm`, {})).statusCode).toBe(404);
    expectFieldError(await foreigner.client.post('/api/owner/payments', { lineIds: [l1.id], provider: 'sandbox', idempotencyKey: randomUUID() }), 'lineIds.0');
  });

  it('a closed sandbox payment books nothing — until the provider says it was paid after all', async () => {
    const owner = await ownerWithBills();
    const [l1] = await linesOf(owner.room.id);
    const p = await start(owner, [l1.id]);
    const res = await owner.client.post(`/api/owner/payments/${p.paymentId}/sandbox-confirm`, { outcome: 'closed' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'closed', receipt: null, allocations: [] });
    expect((await linesOf(owner.room.id))[0].status).toBe('unpaid');
    expect(await auditRows(t.db, p.paymentId, 'payment.notPaid')).toHaveLength(1);
    // A second "closed" changes nothing; a success notification after the close books the money that arrived.
    expect((await owner.client.post(`/api/owner/payments/${p.paymentId}/sandbox-confirm`, { outcome: 'closed' })).statusCode).toBe(200);
    expect(await auditRows(t.db, p.paymentId, 'payment.notPaid')).toHaveLength(1);
    expect((await notifySandbox(sandboxBody(p.tradeNo, p.amountFen))).statusCode).toBe(200);
    expect((await paymentRow(p.paymentId)).status).toBe('succeeded');
    expect((await linesOf(owner.room.id))[0].status).toBe('paid');
  });
});

describe('POST /api/payments/notify/sandbox', () => {
  it('applies the same notification once: applied, then duplicate', async () => {
    const owner = await ownerWithBills();
    const [, , l3] = await linesOf(owner.room.id);
    const p = await start(owner, [l3.id]);
    const body = sandboxBody(p.tradeNo, p.amountFen);
    const first = await notifySandbox(body);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ code: 'SUCCESS', message: '成功' });
    const second = await notifySandbox(body);
    expect(second.statusCode).toBe(200);
    expect(await notificationsOf(p.tradeNo)).toEqual([
      { outcome: 'applied', verified: true, company_id: co.companyId, provider: 'sandbox' },
      { outcome: 'duplicate', verified: true, company_id: co.companyId, provider: 'sandbox' },
    ]);
    expect(await movedBy(p.paymentId)).toEqual({ allocations: [{ bill_line_id: l3.id, amount_fen: l3.amount_fen }], entries: [], receipts: [expect.anything()] });
    expect((await paymentRow(p.paymentId)).provider_trade_no).toBe(`SBX-${p.tradeNo}`);
  });

  it('applies two deliveries at once only once', async () => {
    const owner = await ownerWithBills();
    const [l1] = await linesOf(owner.room.id);
    const p = await start(owner, [l1.id]);
    const body = sandboxBody(p.tradeNo, p.amountFen);
    const results = await Promise.all([notifySandbox(body), notifySandbox(body), notifySandbox(body)]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect((await notificationsOf(p.tradeNo)).map((n) => n.outcome).sort()).toEqual(['applied', 'duplicate', 'duplicate']);
    expect((await movedBy(p.paymentId)).allocations).toHaveLength(1);
  });

  it('refuses a tampered body or a bad signature: recorded, audited, nothing paid', async () => {
    const owner = await ownerWithBills();
    const [l1] = await linesOf(owner.room.id);
    const p = await start(owner, [l1.id]);
    const body = sandboxBody(p.tradeNo, p.amountFen);
    const good = signSandboxNotification(t.config.payments.sandboxSecret, body);
    const attempts: Array<[string, string, string | null, boolean]> = [
      ['tampered body', body.replace('"status":"succeeded"', '"status":"succeeded" '), good, false],
      ['another secret', body, signSandboxNotification(`${t.config.payments.sandboxSecret}x`, body), false],
      ['no signature', body, null, false],
      ['signed but not a notification', '{"hello":1}', signSandboxNotification(t.config.payments.sandboxSecret, '{"hello":1}'), true],
    ];
    for (const [name, sent, signature, verified] of attempts) {
      const ip = randomIp();
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(signature && { 'x-sandbox-signature': signature }) };
      const res = await notify(t.app, 'sandbox', sent, headers, ip);
      expect(res.statusCode, name).toBe(400);
      expect(res.json().code, name).toBe('FAIL');
      const rows = await t.db.selectFrom('payment_notifications').selectAll().where('ip', '=', ip).execute();
      expect(rows, name).toEqual([expect.objectContaining({ provider: 'sandbox', outcome: 'rejected', verified, trade_no: null, company_id: null })]);
      expect(rows[0].body_sha256).toMatch(/^[0-9a-f]{64}$/);
      const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'payment.notificationRejected').where(sql<boolean>`after->>'ip' = ${ip}`).execute();
      expect(audit, name).toEqual([expect.objectContaining({ company_id: null, actor_id: null, entity_type: 'paymentNotification' })]);
    }
    expect((await paymentRow(p.paymentId)).status).toBe('pending');
    expect(await movedBy(p.paymentId)).toEqual({ allocations: [], entries: [], receipts: [] });
    expect((await linesOf(owner.room.id))[0].status).toBe('unpaid');
    // The genuine one still applies.
    expect((await notifySandbox(body)).statusCode).toBe(200);
    expect((await paymentRow(p.paymentId)).status).toBe('succeeded');
  });

  it('refuses an amount that does not match the payment, and an unknown trade number', async () => {
    const owner = await ownerWithBills();
    const [l1] = await linesOf(owner.room.id);
    const p = await start(owner, [l1.id]);
    const res = await notifySandbox(sandboxBody(p.tradeNo, p.amountFen - 1));
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('FAIL');
    expect(await notificationsOf(p.tradeNo)).toEqual([{ outcome: 'failed', verified: true, company_id: co.companyId, provider: 'sandbox' }]);
    expect(await auditRows(t.db, p.paymentId, 'payment.amountMismatch')).toEqual([expect.objectContaining({ after: { expected: p.amountFen, notified: p.amountFen - 1 } })]);
    expect((await paymentRow(p.paymentId)).status).toBe('pending');
    expect(await movedBy(p.paymentId)).toEqual({ allocations: [], entries: [], receipts: [] });

    const unknown = `AJ${Date.now()}NOPE`;
    expect((await notifySandbox(sandboxBody(unknown, 100))).statusCode).toBe(400);
    expect(await notificationsOf(unknown)).toEqual([{ outcome: 'failed', verified: true, company_id: null, provider: 'sandbox' }]);
    // A payment of another provider cannot be confirmed through the sandbox.
    const counter = (await co.cashier.post('/api/payments', { roomId: owner.room.id, method: 'cash', amountFen: 100, idempotencyKey: randomUUID() })).json();
    expect((await notifySandbox(sandboxBody(counter.tradeNo, 100))).statusCode).toBe(400);
  });

  it('puts the difference into the general balance when lines were paid at the counter meanwhile', async () => {
    const owner = await ownerWithBills();
    const [l1, l2] = await linesOf(owner.room.id);
    const p = await start(owner, [l1.id, l2.id]);
    await co.cashier.post('/api/payments', { roomId: owner.room.id, method: 'cash', amountFen: l1.amount_fen + 1000, lines: [{ lineId: l1.id }, { lineId: l2.id, amountFen: 1000 }], idempotencyKey: randomUUID() });
    const confirmed = await owner.client.post(`/api/owner/payments/${p.paymentId}/sandbox-confirm`, {});
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'succeeded', amountFen: l1.amount_fen + l2.amount_fen, allocatedFen: l2.amount_fen - 1000, toBalanceFen: l1.amount_fen + 1000, balanceKind: 'general' });
    expect((await linesOf(owner.room.id)).map((l) => [l.status, l.paid_fen])).toEqual([['paid', l1.amount_fen], ['paid', l2.amount_fen], ['unpaid', 0]]);
    expect(await movedBy(p.paymentId)).toEqual({
      allocations: [{ bill_line_id: l2.id, amount_fen: l2.amount_fen - 1000 }],
      entries: [{ kind: 'general', delta_fen: l1.amount_fen + 1000, reason: 'deposit' }],
      receipts: [expect.anything()],
    });
    expect((await owner.client.get('/api/owner/billing')).json().rooms[0].balances.general).toBe(l1.amount_fen + 1000);
  });

  it('refunds an online payment through the provider (the sandbox always succeeds)', async () => {
    const owner = await ownerWithBills();
    const [l1] = await linesOf(owner.room.id);
    const p = await start(owner, [l1.id]);
    await owner.client.post(`/api/owner/payments/${p.paymentId}/sandbox-confirm`, {});
    const r = (await co.cashier.post('/api/refunds', { paymentId: p.paymentId, amountFen: 500, reason: '重复缴费', idempotencyKey: randomUUID() })).json();
    const approved = await co.admin2.post(`/api/refunds/${r.id}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'refunded', fromLinesFen: 500, fromBalanceFen: 0, method: 'sandbox' });
    const row = await t.db.selectFrom('refunds').select(['provider_refund_no', 'business_date']).where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row.provider_refund_no).toBe(`SANDBOX-R-${r.outRefundNo}`);
    expect((await auditRows(t.db, r.id)).map((a) => a.action)).toEqual(['refund.request', 'refund.approve', 'refund.complete']);
    expect((await linesOf(owner.room.id))[0]).toMatchObject({ status: 'partial', paid_fen: l1.amount_fen - 500 });
  });
});

// ── WeChat Pay and Alipay, with keys made here ───────────────────────────────────────────────────────────────
const pair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: KeyObject) => key.export({ type: key.type === 'private' ? 'pkcs8' : 'spki', format: 'pem' }).toString();
const wxMerchant = pair();
const wxPlatform = pair();
const aliMerchant = pair();
const aliPlatform = pair();
const stranger = pair();
const API_V3_KEY = 'k3Y0fTh1rtyTwoBytesLongApiV3Key!';
const SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
const MCH_ID = '1900000109';
const ALIPAY_APP_ID = '2021004100000001';

/** What the fake providers answer next (a refund may be told to fail). */
const answers = { wechatRefund: { status: 200, body: { refund_id: '50000000382019052709732678859', status: 'SUCCESS' } as unknown } };

function wxSigned(body: string, key: KeyObject = wxPlatform.privateKey) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomUUID().replace(/-/g, '');
  const signature = sign('sha256', Buffer.from(`${timestamp}\n${nonce}\n${body}\n`), key).toString('base64');
  return { 'wechatpay-timestamp': timestamp, 'wechatpay-nonce': nonce, 'wechatpay-signature': signature, 'wechatpay-serial': SERIAL };
}

/** A fake WeChat Pay API answering signed with the platform key. */
const wechatFetch: FetchLike = async (url, init) => {
  const path = new URL(url).pathname;
  const reply = path.startsWith('/v3/refund') ? answers.wechatRefund : { status: 200, body: { code_url: `weixin://wxpay/bizpayurl?pr=${JSON.parse(init.body ?? '{}').out_trade_no}` } };
  const text = JSON.stringify(reply.body);
  const headers = wxSigned(text);
  return { status: reply.status, headers: { get: (name: string) => headers[name.toLowerCase() as keyof typeof headers] ?? null }, text: async () => text };
};

/** A fake Alipay gateway: precreate answers a QR code, refunds succeed; responses signed with Alipay's key. */
const alipayFetch: FetchLike = async (_url, init) => {
  const params = new URLSearchParams(init.body ?? '');
  const method = params.get('method')!;
  const biz = JSON.parse(params.get('biz_content') ?? '{}');
  const node =
    method === 'alipay.trade.precreate'
      ? { code: '10000', msg: 'Success', out_trade_no: biz.out_trade_no, qr_code: `https://qr.alipay.com/${biz.out_trade_no}` }
      : { code: '10000', msg: 'Success', trade_no: '2026112322001405010500000009', out_trade_no: biz.out_trade_no, refund_fee: biz.refund_amount, fund_change: 'Y' };
  const raw = JSON.stringify(node);
  const signature = sign('sha256', Buffer.from(raw), aliPlatform.privateKey).toString('base64');
  const text = `{"${method.replace(/\./g, '_')}_response":${raw},"sign":"${signature}"}`;
  return { status: 200, headers: { get: () => null }, text: async () => text };
};

function wechatNotification(tradeNo: string, totalFen: number, opts: { state?: string; mchid?: string } = {}) {
  const tx = {
    mchid: opts.mchid ?? MCH_ID,
    appid: 'wxd678efh567hg6787',
    out_trade_no: tradeNo,
    transaction_id: `42000000002026112${Math.floor(Math.random() * 1e9)}`,
    trade_type: 'NATIVE',
    trade_state: opts.state ?? 'SUCCESS',
    success_time: new Date().toISOString().replace('Z', '+00:00'),
    amount: { total: totalFen, payer_total: totalFen, currency: 'CNY', payer_currency: 'CNY' },
  };
  const nonce = 'fdasflkja484';
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(API_V3_KEY), Buffer.from(nonce));
  cipher.setAAD(Buffer.from('transaction'));
  const data = Buffer.concat([cipher.update(JSON.stringify(tx), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return JSON.stringify({
    id: `EV-${randomUUID()}`,
    create_time: new Date().toISOString(),
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: { algorithm: 'AEAD_AES_256_GCM', ciphertext: data.toString('base64'), nonce, associated_data: 'transaction', original_type: 'transaction' },
  });
}

function alipayNotification(tradeNo: string, totalFen: number, key: KeyObject = aliPlatform.privateKey) {
  const shanghai = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
  const params: Record<string, string> = {
    notify_time: shanghai,
    notify_type: 'trade_status_sync',
    notify_id: randomUUID().replace(/-/g, ''),
    app_id: ALIPAY_APP_ID,
    charset: 'utf-8',
    version: '1.0',
    trade_no: `2026112322001405010${Math.floor(Math.random() * 1e9)}`,
    out_trade_no: tradeNo,
    subject: '物业缴费',
    total_amount: `${Math.floor(totalFen / 100)}.${String(totalFen % 100).padStart(2, '0')}`,
    trade_status: 'TRADE_SUCCESS',
    gmt_payment: shanghai,
  };
  const content = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&');
  const signature = sign('sha256', Buffer.from(content), key).toString('base64');
  return new URLSearchParams({ ...params, sign: signature, sign_type: 'RSA2' }).toString();
}

describe('WeChat Pay and Alipay through HTTP', () => {
  let app2: FastifyInstance;
  const onApp2 = (c: Client) => new Client(app2, c.cookie, c.csrf, c.me);

  beforeAll(async () => {
    const payments = {
      ...t.config.payments,
      wechatpay: { mchId: MCH_ID, appId: 'wxd678efh567hg6787', merchantSerialNo: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C', merchantPrivateKey: pem(wxMerchant.privateKey), apiV3Key: API_V3_KEY, platformKeys: { [SERIAL]: pem(wxPlatform.publicKey) }, fetch: wechatFetch },
      alipay: { appId: ALIPAY_APP_ID, merchantPrivateKey: pem(aliMerchant.privateKey), alipayPublicKey: pem(aliPlatform.publicKey), fetch: alipayFetch },
    } as PaymentsConfig;
    app2 = await buildApp({ config: testConfig({ payments }), database: t.database, logger: false });
    await app2.ready();
  });
  afterAll(async () => {
    await app2?.close();
  });

  it('offers the configured providers', async () => {
    const owner = await ownerWithBills();
    expect((await onApp2(owner.client).get('/api/owner/billing')).json().providers.sort()).toEqual(['alipay', 'sandbox', 'wechatpay']);
  });

  it('WeChat Pay: a QR code, then a signed and encrypted notification books the payment once; forged ones are refused', async () => {
    const owner = await ownerWithBills();
    const [l1, l2] = await linesOf(owner.room.id);
    const p = await start(owner, [l1.id, l2.id], 'wechatpay', onApp2(owner.client));
    expect(p).toMatchObject({ status: 'pending', payUrl: null, qrCode: `weixin://wxpay/bizpayurl?pr=${p.tradeNo}` });

    const body = wechatNotification(p.tradeNo, p.amountFen);
    const otherMerchant = wechatNotification(p.tradeNo, p.amountFen, { mchid: '1900000110' });
    const forged: Array<[string, string, Record<string, string>, boolean]> = [
      ['signed by a stranger', body, wxSigned(body, stranger.privateKey), false],
      ['a tampered body', body.replace('支付成功', '支付成功!'), wxSigned(body), false],
      ['no signature headers', body, {}, false],
      ['another merchant, genuinely signed', otherMerchant, wxSigned(otherMerchant), true],
    ];
    for (const [name, sent, headers, verified] of forged) {
      const ip = randomIp();
      const res = await notify(app2, 'wechatpay', sent, { 'content-type': 'application/json', ...headers }, ip);
      expect(res.statusCode, name).toBe(400);
      expect(res.json().code, name).toBe('FAIL');
      expect(await t.db.selectFrom('payment_notifications').select(['outcome', 'verified']).where('ip', '=', ip).execute(), name).toEqual([{ outcome: 'rejected', verified }]);
      expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'payment.notificationRejected').where(sql<boolean>`after->>'ip' = ${ip}`).execute(), name).toHaveLength(1);
    }
    expect((await paymentRow(p.paymentId)).status).toBe('pending');

    const ok = await notify(app2, 'wechatpay', body, { 'content-type': 'application/json', ...wxSigned(body) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ code: 'SUCCESS', message: '成功' });
    expect(await notify(app2, 'wechatpay', body, { 'content-type': 'application/json', ...wxSigned(body) }).then((r) => r.statusCode)).toBe(200);
    expect((await notificationsOf(p.tradeNo)).map((n) => [n.provider, n.outcome])).toEqual([['wechatpay', 'applied'], ['wechatpay', 'duplicate']]);
    const row = await paymentRow(p.paymentId);
    expect(row).toMatchObject({ status: 'succeeded', method: 'wechatpay', allocated_fen: p.amountFen });
    expect(row.provider_trade_no).toMatch(/^42000000002026112/);
    expect((await linesOf(owner.room.id)).map((l) => l.status)).toEqual(['paid', 'paid', 'unpaid']);
    // A wrong amount, even genuinely signed, books nothing.
    const [, , l3] = await linesOf(owner.room.id);
    const q = await start(owner, [l3.id], 'wechatpay', onApp2(owner.client));
    const wrong = wechatNotification(q.tradeNo, q.amountFen + 100);
    expect((await notify(app2, 'wechatpay', wrong, { 'content-type': 'application/json', ...wxSigned(wrong) })).statusCode).toBe(400);
    expect((await paymentRow(q.paymentId)).status).toBe('pending');
    // The sandbox path cannot confirm a WeChat Pay payment.
    expectFieldError(await owner.client.post(`/api/owner/payments/${q.paymentId}/sandbox-confirm`, {}), 'paymentId');
  });

  it('WeChat Pay refunds: through the provider; a refusal marks the refund failed and moves nothing', async () => {
    const owner = await ownerWithBills();
    const [l1] = await linesOf(owner.room.id);
    const p = await start(owner, [l1.id], 'wechatpay', onApp2(owner.client));
    const body = wechatNotification(p.tradeNo, p.amountFen);
    expect((await notify(app2, 'wechatpay', body, { 'content-type': 'application/json', ...wxSigned(body) })).statusCode).toBe(200);
    const cashier = onApp2(co.cashier);
    const admin = onApp2(co.admin2);

    answers.wechatRefund = { status: 400, body: { code: 'NOTENOUGH', message: '基本账户余额不足' } };
    const r1 = (await cashier.post('/api/refunds', { paymentId: p.paymentId, amountFen: 1000, reason: '重复缴费', idempotencyKey: randomUUID() })).json();
    const failed = await admin.post(`/api/refunds/${r1.id}/approve`, {});
    expect(failed.statusCode).toBe(502);
    expect(failed.json().error.details).toEqual({ refundId: r1.id });
    expect((await admin.get(`/api/refunds/${r1.id}`)).json()).toMatchObject({ status: 'failed', error: expect.stringContaining('NOTENOUGH'), fromLinesFen: 0 });
    expect((await linesOf(owner.room.id))[0]).toMatchObject({ status: 'paid', paid_fen: l1.amount_fen });
    expect((await paymentRow(p.paymentId)).refunded_fen).toBe(0);

    answers.wechatRefund = { status: 200, body: { refund_id: '50000000382019052709732678859', status: 'SUCCESS' } };
    const r2 = (await cashier.post('/api/refunds', { paymentId: p.paymentId, amountFen: 1000, reason: '重复缴费', idempotencyKey: randomUUID() })).json();
    expect((await admin.post(`/api/refunds/${r2.id}/approve`, {})).json()).toMatchObject({ status: 'refunded', fromLinesFen: 1000 });
    expect((await linesOf(owner.room.id))[0]).toMatchObject({ status: 'partial', paid_fen: l1.amount_fen - 1000 });
    expect((await t.db.selectFrom('refunds').select('provider_refund_no').where('id', '=', r2.id).executeTakeFirstOrThrow()).provider_refund_no).toBe('50000000382019052709732678859');
  });

  it('Alipay: a QR code, then a signed notification books the payment once ("success"); forged ones get "fail"', async () => {
    const owner = await ownerWithBills();
    const [l1] = await linesOf(owner.room.id);
    const p = await start(owner, [l1.id], 'alipay', onApp2(owner.client));
    expect(p.qrCode).toBe(`https://qr.alipay.com/${p.tradeNo}`);
    const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
    const body = alipayNotification(p.tradeNo, p.amountFen);
    for (const [name, sent] of [
      ['signed by a stranger', alipayNotification(p.tradeNo, p.amountFen, stranger.privateKey)],
      ['a changed amount', body.replace(/total_amount=[^&]+/, 'total_amount=0.01')],
    ] as const) {
      const ip = randomIp();
      const res = await notify(app2, 'alipay', sent, form, ip);
      expect(res.statusCode, name).toBe(200);
      expect(res.body, name).toBe('fail');
      expect(await t.db.selectFrom('payment_notifications').select(['outcome', 'verified']).where('ip', '=', ip).execute(), name).toEqual([{ outcome: 'rejected', verified: false }]);
    }
    expect((await paymentRow(p.paymentId)).status).toBe('pending');
    const ok = await notify(app2, 'alipay', body, form);
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('success');
    expect((await notify(app2, 'alipay', body, form)).body).toBe('success');
    expect((await notificationsOf(p.tradeNo)).map((n) => n.outcome)).toEqual(['applied', 'duplicate']);
    expect(await paymentRow(p.paymentId)).toMatchObject({ status: 'succeeded', method: 'alipay' });
    expect((await linesOf(owner.room.id))[0].status).toBe('paid');

    const r = (await onApp2(co.cashier).post('/api/refunds', { paymentId: p.paymentId, amountFen: p.amountFen, reason: '重复缴费', idempotencyKey: randomUUID() })).json();
    expect((await onApp2(co.admin2).post(`/api/refunds/${r.id}/approve`, {})).json()).toMatchObject({ status: 'refunded', fromLinesFen: p.amountFen });
    expect((await linesOf(owner.room.id))[0]).toMatchObject({ status: 'unpaid', paid_fen: 0 });
  });
});
