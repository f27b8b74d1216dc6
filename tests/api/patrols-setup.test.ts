import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { anonymous, auditRows, expectFieldError } from '../helpers/api.ts';
import { checkpoint, codeOf, type PatrolCompany, patrolCompany, plan, route, today } from '../helpers/patrols.ts';

let t: TestApp;
let a: PatrolCompany;
let b: PatrolCompany;

beforeAll(async () => {
  t = await testApp();
  [a, b] = [await patrolCompany(t), await patrolCompany(t)];
});

const id = randomUUID();
describe('every endpoint needs a session', () => {
  it.each([
    ['GET', '/api/patrol/setup-options'],
    ['GET', '/api/patrol/checkpoints'],
    ['POST', '/api/patrol/checkpoints'],
    ['GET', `/api/patrol/checkpoints/${id}`],
    ['PATCH', `/api/patrol/checkpoints/${id}`],
    ['GET', `/api/patrol/checkpoints/${id}/code`],
    ['GET', `/api/patrol/checkpoints/${id}/label`],
    ['GET', '/api/patrol/labels.pdf'],
    ['GET', '/api/patrol/routes'],
    ['POST', '/api/patrol/routes'],
    ['PATCH', `/api/patrol/routes/${id}`],
    ['GET', '/api/patrol/plans'],
    ['POST', '/api/patrol/plans'],
    ['POST', '/api/patrol/plans/preview'],
    ['PATCH', `/api/patrol/plans/${id}`],
    ['GET', '/api/patrol/tasks'],
    ['POST', '/api/patrol/tasks/generate'],
    ['GET', '/api/patrol/my-tasks'],
    ['GET', '/api/patrol/scan/cp.x.y'],
    ['POST', '/api/patrol/checkins'],
    ['GET', '/api/patrol/checkins'],
    ['GET', '/api/patrol/figures'],
  ] as const)('%s %s → 401', async (method, url) => {
    const res = await anonymous(t.app, method, url, method === 'GET' ? undefined : {});
    expect(res.statusCode).toBe(401);
  });
});

describe('checkpoints', () => {
  it('are numbered per community, carry their checklist, and are audited', async () => {
    const first = await checkpoint(a, { name: '配电房', kind: 'inspection', checklist: [{ label: '配电房温度', answerKind: 'number', minValue: 5, maxValue: 35, unit: '℃' }, { label: '消防栓压力正常', answerKind: 'yesNo' }] });
    const second = await checkpoint(a, { name: '大门岗' });
    expect(second.no).toBe(first.no + 1);
    expect(first.checklist.map((i: { label: string; normalYes: boolean | null; required: boolean }) => [i.label, i.normalYes, i.required])).toEqual([['配电房温度', null, true], ['消防栓压力正常', true, true]]);
    expect(await auditRows(t.db, first.id, 'patrolCheckpoint.create')).toHaveLength(1);
    const list = (await a.admin2.get(`/api/patrol/checkpoints?communityId=${a.communityId}`)).json();
    expect(list.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([first.id, second.id]));
  });

  it('replaces the checklist and retires a checkpoint by PATCH', async () => {
    const cp = await checkpoint(a, { checklist: [{ label: '门锁完好', answerKind: 'yesNo' }] });
    const res = await a.admin2.patch(`/api/patrol/checkpoints/${cp.id}`, { active: false, checklist: [{ label: '照明', answerKind: 'yesNo' }, { label: '备注', answerKind: 'text', required: false }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().active).toBe(false);
    expect(res.json().checklist.map((i: { label: string }) => i.label)).toEqual(['照明', '备注']);
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ kind: 'guard' }, 'kind'],
    [{ communityId: randomUUID() }, 'communityId'],
    [{ buildingId: randomUUID() }, 'buildingId'],
    [{ checklist: [{ label: '温度', answerKind: 'number', minValue: 40, maxValue: 5 }] }, 'checklist.0.maxValue'],
    [{ checklist: [{ label: '门', answerKind: 'yesNo', minValue: 1 }] }, 'checklist.0.minValue'],
  ])('refuses %j naming %s, and changes nothing', async (body, field) => {
    const before = await t.db.selectFrom('patrol_checkpoints').select('id').where('company_id', '=', a.companyId).execute();
    const res = await a.admin2.post('/api/patrol/checkpoints', { communityId: a.communityId, name: '点', kind: 'patrol', ...body });
    expectFieldError(res, field);
    expect(await t.db.selectFrom('patrol_checkpoints').select('id').where('company_id', '=', a.companyId).execute()).toHaveLength(before.length);
  });

  it('another company’s checkpoint is a 404, a community of another company too', async () => {
    const cp = await checkpoint(a);
    for (const url of [`/api/patrol/checkpoints/${cp.id}`, `/api/patrol/checkpoints/${cp.id}/code`, `/api/patrol/checkpoints/${cp.id}/label`]) {
      expect((await b.admin2.get(url)).statusCode).toBe(404);
    }
    expect((await b.admin2.patch(`/api/patrol/checkpoints/${cp.id}`, { name: '改' })).statusCode).toBe(404);
    expect((await b.admin2.get(`/api/patrol/checkpoints?communityId=${a.communityId}`)).statusCode).toBe(404);
    expect((await b.admin2.get(`/api/patrol/labels.pdf?communityId=${a.communityId}`)).statusCode).toBe(404);
  });

  it('a guard may not set checkpoints up', async () => {
    const res = await a.guard.client.post('/api/patrol/checkpoints', { communityId: a.communityId, name: '点', kind: 'patrol' });
    expect(res.statusCode).toBe(403);
  });
});

