import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import {
  type Client,
  companyRows,
  createBuilding,
  createCompany,
  createParkingSpace,
  createRoom,
  createRooms,
  createStaffUser,
  auditedInSameTransaction,
  login,
  type TestBuilding,
  type TestCompany,
  type TestRoom,
  unique,
} from '../helpers/factories.ts';
import { anonymous, auditRows, expectFieldError, fieldsOf, sessionAs } from '../helpers/api.ts';

/**
 * Estate API: community details with divisions, phases, zones, common parts, buildings and units, the floor grid,
 * rooms with status history and transitions, parking spaces. Company A has two communities; company B is the
 * outsider. Every refused write is checked to have changed nothing.
 */

let t: TestApp;
let a: TestCompany;
let b: TestCompany;
let adminA: Client;
let adminB: Client;
/** Built-in 'cleaner': no estate.read. */
let cleaner: Client;
/** Built-in 'service': estate.read but no estate.manage (nor community.manage). */
let service: Client;
/** A project manager (estate.manage) assigned to community 1 only. */
let scoped: Client;

interface Fixtures {
  community: string;
  building: TestBuilding;
  room: TestRoom;
  zone: string;
  space: string;
}
/** One set of records in each of company A's two communities. */
let f1: Fixtures;
let f2: Fixtures;

const ESTATE_TABLES = ['phases', 'zones', 'common_parts', 'buildings', 'building_units', 'rooms', 'room_status_history', 'parking_spaces', 'audit_log'];
const stateOfA = () => companyRows(t.db, a.companyId, ESTATE_TABLES);

async function fixtures(communityId: string): Promise<Fixtures> {
  const building = await createBuilding(t.db, { company: a, communityId, units: ['1单元', '2单元'], floorsAbove: 18, floorsBelow: 1 });
  const room = await createRoom(t.db, { building, floor: 5, number: '501', status: 'vacant' });
  const zone = await t.db.insertInto('zones').values({ company_id: a.companyId, community_id: communityId, name: unique('片区') }).returning('id').executeTakeFirstOrThrow();
  const space = await createParkingSpace(t.db, { company: a, communityId });
  return { community: communityId, building, room, zone: zone.id, space: space.id };
}

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([createCompany(t.db), createCompany(t.db)]);
  f1 = await fixtures(a.communityIds[0]);
  f2 = await fixtures(a.communityIds[1]);
  const [cl, sv, mg] = await Promise.all([
    createStaffUser(t.db, a, { role: 'cleaner' }),
    createStaffUser(t.db, a, { role: 'service' }),
    createStaffUser(t.db, a, { role: 'manager', communityIds: [a.communityIds[0]] }),
  ]);
  [adminA, adminB, cleaner, service, scoped] = await Promise.all([
    login(t.app, a.admin.username),
    login(t.app, b.admin.username),
    sessionAs(t.app, t.db, cl.id),
    sessionAs(t.app, t.db, sv.id),
    sessionAs(t.app, t.db, mg.id),
  ]);
});

interface Req {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  body?: unknown;
}
const send = (c: Client, r: Req) => c.request(r.method, r.url, r.method === 'GET' ? undefined : (r.body ?? {}));

/** Requests on one existing record, each with a body that would succeed for someone allowed to see it. */
const recordRequests = (f: Fixtures): Req[] => [
  { method: 'GET', url: `/api/buildings/${f.building.id}` },
  { method: 'PATCH', url: `/api/buildings/${f.building.id}`, body: { name: '被改名的楼' } },
  { method: 'POST', url: `/api/buildings/${f.building.id}/units`, body: { name: '9单元' } },
  { method: 'GET', url: `/api/buildings/${f.building.id}/grid` },
  { method: 'GET', url: `/api/rooms/${f.room.id}` },
  { method: 'PATCH', url: `/api/rooms/${f.room.id}`, body: { builtArea: 120 } },
  { method: 'POST', url: `/api/rooms/${f.room.id}/status`, body: { status: 'delivered', reason: '交房' } },
  { method: 'PATCH', url: `/api/zones/${f.zone}`, body: { name: '被改名的片区' } },
  { method: 'PATCH', url: `/api/parking-spaces/${f.space}`, body: { number: 'HACK-1' } },
];

/** Creations that point at a community or building through the body. */
const createRequests = (f: Fixtures): Array<Req & { field: string }> => [
  { method: 'POST', url: '/api/phases', body: { communityId: f.community, name: '外来一期' }, field: 'communityId' },
  { method: 'POST', url: '/api/zones', body: { communityId: f.community, name: '外来片区' }, field: 'communityId' },
  { method: 'POST', url: '/api/common-parts', body: { communityId: f.community, name: '外来电梯', kind: 'lift' }, field: 'communityId' },
  { method: 'POST', url: '/api/buildings', body: { communityId: f.community, name: '外来楼', kind: 'villa', floorsAbove: 3 }, field: 'communityId' },
  { method: 'POST', url: '/api/rooms', body: { buildingId: f.building.id, floor: 2, number: '201', builtArea: 90 }, field: 'buildingId' },
  { method: 'POST', url: '/api/parking-spaces', body: { communityId: f.community, area: 'under', number: 'X-1' }, field: 'communityId' },
];

const listUrls = (communityId: string) =>
  ['/api/phases', '/api/zones', '/api/common-parts', '/api/buildings', '/api/rooms', '/api/parking-spaces'].map((u) => `${u}?communityId=${communityId}`);

