import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { type Client, createCompany, createOwnerUser, createStaffUser, login, PASSWORD, type TestCompany, unique, uniquePhone } from '../helpers/factories.ts';
import { anonymous, auditRows, createRoleUser, expectFieldError, sessionAs, tryLogin } from '../helpers/api.ts';

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
});

describe('staff endpoints need a session', () => {
  it.each([
    ['GET', '/api/staff'],
    ['POST', '/api/staff'],
    ['GET', `/api/staff/${randomUUID()}`],
    ['PATCH', `/api/staff/${randomUUID()}`],
    ['POST', `/api/staff/${randomUUID()}/reset-password`],
  ] as const)('%s %s → 401', async (method, url) => {
    const res = await anonymous(t.app, method, url, method === 'GET' ? undefined : {});
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('GET /api/staff', () => {
  it('lists only my company, filtered by q, status and roleId', async () => {
    const co = await createCompany(t.db);
    const cashier = await createStaffUser(t.db, co, { role: 'cashier' });
    const tech = await createStaffUser(t.db, co, { role: 'technician' });
    const gone = await createStaffUser(t.db, co, { role: 'technician' });
    await t.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', gone.id).execute();
    await createOwnerUser(t.db, co);
    const admin = await sessionAs(t.app, t.db, co.admin.id);

    const all = await admin.get('/api/staff?pageSize=200');
    expect(all.statusCode).toBe(200);
    const ids = all.json().items.map((s: { id: string }) => s.id);
    // Owners are not staff; other companies' accounts never appear.
    expect(ids.sort()).toEqual([co.admin.id, cashier.id, tech.id, gone.id].sort());
    expect(all.json().total).toBe(4);
    const cashierItem = all.json().items.find((s: { id: string }) => s.id === cashier.id);
    expect(cashierItem).toMatchObject({ username: cashier.username, status: 'active', roles: [{ id: co.roleIds.cashier, name: '收费员' }], communities: [{ id: co.communityIds[0] }] });

    const byName = await admin.get(`/api/staff?q=${cashier.username.toUpperCase()}`);
    expect(byName.json().items.map((s: { id: string }) => s.id)).toEqual([cashier.id]);
    expect(byName.json().total).toBe(1);

    const disabled = await admin.get('/api/staff?status=disabled');
    expect(disabled.json().items.map((s: { id: string }) => s.id)).toEqual([gone.id]);
    const active = await admin.get('/api/staff?status=active');
    expect(active.json().total).toBe(3);

    const techs = await admin.get(`/api/staff?roleId=${co.roleIds.technician}`);
    expect(techs.json().items.map((s: { id: string }) => s.id).sort()).toEqual([tech.id, gone.id].sort());
    const activeTechs = await admin.get(`/api/staff?roleId=${co.roleIds.technician}&status=active`);
    expect(activeTechs.json().items.map((s: { id: string }) => s.id)).toEqual([tech.id]);

    // A role id of another company matches nothing rather than someone else's staff.
    const foreignRole = await admin.get(`/api/staff?roleId=${a.roleIds.admin}`);
    expect(foreignRole.json()).toMatchObject({ items: [], total: 0 });
  });

  it('pages without overlap and caps pageSize at 200', async () => {
    const co = await createCompany(t.db);
    for (let i = 0; i < 4; i++) await createStaffUser(t.db, co);
    const admin = await sessionAs(t.app, t.db, co.admin.id);
    const p1 = (await admin.get('/api/staff?pageSize=2&page=1')).json();
    const p2 = (await admin.get('/api/staff?pageSize=2&page=2')).json();
    const p3 = (await admin.get('/api/staff?pageSize=2&page=3')).json();
    expect([p1.total, p1.page, p1.pageSize]).toEqual([5, 1, 2]);
    expect(p1.items).toHaveLength(2);
    expect(p2.items).toHaveLength(2);
    expect(p3.items).toHaveLength(1);
    const seen = new Set([...p1.items, ...p2.items, ...p3.items].map((s: { id: string }) => s.id));
    expect(seen.size).toBe(5);
    expect((await admin.get('/api/staff?pageSize=200')).statusCode).toBe(200);
    expectFieldError(await admin.get('/api/staff?pageSize=201'), 'pageSize');
    expectFieldError(await admin.get('/api/staff?page=0'), 'page');
    expectFieldError(await admin.get('/api/staff?status=gone'), 'status');
    expectFieldError(await admin.get('/api/staff?roleId=nope'), 'roleId');
  });

  it('masks phones for a role without personal.viewFull and shows them whole to an administrator', async () => {
    const phone = uniquePhone();
    const member = await createStaffUser(t.db, a, { phone });
    const reader = await createRoleUser(t.db, a, ['staff.read']);
    const readerClient = await sessionAs(t.app, t.db, reader.id);

    const forReader = (await readerClient.get(`/api/staff?q=${member.username}`)).json().items[0];
    expect(forReader.phone).toBe(masked(phone));
    expect(JSON.stringify((await readerClient.get('/api/staff?pageSize=200')).json())).not.toContain(phone);
    expect((await readerClient.get(`/api/staff/${member.id}`)).json().phone).toBe(masked(phone));

    expect((await adminA.get(`/api/staff?q=${member.username}`)).json().items[0].phone).toBe(phone);
    expect((await adminA.get(`/api/staff/${member.id}`)).json().phone).toBe(phone);
  });

  it('is refused to a role without staff.read', async () => {
    const cleaner = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'cleaner' })).id);
    const res = await cleaner.get('/api/staff');
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'FORBIDDEN', details: { permission: 'staff.read' } });
  });
});

