import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { anonymous, expectFieldError } from '../helpers/api.ts';
import { unique } from '../helpers/factories.ts';
import { planInspections } from '../../src/modules/quality/schedules.ts';
import { qualityJobs } from '../../src/modules/quality/jobs.ts';
import { finding, inDays, inspection, photo, qualityCompany, type QualityCompany, today } from './quality-fixtures.ts';

let t: TestApp;
let a: QualityCompany;
let b: QualityCompany;

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([qualityCompany(t), qualityCompany(t)]);
});

const id = randomUUID();
describe('every endpoint needs a session', () => {
  it.each([
    ['GET', '/api/quality/templates'],
    ['POST', '/api/quality/templates'],
    ['GET', `/api/quality/templates/${id}`],
    ['PATCH', `/api/quality/templates/${id}`],
    ['GET', '/api/quality/schedules'],
    ['POST', '/api/quality/schedules'],
    ['PATCH', `/api/quality/schedules/${id}`],
    ['GET', '/api/quality/inspections'],
    ['POST', '/api/quality/inspections'],
    ['GET', `/api/quality/inspections/${id}`],
    ['POST', `/api/quality/inspections/${id}/scores`],
    ['POST', `/api/quality/inspections/${id}/findings`],
    ['POST', `/api/quality/inspections/${id}/submit`],
    ['GET', '/api/quality/notices'],
    ['GET', `/api/quality/notices/${id}`],
    ['POST', `/api/quality/notices/${id}/rectify`],
    ['POST', `/api/quality/notices/${id}/verify`],
    ['POST', `/api/quality/notices/${id}/send-back`],
    ['POST', `/api/quality/notices/${id}/extend`],
    ['POST', `/api/quality/notices/${id}/cancel`],
    ['GET', '/api/quality/rewards'],
    ['POST', '/api/quality/rewards'],
    ['GET', '/api/quality/scores'],
    ['GET', '/api/quality/assignees'],
    ['GET', '/api/quality/reports/weekly'],
    ['POST', '/api/quality/reports/weekly'],
    ['GET', '/api/quality/reports/weekly.xlsx'],
    ['GET', '/api/quality/reports/weekly.pdf'],
  ] as const)('%s %s → 401', async (method, url) => {
    const res = await anonymous(t.app, method as 'GET', url, method === 'GET' ? undefined : {});
    expect(res.statusCode).toBe(401);
  });
});

