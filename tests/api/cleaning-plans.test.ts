import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { createBuilding } from '../helpers/factories.ts';
import { anonymous, auditRows, expectFieldError } from '../helpers/api.ts';
import { area, type CleaningCompany, cleaningCompany, item } from './cleaning-fixtures.ts';
import { verifyCode } from '../../src/core/signed-codes.ts';

let t: TestApp;
let a: CleaningCompany;
let b: CleaningCompany;

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([cleaningCompany(t), cleaningCompany(t)]);
});

const itemCount = (areaId: string) => t.db.selectFrom('cleaning_items').select('id').where('area_id', '=', areaId).execute().then((r) => r.length);

describe('every endpoint needs a session', () => {
  const id = randomUUID();
  it.each([
    ['GET', '/api/cleaning/presets'],
    ['GET', '/api/cleaning/areas'],
    ['POST', '/api/cleaning/areas'],
    ['GET', `/api/cleaning/areas/${id}`],
    ['PATCH', `/api/cleaning/areas/${id}`],
    ['GET', `/api/cleaning/areas/${id}/code`],
    ['POST', '/api/cleaning/items'],
    ['PATCH', `/api/cleaning/items/${id}`],
    ['GET', '/api/cleaning/board'],
    ['GET', '/api/cleaning/tasks'],
    ['GET', '/api/cleaning/my-tasks'],
    ['GET', `/api/cleaning/tasks/${id}`],
    ['POST', `/api/cleaning/tasks/${id}/complete`],
    ['POST', '/api/cleaning/generate'],
    ['GET', '/api/cleaning/figures'],
  ] as const)('%s %s → 401', async (method, url) => {
    const res = await anonymous(t.app, method, url, method === 'GET' ? undefined : {});
    expect(res.statusCode).toBe(401);
  });
});

describe('presets', () => {
  it('offers the usual items of DOMAIN.md in the caller’s language', async () => {
    const zh = (await a.admin2.get('/api/cleaning/presets')).json();
    const bins = zh.find((p: { key: string }) => p.key === 'bins');
    expect(bins).toMatchObject({ name: '垃圾桶清运', frequency: 'daily', times: ['08:00', '15:00'] });
    expect(zh.find((p: { key: string }) => p.key === 'handrails')).toMatchObject({ frequency: 'weekly', weekdays: [2, 5] });
    expect(zh.find((p: { key: string }) => p.key === 'treePruning')).toMatchObject({ frequency: 'yearly', kind: 'greening' });
    const en = (await a.admin2.get('/api/cleaning/presets', { 'accept-language': 'en' })).json();
    expect(en.find((p: { key: string }) => p.key === 'bins').name).toBe('Empty the bins');
  });
});

