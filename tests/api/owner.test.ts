import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { type Client, createCompany, createOwnerUser, createStaffUser, login, type TestCompany, unique, uniquePhone } from '../helpers/factories.ts';
import { anonymous, auditRows, createRoleUser, expectFieldError, ownerLogin, randomIp, sessionAs } from '../helpers/api.ts';

let t: TestApp;
let a: TestCompany;
let b: TestCompany;
let adminA: Client;
let adminB: Client;

const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([createCompany(t.db), createCompany(t.db)]);
  adminA = await login(t.app, a.admin.username);
  adminB = await login(t.app, b.admin.username);
  await t.db.updateTable('companies').set({ contact_phone: '02512345678' }).where('id', '=', a.companyId).execute();
});

describe('owner endpoints need a session', () => {
  it.each([
    ['GET', '/api/owner/home'],
    ['GET', '/api/owners'],
    ['POST', '/api/owners'],
  ] as const)('%s %s → 401', async (method, url) => {
    const res = await anonymous(t.app, method, url, method === 'GET' ? undefined : {});
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('GET /api/owner/home', () => {
  it('shows a logged-in owner their account and company', async () => {
    const owner = await createOwnerUser(t.db, a);
    const session = await ownerLogin(t.app, t.db, owner.phone);
    expect(session.me.user).toMatchObject({ id: owner.id, kind: 'owner', companyId: a.companyId, phone: masked(owner.phone) });
    const res = await session.get('/api/owner/home');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      owner: { id: owner.id, displayName: '业主', phone: masked(owner.phone) },
      company: { id: a.companyId, name: `测试物业 ${a.code}`, contactPhone: '02512345678' },
      rooms: [],
    });
  });

  it('picks the company the owner chose when the phone is known to two', async () => {
    const owner = await createOwnerUser(t.db, a);
    await createOwnerUser(t.db, b, owner.phone);
    const session = await ownerLogin(t.app, t.db, owner.phone, b.companyId);
    expect((await session.get('/api/owner/home')).json().company.id).toBe(b.companyId);
  });

  it('is refused to staff, even an administrator', async () => {
    const res = await adminA.get('/api/owner/home');
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details.permission).toBe('owner.self');
    const tech = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'technician' })).id);
    expect((await tech.get('/api/owner/home')).statusCode).toBe(403);
  });

  it('an owner cannot reach staff APIs', async () => {
    const session = await ownerLogin(t.app, t.db, (await createOwnerUser(t.db, a)).phone);
    for (const url of ['/api/owners', '/api/staff', '/api/roles', '/api/audit', '/api/sms/outbox']) {
      expect((await session.get(url)).statusCode, url).toBe(403);
    }
  });
});

describe('one-time codes', () => {
  it('limits how many codes one address can ask for, across numbers', async () => {
    const ip = randomIp();
    for (let i = 0; i < 30; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone: uniquePhone() }, remoteAddress: ip });
      expect(res.statusCode, `request ${i + 1}`).toBe(200);
    }
    const blocked = await t.app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone: uniquePhone() }, remoteAddress: ip });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const elsewhere = await t.app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone: uniquePhone() }, remoteAddress: randomIp() });
    expect(elsewhere.statusCode).toBe(200);
  });
});

describe('GET /api/owners', () => {
  it("lists my company's owner accounts, newest first, with full phones for an administrator", async () => {
    const co = await createCompany(t.db, { communities: 0 });
    const first = await createOwnerUser(t.db, co);
    const second = await createOwnerUser(t.db, co);
    await createOwnerUser(t.db, a);
    await createStaffUser(t.db, co);
    const admin = await sessionAs(t.app, t.db, co.admin.id);
    const res = await admin.get('/api/owners');
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(2);
    expect(res.json().items.map((o: { id: string; phone: string }) => [o.id, o.phone])).toEqual([
      [second.id, second.phone],
      [first.id, first.phone],
    ]);
    expect(res.json().items[0]).toMatchObject({ displayName: '业主', status: 'active', lastLoginAt: null });
  });

  it('masks phones for a role without personal.viewFull and filters by q', async () => {
    const owner = await createOwnerUser(t.db, a);
    const manager = await sessionAs(t.app, t.db, (await createRoleUser(t.db, a, ['owner.manage'])).id);
    const res = await manager.get(`/api/owners?q=${owner.phone}`);
    expect(res.json().items).toHaveLength(1);
    expect(res.json().items[0]).toMatchObject({ id: owner.id, phone: masked(owner.phone) });
    expect(res.body).not.toContain(owner.phone);
    expect((await adminA.get(`/api/owners?q=${owner.phone}`)).json().items[0].phone).toBe(owner.phone);
  });

  it("never shows another company's owners", async () => {
    const owner = await createOwnerUser(t.db, a);
    const res = await adminB.get(`/api/owners?q=${owner.phone}&pageSize=200`);
    expect(res.json()).toMatchObject({ items: [], total: 0 });
    expect(res.body).not.toContain(owner.id);
  });

  it('is refused without owner.manage and answers 400 for a bad page size', async () => {
    const cleaner = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'cleaner' })).id);
    const res = await cleaner.get('/api/owners');
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details.permission).toBe('owner.manage');
    expectFieldError(await adminA.get('/api/owners?pageSize=201'), 'pageSize');
  });
});

