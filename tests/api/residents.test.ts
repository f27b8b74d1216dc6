import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import {
  type Client,
  companyRows,
  createBuilding,
  createCompany,
  createOwnerUser,
  createParkingSpace,
  createResident,
  createRoom,
  createStaffUser,
  createVehicle,
  auditedInSameTransaction,
  linkResidentToRoom,
  login,
  type TestCompany,
  type TestResident,
  type TestRoom,
  uniquePhone,
  uniquePlate,
  validIdNumber,
  withBadChecksum,
} from '../helpers/factories.ts';
import { anonymous, auditRows, createRoleUser, expectFieldError, ownerLogin, sessionAs } from '../helpers/api.ts';

/**
 * Residents API: people and their masked personal data, room links (owners' shares, family, tenants), move-out,
 * vehicles, parking holdings, the owners' committee, move-in with inspection and handover, owners' household
 * requests and the owner's home page. Company A has two communities; company B is the outsider.
 */

let t: TestApp;
let a: TestCompany;
let b: TestCompany;
let adminA: Client;
let adminB: Client;
/** Built-in 'technician': estate.read but no resident.read. */
let technician: Client;
/** Built-in 'cashier': resident.read but no resident.manage. */
let cashier: Client;
/** Built-in 'service': resident.read and resident.manage, but no personal.viewFull. */
let service: Client;
/** A project manager (all resident permissions) assigned to community 1 only. */
let scoped: Client;

const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;
const maskedId = (id: string) => `${id.slice(0, 4)}**********${id.slice(-4)}`;
const today = () => new Date().toISOString().slice(0, 10);

interface Fixtures {
  community: string;
  room: TestRoom;
  resident: TestResident;
  vehicle: string;
  space: string;
  moveIn: string;
  request: string;
}
let f1: Fixtures;
let f2: Fixtures;

const TABLES = ['residents', 'room_residents', 'vehicles', 'parking_holdings', 'parking_spaces', 'committee_members', 'move_ins', 'move_in_inspection_items', 'household_requests', 'rooms', 'room_status_history', 'audit_log'];
const stateOfA = () => companyRows(t.db, a.companyId, TABLES);

