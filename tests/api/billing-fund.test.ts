import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { type Client, companyRows, createCompany, createOwnerUser, createResident, createRoom, createStaffUser, type TestCompany, unique } from '../helpers/factories.ts';
import { anonymous, auditRows, createRoleUser, expectFieldError, sessionAs } from '../helpers/api.ts';
import { type BillingCompany, billingCompany, feeItem } from '../helpers/billing.ts';
import { createTicket, type DeskCompany, type TicketJson } from '../helpers/servicedesk.ts';
import { ensureDesk } from '../../src/modules/servicedesk/config.ts';
import { localDate } from '../../src/modules/servicedesk/deadlines.ts';

let t: TestApp;
let a: BillingCompany;
let b: BillingCompany;
let desk: DeskCompany;
let committee: Client;

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([billingCompany(t), billingCompany(t, { communities: 1 })]);
  await ensureDesk(t.db, a.companyId);
  await ensureDesk(t.db, b.companyId);
  desk = { ...a, desk: a.admin2 };
  committee = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'committee', communityIds: a.communityIds })).id);
});

/** A new community of `co` (the administrator sees every community; other staff are not assigned to it). */
async function community(co: TestCompany = a): Promise<string> {
  const code = unique('F');
  const row = await t.db.insertInto('communities').values({ company_id: co.companyId, name: `小区${code}`, code }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** A public repair registered at the desk, then given a repair size and committee decision directly. */
async function repair(communityId: string, size: 'small' | 'medium' | 'major' | null, approval: 'notNeeded' | 'pending' | 'approved' | 'rejected', co: DeskCompany = desk) {
  const ticket = await createTicket(t, co, { communityId });
  await t.db.updateTable('tickets').set({ repair_size: size, approval_status: approval }).where('id', '=', ticket.id).execute();
  return ticket;
}

async function entry(body: Record<string, unknown>, client: Client = a.admin2) {
  const res = await client.post('/api/fund-entries', { description: '业主缴存', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const fundRows = (communityId: string) => t.db.selectFrom('fund_entries').selectAll().where('community_id', '=', communityId).execute();
const fundAudits = (companyId: string) => t.db.selectFrom('audit_log').select('id').where('company_id', '=', companyId).where('action', '=', 'fundEntry.create').execute();
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('every endpoint needs a session', () => {
  it.each([
    ['GET', '/api/fund-entries'],
    ['POST', '/api/fund-entries'],
    ['GET', '/api/fund-summary'],
    ['GET', '/api/disclosure-entries'],
    ['POST', '/api/disclosure-entries'],
    ['DELETE', `/api/disclosure-entries/${randomUUID()}`],
    ['GET', '/api/disclosure'],
    ['GET', '/api/owner/disclosure'],
  ] as const)('%s %s → 401', async (method, url) => {
    const res = await anonymous(t.app, method, url, method === 'POST' ? {} : undefined);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('the maintenance fund ledger', () => {
  it('keeps a running balance: deposits and interest in, spending and adjustments out or in', async () => {
    const c = await community();
    const ticket = await repair(c, 'major', 'approved');
    const steps: Array<[Record<string, unknown>, number, number]> = [
      [{ kind: 'deposit', amountFen: 100_000, occurredOn: '2025-01-10', voucherNo: 'JC-001' }, 100_000, 100_000],
      [{ kind: 'interest', amountFen: 1_234, occurredOn: '2025-03-31' }, 1_234, 101_234],
      [{ kind: 'spending', amountFen: 30_000, occurredOn: '2025-04-02', ticketId: ticket.id, description: '电梯大修' }, -30_000, 71_234],
      [{ kind: 'adjustment', direction: 'out', amountFen: 234, occurredOn: '2025-04-02', description: '更正 3 月利息' }, -234, 71_000],
      [{ kind: 'adjustment', direction: 'in', amountFen: 1_000, occurredOn: '2025-04-03', description: '补记缴存' }, 1_000, 72_000],
    ];
    const ids: string[] = [];
    for (const [body, amountFen, balanceAfterFen] of steps) {
      const e = await entry({ communityId: c, ...body });
      expect(e).toMatchObject({ communityId: c, kind: body.kind, amountFen, balanceAfterFen, occurredOn: body.occurredOn });
      ids.push(e.id);
    }
    const spending = (await a.admin2.get(`/api/fund-entries?communityId=${c}&kind=spending`)).json();
    expect(spending.items).toHaveLength(1);
    expect(spending.items[0]).toMatchObject({ amountFen: -30_000, ticket: { id: ticket.id, no: ticket.no, title: ticket.title }, description: '电梯大修', createdBy: '测试管理员' });

    const res = await a.admin2.get(`/api/fund-entries?communityId=${c}`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json();
    expect(page).toMatchObject({ total: 5, balanceFen: 72_000, page: 1 });
    // Newest first; each row's balance is the previous row's plus its amount.
    expect(page.items.map((e: { id: string }) => e.id)).toEqual([...ids].reverse());
    expect(page.items.map((e: { balanceAfterFen: number }) => e.balanceAfterFen)).toEqual([72_000, 71_000, 71_234, 101_234, 100_000]);
    const oldestFirst = [...page.items].reverse();
    oldestFirst.reduce((balance: number, e: { amountFen: number; balanceAfterFen: number }) => {
      expect(e.balanceAfterFen).toBe(balance + e.amountFen);
      return e.balanceAfterFen;
    }, 0);

    const april = (await a.admin2.get(`/api/fund-entries?communityId=${c}&from=2025-04-01&to=2025-04-02`)).json();
    expect(april.items.map((e: { amountFen: number }) => e.amountFen)).toEqual([-234, -30_000]);
    expect(april.balanceFen).toBe(72_000);
    const paged = (await a.admin2.get(`/api/fund-entries?communityId=${c}&page=2&pageSize=2`)).json();
    expect(paged.items.map((e: { id: string }) => e.id)).toEqual([ids[2], ids[1]]);

    const [audit] = await auditRows(t.db, ids[2], 'fundEntry.create');
    expect(audit.after).toMatchObject({ communityId: c, kind: 'spending', amountFen: -30_000, balanceAfterFen: 71_234, ticketId: ticket.id });
    expect(audit.actor_id).toBe(a.admin.id);
  });

  it('refuses to go below zero, naming amountFen with the balance available, and writes nothing', async () => {
    const c = await community();
    const ticket = await repair(c, 'medium', 'approved');
    await entry({ communityId: c, kind: 'deposit', amountFen: 5_000, occurredOn: '2025-05-01' });
    const before = await companyRows(t.db, a.companyId, ['fund_entries']);
    const audits = await fundAudits(a.companyId);
    for (const body of [
      { kind: 'spending', amountFen: 5_001, ticketId: ticket.id },
      { kind: 'adjustment', direction: 'out', amountFen: 5_001 },
    ]) {
      const res = await a.admin2.post('/api/fund-entries', { communityId: c, occurredOn: '2025-05-02', description: '维修', ...body });
      expectFieldError(res, 'amountFen');
      expect(res.json().error.message).toContain('50.00');
    }
    expect(await companyRows(t.db, a.companyId, ['fund_entries'])).toEqual(before);
    expect(await fundAudits(a.companyId)).toEqual(audits);
    // Spending the whole balance is allowed and leaves exactly zero.
    expect(await entry({ communityId: c, kind: 'spending', amountFen: 5_000, occurredOn: '2025-05-02', ticketId: ticket.id })).toMatchObject({ amountFen: -5_000, balanceAfterFen: 0 });
    const refused = await a.admin2.post('/api/fund-entries', { communityId: c, kind: 'spending', amountFen: 1, occurredOn: '2025-05-02', ticketId: ticket.id, description: '维修' }, { 'accept-language': 'en' });
    expectFieldError(refused, 'amountFen');
    expect(refused.json().error.message).toContain('0.00 yuan');
  });

  it('spends only on an approved medium or major repair of the same community', async () => {
    const c = await community();
    const other = await community();
    await entry({ communityId: c, kind: 'deposit', amountFen: 1_000_000, occurredOn: '2025-06-01' });
    const cases: Array<[string, () => Promise<string | undefined>]> = [
      ['no ticket', async () => undefined],
      ['a small repair, approved', async () => (await repair(c, 'small', 'approved')).id],
      ['no repair size', async () => (await repair(c, null, 'notNeeded')).id],
      ['a major repair awaiting approval', async () => (await repair(c, 'major', 'pending')).id],
      ['a medium repair the committee rejected', async () => (await repair(c, 'medium', 'rejected')).id],
      ['an approved major repair of another community', async () => (await repair(other, 'major', 'approved')).id],
      ['an approved major repair of another company', async () => (await repair(b.communityIds[0], 'major', 'approved', { ...b, desk: b.admin2 })).id],
      ['a ticket that does not exist', async () => randomUUID()],
    ];
    const before = await companyRows(t.db, a.companyId, ['fund_entries']);
    for (const [label, ticketId] of cases) {
      const res = await a.admin2.post('/api/fund-entries', { communityId: c, kind: 'spending', amountFen: 100, occurredOn: '2025-06-02', description: '维修', ticketId: await ticketId() });
      expect(res.statusCode, label).toBe(400);
      expectFieldError(res, 'ticketId');
    }
    expect(await companyRows(t.db, a.companyId, ['fund_entries'])).toEqual(before);
    for (const size of ['medium', 'major'] as const) {
      const ticket = await repair(c, size, 'approved');
      expect(await entry({ communityId: c, kind: 'spending', amountFen: 100, occurredOn: '2025-06-02', ticketId: ticket.id })).toMatchObject({ kind: 'spending', amountFen: -100, ticket: { id: ticket.id } });
    }
  });

  it('answers 400 naming the field for bad input, and changes nothing', async () => {
    const c = await community();
    await entry({ communityId: c, kind: 'deposit', amountFen: 10_000, occurredOn: '2025-07-10' });
    const ticket = await repair(c, 'major', 'approved');
    const today = localDate(new Date(), 'Asia/Shanghai');
    const good = { communityId: c, kind: 'deposit', amountFen: 100, occurredOn: '2025-07-10', description: '缴存' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ amountFen: 0 }, 'amountFen'],
      [{ amountFen: -100 }, 'amountFen'],
      [{ amountFen: 1.5 }, 'amountFen'],
      [{ amountFen: '100' }, 'amountFen'],
      [{ kind: 'withdrawal' }, 'kind'],
      [{ occurredOn: '2025-13-01' }, 'occurredOn'],
      [{ occurredOn: addDays(today, 2) }, 'occurredOn'],
      // Before the ledger's latest entry (2025-07-10): the ledger is written in date order.
      [{ occurredOn: '2025-07-09' }, 'occurredOn'],
      [{ description: '  ' }, 'description'],
      [{ description: 'x'.repeat(201) }, 'description'],
      [{ communityId: b.communityIds[0] }, 'communityId'],
      [{ communityId: 'not-a-uuid' }, 'communityId'],
      [{ ticketId: ticket.id }, 'ticketId'],
      [{ kind: 'interest', ticketId: ticket.id }, 'ticketId'],
      [{ direction: 'in' }, 'direction'],
      [{ kind: 'adjustment' }, 'direction'],
      [{ kind: 'adjustment', direction: 'sideways' }, 'direction'],
      [{ kind: 'spending', ticketId: ticket.id, direction: 'out' }, 'direction'],
      [{ colour: 'red' }, 'colour'],
    ];
    const before = await companyRows(t.db, a.companyId, ['fund_entries']);
    for (const [change, field] of cases) {
      const res = await a.admin2.post('/api/fund-entries', { ...good, ...change });
      expect(res.statusCode, `${JSON.stringify(change)}: ${res.body}`).toBe(400);
      expectFieldError(res, field);
    }
    expect(await companyRows(t.db, a.companyId, ['fund_entries'])).toEqual(before);
    // The same day as the latest entry, and today, are fine.
    expect((await a.admin2.post('/api/fund-entries', good)).statusCode).toBe(201);
    expect((await a.admin2.post('/api/fund-entries', { ...good, occurredOn: today })).statusCode).toBe(201);
  });

  it('serialises concurrent writers: of two spendings that together exceed the balance exactly one succeeds', async () => {
    const c = await community();
    const ticket = await repair(c, 'major', 'approved');
    await entry({ communityId: c, kind: 'deposit', amountFen: 10_000, occurredOn: '2025-08-01' });
    const spend = () => a.admin2.post('/api/fund-entries', { communityId: c, kind: 'spending', amountFen: 6_000, occurredOn: '2025-08-02', ticketId: ticket.id, description: '外墙维修' });
    const results = await Promise.all([spend(), spend()]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 400]);
    expectFieldError(results.find((r) => r.statusCode === 400)!, 'amountFen');
    const rows = await fundRows(c);
    expect(rows.map((r) => r.balance_after_fen).sort((x, y) => x - y)).toEqual([4_000, 10_000]);
    // Many small writers at once: every balance is exact and distinct.
    const many = await Promise.all(Array.from({ length: 6 }, () => a.admin2.post('/api/fund-entries', { communityId: c, kind: 'interest', amountFen: 100, occurredOn: '2025-08-03', description: '利息' })));
    expect(many.every((r) => r.statusCode === 201)).toBe(true);
    const balances = many.map((r) => r.json().balanceAfterFen as number).sort((x, y) => x - y);
    expect(balances).toEqual([4_100, 4_200, 4_300, 4_400, 4_500, 4_600]);
    const page = (await a.admin2.get(`/api/fund-entries?communityId=${c}&pageSize=1`)).json();
    expect(page.items[0].balanceAfterFen).toBe(4_600);
    expect(page.balanceFen).toBe(4_600);
  });

  it('is read with billing.read or committee.view, written with billing.manage only', async () => {
    const c = a.communityIds[0];
    expect((await a.cashier.get(`/api/fund-entries?communityId=${c}`)).statusCode).toBe(200);
    expect((await committee.get(`/api/fund-entries?communityId=${c}`)).statusCode).toBe(200);
    const viewer = await sessionAs(t.app, t.db, (await createRoleUser(t.db, a, ['committee.view'], { communityIds: [c] })).id);
    expect((await viewer.get(`/api/fund-entries?communityId=${c}`)).statusCode).toBe(200);
    expect((await viewer.get(`/api/fund-summary?communityId=${c}`)).statusCode).toBe(200);
    for (const url of [`/api/fund-entries?communityId=${c}`, `/api/fund-summary?communityId=${c}`]) {
      const res = await a.technician.get(url);
      expect(res.statusCode, url).toBe(403);
    }
    for (const client of [a.cashier, committee, a.technician]) {
      const res = await client.post('/api/fund-entries', { communityId: c, kind: 'deposit', amountFen: 100, occurredOn: '2025-01-01', description: '缴存' });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.details.permission).toBe('billing.manage');
    }
    expect(await fundRows(c)).toEqual([]);
  });

  it('answers 404 for a community of another company or one the caller is not assigned to, 400 for a bad query', async () => {
    const unassigned = await community();
    for (const path of ['/api/fund-entries', '/api/fund-summary']) {
      expect((await a.admin2.get(`${path}?communityId=${b.communityIds[0]}`)).statusCode, path).toBe(404);
      expect((await a.cashier.get(`${path}?communityId=${unassigned}`)).statusCode, path).toBe(404);
      expect((await a.admin2.get(`${path}?communityId=${unassigned}`)).statusCode, path).toBe(200);
      expectFieldError(await a.admin2.get(path), 'communityId');
      expectFieldError(await a.admin2.get(`${path}?communityId=nope`), 'communityId');
    }
    expectFieldError(await a.admin2.get(`/api/fund-entries?communityId=${unassigned}&kind=loan`), 'kind');
    expectFieldError(await a.admin2.get(`/api/fund-entries?communityId=${unassigned}&from=2025-02-30`), 'from');
    expectFieldError(await a.admin2.get(`/api/fund-entries?communityId=${unassigned}&from=2025-03-01&to=2025-02-01`), 'to');
    expectFieldError(await a.admin2.get(`/api/fund-summary?communityId=${unassigned}&year=1999`), 'year');
  });
});

describe('GET /api/fund-summary', () => {
  it('gives the balance, the year’s totals by kind and the months, opening + movements = closing', async () => {
    const c = await community();
    const ticket = await repair(c, 'major', 'approved');
    await entry({ communityId: c, kind: 'deposit', amountFen: 50_000, occurredOn: '2024-12-15' });
    await entry({ communityId: c, kind: 'deposit', amountFen: 20_000, occurredOn: '2025-01-05' });
    await entry({ communityId: c, kind: 'deposit', amountFen: 7_000, occurredOn: '2025-01-31' });
    await entry({ communityId: c, kind: 'interest', amountFen: 300, occurredOn: '2025-01-31' });
    await entry({ communityId: c, kind: 'spending', amountFen: 12_000, occurredOn: '2025-02-10', ticketId: ticket.id });
    await entry({ communityId: c, kind: 'adjustment', direction: 'out', amountFen: 300, occurredOn: '2025-02-11' });
    await entry({ communityId: c, kind: 'adjustment', direction: 'in', amountFen: 100, occurredOn: '2025-12-31' });
    await entry({ communityId: c, kind: 'interest', amountFen: 55, occurredOn: '2026-01-01' });

    const res = await a.admin2.get(`/api/fund-summary?communityId=${c}&year=2025`);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s).toMatchObject({ communityId: c, year: 2025, balanceFen: 65_155, openingFen: 50_000, closingFen: 65_100 });
    expect(s.totals).toEqual({ depositFen: 27_000, interestFen: 300, spendingFen: 12_000, adjustmentFen: -200 });
    expect(s.months).toHaveLength(12);
    expect(s.months[0]).toEqual({ month: '2025-01', depositFen: 27_000, interestFen: 300, spendingFen: 0, adjustmentFen: 0 });
    expect(s.months[1]).toEqual({ month: '2025-02', depositFen: 0, interestFen: 0, spendingFen: 12_000, adjustmentFen: -300 });
    expect(s.months[11]).toEqual({ month: '2025-12', depositFen: 0, interestFen: 0, spendingFen: 0, adjustmentFen: 100 });
    expect(s.months.slice(2, 11).every((m: Record<string, unknown>) => m.depositFen === 0 && m.spendingFen === 0 && m.interestFen === 0 && m.adjustmentFen === 0)).toBe(true);

    expect((await a.admin2.get(`/api/fund-summary?communityId=${c}&year=2024`)).json()).toMatchObject({ openingFen: 0, closingFen: 50_000, balanceFen: 65_155, totals: { depositFen: 50_000 } });
    // Without a year: the community's current year.
    const now = (await a.admin2.get(`/api/fund-summary?communityId=${c}`)).json();
    expect(now.year).toBe(Number(localDate(new Date(), 'Asia/Shanghai').slice(0, 4)));
    expect(now.openingFen).toBe(65_100);
  });
});

describe('public income and expense entries', () => {
  it('records, lists and deletes an entry, with audit rows', async () => {
    const c = await community();
    const res = await a.admin2.post('/api/disclosure-entries', { communityId: c, month: '2025-03', direction: 'income', category: ' 广告收入 ', amountFen: 120_000, note: '电梯广告' });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ communityId: c, month: '2025-03', direction: 'income', category: '广告收入', amountFen: 120_000, note: '电梯广告', createdBy: '测试管理员' });
    const [audit] = await auditRows(t.db, created.id, 'disclosureEntry.create');
    expect(audit.after).toMatchObject({ communityId: c, month: '2025-03', direction: 'income', category: '广告收入', amountFen: 120_000 });
    const expense = (await a.admin2.post('/api/disclosure-entries', { communityId: c, month: '2024-11', direction: 'expense', category: '公共水电', amountFen: 3_000 })).json();

    expect((await a.admin2.get(`/api/disclosure-entries?communityId=${c}`)).json()).toMatchObject({ total: 2, items: [{ id: created.id }, { id: expense.id }] });
    expect((await a.admin2.get(`/api/disclosure-entries?communityId=${c}&year=2024`)).json().items.map((e: { id: string }) => e.id)).toEqual([expense.id]);
    expect((await a.admin2.get(`/api/disclosure-entries?communityId=${c}&month=2025-03`)).json().items.map((e: { id: string }) => e.id)).toEqual([created.id]);
    expect((await a.admin2.get(`/api/disclosure-entries?communityId=${c}&direction=expense`)).json().items.map((e: { id: string }) => e.id)).toEqual([expense.id]);
    // Another company's community filters to nothing; another company sees none of ours.
    expect((await a.admin2.get(`/api/disclosure-entries?communityId=${b.communityIds[0]}`)).json().total).toBe(0);
    expect((await b.admin2.get(`/api/disclosure-entries?communityId=${c}`)).json().total).toBe(0);
    // The cashier is not assigned to this community.
    expect((await a.cashier.get(`/api/disclosure-entries?communityId=${c}`)).json().total).toBe(0);

    const del = await a.admin2.delete(`/api/disclosure-entries/${created.id}`);
    expect(del.statusCode, del.body).toBe(204);
    expect(await t.db.selectFrom('disclosure_entries').select('id').where('id', '=', created.id).execute()).toEqual([]);
    const [gone] = await auditRows(t.db, created.id, 'disclosureEntry.delete');
    expect(gone.before).toMatchObject({ communityId: c, month: '2025-03', category: '广告收入', amountFen: 120_000, note: '电梯广告' });
    expect((await a.admin2.delete(`/api/disclosure-entries/${created.id}`)).statusCode).toBe(404);
  });

  it('answers 400 naming the field, 403 without the permission, 404 for another company’s entry', async () => {
    const c = a.communityIds[0];
    const good = { communityId: c, month: '2025-01', direction: 'expense', category: '绿化养护', amountFen: 5_000 };
    const nextMonth = addDays(`${localDate(new Date(), 'Asia/Shanghai').slice(0, 7)}-01`, 32).slice(0, 7);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ month: '2025-1' }, 'month'],
      [{ month: '2025-13' }, 'month'],
      [{ month: nextMonth }, 'month'],
      [{ direction: 'both' }, 'direction'],
      [{ category: '' }, 'category'],
      [{ category: 'x'.repeat(41) }, 'category'],
      [{ amountFen: 0 }, 'amountFen'],
      [{ amountFen: 10.5 }, 'amountFen'],
      [{ communityId: b.communityIds[0] }, 'communityId'],
      [{ note: 'x'.repeat(201) }, 'note'],
    ];
    const before = await companyRows(t.db, a.companyId, ['disclosure_entries']);
    for (const [change, field] of cases) expectFieldError(await a.admin2.post('/api/disclosure-entries', { ...good, ...change }), field);
    expectFieldError(await a.admin2.get('/api/disclosure-entries?month=2025-00'), 'month');
    expect(await companyRows(t.db, a.companyId, ['disclosure_entries'])).toEqual(before);

    for (const client of [a.cashier, committee, a.technician]) expect((await client.post('/api/disclosure-entries', good)).statusCode).toBe(403);
    expect((await a.technician.get('/api/disclosure-entries')).statusCode).toBe(403);
    expect((await a.cashier.get('/api/disclosure-entries')).statusCode).toBe(200);
    expect((await committee.get('/api/disclosure-entries')).statusCode).toBe(200);

    const theirs = (await b.admin2.post('/api/disclosure-entries', { ...good, communityId: b.communityIds[0] })).json();
    expect((await a.admin2.delete(`/api/disclosure-entries/${theirs.id}`)).statusCode).toBe(404);
    const ours = (await a.admin2.post('/api/disclosure-entries', good)).json();
    expect((await a.cashier.delete(`/api/disclosure-entries/${ours.id}`)).statusCode).toBe(403);
    const elsewhere = await community();
    const hidden = (await a.admin2.post('/api/disclosure-entries', { ...good, communityId: elsewhere })).json();
    const manager = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'manager', communityIds: [c] })).id);
    expect((await manager.delete(`/api/disclosure-entries/${hidden.id}`)).statusCode).toBe(404);
    expectFieldError(await a.admin2.delete('/api/disclosure-entries/nope'), 'id');
    expect(await t.db.selectFrom('disclosure_entries').select('id').where('id', 'in', [theirs.id, ours.id, hidden.id]).execute()).toHaveLength(3);
  });
});

