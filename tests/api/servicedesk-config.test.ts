import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { type Client, createBuilding, createCompany, createStaffUser, login, type TestCompany, unique } from '../helpers/factories.ts';
import { auditRows, expectFieldError, sessionAs } from '../helpers/api.ts';
import { deskConfig } from '../../src/modules/servicedesk/config.ts';

/**
 * Service-desk configuration API: categories, time-limit policies, staff groups, dispatch rules, settings, the
 * working-day calendar and saved queue views. Company A has two communities; company B is the outsider. The
 * built-in technician reads tickets but may not configure; the cashier may not even read tickets.
 */

let t: TestApp;
let a: TestCompany;
let b: TestCompany;
let adminA: Client;
let adminB: Client;
/** Built-in technician: ticket.read and ticket.work, no servicedesk.configure. */
let technician: Client;
/** Built-in cashier: no ticket.read. */
let cashier: Client;
/** A project manager (servicedesk.configure) who sees community 1 only. */
let scoped: Client;
/** Technicians of community 1 (ticket.work), used as assignees and group members. */
let tech1: { id: string; username: string };
let tech2: { id: string; username: string };
/** Customer service in community 1: active staff, but no ticket.work. */
let desk: { id: string; username: string };
let c1: string;
let c2: string;

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([createCompany(t.db), createCompany(t.db)]);
  [c1, c2] = a.communityIds;
  tech1 = await createStaffUser(t.db, a, { role: 'technician' });
  tech2 = await createStaffUser(t.db, a, { role: 'technician' });
  desk = await createStaffUser(t.db, a, { role: 'service' });
  const [cs, mg] = await Promise.all([createStaffUser(t.db, a, { role: 'cashier' }), createStaffUser(t.db, a, { role: 'manager', communityIds: [c1] })]);
  [adminA, adminB, technician, cashier, scoped] = await Promise.all([
    login(t.app, a.admin.username),
    login(t.app, b.admin.username),
    sessionAs(t.app, t.db, tech1.id),
    sessionAs(t.app, t.db, cs.id),
    sessionAs(t.app, t.db, mg.id),
  ]);
});

/** A 409 whose details name `field`. */
function expectConflict(res: LightMyRequestResponse, field: string) {
  expect(res.statusCode, res.body).toBe(409);
  expect(res.json().error).toMatchObject({ code: 'CONFLICT', details: { field } });
}

const categoryOf = async (company: TestCompany, kind: string, code: string) =>
  (await t.db.selectFrom('ticket_categories').select('id').where('company_id', '=', company.companyId).where('kind', '=', kind as 'homeRepair').where('code', '=', code).executeTakeFirstOrThrow()).id;