describe('templates', () => {
  it('versions the items; an inspection keeps the items it was made with', async () => {
    const made = await inspection(a);
    expect(made.templateVersion).toBe(1);
    expect(made.items.map((i: { label: string }) => i.label)).toEqual(['大堂地面干净无污渍', '电梯轿厢干净', '岗亭整洁、着装规范']);
    const res = await a.admin2.patch(`/api/quality/templates/${a.templateId}`, { items: [{ label: '只有一项', maxPoints: 20, departmentKind: 'cleaning' }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ version: 2, maxScore: 20 });
    const again = (await a.admin2.get(`/api/quality/inspections/${made.id}`)).json();
    expect(again.items).toHaveLength(3);
    expect(again.maxScore).toBe(25);
    const fresh = await inspection(a);
    expect(fresh).toMatchObject({ templateVersion: 2, maxScore: 20 });
    // Back to three items for the other tests.
    await a.admin2.patch(`/api/quality/templates/${a.templateId}`, { items: made.items.map((i: { label: string; maxPoints: number; departmentKind: string }) => ({ label: i.label, maxPoints: i.maxPoints, departmentKind: i.departmentKind })) });
  });

  it('refuses bad input naming the field, and changes nothing', async () => {
    expectFieldError(await a.admin2.post('/api/quality/templates', { name: unique('空'), items: [] }), 'items');
    expectFieldError(await a.admin2.post('/api/quality/templates', { name: unique('x'), items: [{ label: '项', maxPoints: 0 }] }), 'items.0.maxPoints');
    const before = (await a.admin2.get('/api/quality/templates')).json().length;
    const dup = (await a.admin2.get(`/api/quality/templates/${a.templateId}`)).json().name;
    expect((await a.admin2.post('/api/quality/templates', { name: dup, items: [{ label: '项', maxPoints: 5 }] })).statusCode).toBe(409);
    expect((await a.admin2.get('/api/quality/templates')).json()).toHaveLength(before);
  });

  it('is only for quality managers to change, and 404 for another company', async () => {
    expect((await a.cleaner.client.post('/api/quality/templates', { name: unique('x'), items: [{ label: '项', maxPoints: 5 }] })).statusCode).toBe(403);
    expect((await b.admin2.get(`/api/quality/templates/${a.templateId}`)).statusCode).toBe(404);
    expect((await b.admin2.patch(`/api/quality/templates/${a.templateId}`, { active: false })).statusCode).toBe(404);
  });
});

describe('schedules and planned inspections', () => {
  it('plans the Wednesday inspection once, whoever runs the job', async () => {
    const res = await a.admin2.post('/api/quality/schedules', { communityId: a.communityIds[0], templateId: a.templateId, name: '保洁周检', frequency: 'weekly', weekday: 3, inspectorId: a.inspector.id });
    expect(res.statusCode, res.body).toBe(201);
    const monthly = await a.admin2.post('/api/quality/schedules', { communityId: a.communityIds[0], templateId: a.templateId, name: '月度联合检查', frequency: 'monthly', monthDay: 31, inspectorId: a.manager.id });
    expect(monthly.statusCode, monthly.body).toBe(201);
    // 2026-12-02 is a Wednesday; 2026-11-30 the last day of November.
    const runs = await Promise.all([planInspections(t.db, a.communityIds[0]!, '2026-12-02'), planInspections(t.db, a.communityIds[0]!, '2026-12-02')]);
    expect(runs[0] + runs[1]).toBe(1);
    expect(await planInspections(t.db, a.communityIds[0]!, '2026-12-03')).toBe(0);
    expect(await planInspections(t.db, a.communityIds[0]!, '2026-11-30')).toBe(1);
    const list = (await a.inspector.client.get('/api/quality/inspections?mine=true&from=2026-12-01&to=2026-12-31')).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ kind: 'scheduled', title: '保洁周检', plannedOn: '2026-12-02', status: 'planned', maxScore: 25 });
    const detail = (await a.inspector.client.get(`/api/quality/inspections/${list.items[0].id}`)).json();
    expect(detail.items).toHaveLength(3);
    expect(detail.canEdit).toBe(true);
  });

  it('runs as a community job keyed by the local date', async () => {
    const job = qualityJobs.find((j) => j.name === 'quality-plan-inspections')!;
    await a.admin2.post('/api/quality/schedules', { communityId: a.communityIds[1], templateId: a.templateId, name: '秩序检查', frequency: 'weekly', weekday: 4, inspectorId: a.crossInspector.id });
    const ctx = { periodKey: '2026-12-03', now: new Date('2026-12-03T01:00:00Z'), communityId: a.communityIds[1]!, companyId: a.companyId };
    expect(await job.run(t.app.deps, ctx)).toEqual({ planned: 1 });
    expect(await job.run(t.app.deps, ctx)).toEqual({ planned: 0 });
  });

  it('refuses a weekly schedule without a weekday, an unknown inspector, another company’s template', async () => {
    const base = { communityId: a.communityIds[0], templateId: a.templateId, name: '检查', frequency: 'weekly', weekday: 3, inspectorId: a.inspector.id };
    expectFieldError(await a.admin2.post('/api/quality/schedules', { ...base, weekday: undefined }), 'weekday');
    expectFieldError(await a.admin2.post('/api/quality/schedules', { ...base, weekday: 8 }), 'weekday');
    expectFieldError(await a.admin2.post('/api/quality/schedules', { ...base, inspectorId: a.cleaner.id }), 'inspectorId');
    expectFieldError(await a.admin2.post('/api/quality/schedules', { ...base, templateId: b.templateId }), 'templateId');
    expectFieldError(await a.admin2.post('/api/quality/schedules', { ...base, communityId: b.communityIds[0] }), 'communityId');
    const s = (await a.admin2.get('/api/quality/schedules')).json()[0];
    expect((await b.admin2.patch(`/api/quality/schedules/${s.id}`, { active: false })).statusCode).toBe(404);
    const paused = await a.admin2.patch(`/api/quality/schedules/${s.id}`, { active: false });
    expect(paused.json().active).toBe(false);
  });
});