async function fixtures(communityId: string): Promise<Fixtures> {
  const building = await createBuilding(t.db, { company: a, communityId });
  const room = await createRoom(t.db, { building, number: '601', floor: 6, status: 'occupied' });
  const resident = await createResident(t.db, { room, relation: 'owner' });
  const vehicle = await createVehicle(t.db, resident);
  const space = await createParkingSpace(t.db, { company: a, communityId });
  const other = await createRoom(t.db, { building, number: '602', floor: 6, status: 'unsold' });
  const moveIn = await t.db
    .insertInto('move_ins')
    .values({ company_id: a.companyId, room_id: other.id, resident_id: resident.id, notice_no: 'RZ-1', contract_no: 'HT-1' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const requester = await createOwnerUser(t.db, a, resident.phone!);
  const request = await t.db
    .insertInto('household_requests')
    .values({ company_id: a.companyId, room_id: room.id, requested_by: requester.id, name: '待审家属', phone: uniquePhone(), relation: 'family' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { community: communityId, room, resident, vehicle: vehicle.id, space: space.id, moveIn: moveIn.id, request: request.id };
}

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([createCompany(t.db), createCompany(t.db)]);
  f1 = await fixtures(a.communityIds[0]);
  f2 = await fixtures(a.communityIds[1]);
  const [tech, cash, serv, mgr] = await Promise.all([
    createStaffUser(t.db, a, { role: 'technician' }),
    createStaffUser(t.db, a, { role: 'cashier' }),
    createStaffUser(t.db, a, { role: 'service' }),
    createStaffUser(t.db, a, { role: 'manager', communityIds: [a.communityIds[0]] }),
  ]);
  [adminA, adminB, technician, cashier, service, scoped] = await Promise.all([
    login(t.app, a.admin.username),
    login(t.app, b.admin.username),
    sessionAs(t.app, t.db, tech.id),
    sessionAs(t.app, t.db, cash.id),
    sessionAs(t.app, t.db, serv.id),
    sessionAs(t.app, t.db, mgr.id),
  ]);
});

interface Req {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
}
const send = (c: Client, r: Req) => c.request(r.method, r.url, r.method === 'GET' || r.method === 'DELETE' ? undefined : (r.body ?? {}));
const label = (r: Req) => `${r.method} ${r.url}`;

/** Requests on existing records, each with a body that is valid for someone allowed to see them. */
const recordRequests = (f: Fixtures): Req[] => [
  { method: 'GET', url: `/api/residents/${f.resident.id}` },
  { method: 'PATCH', url: `/api/residents/${f.resident.id}`, body: { profileNote: '被改了' } },
  { method: 'POST', url: `/api/residents/${f.resident.id}/reveal` },
  { method: 'GET', url: `/api/rooms/${f.room.id}/residents` },
  { method: 'POST', url: `/api/rooms/${f.room.id}/residents`, body: { resident: { name: '外来人' }, relation: 'family', startDate: '2026-02-01' } },
  { method: 'POST', url: `/api/room-residents/${f.resident.linkId}/end`, body: { endDate: '2026-06-30', reason: '搬走' } },
  { method: 'POST', url: `/api/rooms/${f.room.id}/move-out`, body: { date: '2026-06-30', reason: '出售' } },
  { method: 'PATCH', url: `/api/vehicles/${f.vehicle}`, body: { color: '红' } },
  { method: 'DELETE', url: `/api/vehicles/${f.vehicle}` },
  { method: 'GET', url: `/api/parking-spaces/${f.space}/holdings` },
  { method: 'POST', url: `/api/parking-spaces/${f.space}/holdings`, body: { residentId: f.resident.id, holding: 'sold', startDate: '2026-01-01' } },
  { method: 'GET', url: `/api/move-ins/${f.moveIn}` },
  { method: 'POST', url: `/api/move-ins/${f.moveIn}/inspection`, body: { items: [{ area: '客厅', item: '墙面', ok: true }] } },
  { method: 'POST', url: `/api/move-ins/${f.moveIn}/handover`, body: { keysCount: 2 } },
  { method: 'POST', url: `/api/household-requests/${f.request}/approve`, body: {} },
  { method: 'POST', url: `/api/household-requests/${f.request}/reject`, body: {} },
];

/** Creations that point at a community, resident or room through the body. */
const createRequests = (f: Fixtures): Array<Req & { field: string }> => [
  { method: 'POST', url: '/api/residents', body: { communityId: f.community, name: '外来人' }, field: 'communityId' },
  { method: 'POST', url: '/api/vehicles', body: { residentId: f.resident.id, plate: uniquePlate() }, field: 'residentId' },
  { method: 'POST', url: '/api/committee-members', body: { communityId: f.community, residentId: f.resident.id, position: 'member', termStart: '2026-01-01', termEnd: '2028-12-31' }, field: 'communityId' },
  { method: 'POST', url: '/api/move-ins', body: { roomId: f.room.id, resident: { name: '外来人' }, noticeNo: 'X', contractNo: 'Y', moveInDate: '2026-03-01' }, field: 'roomId' },
];

describe('every residents endpoint needs a session', () => {
  const id = randomUUID();
  it.each([
    ['GET', '/api/residents'],
    ['POST', '/api/residents'],
    ['GET', `/api/residents/${id}`],
    ['PATCH', `/api/residents/${id}`],
    ['POST', `/api/residents/${id}/reveal`],
    ['GET', `/api/rooms/${id}/residents`],
    ['POST', `/api/rooms/${id}/residents`],
    ['POST', `/api/room-residents/${id}/end`],
    ['POST', `/api/rooms/${id}/move-out`],
    ['GET', '/api/vehicles'],
    ['POST', '/api/vehicles'],
    ['PATCH', `/api/vehicles/${id}`],
    ['DELETE', `/api/vehicles/${id}`],
    ['GET', `/api/parking-spaces/${id}/holdings`],
    ['POST', `/api/parking-spaces/${id}/holdings`],
    ['GET', '/api/committee-members'],
    ['POST', '/api/committee-members'],
    ['GET', '/api/move-ins'],
    ['POST', '/api/move-ins'],
    ['GET', `/api/move-ins/${id}`],
    ['POST', `/api/move-ins/${id}/inspection`],
    ['POST', `/api/move-ins/${id}/handover`],
    ['GET', '/api/household-requests'],
    ['POST', `/api/household-requests/${id}/approve`],
    ['POST', `/api/household-requests/${id}/reject`],
    ['GET', '/api/owner/household-requests'],
    ['POST', '/api/owner/household-requests'],
    ['GET', '/api/owner/home'],
  ] as const)('%s %s → 401', async (method, url) => {
    const res = await anonymous(t.app, method, url, method === 'GET' || method === 'DELETE' ? undefined : {});
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('permissions', () => {
  it("refuses every read to a role without resident.read ('technician')", async () => {
    const reads: Req[] = [
      ...['/api/residents', '/api/vehicles', '/api/committee-members', '/api/move-ins', '/api/household-requests'].map((url): Req => ({ method: 'GET', url })),
      ...recordRequests(f1).filter((r) => r.method === 'GET' && !r.url.includes('holdings')),
      { method: 'POST', url: `/api/residents/${f1.resident.id}/reveal` },
    ];
    for (const r of reads) {
      const res = await send(technician, r);
      expect(res.statusCode, label(r)).toBe(403);
      expect(res.json().error.details.permission, label(r)).toBe('resident.read');
    }
    // Holdings are part of the estate: they need estate.read.
    const noEstate = await sessionAs(t.app, t.db, (await createRoleUser(t.db, a, ['resident.read', 'resident.manage'])).id);
    const holdings = await noEstate.get(`/api/parking-spaces/${f1.space}/holdings`);
    expect(holdings.statusCode).toBe(403);
    expect(holdings.json().error.details.permission).toBe('estate.read');
  });

  it("refuses every write to a role without resident.manage ('cashier'), changing nothing", async () => {
    const before = await stateOfA();
    const writes = [...recordRequests(f1).filter((r) => r.method !== 'GET' && !r.url.endsWith('/reveal')), ...createRequests(f1)];
    for (const r of writes) {
      const res = await send(cashier, r);
      expect(res.statusCode, label(r)).toBe(403);
      expect(res.json().error.details.permission, label(r)).toBe('resident.manage');
    }
    expect(await stateOfA()).toEqual(before);
    expect((await cashier.get(`/api/residents/${f1.resident.id}`)).statusCode).toBe(200);
  });

  it('keeps the owner endpoints for owners and the staff endpoints for staff', async () => {
    for (const r of [{ method: 'GET', url: '/api/owner/household-requests' }, { method: 'POST', url: '/api/owner/household-requests', body: { roomId: f1.room.id, name: '某人', relation: 'family' } }] as Req[]) {
      const res = await send(adminA, r);
      expect(res.statusCode, label(r)).toBe(403);
      expect(res.json().error.details.permission).toBe('owner.self');
    }
    const owner = await ownerLogin(t.app, t.db, f1.resident.phone!);
    for (const url of ['/api/residents', `/api/rooms/${f1.room.id}/residents`, '/api/household-requests']) expect((await owner.get(url)).statusCode, url).toBe(403);
    expect((await owner.post(`/api/household-requests/${f1.request}/approve`, {})).statusCode).toBe(403);
  });
});

describe("another company's records", () => {
  it('are 404 on every record endpoint, in both communities, with no data in the body and nothing changed', async () => {
    const before = await stateOfA();
    for (const f of [f1, f2]) {
      for (const r of recordRequests(f)) {
        const res = await send(adminB, r);
        expect(res.statusCode, label(r)).toBe(404);
        expect(res.json().error.code).toBe('NOT_FOUND');
        // The error itself (the request id around it is random and may contain any 4 digits).
        const error = JSON.stringify(res.json().error);
        for (const secret of [f.resident.name, f.resident.phone!.slice(-4), f.resident.id, f.room.id, a.code]) expect(error, label(r)).not.toContain(secret);
      }
    }
    expect(await stateOfA()).toEqual(before);
  });

  it('cannot be referenced by a new record: 400 naming the field, nothing created', async () => {
    const before = await stateOfA();
    for (const r of createRequests(f1)) {
      const res = await send(adminB, r);
      expectFieldError(res, r.field);
      expect(res.body).not.toContain(f1.resident.name);
    }
    expect(await stateOfA()).toEqual(before);
    expect(await t.db.selectFrom('residents').select('id').where('company_id', '=', b.companyId).execute()).toEqual([]);
  });

  it('never appear in lists or searches', async () => {
    for (const url of [
      `/api/residents?communityId=${f1.community}`,
      `/api/residents?q=${f1.resident.phone}`,
      `/api/residents?q=${encodeURIComponent(f1.resident.name)}`,
      `/api/vehicles?communityId=${f1.community}`,
      `/api/committee-members?communityId=${f1.community}`,
      `/api/move-ins?roomId=${f1.room.id}`,
      '/api/household-requests',
    ]) {
      const res = await adminB.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.json().items, url).toEqual([]);
    }
  });
});

describe('a staff member assigned to community 1 only', () => {
  it("gets 404 for community 2's records and 400 for references to them, changing nothing", async () => {
    const before = await stateOfA();
    for (const r of recordRequests(f2)) {
      const res = await send(scoped, r);
      expect(res.statusCode, label(r)).toBe(404);
      expect(res.body).not.toContain(f2.resident.name);
    }
    for (const r of createRequests(f2)) expectFieldError(await send(scoped, r), r.field);
    expect(await stateOfA()).toEqual(before);
  });

  it('sees only community 1 in lists and may reveal its residents', async () => {
    const ids = (await scoped.get('/api/residents?pageSize=200')).json().items.map((r: { id: string }) => r.id);
    expect(ids).toContain(f1.resident.id);
    expect(ids).not.toContain(f2.resident.id);
    const requests = (await scoped.get('/api/household-requests?pageSize=200')).json().items.map((r: { id: string }) => r.id);
    expect(requests).toContain(f1.request);
    expect(requests).not.toContain(f2.request);
    const moveIns = (await scoped.get('/api/move-ins')).json().items.map((m: { id: string }) => m.id);
    expect(moveIns).toContain(f1.moveIn);
    expect(moveIns).not.toContain(f2.moveIn);
    expect((await scoped.get('/api/vehicles?pageSize=200')).json().items.map((v: { id: string }) => v.id)).not.toContain(f2.vehicle);
    const reveal = await scoped.post(`/api/residents/${f1.resident.id}/reveal`);
    expect(reveal.json()).toEqual({ id: f1.resident.id, phone: f1.resident.phone, idNumber: f1.resident.idNumber });
  });
});

describe('malformed ids and query fields', () => {
  it.each([
    ['GET', '/api/residents/1', 'id'],
    ['PATCH', '/api/residents/1', 'id'],
    ['POST', '/api/residents/1/reveal', 'id'],
    ['GET', '/api/rooms/1/residents', 'id'],
    ['POST', '/api/rooms/1/residents', 'id'],
    ['POST', '/api/room-residents/1/end', 'id'],
    ['POST', '/api/rooms/1/move-out', 'id'],
    ['GET', '/api/vehicles?communityId=1', 'communityId'],
    ['GET', `/api/vehicles?q=${'x'.repeat(13)}`, 'q'],
    ['PATCH', '/api/vehicles/1', 'id'],
    ['DELETE', '/api/vehicles/1', 'id'],
    ['GET', '/api/parking-spaces/1/holdings', 'id'],
    ['POST', '/api/parking-spaces/1/holdings', 'id'],
    ['GET', '/api/committee-members?communityId=1', 'communityId'],
    ['GET', '/api/move-ins?roomId=1', 'roomId'],
    ['GET', '/api/move-ins/1', 'id'],
    ['POST', '/api/move-ins/1/inspection', 'id'],
    ['POST', '/api/move-ins/1/handover', 'id'],
    ['GET', '/api/household-requests?pageSize=500', 'pageSize'],
    ['POST', '/api/household-requests/1/approve', 'id'],
    ['POST', '/api/household-requests/1/reject', 'id'],
  ] as const)('%s %s → 400 naming %s', async (method, url, field) => {
    expectFieldError(await adminA.request(method, url, method === 'GET' || method === 'DELETE' ? undefined : {}), field);
  });
});

describe('POST /api/residents', () => {
  it('registers a person with birthday and gender from the ID number, answers masked, audits without the full phone', async () => {
    const phone = uniquePhone();
    const idNumber = validIdNumber('19850315');
    const res = await adminA.post('/api/residents', { communityId: f1.community, name: '张伟', phone, idNumber: idNumber.toLowerCase(), careFlags: ['elderlyAlone'], profileNote: '喜欢下棋' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      communityId: f1.community,
      name: '张伟',
      phone: masked(phone),
      idType: 'idCard',
      idNumber: maskedId(idNumber),
      birthday: '1985-03-15',
      gender: Number(idNumber[16]) % 2 === 1 ? 'male' : 'female',
      careFlags: ['elderlyAlone'],
      profileNote: '喜欢下棋',
      rooms: [],
      plates: [],
      vehicles: [],
      committee: [],
    });
    expect(res.body).not.toContain(phone);
    expect(res.body).not.toContain(idNumber);
    const row = await t.db.selectFrom('residents').selectAll().where('id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ company_id: a.companyId, phone, id_number: idNumber, birthday: '1985-03-15', care_flags: ['elderlyAlone'] });
    const [audit] = await auditRows(t.db, res.json().id, 'resident.create');
    expect(audit).toMatchObject({ actor_id: a.admin.id, company_id: a.companyId, after: { name: '张伟', phone: masked(phone) }, request_id: res.headers['x-request-id'] });
    expect(await auditedInSameTransaction(t.db, audit.id, 'residents', res.json().id)).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(phone);
    // Other documents are not checked against GB 11643 and are masked to their first and last two characters.
    const passport = await adminA.post('/api/residents', { communityId: f1.community, name: 'John Smith', idType: 'passport', idNumber: 'E12345678' });
    expect(passport.statusCode, passport.body).toBe(201);
    expect(passport.json()).toMatchObject({ idNumber: 'E1*****78', phone: null, birthday: null });
  });

  const bad: Array<[string, string, Record<string, unknown>]> = [
    ['a malformed phone', 'phone', { phone: '1381234123' }],
    ['a phone with a country code', 'phone', { phone: '+8613812341234' }],
    ['a phone starting with 12', 'phone', { phone: '12812341234' }],
    ['an ID with a bad checksum', 'idNumber', { idNumber: withBadChecksum(validIdNumber()) }],
    ['an ID with an impossible birth date', 'idNumber', { idNumber: '320106199002301234' }],
    ['an ID of 17 characters', 'idNumber', { idNumber: '32010619900101123' }],
    ['an ID with an unknown region', 'idNumber', { idNumber: `99${validIdNumber().slice(2)}` }],
    ['a missing name', 'name', { name: undefined }],
    ['an unknown care flag', 'careFlags.0', { careFlags: ['vip'] }],
    ['a malformed birthday', 'birthday', { birthday: '1990-13-01' }],
    ['an unknown document type', 'idType', { idType: 'driverLicence' }],
    ['a malformed community', 'communityId', { communityId: 'c1' }],
  ];
  it.each(bad)('answers 400 for %s naming %s and creates nothing', async (_, field, patch) => {
    const before = await stateOfA();
    const res = await adminA.post('/api/residents', { communityId: f1.community, name: '李娜', phone: uniquePhone(), ...patch });
    expectFieldError(res, field);
    expect(await stateOfA()).toEqual(before);
  });

  it('says why an ID number is wrong', async () => {
    const res = await adminA.post('/api/residents', { communityId: f1.community, name: '李娜', idNumber: withBadChecksum(validIdNumber()) });
    expect(res.json().error.message).toBe('字段 idNumber：身份证号无效（校验位）');
  });

  it('refuses a phone or ID number another resident has, with 409 naming the field', async () => {
    const before = await stateOfA();
    const phone = await adminA.post('/api/residents', { communityId: f2.community, name: '重名', phone: f1.resident.phone });
    expect(phone.statusCode).toBe(409);
    expect(phone.json().error.details.field).toBe('phone');
    expect(phone.json().error.message).toContain(masked(f1.resident.phone!));
    expect(phone.body).not.toContain(f1.resident.phone);
    const id = await adminA.post('/api/residents', { communityId: f1.community, name: '重号', idNumber: f1.resident.idNumber });
    expect(id.statusCode).toBe(409);
    expect(id.json().error.details.field).toBe('idNumber');
    expect(await stateOfA()).toEqual(before);
    // Another company may register the same person.
    expect((await adminB.post('/api/residents', { communityId: b.communityIds[0], name: '同一人', phone: f1.resident.phone, idNumber: f1.resident.idNumber })).statusCode).toBe(201);
  });
});

describe('GET and PATCH /api/residents/:id', () => {
  it('GET shows rooms, plates, vehicles and committee terms, masked', async () => {
    await t.db.insertInto('committee_members').values({ company_id: a.companyId, community_id: f1.community, resident_id: f1.resident.id, position: 'director', term_start: '2025-01-01', term_end: '2029-12-31' }).execute();
    const res = await adminA.get(`/api/residents/${f1.resident.id}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ id: f1.resident.id, name: f1.resident.name, phone: masked(f1.resident.phone!), idNumber: maskedId(f1.resident.idNumber!) });
    expect(body.rooms).toEqual([{ linkId: f1.resident.linkId, roomId: f1.room.id, label: expect.stringMatching(/-1单元-601$/), communityName: expect.stringContaining('小区1'), relation: 'owner', current: true }]);
    expect(body.vehicles).toHaveLength(1);
    expect(body.plates).toEqual([body.vehicles[0].plate]);
    expect(body.committee).toEqual([{ id: expect.any(String), position: 'director', termStart: '2025-01-01', termEnd: '2029-12-31' }]);
    expect(res.body).not.toContain(f1.resident.phone);
    expect(res.body).not.toContain(f1.resident.idNumber);
    expectFieldError(await adminA.get('/api/residents/42'), 'id');
  });

  it('PATCH changes the phone and notes, answers masked, audits without personal data', async () => {
    const person = await createResident(t.db, { company: a, communityId: f1.community, name: '王芳' });
    const phone = uniquePhone();
    const res = await adminA.patch(`/api/residents/${person.id}`, { phone, careFlags: ['pregnant'], safetyNote: '夜间重点关注' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ phone: masked(phone), careFlags: ['pregnant'], safetyNote: '夜间重点关注', idNumber: maskedId(person.idNumber!) });
    expect(await t.db.selectFrom('residents').select(['phone', 'care_flags', 'safety_note']).where('id', '=', person.id).executeTakeFirstOrThrow()).toEqual({ phone, care_flags: ['pregnant'], safety_note: '夜间重点关注' });
    const [audit] = await auditRows(t.db, person.id, 'resident.update');
    expect(audit).toMatchObject({ actor_id: a.admin.id, before: { phone: masked(person.phone!), id_number: '[changed]' }, after: { phone: masked(phone), care_flags: ['pregnant'] } });
    for (const secret of [phone, person.phone!, person.idNumber!]) expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('PATCH refuses a bad ID, a malformed or taken phone, changing nothing', async () => {
    const person = await createResident(t.db, { company: a, communityId: f1.community });
    const before = await stateOfA();
    expectFieldError(await adminA.patch(`/api/residents/${person.id}`, { idNumber: withBadChecksum(person.idNumber!) }), 'idNumber');
    expectFieldError(await adminA.patch(`/api/residents/${person.id}`, { phone: '138-1234-1234' }), 'phone');
    expectFieldError(await adminA.patch(`/api/residents/${person.id}`, { communityId: f2.community }), 'communityId');
    const taken = await adminA.patch(`/api/residents/${person.id}`, { phone: f1.resident.phone });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.details.field).toBe('phone');
    expect(await stateOfA()).toEqual(before);
  });
});

describe('POST /api/residents/:id/reveal', () => {
  it("returns the full phone and ID number with 'personal.viewFull' and writes 'resident.viewPersonal'", async () => {
    const before = await auditRows(t.db, f2.resident.id, 'resident.viewPersonal');
    const res = await adminA.post(`/api/residents/${f2.resident.id}/reveal`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: f2.resident.id, phone: f2.resident.phone, idNumber: f2.resident.idNumber });
    const after = await auditRows(t.db, f2.resident.id, 'resident.viewPersonal');
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toMatchObject({ actor_id: a.admin.id, company_id: a.companyId, entity_type: 'resident' });
    expect(JSON.stringify(after.at(-1))).not.toContain(f2.resident.phone);
  });

  it('is 403 without personal.viewFull and leaves no audit row', async () => {
    const before = await auditRows(t.db, f1.resident.id, 'resident.viewPersonal');
    for (const client of [service, cashier]) {
      const res = await client.post(`/api/residents/${f1.resident.id}/reveal`);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.details.permission).toBe('personal.viewFull');
      expect(res.body).not.toContain(f1.resident.phone);
    }
    expect(await auditRows(t.db, f1.resident.id, 'resident.viewPersonal')).toHaveLength(before.length);
  });
});

describe('GET /api/residents (search)', () => {
  let owner: TestResident;
  let elder: TestResident;
  let tenant: TestResident;
  let plate: string;
  let pastOwner: TestResident;

  beforeAll(async () => {
    const building = await createBuilding(t.db, { company: a, communityId: f1.community });
    const room = await createRoom(t.db, { building, floor: 28, number: 'A2808' });
    owner = await createResident(t.db, { room, name: '欧阳娜娜', relation: 'owner' });
    elder = await createResident(t.db, { room, name: '欧阳修', relation: 'family', careFlags: ['elderlyAlone'] });
    pastOwner = await createResident(t.db, { company: a, communityId: f1.community, name: '欧阳克' });
    const ended = await linkResidentToRoom(t.db, room, pastOwner, { relation: 'owner', startDate: '2020-01-01' });
    await t.db.updateTable('room_residents').set({ end_date: '2025-12-31', end_reason: '出售' }).where('id', '=', ended).execute();
    const room2 = await createRoom(t.db, { company: a, communityId: f2.community, floor: 3, number: '303' });
    tenant = await createResident(t.db, { room: room2, name: '欧阳锋', relation: 'tenant' });
    plate = (await createVehicle(t.db, tenant)).plate;
  });

  const ids = (res: { json(): { items: Array<{ id: string }> } }) => res.json().items.map((r) => r.id);
  const search = (query: string) => adminA.get(`/api/residents?${query}`);

  it('finds by name prefix, sorted by name, with pagination', async () => {
    const res = await search(`q=${encodeURIComponent('欧阳')}&pageSize=2`);
    expect(res.json()).toMatchObject({ total: 4, page: 1, pageSize: 2 });
    const page2 = await search(`q=${encodeURIComponent('欧阳')}&pageSize=2&page=2`);
    const names = [...res.json().items, ...page2.json().items].map((r: { name: string }) => r.name);
    expect(names).toEqual(['欧阳修', '欧阳克', '欧阳娜娜', '欧阳锋'].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    // A prefix, not a substring.
    expect(ids(await search(`q=${encodeURIComponent('阳')}`))).not.toContain(owner.id);
  });

  it('finds by full phone and by its last 4 digits, answering masked', async () => {
    const full = await search(`q=${owner.phone}`);
    expect(ids(full)).toEqual([owner.id]);
    expect(full.body).not.toContain(owner.phone);
    const suffix = await search(`q=${owner.phone!.slice(-4)}`);
    expect(ids(suffix)).toContain(owner.id);
    for (const r of suffix.json().items) expect(r.phone.endsWith(owner.phone!.slice(-4))).toBe(true);
    expect(suffix.body).not.toContain(owner.phone);
  });

  it('finds by plate in any case and with a dot', async () => {
    for (const q of [plate, plate.toLowerCase(), `${plate.slice(0, 2)}·${plate.slice(2).toLowerCase()}`, `${plate.slice(0, 2)} ${plate.slice(2)}`]) {
      const res = await search(`q=${encodeURIComponent(q)}`);
      expect(ids(res), q).toEqual([tenant.id]);
      expect(res.json().items[0].plates).toEqual([plate]);
    }
  });

  it('finds the current residents of a room number, not past ones', async () => {
    const found = ids(await search('q=a2808'));
    expect(found.sort()).toEqual([owner.id, elder.id].sort());
    expect(found).not.toContain(pastOwner.id);
  });

  it('filters by community, relation and care flag', async () => {
    const q = `q=${encodeURIComponent('欧阳')}`;
    expect(ids(await search(`${q}&communityId=${f2.community}`))).toEqual([tenant.id]);
    expect(ids(await search(`${q}&relation=tenant`))).toEqual([tenant.id]);
    expect(ids(await search(`${q}&relation=owner`))).toEqual([owner.id]);
    expect(ids(await search(`${q}&careFlag=elderlyAlone`))).toEqual([elder.id]);
    expect(ids(await search(`${q}&relation=family&careFlag=pregnant`))).toEqual([]);
  });

  it('masks phone and ID number in every item and shows rooms and plates', async () => {
    const res = await search(`q=${encodeURIComponent('欧阳')}&pageSize=10`);
    for (const person of [owner, elder, tenant, pastOwner]) {
      const item = res.json().items.find((r: { id: string }) => r.id === person.id);
      expect(item).toMatchObject({ phone: masked(person.phone!), idNumber: maskedId(person.idNumber!) });
      expect(res.body).not.toContain(person.phone);
      expect(res.body).not.toContain(person.idNumber);
    }
    const past = res.json().items.find((r: { id: string }) => r.id === pastOwner.id);
    expect(past.rooms).toMatchObject([{ relation: 'owner', current: false, label: expect.stringMatching(/A2808$/) }]);
  });

  it('answers 400 naming the bad query field', async () => {
    expectFieldError(await search('relation=landlord'), 'relation');
    expectFieldError(await search('careFlag=vip'), 'careFlag');
    expectFieldError(await search('communityId=1'), 'communityId');
    expectFieldError(await search(`q=${'x'.repeat(41)}`), 'q');
    expectFieldError(await search('page=0'), 'page');
  });
});

describe('room links: owners, family, tenants', () => {
  const link = (roomId: string, body: Record<string, unknown>) => adminA.post(`/api/rooms/${roomId}/residents`, { startDate: '2026-01-01', ...body });
  const owners = (roomId: string) => t.db.selectFrom('room_residents').select(['resident_id', 'share_percent']).where('room_id', '=', roomId).where('relation', '=', 'owner').where('end_date', 'is', null).execute();

  it('links an existing resident and a new one in one step, answering the masked household, audited', async () => {
    const room = await createRoom(t.db, { company: a, communityId: f1.community, status: 'delivered' });
    const person = await createResident(t.db, { company: a, communityId: f1.community, name: '赵敏' });
    const res = await link(room.id, { residentId: person.id, relation: 'owner', moveInDate: '2026-01-05', warrantyEnd: '2028-01-04' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().current).toMatchObject([{ residentId: person.id, residentName: '赵敏', phone: masked(person.phone!), relation: 'owner', sharePercent: null, startDate: '2026-01-01', moveInDate: '2026-01-05', warrantyEnd: '2028-01-04', endDate: null }]);
    const kidPhone = uniquePhone();
    const kid = await link(room.id, { resident: { name: '赵小宝', phone: kidPhone, careFlags: ['child'] }, relation: 'family' });
    expect(kid.statusCode, kid.body).toBe(201);
    expect(kid.json().current.map((l: { residentName: string; relation: string; careFlags: string[] }) => [l.relation, l.residentName, l.careFlags])).toEqual([
      ['family', '赵小宝', ['child']],
      ['owner', '赵敏', []],
    ]);
    expect(kid.body).not.toContain(kidPhone);
    const created = await t.db.selectFrom('residents').select(['id', 'community_id', 'phone']).where('company_id', '=', a.companyId).where('name', '=', '赵小宝').executeTakeFirstOrThrow();
    expect(created).toMatchObject({ community_id: f1.community, phone: kidPhone });
    const audits = await auditRows(t.db, room.id, 'room.linkResident');
    expect(audits.map((x) => x.after)).toMatchObject([{ residentId: person.id, relation: 'owner' }, { residentId: created.id, relation: 'family' }]);
    expect(await auditedInSameTransaction(t.db, audits[1].id, 'room_residents', (audits[1].after as { linkId: string }).linkId)).toBe(true);
    expect(await auditedInSameTransaction(t.db, audits[1].id, 'residents', created.id)).toBe(true);
    expect(await auditRows(t.db, created.id, 'resident.create')).toHaveLength(1);
    // A family member does not change the room's status.
    expect((await t.db.selectFrom('rooms').select('status').where('id', '=', room.id).executeTakeFirstOrThrow()).status).toBe('delivered');
  });

  it('refuses a second current owner when the first holds 100 %, creating nothing (not even the new person)', async () => {
    const room = await createRoom(t.db, { company: a, communityId: f1.community });
    await createResident(t.db, { room, relation: 'owner' });
    const before = await stateOfA();
    for (const share of [undefined, 50, 0.01]) {
      const res = await link(room.id, { resident: { name: '第二业主', phone: uniquePhone() }, relation: 'owner', sharePercent: share });
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error.details.field).toBe('sharePercent');
    }
    expect(await stateOfA()).toEqual(before);
  });

  it('allows co-owners at 50 % + 50 % and refuses a third', async () => {
    const room = await createRoom(t.db, { company: a, communityId: f1.community });
    expect((await link(room.id, { resident: { name: '共有人甲' }, relation: 'owner', sharePercent: 50 })).statusCode).toBe(201);
    const second = await link(room.id, { resident: { name: '共有人乙' }, relation: 'owner', sharePercent: '50.00' });
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json().current.map((l: { sharePercent: string }) => l.sharePercent)).toEqual(['50.00', '50.00']);
    const before = await stateOfA();
    const third = await link(room.id, { resident: { name: '共有人丙' }, relation: 'owner', sharePercent: 0.01 });
    expect(third.statusCode).toBe(409);
    expect(third.json().error.details.field).toBe('sharePercent');
    expect(await stateOfA()).toEqual(before);
    expect(await owners(room.id)).toHaveLength(2);
  });

  it('lets exactly one of two simultaneous owner links through when only one fits', async () => {
    const room = await createRoom(t.db, { company: a, communityId: f1.community });
    await createResident(t.db, { room, relation: 'owner', sharePercent: '50' });
    const [x, y] = await Promise.all([
      link(room.id, { resident: { name: '抢先甲', phone: uniquePhone() }, relation: 'owner', sharePercent: 50 }),
      link(room.id, { resident: { name: '抢先乙', phone: uniquePhone() }, relation: 'owner', sharePercent: 50 }),
    ]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([201, 409]);
    const rows = await owners(room.id);
    expect(rows).toHaveLength(2);
    expect(rows.reduce((sum, r) => sum + Number(r.share_percent), 0)).toBe(100);
    // The loser's new person was rolled back with its link.
    const names = await t.db.selectFrom('residents').select('name').where('company_id', '=', a.companyId).where('name', 'in', ['抢先甲', '抢先乙']).execute();
    expect(names).toHaveLength(1);
  });

  const bad: Array<[string, string, Record<string, unknown>]> = [
    ['a tenant without lease dates', 'leaseStart', { relation: 'tenant' }],
    ['a tenant without a lease end', 'leaseEnd', { relation: 'tenant', leaseStart: '2026-01-01' }],
    ['a lease ending before it starts', 'leaseEnd', { relation: 'tenant', leaseStart: '2026-06-01', leaseEnd: '2026-05-31' }],
    ['both residentId and resident', 'residentId', { relation: 'family', residentId: 'self' }],
    ['neither residentId nor resident', 'residentId', { relation: 'family', resident: undefined }],
    ['a resident of another company', 'residentId', { relation: 'family', resident: undefined, residentId: 'companyB' }],
    ['a zero share', 'sharePercent', { relation: 'owner', sharePercent: 0 }],
    ['a share over 100', 'sharePercent', { relation: 'owner', sharePercent: 100.5 }],
    ['a share that is not a number', 'sharePercent', { relation: 'owner', sharePercent: '一半' }],
    ['an unknown relation', 'relation', { relation: 'landlord' }],
    ['a malformed start date', 'startDate', { relation: 'family', startDate: '2026/01/01' }],
    ['a malformed phone of the new person', 'resident.phone', { relation: 'family', resident: { name: '新人', phone: '1234' } }],
    ['a bad ID of the new person', 'idNumber', { relation: 'family', resident: { name: '新人', idNumber: withBadChecksum(validIdNumber()) } }],
  ];
  it.each(bad)('answers 400 for %s naming %s and changes nothing', async (_, field, patch) => {
    const body: Record<string, unknown> = { resident: { name: '新人', phone: uniquePhone() }, ...patch };
    if (body.residentId === 'self') body.residentId = f1.resident.id;
    if (body.residentId === 'companyB') body.residentId = (await createResident(t.db, { company: b })).id;
    const room = f1.room;
    const before = await stateOfA();
    expectFieldError(await link(room.id, body), field);
    expect(await stateOfA()).toEqual(before);
  });

  it('refuses to link someone who is already linked, with 409 naming residentId', async () => {
    const before = await stateOfA();
    const res = await link(f1.room.id, { residentId: f1.resident.id, relation: 'family' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.field).toBe('residentId');
    expect(await stateOfA()).toEqual(before);
  });

  it("a tenant makes the room 'rented'; ending the last tenant returns it to occupied, or vacant when nobody is left", async () => {
    const room = await createRoom(t.db, { company: a, communityId: f1.community, status: 'occupied' });
    await createResident(t.db, { room, relation: 'owner' });
    const lease = { relation: 'tenant', leaseStart: '2026-02-01', leaseEnd: '2027-01-31' };
    const first = await link(room.id, { resident: { name: '租客一' }, ...lease });
    expect(first.statusCode, first.body).toBe(201);
    const second = await link(room.id, { resident: { name: '租客二' }, ...lease });
    const tenants = second.json().current.filter((l: { relation: string }) => l.relation === 'tenant');
    expect(tenants.map((l: { leaseStart: string; leaseEnd: string }) => [l.leaseStart, l.leaseEnd])).toEqual([['2026-02-01', '2027-01-31'], ['2026-02-01', '2027-01-31']]);
    const detail = (await adminA.get(`/api/rooms/${room.id}`)).json();
    expect(detail.status).toBe('rented');
    expect(detail.history[0]).toMatchObject({ fromStatus: 'occupied', toStatus: 'rented', reason: '租客入住' });
    // Ending one of two tenants keeps the room rented.
    const endOne = await adminA.post(`/api/room-residents/${tenants[0].id}/end`, { endDate: '2026-08-31', reason: '提前退租' });
    expect(endOne.statusCode, endOne.body).toBe(200);
    expect(endOne.json().past).toMatchObject([{ id: tenants[0].id, endDate: '2026-08-31', endReason: '提前退租' }]);
    expect((await adminA.get(`/api/rooms/${room.id}`)).json().status).toBe('rented');
    await adminA.post(`/api/room-residents/${tenants[1].id}/end`, { endDate: '2027-01-31', reason: '租约到期' });
    const after = (await adminA.get(`/api/rooms/${room.id}`)).json();
    expect(after.status).toBe('occupied');
    expect(after.history[0]).toMatchObject({ fromStatus: 'rented', toStatus: 'occupied', reason: '租约结束：租约到期' });
    const [audit] = await auditRows(t.db, room.id, 'room.endLink');
    expect(audit).toMatchObject({ actor_id: a.admin.id, before: { id: tenants[0].id, end_date: null }, after: { id: tenants[0].id, end_date: '2026-08-31' } });

    const alone = await createRoom(t.db, { company: a, communityId: f1.community, status: 'vacant' });
    const only = await link(alone.id, { resident: { name: '独租客' }, ...lease });
    expect((await adminA.get(`/api/rooms/${alone.id}`)).json().status).toBe('rented');
    await adminA.post(`/api/room-residents/${only.json().current[0].id}/end`, { endDate: '2026-12-31', reason: '到期' });
    expect((await adminA.get(`/api/rooms/${alone.id}`)).json().status).toBe('vacant');
  });

  it('refuses to end a link that already ended (409) or before it started (400 naming endDate), changing nothing', async () => {
    const room = await createRoom(t.db, { company: a, communityId: f1.community });
    const person = await createResident(t.db, { room, relation: 'family', startDate: '2026-03-01' });
    const early = await adminA.post(`/api/room-residents/${person.linkId}/end`, { endDate: '2026-02-28', reason: '搬走' });
    expectFieldError(early, 'endDate');
    expect((await adminA.post(`/api/room-residents/${person.linkId}/end`, { endDate: '2026-05-01', reason: '搬走' })).statusCode).toBe(200);
    const before = await stateOfA();
    const again = await adminA.post(`/api/room-residents/${person.linkId}/end`, { endDate: '2026-06-01', reason: '再次搬走' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CONFLICT');
    expect(again.json().error.details.field).toBe('linkId');
    expectFieldError(await adminA.post(`/api/room-residents/${person.linkId}/end`, { endDate: '2026-06-01' }), 'reason');
    expect((await adminA.post(`/api/room-residents/${randomUUID()}/end`, { endDate: '2026-06-01', reason: '无' })).statusCode).toBe(404);
    expect(await stateOfA()).toEqual(before);
    expect(await t.db.selectFrom('room_residents').select(['end_date', 'end_reason']).where('id', '=', person.linkId!).executeTakeFirstOrThrow()).toEqual({ end_date: '2026-05-01', end_reason: '搬走' });
  });
});

describe('POST /api/rooms/:id/move-out', () => {
  it('ends every current link, keeps them as history, and makes the room vacant', async () => {
    const room = await createRoom(t.db, { company: a, communityId: f1.community, status: 'occupied' });
    const owner = await createResident(t.db, { room, relation: 'owner' });
    await createResident(t.db, { room, relation: 'family' });
    await createVehicle(t.db, owner);
    const res = await adminA.post(`/api/rooms/${room.id}/move-out`, { date: '2026-10-31', reason: '出售' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().current).toEqual([]);
    expect(res.json().vehicles).toEqual([]);
    expect(res.json().past.map((l: { relation: string; endDate: string; endReason: string }) => [l.relation, l.endDate, l.endReason])).toEqual([
      ['family', '2026-10-31', '出售'],
      ['owner', '2026-10-31', '出售'],
    ]);
    const detail = (await adminA.get(`/api/rooms/${room.id}`)).json();
    expect(detail.status).toBe('vacant');
    expect(detail.history[0]).toMatchObject({ fromStatus: 'occupied', toStatus: 'vacant', reason: '迁出：出售' });
    const [audit] = await auditRows(t.db, room.id, 'room.moveOut');
    expect(audit.after).toMatchObject({ date: '2026-10-31', reason: '出售', ended: expect.arrayContaining([expect.objectContaining({ resident_id: owner.id })]) });
    // The people stay on file with their past link.
    expect((await adminA.get(`/api/residents/${owner.id}`)).json().rooms).toMatchObject([{ roomId: room.id, current: false }]);
  });

  it('refuses a room with no current link with 409 naming roomId, changing nothing', async () => {
    const room = await createRoom(t.db, { company: a, communityId: f1.community, status: 'vacant' });
    const ended = await createResident(t.db, { room, relation: 'owner' });
    await t.db.updateTable('room_residents').set({ end_date: '2026-02-01', end_reason: '出售' }).where('id', '=', ended.linkId!).execute();
    const before = await stateOfA();
    const res = await adminA.post(`/api/rooms/${room.id}/move-out`, { date: '2026-10-31', reason: '出售' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.field).toBe('roomId');
    expect(await stateOfA()).toEqual(before);
  });

  it('refuses a date before a current link started with 400 naming date, changing nothing', async () => {
    const room = await createRoom(t.db, { company: a, communityId: f1.community, status: 'occupied' });
    await createResident(t.db, { room, relation: 'owner', startDate: '2026-01-01' });
    await createResident(t.db, { room, relation: 'family', startDate: '2026-09-01' });
    const before = await stateOfA();
    expectFieldError(await adminA.post(`/api/rooms/${room.id}/move-out`, { date: '2026-08-31', reason: '出售' }), 'date');
    expectFieldError(await adminA.post(`/api/rooms/${room.id}/move-out`, { date: '2025-12-31', reason: '出售' }), 'date');
    expectFieldError(await adminA.post(`/api/rooms/${room.id}/move-out`, { date: '2026-10-31' }), 'reason');
    expect(await stateOfA()).toEqual(before);
  });
});

describe('vehicles', () => {
  it('POST normalises the plate, tells new-energy plates apart, links a space, audited', async () => {
    const space = await createParkingSpace(t.db, { company: a, communityId: f1.community });
    const tail = String(Math.floor(Math.random() * 1e4)).padStart(4, '0');
    const res = await adminA.post('/api/vehicles', { residentId: f1.resident.id, plate: `苏a·d1${tail}`, parkingSpaceId: space.id, brand: '比亚迪', color: '白' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ residentId: f1.resident.id, residentName: f1.resident.name, plate: `苏AD1${tail}`, energy: 'newEnergy', parkingSpaceId: space.id, parkingSpaceNumber: space.number, brand: '比亚迪' });
    const row = await t.db.selectFrom('vehicles').selectAll().where('id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ company_id: a.companyId, community_id: f1.community, plate: `苏AD1${tail}`, energy: 'newEnergy' });
    const [audit] = await auditRows(t.db, res.json().id, 'vehicle.create');
    expect(audit).toMatchObject({ actor_id: a.admin.id, after: { plate: `苏AD1${tail}`, resident_id: f1.resident.id } });
    expect(await auditedInSameTransaction(t.db, audit.id, 'vehicles', res.json().id)).toBe(true);
    const fuel = await adminA.post('/api/vehicles', { residentId: f1.resident.id, plate: ` ${uniquePlate('京N').toLowerCase()} ` });
    expect(fuel.statusCode, fuel.body).toBe(201);
    expect(fuel.json()).toMatchObject({ energy: 'fuel', parkingSpaceId: null });
    expect(fuel.json().plate).toMatch(/^京N[0-9A-Z]{5}$/);
  });

  it.each([
    ['a plate with the letter I', { plate: '苏AI2345' }],
    ['a plate with an unknown province', { plate: '港A12345' }],
    ['a plate that is too short', { plate: '苏A1234' }],
    ['a plate in Latin letters only', { plate: 'ABC12345' }],
  ])('answers 400 for %s naming plate and creates nothing', async (_, body) => {
    const before = await stateOfA();
    expectFieldError(await adminA.post('/api/vehicles', { residentId: f1.resident.id, ...body }), 'plate');
    expect(await stateOfA()).toEqual(before);
  });

  it('refuses a plate already registered (however written) with 409, and a space or resident out of reach with 400', async () => {
    const existing = (await t.db.selectFrom('vehicles').select('plate').where('id', '=', f1.vehicle).executeTakeFirstOrThrow()).plate;
    const before = await stateOfA();
    for (const plate of [existing, `${existing.slice(0, 2)}·${existing.slice(2).toLowerCase()}`]) {
      const res = await adminA.post('/api/vehicles', { residentId: f2.resident.id, plate });
      expect(res.statusCode, plate).toBe(409);
      expect(res.json().error.details.field).toBe('plate');
      expect(res.json().error.message).toContain(existing);
    }
    expectFieldError(await adminA.post('/api/vehicles', { residentId: f1.resident.id, plate: uniquePlate(), parkingSpaceId: f2.space }), 'parkingSpaceId');
    expectFieldError(await adminA.post('/api/vehicles', { residentId: randomUUID(), plate: uniquePlate() }), 'residentId');
    expectFieldError(await adminA.patch(`/api/vehicles/${f1.vehicle}`, { plate: '苏A' }), 'plate');
    expect((await adminA.patch(`/api/vehicles/${f2.vehicle}`, { plate: existing })).statusCode).toBe(409);
    expect(await stateOfA()).toEqual(before);
    // Another company may register the same plate.
    const other = await createResident(t.db, { company: b });
    expect((await adminB.post('/api/vehicles', { residentId: other.id, plate: existing })).statusCode).toBe(201);
  });

  it('lets exactly one of two simultaneous registrations of a plate through; the other is 409 naming plate', async () => {
    const plate = uniquePlate('鲁B');
    const results = await Promise.all([f1, f2].map((f) => adminA.post('/api/vehicles', { residentId: f.resident.id, plate })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().error.details.field).toBe('plate');
    expect(await t.db.selectFrom('vehicles').select('id').where('company_id', '=', a.companyId).where('plate', '=', plate).execute()).toHaveLength(1);
  });

  it('GET lists by plate fragment and community; PATCH and DELETE are audited', async () => {
    const owner = await createResident(t.db, { company: a, communityId: f2.community, name: '车主' });
    const car = await createVehicle(t.db, owner, { plate: uniquePlate('浙B') });
    const list = (await adminA.get(`/api/vehicles?q=${encodeURIComponent(car.plate.slice(0, 5).toLowerCase())}&communityId=${f2.community}`)).json();
    expect(list.items.map((v: { id: string }) => v.id)).toContain(car.id);
    expect(list.items.every((v: { plate: string }) => v.plate.startsWith(car.plate.slice(0, 5)))).toBe(true);
    // Written the way people write plates: with a dot after the province and letter.
    const dotted = (await adminA.get(`/api/vehicles?q=${encodeURIComponent(`${car.plate.slice(0, 2)}·${car.plate.slice(2, 5)}`)}`)).json();
    expect(dotted.items.map((v: { id: string }) => v.id)).toContain(car.id);
    expect((await adminA.get(`/api/vehicles?q=${encodeURIComponent(car.plate)}&communityId=${f1.community}`)).json().total).toBe(0);
    const newPlate = uniquePlate('浙B');
    const upd = await adminA.patch(`/api/vehicles/${car.id}`, { plate: newPlate, color: '黑', parkingSpaceId: f2.space });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json()).toMatchObject({ plate: newPlate, color: '黑', parkingSpaceId: f2.space });
    const [audit] = await auditRows(t.db, car.id, 'vehicle.update');
    expect(audit).toMatchObject({ before: { plate: car.plate }, after: { plate: newPlate, color: '黑' } });
    const del = await adminA.delete(`/api/vehicles/${car.id}`);
    expect(del.statusCode).toBe(204);
    expect(del.body).toBe('');
    expect(await t.db.selectFrom('vehicles').select('id').where('id', '=', car.id).execute()).toEqual([]);
    expect(await auditRows(t.db, car.id, 'vehicle.delete')).toMatchObject([{ actor_id: a.admin.id, before: { plate: newPlate } }]);
    expect((await adminA.delete(`/api/vehicles/${car.id}`)).statusCode).toBe(404);
  });
});

describe('parking holdings', () => {
  it('sells a space to a resident (the space becomes fixed), lists it, refuses overlaps and bad periods', async () => {
    const space = await createParkingSpace(t.db, { company: a, communityId: f1.community });
    const res = await adminA.post(`/api/parking-spaces/${space.id}/holdings`, { residentId: f1.resident.id, holding: 'rented', startDate: '2026-01-01', endDate: '2026-12-31' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ parkingSpaceId: space.id, residentId: f1.resident.id, residentName: f1.resident.name, holding: 'rented', startDate: '2026-01-01', endDate: '2026-12-31' });
    expect((await t.db.selectFrom('parking_spaces').select('mode').where('id', '=', space.id).executeTakeFirstOrThrow()).mode).toBe('fixed');
    expect(await auditRows(t.db, space.id, 'parkingSpace.hold')).toHaveLength(1);
    const sold = await adminA.post(`/api/parking-spaces/${space.id}/holdings`, { residentId: f1.resident.id, holding: 'sold', startDate: '2027-01-01' });
    expect(sold.statusCode, sold.body).toBe(201);
    const list = (await adminA.get(`/api/parking-spaces/${space.id}/holdings`)).json().items;
    expect(list.map((h: { holding: string; startDate: string }) => [h.holding, h.startDate])).toEqual([['sold', '2027-01-01'], ['rented', '2026-01-01']]);

    const before = await stateOfA();
    const overlap = await adminA.post(`/api/parking-spaces/${space.id}/holdings`, { residentId: f1.resident.id, holding: 'rented', startDate: '2026-06-01', endDate: '2026-06-30' });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json().error.details.field).toBe('startDate');
    const other = await createParkingSpace(t.db, { company: a, communityId: f1.community });
    const stateBefore = await stateOfA();
    expectFieldError(await adminA.post(`/api/parking-spaces/${other.id}/holdings`, { residentId: f1.resident.id, holding: 'rented', startDate: '2026-01-01' }), 'endDate');
    expectFieldError(await adminA.post(`/api/parking-spaces/${other.id}/holdings`, { residentId: f1.resident.id, holding: 'sold', startDate: '2026-01-01', endDate: '2025-01-01' }), 'endDate');
    expectFieldError(await adminA.post(`/api/parking-spaces/${other.id}/holdings`, { residentId: f2.resident.id, holding: 'sold', startDate: '2026-01-01' }), 'residentId');
    expectFieldError(await adminA.post(`/api/parking-spaces/${other.id}/holdings`, { residentId: f1.resident.id, holding: 'lent', startDate: '2026-01-01' }), 'holding');
    expect(await stateOfA()).toEqual(stateBefore);
    expect(before.parking_holdings).toEqual(stateBefore.parking_holdings);
  });
});

describe("owners' committee", () => {
  it('adds a member for a term, audited; members are listed to committee roles too', async () => {
    const person = await createResident(t.db, { company: a, communityId: f2.community, name: '钱主任' });
    const res = await adminA.post('/api/committee-members', { communityId: f2.community, residentId: person.id, position: 'deputyDirector', termStart: '2025-06-01', termEnd: '2030-05-31' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ communityId: f2.community, residentId: person.id, residentName: '钱主任', position: 'deputyDirector', current: today() >= '2025-06-01' && today() <= '2030-05-31' });
    const [audit] = await auditRows(t.db, res.json().id, 'committee.add');
    expect(await auditedInSameTransaction(t.db, audit.id, 'committee_members', res.json().id)).toBe(true);
    const member = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'committee', communityIds: [f2.community] })).id);
    const list = await member.get('/api/committee-members');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((m: { id: string }) => m.id)).toContain(res.json().id);
    expect((await member.get(`/api/residents/${person.id}`)).statusCode).toBe(403);
  });

  it('answers 400 naming termEnd, residentId or position and adds nothing', async () => {
    const before = await stateOfA();
    const base = { communityId: f1.community, residentId: f1.resident.id, position: 'member', termStart: '2026-01-01', termEnd: '2028-12-31' };
    expectFieldError(await adminA.post('/api/committee-members', { ...base, termEnd: '2026-01-01' }), 'termEnd');
    expectFieldError(await adminA.post('/api/committee-members', { ...base, residentId: f2.resident.id }), 'residentId');
    expectFieldError(await adminA.post('/api/committee-members', { ...base, position: 'chairman' }), 'position');
    expectFieldError(await adminA.post('/api/committee-members', { ...base, termStart: 'soon' }), 'termStart');
    expect(await stateOfA()).toEqual(before);
  });
});

describe('move-in: register → inspection → handover', () => {
  it('walks a room from unsold to delivered, with status history and audit rows at each step', async () => {
    const room = await createRoom(t.db, { company: a, communityId: f1.community, status: 'unsold' });
    const phone = uniquePhone();
    const reg = await adminA.post('/api/move-ins', { roomId: room.id, resident: { name: '新业主', phone }, noticeNo: 'RZ-2026-001', contractNo: 'HT-88', moveInDate: '2026-11-01', warrantyEnd: '2028-10-31' });
    expect(reg.statusCode, reg.body).toBe(201);
    const id = reg.json().id;
    expect(reg.json()).toMatchObject({ roomId: room.id, residentName: '新业主', noticeNo: 'RZ-2026-001', contractNo: 'HT-88', status: 'registered', items: [], defects: 0, keysCount: null });
    const household = (await adminA.get(`/api/rooms/${room.id}/residents`)).json();
    expect(household.current).toMatchObject([{ residentName: '新业主', relation: 'owner', moveInDate: '2026-11-01', warrantyEnd: '2028-10-31', phone: masked(phone) }]);

    // Handover before inspection: 409, nothing changes.
    let before = await stateOfA();
    const early = await adminA.post(`/api/move-ins/${id}/handover`, { keysCount: 3 });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.details.field).toBe('status');
    expect(await stateOfA()).toEqual(before);

    // A defect without a description: 400 naming the item, nothing changes.
    const noDefect = await adminA.post(`/api/move-ins/${id}/inspection`, { items: [{ area: '客厅', item: '墙面', ok: true }, { area: '卫生间', item: '地漏', ok: false }] });
    expectFieldError(noDefect, 'items.1.defect');
    expectFieldError(await adminA.post(`/api/move-ins/${id}/inspection`, { items: [] }), 'items');
    expectFieldError(await adminA.post(`/api/move-ins/${id}/inspection`, { items: [{ area: '厨房', item: '燃气', ok: false, defect: '' }] }), 'items.0.defect');
    expectFieldError(await adminA.post(`/api/move-ins/${id}/inspection`, { items: [{ area: '厨房', item: '燃气', ok: true, photoFileId: randomUUID() }] }), 'items.photoFileId');
    expect(await stateOfA()).toEqual(before);

    const insp = await adminA.post(`/api/move-ins/${id}/inspection`, { items: [{ area: '卫生间', item: '地漏', ok: false, defect: '排水慢' }, { area: '客厅', item: '墙面', ok: true }, { area: '客厅', item: '门窗', ok: false, defect: '窗框划痕' }] });
    expect(insp.statusCode, insp.body).toBe(200);
    expect(insp.json()).toMatchObject({ status: 'inspected', defects: 2 });
    expect(insp.json().inspectedAt).toEqual(expect.any(String));
    expect(insp.json().items.map((i: { area: string; item: string; ok: boolean; defect: string | null }) => [i.area, i.item, i.ok, i.defect])).toEqual([
      ['卫生间', '地漏', false, '排水慢'],
      ['客厅', '墙面', true, null],
      ['客厅', '门窗', false, '窗框划痕'],
    ]);
    // Re-inspection replaces the checklist.
    const again = await adminA.post(`/api/move-ins/${id}/inspection`, { items: [{ area: '卫生间', item: '地漏', ok: false, defect: '排水慢' }, { area: '客厅', item: '墙面', ok: true }] });
    expect(again.json().defects).toBe(1);
    expect(await t.db.selectFrom('move_in_inspection_items').select('id').where('move_in_id', '=', id).execute()).toHaveLength(2);

    const ho = await adminA.post(`/api/move-ins/${id}/handover`, { keysCount: 3, note: '钥匙 3 把，门禁卡 2 张' });
    expect(ho.statusCode, ho.body).toBe(200);
    expect(ho.json()).toMatchObject({ status: 'handedOver', keysCount: 3, handoverNote: '钥匙 3 把，门禁卡 2 张' });
    const detail = (await adminA.get(`/api/rooms/${room.id}`)).json();
    expect(detail.status).toBe('delivered');
    expect(detail.history.map((h: { fromStatus: string | null; toStatus: string }) => [h.fromStatus, h.toStatus])).toEqual([['unsold', 'delivered'], [null, 'unsold']]);
    expect(detail.history[0].reason).toContain('RZ-2026-001');
    const moveInAudits = await auditRows(t.db, id);
    expect(moveInAudits.map((r) => r.action)).toEqual(['moveIn.register', 'moveIn.inspect', 'moveIn.inspect', 'moveIn.handover']);
    expect(await auditedInSameTransaction(t.db, moveInAudits[0].id, 'move_ins', id)).toBe(true);
    expect(await auditRows(t.db, room.id, 'room.status')).toMatchObject([{ before: { status: 'unsold' }, after: { status: 'delivered' } }]);

    // Once handed over, the steps are closed.
    before = await stateOfA();
    expect((await adminA.post(`/api/move-ins/${id}/handover`, { keysCount: 1 })).statusCode).toBe(409);
    expect((await adminA.post(`/api/move-ins/${id}/inspection`, { items: [{ area: '客厅', item: '墙面', ok: true }] })).statusCode).toBe(409);
    expect(await stateOfA()).toEqual(before);
    const listed = (await adminA.get(`/api/move-ins?roomId=${room.id}`)).json().items;
    expect(listed.map((m: { id: string; status: string }) => [m.id, m.status])).toEqual([[id, 'handedOver']]);
    expect((await adminA.get(`/api/move-ins/${id}`)).json()).toMatchObject({ id, status: 'handedOver', defects: 1, roomLabel: expect.stringContaining(room.number) });
  });

  it('makes the room occupied when the owner moves in at handover, with an existing resident', async () => {
    const room = await createRoom(t.db, { company: a, communityId: f1.community, status: 'vacant' });
    const person = await createResident(t.db, { company: a, communityId: f1.community });
    const reg = await adminA.post('/api/move-ins', { roomId: room.id, residentId: person.id, noticeNo: 'RZ-2', contractNo: 'HT-2', moveInDate: '2026-11-02' });
    expect(reg.statusCode, reg.body).toBe(201);
    await adminA.post(`/api/move-ins/${reg.json().id}/inspection`, { items: [{ area: '客厅', item: '墙面', ok: true }] });
    const ho = await adminA.post(`/api/move-ins/${reg.json().id}/handover`, { keysCount: 2, occupyNow: true });
    expect(ho.statusCode, ho.body).toBe(200);
    const detail = (await adminA.get(`/api/rooms/${room.id}`)).json();
    expect(detail.status).toBe('occupied');
    expect(detail.history[0]).toMatchObject({ fromStatus: 'vacant', toStatus: 'occupied' });
  });

  it('lets exactly one of two simultaneous registrations for a room through; the other is 409 naming roomId', async () => {
    const room = await createRoom(t.db, { company: a, communityId: f1.community, status: 'unsold' });
    const buyers = [await createResident(t.db, { room, relation: 'owner', sharePercent: '50' }), await createResident(t.db, { room, relation: 'owner', sharePercent: '50' })];
    const results = await Promise.all(buyers.map((p) => adminA.post('/api/move-ins', { roomId: room.id, residentId: p.id, noticeNo: 'RZ-9', contractNo: 'HT-9', moveInDate: '2026-11-01' })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().error.details.field).toBe('roomId');
    expect(await t.db.selectFrom('move_ins').select('id').where('room_id', '=', room.id).execute()).toHaveLength(1);
  });

  it('refuses a second open move-in, a room already fully owned, and bad fields, changing nothing', async () => {
    const room = await createRoom(t.db, { company: a, communityId: f1.community, status: 'unsold' });
    expect((await adminA.post('/api/move-ins', { roomId: room.id, resident: { name: '甲' }, noticeNo: 'A', contractNo: 'B', moveInDate: '2026-11-01' })).statusCode).toBe(201);
    const owned = await createRoom(t.db, { company: a, communityId: f1.community });
    await createResident(t.db, { room: owned, relation: 'owner' });
    const before = await stateOfA();
    const open = await adminA.post('/api/move-ins', { roomId: room.id, resident: { name: '乙' }, noticeNo: 'C', contractNo: 'D', moveInDate: '2026-11-01' });
    expect(open.statusCode).toBe(409);
    expect(open.json().error.details.field).toBe('roomId');
    const full = await adminA.post('/api/move-ins', { roomId: owned.id, resident: { name: '丙', phone: uniquePhone() }, noticeNo: 'E', contractNo: 'F', moveInDate: '2026-11-01' });
    expect(full.statusCode).toBe(409);
    expect(full.json().error.details.field).toBe('sharePercent');
    const base = { roomId: owned.id, resident: { name: '丁' }, noticeNo: 'G', contractNo: 'H', moveInDate: '2026-11-01' };
    expectFieldError(await adminA.post('/api/move-ins', { ...base, noticeNo: undefined }), 'noticeNo');
    expectFieldError(await adminA.post('/api/move-ins', { ...base, moveInDate: '11/01/2026' }), 'moveInDate');
    expectFieldError(await adminA.post('/api/move-ins', { ...base, residentId: f1.resident.id }), 'residentId');
    expectFieldError(await adminA.post('/api/move-ins', { ...base, roomId: randomUUID() }), 'roomId');
    expectFieldError(await adminA.post('/api/move-ins', { ...base, resident: { name: '丁', phone: '110' } }), 'resident.phone');
    expectFieldError(await adminA.post(`/api/move-ins/${f1.moveIn}/handover`, { keysCount: 51 }), 'keysCount');
    expect(await stateOfA()).toEqual(before);
  });
});

describe('owner home and household requests', () => {
  let room: TestRoom;
  let owner: TestResident;
  let ownerClient: Client;
  let plate: string;

  beforeAll(async () => {
    const building = await createBuilding(t.db, { company: a, communityId: f1.community, name: '9栋', units: ['2单元'] });
    room = await createRoom(t.db, { building, floor: 12, number: '1202', status: 'occupied' });
    owner = await createResident(t.db, { room, name: '张三丰', relation: 'owner' });
    await createResident(t.db, { room, name: '李秋水', relation: 'family' });
    plate = (await createVehicle(t.db, owner)).plate;
    await createOwnerUser(t.db, a, owner.phone!);
    ownerClient = await ownerLogin(t.app, t.db, owner.phone!);
  });

  it("GET /api/owner/home lists the owner's rooms, household (phones masked) and vehicles", async () => {
    const res = await ownerClient.get('/api/owner/home');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rooms).toHaveLength(1);
    const home = res.json().rooms[0];
    expect(home).toMatchObject({ id: room.id, label: '9栋-2单元-1202', relation: 'owner', builtArea: '89.50', status: 'occupied', community: expect.stringContaining('小区1') });
    expect(home.household.map((h: { name: string; relation: string; isMe: boolean }) => [h.name, h.relation, h.isMe])).toEqual([
      ['李秋水', 'family', false],
      ['张三丰', 'owner', true],
    ]);
    expect(home.household.find((h: { isMe: boolean }) => h.isMe).phone).toBe(masked(owner.phone!));
    expect(home.vehicles).toEqual([{ plate, owner: '张三丰' }]);
    expect(res.body).not.toContain(owner.phone);
  });

  it("shows a tenant the others' names masked and their own in full", async () => {
    const tenant = await createResident(t.db, { room, name: '王租户', relation: 'tenant' });
    await createOwnerUser(t.db, a, tenant.phone!);
    const viewer = await ownerLogin(t.app, t.db, tenant.phone!);
    const home = (await viewer.get('/api/owner/home')).json().rooms[0];
    expect(home.relation).toBe('tenant');
    expect(home.household.map((h: { name: string; isMe: boolean }) => [h.name, h.isMe])).toEqual([
      ['李秋水'.slice(0, 1) + '**', false],
      ['张**', false],
      ['王租户', true],
    ]);
    expect(home.vehicles).toEqual([{ plate, owner: '张**' }]);
    // A tenant may not ask to add people.
    const before = await stateOfA();
    expectFieldError(await viewer.post('/api/owner/household-requests', { roomId: room.id, name: '室友', relation: 'family' }), 'roomId');
    expect(await stateOfA()).toEqual(before);
    await t.db.updateTable('room_residents').set({ end_date: '2026-11-01', end_reason: '测试结束' }).where('id', '=', tenant.linkId!).execute();
  });

  it('an owner asks to add a family member; staff see it masked and approve it once', async () => {
    const phone = uniquePhone();
    const res = await ownerClient.post('/api/owner/household-requests', { roomId: room.id, name: '张无忌', phone, relation: 'family', note: '儿子' });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    expect(res.json()).toMatchObject({ roomId: room.id, roomLabel: '9栋-2单元-1202', name: '张无忌', phone: masked(phone), relation: 'family', status: 'pending', note: '儿子' });
    const [requested] = await auditRows(t.db, id, 'household.request');
    expect(requested).toMatchObject({ actor_id: ownerClient.me.user.id, after: { roomId: room.id, relation: 'family' } });
    expect(await auditedInSameTransaction(t.db, requested.id, 'household_requests', id)).toBe(true);
    expect((await ownerClient.get('/api/owner/household-requests')).json().items.map((r: { id: string }) => r.id)).toEqual([id]);
    const pending = await adminA.get('/api/household-requests?status=pending&pageSize=200');
    expect(pending.json().items.map((r: { id: string }) => r.id)).toContain(id);
    expect(pending.body).not.toContain(phone);

    const approve = await adminA.post(`/api/household-requests/${id}/approve`, { note: '已核实' });
    expect(approve.statusCode, approve.body).toBe(200);
    expect(approve.json()).toMatchObject({ status: 'approved', decisionNote: '已核实' });
    const resident = await t.db.selectFrom('residents').select(['id', 'name', 'community_id']).where('company_id', '=', a.companyId).where('phone', '=', phone).executeTakeFirstOrThrow();
    expect(resident).toMatchObject({ name: '张无忌', community_id: f1.community });
    const link = await t.db.selectFrom('room_residents').select(['relation', 'end_date']).where('room_id', '=', room.id).where('resident_id', '=', resident.id).executeTakeFirstOrThrow();
    expect(link).toEqual({ relation: 'family', end_date: null });
    expect(await t.db.selectFrom('household_requests').select(['resident_id', 'decided_by']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ resident_id: resident.id, decided_by: a.admin.id });
    expect(await auditRows(t.db, id, 'household.approve')).toHaveLength(1);

    const before = await stateOfA();
    for (const verb of ['approve', 'reject']) {
      const again = await adminA.post(`/api/household-requests/${id}/${verb}`, {});
      expect(again.statusCode, verb).toBe(409);
      expect(again.json().error.code).toBe('CONFLICT');
    }
    expect(await stateOfA()).toEqual(before);
    const home = (await ownerClient.get('/api/owner/home')).json().rooms[0];
    expect(home.household.map((h: { name: string }) => h.name)).toContain('张无忌');
  });

  it('approving a tenant request rents the room out; a rejected request links nobody', async () => {
    const lease = { leaseStart: '2026-12-01', leaseEnd: '2027-11-30' };
    const tenantReq = (await ownerClient.post('/api/owner/household-requests', { roomId: room.id, name: '周租客', relation: 'tenant', ...lease })).json();
    expect(tenantReq).toMatchObject({ relation: 'tenant', ...lease });
    expect((await adminA.post(`/api/household-requests/${tenantReq.id}/approve`, {})).statusCode).toBe(200);
    expect((await adminA.get(`/api/rooms/${room.id}`)).json().status).toBe('rented');
    const rejectMe = (await ownerClient.post('/api/owner/household-requests', { roomId: room.id, name: '不批准', relation: 'family' })).json();
    const rejected = await adminA.post(`/api/household-requests/${rejectMe.id}/reject`, { note: '信息不全' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionNote: '信息不全' });
    expect(await t.db.selectFrom('residents').select('id').where('company_id', '=', a.companyId).where('name', '=', '不批准').execute()).toEqual([]);
    expect(await auditRows(t.db, rejectMe.id, 'household.reject')).toHaveLength(1);
  });

  it("refuses a room the owner doesn't own (400 naming roomId), a tenant without lease dates and bad fields, changing nothing", async () => {
    const before = await stateOfA();
    expectFieldError(await ownerClient.post('/api/owner/household-requests', { roomId: f1.room.id, name: '外人', relation: 'family' }), 'roomId');
    expectFieldError(await ownerClient.post('/api/owner/household-requests', { roomId: randomUUID(), name: '外人', relation: 'family' }), 'roomId');
    expectFieldError(await ownerClient.post('/api/owner/household-requests', { roomId: room.id, name: '租客', relation: 'tenant' }), 'leaseStart');
    expectFieldError(await ownerClient.post('/api/owner/household-requests', { roomId: room.id, name: '租客', relation: 'tenant', leaseStart: '2027-01-01', leaseEnd: '2026-01-01' }), 'leaseEnd');
    expectFieldError(await ownerClient.post('/api/owner/household-requests', { roomId: room.id, name: '亲戚', relation: 'owner' }), 'relation');
    expectFieldError(await ownerClient.post('/api/owner/household-requests', { roomId: room.id, name: '亲戚', relation: 'family', phone: '123' }), 'phone');
    expectFieldError(await adminA.get('/api/household-requests?status=done'), 'status');
    expectFieldError(await adminA.post(`/api/household-requests/${f1.request}/approve`, { note: 'x'.repeat(301) }), 'note');
    expect(await stateOfA()).toEqual(before);
  });
});