describe('labels', () => {
  it('carry a signed URL to the phone scan page', async () => {
    const cp = await checkpoint(a, { name: '西侧围墙' });
    const res = await a.admin2.get(`/api/patrol/checkpoints/${cp.id}/code`, { host: 'wy.example.com' });
    expect(res.json().code).toMatch(new RegExp(`^cp\\.${cp.id}\\.[A-Za-z0-9_-]{22}$`));
    expect(res.json().url).toBe(`http://wy.example.com/m/patrol/scan/${res.json().code}`);
  });

  it('come as PNG, SVG and a PDF sheet', async () => {
    const cp = await checkpoint(a, { name: '儿童游乐区' });
    const png = await a.admin2.get(`/api/patrol/checkpoints/${cp.id}/label?format=png`);
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    const svg = await a.admin2.get(`/api/patrol/checkpoints/${cp.id}/label?format=svg`);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toContain('儿童游乐区');
    const pdf = await a.admin2.get(`/api/patrol/labels.pdf?communityId=${a.communityId}&ids=${cp.id}`);
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expectFieldError(await a.admin2.get(`/api/patrol/labels.pdf?communityId=${a.communityId}&ids=${randomUUID()}`), 'ids');
  });
});

describe('routes', () => {
  it('keep their checkpoints in order and can be reordered', async () => {
    const [p1, p2, p3] = [await checkpoint(a), await checkpoint(a), await checkpoint(a)];
    const r = await route(a, [p2.id, p1.id, p3.id], { minutesPerPoint: 5 });
    expect(r.points.map((p: { checkpointId: string }) => p.checkpointId)).toEqual([p2.id, p1.id, p3.id]);
    const res = await a.admin2.patch(`/api/patrol/routes/${r.id}`, { checkpointIds: [p3.id, p2.id] });
    expect(res.json().points.map((p: { checkpointId: string }) => p.checkpointId)).toEqual([p3.id, p2.id]);
    expect((await b.admin2.patch(`/api/patrol/routes/${r.id}`, { name: 'x' })).statusCode).toBe(404);
  });

  it('refuses a checkpoint of another kind, community or company, and duplicates', async () => {
    const patrolPoint = await checkpoint(a);
    const inspection = await checkpoint(a, { kind: 'inspection' });
    const elsewhere = await checkpoint(b);
    const before = await t.db.selectFrom('patrol_routes').select('id').where('company_id', '=', a.companyId).execute();
    for (const ids of [[patrolPoint.id, inspection.id], [elsewhere.id], [patrolPoint.id, patrolPoint.id], []]) {
      expectFieldError(await a.admin2.post('/api/patrol/routes', { communityId: a.communityId, name: '路线X', kind: 'patrol', checkpointIds: ids }), 'checkpointIds');
    }
    expect(await t.db.selectFrom('patrol_routes').select('id').where('company_id', '=', a.companyId).execute()).toHaveLength(before.length);
  });
});