describe('GET /api/staff/:id', () => {
  it('returns the account with roles and communities', async () => {
    const member = await createStaffUser(t.db, a, { role: 'technician', communityIds: a.communityIds });
    const res = await adminA.get(`/api/staff/${member.id}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ id: member.id, username: member.username, status: 'active', allCommunities: false, mustChangePassword: false, lastLoginAt: null });
    expect(body.roles).toEqual([{ id: a.roleIds.technician, name: '维修工', builtinKey: 'technician' }]);
    expect(body.communities.map((c: { id: string }) => c.id).sort()).toEqual([...a.communityIds].sort());
    expect(body).not.toHaveProperty('passwordHash');
    expect(JSON.stringify(body)).not.toContain('scrypt');
  });

  it("answers 404 for another company's account and for an owner, without data", async () => {
    const member = await createStaffUser(t.db, a, { phone: uniquePhone() });
    const res = await adminB.get(`/api/staff/${member.id}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    expect(res.body).not.toContain(member.username);
    expect(res.body).not.toContain(member.id);
    const owner = await createOwnerUser(t.db, a);
    expect((await adminA.get(`/api/staff/${owner.id}`)).statusCode).toBe(404);
  });

  it('answers 400 naming id for a malformed id, 403 without staff.read', async () => {
    expectFieldError(await adminA.get('/api/staff/not-a-uuid'), 'id');
    const tech = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'technician' })).id);
    expect((await tech.get(`/api/staff/${a.admin.id}`)).statusCode).toBe(403);
  });
});

