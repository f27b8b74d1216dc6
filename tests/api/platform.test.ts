import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { type Client, createCompany, createOperator, createOwnerUser, createStaffUser, login, PASSWORD, type TestCompany, unique, uniquePhone } from '../helpers/factories.ts';
import { anonymous, auditRows, expectFieldError, ownerLogin, sessionAs, tryLogin } from '../helpers/api.ts';

let t: TestApp;
let a: TestCompany;
let operator: Client;
let operatorId: string;
let adminA: Client;

const BUILTIN_KEYS = ['admin', 'manager', 'service', 'cashier', 'technician', 'security', 'cleaner', 'quality', 'storekeeper', 'committee', 'owner'];

beforeAll(async () => {
  t = await testApp();
  a = await createCompany(t.db);
  const op = await createOperator(t.db);
  operatorId = op.id;
  operator = await login(t.app, op.username);
  adminA = await login(t.app, a.admin.username);
});

const newCompany = (extra: Record<string, unknown> = {}) => {
  const code = unique('co-');
  return { name: `新物业 ${code}`, code, admin: { username: unique('boss'), displayName: '新公司管理员', password: 'first-pass-1' }, ...extra };
};

describe('platform endpoints', () => {
  const routes = () =>
    [
      ['GET', '/api/platform/companies'],
      ['POST', '/api/platform/companies'],
      ['GET', `/api/platform/companies/${a.companyId}`],
      ['PATCH', `/api/platform/companies/${a.companyId}`],
    ] as const;

  it('need a session', async () => {
    for (const [method, url] of routes()) {
      const res = await anonymous(t.app, method, url, method === 'GET' ? undefined : {});
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it('are for the platform operator only: a company administrator gets 403 and learns nothing', async () => {
    for (const [method, url] of routes()) {
      const res = method === 'GET' ? await adminA.get(url) : method === 'POST' ? await adminA.post(url, newCompany()) : await adminA.patch(url, { status: 'suspended' });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().error.details.permission).toBe('platform.manage');
      expect(res.body).not.toContain(a.code);
    }
    const row = await t.db.selectFrom('companies').select('status').where('id', '=', a.companyId).executeTakeFirstOrThrow();
    expect(row.status).toBe('active');
  });

  it('the operator holds only platform.manage and cannot use company APIs', async () => {
    expect(operator.me.abilities).toEqual(['platform.manage']);
    expect((await operator.get('/api/staff')).statusCode).toBe(403);
    expect((await operator.get('/api/communities')).statusCode).toBe(403);
  });
});

describe('GET /api/platform/companies', () => {
  it('lists companies with counts, filtered by q, and caps pageSize', async () => {
    await createStaffUser(t.db, a);
    const res = await operator.get(`/api/platform/companies?q=${a.code}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(1);
    expect(res.json().items[0]).toMatchObject({ id: a.companyId, code: a.code, name: `测试物业 ${a.code}`, status: 'active', communityCount: 2, staffCount: 2, contactPhone: null });
    const all = await operator.get('/api/platform/companies?pageSize=200');
    expect(all.json().total).toBeGreaterThanOrEqual(1);
    expectFieldError(await operator.get('/api/platform/companies?pageSize=201'), 'pageSize');
  });
});

describe('POST /api/platform/companies', () => {
  it('provisions the eleven built-in roles and an administrator who logs in with the given password', async () => {
    const input = newCompany({ contactPhone: '13800001111' });
    const res = await operator.post('/api/platform/companies', input);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.temporaryPassword).toBeNull();
    expect(body.company).toMatchObject({ name: input.name, code: input.code, status: 'active', contactPhone: '13800001111', communityCount: 0, staffCount: 1 });
    const companyId = body.company.id;

    const roles = await t.db.selectFrom('roles').select(['builtin_key', 'name']).where('company_id', '=', companyId).execute();
    expect(roles.map((r) => r.builtin_key).sort()).toEqual([...BUILTIN_KEYS].sort());
    const admin = await t.db.selectFrom('users').selectAll().where('id', '=', body.adminId).executeTakeFirstOrThrow();
    expect(admin).toMatchObject({ company_id: companyId, kind: 'staff', username: input.admin.username, all_communities: true, must_change_password: false });
    const adminRole = await t.db.selectFrom('user_roles').innerJoin('roles', 'roles.id', 'user_roles.role_id').select('roles.builtin_key').where('user_id', '=', body.adminId).execute();
    expect(adminRole).toEqual([{ builtin_key: 'admin' }]);

    const [audit] = await auditRows(t.db, companyId, 'company.create');
    expect(audit).toMatchObject({ company_id: companyId, actor_id: operatorId, entity_type: 'company', after: { id: companyId, code: input.code, admin: input.admin.username } });
    expect(JSON.stringify(audit.after)).not.toContain('first-pass-1');

    const session = await login(t.app, input.admin.username, 'first-pass-1');
    expect(session.me.user.companyId).toBe(companyId);
    expect(session.me.abilities).toContain('staff.manage');
    expect((await session.get('/api/roles')).json().total).toBe(11);
  });

  it('returns a temporary password when none is given, which logs in and must be changed', async () => {
    const input = newCompany();
    delete (input.admin as { password?: string }).password;
    const res = await operator.post('/api/platform/companies', input);
    expect(res.statusCode).toBe(201);
    const temp = res.json().temporaryPassword;
    expect(temp).toMatch(/^[a-z2-9]{10}$/);
    const session = await login(t.app, input.admin.username, temp);
    expect(session.me.user.mustChangePassword).toBe(true);
  });

  it('refuses a duplicate code with 409 naming code, and a taken admin username naming admin.username', async () => {
    const dupCode = await operator.post('/api/platform/companies', newCompany({ code: a.code, name: '重复编码物业' }));
    expect(dupCode.statusCode).toBe(409);
    expect(dupCode.json().error.details.field).toBe('code');
    expect(dupCode.json().error.message).toContain(a.code);
    const input = newCompany();
    const dupUser = await operator.post('/api/platform/companies', { ...input, admin: { ...input.admin, username: a.admin.username } });
    expect(dupUser.statusCode).toBe(409);
    expect(dupUser.json().error.details.field).toBe('admin.username');
    const made = await t.db.selectFrom('companies').select('id').where((eb) => eb.or([eb('name', '=', '重复编码物业'), eb('code', '=', input.code)])).execute();
    expect(made).toHaveLength(0);
  });

  it.each([
    ['code', { code: 'Has-Capitals' }],
    ['code', { code: 'x' }],
    ['name', { name: 'x' }],
    ['contactPhone', { contactPhone: '12345678901' }],
    ['admin', { admin: undefined }],
    ['admin.username', { admin: { username: '1bad', displayName: '管理员' } }],
    ['admin.displayName', { admin: { username: 'goodname' } }],
    ['admin.password', { admin: { username: 'goodname', displayName: '管理员', password: 'weak' } }],
    ['status', { status: 'active' }],
  ])('answers 400 naming %s', async (field, extra) => {
    const body = { ...newCompany(), ...extra };
    expectFieldError(await operator.post('/api/platform/companies', JSON.parse(JSON.stringify(body))), field);
  });
});

describe('GET /api/platform/companies/:id', () => {
  it('returns one company, 404 for an unknown id, 400 for a malformed one', async () => {
    const res = await operator.get(`/api/platform/companies/${a.companyId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: a.companyId, code: a.code, communityCount: 2 });
    expect((await operator.get(`/api/platform/companies/${randomUUID()}`)).statusCode).toBe(404);
    expectFieldError(await operator.get('/api/platform/companies/abc'), 'id');
  });
});

describe('PATCH /api/platform/companies/:id', () => {
  it('renames and sets the contact phone, with before and after in the audit', async () => {
    const co = await createCompany(t.db, { communities: 0 });
    const res = await operator.patch(`/api/platform/companies/${co.companyId}`, { name: '改名物业', contactPhone: '13900002222' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: co.companyId, name: '改名物业', contactPhone: '13900002222', status: 'active' });
    const row = await t.db.selectFrom('companies').select(['name', 'contact_phone']).where('id', '=', co.companyId).executeTakeFirstOrThrow();
    expect(row).toEqual({ name: '改名物业', contact_phone: '13900002222' });
    const [audit] = await auditRows(t.db, co.companyId, 'company.update');
    expect(audit).toMatchObject({ company_id: co.companyId, actor_id: operatorId, before: { name: `测试物业 ${co.code}`, contact_phone: null }, after: { name: '改名物业', contact_phone: '13900002222' } });
  });

  it("suspending a company ends its users' sessions and refuses their logins; reactivating lets them back", async () => {
    const co = await createCompany(t.db);
    const staff = await createStaffUser(t.db, co);
    const owner = await createOwnerUser(t.db, co, uniquePhone());
    const adminSession = await sessionAs(t.app, t.db, co.admin.id);
    const staffSession = await sessionAs(t.app, t.db, staff.id);
    const ownerSession = await ownerLogin(t.app, t.db, owner.phone);

    const res = await operator.patch(`/api/platform/companies/${co.companyId}`, { status: 'suspended' });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('suspended');
    for (const session of [adminSession, staffSession, ownerSession]) {
      const me = await session.get('/api/auth/me');
      expect(me.statusCode).toBe(401);
    }
    const refused = await tryLogin(t.app, co.admin.username, PASSWORD);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('ACCOUNT_DISABLED');
    const [audit] = await auditRows(t.db, co.companyId, 'company.update');
    expect(audit).toMatchObject({ before: { status: 'active' }, after: { status: 'suspended' } });
    // Other companies carry on.
    expect((await adminA.get('/api/auth/me')).statusCode).toBe(200);

    expect((await operator.patch(`/api/platform/companies/${co.companyId}`, { status: 'active' })).json().status).toBe('active');
    expect((await tryLogin(t.app, co.admin.username, PASSWORD)).statusCode).toBe(200);
    // Sessions from before the suspension stay ended: everyone logs in again.
    expect((await adminSession.get('/api/auth/me')).statusCode).toBe(401);
    const revoked = await t.db.selectFrom('sessions').select('revoked_at').where('user_id', '=', staff.id).execute();
    expect(revoked.every((r) => r.revoked_at !== null)).toBe(true);
  });

  it('answers 404 for an unknown company and 400 naming the field', async () => {
    expect((await operator.patch(`/api/platform/companies/${randomUUID()}`, { name: '不存在' })).statusCode).toBe(404);
    expectFieldError(await operator.patch(`/api/platform/companies/${a.companyId}`, { status: 'closed' }), 'status');
    expectFieldError(await operator.patch(`/api/platform/companies/${a.companyId}`, { code: 'new-code' }), 'code');
    expectFieldError(await operator.patch(`/api/platform/companies/${a.companyId}`, { contactPhone: '123' }), 'contactPhone');
  });
});