describe('every configuration endpoint needs a session', () => {
  const id = randomUUID();
  it.each([
    ['GET', '/api/ticket-categories'],
    ['POST', '/api/ticket-categories'],
    ['PATCH', `/api/ticket-categories/${id}`],
    ['GET', '/api/sla-policies'],
    ['POST', '/api/sla-policies'],
    ['PATCH', `/api/sla-policies/${id}`],
    ['DELETE', `/api/sla-policies/${id}`],
    ['GET', '/api/staff-groups'],
    ['POST', '/api/staff-groups'],
    ['PATCH', `/api/staff-groups/${id}`],
    ['DELETE', `/api/staff-groups/${id}`],
    ['GET', '/api/dispatch-rules'],
    ['POST', '/api/dispatch-rules'],
    ['PATCH', `/api/dispatch-rules/${id}`],
    ['DELETE', `/api/dispatch-rules/${id}`],
    ['GET', '/api/service-desk/settings'],
    ['PUT', '/api/service-desk/settings'],
    ['GET', '/api/work-calendar?year=2026'],
    ['PUT', '/api/work-calendar/days/2026-10-01'],
    ['DELETE', '/api/work-calendar/days/2026-10-01'],
    ['POST', '/api/work-calendar/years'],
    ['GET', '/api/ticket-views'],
    ['POST', '/api/ticket-views'],
    ['DELETE', `/api/ticket-views/${id}`],
  ] as const)('%s %s → 401', async (method, url) => {
    const res = await t.app.inject({ method, url, payload: method === 'GET' || method === 'DELETE' ? undefined : {} });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('permissions', () => {
  it.each([
    ['/api/ticket-categories'],
    ['/api/sla-policies'],
    ['/api/staff-groups'],
    ['/api/dispatch-rules'],
    ['/api/service-desk/settings'],
    ['/api/work-calendar?year=2026'],
    ['/api/ticket-views'],
  ])('reading %s needs ticket.read', async (url) => {
    expect((await cashier.get(url)).statusCode).toBe(403);
    expect((await technician.get(url)).statusCode).toBe(200);
  });

  it('changing needs servicedesk.configure: the technician is refused and nothing is written', async () => {
    const policy = (await technician.get('/api/sla-policies')).json().items[0];
    const category = (await technician.get('/api/ticket-categories')).json().items[0];
    const attempts = [
      technician.post('/api/ticket-categories', { kind: 'complaint', code: 'techTry', name: '越权' }),
      technician.patch(`/api/ticket-categories/${category.id}`, { name: '越权' }),
      technician.post('/api/sla-policies', { kind: 'inquiry', communityId: c1, clocks: { reply: { amount: 1, unit: 'hours' } } }),
      technician.patch(`/api/sla-policies/${policy.id}`, { note: '越权' }),
      technician.delete(`/api/sla-policies/${policy.id}`),
      technician.post('/api/staff-groups', { name: '越权组', memberIds: [] }),
      technician.post('/api/dispatch-rules', { communityId: c1, mode: 'person', assigneeId: tech1.id }),
      technician.request('PUT', '/api/service-desk/settings', SETTINGS),
      technician.request('PUT', '/api/work-calendar/days/2026-10-01', { kind: 'workday', name: '越权' }),
      technician.delete('/api/work-calendar/days/2026-10-01'),
      technician.post('/api/work-calendar/years', { year: 2099 }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error.details.permission).toBe('servicedesk.configure');
    }
    expect(await t.db.selectFrom('audit_log').select('id').where('actor_id', '=', tech1.id).execute()).toEqual([]);
  });
});

describe('categories', () => {
  it('a company that never used the desk sees its 19 default categories, repairs first', async () => {
    const fresh = await createCompany(t.db, { communities: 1 });
    const admin = await login(t.app, fresh.admin.username);
    const res = await admin.get('/api/ticket-categories');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{ kind: string; code: string; active: boolean }>;
    expect(items).toHaveLength(19);
    expect(items.map((c) => c.kind)).toEqual([...Array(5).fill('homeRepair'), ...Array(5).fill('publicRepair'), ...Array(4).fill('complaint'), ...Array(3).fill('inquiry'), ...Array(2).fill('paidService')]);
    expect(items.slice(0, 2).map((c) => c.code)).toEqual(['waterElectric', 'doorWindow']);
    const inquiries = (await admin.get('/api/ticket-categories?kind=inquiry')).json().items;
    expect(inquiries.map((c: { code: string }) => c.code)).toEqual(['fee', 'general', 'procedure']);
  });

  it('creates a category at the end of its kind, audited', async () => {
    const res = await adminA.post('/api/ticket-categories', { kind: 'complaint', code: 'parking', name: '停车管理', nameEn: 'Parking' });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ kind: 'complaint', code: 'parking', name: '停车管理', nameEn: 'Parking', active: true });
    expect((await adminA.get('/api/ticket-categories?kind=complaint')).json().items.at(-1).id).toBe(created.id);
    const row = await t.db.selectFrom('ticket_categories').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.company_id).toBe(a.companyId);
    const audit = await auditRows(t.db, created.id, 'ticketCategory.create');
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_id).toBe(a.admin.id);
  });

  it('refuses a bad code, naming the field', async () => {
    for (const code of ['1abc', 'has space', 'x'.repeat(33), '']) expectFieldError(await adminA.post('/api/ticket-categories', { kind: 'complaint', code, name: '错' }), 'code');
    expectFieldError(await adminA.post('/api/ticket-categories', { kind: 'nope', code: 'ok', name: '错' }), 'kind');
    expectFieldError(await adminA.post('/api/ticket-categories', { kind: 'complaint', code: 'ok' }), 'name');
  });

  it('refuses a duplicate code within a kind (409 naming code) but allows it in another kind', async () => {
    const dup = await adminA.post('/api/ticket-categories', { kind: 'complaint', code: 'noise', name: '又一个噪音' });
    expectFieldError(dup, 'code', 409);
    expect(dup.json().error.code).toBe('CONFLICT');
    const other = await adminA.post('/api/ticket-categories', { kind: 'inquiry', code: 'noise', name: '噪音咨询' });
    expect(other.statusCode).toBe(201);
  });

  it('renames, reorders and retires a category; kind and code stay fixed', async () => {
    const id = await categoryOf(a, 'complaint', 'environment');
    const res = await adminA.patch(`/api/ticket-categories/${id}`, { name: '环境与绿化', active: false, sort: 9 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: '环境与绿化', active: false, sort: 9, code: 'environment' });
    const row = await t.db.selectFrom('ticket_categories').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: '环境与绿化', active: false, sort: 9 });
    const [audit] = await auditRows(t.db, id, 'ticketCategory.update');
    expect(audit.before).toMatchObject({ name: '环境卫生', active: true });
    expect(audit.after).toMatchObject({ name: '环境与绿化', active: false });
    expect((await adminA.get('/api/ticket-categories?kind=complaint&active=false')).json().items.map((c: { id: string }) => c.id)).toEqual([id]);
    expectFieldError(await adminA.patch(`/api/ticket-categories/${id}`, { code: 'other' }), 'code');
    expectFieldError(await adminA.patch(`/api/ticket-categories/${id}`, { kind: 'inquiry' }), 'kind');
    expectFieldError(await adminA.patch(`/api/ticket-categories/${id}`, { name: '' }), 'name');
  });

  it("another company's category is a 404", async () => {
    const id = await categoryOf(a, 'complaint', 'attitude');
    const res = await adminB.patch(`/api/ticket-categories/${id}`, { name: '偷改' });
    expect(res.statusCode).toBe(404);
    expect((await t.db.selectFrom('ticket_categories').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name).toBe('服务态度');
    expect((await adminB.get('/api/ticket-categories')).json().items.some((c: { id: string }) => c.id === id)).toBe(false);
  });
});

