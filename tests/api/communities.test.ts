import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { type Client, createCompany, createOwnerUser, createStaffUser, login, type TestCompany, unique } from '../helpers/factories.ts';
import { anonymous, auditRows, createRoleUser, expectFieldError, ownerLogin, sessionAs } from '../helpers/api.ts';

let t: TestApp;
let a: TestCompany;
let b: TestCompany;
let adminA: Client;
let adminB: Client;

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([createCompany(t.db), createCompany(t.db)]);
  adminA = await login(t.app, a.admin.username);
  adminB = await login(t.app, b.admin.username);
});

const code = () => unique('C').replace(/[^A-Za-z0-9-]/g, '').slice(0, 30);

describe('community endpoints need a session', () => {
  it.each([
    ['GET', '/api/communities'],
    ['POST', '/api/communities'],
    ['GET', `/api/communities/${randomUUID()}`],
    ['PATCH', `/api/communities/${randomUUID()}`],
  ] as const)('%s %s → 401', async (method, url) => {
    const res = await anonymous(t.app, method, url, method === 'GET' ? undefined : {});
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('GET /api/communities', () => {
  it("shows an administrator all of the company's communities and none of another's", async () => {
    const res = await adminA.get('/api/communities?pageSize=200');
    expect(res.statusCode).toBe(200);
    const ids = res.json().items.map((c: { id: string }) => c.id);
    expect(ids).toEqual(expect.arrayContaining(a.communityIds));
    expect(ids).not.toContain(b.communityIds[0]);
    expect(ids).not.toContain(b.communityIds[1]);
    const first = res.json().items.find((c: { id: string }) => c.id === a.communityIds[0]);
    expect(first).toMatchObject({ name: `小区1-${a.code}`, code: 'C1', timeZone: 'Asia/Shanghai', address: null });
  });

  it('shows a staff member only the communities they are assigned to; the others are 404', async () => {
    const member = await createStaffUser(t.db, a, { role: 'technician', communityIds: [a.communityIds[0]] });
    const session = await sessionAs(t.app, t.db, member.id);
    const res = await session.get('/api/communities');
    expect(res.json().items.map((c: { id: string }) => c.id)).toEqual([a.communityIds[0]]);
    expect(res.json().total).toBe(1);
    expect((await session.get(`/api/communities/${a.communityIds[0]}`)).statusCode).toBe(200);
    const hidden = await session.get(`/api/communities/${a.communityIds[1]}`);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.body).not.toContain(`小区2-${a.code}`);
  });

  it('shows nothing to a staff member with no community assigned', async () => {
    const member = await createStaffUser(t.db, a, { role: 'technician', communityIds: [] });
    const session = await sessionAs(t.app, t.db, member.id);
    expect((await session.get('/api/communities')).json()).toMatchObject({ items: [], total: 0 });
  });

  it('filters by name or code and caps pageSize', async () => {
    const res = await adminA.get(`/api/communities?q=${encodeURIComponent(`小区2-${a.code}`)}`);
    expect(res.json().items.map((c: { id: string }) => c.id)).toEqual([a.communityIds[1]]);
    expectFieldError(await adminA.get('/api/communities?pageSize=201'), 'pageSize');
  });

  it('is refused without community.read', async () => {
    const user = await sessionAs(t.app, t.db, (await createRoleUser(t.db, a, ['sms.read'])).id);
    const res = await user.get('/api/communities');
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details.permission).toBe('community.read');
    const owner = await ownerLogin(t.app, t.db, (await createOwnerUser(t.db, a)).phone);
    expect((await owner.get('/api/communities')).statusCode).toBe(403);
    expect((await owner.get(`/api/communities/${a.communityIds[0]}`)).statusCode).toBe(403);
  });
});

describe('GET /api/communities/:id', () => {
  it('returns one community', async () => {
    const res = await adminA.get(`/api/communities/${a.communityIds[1]}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: a.communityIds[1], name: `小区2-${a.code}`, code: 'C2' });
  });

  it("answers 404 for another company's community without data, 400 for a malformed id", async () => {
    const res = await adminB.get(`/api/communities/${a.communityIds[0]}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    expect(res.body).not.toContain(a.code);
    expect(res.body).not.toContain(a.communityIds[0]);
    expectFieldError(await adminA.get('/api/communities/12'), 'id');
  });
});

describe('POST /api/communities', () => {
  it('creates a community and audits it', async () => {
    const name = unique('阳光花园');
    const c = code();
    const res = await adminA.post('/api/communities', { name, code: c, address: '南京市鼓楼区中山路 1 号' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ name, code: c, address: '南京市鼓楼区中山路 1 号', timeZone: 'Asia/Shanghai' });
    const row = await t.db.selectFrom('communities').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ company_id: a.companyId, name, code: c, time_zone: 'Asia/Shanghai' });
    const [audit] = await auditRows(t.db, body.id, 'community.create');
    expect(audit).toMatchObject({ company_id: a.companyId, actor_id: a.admin.id, entity_type: 'community', before: null, after: { id: body.id, name, code: c } });
    expect((await adminA.get(`/api/communities/${body.id}`)).json().name).toBe(name);
    expect((await adminB.get(`/api/communities/${body.id}`)).statusCode).toBe(404);
  });

  it('gives a community-bound creator the community they made', async () => {
    const manager = await createStaffUser(t.db, a, { role: 'manager', communityIds: [a.communityIds[0]] });
    const session = await sessionAs(t.app, t.db, manager.id);
    const res = await session.post('/api/communities', { name: unique('新建'), code: code() });
    expect(res.statusCode).toBe(201);
    const list = await session.get('/api/communities');
    expect(list.json().items.map((c: { id: string }) => c.id).sort()).toEqual([a.communityIds[0], res.json().id].sort());
    const link = await t.db.selectFrom('user_communities').select('community_id').where('user_id', '=', manager.id).where('community_id', '=', res.json().id).execute();
    expect(link).toHaveLength(1);
  });

  it('refuses a duplicate name with 409 naming name, in my company only', async () => {
    const name = `小区1-${a.code}`;
    const res = await adminA.post('/api/communities', { name, code: code() });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.field).toBe('name');
    expect(res.json().error.message).toContain(name);
    const rows = await t.db.selectFrom('communities').select('id').where('company_id', '=', a.companyId).where('name', '=', name).execute();
    expect(rows).toHaveLength(1);
    // Another company may have a community of the same name.
    expect((await adminB.post('/api/communities', { name, code: code() })).statusCode).toBe(201);
  });

  it('refuses a duplicate code (any case) with 409 naming code', async () => {
    const name = unique('另一个');
    const res = await adminA.post('/api/communities', { name, code: 'c1' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.field).toBe('code');
    expect(res.json().error.message).toContain('c1');
    expect(await t.db.selectFrom('communities').select('id').where('name', '=', name).execute()).toHaveLength(0);
  });

  it.each([
    ['name', { code: 'X1' }],
    ['name', { name: '甲', code: 'X1' }],
    ['code', { name: '有名字的小区' }],
    ['code', { name: '有名字的小区', code: 'has space' }],
    ['code', { name: '有名字的小区', code: 'x'.repeat(33) }],
    ['address', { name: '有名字的小区', code: 'X1', address: 'x'.repeat(201) }],
    ['timeZone', { name: '有名字的小区', code: 'X1', timeZone: 'Mars/Olympus_Mons' }],
    ['companyId', { name: '有名字的小区', code: 'X1', companyId: randomUUID() }],
  ])('answers 400 naming %s', async (field, body) => {
    expectFieldError(await adminA.post('/api/communities', body), field);
  });

  it('accepts another valid IANA time zone', async () => {
    const res = await adminA.post('/api/communities', { name: unique('乌鲁木齐'), code: code(), timeZone: 'Asia/Urumqi' });
    expect(res.statusCode).toBe(201);
    expect(res.json().timeZone).toBe('Asia/Urumqi');
  });

  it('is refused without community.manage', async () => {
    const service = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'service' })).id);
    const name = unique('客服建');
    const res = await service.post('/api/communities', { name, code: code() });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details.permission).toBe('community.manage');
    expect(await t.db.selectFrom('communities').select('id').where('name', '=', name).execute()).toHaveLength(0);
  });
});