describe('plans', () => {
  let routeId: string;
  beforeAll(async () => {
    routeId = (await route(a, [(await checkpoint(a)).id, (await checkpoint(a)).id], { minutesPerPoint: 10 })).id;
  });
  const body = (extra: Record<string, unknown>) => ({ communityId: a.communityId, name: '白班巡逻', routeId, shiftId: a.dayShift, validFrom: today(), ...extra });

  it('preview shows the round windows; a night plan crosses midnight', async () => {
    const res = await a.admin2.post('/api/patrol/plans/preview', body({ shiftId: a.nightShift, frequency: 'rounds', rounds: 4, peoplePerRound: 2 }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().windows.map((w: { start: string; end: string }) => `${w.start}–${w.end}`)).toEqual(['22:00–00:00', '00:00–02:00', '02:00–04:00', '04:00–06:00']);
  });

  it('saves a plan with its windows, supervisor and people per round', async () => {
    const p = await plan(a, routeId, { shiftId: a.nightShift, frequency: 'rounds', rounds: 4, peoplePerRound: 2, fixedTimes: undefined, windowMinutes: undefined });
    expect(p).toMatchObject({ shiftName: '夜班', peoplePerRound: 2, supervisorId: a.manager.id, frequency: 'rounds', rounds: 4 });
    expect(p.windows).toHaveLength(4);
    const list = (await a.admin2.get(`/api/patrol/plans?communityId=${a.communityId}`)).json();
    expect(list.map((x: { id: string }) => x.id)).toContain(p.id);
    const paused = await a.admin2.patch(`/api/patrol/plans/${p.id}`, { active: false });
    expect(paused.json().active).toBe(false);
    expect((await b.admin2.patch(`/api/patrol/plans/${p.id}`, { active: true })).statusCode).toBe(404);
  });

  it.each([
    ['overlapping windows', { frequency: 'fixed', fixedTimes: ['09:00', '09:30'], windowMinutes: 60 }, 'fixedTimes', '重叠'],
    ['a window outside the shift', { frequency: 'fixed', fixedTimes: ['18:00'], windowMinutes: 30 }, 'fixedTimes', '超出班次'],
    ['zero rounds', { frequency: 'rounds', rounds: 0 }, 'rounds', ''],
    ['a negative interval', { frequency: 'interval', intervalMinutes: -60 }, 'intervalMinutes', ''],
    ['a window too short to walk the route', { frequency: 'fixed', fixedTimes: ['09:00'], windowMinutes: 15 }, 'windowMinutes', '走不完'],
    ['a shift of another community', { frequency: 'rounds', rounds: 2, shiftId: 'other' }, 'shiftId', ''],
    ['an end before the start', { frequency: 'rounds', rounds: 2, validTo: '2020-01-01' }, 'validTo', ''],
  ])('refuses %s with a 400 naming %s, and saves nothing', async (_, extra, field, words) => {
    const shiftId = 'shiftId' in extra ? b.dayShift : a.dayShift;
    const before = await t.db.selectFrom('patrol_plans').select('id').where('company_id', '=', a.companyId).execute();
    for (const url of ['/api/patrol/plans/preview', '/api/patrol/plans']) {
      const res = await a.admin2.post(url, body({ ...extra, shiftId }));
      expectFieldError(res, field);
      expect(res.json().error.message).toContain(words);
    }
    expect(await t.db.selectFrom('patrol_plans').select('id').where('company_id', '=', a.companyId).execute()).toHaveLength(before.length);
  });

  it('setup options list the community’s shifts and supervisors', async () => {
    const res = await a.admin2.get(`/api/patrol/setup-options?communityId=${a.communityId}`);
    expect(res.json().shifts.map((s: { name: string; start: string }) => `${s.name} ${s.start}`)).toEqual(['白班 08:00', '夜班 22:00']);
    expect(res.json().supervisors.map((s: { id: string }) => s.id)).toContain(a.manager.id);
    expect((await b.admin2.get(`/api/patrol/setup-options?communityId=${a.communityId}`)).statusCode).toBe(404);
  });

  it('a code can be read back by the admin of its company only', async () => {
    const cp = await checkpoint(a);
    expect(await codeOf(a, cp.id)).toContain(cp.id);
  });
});
