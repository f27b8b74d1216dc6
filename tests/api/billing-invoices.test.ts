import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { type Client, companyRows, createOwnerUser, createResident, createRoom, createStaffUser } from '../helpers/factories.ts';
import { anonymous, auditRows, createRoleUser, expectFieldError, ownerLogin, sessionAs } from '../helpers/api.ts';
import { type BillingCompany, billingCompany } from '../helpers/billing.ts';
import { creditCodeProblem, normalizeTaxNo } from '../../src/modules/billing/invoices.ts';

let t: TestApp;
let a: BillingCompany;
let b: BillingCompany;
/** billing.read only: may list, may not request or handle. */
let reader: Client;

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([billingCompany(t), billingCompany(t, { communities: 1 })]);
  reader = await sessionAs(t.app, t.db, (await createRoleUser(t.db, a, ['billing.read'], { communityIds: a.communityIds })).id);
});

/** Published codes: the standard's own example, Tencent's, China Mobile's. */
const VALID = ['91350100M000100Y43', '9144030071526726XG', '91110000802100433B'];

async function room(co: BillingCompany = a) {
  return createRoom(t.db, { company: co, communityId: co.communityIds[0] });
}

/** A counter payment through the API, all of it to the room's general prepaid balance (no bills needed). */
async function pay(roomId: string, amountFen = 10_000, client: Client = a.cashier) {
  const res = await client.post('/api/payments', { roomId, method: 'cash', amountFen, balanceKind: 'general', idempotencyKey: randomUUID() });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; communityId: string; tradeNo: string; receiptNo: string; amountFen: number };
}