describe('PATCH /api/communities/:id', () => {
  it('renames and sets the address, with before and after in the audit', async () => {
    const created = (await adminA.post('/api/communities', { name: unique('旧名'), code: code() })).json();
    const name = unique('新名');
    const res = await adminA.patch(`/api/communities/${created.id}`, { name, address: '上海市黄浦区' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: created.id, name, address: '上海市黄浦区', code: created.code });
    const row = await t.db.selectFrom('communities').select(['name', 'address']).where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ name, address: '上海市黄浦区' });
    const [audit] = await auditRows(t.db, created.id, 'community.update');
    expect(audit).toMatchObject({ actor_id: a.admin.id, company_id: a.companyId, before: { name: created.name, address: null }, after: { name, address: '上海市黄浦区' } });
    const cleared = await adminA.patch(`/api/communities/${created.id}`, { address: null });
    expect(cleared.json().address).toBeNull();
  });

  it('refuses a name another community has, and answers 400 naming the field', async () => {
    const res = await adminA.patch(`/api/communities/${a.communityIds[1]}`, { name: `小区1-${a.code}` });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.field).toBe('name');
    expectFieldError(await adminA.patch(`/api/communities/${a.communityIds[1]}`, { name: 'x' }), 'name');
    expectFieldError(await adminA.patch(`/api/communities/${a.communityIds[1]}`, { code: 'NEW' }), 'code');
    const row = await t.db.selectFrom('communities').select(['name', 'code']).where('id', '=', a.communityIds[1]).executeTakeFirstOrThrow();
    expect(row).toEqual({ name: `小区2-${a.code}`, code: 'C2' });
  });

  it("answers 404 for another company's community and for one outside my assignment", async () => {
    const res = await adminB.patch(`/api/communities/${a.communityIds[0]}`, { name: '被改了' });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain(a.code);
    const manager = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'manager', communityIds: [a.communityIds[0]] })).id);
    expect((await manager.patch(`/api/communities/${a.communityIds[1]}`, { address: '不该改' })).statusCode).toBe(404);
    const rows = await t.db.selectFrom('communities').select(['name', 'address']).where('id', 'in', a.communityIds).execute();
    expect(rows.map((r) => r.name)).not.toContain('被改了');
    expect(rows.map((r) => r.address)).not.toContain('不该改');
  });

  it('is refused without community.manage', async () => {
    const cashier = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'cashier' })).id);
    const res = await cashier.patch(`/api/communities/${a.communityIds[0]}`, { address: '收费员改' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details.permission).toBe('community.manage');
  });
});