describe('POST /api/staff', () => {
  it('creates an account with a temporary password that logs in and must be changed', async () => {
    const username = unique('new');
    const phone = uniquePhone();
    const res = await adminA.post('/api/staff', { username, displayName: '新员工', phone, roleIds: [a.roleIds.cashier], communityIds: [a.communityIds[1]] });
    expect(res.statusCode).toBe(201);
    const { staff, temporaryPassword } = res.json();
    expect(temporaryPassword).toMatch(/^[a-z2-9]{10}$/);
    expect(staff).toMatchObject({ username, displayName: '新员工', phone, status: 'active', mustChangePassword: true, allCommunities: false });
    expect(staff.roles).toEqual([{ id: a.roleIds.cashier, name: '收费员', builtinKey: 'cashier' }]);
    expect(staff.communities.map((c: { id: string }) => c.id)).toEqual([a.communityIds[1]]);

    const row = await t.db.selectFrom('users').selectAll().where('id', '=', staff.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ company_id: a.companyId, kind: 'staff', username, phone, must_change_password: true, status: 'active' });
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(temporaryPassword);
    const roles = await t.db.selectFrom('user_roles').select('role_id').where('user_id', '=', staff.id).execute();
    expect(roles.map((r) => r.role_id)).toEqual([a.roleIds.cashier]);
    const communities = await t.db.selectFrom('user_communities').select('community_id').where('user_id', '=', staff.id).execute();
    expect(communities.map((c) => c.community_id)).toEqual([a.communityIds[1]]);

    const [audit] = await auditRows(t.db, staff.id, 'staff.create');
    expect(audit).toMatchObject({ company_id: a.companyId, actor_id: a.admin.id, actor_name: a.admin.username, entity_type: 'user', before: null });
    expect(audit.after).toMatchObject({ id: staff.id, username, display_name: '新员工', roleIds: [a.roleIds.cashier], communityIds: [a.communityIds[1]] });
    expect(audit.after).toMatchObject({ phone: masked(phone) });
    expect(JSON.stringify(audit.after)).not.toContain(phone);
    expect(JSON.stringify(audit.after)).not.toContain(temporaryPassword);
    expect(JSON.stringify(audit.after)).not.toContain('scrypt');

    const session = await login(t.app, username, temporaryPassword);
    expect(session.me.user.mustChangePassword).toBe(true);
    expect(session.me.abilities).toContain('billing.collect');
  });

  it('uses the given password and does not ask to change it', async () => {
    const username = unique('pw');
    const res = await adminA.post('/api/staff', { username, displayName: '自设密码', password: 'chosen-pass-7', roleIds: [a.roleIds.service], allCommunities: true });
    expect(res.statusCode).toBe(201);
    expect(res.json().temporaryPassword).toBeNull();
    expect(res.json().staff).toMatchObject({ mustChangePassword: false, allCommunities: true, communities: [] });
    const session = await login(t.app, username, 'chosen-pass-7');
    expect(session.me.user.mustChangePassword).toBe(false);
    expect(session.me.communities).toHaveLength(2);
  });

  it('refuses a taken username (any case, any company) with 409 naming username', async () => {
    const existing = await createStaffUser(t.db, a);
    const res = await adminB.post('/api/staff', { username: existing.username.toUpperCase(), displayName: '重名', roleIds: [b.roleIds.service] });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CONFLICT');
    expect(res.json().error.details.field).toBe('username');
    expect(res.json().error.message).toContain(existing.username.toUpperCase());
    const rows = await t.db.selectFrom('users').select('id').where('company_id', '=', b.companyId).where('display_name', '=', '重名').execute();
    expect(rows).toHaveLength(0);
  });

  it.each([
    ['roleIds', () => ({ roleIds: [b.roleIds.admin] })],
    ['roleIds', () => ({ roleIds: [a.roleIds.service, randomUUID()] })],
    ['communityIds', () => ({ roleIds: [a.roleIds.service], communityIds: [b.communityIds[0]] })],
  ])('refuses %s of another company with 400 naming the field, creating nothing', async (field, extra) => {
    const username = unique('x');
    const res = await adminA.post('/api/staff', { username, displayName: '越权', ...extra() });
    expectFieldError(res, field);
    expect(await t.db.selectFrom('users').select('id').where('username', '=', username).execute()).toHaveLength(0);
  });

  it.each([
    ['username', { displayName: '甲', roleIds: ['ROLE'] }],
    ['username', { username: '9starts-with-digit', displayName: '甲', roleIds: ['ROLE'] }],
    ['displayName', { username: 'okname', roleIds: ['ROLE'] }],
    ['roleIds', { username: 'okname', displayName: '甲' }],
    ['roleIds', { username: 'okname', displayName: '甲', roleIds: [] }],
    ['roleIds.0', { username: 'okname', displayName: '甲', roleIds: ['not-a-uuid'] }],
    ['phone', { username: 'okname', displayName: '甲', phone: '12345678901', roleIds: ['ROLE'] }],
    ['password', { username: 'okname', displayName: '甲', password: 'short', roleIds: ['ROLE'] }],
    ['password', { username: 'okname', displayName: '甲', password: 'onlyletters', roleIds: ['ROLE'] }],
    ['isAdmin', { username: 'okname', displayName: '甲', roleIds: ['ROLE'], isAdmin: true }],
  ])('answers 400 naming %s', async (field, body) => {
    const payload = JSON.parse(JSON.stringify(body).replace('"ROLE"', JSON.stringify(a.roleIds.service)));
    expectFieldError(await adminA.post('/api/staff', payload), field);
  });

  it('is refused without staff.manage', async () => {
    const reader = await sessionAs(t.app, t.db, (await createRoleUser(t.db, a, ['staff.read'])).id);
    const username = unique('no');
    const res = await reader.post('/api/staff', { username, displayName: '无权', roleIds: [a.roleIds.service] });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details.permission).toBe('staff.manage');
    expect(await t.db.selectFrom('users').select('id').where('username', '=', username).execute()).toHaveLength(0);
  });
});