/** A payment row that never succeeded (an online payment still waiting, or closed). */
async function unpaid(co: BillingCompany, status: 'pending' | 'failed' | 'closed') {
  const row = await t.db
    .insertInto('payments')
    .values({
      company_id: co.companyId,
      community_id: co.communityIds[0],
      trade_no: `AJT${randomUUID().replaceAll('-', '').slice(0, 20)}`,
      method: 'sandbox',
      channel: 'owner',
      status,
      amount_fen: 5_000,
      idempotency_key: randomUUID(),
      request_hash: 'x',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function refund(paymentId: string, amountFen: number) {
  const rf = await a.cashier.post('/api/refunds', { paymentId, amountFen, reason: '多收退回', idempotencyKey: randomUUID() });
  expect(rf.statusCode, rf.body).toBe(201);
  const ap = await a.admin2.post(`/api/refunds/${rf.json().id}/approve`, {});
  expect(ap.statusCode, ap.body).toBe(200);
}

async function request(body: Record<string, unknown>, client: Client = a.cashier) {
  const res = await client.post('/api/invoice-requests', { kind: 'personal', title: '张三', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const invoiceRows = (paymentId: string) => t.db.selectFrom('invoice_requests').selectAll().where('payment_id', '=', paymentId).execute();

describe('统一社会信用代码', () => {
  it.each([
    ...VALID.map((code) => [code, null] as const),
    ['91350100M000100Y44', 'check'],
    ['9144030071526726XA', 'check'],
    ['91350100M000100Y4', 'format'],
    ['91350100M000100Y433', 'format'],
    ['91350100I000100Y43', 'format'],
    ['91350100O000100Y43', 'format'],
    ['91350100S000100Y43', 'format'],
    ['91350100V000100Y43', 'format'],
    ['91350100Z000100Y43', 'format'],
    ['91350100m000100y43', 'format'],
    ['91350100-000100Y43', 'format'],
    ['', 'format'],
  ] as const)('%s → %s', (code, problem) => {
    expect(creditCodeProblem(code)).toBe(problem);
  });

  it('drops spaces and upper-cases what is pasted', () => {
    expect(normalizeTaxNo(' 9144 0300 7152 6726xg ')).toBe('9144030071526726XG');
  });
});

describe('every endpoint needs a session', () => {
  it.each([
    ['POST', '/api/invoice-requests'],
    ['GET', '/api/invoice-requests'],
    ['GET', `/api/invoice-requests/${randomUUID()}`],
    ['POST', `/api/invoice-requests/${randomUUID()}/issue`],
    ['POST', `/api/invoice-requests/${randomUUID()}/reject`],
    ['POST', '/api/owner/invoice-requests'],
    ['GET', '/api/owner/invoice-requests'],
  ] as const)('%s %s → 401', async (method, url) => {
    const res = await anonymous(t.app, method, url, method === 'POST' ? {} : undefined);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('requesting an invoice at the counter', () => {
  it('records a personal request for what is left after refunds, audited, shown on the payment', async () => {
    const r = await room();
    const p = await pay(r.id, 12_000);
    await refund(p.id, 2_000);
    const inv = await request({ paymentId: p.id, title: '张三', email: 'zhang@example.com' });
    expect(inv).toMatchObject({
      paymentId: p.id,
      communityId: a.communityIds[0],
      tradeNo: p.tradeNo,
      receiptNo: p.receiptNo,
      roomId: r.id,
      kind: 'personal',
      title: '张三',
      taxNo: null,
      email: 'zhang@example.com',
      amountFen: 10_000,
      status: 'requested',
      invoiceNo: null,
      handledBy: null,
    });
    expect(inv.requestedBy).toBe(a.cashier.me.user.displayName);
    const [audit] = await auditRows(t.db, inv.id, 'invoiceRequest.create');
    expect(audit.after).toMatchObject({ paymentId: p.id, kind: 'personal', amountFen: 10_000 });
    expect(audit.actor_id).toBe(a.cashier.me.user.id);
    const detail = (await a.cashier.get(`/api/payments/${p.id}`)).json();
    expect(detail.invoice).toMatchObject({ id: inv.id, status: 'requested', title: '张三' });
  });

  it('needs a valid 统一社会信用代码 for a company, stored as it should be written', async () => {
    const p = await pay((await room()).id);
    const before = await companyRows(t.db, a.companyId, ['invoice_requests']);
    for (const taxNo of [undefined, '', '   ', '91350100M000100Y4', '91350100O000100Y43', '91350100M000100Y44']) {
      const res = await a.cashier.post('/api/invoice-requests', { paymentId: p.id, kind: 'company', title: '某某科技有限公司', ...(taxNo !== undefined && { taxNo }) });
      expectFieldError(res, 'taxNo');
    }
    const wrongCheck = await a.cashier.post('/api/invoice-requests', { paymentId: p.id, kind: 'company', title: '某某', taxNo: '91350100M000100Y44' });
    expect(wrongCheck.json().error.message).toMatch(/校验位/);
    expect(await companyRows(t.db, a.companyId, ['invoice_requests'])).toEqual(before);

    const inv = await request({ paymentId: p.id, kind: 'company', title: '腾讯科技（深圳）有限公司', taxNo: '9144 0300 7152 6726xg' });
    expect(inv).toMatchObject({ kind: 'company', taxNo: '9144030071526726XG', amountFen: 10_000 });
    expect((await invoiceRows(p.id))[0].tax_no).toBe('9144030071526726XG');
  });

  it('checks a tax number given for a person too', async () => {
    const p = await pay((await room()).id);
    expectFieldError(await a.cashier.post('/api/invoice-requests', { paymentId: p.id, kind: 'personal', title: '李四', taxNo: 'ABC' }), 'taxNo');
    expect(await invoiceRows(p.id)).toHaveLength(0);
  });

  it.each([
    [{ kind: 'personal', title: '张三' }, 'paymentId'],
    [{ paymentId: 'nope', kind: 'personal', title: '张三' }, 'paymentId'],
    [{ paymentId: randomUUID(), kind: 'vip', title: '张三' }, 'kind'],
    [{ paymentId: randomUUID(), kind: 'personal' }, 'title'],
    [{ paymentId: randomUUID(), kind: 'personal', title: '   ' }, 'title'],
    [{ paymentId: randomUUID(), kind: 'personal', title: '张三', email: 'not-an-email' }, 'email'],
    [{ paymentId: randomUUID(), kind: 'personal', title: '张三', extra: 1 }, 'extra'],
  ])('%j → 400 naming %s', async (body, field) => {
    expectFieldError(await a.cashier.post('/api/invoice-requests', body), field);
  });

  it('refuses a payment that did not succeed, or was refunded in full, naming paymentId', async () => {
    for (const status of ['pending', 'failed', 'closed'] as const) {
      const id = await unpaid(a, status);
      const res = await a.admin2.post('/api/invoice-requests', { paymentId: id, kind: 'personal', title: '张三' });
      expectFieldError(res, 'paymentId');
      expect(res.json().error.message).toMatch(/未成功/);
      expect(await invoiceRows(id)).toHaveLength(0);
    }
    const p = await pay((await room()).id, 3_000);
    await refund(p.id, 3_000);
    const res = await a.cashier.post('/api/invoice-requests', { paymentId: p.id, kind: 'personal', title: '张三' });
    expectFieldError(res, 'paymentId');
    expect(res.json().error.message).toMatch(/全部退款/);
  });

  it('allows one live request per payment (409), and a new one after a rejection', async () => {
    const p = await pay((await room()).id);
    const first = await request({ paymentId: p.id });
    const again = await a.cashier.post('/api/invoice-requests', { paymentId: p.id, kind: 'personal', title: '王五' });
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json().error.details).toMatchObject({ invoiceRequestId: first.id, status: 'requested' });
    expect(await invoiceRows(p.id)).toHaveLength(1);

    const both = await Promise.all([1, 2].map(async () => (await pay((await room()).id)).id));
    const raced = await Promise.all(both.flatMap((id) => [0, 1].map(() => a.cashier.post('/api/invoice-requests', { paymentId: id, kind: 'personal', title: '并发' }))));
    expect(raced.map((r) => r.statusCode).sort()).toEqual([201, 201, 409, 409]);

    const rejected = await a.admin2.post(`/api/invoice-requests/${first.id}/reject`, { note: '抬头有误，请重新申请' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const second = await request({ paymentId: p.id, title: '张三（更正）' });
    expect(second.id).not.toBe(first.id);
    const live = await t.db.selectFrom('invoice_requests').select('status').where('payment_id', '=', p.id).orderBy('created_at').execute();
    expect(live.map((r) => r.status)).toEqual(['rejected', 'requested']);
  });

  it('answers 404 for another company’s or an unassigned community’s payment, 403 without billing.collect', async () => {
    const other = await pay((await room(b)).id, 5_000, b.cashier);
    const res = await a.admin2.post('/api/invoice-requests', { paymentId: other.id, kind: 'personal', title: '张三' });
    expect(res.statusCode).toBe(404);
    expect((await a.admin2.post('/api/invoice-requests', { paymentId: randomUUID(), kind: 'personal', title: '张三' })).statusCode).toBe(404);

    const elsewhere = await pay((await createRoom(t.db, { company: a, communityId: a.communityIds[1] })).id);
    const narrow = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'cashier', communityIds: [a.communityIds[0]] })).id);
    expect((await narrow.post('/api/invoice-requests', { paymentId: elsewhere.id, kind: 'personal', title: '张三' })).statusCode).toBe(404);

    for (const client of [reader, a.technician]) {
      const denied = await client.post('/api/invoice-requests', { paymentId: elsewhere.id, kind: 'personal', title: '张三' });
      expect(denied.statusCode).toBe(403);
    }
    expect(await invoiceRows(other.id)).toHaveLength(0);
    expect(await invoiceRows(elsewhere.id)).toHaveLength(0);
  });
});

describe('finance issues or rejects', () => {
  it('records the invoice number (billing.manage), once, audited', async () => {
    const p = await pay((await room()).id);
    const inv = await request({ paymentId: p.id });
    expect((await a.cashier.post(`/api/invoice-requests/${inv.id}/issue`, { invoiceNo: '26312000000012345678' })).statusCode).toBe(403);
    expect((await reader.post(`/api/invoice-requests/${inv.id}/issue`, { invoiceNo: '26312000000012345678' })).statusCode).toBe(403);
    for (const body of [{}, { invoiceNo: '' }, { invoiceNo: '12' }, { invoiceNo: '发票123456' }]) {
      expectFieldError(await a.admin2.post(`/api/invoice-requests/${inv.id}/issue`, body), 'invoiceNo');
    }
    expect((await invoiceRows(p.id))[0].status).toBe('requested');

    const issued = await a.admin2.post(`/api/invoice-requests/${inv.id}/issue`, { invoiceNo: '26312000000012345678' });
    expect(issued.statusCode, issued.body).toBe(200);
    expect(issued.json()).toMatchObject({ status: 'issued', invoiceNo: '26312000000012345678', handledBy: '测试管理员' });
    expect(issued.json().handledAt).toBeTruthy();
    const [audit] = await auditRows(t.db, inv.id, 'invoiceRequest.issue');
    expect(audit.before).toEqual({ status: 'requested' });
    expect(audit.after).toMatchObject({ status: 'issued', invoiceNo: '26312000000012345678' });

    const twice = await a.admin2.post(`/api/invoice-requests/${inv.id}/issue`, { invoiceNo: '26312000000099999999' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toMatch(/已开票/);
    expect((await a.admin2.post(`/api/invoice-requests/${inv.id}/reject`, { note: '重复开票' })).statusCode).toBe(409);
    expect((await invoiceRows(p.id))[0]).toMatchObject({ status: 'issued', invoice_no: '26312000000012345678' });
    // An issued invoice is live: the payment cannot be requested again.
    expect((await a.cashier.post('/api/invoice-requests', { paymentId: p.id, kind: 'personal', title: '张三' })).statusCode).toBe(409);
  });

  it('rejects with a reason, audited', async () => {
    const p = await pay((await room()).id);
    const inv = await request({ paymentId: p.id });
    expectFieldError(await a.admin2.post(`/api/invoice-requests/${inv.id}/reject`, {}), 'note');
    expect((await a.cashier.post(`/api/invoice-requests/${inv.id}/reject`, { note: '抬头有误' })).statusCode).toBe(403);
    const res = await a.admin2.post(`/api/invoice-requests/${inv.id}/reject`, { note: '抬头有误' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'rejected', note: '抬头有误', invoiceNo: null, handledBy: '测试管理员' });
    const [audit] = await auditRows(t.db, inv.id, 'invoiceRequest.reject');
    expect(audit.after).toMatchObject({ status: 'rejected', note: '抬头有误' });
    expect((await a.admin2.post(`/api/invoice-requests/${inv.id}/issue`, { invoiceNo: '12345678' })).statusCode).toBe(409);
  });

  it('answers 404 for another company’s request', async () => {
    const other = await request({ paymentId: (await pay((await room(b)).id, 5_000, b.cashier)).id }, b.cashier);
    expect((await a.admin2.post(`/api/invoice-requests/${other.id}/issue`, { invoiceNo: '12345678' })).statusCode).toBe(404);
    expect((await a.admin2.post(`/api/invoice-requests/${other.id}/reject`, { note: '不是我们的' })).statusCode).toBe(404);
    expect((await a.admin2.get(`/api/invoice-requests/${other.id}`)).statusCode).toBe(404);
    expect((await a.admin2.post(`/api/invoice-requests/${randomUUID()}/issue`, { invoiceNo: '12345678' })).statusCode).toBe(404);
    expect((await a.admin2.get(`/api/invoice-requests/not-a-uuid`)).statusCode).toBe(400);
    expect((await invoiceRows(other.paymentId))[0].status).toBe('requested');
  });
});

describe('listing requests', () => {
  it('filters by community and status within the caller’s company and communities', async () => {
    const co = await billingCompany(t);
    const r0 = await createRoom(t.db, { company: co, communityId: co.communityIds[0] });
    const r1 = await createRoom(t.db, { company: co, communityId: co.communityIds[1] });
    const p0 = await pay(r0.id, 1_000, co.cashier);
    const p1 = await pay(r1.id, 2_000, co.cashier);
    const p2 = await pay(r0.id, 3_000, co.cashier);
    const i0 = await request({ paymentId: p0.id }, co.cashier);
    const i1 = await request({ paymentId: p1.id }, co.cashier);
    const i2 = await request({ paymentId: p2.id }, co.cashier);
    await co.admin2.post(`/api/invoice-requests/${i2.id}/issue`, { invoiceNo: '12345678' });

    const all = (await co.cashier.get('/api/invoice-requests')).json();
    expect(all.total).toBe(3);
    expect(all.items.map((i: { id: string }) => i.id)).toEqual([i2.id, i1.id, i0.id]);
    const first = (await co.cashier.get(`/api/invoice-requests?communityId=${co.communityIds[0]}`)).json();
    expect(first.items.map((i: { id: string }) => i.id)).toEqual([i2.id, i0.id]);
    const waiting = (await co.cashier.get(`/api/invoice-requests?communityId=${co.communityIds[0]}&status=requested`)).json();
    expect(waiting.items.map((i: { id: string }) => i.id)).toEqual([i0.id]);
    const paged = (await co.cashier.get('/api/invoice-requests?pageSize=1&page=2')).json();
    expect(paged).toMatchObject({ total: 3, page: 2, pageSize: 1, items: [{ id: i1.id }] });

    const narrow = await sessionAs(t.app, t.db, (await createRoleUser(t.db, co, ['billing.read'], { communityIds: [co.communityIds[1]] })).id);
    expect((await narrow.get('/api/invoice-requests')).json().items.map((i: { id: string }) => i.id)).toEqual([i1.id]);
    expect((await narrow.get(`/api/invoice-requests/${i0.id}`)).statusCode).toBe(404);
    expect((await narrow.get(`/api/invoice-requests/${i1.id}`)).json()).toMatchObject({ id: i1.id, amountFen: 2_000 });
    expect((await a.admin2.get('/api/invoice-requests')).json().items.map((i: { id: string }) => i.id)).not.toContain(i0.id);

    expect((await co.technician.get('/api/invoice-requests')).statusCode).toBe(403);
    expectFieldError(await co.cashier.get('/api/invoice-requests?status=done'), 'status');
    expectFieldError(await co.cashier.get('/api/invoice-requests?communityId=x'), 'communityId');
  });
});

describe('owners ask for their own invoices', () => {
  async function ownerOf(co: BillingCompany) {
    const r = await room(co);
    const resident = await createResident(t.db, { room: r });
    const user = await createOwnerUser(t.db, co, resident.phone!);
    return { room: r, client: await ownerLogin(t.app, t.db, user.phone, co.companyId), userId: user.id };
  }

  it('for a payment of their room; 404 for another room’s; they see their requests', async () => {
    const mine = await ownerOf(a);
    const theirs = await ownerOf(a);
    const p = await pay(mine.room.id, 8_800);
    const notMine = await pay(theirs.room.id, 9_900);

    const denied = await mine.client.post('/api/owner/invoice-requests', { paymentId: notMine.id, kind: 'personal', title: '张三' });
    expect(denied.statusCode).toBe(404);
    expect((await mine.client.post('/api/owner/invoice-requests', { paymentId: (await pay((await room(b)).id, 100, b.cashier)).id, kind: 'personal', title: '张三' })).statusCode).toBe(404);
    expect(await invoiceRows(notMine.id)).toHaveLength(0);

    expectFieldError(await mine.client.post('/api/owner/invoice-requests', { paymentId: p.id, kind: 'company', title: '我的公司' }), 'taxNo');
    const res = await mine.client.post('/api/owner/invoice-requests', { paymentId: p.id, kind: 'company', title: '我的公司', taxNo: VALID[0], email: 'me@example.com' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ paymentId: p.id, kind: 'company', taxNo: VALID[0], amountFen: 8_800, status: 'requested', roomId: mine.room.id });
    const [audit] = await auditRows(t.db, res.json().id, 'invoiceRequest.create');
    expect(audit.actor_id).toBe(mine.userId);
    expect((await mine.client.post('/api/owner/invoice-requests', { paymentId: p.id, kind: 'personal', title: '张三' })).statusCode).toBe(409);

    // The counter's request for the neighbour's payment is theirs to see, not mine.
    const counter = await request({ paymentId: notMine.id });
    const list = await mine.client.get('/api/owner/invoice-requests');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([res.json().id]);
    expect((await theirs.client.get('/api/owner/invoice-requests')).json().items.map((i: { id: string }) => i.id)).toEqual([counter.id]);

    // The staff side and the owner side are separate doors.
    expect((await mine.client.post('/api/invoice-requests', { paymentId: p.id, kind: 'personal', title: '张三' })).statusCode).toBe(403);
    expect((await mine.client.get('/api/invoice-requests')).statusCode).toBe(403);
    expect((await a.cashier.post('/api/owner/invoice-requests', { paymentId: p.id, kind: 'personal', title: '张三' })).statusCode).toBe(403);
    expect((await a.cashier.get('/api/owner/invoice-requests')).statusCode).toBe(403);
  });

  it('for a payment they made online, and not for one that never succeeded', async () => {
    const me = await ownerOf(a);
    const pending = await unpaid(a, 'pending');
    await t.db.updateTable('payments').set({ payer_user_id: me.userId }).where('id', '=', pending).execute();
    expectFieldError(await me.client.post('/api/owner/invoice-requests', { paymentId: pending, kind: 'personal', title: '张三' }), 'paymentId');
    // The provider confirmed it: now it can be invoiced.
    await t.db.updateTable('payments').set({ status: 'succeeded', paid_at: new Date(), business_date: '2026-11-23', allocated_fen: 5_000 }).where('id', '=', pending).execute();
    const res = await me.client.post('/api/owner/invoice-requests', { paymentId: pending, kind: 'personal', title: '张三' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ amountFen: 5_000, roomId: null });
    expectFieldError(await me.client.post('/api/owner/invoice-requests', { paymentId: 'x', kind: 'personal', title: '张三' }), 'paymentId');
  });
});
