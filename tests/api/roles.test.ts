import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { type Client, createCompany, createStaffUser, login, type TestCompany, unique } from '../helpers/factories.ts';
import { anonymous, auditRows, createRoleUser, expectFieldError, sessionAs } from '../helpers/api.ts';

let t: TestApp;
let a: TestCompany;
let b: TestCompany;
let adminA: Client;
let adminB: Client;

const BUILTIN_NAMES = ['系统管理员', '项目经理', '客服', '收费员', '维修工', '秩序维护员', '保洁', '库管', '品质专员', '业委会成员', '业主/住户'];

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([createCompany(t.db), createCompany(t.db)]);
  adminA = await login(t.app, a.admin.username);
  adminB = await login(t.app, b.admin.username);
});

async function customRole(company: TestCompany, permissions: string[] = ['community.read']) {
  return t.db.insertInto('roles').values({ company_id: company.companyId, name: unique('角色'), permissions }).returning(['id', 'name']).executeTakeFirstOrThrow();
}

describe('role endpoints need a session', () => {
  it.each([
    ['GET', '/api/permissions'],
    ['GET', '/api/roles'],
    ['POST', '/api/roles'],
    ['GET', `/api/roles/${randomUUID()}`],
    ['PATCH', `/api/roles/${randomUUID()}`],
    ['DELETE', `/api/roles/${randomUUID()}`],
  ] as const)('%s %s → 401', async (method, url) => {
    const res = await anonymous(t.app, method, url, method === 'GET' || method === 'DELETE' ? undefined : {});
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('GET /api/permissions', () => {
  it('lists every grantable permission with group and both languages, never platform.manage', async () => {
    const cleaner = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'cleaner' })).id);
    const res = await cleaner.get('/api/permissions');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{ key: string; group: string; zh: string; en: string }>;
    const keys = items.map((p) => p.key);
    expect(keys).toContain('staff.manage');
    expect(keys).toContain('personal.viewFull');
    expect(keys).toContain('owner.self');
    expect(keys).not.toContain('platform.manage');
    expect(new Set(keys).size).toBe(keys.length);
    expect(items.find((p) => p.key === 'audit.read')).toEqual({ key: 'audit.read', group: 'admin', zh: '查看操作日志', en: 'Read the audit trail' });
  });
});

describe('GET /api/roles', () => {
  it('shows the eleven built-in roles of my company with their user counts', async () => {
    const co = await createCompany(t.db);
    await createStaffUser(t.db, co, { role: 'cashier' });
    await createStaffUser(t.db, co, { role: 'cashier' });
    const admin = await sessionAs(t.app, t.db, co.admin.id);
    const res = await admin.get('/api/roles?pageSize=50');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{ id: string; name: string; builtinKey: string | null; userCount: number; permissions: string[] }>;
    expect(res.json().total).toBe(11);
    expect(items.map((r) => r.name).sort()).toEqual([...BUILTIN_NAMES].sort());
    expect(items.map((r) => r.id).sort()).toEqual(Object.values(co.roleIds).sort());
    const byKey = Object.fromEntries(items.map((r) => [r.builtinKey, r]));
    expect(byKey.admin).toMatchObject({ name: '系统管理员', userCount: 1 });
    expect(byKey.cashier).toMatchObject({ name: '收费员', userCount: 2 });
    expect(byKey.cleaner.userCount).toBe(0);
    expect(byKey.admin.permissions).toContain('role.manage');
    expect(byKey.admin.permissions).not.toContain('platform.manage');
    expect(byKey.owner.permissions).toEqual(['owner.self', 'file.upload']);
  });

  it('filters by name, pages, and caps pageSize', async () => {
    const res = await adminA.get(`/api/roles?q=${encodeURIComponent('收费')}`);
    expect(res.json().items.map((r: { id: string }) => r.id)).toEqual([a.roleIds.cashier]);
    expect(res.json().total).toBe(1);
    const page = await adminA.get('/api/roles?pageSize=3&page=2');
    expect(page.json().items).toHaveLength(3);
    expect(page.json().page).toBe(2);
    expectFieldError(await adminA.get('/api/roles?pageSize=201'), 'pageSize');
  });

  it('is refused to a role without role.read', async () => {
    const tech = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'technician' })).id);
    const res = await tech.get('/api/roles');
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details.permission).toBe('role.read');
  });
});