describe('time-limit policies', () => {
  const policiesOf = async (c: Client, query = '') => (await c.get(`/api/sla-policies${query}`)).json().items as Array<Record<string, any>>;

  it('a fresh company has the default time limits, described in the caller’s language', async () => {
    const fresh = await createCompany(t.db, { communities: 1 });
    const admin = await login(t.app, fresh.admin.username);
    const items = await policiesOf(admin, '?kind=publicRepair');
    const doorGlass = await categoryOf(fresh, 'publicRepair', 'doorGlass');
    const p = items.find((x) => x.categoryId === doorGlass)!;
    expect(p).toMatchObject({ kind: 'publicRepair', categoryName: '门、玻璃及五金', communityId: null, urgency: null, severity: null, pauseStopsClock: true });
    expect(p.clocks.resolve).toEqual({ amount: 2, unit: 'workingDays' });
    expect(p.descriptions).toEqual({ respond: '30分钟', resolve: '2个工作日' });
    const en = (await admin.get('/api/sla-policies?kind=publicRepair', { 'accept-language': 'en' })).json().items.find((x: { id: string }) => x.id === p.id);
    expect(en.descriptions.resolve).toBe('2 working days');
    expect(en.categoryName).toBe('Doors, glass and fittings');
    expect(items.every((x) => x.kind === 'publicRepair')).toBe(true);
    expect((await policiesOf(admin)).length).toBe(16);
  });

  let communityPolicy: string;

  it('creates a community’s own policy, audited and listed for that community only', async () => {
    const lighting = await categoryOf(a, 'publicRepair', 'lighting');
    const res = await adminA.post('/api/sla-policies', {
      communityId: c1,
      kind: 'publicRepair',
      categoryId: lighting,
      clocks: { respond: { amount: 15, unit: 'minutes' }, resolve: { amount: 1, unit: 'halfDays' } },
      pauseStopsClock: false,
      note: '一区照明：半天',
    });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({ communityId: c1, communityName: `小区1-${a.code}`, categoryName: '公共照明', pauseStopsClock: false, descriptions: { respond: '15分钟', resolve: '半天' } });
    communityPolicy = p.id;
    const row = await t.db.selectFrom('sla_policies').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ company_id: a.companyId, community_id: c1, category_id: lighting, pause_stops_clock: false });
    expect(row.clocks).toEqual({ respond: { amount: 15, unit: 'minutes' }, resolve: { amount: 1, unit: 'halfDays' } });
    expect(await auditRows(t.db, p.id, 'slaPolicy.create')).toHaveLength(1);
    expect((await policiesOf(adminA, `?communityId=${c1}`)).some((x) => x.id === p.id)).toBe(true);
    expect((await policiesOf(adminA, `?communityId=${c2}`)).some((x) => x.id === p.id)).toBe(false);
    // The ticket code sees it at once (the cached configuration was dropped).
    expect((await deskConfig(t.db, a.companyId)).policies.some((x) => x.id === p.id)).toBe(true);
  });

  it('refuses a second policy with the same scope (409)', async () => {
    const lighting = await categoryOf(a, 'publicRepair', 'lighting');
    const res = await adminA.post('/api/sla-policies', { communityId: c1, kind: 'publicRepair', categoryId: lighting, clocks: { resolve: { amount: 2, unit: 'days' } } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.policyId).toBe(communityPolicy);
    expect(res.json().error.message).toContain('时限规则');
    // The company-wide default for the same kind and category exists too.
    const wide = await adminA.post('/api/sla-policies', { kind: 'publicRepair', categoryId: lighting, clocks: { resolve: { amount: 2, unit: 'days' } } });
    expect(wide.statusCode).toBe(409);
  });

  it('refuses bad bodies, naming the field', async () => {
    const body = { kind: 'complaint', severity: 'major', clocks: { reply: { amount: 1, unit: 'days' } } };
    expectFieldError(await adminA.post('/api/sla-policies', { ...body, clocks: {} }), 'clocks');
    expectFieldError(await adminA.post('/api/sla-policies', { ...body, clocks: { reply: { amount: 0, unit: 'days' } } }), 'clocks.reply.amount');
    expectFieldError(await adminA.post('/api/sla-policies', { ...body, clocks: { reply: { amount: 10001, unit: 'days' } } }), 'clocks.reply.amount');
    expectFieldError(await adminA.post('/api/sla-policies', { ...body, clocks: { reply: { amount: 1, unit: 'weeks' } } }), 'clocks.reply.unit');
    expectFieldError(await adminA.post('/api/sla-policies', { ...body, clocks: { later: { amount: 1, unit: 'days' } } }), 'clocks.later');
    expectFieldError(await adminA.post('/api/sla-policies', { ...body, urgency: 'soon' }), 'urgency');
    // A category of another kind, of another company, a community of another company.
    expectFieldError(await adminA.post('/api/sla-policies', { ...body, categoryId: await categoryOf(a, 'inquiry', 'fee') }), 'categoryId');
    expectFieldError(await adminA.post('/api/sla-policies', { ...body, categoryId: await categoryOf(b, 'complaint', 'noise') }), 'categoryId');
    expectFieldError(await adminA.post('/api/sla-policies', { ...body, communityId: b.communityIds[0] }), 'communityId');
    // A manager of community 1 cannot aim at community 2.
    expectFieldError(await scoped.post('/api/sla-policies', { ...body, communityId: c2 }), 'communityId');
  });

  it('changes the clocks of a policy, audited', async () => {
    const res = await adminA.patch(`/api/sla-policies/${communityPolicy}`, { clocks: { resolve: { amount: 4, unit: 'hours' } }, note: null });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ clocks: { resolve: { amount: 4, unit: 'hours' } }, descriptions: { resolve: '4小时' }, note: null });
    const row = await t.db.selectFrom('sla_policies').select(['clocks', 'note']).where('id', '=', communityPolicy).executeTakeFirstOrThrow();
    expect(row).toEqual({ clocks: { resolve: { amount: 4, unit: 'hours' } }, note: null });
    const [audit] = await auditRows(t.db, communityPolicy, 'slaPolicy.update');
    expect(audit.before).toMatchObject({ note: '一区照明：半天' });
    expectFieldError(await adminA.patch(`/api/sla-policies/${communityPolicy}`, { clocks: {} }), 'clocks');
    expectFieldError(await adminA.patch(`/api/sla-policies/${communityPolicy}`, { kind: 'complaint' }), 'categoryId');
  });

  it("another company's policy, or one of a community the caller cannot see, is a 404", async () => {
    expect((await adminB.patch(`/api/sla-policies/${communityPolicy}`, { note: '偷改' })).statusCode).toBe(404);
    expect((await adminB.delete(`/api/sla-policies/${communityPolicy}`)).statusCode).toBe(404);
    expect((await policiesOf(adminB)).some((x) => x.id === communityPolicy)).toBe(false);
    const p2 = await adminA.post('/api/sla-policies', { communityId: c2, kind: 'inquiry', clocks: { reply: { amount: 1, unit: 'hours' } } });
    expect(p2.statusCode).toBe(201);
    expect((await scoped.patch(`/api/sla-policies/${p2.json().id}`, { note: '看不见' })).statusCode).toBe(404);
    expect((await policiesOf(scoped)).some((x) => x.id === p2.json().id)).toBe(false);
    expect(await t.db.selectFrom('sla_policies').select('note').where('id', '=', p2.json().id).executeTakeFirstOrThrow()).toEqual({ note: null });
  });

  it('deletes a policy that tickets used: they lose the link and keep their deadlines', async () => {
    const category = await categoryOf(a, 'publicRepair', 'lighting');
    const due = new Date('2026-11-23T09:30:00Z');
    const ticket = await t.db
      .insertInto('tickets')
      .values({ company_id: a.companyId, community_id: c1, no: unique('GW-'), kind: 'publicRepair', category_id: category, title: '路灯不亮', channel: 'frontDesk', reported_at: new Date(), status: 'submitted', policy_id: communityPolicy, resolve_due_at: due, resolve_state: 'running' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const res = await adminA.delete(`/api/sla-policies/${communityPolicy}`);
    expect(res.statusCode, res.body).toBe(204);
    expect(await t.db.selectFrom('sla_policies').select('id').where('id', '=', communityPolicy).executeTakeFirst()).toBeUndefined();
    const after = await t.db.selectFrom('tickets').select(['policy_id', 'resolve_due_at']).where('id', '=', ticket.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ policy_id: null, resolve_due_at: due });
    const [audit] = await auditRows(t.db, communityPolicy, 'slaPolicy.delete');
    expect(audit.after).toEqual({ detachedTickets: 1 });
    expect((await adminA.delete(`/api/sla-policies/${communityPolicy}`)).statusCode).toBe(404);
  });
});

