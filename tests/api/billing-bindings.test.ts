import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { companyRows, createBuilding, createParkingSpace, createRoom, createRooms, type TestRoom } from '../helpers/factories.ts';
import { auditRows, expectFieldError } from '../helpers/api.ts';
import { type BillingCompany, billingCompany, bind, feeItem } from '../helpers/billing.ts';

/**
 * Bindings (which room or parking space pays which item, from when to when), bulk binding, and 空置房 approvals.
 */

let t: TestApp;
let a: BillingCompany;
let b: BillingCompany;
let property: { id: string };
let parking: { id: string };
let fixed: { id: string };
let room: TestRoom;
let foreignRoom: TestRoom;

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([billingCompany(t), billingCompany(t)]);
  property = await feeItem(a.admin2, a, { kind: 'property', unitPrice: '1.80' });
  parking = await feeItem(a.admin2, a, { kind: 'parking', unitPrice: '300' });
  fixed = await feeItem(a.admin2, a, { kind: 'fixed', unitPrice: '20', communities: [{ communityId: a.communityIds[0] }, { communityId: a.communityIds[1] }] });
  room = await createRoom(t.db, { company: a, communityId: a.communityIds[0] });
  foreignRoom = await createRoom(t.db, { company: b, communityId: b.communityIds[0] });
});

const bindingTables = () => companyRows(t.db, a.companyId, ['fee_bindings', 'vacancy_approvals']);

describe('POST /api/fee-bindings', () => {
  it('binds a room to 物业费 from a move-in date; audited', async () => {
    const r = await createRoom(t.db, { company: a, communityId: a.communityIds[0] });
    const res = await a.admin2.post('/api/fee-bindings', { itemId: property.id, roomId: r.id, startDate: '2026-11-17', note: '入住' });
    expect(res.statusCode, res.body).toBe(201);
    const binding = res.json();
    expect(binding).toMatchObject({ itemId: property.id, itemKind: 'property', roomId: r.id, parkingSpaceId: null, startDate: '2026-11-17', endDate: null, unitPrice: null, communityId: a.communityIds[0] });
    expect(binding.roomLabel).toContain(r.number);
    const row = await t.db.selectFrom('fee_bindings').selectAll().where('id', '=', binding.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ company_id: a.companyId, target_id: r.id, start_date: '2026-11-17', created_by: a.admin.id });
    expect(await auditRows(t.db, binding.id, 'feeBinding.create')).toHaveLength(1);
  });

  it('binds a parking space to 停车费 with its own price', async () => {
    const space = await createParkingSpace(t.db, { company: a, communityId: a.communityIds[0] });
    const binding = await bind(a.admin2, { itemId: parking.id, parkingSpaceId: space.id, startDate: '2026-01-01', unitPrice: '250' });
    expect(binding).toMatchObject({ parkingSpaceId: space.id, parkingSpaceNumber: space.number, unitPrice: '250.0000' });
  });

  it.each([
    ['no target', () => ({ itemId: property.id, startDate: '2026-01-01' }), 'roomId'],
    ['a parking space for 物业费', () => ({ itemId: property.id, parkingSpaceId: 'SPACE', startDate: '2026-01-01' }), 'parkingSpaceId'],
    ['a room for 停车费', () => ({ itemId: parking.id, roomId: room.id, startDate: '2026-01-01' }), 'roomId'],
    ['both a room and a space', () => ({ itemId: fixed.id, roomId: room.id, parkingSpaceId: 'SPACE', startDate: '2026-01-01' }), 'parkingSpaceId'],
    ['another company’s room', () => ({ itemId: property.id, roomId: foreignRoom.id, startDate: '2026-01-01' }), 'roomId'],
    ['an unknown item', () => ({ itemId: randomUUID(), roomId: room.id, startDate: '2026-01-01' }), 'itemId'],
    ['an end before the start', () => ({ itemId: property.id, roomId: room.id, startDate: '2026-05-01', endDate: '2026-04-30' }), 'endDate'],
    ['a price with 5 decimals', () => ({ itemId: property.id, roomId: room.id, startDate: '2026-01-01', unitPrice: '1.00001' }), 'unitPrice'],
    ['a date that does not exist', () => ({ itemId: property.id, roomId: room.id, startDate: '2026-02-30' }), 'startDate'],
  ])('%s → 400 naming the field', async (_label, body, field) => {
    const space = await createParkingSpace(t.db, { company: a, communityId: a.communityIds[0] });
    const before = await bindingTables();
    const json = JSON.parse(JSON.stringify(body()).replaceAll('SPACE', space.id));
    expectFieldError(await a.admin2.post('/api/fee-bindings', json), field);
    expect((await bindingTables()).fee_bindings).toEqual(before.fee_bindings);
  });

  it('an item not enabled in the room’s community → 400 itemId', async () => {
    const other = await createRoom(t.db, { company: a, communityId: a.communityIds[1] });
    const res = await a.admin2.post('/api/fee-bindings', { itemId: property.id, roomId: other.id, startDate: '2026-01-01' });
    expectFieldError(res, 'itemId');
  });

  it('an overlapping binding of the same item and room → 409; a later one after the end date is fine', async () => {
    const r = await createRoom(t.db, { company: a, communityId: a.communityIds[0] });
    await bind(a.admin2, { itemId: property.id, roomId: r.id, startDate: '2026-01-01', endDate: '2026-06-30' });
    const clash = await a.admin2.post('/api/fee-bindings', { itemId: property.id, roomId: r.id, startDate: '2026-06-30' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.message).toContain('2026-01-01');
    await bind(a.admin2, { itemId: property.id, roomId: r.id, startDate: '2026-07-01' });
    // A different item on the same room does not clash.
    await bind(a.admin2, { itemId: fixed.id, roomId: r.id, startDate: '2026-01-01' });
  });

  it('403 for the cashier and the technician', async () => {
    for (const client of [a.cashier, a.technician]) expect((await client.post('/api/fee-bindings', { itemId: fixed.id, roomId: room.id, startDate: '2026-01-01' })).statusCode).toBe(403);
  });
});