describe('every estate endpoint needs a session', () => {
  const id = randomUUID();
  it.each([
    ['GET', '/api/phases'],
    ['POST', '/api/phases'],
    ['GET', '/api/zones'],
    ['POST', '/api/zones'],
    ['PATCH', `/api/zones/${id}`],
    ['GET', '/api/common-parts'],
    ['POST', '/api/common-parts'],
    ['GET', '/api/buildings'],
    ['POST', '/api/buildings'],
    ['GET', `/api/buildings/${id}`],
    ['PATCH', `/api/buildings/${id}`],
    ['POST', `/api/buildings/${id}/units`],
    ['GET', `/api/buildings/${id}/grid`],
    ['GET', '/api/rooms'],
    ['POST', '/api/rooms'],
    ['GET', `/api/rooms/${id}`],
    ['PATCH', `/api/rooms/${id}`],
    ['POST', `/api/rooms/${id}/status`],
    ['GET', '/api/parking-spaces'],
    ['POST', '/api/parking-spaces'],
    ['PATCH', `/api/parking-spaces/${id}`],
    ['GET', '/api/divisions'],
    ['GET', '/api/communities'],
    ['POST', '/api/communities'],
    ['GET', `/api/communities/${id}`],
    ['PATCH', `/api/communities/${id}`],
  ] as const)('%s %s → 401', async (method, url) => {
    const res = await anonymous(t.app, method, url, method === 'GET' ? undefined : {});
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('permissions', () => {
  it("refuses every read to a role without estate.read ('cleaner')", async () => {
    const reads = [...listUrls(f1.community).map((url): Req => ({ method: 'GET', url })), ...recordRequests(f1).filter((r) => r.method === 'GET')];
    for (const r of reads) {
      const res = await send(cleaner, r);
      expect(res.statusCode, r.url).toBe(403);
      expect(res.json().error.details.permission, r.url).toBe('estate.read');
    }
  });

  it("refuses every write to a role without estate.manage ('service'), changing nothing", async () => {
    const before = await stateOfA();
    const writes = [...recordRequests(f1).filter((r) => r.method !== 'GET'), ...createRequests(f1)];
    for (const r of writes) {
      const res = await send(service, r);
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
      expect(res.json().error.details.permission).toBe('estate.manage');
    }
    expect((await service.patch(`/api/communities/${f1.community}`, { landArea: 100 })).json().error.details.permission).toBe('community.manage');
    expect(await stateOfA()).toEqual(before);
    // The same role may read.
    expect((await service.get(`/api/rooms/${f1.room.id}`)).statusCode).toBe(200);
  });
});

describe("another company's records", () => {
  it('are 404 on every record endpoint, in both communities, with no data in the body and nothing changed', async () => {
    const before = await stateOfA();
    for (const f of [f1, f2]) {
      for (const r of recordRequests(f)) {
        const res = await send(adminB, r);
        expect(res.statusCode, `${r.method} ${r.url}`).toBe(404);
        expect(res.json().error.code).toBe('NOT_FOUND');
        for (const secret of [f.building.name, f.room.id, f.building.id, a.code, f.community]) expect(res.body).not.toContain(secret);
      }
    }
    expect(await stateOfA()).toEqual(before);
  });

  it('cannot be the parent of a new record: 400 naming the field, nothing created', async () => {
    const before = await stateOfA();
    for (const r of createRequests(f1)) {
      const res = await send(adminB, r);
      expectFieldError(res, r.field);
      expect(res.body).not.toContain(f1.building.name);
    }
    expect(await stateOfA()).toEqual(before);
    expect(await t.db.selectFrom('buildings').select('id').where('company_id', '=', b.companyId).execute()).toEqual([]);
  });

  it('never appear in lists, even when filtered by their community', async () => {
    for (const url of listUrls(f1.community)) {
      const res = await adminB.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.json().items, url).toEqual([]);
    }
    expect((await adminB.get('/api/rooms?pageSize=200')).json().items.map((r: { id: string }) => r.id)).not.toContain(f1.room.id);
  });
});

describe('a staff member assigned to community 1 only', () => {
  it("gets 404 for community 2's records and changes nothing", async () => {
    const before = await stateOfA();
    for (const r of recordRequests(f2)) {
      const res = await send(scoped, r);
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(404);
      expect(res.body).not.toContain(f2.building.name);
    }
    expect((await scoped.get(`/api/communities/${f2.community}`)).statusCode).toBe(404);
    expect((await scoped.patch(`/api/communities/${f2.community}`, { landArea: 100 })).statusCode).toBe(404);
    for (const r of createRequests(f2)) expectFieldError(await send(scoped, r), r.field);
    expect(await stateOfA()).toEqual(before);
  });

  it('sees only community 1 in every list, and may work there', async () => {
    const rooms = (await scoped.get('/api/rooms?pageSize=200')).json().items.map((r: { id: string }) => r.id);
    expect(rooms).toContain(f1.room.id);
    expect(rooms).not.toContain(f2.room.id);
    for (const url of ['/api/buildings', '/api/zones', '/api/parking-spaces']) {
      const body = (await scoped.get(url)).json();
      const communities = new Set(body.items.map((i: { communityId: string }) => i.communityId));
      expect([...communities], url).toEqual([f1.community]);
    }
    expect((await scoped.get(`/api/buildings?communityId=${f2.community}`)).json()).toMatchObject({ items: [], total: 0 });
    expect((await scoped.get(`/api/buildings/${f1.building.id}`)).statusCode).toBe(200);
  });
});

describe('malformed ids and query fields', () => {
  it.each([
    ['GET', '/api/zones?communityId=1', 'communityId'],
    ['GET', '/api/common-parts?communityId=1', 'communityId'],
    ['GET', '/api/buildings?communityId=1', 'communityId'],
    ['GET', `/api/buildings?q=${'x'.repeat(41)}`, 'q'],
    ['GET', '/api/buildings/12', 'id'],
    ['GET', '/api/buildings/12/grid', 'id'],
    ['GET', '/api/rooms?buildingId=1', 'buildingId'],
    ['GET', '/api/rooms?kind=villa', 'kind'],
    ['GET', '/api/parking-spaces?mode=sold', 'mode'],
    ['GET', '/api/communities/12', 'id'],
    ['GET', '/api/communities?pageSize=0', 'pageSize'],
    ['PATCH', '/api/zones/1', 'id'],
    ['PATCH', '/api/buildings/1', 'id'],
    ['POST', '/api/buildings/1/units', 'id'],
    ['PATCH', '/api/rooms/1', 'id'],
    ['POST', '/api/rooms/1/status', 'id'],
    ['PATCH', '/api/parking-spaces/1', 'id'],
    ['PATCH', '/api/communities/1', 'id'],
  ] as const)('%s %s → 400 naming %s', async (method, url, field) => {
    expectFieldError(await adminA.request(method, url, method === 'GET' ? undefined : {}), field);
  });

  it('the OpenAPI document describes the estate endpoints', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/buildings/{id}/grid', '/api/rooms/{id}/status', '/api/divisions', '/api/parking-spaces/{id}']));
  });
});

describe('GET /api/divisions', () => {
  it('returns the GB/T 2260 tree: 江苏省 → 南京市 → 鼓楼区, and a municipality with districts directly under it', async () => {
    const res = await cleaner.get('/api/divisions');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('private, max-age=86400');
    const items = res.json().items as Array<{ code: string; name: string; children?: Array<{ code: string; name: string; children?: Array<{ code: string; name: string }> }> }>;
    expect(items.length).toBe(34);
    const jiangsu = items.find((p) => p.code === '320000')!;
    expect(jiangsu.name).toBe('江苏省');
    const nanjing = jiangsu.children!.find((c) => c.code === '320100')!;
    expect(nanjing.name).toBe('南京市');
    expect(nanjing.children).toContainEqual({ code: '320106', name: '鼓楼区' });
    const beijing = items.find((p) => p.code === '110000')!;
    expect(beijing.children).toContainEqual({ code: '110101', name: '东城区' });
  });
});

describe('community details (divisions, areas, levels)', () => {
  it('PATCH stores the division codes and areas, derives the label and 绿化率, and audits before and after', async () => {
    const res = await adminA.patch(`/api/communities/${f1.community}`, {
      provinceCode: '320000',
      cityCode: '320100',
      districtCode: '320106',
      landArea: '50000',
      buildingArea: 120000.5,
      greenArea: '18000.5',
      serviceLevel: 'level1',
      managementMode: 'professional',
      communityType: 'commercial',
      enclosed: false,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ divisionLabel: '江苏省 南京市 鼓楼区', districtCode: '320106', landArea: '50000.00', buildingArea: '120000.50', greenArea: '18000.50', greenRatio: 36, serviceLevel: 'level1', enclosed: false });
    const row = await t.db.selectFrom('communities').selectAll().where('id', '=', f1.community).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ province_code: '320000', city_code: '320100', district_code: '320106', land_area: '50000.00', green_area: '18000.50', service_level: 'level1', management_mode: 'professional', community_type: 'commercial', enclosed: false });
    const audits = await auditRows(t.db, f1.community, 'community.update');
    expect(audits.at(-1)).toMatchObject({ actor_id: a.admin.id, before: { district_code: null, enclosed: true }, after: { district_code: '320106', enclosed: false } });
    // A municipality: the district sits right under the province.
    const bj = await adminA.patch(`/api/communities/${f2.community}`, { provinceCode: '110000', cityCode: null, districtCode: '110101' });
    expect(bj.statusCode, bj.body).toBe(200);
    expect(bj.json().divisionLabel).toBe('北京市 东城区');
  });

  it('POST accepts the same details', async () => {
    const res = await adminA.post('/api/communities', { name: unique('鼓楼花园'), code: unique('GL').replace(/[^A-Za-z0-9]/g, '').slice(0, 30), provinceCode: '320000', cityCode: '320100', districtCode: '320102', landArea: 1000, greenArea: 333.33 });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ divisionLabel: '江苏省 南京市 玄武区', greenRatio: 33.3 });
  });

  it.each([
    ['districtCode', { provinceCode: '320000', cityCode: '320100', districtCode: '110101' }],
    ['districtCode', { districtCode: '320206' }], // a Wuxi district under the stored city 南京市
    ['cityCode', { provinceCode: '320000', cityCode: '330100', districtCode: null }],
    ['provinceCode', { provinceCode: '320100', cityCode: null, districtCode: null }],
    ['provinceCode', { provinceCode: '999999' }],
    ['districtCode', { districtCode: '32010' }],
    ['greenArea', { greenArea: 50001 }],
    ['landArea', { landArea: 0 }],
    ['landArea', { landArea: '12.345' }],
    ['serviceLevel', { serviceLevel: 'level4' }],
    ['managementMode', { managementMode: 'none' }],
    ['communityType', { communityType: 'castle' }],
    ['enclosed', { enclosed: 'yes' }],
  ])('PATCH answers 400 naming %s and changes nothing (%j)', async (field, body) => {
    const before = await t.db.selectFrom('communities').selectAll().where('id', '=', f1.community).executeTakeFirstOrThrow();
    const audits = (await auditRows(t.db, f1.community)).length;
    expectFieldError(await adminA.patch(`/api/communities/${f1.community}`, body), field);
    expect(await t.db.selectFrom('communities').selectAll().where('id', '=', f1.community).executeTakeFirstOrThrow()).toEqual(before);
    expect(await auditRows(t.db, f1.community)).toHaveLength(audits);
  });

  it('POST answers 400 naming districtCode for a district not under the city, creating nothing', async () => {
    const name = unique('错区');
    expectFieldError(await adminA.post('/api/communities', { name, code: 'BADDIV', provinceCode: '320000', cityCode: '320100', districtCode: '320206' }), 'districtCode');
    expect(await t.db.selectFrom('communities').select('id').where('name', '=', name).execute()).toEqual([]);
  });
});

