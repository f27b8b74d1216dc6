import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { type Client, createCompany, createOwnerUser, createParkingSpace, createResident, createRoom, login, type TestCompany } from '../helpers/factories.ts';
import { anonymous, auditRows, ownerLogin } from '../helpers/api.ts';

/** Ending what was started: cancelling a mistaken move-in, ending a parking holding, who asked for a household change. */
let t: TestApp;
let a: TestCompany;
let b: TestCompany;
let adminA: Client;
let adminB: Client;

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([createCompany(t.db), createCompany(t.db)]);
  adminA = await login(t.app, a.admin.username);
  adminB = await login(t.app, b.admin.username);
});

describe('POST /api/move-ins/:id/cancel', () => {
  it('cancels a mistaken registration so the room can be registered again; a handed-over one cannot be cancelled', async () => {
    const room = await createRoom(t.db, { company: a });
    const first = await adminA.post('/api/move-ins', { roomId: room.id, resident: { name: '错登业主' }, noticeNo: 'RZ-X1', contractNo: 'HT-X1', moveInDate: '2026-11-01' });
    expect(first.statusCode, first.body).toBe(201);
    expect((await adminA.post('/api/move-ins', { roomId: room.id, resident: { name: '正确业主' }, noticeNo: 'RZ-X2', contractNo: 'HT-X2', moveInDate: '2026-11-02' })).statusCode).toBe(409);
    expect((await anonymous(t.app, 'POST', `/api/move-ins/${first.json().id}/cancel`, { reason: 'x' })).statusCode).toBe(401);
    expect((await adminA.post(`/api/move-ins/${first.json().id}/cancel`, {})).json().error.message).toContain('reason');
    expect((await adminB.post(`/api/move-ins/${first.json().id}/cancel`, { reason: '登记错误' })).statusCode).toBe(404);
    const cancelled = await adminA.post(`/api/move-ins/${first.json().id}/cancel`, { reason: '登记错误' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    expect((await auditRows(t.db, first.json().id, 'moveIn.cancel')).length).toBe(1);
    const again = await adminA.post('/api/move-ins', { roomId: room.id, residentId: first.json().residentId, noticeNo: 'RZ-X3', contractNo: 'HT-X3', moveInDate: '2026-11-02' });
    expect(again.statusCode, again.body).toBe(201);
    await adminA.post(`/api/move-ins/${again.json().id}/inspection`, { items: [{ area: '客厅', item: '墙面', ok: true }] });
    await adminA.post(`/api/move-ins/${again.json().id}/handover`, { keysCount: 2 });
    expect((await adminA.post(`/api/move-ins/${again.json().id}/cancel`, { reason: '反悔' })).statusCode).toBe(409);
  });
});

describe('POST /api/parking-holdings/:id/end', () => {
  it('ends a holding; the space turns shared when nothing holds it', async () => {
    const space = await createParkingSpace(t.db, { company: a });
    const resident = await createResident(t.db, { company: a });
    const held = await adminA.post(`/api/parking-spaces/${space.id}/holdings`, { residentId: resident.id, holding: 'rented', startDate: '2026-01-01', endDate: '2027-12-31' });
    expect(held.statusCode, held.body).toBe(201);
    expect((await t.db.selectFrom('parking_spaces').select('mode').where('id', '=', space.id).executeTakeFirstOrThrow()).mode).toBe('fixed');
    const id = held.json().id;
    expect((await anonymous(t.app, 'POST', `/api/parking-holdings/${id}/end`, { endDate: '2026-06-30' })).statusCode).toBe(401);
    expect((await adminB.post(`/api/parking-holdings/${id}/end`, { endDate: '2026-06-30' })).statusCode).toBe(404);
    const early = await adminA.post(`/api/parking-holdings/${id}/end`, { endDate: '2025-12-31' });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.details.field).toBe('endDate');
    const ended = await adminA.post(`/api/parking-holdings/${id}/end`, { endDate: '2026-06-30' });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json().endDate).toBe('2026-06-30');
    expect((await t.db.selectFrom('parking_spaces').select('mode').where('id', '=', space.id).executeTakeFirstOrThrow()).mode).toBe('shared');
    expect((await adminA.post(`/api/parking-holdings/${id}/end`, { endDate: '2026-07-31' })).statusCode).toBe(409);
  });
});

describe('household requests name who asked and where', () => {
  it('returns the requester name and community in the staff queue', async () => {
    const room = await createRoom(t.db, { company: a });
    const owner = await createResident(t.db, { company: a, room, relation: 'owner' } as never);
    const account = await createOwnerUser(t.db, a, owner.phone!);
    await t.db.updateTable('users').set({ display_name: '提出人', resident_id: owner.id }).where('id', '=', account.id).execute();
    const ownerClient = await ownerLogin(t.app, t.db, owner.phone!);
    const req = await ownerClient.post('/api/owner/household-requests', { roomId: room.id, name: '家属甲', relation: 'family' });
    expect(req.statusCode, req.body).toBe(201);
    const queue = await adminA.get('/api/household-requests?status=pending');
    const mine = queue.json().items.find((r: { id: string }) => r.id === req.json().id);
    expect(mine).toMatchObject({ requesterName: '提出人', communityId: room.communityId, roomId: room.id });
  });
});
