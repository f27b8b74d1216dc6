import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { createCompany, createOwnerUser, createStaffUser, login, PASSWORD, type TestCompany, uniquePhone } from '../helpers/factories.ts';

let t: TestApp;
let company: TestCompany;

beforeAll(async () => {
  t = await testApp();
  company = await createCompany(t.db);
});

describe('POST /api/auth/login', () => {
  it('sets an httpOnly SameSite session cookie and returns the user with abilities and a CSRF token', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: company.admin.username, password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'anju_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    const body = res.json();
    expect(body.user.username).toBe(company.admin.username);
    expect(body.user.roles.map((r: { name: string }) => r.name)).toEqual(['系统管理员']);
    expect(body.abilities).toContain('staff.manage');
    expect(body.abilities).not.toContain('platform.manage');
    expect(body.communities).toHaveLength(2);
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('is case-insensitive on the username', async () => {
    const c = await login(t.app, company.admin.username.toUpperCase());
    expect(c.me.user.username).toBe(company.admin.username);
  });

  it('answers 401 with one message for a wrong password and for an unknown user', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: company.admin.username, password: 'nope-nope-1' }, remoteAddress: '10.9.0.1' });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody-here', password: 'nope-nope-1' }, remoteAddress: '10.9.0.1' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe('用户名或密码错误');
    expect(wrong.json().error.code).toBe('BAD_CREDENTIALS');
    expect(unknown.json().error.message).toBe(wrong.json().error.message);
  });

  it('answers 400 naming the field, in the request language', async () => {
    const zh = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x' } });
    expect(zh.statusCode).toBe(400);
    expect(zh.json().error.code).toBe('VALIDATION_FAILED');
    expect(zh.json().error.message).toContain('password');
    expect(zh.json().error.message).toContain('必填');
    expect(zh.json().requestId).toBeTruthy();
    const en = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x' }, headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(en.json().error.message).toBe('Field password is required');
    expect(en.json().error.details.fields[0].field).toBe('password');
  });

  it('locks an account after 5 failures in 15 minutes with 429 and Retry-After, even with the right password', async () => {
    const user = await createStaffUser(t.db, company);
    for (let i = 0; i < 5; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: 'wrong-pass-1' }, remoteAddress: `10.8.0.${i + 1}` });
      expect(r.statusCode).toBe(401);
    }
    const locked = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: PASSWORD }, remoteAddress: '10.8.1.1' });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('limits failures per address across accounts', async () => {
    const ip = '10.7.0.1';
    for (let i = 0; i < 30; i++) {
      await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `ghost${i}`, password: 'wrong-pass-1' }, remoteAddress: ip });
    }
    const blocked = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: company.admin.username, password: PASSWORD }, remoteAddress: ip });
    expect(blocked.statusCode).toBe(429);
    const elsewhere = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: company.admin.username, password: PASSWORD }, remoteAddress: '10.7.0.2' });
    expect(elsewhere.statusCode).toBe(200);
  });

  it('refuses a disabled account and a suspended company', async () => {
    const user = await createStaffUser(t.db, company);
    await t.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', user.id).execute();
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: PASSWORD } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('ACCOUNT_DISABLED');
    const other = await createCompany(t.db);
    await t.db.updateTable('companies').set({ status: 'suspended' }).where('id', '=', other.companyId).execute();
    const res2 = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: other.admin.username, password: PASSWORD } });
    expect(res2.statusCode).toBe(403);
  });
});

describe('sessions', () => {
  it('GET /api/auth/me needs a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
    const bad = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: 'anju_session=forged' } });
    expect(bad.statusCode).toBe(401);
  });

  it('writes need the CSRF token in x-csrf-token', async () => {
    const c = await login(t.app, company.admin.username);
    const without = await t.app.inject({ method: 'POST', url: '/api/communities', payload: { name: '无令牌小区', code: 'NOCSRF' }, headers: { cookie: c.cookie } });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('CSRF_FAILED');
    const wrong = await t.app.inject({ method: 'POST', url: '/api/communities', payload: { name: '无令牌小区', code: 'NOCSRF' }, headers: { cookie: c.cookie, 'x-csrf-token': 'x'.repeat(32) } });
    expect(wrong.statusCode).toBe(403);
    const rows = await t.db.selectFrom('communities').select('id').where('company_id', '=', company.companyId).where('code', '=', 'NOCSRF').execute();
    expect(rows).toHaveLength(0);
  });

  it('logout revokes the session', async () => {
    const c = await login(t.app, company.admin.username);
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    expect((await c.post('/api/auth/logout')).statusCode).toBe(204);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('an expired or idle session is refused', async () => {
    const c = await login(t.app, company.admin.username);
    const sid = (await t.db.selectFrom('sessions').select('id').where('user_id', '=', company.admin.id).orderBy('created_at', 'desc').executeTakeFirstOrThrow()).id;
    await t.db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 13 * 3600_000) }).where('id', '=', sid).execute();
    const res = await c.get('/api/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toBe('登录已过期，请重新登录');
    const c2 = await login(t.app, company.admin.username);
    const sid2 = (await t.db.selectFrom('sessions').select('id').where('user_id', '=', company.admin.id).orderBy('created_at', 'desc').executeTakeFirstOrThrow()).id;
    await t.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', sid2).execute();
    expect((await c2.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('lists my sessions and revokes another one; 404 for a session that is not mine', async () => {
    const user = await createStaffUser(t.db, company);
    const a = await login(t.app, user.username);
    const b = await login(t.app, user.username);
    const list = await a.get('/api/auth/sessions');
    expect(list.statusCode).toBe(200);
    const items = list.json().items as Array<{ id: string; current: boolean }>;
    expect(items.length).toBe(2);
    const other = items.find((s) => !s.current)!;
    const admin = await login(t.app, company.admin.username);
    expect((await admin.delete(`/api/auth/sessions/${other.id}`)).statusCode).toBe(404);
    expect((await a.delete(`/api/auth/sessions/${other.id}`)).statusCode).toBe(204);
    expect((await b.get('/api/auth/me')).statusCode).toBe(401);
    expect((await a.delete('/api/auth/sessions/not-a-uuid')).statusCode).toBe(400);
  });
});

describe('POST /api/auth/password', () => {
  it('changes the password, clears must-change, ends other sessions; rejects a wrong current or weak new one', async () => {
    const user = await createStaffUser(t.db, company);
    await t.db.updateTable('users').set({ must_change_password: true }).where('id', '=', user.id).execute();
    const a = await login(t.app, user.username);
    expect(a.me.user.mustChangePassword).toBe(true);
    const b = await login(t.app, user.username);
    const weak = await a.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.message).toContain('newPassword');
    const wrong = await a.post('/api/auth/password', { currentPassword: 'not-it-123', newPassword: 'new-pass-456' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details.field).toBe('currentPassword');
    const same = await a.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: PASSWORD });
    expect(same.statusCode).toBe(400);
    expect(same.json().error.message).toBe('字段 newPassword：新密码不能与当前密码相同');
    const ok = await a.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'new-pass-456' });
    expect(ok.statusCode).toBe(204);
    expect((await a.get('/api/auth/me')).json().user.mustChangePassword).toBe(false);
    expect((await b.get('/api/auth/me')).statusCode).toBe(401);
    await expect(login(t.app, user.username, 'new-pass-456')).resolves.toBeTruthy();
    const audit = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', user.id).where('action', '=', 'user.changePassword').execute();
    expect(audit).toHaveLength(1);
  });

  it('needs a session', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'a', newPassword: 'b' } });
    expect(res.statusCode).toBe(401);
  });
});