describe('areas', () => {
  it('creates an area whose post gives its department, lists and reads it, and audits', async () => {
    const building = await createBuilding(t.db, { company: a, communityId: a.communityId });
    const created = await area(a, { name: '1栋大堂', buildingId: building.id, qrRequired: true });
    expect(created).toMatchObject({ name: '1栋大堂', kind: 'cleaning', qrRequired: true, post: { id: a.postId, name: '保洁一组' }, department: { id: a.departmentId }, building: { id: building.id } });
    const list = (await a.admin2.get(`/api/cleaning/areas?communityId=${a.communityId}`)).json();
    expect(list.map((x: { id: string }) => x.id)).toContain(created.id);
    const detail = await a.admin2.get(`/api/cleaning/areas/${created.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().items).toEqual([]);
    expect(await auditRows(t.db, created.id, 'cleaningArea.create')).toHaveLength(1);
  });

  it('refuses bad input naming the field, and stores nothing', async () => {
    const before = await t.db.selectFrom('cleaning_areas').select('id').where('company_id', '=', a.companyId).execute();
    expectFieldError(await a.admin2.post('/api/cleaning/areas', { communityId: a.communityId, kind: 'cleaning' }), 'name');
    expectFieldError(await a.admin2.post('/api/cleaning/areas', { communityId: a.communityId, name: 'x', kind: 'mopping' }), 'kind');
    expectFieldError(await a.admin2.post('/api/cleaning/areas', { communityId: b.communityId, name: 'x', kind: 'cleaning' }), 'communityId');
    expectFieldError(await a.admin2.post('/api/cleaning/areas', { communityId: a.communityId, name: 'x', kind: 'cleaning', postId: b.postId }), 'postId');
    expectFieldError(await a.admin2.post('/api/cleaning/areas', { communityId: a.communityIds[1], name: 'x', kind: 'cleaning', postId: a.postId }), 'postId');
    expectFieldError(await a.admin2.post('/api/cleaning/areas', { communityId: a.communityId, name: 'x', kind: 'cleaning', departmentId: b.departmentId }), 'departmentId');
    const other = await createBuilding(t.db, { company: a, communityId: a.communityIds[1] });
    expectFieldError(await a.admin2.post('/api/cleaning/areas', { communityId: a.communityId, name: 'x', kind: 'cleaning', buildingId: other.id }), 'buildingId');
    const after = await t.db.selectFrom('cleaning_areas').select('id').where('company_id', '=', a.companyId).execute();
    expect(after).toHaveLength(before.length);
  });

  it('refuses a second area of the same name in a community (409)', async () => {
    const first = await area(a);
    const res = await a.admin2.post('/api/cleaning/areas', { communityId: a.communityId, name: first.name, kind: 'cleaning' });
    expect(res.statusCode).toBe(409);
  });

  it('changes and deactivates an area; inactive areas are hidden unless asked for', async () => {
    const x = await area(a);
    const res = await a.admin2.patch(`/api/cleaning/areas/${x.id}`, { name: `${x.name}改`, kind: 'greening', active: false });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'greening', active: false });
    const listed = (await a.admin2.get(`/api/cleaning/areas?communityId=${a.communityId}`)).json().map((r: { id: string }) => r.id);
    expect(listed).not.toContain(x.id);
    const all = (await a.admin2.get(`/api/cleaning/areas?communityId=${a.communityId}&includeInactive=true`)).json().map((r: { id: string }) => r.id);
    expect(all).toContain(x.id);
    expectFieldError(await a.admin2.patch(`/api/cleaning/areas/${x.id}`, { postId: b.postId }), 'postId');
  });

  it('prints a signed QR code for the area', async () => {
    const x = await area(a);
    const res = await a.admin2.get(`/api/cleaning/areas/${x.id}/code`);
    expect(res.statusCode).toBe(200);
    expect(res.json().dataUrl).toMatch(/^data:image\/png;base64,/);
    expect(await verifyCode(t.db, a.companyId, 'ca', res.json().code)).toBe(x.id);
    expect(await verifyCode(t.db, b.companyId, 'ca', res.json().code)).toBeNull();
  });

  it('hides another company’s area (404) and refuses staff without the permission (403)', async () => {
    const x = await area(a);
    for (const url of [`/api/cleaning/areas/${x.id}`, `/api/cleaning/areas/${x.id}/code`]) expect((await b.admin2.get(url)).statusCode).toBe(404);
    expect((await b.admin2.patch(`/api/cleaning/areas/${x.id}`, { name: 'stolen' })).statusCode).toBe(404);
    expect((await b.admin2.get(`/api/cleaning/areas?communityId=${a.communityId}`)).statusCode).toBe(404);
    expect((await a.cleaner.client.post('/api/cleaning/areas', { communityId: a.communityId, name: 'x', kind: 'cleaning' })).statusCode).toBe(403);
    expect((await t.db.selectFrom('cleaning_areas').select('name').where('id', '=', x.id).executeTakeFirstOrThrow()).name).toBe(x.name);
  });
});

describe('work items', () => {
  it('adds bins twice a day and shows it on the area', async () => {
    const x = await area(a);
    const created = await item(a, x.id, { preset: 'bins', photoRequired: true, standard: '日产日清' });
    expect(created).toMatchObject({ frequency: 'daily', times: ['08:00', '15:00'], windowMinutes: 120, photoRequired: true, standard: '日产日清', preset: 'bins' });
    const detail = (await a.admin2.get(`/api/cleaning/areas/${x.id}`)).json();
    expect(detail.items.map((i: { id: string }) => i.id)).toEqual([created.id]);
    expect(detail.itemCount).toBe(1);
    expect(await auditRows(t.db, created.id, 'cleaningItem.create')).toHaveLength(1);
  });

  it('handrails twice a week, monthly light covers, yearly pruning with a shift', async () => {
    const x = await area(a);
    expect(await item(a, x.id, { name: '扶手', frequency: 'weekly', weekdays: [5, 2], times: ['10:00'], windowMinutes: 240 })).toMatchObject({ weekdays: [2, 5] });
    expect(await item(a, x.id, { name: '灯罩', frequency: 'monthly', monthDay: 31, times: ['09:00'], windowMinutes: 480 })).toMatchObject({ monthDay: 31, month: null });
    expect(await item(a, x.id, { name: '修剪', frequency: 'yearly', month: 3, monthDay: 15, times: ['08:00'], windowMinutes: 600, shiftId: a.earlyShiftId })).toMatchObject({ month: 3, shift: { id: a.earlyShiftId, name: '早班' } });
  });

  it.each([
    ['zero frequency (no times)', { times: [] }, 'times'],
    ['a bad time', { times: ['8:00'] }, 'times.0'],
    ['overlapping slots', { times: ['08:00', '09:00'], windowMinutes: 120 }, 'times'],
    ['times out of order', { times: ['15:00', '08:00'] }, 'times'],
    ['a window past the next day', { times: ['08:00'], windowMinutes: 1500 }, 'windowMinutes'],
    ['a tiny window', { windowMinutes: 5 }, 'windowMinutes'],
    ['weekly without weekdays', { frequency: 'weekly', times: ['10:00'] }, 'weekdays'],
    ['a weekday 0', { frequency: 'weekly', times: ['10:00'], weekdays: [0] }, 'weekdays.0'],
    ['monthly without a day', { frequency: 'monthly', times: ['10:00'] }, 'monthDay'],
    ['yearly on 31 April', { frequency: 'yearly', times: ['10:00'], month: 4, monthDay: 31 }, 'monthDay'],
    ['an unknown frequency', { frequency: 'fortnightly' }, 'frequency'],
    ['no name', { name: '' }, 'name'],
  ])('refuses %s naming %s, storing nothing', async (_name, body, field) => {
    const x = await area(a);
    expectFieldError(await a.admin2.post('/api/cleaning/items', { areaId: x.id, name: '垃圾桶清运', frequency: 'daily', times: ['08:00', '15:00'], windowMinutes: 120, ...body }), field);
    expect(await itemCount(x.id)).toBe(0);
  });

  it('refuses another community’s shift and another company’s area', async () => {
    const x = await area(a);
    expectFieldError(await a.admin2.post('/api/cleaning/items', { areaId: x.id, name: 'n', frequency: 'daily', times: ['08:00'], windowMinutes: 60, shiftId: b.earlyShiftId }), 'shiftId');
    expectFieldError(await b.admin2.post('/api/cleaning/items', { areaId: x.id, name: 'n', frequency: 'daily', times: ['08:00'], windowMinutes: 60 }), 'areaId');
    expect(await itemCount(x.id)).toBe(0);
  });

  it('changes an item’s schedule, revalidating the whole schedule; another company gets 404', async () => {
    const x = await area(a);
    const i = await item(a, x.id);
    const res = await a.admin2.patch(`/api/cleaning/items/${i.id}`, { frequency: 'weekly', weekdays: [1], times: ['09:00'] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ frequency: 'weekly', weekdays: [1], times: ['09:00'] });
    expectFieldError(await a.admin2.patch(`/api/cleaning/items/${i.id}`, { times: ['09:00', '09:30'] }), 'times');
    expectFieldError(await a.admin2.patch(`/api/cleaning/items/${i.id}`, { frequency: 'monthly' }), 'monthDay');
    expect((await b.admin2.patch(`/api/cleaning/items/${i.id}`, { name: 'x' })).statusCode).toBe(404);
    const row = await t.db.selectFrom('cleaning_items').select(['frequency', 'times', 'name']).where('id', '=', i.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ frequency: 'weekly', times: ['09:00'], name: '垃圾桶清运' });
    expect((await a.admin2.patch(`/api/cleaning/items/${i.id}`, { active: false })).json().active).toBe(false);
  });
});
