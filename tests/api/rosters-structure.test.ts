import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { unique } from '../helpers/factories.ts';
import { anonymous, auditRows, expectFieldError, sessionAs } from '../helpers/api.ts';
import { createPost, guard, rosterCompany, type RosterCompany } from '../helpers/rosters.ts';

let t: TestApp;
let a: RosterCompany;
let b: RosterCompany;

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([rosterCompany(t), rosterCompany(t)]);
});

describe('every endpoint needs a session', () => {
  it.each([
    ['GET', '/api/departments'],
    ['POST', '/api/departments'],
    ['PATCH', `/api/departments/${randomUUID()}`],
    ['DELETE', `/api/departments/${randomUUID()}`],
    ['GET', '/api/posts'],
    ['POST', '/api/posts'],
    ['PATCH', `/api/posts/${randomUUID()}`],
    ['GET', '/api/shifts'],
    ['POST', '/api/shifts'],
    ['PATCH', `/api/shifts/${randomUUID()}`],
    ['GET', '/api/roster-staff'],
  ] as const)('%s %s → 401', async (method, url) => {
    const res = await anonymous(t.app, method, url, method === 'POST' || method === 'PATCH' ? {} : undefined);
    expect(res.statusCode).toBe(401);
  });
});

describe('departments', () => {
  it('creates, renames, sets a head, refuses bad input, deletes only when empty', async () => {
    const head = await guard(t, a);
    const res = await a.admin2.post('/api/departments', { name: unique('保洁部'), kind: 'cleaning', headId: head.id });
    expect(res.statusCode, res.body).toBe(201);
    const dept = res.json();
    expect(dept).toMatchObject({ kind: 'cleaning', head: { id: head.id }, posts: 0 });
    expect((await auditRows(t.db, dept.id, 'department.create')).length).toBe(1);
    expect((await a.admin2.post('/api/departments', { name: dept.name })).statusCode).toBe(409);
    expectFieldError(await a.admin2.post('/api/departments', { name: unique('部'), headId: b.admin.id }), 'headId');
    expectFieldError(await a.admin2.post('/api/departments', { name: '' }), 'name');
    expectFieldError(await a.admin2.post('/api/departments', { name: unique('部'), kind: 'pirates' }), 'kind');
    const renamed = await a.admin2.patch(`/api/departments/${dept.id}`, { name: `${dept.name}改`, headId: null });
    expect(renamed.json()).toMatchObject({ name: `${dept.name}改`, head: null });
    expect((await b.admin2.patch(`/api/departments/${dept.id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await b.admin2.delete(`/api/departments/${dept.id}`)).statusCode).toBe(404);
    const list = await a.manager.get('/api/departments');
    expect(list.json().items.map((d: { id: string }) => d.id)).toContain(dept.id);
    expect((await b.admin2.get('/api/departments')).json().items.map((d: { id: string }) => d.id)).not.toContain(dept.id);

    await createPost(a, { departmentId: dept.id });
    expectFieldError(await a.admin2.delete(`/api/departments/${dept.id}`), 'posts', 409);
    const empty = await a.admin2.post('/api/departments', { name: unique('空部门') });
    expect((await a.admin2.delete(`/api/departments/${empty.json().id}`)).statusCode).toBe(204);
    const guardClient = await sessionAs(t.app, t.db, head.id);
    expect((await guardClient.post('/api/departments', { name: unique('部') })).statusCode).toBe(403);
  });
});

describe('posts', () => {
  it('creates a 24-hour post with members and required certificates, edits and deactivates it', async () => {
    const [g1, g2] = await Promise.all([guard(t, a), guard(t, a)]);
    const res = await a.admin2.post('/api/posts', { communityId: a.communityId, departmentId: a.departmentId, name: unique('1号岗'), roundTheClock: true, minStaff: 1, requiredCertificates: ['securityGuard'], memberIds: [g1.id] });
    expect(res.statusCode, res.body).toBe(201);
    const post = res.json();
    expect(post).toMatchObject({ roundTheClock: true, requiredCertificates: ['securityGuard'], members: [{ id: g1.id }], department: { id: a.departmentId }, active: true });
    const edited = await a.admin2.patch(`/api/posts/${post.id}`, { memberIds: [g1.id, g2.id], minStaff: 2 });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().members.map((m: { id: string }) => m.id).sort()).toEqual([g1.id, g2.id].sort());
    expect((await a.admin2.patch(`/api/posts/${post.id}`, { active: false })).json().active).toBe(false);
    expect((await a.admin2.get(`/api/posts?communityId=${a.communityId}`)).json().items.map((p: { id: string }) => p.id)).not.toContain(post.id);
    expect((await a.admin2.get(`/api/posts?communityId=${a.communityId}&includeInactive=true`)).json().items.map((p: { id: string }) => p.id)).toContain(post.id);
    expect((await auditRows(t.db, post.id)).map((r) => r.action)).toEqual(['post.create', 'post.update', 'post.update']);
  });

  it('refuses bad input and other companies’ records', async () => {
    const outsider = await guard(t, a, [a.communityIds[1]]);
    const base = { communityId: a.communityId, departmentId: a.departmentId, name: unique('岗') };
    expectFieldError(await a.admin2.post('/api/posts', { ...base, departmentId: b.departmentId }), 'departmentId');
    expectFieldError(await a.admin2.post('/api/posts', { ...base, communityId: b.communityId }), 'communityId');
    expectFieldError(await a.admin2.post('/api/posts', { ...base, memberIds: [outsider.id] }), 'memberIds');
    expectFieldError(await a.admin2.post('/api/posts', { ...base, requiredCertificates: ['wizard'] }), 'requiredCertificates.0');
    expectFieldError(await a.admin2.post('/api/posts', { ...base, minStaff: 0 }), 'minStaff');
    const before = await t.db.selectFrom('posts').select('id').where('company_id', '=', a.companyId).execute();
    const post = await createPost(a);
    expect((await a.admin2.post('/api/posts', { ...base, name: post.name })).statusCode).toBe(409);
    expect((await b.admin2.patch(`/api/posts/${post.id}`, { minStaff: 3 })).statusCode).toBe(404);
    expect((await b.admin2.get(`/api/posts?communityId=${a.communityId}`)).statusCode).toBe(404);
    expect((await t.db.selectFrom('posts').select('id').where('company_id', '=', a.companyId).execute()).length).toBe(before.length + 1);
  });
});

describe('shifts', () => {
  it('creates day, across-midnight and long shifts, edits and deactivates', async () => {
    const list = await a.manager.get(`/api/shifts?communityId=${a.communityId}`);
    expect(list.json().items.map((s: { code: string; minutes: number }) => `${s.code}:${s.minutes}`)).toEqual(['night:480', 'day:480', 'swing:480']);
    const late = await a.admin2.post('/api/shifts', { communityId: a.communityId, name: '大夜班', code: 'late', startTime: '22:00', endTime: '06:00', color: '#334455' });
    expect(late.statusCode, late.body).toBe(201);
    expect(late.json()).toMatchObject({ crossesMidnight: true, minutes: 480, tooLongFor24h: false, color: '#334455' });
    const longer = await a.admin2.patch(`/api/shifts/${late.json().id}`, { endTime: '08:00' });
    expect(longer.json()).toMatchObject({ minutes: 600, tooLongFor24h: true });
    expect((await a.admin2.patch(`/api/shifts/${late.json().id}`, { active: false })).json().active).toBe(false);
    expect((await a.admin2.get(`/api/shifts?communityId=${a.communityId}`)).json().items.map((s: { code: string }) => s.code)).not.toContain('late');
  });

  it('refuses bad input and other companies’ records', async () => {
    const base = { communityId: a.communityId, name: '班', code: unique('c').slice(0, 12), startTime: '08:00', endTime: '16:00' };
    expectFieldError(await a.admin2.post('/api/shifts', { ...base, startTime: '8:00' }), 'startTime');
    expectFieldError(await a.admin2.post('/api/shifts', { ...base, endTime: '24:00' }), 'endTime');
    expectFieldError(await a.admin2.post('/api/shifts', { ...base, endTime: '08:00' }), 'endTime');
    expectFieldError(await a.admin2.post('/api/shifts', { ...base, code: '早班' }), 'code');
    expectFieldError(await a.admin2.post('/api/shifts', { ...base, communityId: b.communityId }), 'communityId');
    expect((await a.admin2.post('/api/shifts', { ...base, code: 'day' })).statusCode).toBe(409);
    expect((await b.admin2.patch(`/api/shifts/${a.shifts.day}`, { name: 'x' })).statusCode).toBe(404);
    expect((await b.admin2.get(`/api/shifts?communityId=${a.communityId}`)).statusCode).toBe(404);
    expectFieldError(await a.admin2.patch(`/api/shifts/${a.shifts.day}`, { endTime: '08:00' }), 'endTime');
    const day = await t.db.selectFrom('shifts').select(['start_time', 'end_time']).where('id', '=', a.shifts.day).executeTakeFirstOrThrow();
    expect([day.start_time.slice(0, 5), day.end_time.slice(0, 5)]).toEqual(['08:00', '16:00']);
  });
});

describe('the staff of a community', () => {
  it('lists active staff working in the community with their roles', async () => {
    const here = await guard(t, a);
    const there = await guard(t, a, [a.communityIds[1]]);
    const res = await a.manager.get(`/api/roster-staff?communityId=${a.communityId}`);
    expect(res.statusCode).toBe(200);
    const ids = res.json().items.map((p: { id: string }) => p.id);
    expect(ids).toContain(here.id);
    expect(ids).not.toContain(there.id);
    expect(res.json().items.find((p: { id: string }) => p.id === here.id).roles).toEqual(['秩序维护员']);
    expect((await b.admin2.get(`/api/roster-staff?communityId=${a.communityId}`)).statusCode).toBe(404);
    expectFieldError(await a.manager.get('/api/roster-staff?communityId=x'), 'communityId');
  });
});