describe('phases', () => {
  it('POST creates a phase or group with an audit row; GET lists it by community', async () => {
    const name = unique('一期');
    const res = await adminA.post('/api/phases', { communityId: f1.community, name });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ id: expect.any(String), communityId: f1.community, name, kind: 'phase' });
    const row = await t.db.selectFrom('phases').selectAll().where('id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ company_id: a.companyId, community_id: f1.community, name, kind: 'phase' });
    const [audit] = await auditRows(t.db, res.json().id, 'phase.create');
    expect(audit).toMatchObject({ company_id: a.companyId, actor_id: a.admin.id, entity_type: 'phase', after: { name, kind: 'phase' }, request_id: res.headers['x-request-id'] });
    expect(await auditedInSameTransaction(t.db, audit.id, 'phases', res.json().id)).toBe(true);
    const group = await adminA.post('/api/phases', { communityId: f1.community, name: unique('组团'), kind: 'group' });
    expect(group.json().kind).toBe('group');
    const list = (await adminA.get(`/api/phases?communityId=${f1.community}`)).json().items.map((p: { id: string }) => p.id);
    expect(list).toEqual(expect.arrayContaining([res.json().id, group.json().id]));
    expect((await adminA.get(`/api/phases?communityId=${f2.community}`)).json().items.map((p: { id: string }) => p.id)).not.toContain(res.json().id);
  });

  it('refuses a duplicate name with 409 naming name, and bad input with 400', async () => {
    const name = unique('二期');
    await adminA.post('/api/phases', { communityId: f1.community, name });
    const before = await stateOfA();
    const dup = await adminA.post('/api/phases', { communityId: f1.community, name });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details.field).toBe('name');
    expectFieldError(await adminA.post('/api/phases', { communityId: f1.community, name: '三期', kind: 'stage' }), 'kind');
    expectFieldError(await adminA.post('/api/phases', { communityId: f1.community, name: '' }), 'name');
    expectFieldError(await adminA.post('/api/phases', { communityId: 'c1', name: '三期' }), 'communityId');
    expectFieldError(await adminA.get('/api/phases?communityId=nope'), 'communityId');
    expect(await stateOfA()).toEqual(before);
  });
});