describe('PATCH /api/staff/:id', () => {
  it('changes name, phone, roles and communities, with before and after in the audit', async () => {
    const member = await createStaffUser(t.db, a, { role: 'cleaner' });
    const phone = uniquePhone();
    const res = await adminA.patch(`/api/staff/${member.id}`, { displayName: '改名了', phone, roleIds: [a.roleIds.technician, a.roleIds.security], communityIds: [a.communityIds[1]] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: member.id, displayName: '改名了', phone, communities: [{ id: a.communityIds[1] }] });
    expect(res.json().roles.map((r: { id: string }) => r.id).sort()).toEqual([a.roleIds.technician, a.roleIds.security].sort());

    const row = await t.db.selectFrom('users').select(['display_name', 'phone']).where('id', '=', member.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ display_name: '改名了', phone });
    const roles = await t.db.selectFrom('user_roles').select('role_id').where('user_id', '=', member.id).execute();
    expect(roles.map((r) => r.role_id).sort()).toEqual([a.roleIds.technician, a.roleIds.security].sort());
    const communities = await t.db.selectFrom('user_communities').select('community_id').where('user_id', '=', member.id).execute();
    expect(communities.map((c) => c.community_id)).toEqual([a.communityIds[1]]);

    const [audit] = await auditRows(t.db, member.id, 'staff.update');
    expect(audit).toMatchObject({ company_id: a.companyId, actor_id: a.admin.id, entity_type: 'user' });
    expect(audit.before).toMatchObject({ display_name: `员工${member.username.slice(-4)}`, phone: null, roles: [{ id: a.roleIds.cleaner, name: '保洁' }] });
    expect(audit.after).toMatchObject({ display_name: '改名了', phone: masked(phone) });

    const cleared = await adminA.patch(`/api/staff/${member.id}`, { phone: null });
    expect(cleared.json().phone).toBeNull();
  });

  it('disabling ends the account’s sessions at once', async () => {
    const member = await createStaffUser(t.db, a);
    const session = await login(t.app, member.username);
    expect((await session.get('/api/auth/me')).statusCode).toBe(200);
    const res = await adminA.patch(`/api/staff/${member.id}`, { status: 'disabled' });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('disabled');
    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
    const open = await t.db.selectFrom('sessions').select('id').where('user_id', '=', member.id).where('revoked_at', 'is', null).execute();
    expect(open).toHaveLength(0);
    const [audit] = await auditRows(t.db, member.id, 'staff.disable');
    expect(audit.before).toMatchObject({ status: 'active' });
    expect(audit.after).toMatchObject({ status: 'disabled' });
    expect((await tryLogin(t.app, member.username, PASSWORD)).statusCode).toBe(403);

    const back = await adminA.patch(`/api/staff/${member.id}`, { status: 'active' });
    expect(back.json().status).toBe('active');
    // Re-enabling does not bring the old session back: it was revoked, not just paused.
    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
    expect((await tryLogin(t.app, member.username, PASSWORD)).statusCode).toBe(200);
  });

  it('will not let me disable myself', async () => {
    const res = await adminA.patch(`/api/staff/${a.admin.id}`, { status: 'disabled' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toBe('不能停用自己的账号');
    const row = await t.db.selectFrom('users').select('status').where('id', '=', a.admin.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('active');
    expect((await adminA.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('keeps at least one active administrator', async () => {
    const co = await createCompany(t.db);
    const second = await createStaffUser(t.db, co, { role: 'admin', allCommunities: true });
    const secondClient = await sessionAs(t.app, t.db, second.id);
    // Two administrators: the second may disable the first.
    expect((await secondClient.patch(`/api/staff/${co.admin.id}`, { status: 'disabled' })).statusCode).toBe(200);
    // Now the second is the last one and cannot give up administration.
    const demote = await secondClient.patch(`/api/staff/${second.id}`, { roleIds: [co.roleIds.service] });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.message).toBe('至少保留一名启用的系统管理员');
    const roles = await t.db.selectFrom('user_roles').select('role_id').where('user_id', '=', second.id).execute();
    expect(roles.map((r) => r.role_id)).toEqual([co.roleIds.admin]);
    expect(await auditRows(t.db, second.id, 'staff.update')).toHaveLength(0);
    // Re-enabling the first makes room again.
    expect((await secondClient.patch(`/api/staff/${co.admin.id}`, { status: 'active' })).statusCode).toBe(200);
    expect((await secondClient.patch(`/api/staff/${second.id}`, { roleIds: [co.roleIds.service] })).statusCode).toBe(200);
  });

  it('answers 400 naming the field', async () => {
    const member = await createStaffUser(t.db, a);
    expectFieldError(await adminA.patch(`/api/staff/${member.id}`, { phone: '1381234' }), 'phone');
    expectFieldError(await adminA.patch(`/api/staff/${member.id}`, { status: 'gone' }), 'status');
    expectFieldError(await adminA.patch(`/api/staff/${member.id}`, { username: 'rename' }), 'username');
    expectFieldError(await adminA.patch(`/api/staff/${member.id}`, { roleIds: [b.roleIds.admin] }), 'roleIds');
    expectFieldError(await adminA.patch(`/api/staff/${member.id}`, { communityIds: [b.communityIds[0]] }), 'communityIds');
    const roles = await t.db.selectFrom('user_roles').select('role_id').where('user_id', '=', member.id).execute();
    expect(roles.map((r) => r.role_id)).toEqual([a.roleIds.service]);
  });

  it("answers 404 for another company's account and changes nothing", async () => {
    const member = await createStaffUser(t.db, a);
    const res = await adminB.patch(`/api/staff/${member.id}`, { displayName: '被改', status: 'disabled' });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain(member.username);
    const row = await t.db.selectFrom('users').select(['display_name', 'status']).where('id', '=', member.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('active');
    expect(row.display_name).not.toBe('被改');
  });

  it('is refused without staff.manage', async () => {
    const member = await createStaffUser(t.db, a);
    const tech = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'technician' })).id);
    const res = await tech.patch(`/api/staff/${member.id}`, { displayName: '越权' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details.permission).toBe('staff.manage');
  });
});

describe('POST /api/staff/:id/reset-password', () => {
  it('sets a temporary password, ends sessions, texts it, and the old password stops working', async () => {
    const phone = uniquePhone();
    const member = await createStaffUser(t.db, a, { phone });
    const session = await login(t.app, member.username);
    const res = await adminA.post(`/api/staff/${member.id}/reset-password`);
    expect(res.statusCode).toBe(200);
    const { temporaryPassword, sentBySms } = res.json();
    expect(sentBySms).toBe(true);
    expect(temporaryPassword).toMatch(/^[a-z2-9]{10}$/);

    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
    const sms = await t.db.selectFrom('sms_outbox').selectAll().where('phone', '=', phone).execute();
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ company_id: a.companyId, template: 'sms.staffPassword', status: 'stored' });
    expect(sms[0].body).toContain(temporaryPassword);
    expect(sms[0].body).toContain(member.username);

    const row = await t.db.selectFrom('users').select('must_change_password').where('id', '=', member.id).executeTakeFirstOrThrow();
    expect(row.must_change_password).toBe(true);
    const [audit] = await auditRows(t.db, member.id, 'staff.resetPassword');
    expect(audit).toMatchObject({ company_id: a.companyId, actor_id: a.admin.id, entity_type: 'user' });
    expect(JSON.stringify([audit.before, audit.after])).not.toContain(temporaryPassword);

    const old = await tryLogin(t.app, member.username, PASSWORD);
    expect(old.statusCode).toBe(401);
    const fresh = await login(t.app, member.username, temporaryPassword);
    expect(fresh.me.user.mustChangePassword).toBe(true);
  });

  it('sends nothing when the account has no phone', async () => {
    const member = await createStaffUser(t.db, a);
    const before = await t.db.selectFrom('sms_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('company_id', '=', a.companyId).executeTakeFirstOrThrow();
    const res = await adminA.post(`/api/staff/${member.id}/reset-password`);
    expect(res.statusCode).toBe(200);
    expect(res.json().sentBySms).toBe(false);
    const after = await t.db.selectFrom('sms_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('company_id', '=', a.companyId).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    await expect(login(t.app, member.username, res.json().temporaryPassword)).resolves.toBeTruthy();
  });

  it("answers 404 for another company's account and leaves its password alone", async () => {
    const member = await createStaffUser(t.db, a);
    const res = await adminB.post(`/api/staff/${member.id}/reset-password`);
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('temporaryPassword');
    await expect(login(t.app, member.username)).resolves.toBeTruthy();
    const owner = await createOwnerUser(t.db, a);
    expect((await adminA.post(`/api/staff/${owner.id}/reset-password`)).statusCode).toBe(404);
  });

  it('answers 400 for a malformed id and 403 without staff.manage', async () => {
    expectFieldError(await adminA.post('/api/staff/123/reset-password'), 'id');
    const member = await createStaffUser(t.db, a);
    const cleaner = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'cleaner' })).id);
    expect((await cleaner.post(`/api/staff/${member.id}/reset-password`)).statusCode).toBe(403);
    await expect(login(t.app, member.username)).resolves.toBeTruthy();
  });
});