describe('PATCH /api/fee-bindings/:id and GET /api/fee-bindings', () => {
  it('ends a binding at move-out (audited) and lists by room and date', async () => {
    const r = await createRoom(t.db, { company: a, communityId: a.communityIds[0] });
    const binding = await bind(a.admin2, { itemId: property.id, roomId: r.id, startDate: '2026-01-01' });
    const res = await a.admin2.patch(`/api/fee-bindings/${binding.id}`, { endDate: '2026-11-20' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().endDate).toBe('2026-11-20');
    expect((await t.db.selectFrom('fee_bindings').select('end_date').where('id', '=', binding.id).executeTakeFirstOrThrow()).end_date).toBe('2026-11-20');
    expect(await auditRows(t.db, binding.id, 'feeBinding.update')).toHaveLength(1);
    const active = await a.cashier.get(`/api/fee-bindings?roomId=${r.id}&activeOn=2026-12-01`);
    expect(active.json().total).toBe(0);
    const before = await a.cashier.get(`/api/fee-bindings?roomId=${r.id}&activeOn=2026-11-20`);
    expect(before.json().items.map((x: { id: string }) => x.id)).toEqual([binding.id]);
  });

  it('an end before the start → 400 endDate; an end that would overlap a later binding → 409', async () => {
    const r = await createRoom(t.db, { company: a, communityId: a.communityIds[0] });
    const first = await bind(a.admin2, { itemId: property.id, roomId: r.id, startDate: '2026-01-01', endDate: '2026-03-31' });
    await bind(a.admin2, { itemId: property.id, roomId: r.id, startDate: '2026-05-01' });
    expectFieldError(await a.admin2.patch(`/api/fee-bindings/${first.id}`, { endDate: '2025-12-31' }), 'endDate');
    expect((await a.admin2.patch(`/api/fee-bindings/${first.id}`, { endDate: null })).statusCode).toBe(409);
  });

  it('another company’s binding → 404 and unchanged; cashier → 403; technician cannot list', async () => {
    const bItem = await feeItem(b.admin2, b, { kind: 'property', unitPrice: '2' });
    const binding = await bind(b.admin2, { itemId: bItem.id, roomId: foreignRoom.id, startDate: '2026-01-01' });
    expect((await a.admin2.patch(`/api/fee-bindings/${binding.id}`, { endDate: '2026-02-01' })).statusCode).toBe(404);
    expect((await t.db.selectFrom('fee_bindings').select('end_date').where('id', '=', binding.id).executeTakeFirstOrThrow()).end_date).toBeNull();
    const list = await a.admin2.get('/api/fee-bindings?pageSize=200');
    expect(list.json().items.map((x: { id: string }) => x.id)).not.toContain(binding.id);
    const own = await bind(a.admin2, { itemId: fixed.id, roomId: (await createRoom(t.db, { company: a, communityId: a.communityIds[0] })).id, startDate: '2026-01-01' });
    expect((await a.cashier.patch(`/api/fee-bindings/${own.id}`, { endDate: '2026-02-01' })).statusCode).toBe(403);
    expect((await a.technician.get('/api/fee-bindings')).statusCode).toBe(403);
  });
});

describe('POST /api/fee-bindings/bulk', () => {
  it('binds every room of a building once; again binds nothing; audited with counts', async () => {
    const co = await billingCompany(t, { communities: 1 });
    const item = await feeItem(co.admin2, co, { kind: 'property', unitPrice: '1.5' });
    const building = await createBuilding(t.db, { company: co, communityId: co.communityIds[0] });
    await createRooms(t.db, building, Array.from({ length: 12 }, (_, i) => ({ floor: Math.floor(i / 4) + 1, number: `${Math.floor(i / 4) + 1}0${(i % 4) + 1}` })));
    const elsewhere = await createRoom(t.db, { company: co, communityId: co.communityIds[0] });
    const res = await co.admin2.post('/api/fee-bindings/bulk', { itemId: item.id, communityId: co.communityIds[0], buildingId: building.id, startDate: '2026-01-01' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ created: 12, skipped: 0 });
    expect((await co.admin2.post('/api/fee-bindings/bulk', { itemId: item.id, communityId: co.communityIds[0], buildingId: building.id, startDate: '2026-06-01' })).json()).toEqual({ created: 0, skipped: 12 });
    // The whole community: only the room outside the building is new.
    expect((await co.admin2.post('/api/fee-bindings/bulk', { itemId: item.id, communityId: co.communityIds[0], startDate: '2026-01-01' })).json()).toEqual({ created: 1, skipped: 12 });
    const rows = await t.db.selectFrom('fee_bindings').select(['room_id', 'created_by']).where('item_id', '=', item.id).execute();
    expect(rows).toHaveLength(13);
    expect(rows.map((r) => r.room_id)).toContain(elsewhere.id);
    const audit = await auditRows(t.db, item.id, 'feeBinding.bulk');
    expect(audit.map((x) => (x.after as { created: number }).created)).toEqual([12, 0, 1]);
  });

  it('binds every parking space of a community to a parking item; a building for it → 400 buildingId', async () => {
    const co = await billingCompany(t, { communities: 1 });
    const item = await feeItem(co.admin2, co, { kind: 'parking', unitPrice: '200' });
    for (let i = 0; i < 3; i++) await createParkingSpace(t.db, { company: co, communityId: co.communityIds[0] });
    expect((await co.admin2.post('/api/fee-bindings/bulk', { itemId: item.id, communityId: co.communityIds[0], startDate: '2026-01-01' })).json()).toEqual({ created: 3, skipped: 0 });
    const building = await createBuilding(t.db, { company: co, communityId: co.communityIds[0] });
    expectFieldError(await co.admin2.post('/api/fee-bindings/bulk', { itemId: item.id, communityId: co.communityIds[0], buildingId: building.id, startDate: '2026-01-01' }), 'buildingId');
  });

  it('another company’s community → 400 communityId; its building → 400 buildingId; not enabled → 400 itemId; cashier → 403', async () => {
    const building = await createBuilding(t.db, { company: b, communityId: b.communityIds[0] });
    expectFieldError(await a.admin2.post('/api/fee-bindings/bulk', { itemId: property.id, communityId: b.communityIds[0], startDate: '2026-01-01' }), 'communityId');
    expectFieldError(await a.admin2.post('/api/fee-bindings/bulk', { itemId: property.id, communityId: a.communityIds[0], buildingId: building.id, startDate: '2026-01-01' }), 'buildingId');
    expectFieldError(await a.admin2.post('/api/fee-bindings/bulk', { itemId: property.id, communityId: a.communityIds[1], startDate: '2026-01-01' }), 'itemId');
    expect((await a.cashier.post('/api/fee-bindings/bulk', { itemId: property.id, communityId: a.communityIds[0], startDate: '2026-01-01' })).statusCode).toBe(403);
  });
});

describe('/api/vacancy-approvals', () => {
  it('approves a vacant room (audited), refuses an occupied one (409) and an overlap (409), ends it', async () => {
    const vacant = await createRoom(t.db, { company: a, communityId: a.communityIds[0], status: 'vacant' });
    const occupied = await createRoom(t.db, { company: a, communityId: a.communityIds[0], status: 'occupied' });
    expect((await a.admin2.post('/api/vacancy-approvals', { roomId: occupied.id, startDate: '2026-01-01' })).statusCode).toBe(409);
    const res = await a.admin2.post('/api/vacancy-approvals', { roomId: vacant.id, startDate: '2026-01-01', note: '业主未入住' });
    expect(res.statusCode, res.body).toBe(201);
    const approval = res.json();
    expect(approval).toMatchObject({ roomId: vacant.id, startDate: '2026-01-01', endDate: null });
    expect(await auditRows(t.db, approval.id, 'vacancy.approve')).toHaveLength(1);
    expect((await a.admin2.post('/api/vacancy-approvals', { roomId: vacant.id, startDate: '2026-03-01' })).statusCode).toBe(409);
    expectFieldError(await a.admin2.post(`/api/vacancy-approvals/${approval.id}/end`, { endDate: '2025-12-31' }), 'endDate');
    const ended = await a.admin2.post(`/api/vacancy-approvals/${approval.id}/end`, { endDate: '2026-11-15' });
    expect(ended.json().endDate).toBe('2026-11-15');
    expect((await a.cashier.get(`/api/vacancy-approvals?roomId=${vacant.id}`)).json().total).toBe(1);
  });

  it('another company’s room → 400 roomId; its approval → 404; cashier → 403', async () => {
    const vacant = await createRoom(t.db, { company: b, communityId: b.communityIds[0], status: 'vacant' });
    expectFieldError(await a.admin2.post('/api/vacancy-approvals', { roomId: vacant.id, startDate: '2026-01-01' }), 'roomId');
    const approval = (await b.admin2.post('/api/vacancy-approvals', { roomId: vacant.id, startDate: '2026-01-01' })).json();
    expect((await a.admin2.post(`/api/vacancy-approvals/${approval.id}/end`, { endDate: '2026-02-01' })).statusCode).toBe(404);
    expect((await a.cashier.post('/api/vacancy-approvals', { roomId: room.id, startDate: '2026-01-01' })).statusCode).toBe(403);
    expect((await a.technician.get('/api/vacancy-approvals')).statusCode).toBe(403);
  });
});