describe('zones', () => {
  it('POST creates a zone with a responsible staff member; PATCH renames it and clears the person, audited', async () => {
    const keeper = await createStaffUser(t.db, a, { role: 'security' });
    const name = unique('东区');
    const res = await adminA.post('/api/zones', { communityId: f1.community, name, responsibleUserId: keeper.id, note: '含 1-6 栋' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ communityId: f1.community, name, responsibleUserId: keeper.id, responsibleName: `员工${keeper.username.slice(-4)}`, note: '含 1-6 栋' });
    const id = res.json().id;
    expect(await auditRows(t.db, id, 'zone.create')).toHaveLength(1);
    const renamed = unique('西区');
    const upd = await adminA.patch(`/api/zones/${id}`, { name: renamed, responsibleUserId: null, note: null });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json()).toMatchObject({ id, name: renamed, responsibleUserId: null, responsibleName: null, note: null });
    expect(await t.db.selectFrom('zones').select(['name', 'responsible_user_id', 'note']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ name: renamed, responsible_user_id: null, note: null });
    const [audit] = await auditRows(t.db, id, 'zone.update');
    expect(audit).toMatchObject({ actor_id: a.admin.id, before: { name, responsible_user_id: keeper.id }, after: { name: renamed, responsible_user_id: null } });
    const list = (await adminA.get(`/api/zones?communityId=${f1.community}`)).json().items;
    expect(list.find((z: { id: string }) => z.id === id)).toMatchObject({ name: renamed });
  });

  it("refuses another company's staff as responsible, a duplicate name, and bad fields, changing nothing", async () => {
    const existing = await t.db.selectFrom('zones').select('name').where('id', '=', f1.zone).executeTakeFirstOrThrow();
    const before = await stateOfA();
    expectFieldError(await adminA.post('/api/zones', { communityId: f1.community, name: unique('北区'), responsibleUserId: b.admin.id }), 'responsibleUserId');
    expectFieldError(await adminA.patch(`/api/zones/${f1.zone}`, { responsibleUserId: b.admin.id }), 'responsibleUserId');
    const dup = await adminA.post('/api/zones', { communityId: f1.community, name: existing.name });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details.field).toBe('name');
    expectFieldError(await adminA.patch(`/api/zones/${f1.zone}`, { name: 'x'.repeat(41) }), 'name');
    expectFieldError(await adminA.patch(`/api/zones/${f1.zone}`, { colour: 'red' }), 'colour');
    expectFieldError(await adminA.patch('/api/zones/zone-1', { name: '甲' }), 'id');
    expect(await stateOfA()).toEqual(before);
  });
});

describe('common parts', () => {
  it('POST creates a common part in a zone and building of the community, audited; GET lists it', async () => {
    const name = unique('1号电梯');
    const res = await adminA.post('/api/common-parts', { communityId: f1.community, zoneId: f1.zone, buildingId: f1.building.id, name, kind: 'lift', location: '1单元大堂', responsibleUserId: a.admin.id });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ communityId: f1.community, zoneId: f1.zone, buildingId: f1.building.id, name, kind: 'lift', location: '1单元大堂', responsibleName: '测试管理员' });
    expect(await t.db.selectFrom('common_parts').select(['company_id', 'name']).where('id', '=', res.json().id).executeTakeFirstOrThrow()).toEqual({ company_id: a.companyId, name });
    expect(await auditRows(t.db, res.json().id, 'commonPart.create')).toHaveLength(1);
    const list = (await adminA.get(`/api/common-parts?communityId=${f1.community}`)).json().items.map((p: { id: string }) => p.id);
    expect(list).toContain(res.json().id);
  });

  it('refuses a zone or building of another community with 400 naming the field, changing nothing', async () => {
    const before = await stateOfA();
    expectFieldError(await adminA.post('/api/common-parts', { communityId: f1.community, zoneId: f2.zone, name: unique('水泵房'), kind: 'pump' }), 'zoneId');
    expectFieldError(await adminA.post('/api/common-parts', { communityId: f1.community, buildingId: f2.building.id, name: unique('水泵房'), kind: 'pump' }), 'buildingId');
    expectFieldError(await adminA.post('/api/common-parts', { communityId: f1.community, name: unique('水泵房') }), 'kind');
    expect(await stateOfA()).toEqual(before);
  });
});