describe('no privilege escalation through staff management', () => {
  it('a staff manager without all permissions cannot grant a stronger role, the owner role, or other communities', async () => {
    const mgr = await createRoleUser(t.db, a, ['staff.read', 'staff.manage', 'community.read'], { communityIds: [a.communityIds[0]] });
    const client = await sessionAs(t.app, t.db, mgr.id);
    const base = { displayName: '新人', communityIds: [a.communityIds[0]] };
    const admin = await client.post('/api/staff', { ...base, username: unique('esc'), roleIds: [a.roleIds.admin] });
    expect(admin.statusCode).toBe(403);
    const owner = await client.post('/api/staff', { ...base, username: unique('esc'), roleIds: [a.roleIds.owner] });
    expect(owner.statusCode).toBe(400);
    expect(owner.json().error.details.field).toBe('roleIds');
    const sameRole = await client.post('/api/staff', { ...base, username: unique('esc'), roleIds: [mgr.roleId] });
    expect(sameRole.statusCode).toBe(201);
    const elsewhere = await client.post('/api/staff', { ...base, username: unique('esc'), roleIds: [mgr.roleId], communityIds: [a.communityIds[1]] });
    expect(elsewhere.statusCode).toBe(403);
    const everywhere = await client.post('/api/staff', { ...base, username: unique('esc'), roleIds: [mgr.roleId], allCommunities: true });
    expect(everywhere.statusCode).toBe(403);
    const selfPromote = await client.patch(`/api/staff/${mgr.id}`, { roleIds: [a.roleIds.admin] });
    expect(selfPromote.statusCode).toBe(403);
    const roles = await t.db.selectFrom('user_roles').select('role_id').where('user_id', '=', mgr.id).execute();
    expect(roles.map((r) => r.role_id)).toEqual([mgr.roleId]);
  });

  it('cannot reset the password of, or disable, an account holding more than the caller', async () => {
    const mgr = await createRoleUser(t.db, a, ['staff.read', 'staff.manage', 'community.read'], { allCommunities: true });
    const client = await sessionAs(t.app, t.db, mgr.id);
    const reset = await client.post(`/api/staff/${a.admin.id}/reset-password`);
    expect(reset.statusCode).toBe(403);
    expect(reset.body).not.toContain('temporaryPassword');
    expect((await client.patch(`/api/staff/${a.admin.id}`, { status: 'disabled' })).statusCode).toBe(403);
    await expect(login(t.app, a.admin.username)).resolves.toBeTruthy();
    const peer = await createRoleUser(t.db, a, ['staff.read'], { allCommunities: true });
    expect((await client.post(`/api/staff/${peer.id}/reset-password`)).statusCode).toBe(200);
  });
});
