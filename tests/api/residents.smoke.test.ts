import { beforeAll, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { createCompany, createOwnerUser, login, uniquePhone, type TestCompany } from '../helpers/factories.ts';

let t: TestApp;
let co: TestCompany;
beforeAll(async () => {
  t = await testApp();
  co = await createCompany(t.db);
});

it('smoke: residents, links, vehicles, move-in/out, owner home and household requests', async () => {
  const a = await login(t.app, co.admin.username);
  const b = (await a.post('/api/buildings', { communityId: co.communityIds[0], name: '2栋', kind: 'multiStorey', floorsAbove: 6, units: ['1单元'] })).json();
  const room = (await a.post('/api/rooms', { buildingId: b.id, unitId: b.units[0].id, floor: 3, number: '302', builtArea: 98.6, status: 'vacant' })).json();
  const phone = uniquePhone();
  const badId = await a.post('/api/residents', { communityId: co.communityIds[0], name: '张伟', phone, idNumber: '320102199001011233' });
  expect(badId.statusCode).toBe(400);
  expect(badId.json().error.message).toContain('idNumber');
  const res = await a.post('/api/residents', { communityId: co.communityIds[0], name: '张伟', phone, idNumber: '320102199001011232' });
  expect(res.statusCode, res.body).toBe(201);
  expect(res.json()).toMatchObject({ phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`, idNumber: '3201**********1232', birthday: '1990-01-01', gender: 'male' });
  const owner = res.json().id;
  const link = await a.post(`/api/rooms/${room.id}/residents`, { residentId: owner, relation: 'owner', startDate: '2026-01-01' });
  expect(link.statusCode, link.body).toBe(201);
  const second = await a.post(`/api/rooms/${room.id}/residents`, { resident: { name: '李四', phone: uniquePhone() }, relation: 'owner', startDate: '2026-01-01' });
  expect(second.statusCode, second.body).toBe(409);
  const fam = await a.post(`/api/rooms/${room.id}/residents`, { resident: { name: '张小宝', careFlags: ['child'] }, relation: 'family', startDate: '2026-01-01' });
  expect(fam.statusCode, fam.body).toBe(201);
  const car = await a.post('/api/vehicles', { residentId: owner, plate: '苏a·12345' });
  expect(car.statusCode, car.body).toBe(201);
  expect(car.json().plate).toBe('苏A12345');
  expect((await a.post('/api/vehicles', { residentId: owner, plate: '苏A1234' })).statusCode).toBe(400);
  for (const q of [phone.slice(-4), phone, '苏A12345', '张', '302']) {
    const found = await a.get(`/api/residents?q=${encodeURIComponent(q)}`);
    expect(found.statusCode).toBe(200);
    expect(found.json().items.map((r: { id: string }) => r.id), q).toContain(owner);
  }
  const reveal = await a.post(`/api/residents/${owner}/reveal`);
  expect(reveal.json()).toEqual({ id: owner, phone, idNumber: '320102199001011232' });
  const household = await a.get(`/api/rooms/${room.id}/residents`);
  expect(household.json().current).toHaveLength(2);
  expect(household.json().vehicles).toHaveLength(1);
  // owner site
  const ownerUser = await createOwnerUser(t.db, co, phone);
  await t.app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone } });
  const code = ((await t.db.selectFrom('sms_outbox').select('params').where('phone', '=', phone).orderBy('created_at', 'desc').executeTakeFirstOrThrow()).params as Record<string, string>).code;
  const ownerLogin = await t.app.inject({ method: 'POST', url: '/api/auth/otp/verify', payload: { phone, code } });
  const cookie = `anju_session=${ownerLogin.cookies.find((c) => c.name === 'anju_session')!.value}`;
  const csrf = ownerLogin.json().csrfToken;
  const home = await t.app.inject({ url: '/api/owner/home', headers: { cookie } });
  expect(home.statusCode, home.body).toBe(200);
  expect(home.json().rooms[0]).toMatchObject({ label: '2栋-1单元-302', relation: 'owner' });
  expect(home.json().rooms[0].household.map((h: { name: string }) => h.name).sort()).toEqual(['张小宝', '张伟'].sort());
  expect(home.json().rooms[0].vehicles).toEqual([{ plate: '苏A12345', owner: '张伟' }]);
  const req = await t.app.inject({ method: 'POST', url: '/api/owner/household-requests', headers: { cookie, 'x-csrf-token': csrf }, payload: { roomId: room.id, name: '王租', phone: uniquePhone(), relation: 'tenant', leaseStart: '2026-12-01', leaseEnd: '2027-11-30' } });
  expect(req.statusCode, req.body).toBe(201);
  const approve = await a.post(`/api/household-requests/${req.json().id}/approve`, {});
  expect(approve.statusCode, approve.body).toBe(200);
  expect((await a.post(`/api/household-requests/${req.json().id}/approve`, {})).statusCode).toBe(409);
  expect((await a.get(`/api/rooms/${room.id}`)).json().status).toBe('rented');
  // move out and move in
  const out = await a.post(`/api/rooms/${room.id}/move-out`, { date: '2026-12-31', reason: '出售' });
  expect(out.statusCode, out.body).toBe(200);
  expect(out.json().current).toHaveLength(0);
  expect((await a.post(`/api/rooms/${room.id}/move-out`, { date: '2026-12-31', reason: '出售' })).statusCode).toBe(409);
  const mi = await a.post('/api/move-ins', { roomId: room.id, resident: { name: '新业主', phone: uniquePhone() }, noticeNo: 'RZ-001', contractNo: 'HT-001', moveInDate: '2027-01-05' });
  expect(mi.statusCode, mi.body).toBe(201);
  expect((await a.post(`/api/move-ins/${mi.json().id}/handover`, { keysCount: 3 })).statusCode).toBe(409);
  const insp = await a.post(`/api/move-ins/${mi.json().id}/inspection`, { items: [{ area: '卫生间', item: '地漏', ok: false, defect: '排水慢' }, { area: '客厅', item: '墙面', ok: true }] });
  expect(insp.statusCode, insp.body).toBe(200);
  expect(insp.json().defects).toBe(1);
  const ho = await a.post(`/api/move-ins/${mi.json().id}/handover`, { keysCount: 3, occupyNow: true });
  expect(ho.statusCode, ho.body).toBe(200);
  expect((await a.get(`/api/rooms/${room.id}`)).json().status).toBe('occupied');
  expect(ownerUser.id).toBeTruthy();
});