describe('staff groups', () => {
  let group: string;

  it('creates a group with members in round-robin order, audited', async () => {
    const res = await adminA.post('/api/staff-groups', { name: '一区维修组', communityId: c1, leaderId: tech1.id, memberIds: [tech2.id, tech1.id] });
    expect(res.statusCode, res.body).toBe(201);
    const g = res.json();
    group = g.id;
    expect(g).toMatchObject({ name: '一区维修组', communityId: c1, leaderId: tech1.id, leaderName: expect.stringMatching(/^员工/) });
    expect(g.members.map((m: { userId: string; position: number }) => [m.userId, m.position])).toEqual([
      [tech2.id, 0],
      [tech1.id, 1],
    ]);
    const rows = await t.db.selectFrom('staff_group_members').select(['user_id', 'position', 'company_id']).where('group_id', '=', g.id).orderBy('position').execute();
    expect(rows).toEqual([
      { user_id: tech2.id, position: 0, company_id: a.companyId },
      { user_id: tech1.id, position: 1, company_id: a.companyId },
    ]);
    const [audit] = await auditRows(t.db, g.id, 'staffGroup.create');
    expect(audit.after).toMatchObject({ memberIds: [tech2.id, tech1.id] });
    expect((await adminA.get(`/api/staff-groups?communityId=${c1}`)).json().items.some((x: { id: string }) => x.id === g.id)).toBe(true);
    expect((await adminA.get(`/api/staff-groups?communityId=${c2}`)).json().items.some((x: { id: string }) => x.id === g.id)).toBe(false);
  });

  it('members must be active staff of the company, each once', async () => {
    const disabled = await createStaffUser(t.db, a, { role: 'technician' });
    await t.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', disabled.id).execute();
    const outsider = await createStaffUser(t.db, b, { role: 'technician' });
    for (const memberIds of [[disabled.id], [outsider.id], [tech1.id, tech1.id], [randomUUID()]]) {
      expectFieldError(await adminA.post('/api/staff-groups', { name: unique('组'), memberIds }), 'memberIds');
    }
    expectFieldError(await adminA.post('/api/staff-groups', { name: unique('组'), memberIds: ['not-a-uuid'] }), 'memberIds.0');
    expectFieldError(await adminA.post('/api/staff-groups', { name: unique('组'), leaderId: outsider.id, memberIds: [] }), 'leaderId');
    expectFieldError(await adminA.post('/api/staff-groups', { name: unique('组'), communityId: b.communityIds[0], memberIds: [] }), 'communityId');
    expectFieldError(await adminA.post('/api/staff-groups', { memberIds: [] }), 'name');
    expectConflict(await adminA.post('/api/staff-groups', { name: '一区维修组', memberIds: [] }), 'name');
  });

  it('replaces the member list on PATCH, audited with before and after', async () => {
    const res = await adminA.patch(`/api/staff-groups/${group}`, { memberIds: [tech1.id, desk.id, tech2.id], name: '一区综合组' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().members.map((m: { userId: string }) => m.userId)).toEqual([tech1.id, desk.id, tech2.id]);
    expect(res.json().name).toBe('一区综合组');
    const rows = await t.db.selectFrom('staff_group_members').select(['user_id', 'position']).where('group_id', '=', group).orderBy('position').execute();
    expect(rows.map((r) => r.user_id)).toEqual([tech1.id, desk.id, tech2.id]);
    const [audit] = await auditRows(t.db, group, 'staffGroup.update');
    expect(audit.before).toMatchObject({ memberIds: [tech2.id, tech1.id], name: '一区维修组' });
    expect(audit.after).toMatchObject({ memberIds: [tech1.id, desk.id, tech2.id], name: '一区综合组' });
    expectFieldError(await adminA.patch(`/api/staff-groups/${group}`, { memberIds: [tech1.id, tech1.id] }), 'memberIds');
  });

  it("another company's group is a 404", async () => {
    expect((await adminB.patch(`/api/staff-groups/${group}`, { name: '偷改' })).statusCode).toBe(404);
    expect((await adminB.delete(`/api/staff-groups/${group}`)).statusCode).toBe(404);
    expect((await adminB.get('/api/staff-groups')).json().items.some((g: { id: string }) => g.id === group)).toBe(false);
    expect((await t.db.selectFrom('staff_groups').select('name').where('id', '=', group).executeTakeFirstOrThrow()).name).toBe('一区综合组');
  });

  it('cannot be deleted while a dispatch rule uses it; can be afterwards', async () => {
    const rule = await adminA.post('/api/dispatch-rules', { communityId: c1, mode: 'pool', groupId: group });
    expect(rule.statusCode, rule.body).toBe(201);
    const refused = await adminA.delete(`/api/staff-groups/${group}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('1');
    // Nor can it move to another community while a rule of community 1 uses it.
    expect((await adminA.patch(`/api/staff-groups/${group}`, { communityId: c2 })).statusCode).toBe(409);
    expect((await adminA.delete(`/api/dispatch-rules/${rule.json().id}`)).statusCode).toBe(204);
    const res = await adminA.delete(`/api/staff-groups/${group}`);
    expect(res.statusCode, res.body).toBe(204);
    expect(await t.db.selectFrom('staff_groups').select('id').where('id', '=', group).executeTakeFirst()).toBeUndefined();
    expect(await t.db.selectFrom('staff_group_members').select('user_id').where('group_id', '=', group).execute()).toEqual([]);
    expect(await auditRows(t.db, group, 'staffGroup.delete')).toHaveLength(1);
  });
});

describe('dispatch rules', () => {
  let group1: string;
  let group2: string;
  let rule: string;

  beforeAll(async () => {
    group1 = (await adminA.post('/api/staff-groups', { name: unique('一区组'), communityId: c1, memberIds: [tech1.id, tech2.id] })).json().id;
    group2 = (await adminA.post('/api/staff-groups', { name: unique('二区组'), communityId: c2, memberIds: [] })).json().id;
  });

  it('sends a category of a building to one technician, with names in the answer, audited', async () => {
    const building = await createBuilding(t.db, { company: a, communityId: c1, name: '3栋' });
    const zone = await t.db.insertInto('zones').values({ company_id: a.companyId, community_id: c1, name: '北区' }).returning('id').executeTakeFirstOrThrow();
    const drain = await categoryOf(a, 'homeRepair', 'drain');
    const res = await adminA.post('/api/dispatch-rules', { communityId: c1, kind: 'homeRepair', categoryId: drain, buildingId: building.id, zoneId: zone.id, mode: 'person', assigneeId: tech1.id, priority: 10 });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    rule = r.id;
    expect(r).toMatchObject({ communityId: c1, kind: 'homeRepair', categoryName: '管道疏通', buildingName: '3栋', zoneName: '北区', mode: 'person', assigneeId: tech1.id, assigneeName: expect.stringMatching(/^员工/), groupId: null, priority: 10, active: true });
    const row = await t.db.selectFrom('dispatch_rules').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ company_id: a.companyId, assignee_id: tech1.id, group_id: null, building_id: building.id });
    expect(await auditRows(t.db, r.id, 'dispatchRule.create')).toHaveLength(1);
    expect((await adminA.get(`/api/dispatch-rules?communityId=${c1}`)).json().items.map((x: { id: string }) => x.id)).toContain(r.id);
    expect((await adminA.get(`/api/dispatch-rules?communityId=${c2}`)).json().items.map((x: { id: string }) => x.id)).not.toContain(r.id);
  });

  it('refuses targets and conditions that do not fit, naming the field', async () => {
    const base = { communityId: c1, mode: 'person', assigneeId: tech1.id };
    expectFieldError(await adminA.post('/api/dispatch-rules', { communityId: c1, mode: 'person' }), 'assigneeId');
    // Customer service cannot work on tickets; a technician of company B is not ours.
    expectFieldError(await adminA.post('/api/dispatch-rules', { ...base, assigneeId: desk.id }), 'assigneeId');
    expectFieldError(await adminA.post('/api/dispatch-rules', { ...base, assigneeId: (await createStaffUser(t.db, b, { role: 'technician' })).id }), 'assigneeId');
    expectFieldError(await adminA.post('/api/dispatch-rules', { ...base, groupId: group1 }), 'groupId');
    expectFieldError(await adminA.post('/api/dispatch-rules', { communityId: c1, mode: 'roundRobin' }), 'groupId');
    expectFieldError(await adminA.post('/api/dispatch-rules', { communityId: c1, mode: 'roundRobin', groupId: group2 }), 'groupId');
    expectFieldError(await adminA.post('/api/dispatch-rules', { communityId: c1, mode: 'pool', groupId: group1, assigneeId: tech1.id }), 'assigneeId');
    expectFieldError(await adminA.post('/api/dispatch-rules', { ...base, mode: 'everyone' }), 'mode');
    expectFieldError(await adminA.post('/api/dispatch-rules', { ...base, priority: -1 }), 'priority');
    expectFieldError(await adminA.post('/api/dispatch-rules', { ...base, communityId: b.communityIds[0] }), 'communityId');
    const otherBuilding = await createBuilding(t.db, { company: a, communityId: c2 });
    expectFieldError(await adminA.post('/api/dispatch-rules', { ...base, buildingId: otherBuilding.id }), 'buildingId');
    const otherZone = await t.db.insertInto('zones').values({ company_id: a.companyId, community_id: c2, name: unique('区') }).returning('id').executeTakeFirstOrThrow();
    expectFieldError(await adminA.post('/api/dispatch-rules', { ...base, zoneId: otherZone.id }), 'zoneId');
    expectFieldError(await adminA.post('/api/dispatch-rules', { ...base, kind: 'complaint', categoryId: await categoryOf(a, 'homeRepair', 'drain') }), 'categoryId');
    expectFieldError(await adminA.post('/api/dispatch-rules', { ...base, categoryId: await categoryOf(b, 'homeRepair', 'drain') }), 'categoryId');
  });

  it('switches a rule to a group pool: the person is cleared; audited', async () => {
    const res = await adminA.patch(`/api/dispatch-rules/${rule}`, { mode: 'pool', groupId: group1, active: false });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ mode: 'pool', groupId: group1, groupName: expect.stringMatching(/^一区组/), assigneeId: null, assigneeName: null, active: false });
    const row = await t.db.selectFrom('dispatch_rules').select(['mode', 'assignee_id', 'group_id', 'active']).where('id', '=', rule).executeTakeFirstOrThrow();
    expect(row).toEqual({ mode: 'pool', assignee_id: null, group_id: group1, active: false });
    const [audit] = await auditRows(t.db, rule, 'dispatchRule.update');
    expect(audit.before).toMatchObject({ mode: 'person', assignee_id: tech1.id });
    expectFieldError(await adminA.patch(`/api/dispatch-rules/${rule}`, { mode: 'person' }), 'assigneeId');
  });

  it("another company's rule is a 404; a technician may read but not change rules", async () => {
    expect((await adminB.patch(`/api/dispatch-rules/${rule}`, { priority: 1 })).statusCode).toBe(404);
    expect((await adminB.delete(`/api/dispatch-rules/${rule}`)).statusCode).toBe(404);
    expect((await adminB.get('/api/dispatch-rules')).json().items).toEqual([]);
    expect((await technician.patch(`/api/dispatch-rules/${rule}`, { priority: 1 })).statusCode).toBe(403);
    expect((await t.db.selectFrom('dispatch_rules').select('priority').where('id', '=', rule).executeTakeFirstOrThrow()).priority).toBe(10);
  });

  it('deletes a rule, audited', async () => {
    const res = await adminA.delete(`/api/dispatch-rules/${rule}`);
    expect(res.statusCode).toBe(204);
    expect(await t.db.selectFrom('dispatch_rules').select('id').where('id', '=', rule).executeTakeFirst()).toBeUndefined();
    expect(await auditRows(t.db, rule, 'dispatchRule.delete')).toHaveLength(1);
  });
});

const SETTINGS = {
  businessStart: '08:00',
  businessEnd: '18:00',
  lunchStart: '12:00',
  lunchEnd: '13:00',
  halfDayHours: 4,
  halfDayOn: 'workingDays',
  atRiskPercent: 75,
  returnVisitSamplePercent: 30,
  returnVisitMaxAttempts: 2,
  autoConfirmDays: 5,
  committeeQuorum: 3,
  satisfactionTarget: 95,
  returnVisitTarget: 60,
  timelinessTarget: 92,
  notifyOwnerSms: false,
};

describe('settings', () => {
  it('shows the defaults and the return-visit questions', async () => {
    const res = await technician.get('/api/service-desk/settings');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ businessStart: '08:30', businessEnd: '17:30', lunchStart: '12:00', lunchEnd: '13:30', halfDayHours: 4, atRiskPercent: 80 });
    expect(res.json().returnVisitQuestions.map((q: { key: string }) => q.key)).toEqual(['resolved', 'punctual', 'tidy', 'satisfaction']);
  });

  it('replaces every setting, audited; the desk uses them at once; other companies keep theirs', async () => {
    await deskConfig(t.db, a.companyId); // fills the cache
    const res = await adminA.request('PUT', '/api/service-desk/settings', SETTINGS);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject(SETTINGS);
    const row = await t.db.selectFrom('service_desk_settings').selectAll().where('company_id', '=', a.companyId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ business_start: '08:00', lunch_end: '13:00', half_day_on: 'workingDays', at_risk_percent: 75, notify_owner_sms: false });
    const [audit] = await auditRows(t.db, a.companyId, 'serviceDesk.settings');
    expect(audit.before).toMatchObject({ business_start: '08:30' });
    expect((await deskConfig(t.db, a.companyId)).settings.hours).toMatchObject({ start: '08:00', end: '18:00', halfDayOn: 'workingDays' });
    expect((await adminB.get('/api/service-desk/settings')).json().businessStart).toBe('08:30');
    // No lunch break at all is fine.
    const noLunch = await adminA.request('PUT', '/api/service-desk/settings', { ...SETTINGS, lunchStart: null, lunchEnd: null });
    expect(noLunch.json()).toMatchObject({ lunchStart: null, lunchEnd: null });
  });

  it.each([
    [{ businessStart: '8:30' }, 'businessStart'],
    [{ businessEnd: '24:00' }, 'businessEnd'],
    [{ businessEnd: '07:00' }, 'businessEnd'],
    [{ businessEnd: '08:00' }, 'businessEnd'],
    [{ lunchStart: '07:30' }, 'lunchStart'],
    [{ lunchStart: '18:30', lunchEnd: '19:00' }, 'lunchStart'],
    [{ lunchEnd: '11:00' }, 'lunchEnd'],
    [{ lunchEnd: '18:00' }, 'lunchEnd'],
    [{ lunchEnd: null }, 'lunchEnd'],
    [{ lunchStart: null }, 'lunchStart'],
    [{ halfDayHours: 13 }, 'halfDayHours'],
    [{ halfDayOn: 'weekends' }, 'halfDayOn'],
    [{ atRiskPercent: 100 }, 'atRiskPercent'],
    [{ returnVisitSamplePercent: 101 }, 'returnVisitSamplePercent'],
    [{ notifyOwnerSms: undefined }, 'notifyOwnerSms'],
    [{ extra: 1 }, 'extra'],
  ])('refuses %j naming %s', async (patch, field) => {
    const before = await t.db.selectFrom('service_desk_settings').selectAll().where('company_id', '=', a.companyId).executeTakeFirstOrThrow();
    expectFieldError(await adminA.request('PUT', '/api/service-desk/settings', { ...SETTINGS, ...patch }), field);
    expect(await t.db.selectFrom('service_desk_settings').selectAll().where('company_id', '=', a.companyId).executeTakeFirstOrThrow()).toEqual(before);
  });
});

describe('working-day calendar', () => {
  const dayOf = (cal: { days: Array<{ day: string }> }, day: string) => cal.days.find((d) => d.day === day);

  it('2026 is known: National Day is off and Saturday 10 October is a make-up working day', async () => {
    const res = await technician.get('/api/work-calendar?year=2026');
    expect(res.statusCode).toBe(200);
    const cal = res.json();
    expect(cal.year).toBe(2026);
    expect(cal.known).toBe(true);
    expect(dayOf(cal, '2026-10-01')).toEqual({ day: '2026-10-01', kind: 'holiday', name: '国庆节', source: 'shipped' });
    expect(dayOf(cal, '2026-10-10')).toMatchObject({ kind: 'workday', source: 'shipped' });
    expect(cal.days.every((d: { day: string }) => d.day.startsWith('2026-'))).toBe(true);
    expect(cal.days.map((d: { day: string }) => d.day)).toEqual([...cal.days.map((d: { day: string }) => d.day)].sort());
    expectFieldError(await technician.get('/api/work-calendar?year=1999'), 'year');
  });

  it("a company's own day replaces the shipped one, for that company only, until it is removed", async () => {
    await deskConfig(t.db, a.companyId); // fills the cache
    const res = await adminA.request('PUT', '/api/work-calendar/days/2026-10-01', { kind: 'workday', name: '公司值班日' });
    expect(res.statusCode, res.body).toBe(200);
    expect(dayOf(res.json(), '2026-10-01')).toEqual({ day: '2026-10-01', kind: 'workday', name: '公司值班日', source: 'company' });
    const row = await t.db.selectFrom('calendar_days').selectAll().where('company_id', '=', a.companyId).where('day', '=', '2026-10-01').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'workday', name: '公司值班日' });
    expect(await auditRows(t.db, row.id, 'workCalendar.setDay')).toHaveLength(1);
    expect((await deskConfig(t.db, a.companyId)).calendar.holidays.has('2026-10-01')).toBe(false);
    // Setting it again updates the same row.
    const again = await adminA.request('PUT', '/api/work-calendar/days/2026-10-01', { kind: 'holiday', name: '国庆节（公司）' });
    expect(dayOf(again.json(), '2026-10-01')).toMatchObject({ kind: 'holiday', source: 'company' });
    expect(await t.db.selectFrom('calendar_days').select('id').where('company_id', '=', a.companyId).execute()).toHaveLength(1);

    expect(dayOf((await adminB.get('/api/work-calendar?year=2026')).json(), '2026-10-01')).toMatchObject({ kind: 'holiday', source: 'shipped' });
    expect((await adminB.delete('/api/work-calendar/days/2026-10-01')).statusCode).toBe(404);

    const del = await adminA.delete('/api/work-calendar/days/2026-10-01');
    expect(del.statusCode).toBe(204);
    expect(dayOf((await adminA.get('/api/work-calendar?year=2026')).json(), '2026-10-01')).toEqual({ day: '2026-10-01', kind: 'holiday', name: '国庆节', source: 'shipped' });
    expect(await auditRows(t.db, row.id, 'workCalendar.removeDay')).toHaveLength(1);
    expect((await adminA.delete('/api/work-calendar/days/2026-10-01')).statusCode).toBe(404);
  });

  it('refuses bad days and kinds, naming the field', async () => {
    expectFieldError(await adminA.request('PUT', '/api/work-calendar/days/2026-02-30', { kind: 'holiday', name: '' }), 'day');
    expectFieldError(await adminA.request('PUT', '/api/work-calendar/days/tomorrow', { kind: 'holiday', name: '' }), 'day');
    expectFieldError(await adminA.request('PUT', '/api/work-calendar/days/2026-05-06', { kind: 'dayOff', name: '' }), 'kind');
    expectFieldError(await adminA.delete('/api/work-calendar/days/2026-13-01'), 'day');
    expectFieldError(await adminA.post('/api/work-calendar/years', { year: 1999 }), 'year');
  });

  it('2027 is unknown until a company adds it; only then may its days be entered; other companies still see it unknown', async () => {
    expect((await adminA.get('/api/work-calendar?year=2027')).json()).toEqual({ year: 2027, known: false, days: [] });
    expectFieldError(await adminA.request('PUT', '/api/work-calendar/days/2027-02-08', { kind: 'holiday', name: '春节' }), 'day');
    const res = await adminA.post('/api/work-calendar/years', { year: 2027 });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ year: 2027, known: true, days: [] });
    const row = await t.db.selectFrom('calendar_years').selectAll().where('company_id', '=', a.companyId).where('year', '=', 2027).executeTakeFirstOrThrow();
    expect(await auditRows(t.db, row.id, 'workCalendar.addYear')).toHaveLength(1);
    expectConflict(await adminA.post('/api/work-calendar/years', { year: 2027 }), 'year');
    expect((await adminA.post('/api/work-calendar/years', { year: 2026 })).statusCode).toBe(409);
    const day = await adminA.request('PUT', '/api/work-calendar/days/2027-02-08', { kind: 'holiday', name: '春节' });
    expect(day.statusCode, day.body).toBe(200);
    expect(day.json().days).toEqual([{ day: '2027-02-08', kind: 'holiday', name: '春节', source: 'company' }]);
    expect((await deskConfig(t.db, a.companyId)).calendar.knownYears.has(2027)).toBe(true);
    expect((await adminB.get('/api/work-calendar?year=2027')).json()).toEqual({ year: 2027, known: false, days: [] });
  });
});

describe('saved queue views', () => {
  let view: string;

  it('saves, lists and audits a view of my own', async () => {
    const filters = { status: ['submitted', 'accepted'], kind: 'homeRepair', assigneeId: 'me', clockState: 'overdue', communityId: c1 };
    const res = await technician.post('/api/ticket-views', { name: '我的超时单', filters });
    expect(res.statusCode, res.body).toBe(201);
    view = res.json().id;
    expect(res.json()).toMatchObject({ name: '我的超时单', filters });
    const row = await t.db.selectFrom('ticket_views').selectAll().where('id', '=', view).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ company_id: a.companyId, user_id: tech1.id, filters });
    expect(await auditRows(t.db, view, 'ticketView.create')).toHaveLength(1);
    expect((await technician.get('/api/ticket-views')).json().items.map((v: { id: string }) => v.id)).toEqual([view]);
    expect((await adminA.get('/api/ticket-views')).json().items.map((v: { id: string }) => v.id)).not.toContain(view);
    expectConflict(await technician.post('/api/ticket-views', { name: '我的超时单', filters: {} }), 'name');
  });

  it('takes only the queue’s own filters, naming the field', async () => {
    expectFieldError(await technician.post('/api/ticket-views', { name: '坏', filters: { colour: 'red' } }), 'filters.colour');
    expectFieldError(await technician.post('/api/ticket-views', { name: '坏', filters: { page: 2 } }), 'filters.page');
    expectFieldError(await technician.post('/api/ticket-views', { name: '坏', filters: { kind: 'party' } }), 'filters.kind');
    expectFieldError(await technician.post('/api/ticket-views', { name: '坏', filters: { from: '2026-13-01' } }), 'filters.from');
    expectFieldError(await technician.post('/api/ticket-views', { filters: {} }), 'name');
    expect((await cashier.post('/api/ticket-views', { name: '收费', filters: {} })).statusCode).toBe(403);
  });

  it("someone else's view is a 404, in my company or another", async () => {
    expect((await adminA.delete(`/api/ticket-views/${view}`)).statusCode).toBe(404);
    expect((await adminB.delete(`/api/ticket-views/${view}`)).statusCode).toBe(404);
    expect(await t.db.selectFrom('ticket_views').select('id').where('id', '=', view).executeTakeFirst()).toBeDefined();
    const res = await technician.delete(`/api/ticket-views/${view}`);
    expect(res.statusCode).toBe(204);
    expect(await t.db.selectFrom('ticket_views').select('id').where('id', '=', view).executeTakeFirst()).toBeUndefined();
    expect(await auditRows(t.db, view, 'ticketView.delete')).toHaveLength(1);
  });
});