describe('buildings and units', () => {
  it('POST creates a building with its unit entrances, audited', async () => {
    const name = unique('楼');
    const res = await adminA.post('/api/buildings', { communityId: f1.community, name, kind: 'highRise', floorsAbove: 33, floorsBelow: 2, lifts: 4, units: ['1单元', '2单元'] });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ communityId: f1.community, name, kind: 'highRise', floorsAbove: 33, floorsBelow: 2, lifts: 4, roomCount: 0, phaseId: null });
    expect(body.units.map((u: { name: string; sortOrder: number }) => [u.name, u.sortOrder])).toEqual([['1单元', 1], ['2单元', 2]]);
    expect(await t.db.selectFrom('buildings').select(['company_id', 'floors_above', 'floors_below']).where('id', '=', body.id).executeTakeFirstOrThrow()).toEqual({ company_id: a.companyId, floors_above: 33, floors_below: 2 });
    expect(await t.db.selectFrom('building_units').select('name').where('building_id', '=', body.id).orderBy('sort_order').execute()).toEqual([{ name: '1单元' }, { name: '2单元' }]);
    const [audit] = await auditRows(t.db, body.id, 'building.create');
    expect(audit).toMatchObject({ actor_id: a.admin.id, company_id: a.companyId, after: { name, units: ['1单元', '2单元'] }, request_id: res.headers['x-request-id'] });
    expect(await auditedInSameTransaction(t.db, audit.id, 'buildings', body.id)).toBe(true);
    // The same name is fine in another community.
    expect((await adminA.post('/api/buildings', { communityId: f2.community, name, kind: 'villa', floorsAbove: 3 })).statusCode).toBe(201);
  });

  it.each([
    ['floorsAbove', { floorsAbove: 0 }],
    ['floorsAbove', { floorsAbove: 201 }],
    ['floorsBelow', { floorsBelow: 21 }],
    ['lifts', { lifts: -1 }],
    ['kind', { kind: 'tower' }],
    ['units', { units: ['1单元', '1单元'] }],
    ['units.0', { units: [''] }],
    ['name', { name: '' }],
    ['phaseId', { phaseId: randomUUID() }],
    ['zoneId', { zoneId: 'f2' }],
  ])('POST answers 400 naming %s and creates nothing (%j)', async (field, patch) => {
    const before = await stateOfA();
    const body: Record<string, unknown> = { communityId: f1.community, name: unique('坏楼'), kind: 'multiStorey', floorsAbove: 6, ...patch };
    if (field === 'zoneId') body.zoneId = f2.zone; // a zone of the other community
    expectFieldError(await adminA.post('/api/buildings', body), field);
    expect(await stateOfA()).toEqual(before);
  });

  it('POST refuses a duplicate name in the community with 409 naming name', async () => {
    const before = await stateOfA();
    const res = await adminA.post('/api/buildings', { communityId: f1.community, name: f1.building.name, kind: 'highRise', floorsAbove: 10 });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.field).toBe('name');
    expect(res.json().error.message).toContain(f1.building.name);
    expect(await stateOfA()).toEqual(before);
  });

  it('GET lists buildings by community and name with pagination; GET /:id counts rooms', async () => {
    const c = await createCompany(t.db, { communities: 1 });
    const admin = await sessionAs(t.app, t.db, c.admin.id);
    for (const name of ['3栋', '1栋', '2栋', '10栋']) await createBuilding(t.db, { company: c, name });
    const page1 = (await admin.get('/api/buildings?pageSize=3')).json();
    expect(page1.total).toBe(4);
    expect(page1.items.map((x: { name: string }) => x.name)).toEqual(['1栋', '2栋', '3栋']);
    const page2 = (await admin.get('/api/buildings?pageSize=3&page=2')).json();
    expect(page2.items.map((x: { name: string }) => x.name)).toEqual(['10栋']);
    expect((await admin.get(`/api/buildings?q=${encodeURIComponent('10')}`)).json().items.map((x: { name: string }) => x.name)).toEqual(['10栋']);
    expectFieldError(await admin.get('/api/buildings?pageSize=0'), 'pageSize');
    const one = await adminA.get(`/api/buildings/${f1.building.id}`);
    expect(one.json()).toMatchObject({ id: f1.building.id, name: f1.building.name, roomCount: 1, floorsAbove: 18 });
  });

  it('PATCH renames and resizes, audited; shrinking below an existing room is 400 naming floorsAbove', async () => {
    const building = await createBuilding(t.db, { company: a, communityId: f1.community, floorsAbove: 10 });
    await createRoom(t.db, { building, floor: 9, number: '901' });
    const name = unique('新名楼');
    const res = await adminA.patch(`/api/buildings/${building.id}`, { name, floorsAbove: 11, lifts: 3, kind: 'midRise' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name, floorsAbove: 11, lifts: 3, kind: 'midRise', roomCount: 1 });
    const [audit] = await auditRows(t.db, building.id, 'building.update');
    expect(audit).toMatchObject({ before: { name: building.name, floors_above: 10 }, after: { name, floors_above: 11 } });
    const before = await stateOfA();
    const shrink = await adminA.patch(`/api/buildings/${building.id}`, { floorsAbove: 8 });
    expectFieldError(shrink, 'floorsAbove');
    expect(shrink.json().error.message).toContain('9');
    expectFieldError(await adminA.patch(`/api/buildings/${building.id}`, { floorsBelow: -1 }), 'floorsBelow');
    const dup = await adminA.patch(`/api/buildings/${building.id}`, { name: f1.building.name });
    expect(dup.statusCode).toBe(409);
    expect(await stateOfA()).toEqual(before);
  });

  it('POST /:id/units adds an entrance at the end, audited; a duplicate is 409 naming name', async () => {
    const building = await createBuilding(t.db, { company: a, communityId: f1.community, units: ['1单元', '2单元'] });
    const res = await adminA.post(`/api/buildings/${building.id}/units`, { name: '3单元' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().units.map((u: { name: string; sortOrder: number }) => [u.name, u.sortOrder])).toEqual([['1单元', 1], ['2单元', 2], ['3单元', 3]]);
    expect(await auditRows(t.db, building.id, 'building.addUnit')).toHaveLength(1);
    const before = await stateOfA();
    const dup = await adminA.post(`/api/buildings/${building.id}/units`, { name: '2单元' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details.field).toBe('name');
    expectFieldError(await adminA.post(`/api/buildings/${building.id}/units`, {}), 'name');
    expect(await stateOfA()).toEqual(before);
  });

  it('GET /:id/grid lays out a 33-floor tower with 8 rooms per floor top-down, with counts by status', async () => {
    const tower = await createBuilding(t.db, { company: a, communityId: f1.community, name: unique('塔楼'), floorsAbove: 33, floorsBelow: 2, units: ['1单元', '2单元'] });
    const rooms: Array<{ floor: number; number: string; unitId: string; status: 'occupied' | 'rented' | 'unsold' }> = [];
    for (let floor = 1; floor <= 33; floor++) {
      const status = floor > 20 ? 'occupied' : floor > 10 ? 'rented' : 'unsold';
      for (let k = 1; k <= 8; k++) rooms.push({ floor, number: `${floor}${String(k).padStart(2, '0')}`, unitId: tower.unitIds[k <= 4 ? 0 : 1], status });
    }
    await createRooms(t.db, tower, rooms);
    const started = Date.now();
    const res = await adminA.get(`/api/buildings/${tower.id}/grid`);
    const ms = Date.now() - started;
    expect(res.statusCode).toBe(200);
    const grid = res.json();
    expect(grid.floors.map((f: { floor: number }) => f.floor)).toEqual([...Array.from({ length: 33 }, (_, i) => 33 - i), -1, -2]);
    for (const floor of grid.floors.slice(0, 33)) expect(floor.rooms, `floor ${floor.floor}`).toHaveLength(8);
    expect(grid.floors.at(-1).rooms).toEqual([]);
    const f12 = grid.floors.find((f: { floor: number }) => f.floor === 12);
    expect(f12.rooms.map((r: { number: string; unitName: string }) => `${r.unitName}:${r.number}`)).toEqual(['1单元:1201', '1单元:1202', '1单元:1203', '1单元:1204', '2单元:1205', '2单元:1206', '2单元:1207', '2单元:1208']);
    expect(f12.rooms[0].status).toBe('rented');
    expect(grid.counts).toEqual({ occupied: 104, rented: 80, unsold: 80 });
    expect(grid.total).toBe(264);
    expect(grid.building).toMatchObject({ id: tower.id, roomCount: 264, floorsAbove: 33 });
    expect(ms).toBeLessThan(5000);
  });
});