describe('the disclosure page (公示)', () => {
  let c: string;
  let ticket: TicketJson;
  let expected: Record<string, unknown>;

  async function payment(communityId: string, status: 'succeeded' | 'pending' | 'failed', amountFen: number, businessDate: string | null, co: TestCompany = a) {
    const row = await t.db
      .insertInto('payments')
      .values({
        company_id: co.companyId,
        community_id: communityId,
        trade_no: unique('T'),
        method: 'cash',
        channel: 'counter',
        status,
        amount_fen: amountFen,
        allocated_fen: status === 'succeeded' ? amountFen : 0,
        idempotency_key: unique('k'),
        request_hash: 'h',
        payer_name: '张小三',
        paid_at: businessDate ? new Date(`${businessDate}T02:00:00Z`) : null,
        business_date: businessDate,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }
  async function refund(paymentId: string, status: 'refunded' | 'requested', amountFen: number, businessDate: string | null) {
    await t.db
      .insertInto('refunds')
      .values({ company_id: a.companyId, community_id: c, payment_id: paymentId, amount_fen: amountFen, reason: '多缴', status, from_lines_fen: status === 'refunded' ? amountFen : 0, out_refund_no: unique('R'), idempotency_key: unique('k'), business_date: businessDate })
      .execute();
  }

  beforeAll(async () => {
    c = await community();
    const other = await community();
    // Fee standards: the community's own price overrides the item's; disabled items and other communities' are left out.
    await feeItem(a.admin2, a, { kind: 'property', name: unique('物业费'), unitPrice: '1.80', communities: [{ communityId: c, unitPrice: '2.1' }] });
    await feeItem(a.admin2, a, { kind: 'parking', name: unique('车位管理费'), unitPrice: '150', communities: [{ communityId: c }] });
    await feeItem(a.admin2, a, { kind: 'water', name: unique('水费'), tiers: [{ upTo: '180', unitPrice: '3.5' }, { upTo: null, unitPrice: '4.9' }], billingMode: 'postpaid', communities: [{ communityId: c }] });
    const off = await feeItem(a.admin2, a, { kind: 'fixed', unitPrice: '20', communities: [{ communityId: c }] });
    expect((await a.admin2.patch(`/api/fee-items/${off.id}`, { active: false })).statusCode).toBe(200);
    await feeItem(a.admin2, a, { kind: 'fixed', unitPrice: '30', communities: [{ communityId: other }] });

    // Fees collected: succeeded payments by business date, less refunds refunded that month.
    const p1 = await payment(c, 'succeeded', 10_000, '2025-01-15');
    await payment(c, 'succeeded', 5_000, '2025-01-20');
    await payment(c, 'succeeded', 8_000, '2025-03-02');
    await payment(c, 'succeeded', 9_999, '2024-12-31');
    await payment(c, 'pending', 7_000, null);
    await payment(c, 'failed', 6_000, null);
    await payment(other, 'succeeded', 4_444, '2025-01-15');
    await refund(p1, 'refunded', 3_000, '2025-03-10');
    await refund(p1, 'requested', 1_000, null);

    for (const [month, direction, category, amountFen] of [
      ['2025-01', 'income', '广告收入', 20_000],
      ['2025-01', 'income', '广告收入', 5_000],
      ['2025-03', 'income', '公共车位收入', 3_000],
      ['2025-01', 'expense', '公共水电', 4_000],
      ['2025-02', 'expense', '绿化养护', 1_500],
      ['2024-12', 'income', '广告收入', 777],
    ] as const) {
      expect((await a.admin2.post('/api/disclosure-entries', { communityId: c, month, direction, category, amountFen })).statusCode).toBe(201);
    }

    ticket = await repair(c, 'major', 'approved');
    await entry({ communityId: c, kind: 'deposit', amountFen: 100_000, occurredOn: '2025-01-05' });
    await entry({ communityId: c, kind: 'interest', amountFen: 420, occurredOn: '2025-03-21' });
    await entry({ communityId: c, kind: 'spending', amountFen: 30_000, occurredOn: '2025-04-01', ticketId: ticket.id, description: '3栋电梯更换曳引机' });
    await entry({ communityId: c, kind: 'spending', amountFen: 1_000, occurredOn: '2026-01-02', ticketId: ticket.id, description: '尾款' });
  });

  it('publishes fee standards, income and expense by month with exact sums, and the fund', async () => {
    const res = await a.admin2.get(`/api/disclosure?communityId=${c}&year=2025`);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.community.id).toBe(c);
    expect(d.year).toBe(2025);
    expect(d.feeStandards.map((f: { kind: string; unitPrice: string | null }) => [f.kind, f.unitPrice])).toEqual([
      ['parking', '150.0000'],
      ['property', '2.1000'],
      ['water', null],
    ]);
    expect(d.feeStandards[1]).toMatchObject({ cycle: 'monthly', areaBasis: 'built', billingMode: 'prepaid' });
    expect(d.feeStandards[2]).toMatchObject({ billingMode: 'postpaid', tiers: [{ upTo: '180', unitPrice: '3.5' }, { upTo: null, unitPrice: '4.9' }] });

    expect(d.months).toHaveLength(12);
    expect(d.months[0]).toEqual({
      month: '2025-01',
      income: { feesCollectedFen: 15_000, feesRefundedFen: 0, feesFen: 15_000, categories: [{ category: '广告收入', amountFen: 25_000 }], totalFen: 40_000 },
      expense: { categories: [{ category: '公共水电', amountFen: 4_000 }], totalFen: 4_000 },
    });
    expect(d.months[1]).toEqual({
      month: '2025-02',
      income: { feesCollectedFen: 0, feesRefundedFen: 0, feesFen: 0, categories: [], totalFen: 0 },
      expense: { categories: [{ category: '绿化养护', amountFen: 1_500 }], totalFen: 1_500 },
    });
    expect(d.months[2].income).toEqual({ feesCollectedFen: 8_000, feesRefundedFen: 3_000, feesFen: 5_000, categories: [{ category: '公共车位收入', amountFen: 3_000 }], totalFen: 8_000 });
    expect(d.totals).toEqual({
      income: { feesCollectedFen: 23_000, feesRefundedFen: 3_000, feesFen: 20_000, categories: [{ category: '公共车位收入', amountFen: 3_000 }, { category: '广告收入', amountFen: 25_000 }], totalFen: 48_000 },
      expense: { categories: [{ category: '公共水电', amountFen: 4_000 }, { category: '绿化养护', amountFen: 1_500 }], totalFen: 5_500 },
    });
    expect(d.fund).toEqual({
      balanceFen: 69_420,
      depositFen: 100_000,
      interestFen: 420,
      spendingFen: 30_000,
      adjustmentFen: 0,
      spending: [{ occurredOn: '2025-04-01', description: '3栋电梯更换曳引机', ticketNo: ticket.no, ticketTitle: ticket.title, amountFen: 30_000 }],
    });
    expected = d;

    const prior = (await a.admin2.get(`/api/disclosure?communityId=${c}&year=2024`)).json();
    expect(prior.totals.income).toMatchObject({ feesCollectedFen: 9_999, feesFen: 9_999, totalFen: 10_776 });
    expect(prior.fund).toMatchObject({ balanceFen: 69_420, depositFen: 0, spending: [] });
  });

  it('is open to the committee and billing staff of the community only', async () => {
    expect((await committee.get(`/api/disclosure?communityId=${a.communityIds[0]}&year=2025`)).statusCode).toBe(200);
    expect((await a.cashier.get(`/api/disclosure?communityId=${a.communityIds[0]}`)).statusCode).toBe(200);
    expect((await a.technician.get(`/api/disclosure?communityId=${a.communityIds[0]}`)).statusCode).toBe(403);
    expect((await a.cashier.get(`/api/disclosure?communityId=${c}`)).statusCode).toBe(404);
    expect((await b.admin2.get(`/api/disclosure?communityId=${c}`)).statusCode).toBe(404);
    expectFieldError(await a.admin2.get('/api/disclosure'), 'communityId');
    expectFieldError(await a.admin2.get(`/api/disclosure?communityId=${c}&year=20x5`), 'year');
  });

  it('shows an owner the page of a community where they have a room, and nothing personal', async () => {
    const room = await createRoom(t.db, { company: a, communityId: c });
    const resident = await createResident(t.db, { room, name: '李业主' });
    const owner = await createOwnerUser(t.db, a, resident.phone!);
    const session = await sessionAs(t.app, t.db, owner.id);
    const res = await session.get(`/api/owner/disclosure?communityId=${c}&year=2025`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual(expected);
    for (const personal of ['张小三', '李业主', resident.phone!, '测试管理员']) expect(res.body).not.toContain(personal);

    // Another community of the same company, another company's community, a community that does not exist.
    for (const other of [a.communityIds[1], b.communityIds[0], randomUUID()]) {
      const r = await session.get(`/api/owner/disclosure?communityId=${other}&year=2025`);
      expect(r.statusCode, other).toBe(404);
      expect(r.body).not.toContain('feeStandards');
    }
    // An owner of another company with a room of their own cannot read this one.
    const theirRoom = await createRoom(t.db, { company: b, communityId: b.communityIds[0] });
    const theirResident = await createResident(t.db, { room: theirRoom });
    const theirOwner = await sessionAs(t.app, t.db, (await createOwnerUser(t.db, b, theirResident.phone!)).id);
    expect((await theirOwner.get(`/api/owner/disclosure?communityId=${c}`)).statusCode).toBe(404);
    expect((await theirOwner.get(`/api/owner/disclosure?communityId=${b.communityIds[0]}`)).statusCode).toBe(200);
    // An owner with no room sees nothing.
    const roomless = await sessionAs(t.app, t.db, (await createOwnerUser(t.db, a)).id);
    expect((await roomless.get(`/api/owner/disclosure?communityId=${c}`)).statusCode).toBe(404);
    // Staff use the staff page; owners cannot reach it, nor the ledger.
    expect((await a.admin2.get(`/api/owner/disclosure?communityId=${c}`)).statusCode).toBe(403);
    for (const url of [`/api/disclosure?communityId=${c}`, `/api/fund-entries?communityId=${c}`, `/api/fund-summary?communityId=${c}`, '/api/disclosure-entries']) {
      expect((await session.get(url)).statusCode, url).toBe(403);
    }
    expectFieldError(await session.get('/api/owner/disclosure'), 'communityId');
  });
});
