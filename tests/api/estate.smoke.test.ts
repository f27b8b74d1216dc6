import { beforeAll, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { createCompany, login, type TestCompany } from '../helpers/factories.ts';

let t: TestApp;
let co: TestCompany;
beforeAll(async () => {
  t = await testApp();
  co = await createCompany(t.db);
});

it('smoke: building, rooms, grid, status, parking, divisions', async () => {
  const a = await login(t.app, co.admin.username);
  const div = await a.get('/api/divisions');
  expect(div.statusCode).toBe(200);
  const upd = await a.patch(`/api/communities/${co.communityIds[0]}`, { provinceCode: '320000', cityCode: '320100', districtCode: '320106', landArea: '50000', greenArea: '18000.5', serviceLevel: 'level1' });
  expect(upd.statusCode, upd.body).toBe(200);
  expect(upd.json().divisionLabel).toBe('江苏省 南京市 鼓楼区');
  expect(upd.json().greenRatio).toBe(36);
  const bad = await a.patch(`/api/communities/${co.communityIds[0]}`, { districtCode: '110101' });
  expect(bad.statusCode).toBe(400);
  const b = await a.post('/api/buildings', { communityId: co.communityIds[0], name: '1栋', kind: 'highRise', floorsAbove: 33, floorsBelow: 2, lifts: 2, units: ['1单元', '2单元'] });
  expect(b.statusCode, b.body).toBe(201);
  const unit = b.json().units[0].id;
  const r = await a.post('/api/rooms', { buildingId: b.json().id, unitId: unit, floor: 12, number: '1203', builtArea: '89.5', innerArea: 72 });
  expect(r.statusCode, r.body).toBe(201);
  expect(r.json()).toMatchObject({ label: '1栋-1单元-1203', builtArea: '89.50', innerArea: '72.00', status: 'unsold' });
  const dup = await a.post('/api/rooms', { buildingId: b.json().id, unitId: unit, floor: 12, number: '1203', builtArea: '89.5' });
  expect(dup.statusCode).toBe(409);
  const absurd = await a.post('/api/rooms', { buildingId: b.json().id, unitId: unit, floor: 12, number: '1204', builtArea: '8950' });
  expect(absurd.statusCode).toBe(400);
  expect(absurd.json().error.message).toContain('builtArea');
  const st = await a.post(`/api/rooms/${r.json().id}/status`, { status: 'vacant', reason: '开发商移交' });
  expect(st.statusCode, st.body).toBe(200);
  expect(st.json().history).toHaveLength(2);
  const grid = await a.get(`/api/buildings/${b.json().id}/grid`);
  expect(grid.statusCode, grid.body).toBe(200);
  expect(grid.json().floors).toHaveLength(35);
  expect(grid.json().counts).toEqual({ vacant: 1 });
  const p = await a.post('/api/parking-spaces', { communityId: co.communityIds[0], area: 'under', number: 'b-101' });
  expect(p.statusCode, p.body).toBe(201);
  const list = await a.get(`/api/rooms?buildingId=${b.json().id}`);
  expect(list.json().total).toBe(1);
  const oa = await t.app.inject({ url: '/api/openapi.json' });
  expect(oa.statusCode, oa.body.slice(0, 500)).toBe(200);
});