describe('POST /api/rooms', () => {
  let building: TestBuilding;
  beforeAll(async () => {
    building = await createBuilding(t.db, { company: a, communityId: f1.community, floorsAbove: 18, floorsBelow: 1, units: ['1单元', '2单元'] });
  });

  it('creates a room with exact areas, a first history entry and an audit row', async () => {
    const res = await adminA.post('/api/rooms', { buildingId: building.id, unitId: building.unitIds[0], floor: 12, number: ' 1203 ', builtArea: '89.5', innerArea: 72 });
    expect(res.statusCode, res.body).toBe(201);
    const room = res.json();
    expect(room).toMatchObject({ communityId: f1.community, buildingId: building.id, unitName: '1单元', floor: 12, number: '1203', label: `${building.name}-1单元-1203`, builtArea: '89.50', innerArea: '72.00', kind: 'residence', status: 'unsold' });
    const row = await t.db.selectFrom('rooms').selectAll().where('id', '=', room.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ company_id: a.companyId, community_id: f1.community, number: '1203', built_area: '89.50', inner_area: '72.00', status: 'unsold' });
    const history = await t.db.selectFrom('room_status_history').selectAll().where('room_id', '=', room.id).execute();
    expect(history).toMatchObject([{ from_status: null, to_status: 'unsold', changed_by: a.admin.id }]);
    const [audit] = await auditRows(t.db, room.id, 'room.create');
    expect(audit).toMatchObject({ actor_id: a.admin.id, company_id: a.companyId, after: { number: '1203', builtArea: '89.50', innerArea: '72.00' }, request_id: res.headers['x-request-id'] });
    expect(await auditedInSameTransaction(t.db, audit.id, 'rooms', room.id)).toBe(true);
    expect(await auditedInSameTransaction(t.db, audit.id, 'room_status_history', history[0].id, 'at')).toBe(true);
    // Lower-case letters are upper-cased; the same number in another unit is another room.
    const shop = await adminA.post('/api/rooms', { buildingId: building.id, floor: 1, number: 'b101', builtArea: 8950, kind: 'shop', status: 'vacant' });
    expect(shop.statusCode, shop.body).toBe(201);
    expect(shop.json()).toMatchObject({ number: 'B101', builtArea: '8950.00', kind: 'shop', status: 'vacant', unitId: null, label: `${building.name}-B101` });
    expect((await adminA.post('/api/rooms', { buildingId: building.id, unitId: building.unitIds[1], floor: 12, number: '1203', builtArea: 89.5 })).statusCode).toBe(201);
  });

  it('refuses a duplicate room number (any spacing or case) with 409 naming number, changing nothing', async () => {
    await adminA.post('/api/rooms', { buildingId: building.id, unitId: building.unitIds[0], floor: 15, number: '15A1', builtArea: 90 });
    const before = await stateOfA();
    for (const number of ['15A1', ' 15a1 ']) {
      const res = await adminA.post('/api/rooms', { buildingId: building.id, unitId: building.unitIds[0], floor: 15, number, builtArea: 95 });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('CONFLICT');
      expect(res.json().error.details.field).toBe('number');
      expect(res.json().error.message).toContain('15A1');
    }
    expect(await stateOfA()).toEqual(before);
  });

  it('lets exactly one of two simultaneous creations of the same number through; the other is 409 naming number', async () => {
    const body = { buildingId: building.id, unitId: building.unitIds[1], floor: 9, number: '909', builtArea: 90 };
    const results = await Promise.all([adminA.post('/api/rooms', body), adminA.post('/api/rooms', body)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().error.details.field).toBe('number');
    expect(await t.db.selectFrom('rooms').select('id').where('building_id', '=', building.id).where('number', '=', '909').execute()).toHaveLength(1);
  });

  const bad: Array<[string, string, Record<string, unknown>]> = [
    ['an unknown building', 'buildingId', { buildingId: randomUUID() }],
    ['a malformed building id', 'buildingId', { buildingId: 'building-1' }],
    ['a unit of another building', 'unitId', { unitId: 'other' }],
    ['a zero area', 'builtArea', { builtArea: 0 }],
    ['a negative area', 'builtArea', { builtArea: '-5' }],
    ['a zero area with decimals', 'builtArea', { builtArea: '0.00' }],
    ['an absurd area for a residence', 'builtArea', { builtArea: 8950 }],
    ['three decimals', 'builtArea', { builtArea: '89.555' }],
    ['an area that is not a number', 'builtArea', { builtArea: '九十' }],
    ['a missing area', 'builtArea', { builtArea: undefined }],
    ['a zero inner area', 'innerArea', { innerArea: 0 }],
    ['an inner area larger than the built area', 'innerArea', { builtArea: 80, innerArea: 80.01 }],
    ['a floor above the building', 'floor', { floor: 19 }],
    ['a floor below the building', 'floor', { floor: -2 }],
    ['floor 0', 'floor', { floor: 0 }],
    ['a fractional floor', 'floor', { floor: 2.5 }],
    ['a room number with symbols', 'number', { number: '12#03' }],
    ['an empty room number', 'number', { number: '  ' }],
    ['an unknown kind', 'kind', { kind: 'castle' }],
    ['an unknown status', 'status', { status: 'sold' }],
    ['an unknown field', 'price', { price: 100 }],
  ];
  it.each(bad)('answers 400 for %s naming %s and creates nothing', async (_, field, patch) => {
    const body: Record<string, unknown> = { buildingId: building.id, unitId: building.unitIds[0], floor: 6, number: '601', builtArea: 89.5, ...patch };
    if (patch.unitId === 'other') body.unitId = f1.building.unitIds[0];
    const before = await stateOfA();
    expectFieldError(await adminA.post('/api/rooms', body), field);
    expect(await stateOfA()).toEqual(before);
  });

  it('answers in English when asked, still naming the field', async () => {
    const res = await adminA.post('/api/rooms', { buildingId: building.id, floor: 6, number: '602', builtArea: 8950 }, { 'accept-language': 'en' });
    expect(res.json().error.message).toBe('Field builtArea: an area of 8950 m² is implausible');
  });
});

