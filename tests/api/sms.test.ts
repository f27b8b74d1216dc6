import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { type Client, createCompany, createStaffUser, login, type TestCompany, uniquePhone } from '../helpers/factories.ts';
import { anonymous, createRoleUser, expectFieldError, sessionAs } from '../helpers/api.ts';

let t: TestApp;
let a: TestCompany;
let b: TestCompany;
let adminA: Client;
let adminB: Client;
let phoneA1: string;
let phoneA2: string;
let phoneB: string;

type Message = { id: string; phone: string; template: string; body: string; provider: string; status: string; createdAt: string };

/** A password reset is the staff-side way to put a message in the outbox. */
async function resetFor(admin: Client, company: TestCompany, phone: string) {
  const member = await createStaffUser(t.db, company, { phone });
  const res = await admin.post(`/api/staff/${member.id}/reset-password`);
  expect(res.json().sentBySms).toBe(true);
  return res.json().temporaryPassword as string;
}

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([createCompany(t.db), createCompany(t.db)]);
  adminA = await login(t.app, a.admin.username);
  adminB = await login(t.app, b.admin.username);
  [phoneA1, phoneA2, phoneB] = [uniquePhone(), uniquePhone(), uniquePhone()];
  await resetFor(adminA, a, phoneA1);
  await resetFor(adminA, a, phoneA2);
  await resetFor(adminB, b, phoneB);
});

describe('GET /api/sms/outbox', () => {
  it('needs a session and sms.read', async () => {
    const res = await anonymous(t.app, 'GET', '/api/sms/outbox');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
    const manager = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'manager' })).id);
    const denied = await manager.get('/api/sms/outbox');
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.details.permission).toBe('sms.read');
    expect(denied.body).not.toContain(phoneA1);
  });

  it("lists my company's messages newest first, in full for an administrator", async () => {
    const res = await adminA.get('/api/sms/outbox?pageSize=200');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Message[];
    expect(res.json().total).toBe(2);
    expect(items.map((m) => m.phone)).toEqual([phoneA2, phoneA1]);
    expect(items[0]).toMatchObject({ template: 'sms.staffPassword', provider: 'outbox', status: 'stored' });
    expect(items[0].body).toMatch(/^【安居】.+临时密码是 [a-z2-9]{10}/);
    expect(res.body).not.toContain(phoneB);
    const row = await t.db.selectFrom('sms_outbox').select(['company_id', 'body']).where('id', '=', items[0].id).executeTakeFirstOrThrow();
    expect(row).toEqual({ company_id: a.companyId, body: items[0].body });
  });

  it("is company-scoped: B sees only B's message", async () => {
    const items = (await adminB.get('/api/sms/outbox?pageSize=200')).json().items as Message[];
    expect(items.map((m) => m.phone)).toEqual([phoneB]);
  });

  it('masks phones for a role with sms.read but not personal.viewFull', async () => {
    const reader = await sessionAs(t.app, t.db, (await createRoleUser(t.db, a, ['sms.read'])).id);
    const res = await reader.get('/api/sms/outbox?pageSize=200');
    expect(res.statusCode).toBe(200);
    const phones = (res.json().items as Message[]).map((m) => m.phone);
    expect(phones).toEqual([phoneA2, phoneA1].map((p) => `${p.slice(0, 3)}****${p.slice(-4)}`));
    expect(res.body).not.toContain(phoneA1);
    const full = await sessionAs(t.app, t.db, (await createRoleUser(t.db, a, ['sms.read', 'personal.viewFull'])).id);
    expect(((await full.get('/api/sms/outbox')).json().items as Message[]).map((m) => m.phone)).toEqual([phoneA2, phoneA1]);
  });

  it('filters by phone, whole or in part', async () => {
    const whole = await adminA.get(`/api/sms/outbox?phone=${phoneA1}`);
    expect((whole.json().items as Message[]).map((m) => m.phone)).toEqual([phoneA1]);
    expect(whole.json().total).toBe(1);
    const none = await adminA.get(`/api/sms/outbox?phone=${phoneB}`);
    expect(none.json()).toMatchObject({ items: [], total: 0 });
    const part = await adminA.get(`/api/sms/outbox?phone=${phoneA2.slice(3)}`);
    expect((part.json().items as Message[]).map((m) => m.phone)).toContain(phoneA2);
  });

  it('pages and answers 400 naming the field', async () => {
    const p2 = await adminA.get('/api/sms/outbox?pageSize=1&page=2');
    expect((p2.json().items as Message[]).map((m) => m.phone)).toEqual([phoneA1]);
    expectFieldError(await adminA.get('/api/sms/outbox?pageSize=201'), 'pageSize');
    expectFieldError(await adminA.get(`/api/sms/outbox?phone=${'1'.repeat(21)}`), 'phone');
  });
});

describe('secrets in the outbox once a real gateway delivers', () => {
  it('hides login codes from the console when the provider really sends them', async () => {
    const { buildApp } = await import('../../src/app.ts');
    const { testConfig } = await import('../helpers/app.ts');
    const delivered: string[] = [];
    const app = await buildApp({ config: testConfig(), database: t.database, logger: false, sms: { name: 'gateway', send: async (m) => (delivered.push(m.body), 'sent') } });
    try {
      const co = await createCompany(t.db);
      const phone = uniquePhone();
      await t.db.insertInto('users').values({ company_id: co.companyId, kind: 'owner', display_name: '业主', phone }).execute();
      expect((await app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone } })).statusCode).toBe(200);
      const code = delivered[0].match(/\d{6}/)![0];
      const admin = await sessionAs(app, t.db, co.admin.id);
      const list = await admin.get('/api/sms/outbox');
      const msg = list.json().items[0];
      expect(msg.provider).toBe('gateway');
      expect(msg.status).toBe('sent');
      expect(msg.body).not.toContain(code);
      expect(msg.body).toContain('******');
    } finally {
      await app.close();
    }
  });
});