describe('POST /api/owners', () => {
  it('creates an owner account that can log in with a code, and audits it with the phone masked', async () => {
    const phone = uniquePhone();
    const name = unique('王先生');
    const res = await adminA.post('/api/owners', { displayName: name, phone });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ displayName: name, phone, status: 'active', lastLoginAt: null });
    const row = await t.db.selectFrom('users').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ company_id: a.companyId, kind: 'owner', phone, display_name: name, username: null, password_hash: null });
    const roles = await t.db.selectFrom('user_roles').select('role_id').where('user_id', '=', body.id).execute();
    expect(roles.map((r) => r.role_id)).toEqual([a.roleIds.owner]);
    const [audit] = await auditRows(t.db, body.id, 'owner.create');
    expect(audit).toMatchObject({ company_id: a.companyId, actor_id: a.admin.id, entity_type: 'user', after: { displayName: name, phone: masked(phone) } });
    expect(JSON.stringify(audit.after)).not.toContain(phone);

    const session = await ownerLogin(t.app, t.db, phone);
    expect(session.me.user.id).toBe(body.id);
  });

  it('answers with a masked phone to a role without personal.viewFull', async () => {
    const manager = await sessionAs(t.app, t.db, (await createRoleUser(t.db, a, ['owner.manage'])).id);
    const phone = uniquePhone();
    const res = await manager.post('/api/owners', { displayName: '李女士', phone });
    expect(res.statusCode).toBe(201);
    expect(res.json().phone).toBe(masked(phone));
  });

  it('refuses a phone already registered in my company with 409 naming phone; another company may use it', async () => {
    const owner = await createOwnerUser(t.db, a);
    const res = await adminA.post('/api/owners', { displayName: '重复', phone: owner.phone });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.field).toBe('phone');
    expect(res.json().error.message).toContain(masked(owner.phone));
    const rows = await t.db.selectFrom('users').select('id').where('company_id', '=', a.companyId).where('phone', '=', owner.phone).execute();
    expect(rows).toHaveLength(1);
    expect((await adminB.post('/api/owners', { displayName: '另一家', phone: owner.phone })).statusCode).toBe(201);
  });

  it.each([
    ['phone', { displayName: '张三', phone: '12345678901' }],
    ['phone', { displayName: '张三', phone: '1381234' }],
    ['phone', { displayName: '张三' }],
    ['displayName', { phone: '13812341234' }],
    ['displayName', { displayName: '', phone: '13812341234' }],
    ['companyId', { displayName: '张三', phone: '13812341234', companyId: 'x' }],
  ])('answers 400 naming %s', async (field, body) => {
    const res = await adminA.post('/api/owners', body);
    expectFieldError(res, field);
  });

  it('names a bad phone in both languages', async () => {
    const zh = await adminA.post('/api/owners', { displayName: '张三', phone: '12345678901' });
    expect(zh.json().error.message).toBe('字段 phone 不是有效的手机号');
    const en = await adminA.post('/api/owners', { displayName: '张三', phone: '12345678901' }, { 'accept-language': 'en' });
    expect(en.json().error.message).toBe('Field phone is not a valid mobile number');
  });

  it('is refused without owner.manage', async () => {
    const tech = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'technician' })).id);
    const phone = uniquePhone();
    const res = await tech.post('/api/owners', { displayName: '越权', phone });
    expect(res.statusCode).toBe(403);
    expect(await t.db.selectFrom('users').select('id').where('phone', '=', phone).execute()).toHaveLength(0);
  });
});