describe('GET /api/rooms and /api/rooms/:id', () => {
  it('filters by building, unit, status, kind and number, with pagination and labels', async () => {
    const building = await createBuilding(t.db, { company: a, communityId: f2.community, units: ['1单元', '2单元'] });
    await createRoom(t.db, { building, floor: 2, number: '201', status: 'vacant' });
    await createRoom(t.db, { building, floor: 2, number: '202', status: 'occupied' });
    await createRoom(t.db, { building, floor: 3, number: '301', status: 'occupied' });
    await createRoom(t.db, { building, unitId: building.unitIds[1], floor: 3, number: '302', status: 'occupied', kind: 'office' });
    const all = (await adminA.get(`/api/rooms?buildingId=${building.id}`)).json();
    expect(all.total).toBe(4);
    // Top floor first, then by number.
    expect(all.items.map((r: { number: string }) => r.number)).toEqual(['301', '201', '202', '302']);
    expect(all.items[0]).toMatchObject({ label: `${building.name}-1单元-301`, communityId: f2.community, buildingName: building.name });
    const occupied = (await adminA.get(`/api/rooms?buildingId=${building.id}&status=occupied&kind=residence`)).json();
    expect(occupied.items.map((r: { number: string }) => r.number)).toEqual(['301', '202']);
    expect((await adminA.get(`/api/rooms?buildingId=${building.id}&unitId=${building.unitIds[1]}`)).json().items.map((r: { number: string }) => r.number)).toEqual(['302']);
    expect((await adminA.get(`/api/rooms?buildingId=${building.id}&q=30`)).json().total).toBe(2);
    const page2 = (await adminA.get(`/api/rooms?buildingId=${building.id}&pageSize=3&page=2`)).json();
    expect(page2).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(page2.items).toHaveLength(1);
    expectFieldError(await adminA.get('/api/rooms?status=sold'), 'status');
    expectFieldError(await adminA.get('/api/rooms?pageSize=201'), 'pageSize');
  });

  it('GET /:id returns the room with its status history, newest first', async () => {
    const room = await createRoom(t.db, { company: a, communityId: f1.community, status: 'unsold' });
    await adminA.post(`/api/rooms/${room.id}/status`, { status: 'vacant', reason: '开发商移交' });
    await adminA.post(`/api/rooms/${room.id}/status`, { status: 'delivered', reason: '交房' });
    const res = await adminA.get(`/api/rooms/${room.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: room.id, status: 'delivered', number: room.number });
    expect(res.json().history.map((h: { fromStatus: string | null; toStatus: string; reason: string | null; changedBy: string | null }) => [h.fromStatus, h.toStatus, h.reason, h.changedBy])).toEqual([
      ['vacant', 'delivered', '交房', '测试管理员'],
      ['unsold', 'vacant', '开发商移交', '测试管理员'],
      [null, 'unsold', null, null],
    ]);
    expectFieldError(await adminA.get('/api/rooms/1203'), 'id');
    expect((await adminA.get(`/api/rooms/${randomUUID()}`)).statusCode).toBe(404);
  });
});

describe('PATCH /api/rooms/:id', () => {
  it('changes number, floor and areas, audited with before and after', async () => {
    const room = await createRoom(t.db, { company: a, communityId: f1.community, floor: 4, number: '401' });
    const res = await adminA.patch(`/api/rooms/${room.id}`, { number: '402', floor: 5, builtArea: '101.2', innerArea: null });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ number: '402', floor: 5, builtArea: '101.20', innerArea: null });
    expect(await t.db.selectFrom('rooms').select(['number', 'floor', 'built_area', 'inner_area']).where('id', '=', room.id).executeTakeFirstOrThrow()).toEqual({ number: '402', floor: 5, built_area: '101.20', inner_area: null });
    const [audit] = await auditRows(t.db, room.id, 'room.update');
    expect(audit).toMatchObject({ actor_id: a.admin.id, before: { number: '401', floor: 4, builtArea: '89.50' }, after: { number: '402', floor: 5, builtArea: '101.20', innerArea: null } });
  });

  it('refuses a taken number, bad areas and floors, changing nothing', async () => {
    const building = await createBuilding(t.db, { company: a, communityId: f1.community, floorsAbove: 6, floorsBelow: 0 });
    const room = await createRoom(t.db, { building, floor: 2, number: '201', builtArea: '80.00', innerArea: '70.00' });
    await createRoom(t.db, { building, floor: 2, number: '202' });
    const before = await stateOfA();
    const dup = await adminA.patch(`/api/rooms/${room.id}`, { number: '202' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details.field).toBe('number');
    expectFieldError(await adminA.patch(`/api/rooms/${room.id}`, { innerArea: 80.5 }), 'innerArea');
    expectFieldError(await adminA.patch(`/api/rooms/${room.id}`, { builtArea: 60 }), 'innerArea');
    expectFieldError(await adminA.patch(`/api/rooms/${room.id}`, { builtArea: -1 }), 'builtArea');
    expectFieldError(await adminA.patch(`/api/rooms/${room.id}`, { kind: 'garage', builtArea: 900 }), 'builtArea');
    expectFieldError(await adminA.patch(`/api/rooms/${room.id}`, { floor: 7 }), 'floor');
    expectFieldError(await adminA.patch(`/api/rooms/${room.id}`, { floor: -1 }), 'floor');
    expectFieldError(await adminA.patch(`/api/rooms/${room.id}`, { unitId: f2.building.unitIds[0] }), 'unitId');
    expectFieldError(await adminA.patch(`/api/rooms/${room.id}`, { status: 'occupied' }), 'status');
    expect(await stateOfA()).toEqual(before);
  });
});

describe('POST /api/rooms/:id/status', () => {
  it('records an allowed change with its reason in the history and the audit trail', async () => {
    const room = await createRoom(t.db, { company: a, communityId: f1.community, status: 'vacant' });
    const res = await adminA.post(`/api/rooms/${room.id}/status`, { status: 'renovating', reason: '业主装修' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('renovating');
    expect(res.json().history[0]).toMatchObject({ fromStatus: 'vacant', toStatus: 'renovating', reason: '业主装修', changedBy: '测试管理员' });
    expect(res.json().history).toHaveLength(2);
    expect((await t.db.selectFrom('rooms').select('status').where('id', '=', room.id).executeTakeFirstOrThrow()).status).toBe('renovating');
    const [audit] = await auditRows(t.db, room.id, 'room.status');
    expect(audit).toMatchObject({ actor_id: a.admin.id, before: { status: 'vacant' }, after: { status: 'renovating', reason: '业主装修' } });
    expect(await auditedInSameTransaction(t.db, audit.id, 'room_status_history', res.json().history[0].id, 'at')).toBe(true);
  });

  it.each([
    ['unsold', 'occupied'],
    ['unsold', 'rented'],
    ['occupied', 'unsold'],
    ['rented', 'delivered'],
  ] as const)('refuses %s → %s with 422 and leaves the status and history as they were', async (from, to) => {
    const room = await createRoom(t.db, { company: a, communityId: f1.community, status: from });
    const before = await stateOfA();
    const res = await adminA.post(`/api/rooms/${room.id}/status`, { status: to, reason: '手工修改' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('UNPROCESSABLE');
    expect(res.json().error.details.field).toBe('status');
    expect(await stateOfA()).toEqual(before);
    expect((await adminA.get(`/api/rooms/${room.id}`)).json()).toMatchObject({ status: from, history: [{ fromStatus: null, toStatus: from }] });
  });

  it('answers 400 naming reason or status', async () => {
    const before = await stateOfA();
    expectFieldError(await adminA.post(`/api/rooms/${f1.room.id}/status`, { status: 'delivered' }), 'reason');
    expectFieldError(await adminA.post(`/api/rooms/${f1.room.id}/status`, { status: 'sold', reason: '卖了' }), 'status');
    expect(await stateOfA()).toEqual(before);
  });
});

describe('parking spaces', () => {
  it('POST creates a space (number upper-cased, shared by default), audited; PATCH changes it', async () => {
    const number = `b-${unique('').slice(-5)}`;
    const res = await adminA.post('/api/parking-spaces', { communityId: f1.community, area: 'under', number, kind: 'charging' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ communityId: f1.community, area: 'under', number: number.toUpperCase(), kind: 'charging', mode: 'shared' });
    const id = res.json().id;
    expect(await t.db.selectFrom('parking_spaces').select(['company_id', 'number']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ company_id: a.companyId, number: number.toUpperCase() });
    const [created] = await auditRows(t.db, id, 'parkingSpace.create');
    expect(created).toMatchObject({ actor_id: a.admin.id, after: { number: number.toUpperCase(), kind: 'charging' } });
    expect(await auditedInSameTransaction(t.db, created.id, 'parking_spaces', id)).toBe(true);
    const upd = await adminA.patch(`/api/parking-spaces/${id}`, { area: 'above', mode: 'fixed', number: `${number}x` });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json()).toMatchObject({ area: 'above', mode: 'fixed', number: `${number}X`.toUpperCase() });
    const [audit] = await auditRows(t.db, id, 'parkingSpace.update');
    expect(audit).toMatchObject({ before: { area: 'under', mode: 'shared' }, after: { area: 'above', mode: 'fixed' } });
  });

  it('refuses a duplicate number (any case) with 409 naming number and bad fields with 400, changing nothing', async () => {
    const taken = await createParkingSpace(t.db, { company: a, communityId: f1.community, number: `DUP-${unique('').slice(-4).toUpperCase()}` });
    const before = await stateOfA();
    const dup = await adminA.post('/api/parking-spaces', { communityId: f1.community, area: 'under', number: taken.number.toLowerCase() });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details.field).toBe('number');
    expect((await adminA.patch(`/api/parking-spaces/${f1.space}`, { number: taken.number })).statusCode).toBe(409);
    expectFieldError(await adminA.post('/api/parking-spaces', { communityId: f1.community, area: 'roof', number: 'R-1' }), 'area');
    expectFieldError(await adminA.post('/api/parking-spaces', { communityId: f1.community, area: 'above', number: 'x'.repeat(21) }), 'number');
    expectFieldError(await adminA.post('/api/parking-spaces', { communityId: f1.community, area: 'above', number: 'A-1', mode: 'sold' }), 'mode');
    expectFieldError(await adminA.patch(`/api/parking-spaces/${f1.space}`, { kind: 'bus' }), 'kind');
    expect(await stateOfA()).toEqual(before);
  });

  it('GET filters by community, area, mode and number', async () => {
    const c = await createCompany(t.db, { communities: 2 });
    const admin = await sessionAs(t.app, t.db, c.admin.id);
    await createParkingSpace(t.db, { company: c, number: 'B-001', area: 'under' });
    await createParkingSpace(t.db, { company: c, number: 'B-002', area: 'under', mode: 'fixed' });
    await createParkingSpace(t.db, { company: c, number: 'A-001', area: 'above' });
    await createParkingSpace(t.db, { company: c, communityId: c.communityIds[1], number: 'B-003' });
    const numbers = async (q: string) => (await admin.get(`/api/parking-spaces?communityId=${c.communityIds[0]}${q}`)).json().items.map((s: { number: string }) => s.number);
    expect(await numbers('')).toEqual(['A-001', 'B-001', 'B-002']);
    expect(await numbers('&area=under')).toEqual(['B-001', 'B-002']);
    expect(await numbers('&mode=fixed')).toEqual(['B-002']);
    expect(await numbers('&q=b-00')).toEqual(['B-001', 'B-002']);
    expect((await admin.get('/api/parking-spaces?pageSize=2')).json()).toMatchObject({ total: 4, pageSize: 2 });
    expect(fieldsOf(await admin.get('/api/parking-spaces?area=roof'))).toContain('area');
  });
});
