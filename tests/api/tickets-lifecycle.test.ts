import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { ensureDesk } from '../../src/modules/servicedesk/config.ts';
import sharp from 'sharp';
import { createCompany, createOwnerUser, createResident, createRoom, createStaffUser, login, type Client, type TestCompany } from '../helpers/factories.ts';
import { ownerLogin, upload } from '../helpers/api.ts';

let t: TestApp;
let co: TestCompany;
let desk: Client;
let tech: Client;
let techId: string;

async function category(kind: string, code: string) {
  const row = await t.db.selectFrom('ticket_categories').select('id').where('company_id', '=', co.companyId).where('kind', '=', kind as 'homeRepair').where('code', '=', code).executeTakeFirstOrThrow();
  return row.id;
}

beforeAll(async () => {
  t = await testApp();
  co = await createCompany(t.db, { communities: 1 });
  desk = await login(t.app, co.admin.username);
  const tu = await createStaffUser(t.db, co, { role: 'technician' });
  techId = tu.id;
  tech = await login(t.app, tu.username);
  await ensureDesk(t.db, co.companyId);
});

describe('ticket lifecycle', () => {
  it('registers, dispatches, checks in, completes and closes a public repair', async () => {
    const room = await createRoom(t.db, { company: co });
    const cat = await category('homeRepair', 'waterElectric');
    const res = await desk.post('/api/tickets', { communityId: co.communityIds[0], kind: 'homeRepair', categoryId: cat, roomId: room.id, title: '卫生间漏水', channel: 'hotline', reporterName: '张先生', reporterPhone: '13800001234' });
    expect(res.statusCode, res.body).toBe(201);
    const tk = res.json();
    expect(tk.status).toBe('submitted');
    expect(tk.clocks.map((c: { clock: string }) => c.clock)).toEqual(['respond', 'resolve']);
    expect(tk.reporterPhone).toBe('13800001234'); // the administrator may see personal data in full
    expect((await tech.get(`/api/tickets/${tk.id}`)).json().reporterPhone).toBe('138****1234');

    const d = await desk.post(`/api/tickets/${tk.id}/dispatch`, { assigneeId: techId });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json().status).toBe('dispatched');
    expect(d.json().clocks[0].state).toBe('met');
    expect(d.json().timeline.at(-1).payload.assigneeName).toBeTruthy();
    // Now the technician is on the job and may call the reporter.
    expect((await tech.get(`/api/tickets/${tk.id}`)).json().reporterPhone).toBe('13800001234');

    expect((await tech.post(`/api/tickets/${tk.id}/acknowledge`, {})).statusCode).toBe(200);
    const arr = await tech.post(`/api/tickets/${tk.id}/arrive`, {});
    expect(arr.statusCode, arr.body).toBe(200);
    expect((await tech.post(`/api/tickets/${tk.id}/start`, {})).json().status).toBe('inProgress');
    const m = await tech.post(`/api/tickets/${tk.id}/materials`, { items: [{ name: '生料带', quantity: 1, unit: '卷', priceFen: 300 }] });
    expect(m.statusCode, m.body).toBe(200);
    const done = await tech.post(`/api/tickets/${tk.id}/complete`, { note: '已更换阀门' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().status).toBe('completed');
    expect(done.json().clocks.find((c: { clock: string }) => c.clock === 'resolve').state).toBe('met');

    const wrong = await tech.post(`/api/tickets/${tk.id}/arrive`, {});
    expect(wrong.statusCode).toBe(409);

    const list = await desk.get('/api/tickets?open=false');
    expect(list.json().items.some((i: { id: string }) => i.id === tk.id)).toBe(true);
  });

  it('lets exactly one of two technicians grab a pooled ticket', async () => {
    const t2 = await createStaffUser(t.db, co, { role: 'technician' });
    const tech2 = await login(t.app, t2.username);
    const group = await t.db.insertInto('staff_groups').values({ company_id: co.companyId, name: `组${Date.now()}`, community_id: co.communityIds[0] }).returning('id').executeTakeFirstOrThrow();
    await t.db.insertInto('staff_group_members').values([{ group_id: group.id, user_id: techId, company_id: co.companyId, position: 0 }, { group_id: group.id, user_id: t2.id, company_id: co.companyId, position: 1 }]).execute();
    const cat = await category('publicRepair', 'lighting');
    const tk = (await desk.post('/api/tickets', { communityId: co.communityIds[0], kind: 'publicRepair', categoryId: cat, location: '3栋大堂', title: '大堂灯不亮' })).json();
    const pooled = await desk.post(`/api/tickets/${tk.id}/dispatch`, { poolGroupId: group.id });
    expect(pooled.statusCode, pooled.body).toBe(200);
    expect(pooled.json().inPool).toBe(true);
    const [a, b] = await Promise.all([tech.post(`/api/tickets/${tk.id}/grab`), tech2.post(`/api/tickets/${tk.id}/grab`)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().error.message).toMatch(/已被他人接走/);
  });

  it("shows an owner the technician's photos of their own ticket, and no one else's", async () => {
    const room = await createRoom(t.db, { company: co });
    const resident = await createResident(t.db, { room });
    const ownerUser = await createOwnerUser(t.db, co, resident.phone!);
    const owner = await ownerLogin(t.app, t.db, ownerUser.phone, co.companyId);
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#3a7' } }).png().toBuffer();
    const mine = (await upload(t.app, owner, { data: png, filename: 'leak.png', contentType: 'image/png' })).json();
    const cats = await owner.get('/api/ticket-categories?kind=homeRepair');
    expect(cats.statusCode, cats.body).toBe(200);
    expect(cats.json().items.every((c: { kind: string; active: boolean }) => c.kind === 'homeRepair' && c.active)).toBe(true);
    const cat = await category('homeRepair', 'waterElectric');
    expect(cats.json().items.map((c: { id: string }) => c.id)).toContain(cat);
    const created = await owner.post('/api/owner/tickets', { roomId: room.id, kind: 'homeRepair', categoryId: cat, title: '厨房漏水', photoFileIds: [mine.id] });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    await desk.post(`/api/tickets/${id}/dispatch`, { assigneeId: techId });
    await tech.post(`/api/tickets/${id}/arrive`, {});
    const after = (await upload(t.app, tech, { data: png, filename: 'after.png', contentType: 'image/png' })).json();
    const done = await tech.post(`/api/tickets/${id}/complete`, { photoFileIds: [after.id] });
    expect(done.statusCode, done.body).toBe(200);
    expect((await owner.get(`/api/files/${after.id}`)).statusCode).toBe(200);

    const stranger = await createOwnerUser(t.db, co);
    const other = await ownerLogin(t.app, t.db, stranger.phone, co.companyId);
    expect((await other.get(`/api/files/${after.id}`)).statusCode).toBe(404);
    expect((await other.get(`/api/owner/tickets/${id}`)).statusCode).toBe(404);

    const rated = await owner.post(`/api/owner/tickets/${id}/rate`, { rating: 5, tags: ['准时'] });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(['confirmed', 'closed']).toContain(rated.json().status);
  });

  it('lists who can be given tickets of a community', async () => {
    const res = await desk.get(`/api/tickets/workers?communityId=${co.communityIds[0]}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((w: { id: string }) => w.id)).toContain(techId);
    const other = await createCompany(t.db, { communities: 1 });
    const foreign = await desk.get(`/api/tickets/workers?communityId=${other.communityIds[0]}`);
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.details.field).toBe('communityId');
    expect((await t.app.inject({ method: 'GET', url: '/api/tickets/workers' })).statusCode).toBe(401);
  });
});