describe('owner login with a one-time SMS code', () => {
  async function codeFromOutbox(phone: string): Promise<string> {
    const row = await t.db.selectFrom('sms_outbox').select(['body', 'params']).where('phone', '=', phone).where('template', '=', 'sms.otp').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    return (row.params as Record<string, string>).code;
  }

  it('sends a code to the outbox, logs the owner in with it, and the code works once', async () => {
    const owner = await createOwnerUser(t.db, company);
    const req = await t.app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone: owner.phone } });
    expect(req.statusCode).toBe(200);
    expect(req.json()).toMatchObject({ sent: true, cooldownSeconds: 60 });
    const code = await codeFromOutbox(owner.phone);
    expect(code).toMatch(/^\d{6}$/);
    const outbox = await t.db.selectFrom('sms_outbox').select(['company_id', 'body', 'status']).where('phone', '=', owner.phone).executeTakeFirstOrThrow();
    expect(outbox.company_id).toBe(company.companyId);
    expect(outbox.body).toContain(code);
    expect(outbox.status).toBe('stored');
    const ok = await t.app.inject({ method: 'POST', url: '/api/auth/otp/verify', payload: { phone: owner.phone, code } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.kind).toBe('owner');
    expect(ok.json().abilities).toEqual(['file.upload', 'owner.self']);
    const again = await t.app.inject({ method: 'POST', url: '/api/auth/otp/verify', payload: { phone: owner.phone, code } });
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('BAD_CODE');
  });

  it('answers the same for an unknown number but sends nothing', async () => {
    const phone = uniquePhone();
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone } });
    expect(res.statusCode).toBe(200);
    const sent = await t.db.selectFrom('sms_outbox').select('id').where('phone', '=', phone).execute();
    expect(sent).toHaveLength(0);
  });

  it('refuses a wrong code, and after 5 wrong tries even the right one', async () => {
    const owner = await createOwnerUser(t.db, company);
    await t.app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone: owner.phone } });
    const code = await codeFromOutbox(owner.phone);
    const wrongCode = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/auth/otp/verify', payload: { phone: owner.phone, code: wrongCode } });
      expect(r.statusCode).toBe(401);
    }
    const r = await t.app.inject({ method: 'POST', url: '/api/auth/otp/verify', payload: { phone: owner.phone, code } });
    expect(r.statusCode).toBe(401);
  });

  it('enforces a 60 s cooldown per phone', async () => {
    const owner = await createOwnerUser(t.db, company);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone: owner.phone } })).statusCode).toBe(200);
    const second = await t.app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone: owner.phone } });
    expect(second.statusCode).toBe(429);
  });

  it('rejects a malformed phone naming the field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone: '12345' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe('字段 phone 不是有效的手机号');
  });

  it('asks which company when the phone is an owner in two', async () => {
    const other = await createCompany(t.db);
    const owner = await createOwnerUser(t.db, company);
    await createOwnerUser(t.db, other, owner.phone);
    await t.app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone: owner.phone } });
    const code = await codeFromOutbox(owner.phone);
    const ambiguous = await t.app.inject({ method: 'POST', url: '/api/auth/otp/verify', payload: { phone: owner.phone, code } });
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json().error.details.field).toBe('companyId');
    expect(ambiguous.json().error.details.companies).toHaveLength(2);
    const chosen = await t.app.inject({ method: 'POST', url: '/api/auth/otp/verify', payload: { phone: owner.phone, code, companyId: other.companyId } });
    expect(chosen.statusCode).toBe(200);
    expect(chosen.json().user.companyId).toBe(other.companyId);
  });
});
