import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { anonymous, auditRows, expectFieldError, sessionAs } from '../helpers/api.ts';
import { createPost, guard, rosterCompany, type RosterCompany } from '../helpers/rosters.ts';
import { sendCertificateAlerts } from '../../src/modules/rosters/alerts.ts';
import { nextDay } from '../../src/modules/rosters/onshift.ts';
import { localDate } from '../../src/modules/servicedesk/deadlines.ts';

let t: TestApp;
let a: RosterCompany;
let b: RosterCompany;
let today: string;

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([rosterCompany(t), rosterCompany(t)]);
  today = localDate(new Date(), 'Asia/Shanghai');
});

const number = () => `NO${randomUUID().slice(0, 10)}`;
const cert = async (userId: string, body: Record<string, unknown> = {}) => {
  const res = await a.admin2.post('/api/certificates', { userId, kind: 'securityGuard', number: number(), ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
};

describe('every endpoint needs a session', () => {
  it.each([
    ['GET', '/api/certificate-kinds'],
    ['GET', '/api/certificates'],
    ['POST', '/api/certificates'],
    ['PATCH', `/api/certificates/${randomUUID()}`],
    ['POST', `/api/certificates/${randomUUID()}/revoke`],
    ['GET', '/api/certificate-compliance'],
    ['GET', '/api/training-records'],
    ['POST', '/api/training-records'],
    ['DELETE', `/api/training-records/${randomUUID()}`],
    ['GET', '/api/training-summary'],
    ['GET', '/api/training-summary.xlsx'],
  ] as const)('%s %s → 401', async (method, url) => {
    const res = await anonymous(t.app, method, url, method === 'POST' || method === 'PATCH' ? {} : undefined);
    expect(res.statusCode).toBe(401);
  });
});

describe('certificates', () => {
  it('records, lists by status, renews and revokes', async () => {
    const g = await guard(t, a);
    const kinds = await a.manager.get('/api/certificate-kinds');
    expect(kinds.json().items.map((k: { code: string }) => k.code)).toEqual(expect.arrayContaining(['securityGuard', 'electrician', 'liftOperator', 'propertyManager', 'health']));
    const soon = await cert(g.id, { expiresOn: nextDay(today, 20), issuedOn: '2024-01-01', issuer: '南京市公安局' });
    expect(soon).toMatchObject({ status: 'expiring', daysLeft: 20, user: { id: g.id } });
    const old = await cert(g.id, { kind: 'health', expiresOn: nextDay(today, -3) });
    expect(old.status).toBe('expired');
    const forever = await cert(g.id, { kind: 'electrician' });
    expect(forever.status).toBe('valid');
    const byStatus = async (status: string) => (await a.admin2.get(`/api/certificates?userId=${g.id}&status=${status}`)).json().items.map((c: { id: string }) => c.id);
    expect(await byStatus('expiring')).toEqual([soon.id]);
    expect(await byStatus('expired')).toEqual([old.id]);
    expect(await byStatus('valid')).toEqual([forever.id]);
    const renewed = await a.admin2.patch(`/api/certificates/${old.id}`, { expiresOn: nextDay(today, 365) });
    expect(renewed.json()).toMatchObject({ status: 'valid', daysLeft: 365 });
    const revoked = await a.admin2.post(`/api/certificates/${forever.id}/revoke`);
    expect(revoked.json().status).toBe('revoked');
    expect((await a.admin2.post(`/api/certificates/${forever.id}/revoke`)).statusCode).toBe(409);
    expect((await auditRows(t.db, forever.id)).map((r) => r.action)).toEqual(['certificate.create', 'certificate.revoke']);
    // A revoked number can be issued again.
    expect((await a.admin2.post('/api/certificates', { userId: g.id, kind: 'electrician', number: forever.number })).statusCode).toBe(201);
  });

  it('refuses bad input and other companies’ records', async () => {
    const g = await guard(t, a);
    const c = await cert(g.id);
    expectFieldError(await a.admin2.post('/api/certificates', { userId: b.admin.id, kind: 'securityGuard', number: number() }), 'userId');
    expectFieldError(await a.admin2.post('/api/certificates', { userId: g.id, kind: 'wizard', number: number() }), 'kind');
    expectFieldError(await a.admin2.post('/api/certificates', { userId: g.id, kind: 'health', number: number(), issuedOn: '2026-01-01', expiresOn: '2025-01-01' }), 'expiresOn');
    expectFieldError(await a.admin2.post('/api/certificates', { userId: g.id, kind: 'health', number: number(), fileId: randomUUID() }), 'fileId');
    expectFieldError(await a.admin2.post('/api/certificates', { userId: g.id, kind: 'health', number: '' }), 'number');
    expect((await a.admin2.post('/api/certificates', { userId: g.id, kind: 'securityGuard', number: c.number })).statusCode).toBe(409);
    expect((await b.admin2.patch(`/api/certificates/${c.id}`, { number: 'x' })).statusCode).toBe(404);
    expect((await b.admin2.post(`/api/certificates/${c.id}/revoke`)).statusCode).toBe(404);
    expect((await b.admin2.get(`/api/certificates?userId=${g.id}`)).json().total).toBe(0);
    expectFieldError(await a.admin2.patch(`/api/certificates/${c.id}`, { issuedOn: '2030-01-01', expiresOn: '2029-01-01' }), 'expiresOn');
    const row = await t.db.selectFrom('staff_certificates').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
    expect([row.issued_on, row.expires_on, row.revoked_at]).toEqual([null, null, null]);
    const guardClient = await sessionAs(t.app, t.db, g.id);
    expect((await guardClient.post('/api/certificates', { userId: g.id, kind: 'health', number: number() })).statusCode).toBe(403);
  });
});

describe('持证上岗', () => {
  it('lists post members without a valid required certificate on a date', async () => {
    const [ok, none, lapsed, soon] = await Promise.all([guard(t, a), guard(t, a), guard(t, a), guard(t, a)]);
    const post = await createPost(a, { requiredCertificates: ['securityGuard'], memberIds: [ok.id, none.id, lapsed.id, soon.id] });
    await cert(ok.id);
    await cert(lapsed.id, { expiresOn: nextDay(today, -1) });
    await cert(soon.id, { expiresOn: nextDay(today, 10) });
    const gapsOn = async (asOf?: string) =>
      (await a.manager.get(`/api/certificate-compliance?communityId=${a.communityId}${asOf ? `&asOf=${asOf}` : ''}`)).json().gaps.filter((g: { post: { id: string } }) => g.post.id === post.id).map((g: { user: { id: string }; reason: string }) => `${g.user.id}:${g.reason}`).sort();
    expect(await gapsOn()).toEqual([`${none.id}:missing`, `${lapsed.id}:expired`].sort());
    expect(await gapsOn(nextDay(today, 30))).toEqual([`${none.id}:missing`, `${lapsed.id}:expired`, `${soon.id}:expired`].sort());
    // Someone rostered on the post that day counts too, member or not.
    const stranger = await guard(t, a);
    const res = await a.admin2.request('PUT', `/api/roster-weeks?communityId=${a.communityId}&monday=2031-03-03`, { entries: [{ day: '2031-03-05', userId: stranger.id, shiftId: a.shifts.day, postId: post.id }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(await gapsOn('2031-03-05')).toContain(`${stranger.id}:missing`);
    expect(await gapsOn('2031-03-06')).not.toContain(`${stranger.id}:missing`);
    expect((await b.admin2.get(`/api/certificate-compliance?communityId=${a.communityId}`)).statusCode).toBe(404);
    expectFieldError(await a.admin2.get(`/api/certificate-compliance?communityId=${a.communityId}&asOf=tomorrow`), 'asOf');
  });
});

describe('expiry alerts', () => {
  it('alerts the holder and the department head at 60 and 30 days and on the day, each once', async () => {
    const head = await guard(t, a);
    const dept = await a.admin2.post('/api/departments', { name: `工程部${randomUUID().slice(0, 6)}`, kind: 'engineering', headId: head.id });
    const holder = await guard(t, a);
    await createPost(a, { departmentId: dept.json().id, memberIds: [holder.id] });
    const expires = nextDay(today, 90);
    const c = await cert(holder.id, { kind: 'electrician', expiresOn: expires });
    const at = (day: string) => new Date(`${day}T09:00:00+08:00`);
    const mine = async () => t.db.selectFrom('notifications').select(['user_id', 'title']).where('kind', '=', 'certificate.expiry').where('user_id', 'in', [holder.id, head.id]).orderBy('id').execute();

    await sendCertificateAlerts(t, at(nextDay(expires, -61)));
    expect(await mine()).toEqual([]);
    await sendCertificateAlerts(t, at(nextDay(expires, -60)));
    await sendCertificateAlerts(t, at(nextDay(expires, -60)));
    await sendCertificateAlerts(t, at(nextDay(expires, -45)));
    expect((await mine()).map((n) => n.user_id)).toEqual([holder.id, head.id]);
    expect((await mine())[0].title).toContain('60');
    await sendCertificateAlerts(t, at(nextDay(expires, -30)));
    await sendCertificateAlerts(t, at(nextDay(expires, -29)));
    expect(await mine()).toHaveLength(4);
    await sendCertificateAlerts(t, at(expires));
    await sendCertificateAlerts(t, at(expires));
    expect(await mine()).toHaveLength(6);
    expect((await mine())[4].title).toContain('今天到期');
    await sendCertificateAlerts(t, at(nextDay(expires, 1)));
    expect(await mine()).toHaveLength(6);

    // A renewal restarts the alerts; a revoked certificate gets none.
    await a.admin2.patch(`/api/certificates/${c.id}`, { expiresOn: nextDay(expires, 30) });
    await sendCertificateAlerts(t, at(expires));
    expect(await mine()).toHaveLength(8);
    await a.admin2.post(`/api/certificates/${c.id}/revoke`);
    await sendCertificateAlerts(t, at(nextDay(expires, 30)));
    expect(await mine()).toHaveLength(8);
  });

  it('runs as a daily scheduler job once per day', async () => {
    const { rostersJobs } = await import('../../src/modules/rosters/jobs.ts');
    expect(rostersJobs.map((j) => [j.name, j.period, j.scope])).toEqual([['rosters.certificateAlerts', 'day', 'global']]);
  });
});

describe('training', () => {
  it('records a session for several people, sums hours per person and exports the year', async () => {
    const [g1, g2] = await Promise.all([guard(t, a), guard(t, a)]);
    const year = Number(today.slice(0, 4)) - 1;
    const res = await a.admin2.post('/api/training-records', { userIds: [g1.id, g2.id], communityId: a.communityId, title: '消防器材使用', topic: 'fire', day: `${year}-03-15`, hours: 1.5, trainer: '王教官', passed: true });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().items).toHaveLength(2);
    await a.admin2.post('/api/training-records', { userIds: [g1.id], title: '服务礼仪', topic: 'service', day: `${year}-06-01`, hours: 2 });
    const summary = await a.manager.get(`/api/training-summary?year=${year}&communityId=${a.communityId}`);
    expect(summary.statusCode).toBe(200);
    const all = (await a.manager.get(`/api/training-summary?year=${year}`)).json().people;
    expect(all.find((p: { user: { id: string } }) => p.user.id === g1.id)).toMatchObject({ sessions: 2, hours: 3.5, byTopic: { fire: 1.5, service: 2 } });
    expect(all.find((p: { user: { id: string } }) => p.user.id === g2.id)).toMatchObject({ sessions: 1, hours: 1.5 });
    const list = await a.admin2.get(`/api/training-records?userId=${g1.id}&year=${year}`);
    expect(list.json()).toMatchObject({ total: 2 });

    const xlsx = await a.admin2.get(`/api/training-summary.xlsx?year=${year}`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('学时汇总')!;
    const names = sheet.getColumn(1).values;
    expect(names.length).toBeGreaterThan(2);
    expect(wb.getWorksheet('培训记录')!.rowCount).toBeGreaterThanOrEqual(4);

    const one = res.json().items[0].id;
    expect((await b.admin2.delete(`/api/training-records/${one}`)).statusCode).toBe(404);
    expect((await a.admin2.delete(`/api/training-records/${one}`)).statusCode).toBe(204);
    expect((await auditRows(t.db, one)).map((r) => r.action)).toEqual(['training.create', 'training.delete']);
  });

  it('refuses bad input and changes nothing', async () => {
    const g = await guard(t, a);
    const base = { userIds: [g.id], title: '安全培训', day: '2025-05-05', hours: 1 };
    expectFieldError(await a.admin2.post('/api/training-records', { ...base, hours: 1.25 }), 'hours');
    expectFieldError(await a.admin2.post('/api/training-records', { ...base, hours: 0 }), 'hours');
    expectFieldError(await a.admin2.post('/api/training-records', { ...base, userIds: [] }), 'userIds');
    expectFieldError(await a.admin2.post('/api/training-records', { ...base, userIds: [g.id, g.id] }), 'userIds');
    expectFieldError(await a.admin2.post('/api/training-records', { ...base, userIds: [b.admin.id] }), 'userIds');
    expectFieldError(await a.admin2.post('/api/training-records', { ...base, communityId: b.communityId }), 'communityId');
    expectFieldError(await a.admin2.post('/api/training-records', { ...base, day: nextDay(today, 3) }), 'day');
    expectFieldError(await a.admin2.get('/api/training-summary?year=1999'), 'year');
    expect((await b.admin2.get(`/api/training-summary?year=2025&communityId=${a.communityId}`)).statusCode).toBe(404);
    expect(await t.db.selectFrom('training_records').select('id').where('user_id', '=', g.id).execute()).toEqual([]);
  });
});