describe('inspecting', () => {
  it('scores items, records findings as numbered notices with photos, and fixes the score on submit', async () => {
    const insp = await inspection(a);
    const [i1, i2] = insp.items;
    const scored = await a.inspector.client.post(`/api/quality/inspections/${insp.id}/scores`, { items: [{ itemId: i2.id, deducted: 1, note: '轿厢角落有灰' }] });
    expect(scored.statusCode, scored.body).toBe(200);
    expect(scored.json().status).toBe('inProgress');
    const pic = await photo(t, a.inspector.client);
    const notice = await finding(a, insp.id, { itemId: i1.id, deduction: 3, photoFileIds: [pic] });
    expect(notice.no).toMatch(/^ZG\d{4}-\d{6}$/);
    const second = await finding(a, insp.id, { assigneeId: a.guard.id, departmentId: undefined, deduction: 1 });
    expect(Number(second.no.slice(-6))).toBe(Number(notice.no.slice(-6)) + 1);
    const detail = (await a.inspector.client.get(`/api/quality/inspections/${insp.id}`)).json();
    expect(detail.items.map((i: { points: number }) => i.points)).toEqual([7, 9, 5]);
    const submitted = await a.inspector.client.post(`/api/quality/inspections/${insp.id}/submit`, {});
    expect(submitted.statusCode, submitted.body).toBe(200);
    // 25 − 3 (finding on item 1) − 1 (item 2) − 1 (finding on no item) = 20.
    expect(submitted.json()).toMatchObject({ status: 'submitted', score: 20, maxScore: 25, percent: 80, findings: 2, canEdit: false });
    expect((await a.inspector.client.post(`/api/quality/inspections/${insp.id}/submit`, {})).statusCode).toBe(409);
    expect((await a.inspector.client.post(`/api/quality/inspections/${insp.id}/findings`, { description: 'x', departmentId: a.cleaningId, deadlineAt: inDays(1) })).statusCode).toBe(409);
    const n = (await a.head.client.get(`/api/quality/notices/${notice.id}`)).json();
    expect(n.photos).toEqual([{ fileId: pic, stage: 'finding', url: `/api/files/${pic}` }]);
    expect(n.events.map((e: { action: string }) => e.action)).toEqual(['issue']);
    const told = await t.db.selectFrom('notifications').select('title').where('user_id', '=', a.head.id).where('kind', '=', 'quality.notice').execute();
    expect(told.map((x) => x.title)).toContain(`${notice.no} 大堂地面有污渍`);
  });

  it('refuses bad findings naming the field and writes nothing', async () => {
    const insp = await inspection(a);
    const url = `/api/quality/inspections/${insp.id}/findings`;
    const ok = { description: '问题', departmentId: a.cleaningId, deadlineAt: inDays(1) };
    const c = a.inspector.client;
    expectFieldError(await c.post(url, { ...ok, departmentId: undefined }), 'departmentId');
    expectFieldError(await c.post(url, { ...ok, deadlineAt: inDays(-1) }), 'deadlineAt');
    expectFieldError(await c.post(url, { ...ok, departmentId: b.cleaningId }), 'departmentId');
    expectFieldError(await c.post(url, { ...ok, assigneeId: b.cleaner.id }), 'assigneeId');
    expectFieldError(await c.post(url, { ...ok, itemId: insp.items[2].id, deduction: 6 }), 'deduction');
    expectFieldError(await c.post(url, { ...ok, itemId: randomUUID() }), 'itemId');
    expectFieldError(await c.post(url, { ...ok, photoFileIds: [randomUUID()] }), 'photoFileIds');
    expectFieldError(await c.post(url, { ...ok, description: '' }), 'description');
    expectFieldError(await c.post(`/api/quality/inspections/${insp.id}/scores`, { items: [{ itemId: insp.items[2].id, deducted: 6 }] }), 'items.0.deducted');
    const after = (await c.get(`/api/quality/inspections/${insp.id}`)).json();
    expect(after).toMatchObject({ status: 'planned', findings: 0 });
    expect(after.items.every((i: { deducted: number }) => i.deducted === 0)).toBe(true);
  });

  it('a cross-inspection takes an inspector from another community, who sees only that inspection', async () => {
    expectFieldError(await a.admin2.post('/api/quality/inspections', { communityId: a.communityIds[0], templateId: a.templateId, kind: 'cross', plannedOn: today(), inspectorId: a.inspector.id }), 'inspectorId');
    expectFieldError(await a.admin2.post('/api/quality/inspections', { communityId: a.communityIds[0], templateId: a.templateId, kind: 'adhoc', plannedOn: today(), inspectorId: a.crossInspector.id }), 'inspectorId');
    const cross = await inspection(a, { kind: 'cross', inspectorId: a.crossInspector.id, title: '交叉检查' });
    expect(cross).toMatchObject({ kind: 'cross', inspector: { id: a.crossInspector.id } });
    const notice = await finding(a, cross.id, {}, a.crossInspector.client);
    expect((await a.crossInspector.client.get(`/api/quality/notices/${notice.id}`)).statusCode).toBe(200);
    const other = await inspection(a);
    expect((await a.crossInspector.client.get(`/api/quality/inspections/${other.id}`)).statusCode).toBe(404);
  });

  it('another company’s inspection is a 404 for every step', async () => {
    const insp = await inspection(a);
    for (const [method, url, body] of [
      ['GET', `/api/quality/inspections/${insp.id}`, undefined],
      ['POST', `/api/quality/inspections/${insp.id}/scores`, { items: [{ itemId: insp.items[0].id, deducted: 1 }] }],
      ['POST', `/api/quality/inspections/${insp.id}/findings`, { description: 'x', departmentId: b.cleaningId, deadlineAt: inDays(1) }],
      ['POST', `/api/quality/inspections/${insp.id}/submit`, {}],
    ] as const) {
      expect((await b.admin2.request(method, url, body)).statusCode).toBe(404);
    }
    expect((await a.admin2.get(`/api/quality/inspections/${insp.id}`)).json().status).toBe('planned');
  });

  it('orders need quality.manage; a past date or an unknown template is refused', async () => {
    const body = { communityId: a.communityIds[0], templateId: a.templateId, kind: 'adhoc', plannedOn: today(), inspectorId: a.inspector.id };
    expect((await a.cleaner.client.post('/api/quality/inspections', body)).statusCode).toBe(403);
    expectFieldError(await a.admin2.post('/api/quality/inspections', { ...body, plannedOn: '2020-01-01' }), 'plannedOn');
    expectFieldError(await a.admin2.post('/api/quality/inspections', { ...body, templateId: randomUUID() }), 'templateId');
    expectFieldError(await a.admin2.post('/api/quality/inspections', { ...body, kind: 'scheduled' }), 'kind');
  });
});
