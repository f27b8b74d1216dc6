import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testApp, type TestApp } from '../helpers/app.ts';
import { type Client, createCompany, createStaffUser, login, type TestCompany, unique, uniquePhone } from '../helpers/factories.ts';
import { anonymous, createRoleUser, expectFieldError, sessionAs } from '../helpers/api.ts';

let t: TestApp;
let a: TestCompany;
let b: TestCompany;
let adminA: Client;
let adminB: Client;

type Entry = { id: number; at: string; actorId: string | null; actorName: string | null; action: string; entityType: string; entityId: string | null; before: unknown; after: unknown; requestId: string | null };

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([createCompany(t.db), createCompany(t.db)]);
  adminA = await login(t.app, a.admin.username);
  adminB = await login(t.app, b.admin.username);
});

const items = async (client: Client, query: string) => {
  const res = await client.get(`/api/audit?pageSize=200&${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as Entry[];
};

describe('GET /api/audit', () => {
  it('needs a session and audit.read', async () => {
    const res = await anonymous(t.app, 'GET', '/api/audit');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
    const cleaner = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'cleaner' })).id);
    const denied = await cleaner.get('/api/audit');
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.details.permission).toBe('audit.read');
    expect(denied.body).not.toContain('actorId');
  });

  it('records who changed what through the API, newest first, with the request id', async () => {
    const created = await adminA.post('/api/roles', { name: unique('审计角色'), permissions: ['audit.read'] }, { 'x-request-id': 'req-audit-0001' });
    const roleId = created.json().id;
    await adminA.patch(`/api/roles/${roleId}`, { permissions: ['audit.read', 'sms.read'] });
    const rows = await items(adminA, `entityType=role&entityId=${roleId}`);
    expect(rows.map((r) => r.action)).toEqual(['role.update', 'role.create']);
    expect(rows[0].id).toBeGreaterThan(rows[1].id);
    expect(rows[1]).toMatchObject({ actorId: a.admin.id, actorName: a.admin.username, entityType: 'role', entityId: roleId, requestId: 'req-audit-0001', before: null });
    expect(rows[0].before).toMatchObject({ permissions: ['audit.read'] });
    expect(rows[0].after).toMatchObject({ permissions: ['audit.read', 'sms.read'] });
    expect(Date.parse(rows[0].at)).toBeGreaterThanOrEqual(Date.parse(rows[1].at));
  });

  it('filters by entity, actor and action prefix', async () => {
    const actor = await createRoleUser(t.db, a, ['role.read', 'role.manage', 'audit.read', 'community.read', 'community.manage']);
    const session = await login(t.app, actor.username);
    const role = (await session.post('/api/roles', { name: unique('甲'), permissions: [] })).json();
    const community = (await session.post('/api/communities', { name: unique('审计小区'), code: unique('A').replace(/[^A-Za-z0-9]/g, '').slice(0, 30) })).json();
    await adminA.patch(`/api/roles/${role.id}`, { description: '管理员改的' });

    const byActor = await items(adminA, `actorId=${actor.id}`);
    expect(byActor.every((r) => r.actorId === actor.id)).toBe(true);
    expect(byActor.map((r) => r.action)).toEqual(['community.create', 'role.create', 'auth.login']);

    const byEntity = await items(adminA, `entityId=${role.id}`);
    expect(byEntity.map((r) => [r.action, r.actorId])).toEqual([
      ['role.update', a.admin.id],
      ['role.create', actor.id],
    ]);
    const byType = await items(adminA, `entityType=community&actorId=${actor.id}`);
    expect(byType.map((r) => r.entityId)).toEqual([community.id]);

    const prefix = await items(adminA, `action=role.&actorId=${actor.id}`);
    expect(prefix.map((r) => r.action)).toEqual(['role.create']);
    const wider = await items(adminA, `action=${encodeURIComponent('role')}&entityId=${role.id}`);
    expect(wider).toHaveLength(2);
    expect(wider.every((r) => r.action.startsWith('role'))).toBe(true);
    expect(await items(adminA, `action=update&entityId=${role.id}`)).toHaveLength(0);
  });

  it('filters by time: from is inclusive, to is exclusive', async () => {
    const co = await createCompany(t.db, { communities: 0 });
    const admin = await sessionAs(t.app, t.db, co.admin.id);
    const entityType = unique('period');
    for (const at of ['2026-01-10T00:00:00Z', '2026-02-10T00:00:00Z', '2026-03-10T00:00:00Z']) {
      await t.db.insertInto('audit_log').values({ company_id: co.companyId, actor_name: 'system', action: 'test.period', entity_type: entityType, entity_id: at, before: 'null', after: 'null', at }).execute();
    }
    const between = await items(admin, `entityType=${entityType}&from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00%2B08:00`);
    expect(between.map((r) => r.entityId)).toEqual(['2026-02-10T00:00:00Z']);
    const from = await items(admin, `entityType=${entityType}&from=2026-02-10T00:00:00Z`);
    expect(from.map((r) => r.entityId)).toEqual(['2026-03-10T00:00:00Z', '2026-02-10T00:00:00Z']);
    const to = await items(admin, `entityType=${entityType}&to=2026-02-10T00:00:00Z`);
    expect(to.map((r) => r.entityId)).toEqual(['2026-01-10T00:00:00Z']);
    expect(between[0].at).toBe('2026-02-10T00:00:00.000Z');
  });

  it("is company-scoped: B never sees A's rows", async () => {
    const role = (await adminA.post('/api/roles', { name: unique('A的角色'), permissions: [] })).json();
    expect(await items(adminB, `entityId=${role.id}`)).toHaveLength(0);
    expect(await items(adminB, `actorId=${a.admin.id}`)).toHaveLength(0);
    const all = await adminB.get('/api/audit?pageSize=200');
    expect(all.body).not.toContain(role.id);
    expect(all.body).not.toContain(a.admin.username);
    const ids = (all.json().items as Entry[]).map((r) => r.id);
    const companies = await t.db.selectFrom('audit_log').select('company_id').distinct().where('id', 'in', ids).execute();
    expect(companies.map((c) => c.company_id)).toEqual([b.companyId]);
  });

  it('does not show staff phones in full to a reader without personal.viewFull', async () => {
    const phone = uniquePhone();
    const created = await adminA.post('/api/staff', { username: unique('ph'), displayName: '有电话', phone, roleIds: [a.roleIds.cleaner] });
    const id = created.json().staff.id;
    await adminA.patch(`/api/staff/${id}`, { phone: uniquePhone() });
    const reader = await sessionAs(t.app, t.db, (await createRoleUser(t.db, a, ['audit.read'])).id);
    const res = await reader.get(`/api/audit?entityId=${id}`);
    expect((res.json().items as Entry[]).map((r) => r.action)).toEqual(['staff.update', 'staff.create']);
    expect(res.body).not.toContain(phone);
    expect(res.body).toContain(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
  });

  it('pages and answers 400 naming the field', async () => {
    const p1 = (await adminA.get('/api/audit?pageSize=1&page=1')).json();
    const p2 = (await adminA.get('/api/audit?pageSize=1&page=2')).json();
    expect(p1.items).toHaveLength(1);
    expect(p2.items[0].id).toBeLessThan(p1.items[0].id);
    expect(p1.total).toBeGreaterThanOrEqual(2);
    expectFieldError(await adminA.get('/api/audit?pageSize=201'), 'pageSize');
    expectFieldError(await adminA.get('/api/audit?actorId=someone'), 'actorId');
    expectFieldError(await adminA.get('/api/audit?from=yesterday'), 'from');
    expectFieldError(await adminA.get('/api/audit?to=2026-13-01'), 'to');
  });
});

describe('audit_log in the database', () => {
  it('accepts INSERT and refuses UPDATE and DELETE for everyone', async () => {
    const entityId = unique('immutable');
    const row = await t.db
      .insertInto('audit_log')
      .values({ company_id: a.companyId, actor_name: 'system', action: 'test.insert', entity_type: 'test', entity_id: entityId, before: 'null', after: JSON.stringify({ n: 1 }) })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    expect(row.id).toBeGreaterThan(0);
    await expect(t.db.updateTable('audit_log').set({ action: 'test.rewritten' }).where('id', '=', row.id).execute()).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom('audit_log').where('id', '=', row.id).execute()).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE audit_log SET after = '{}'::jsonb WHERE entity_id = ${entityId}`.execute(t.db)).rejects.toThrow(/append-only/);
    const after = await t.db.selectFrom('audit_log').select(['action', 'after']).where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ action: 'test.insert', after: { n: 1 } });
  });
});