describe('GET /api/roles/:id', () => {
  it('returns one role', async () => {
    const res = await adminA.get(`/api/roles/${a.roleIds.technician}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: a.roleIds.technician, name: '维修工', builtinKey: 'technician', description: 'Technician' });
    expect(res.json().permissions).toContain('ticket.work');
  });

  it("answers 404 for another company's role without data, 400 for a malformed id, 403 without role.read", async () => {
    const role = await customRole(a);
    const res = await adminB.get(`/api/roles/${role.id}`);
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain(role.name);
    expect(res.body).not.toContain(role.id);
    expect((await adminB.get(`/api/roles/${a.roleIds.admin}`)).statusCode).toBe(404);
    expectFieldError(await adminA.get('/api/roles/abc'), 'id');
    const cleaner = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'cleaner' })).id);
    expect((await cleaner.get(`/api/roles/${role.id}`)).statusCode).toBe(403);
  });
});

describe('POST /api/roles', () => {
  it('creates a custom role with sorted, de-duplicated permissions and audits it', async () => {
    const name = unique('前台');
    const res = await adminA.post('/api/roles', { name, description: '前台接待', permissions: ['sms.read', 'audit.read', 'audit.read'] });
    expect(res.statusCode).toBe(201);
    const role = res.json();
    expect(role).toMatchObject({ name, description: '前台接待', builtinKey: null, permissions: ['audit.read', 'sms.read'], userCount: 0 });
    const row = await t.db.selectFrom('roles').selectAll().where('id', '=', role.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ company_id: a.companyId, name, builtin_key: null, permissions: ['audit.read', 'sms.read'] });
    const [audit] = await auditRows(t.db, role.id, 'role.create');
    expect(audit).toMatchObject({ company_id: a.companyId, actor_id: a.admin.id, entity_type: 'role', before: null, after: { id: role.id, name, permissions: ['audit.read', 'sms.read'] } });
    // Names are per company: company B may use the same one.
    expect((await adminB.post('/api/roles', { name, permissions: [] })).statusCode).toBe(201);
  });

  it.each([
    ['an unknown permission', ['community.read', 'rocket.launch'], 'rocket.launch'],
    ['platform.manage', ['platform.manage'], 'platform.manage'],
  ])('refuses %s with 400 naming permissions', async (_name, permissions, bad) => {
    const name = unique('坏角色');
    const res = await adminA.post('/api/roles', { name, permissions });
    expectFieldError(res, 'permissions');
    expect(res.json().error.message).toContain(bad);
    expect(await t.db.selectFrom('roles').select('id').where('name', '=', name).execute()).toHaveLength(0);
  });

  it.each([
    ['name', { permissions: [] }],
    ['name', { name: '', permissions: [] }],
    ['name', { name: 'x'.repeat(41), permissions: [] }],
    ['permissions', { name: '无权限列表' }],
    ['permissions', { name: '错类型', permissions: 'audit.read' }],
    ['builtinKey', { name: '冒充内置', permissions: [], builtinKey: 'admin' }],
  ])('answers 400 naming %s', async (field, body) => {
    expectFieldError(await adminA.post('/api/roles', body), field);
  });

  it('refuses a duplicate name with 409 naming name', async () => {
    const res = await adminA.post('/api/roles', { name: '系统管理员', permissions: ['audit.read'] });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.field).toBe('name');
    expect(res.json().error.message).toBe('角色名称 系统管理员 已存在');
    const rows = await t.db.selectFrom('roles').select('id').where('company_id', '=', a.companyId).where('name', '=', '系统管理员').execute();
    expect(rows).toHaveLength(1);
  });

  it('is refused without role.manage', async () => {
    const manager = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'manager' })).id);
    const name = unique('经理建');
    const res = await manager.post('/api/roles', { name, permissions: [] });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details.permission).toBe('role.manage');
    expect(await t.db.selectFrom('roles').select('id').where('name', '=', name).execute()).toHaveLength(0);
  });
});

describe('PATCH /api/roles/:id', () => {
  it('renames and changes permissions, with before and after in the audit', async () => {
    const role = await customRole(a, ['community.read']);
    const name = unique('改名');
    const res = await adminA.patch(`/api/roles/${role.id}`, { name, description: null, permissions: ['job.read', 'community.read'] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: role.id, name, description: null, permissions: ['community.read', 'job.read'] });
    const row = await t.db.selectFrom('roles').select(['name', 'permissions']).where('id', '=', role.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ name, permissions: ['community.read', 'job.read'] });
    const [audit] = await auditRows(t.db, role.id, 'role.update');
    expect(audit).toMatchObject({ actor_id: a.admin.id, company_id: a.companyId, before: { name: role.name, permissions: ['community.read'] }, after: { name, permissions: ['community.read', 'job.read'] } });
  });

  it("changes what the role's users can do on their very next request", async () => {
    const user = await createRoleUser(t.db, a, ['community.read']);
    const session = await sessionAs(t.app, t.db, user.id);
    expect((await session.get('/api/audit')).statusCode).toBe(403);
    expect((await adminA.patch(`/api/roles/${user.roleId}`, { permissions: ['community.read', 'audit.read'] })).statusCode).toBe(200);
    const allowed = await session.get('/api/audit');
    expect(allowed.statusCode).toBe(200);
    expect((await session.get('/api/auth/me')).json().abilities).toEqual(['audit.read', 'community.read']);
    expect((await adminA.patch(`/api/roles/${user.roleId}`, { permissions: ['community.read'] })).statusCode).toBe(200);
    expect((await session.get('/api/audit')).statusCode).toBe(403);
  });

  it('refuses a bad permission or a duplicate name and changes nothing', async () => {
    const role = await customRole(a, ['community.read']);
    expectFieldError(await adminA.patch(`/api/roles/${role.id}`, { permissions: ['platform.manage'] }), 'permissions');
    expectFieldError(await adminA.patch(`/api/roles/${role.id}`, { name: '' }), 'name');
    expectFieldError(await adminA.patch(`/api/roles/${role.id}`, { builtinKey: 'admin' }), 'builtinKey');
    const dup = await adminA.patch(`/api/roles/${role.id}`, { name: '保洁' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details.field).toBe('name');
    const row = await t.db.selectFrom('roles').select(['name', 'permissions']).where('id', '=', role.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ name: role.name, permissions: ['community.read'] });
    // Keeping its own name is not a clash.
    expect((await adminA.patch(`/api/roles/${role.id}`, { name: role.name })).statusCode).toBe(200);
  });

  it('will not take staff.manage away from the last administrators', async () => {
    const co = await createCompany(t.db);
    const admin = await sessionAs(t.app, t.db, co.admin.id);
    const adminRole = (await admin.get(`/api/roles/${co.roleIds.admin}`)).json();
    const without = adminRole.permissions.filter((p: string) => p !== 'staff.manage');
    const res = await admin.patch(`/api/roles/${co.roleIds.admin}`, { permissions: without });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toBe('至少保留一名启用的系统管理员');
    const row = await t.db.selectFrom('roles').select('permissions').where('id', '=', co.roleIds.admin).executeTakeFirstOrThrow();
    expect(row.permissions).toContain('staff.manage');
    // With another account holding staff.manage through a different role, the change is allowed.
    await createRoleUser(t.db, co, ['staff.read', 'staff.manage']);
    expect((await admin.patch(`/api/roles/${co.roleIds.admin}`, { permissions: without })).statusCode).toBe(200);
  });

  it("answers 404 for another company's role and leaves it alone", async () => {
    const role = await customRole(a, ['community.read']);
    const res = await adminB.patch(`/api/roles/${role.id}`, { name: '抢来的', permissions: ['audit.read'] });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain(role.name);
    const row = await t.db.selectFrom('roles').select(['name', 'permissions']).where('id', '=', role.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ name: role.name, permissions: ['community.read'] });
  });

  it('is refused without role.manage', async () => {
    const role = await customRole(a);
    const reader = await sessionAs(t.app, t.db, (await createRoleUser(t.db, a, ['role.read'])).id);
    expect((await reader.get(`/api/roles/${role.id}`)).statusCode).toBe(200);
    expect((await reader.patch(`/api/roles/${role.id}`, { name: '越权' })).statusCode).toBe(403);
  });
});

describe('DELETE /api/roles/:id', () => {
  it('deletes an unused custom role and audits what it was', async () => {
    const role = await customRole(a, ['audit.read']);
    const res = await adminA.delete(`/api/roles/${role.id}`);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(await t.db.selectFrom('roles').select('id').where('id', '=', role.id).execute()).toHaveLength(0);
    const [audit] = await auditRows(t.db, role.id, 'role.delete');
    expect(audit).toMatchObject({ actor_id: a.admin.id, company_id: a.companyId, entity_type: 'role', before: { name: role.name, permissions: ['audit.read'] }, after: null });
    expect((await adminA.delete(`/api/roles/${role.id}`)).statusCode).toBe(404);
  });

  it('refuses a built-in role and a role in use with 409', async () => {
    const builtin = await adminA.delete(`/api/roles/${a.roleIds.storekeeper}`);
    expect(builtin.statusCode).toBe(409);
    expect(builtin.json().error.message).toBe('内置角色不能删除，可以复制后修改');
    const user = await createRoleUser(t.db, a, ['community.read']);
    const used = await adminA.delete(`/api/roles/${user.roleId}`);
    expect(used.statusCode).toBe(409);
    expect(used.json().error.message).toBe('角色仍分配给 1 个账号，不能删除');
    expect(await t.db.selectFrom('roles').select('id').where('id', 'in', [a.roleIds.storekeeper, user.roleId]).execute()).toHaveLength(2);
  });

  it("answers 404 for another company's role, 400 for a malformed id, 403 without role.manage", async () => {
    const role = await customRole(a);
    const res = await adminB.delete(`/api/roles/${role.id}`);
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain(role.name);
    expectFieldError(await adminA.delete('/api/roles/nope'), 'id');
    const service = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'service' })).id);
    expect((await service.delete(`/api/roles/${role.id}`)).statusCode).toBe(403);
    expect(await t.db.selectFrom('roles').select('id').where('id', '=', role.id).execute()).toHaveLength(1);
  });
});
