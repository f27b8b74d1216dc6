import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { companyRows, createBuilding, createRoom, type TestRoom, unique } from '../helpers/factories.ts';
import { auditRows, expectFieldError, fieldsOf, upload } from '../helpers/api.ts';
import { type BillingCompany, billingCompany, meter, reading } from '../helpers/billing.ts';

/**
 * Meters and readings: a reading below the previous one is a 400 naming `reading` unless the meter was replaced;
 * readings come in period order, one per period; an abnormal jump is held for review until approved; readings can be
 * imported from .xlsx, all or nothing, with a report of row, column and reason.
 */

let t: TestApp;
let a: BillingCompany;
let b: BillingCompany;
let room: TestRoom;

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([billingCompany(t), billingCompany(t)]);
  room = await createRoom(t.db, { company: a, communityId: a.communityIds[0] });
});

const readingTables = () => companyRows(t.db, a.companyId, ['meters', 'meter_readings']);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function sheet(rows: Array<Array<string | number | null>>, headers = ['表号', '期间', '读数', '抄表日期', '抄表员']): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('抄表');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('POST /api/meters', () => {
  it('adds a room water meter and a building electricity meter (公摊表); audited', async () => {
    const m = await meter(a.admin2, { roomId: room.id, number: unique('W').slice(-8), initialReading: '12.5' });
    expect(m).toMatchObject({ roomId: room.id, kind: 'water', multiplier: '1.0000', initialReading: '12.5000', status: 'active', lastReading: null });
    expect(await auditRows(t.db, m.id, 'meter.create')).toHaveLength(1);
    const building = await createBuilding(t.db, { company: a, communityId: a.communityIds[0] });
    const shared = await meter(a.admin2, { buildingId: building.id, kind: 'electricity', multiplier: '40' });
    expect(shared).toMatchObject({ roomId: null, buildingId: building.id, multiplier: '40.0000' });
  });

  it.each([
    ['neither a room nor a building', () => ({ kind: 'water', number: 'X1' }), 'roomId'],
    ['both a room and a building', () => ({ kind: 'water', number: 'X1', roomId: room.id, buildingId: room.buildingId }), 'buildingId'],
    ['a zero multiplier', () => ({ kind: 'water', number: 'X1', roomId: room.id, multiplier: '0' }), 'multiplier'],
    ['a negative initial reading', () => ({ kind: 'water', number: 'X1', roomId: room.id, initialReading: '-1' }), 'initialReading'],
    ['another company’s room', () => ({ kind: 'water', number: 'X1', roomId: 'FOREIGN' }), 'roomId'],
    ['an unknown kind', () => ({ kind: 'heat', number: 'X1', roomId: room.id }), 'kind'],
  ])('%s → 400 naming the field', async (_label, body, field) => {
    const foreign = await createRoom(t.db, { company: b, communityId: b.communityIds[0] });
    const before = await readingTables();
    expectFieldError(await a.admin2.post('/api/meters', JSON.parse(JSON.stringify(body()).replace('FOREIGN', foreign.id))), field);
    expect(await readingTables()).toEqual(before);
  });

  it('a number in use in the community → 409; cashier and technician → 403; another company’s meter → 404', async () => {
    const m = await meter(a.admin2, { roomId: room.id });
    expect((await a.admin2.post('/api/meters', { kind: 'water', number: m.number, roomId: room.id })).statusCode).toBe(409);
    for (const c of [a.cashier, a.technician]) expect((await c.post('/api/meters', { kind: 'water', number: 'Z9', roomId: room.id })).statusCode).toBe(403);
    expect((await a.cashier.get(`/api/meters/${m.id}`)).statusCode).toBe(200);
    expect((await a.technician.get(`/api/meters/${m.id}`)).statusCode).toBe(403);
    const foreign = await meter(b.admin2, { roomId: (await createRoom(t.db, { company: b, communityId: b.communityIds[0] })).id });
    expect((await a.admin2.get(`/api/meters/${foreign.id}`)).statusCode).toBe(404);
    expect((await a.admin2.get(`/api/meters?pageSize=200`)).json().items.map((x: { id: string }) => x.id)).not.toContain(foreign.id);
  });
});

describe('POST /api/meter-readings', () => {
  it('stores usage from the previous reading × multiplier; audited', async () => {
    const m = await meter(a.admin2, { roomId: room.id, multiplier: '2', initialReading: '100' });
    const r1 = await reading(a.admin2, m.id, '2026-09', '110.5');
    expect(r1).toMatchObject({ previousReading: '100.0000', reading: '110.5000', usage: '21', status: 'accepted', source: 'console' });
    const r2 = await reading(a.admin2, m.id, '2026-10', 120);
    expect(r2).toMatchObject({ previousReading: '110.5000', usage: '19' });
    const row = await t.db.selectFrom('meter_readings').selectAll().where('id', '=', r2.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ company_id: a.companyId, period_start: '2026-10-01', reader_id: a.admin.id });
    expect(await auditRows(t.db, r2.id, 'meterReading.create')).toHaveLength(1);
    expect((await a.admin2.get(`/api/meters/${m.id}`)).json().lastReading).toEqual({ periodKey: '2026-10', reading: '120.0000' });
  });

  it('a reading below the previous one → 400 naming reading, nothing stored', async () => {
    const m = await meter(a.admin2, { roomId: room.id });
    await reading(a.admin2, m.id, '2026-09', '500');
    const before = await readingTables();
    const res = await a.admin2.post('/api/meter-readings', { meterId: m.id, periodKey: '2026-10', reading: '499.9' });
    expectFieldError(res, 'reading');
    expect(res.json().error.message).toContain('500');
    expect(await readingTables()).toEqual(before);
  });

  it('the same period again → 409; an earlier period → 400 periodKey; a malformed period → 400 periodKey; 5 decimals → 400 reading', async () => {
    const m = await meter(a.admin2, { roomId: room.id });
    await reading(a.admin2, m.id, '2026-10', '10');
    expect((await a.admin2.post('/api/meter-readings', { meterId: m.id, periodKey: '2026-10', reading: '11' })).statusCode).toBe(409);
    expectFieldError(await a.admin2.post('/api/meter-readings', { meterId: m.id, periodKey: '2026-09', reading: '11' }), 'periodKey');
    expectFieldError(await a.admin2.post('/api/meter-readings', { meterId: m.id, periodKey: '2026-13', reading: '11' }), 'periodKey');
    expectFieldError(await a.admin2.post('/api/meter-readings', { meterId: m.id, periodKey: '2026-11', reading: '11.00001' }), 'reading');
    expectFieldError(await a.admin2.post('/api/meter-readings', { meterId: randomUUID(), periodKey: '2026-11', reading: '11' }), 'meterId');
  });

  it('an abnormal jump (> 3 × the average of the last three) is held for review; approve releases it once (audited)', async () => {
    const m = await meter(a.admin2, { roomId: room.id });
    await reading(a.admin2, m.id, '2026-06', '10'); // no history: accepted
    await reading(a.admin2, m.id, '2026-07', '20'); // 10
    await reading(a.admin2, m.id, '2026-08', '32'); // 12
    await reading(a.admin2, m.id, '2026-09', '40'); // 8 — average of 10, 12, 8 is 10
    const atLimit = await reading(a.admin2, m.id, '2026-10', '70'); // 30 = 3 × 10: not more than 3 ×
    expect(atLimit.status).toBe('accepted');
    // last three now 12, 8, 30 → average 50/3; 51 > 50
    const jump = await reading(a.admin2, m.id, '2026-11', '121');
    expect(jump).toMatchObject({ status: 'review', flags: ['jump'], usage: '51' });
    expect((await a.cashier.post(`/api/meter-readings/${jump.id}/approve`)).statusCode).toBe(403);
    const approved = await a.admin2.post(`/api/meter-readings/${jump.id}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'accepted', flags: ['jump'] });
    expect(approved.json().approvedAt).toBeTruthy();
    expect(await auditRows(t.db, jump.id, 'meterReading.approve')).toHaveLength(1);
    expect((await a.admin2.post(`/api/meter-readings/${jump.id}/approve`)).statusCode).toBe(409);
    expect((await a.cashier.get(`/api/meter-readings?meterId=${m.id}&status=accepted`)).json().total).toBe(6);
  });

  it('the company’s jump factor applies', async () => {
    const co = await billingCompany(t, { communities: 1 });
    const r = await createRoom(t.db, { company: co, communityId: co.communityIds[0] });
    await co.admin2.patch('/api/billing-settings', { jumpFactor: '10' });
    const m = await meter(co.admin2, { roomId: r.id });
    await reading(co.admin2, m.id, '2026-09', '10');
    expect((await reading(co.admin2, m.id, '2026-10', '100')).status).toBe('accepted');
    expect((await reading(co.admin2, m.id, '2026-11', '1100')).status).toBe('review');
  });

  it('another company’s reading → 404 on approve; its meter → 400 meterId; technician → 403', async () => {
    const bm = await meter(b.admin2, { roomId: (await createRoom(t.db, { company: b, communityId: b.communityIds[0] })).id });
    await reading(b.admin2, bm.id, '2026-09', '1');
    await reading(b.admin2, bm.id, '2026-10', '2');
    const jump = await reading(b.admin2, bm.id, '2026-11', '50');
    expect(jump.status).toBe('review');
    expect((await a.admin2.post(`/api/meter-readings/${jump.id}/approve`)).statusCode).toBe(404);
    expect((await t.db.selectFrom('meter_readings').select('status').where('id', '=', jump.id).executeTakeFirstOrThrow()).status).toBe('review');
    expectFieldError(await a.admin2.post('/api/meter-readings', { meterId: bm.id, periodKey: '2026-12', reading: '60' }), 'meterId');
    expect((await a.technician.get('/api/meter-readings')).statusCode).toBe(403);
  });
});

describe('POST /api/meters/:id/replace', () => {
  it('换表: the old meter stops at its final reading; the new one starts low and its first reading counts both runs', async () => {
    const old = await meter(a.admin2, { roomId: room.id, initialReading: '0' });
    await reading(a.admin2, old.id, '2026-09', '9000');
    await reading(a.admin2, old.id, '2026-10', '9010');
    expectFieldError(await a.admin2.post(`/api/meters/${old.id}/replace`, { finalReading: '9009', number: unique('N').slice(-8), replacedAt: '2026-11-10' }), 'finalReading');
    const res = await a.admin2.post(`/api/meters/${old.id}/replace`, { finalReading: '9016', number: old.number, initialReading: '0.5', replacedAt: '2026-11-10' });
    expect(res.statusCode, res.body).toBe(201);
    const fresh = res.json();
    expect(fresh).toMatchObject({ replacesMeterId: old.id, number: old.number, initialReading: '0.5000', status: 'active' });
    expect((await a.admin2.get(`/api/meters/${old.id}`)).json()).toMatchObject({ status: 'replaced', replacedByMeterId: fresh.id, finalReading: '9016.0000', replacedAt: '2026-11-10' });
    expect(await auditRows(t.db, old.id, 'meter.replace')).toHaveLength(1);
    // Lower than the old meter's last reading, but the meter was replaced: 6 on the old + 4 on the new.
    const first = await reading(a.admin2, fresh.id, '2026-11', '4.5');
    expect(first).toMatchObject({ usage: '10', previousReading: '0.5000', flags: ['afterReplacement'], status: 'accepted' });
    // Below the new meter's own start: refused.
    const other = await meter(a.admin2, { roomId: room.id });
    const next = (await a.admin2.post(`/api/meters/${other.id}/replace`, { finalReading: '0', number: unique('N').slice(-8), initialReading: '5', replacedAt: '2026-11-10' })).json();
    expectFieldError(await a.admin2.post('/api/meter-readings', { meterId: next.id, periodKey: '2026-11', reading: '4' }), 'reading');
    // The old meter takes no more readings and cannot be replaced again.
    expect((await a.admin2.post('/api/meter-readings', { meterId: old.id, periodKey: '2026-12', reading: '9020' })).statusCode).toBe(409);
    expect((await a.admin2.post(`/api/meters/${old.id}/replace`, { finalReading: '9020', number: 'Q1', replacedAt: '2026-12-01' })).statusCode).toBe(409);
  });

  it('with a different multiplier, each meter’s run is multiplied by its own', async () => {
    const old = await meter(a.admin2, { roomId: room.id, kind: 'electricity', multiplier: '10' });
    await reading(a.admin2, old.id, '2026-09', '100');
    const fresh = (await a.admin2.post(`/api/meters/${old.id}/replace`, { finalReading: '102', number: unique('E').slice(-8), multiplier: '1', replacedAt: '2026-10-05' })).json();
    expect((await reading(a.admin2, fresh.id, '2026-10', '7')).usage).toBe('27');
  });

  it('another company’s meter → 404, unchanged; cashier → 403', async () => {
    const bm = await meter(b.admin2, { roomId: (await createRoom(t.db, { company: b, communityId: b.communityIds[0] })).id });
    expect((await a.admin2.post(`/api/meters/${bm.id}/replace`, { finalReading: '1', number: 'N1', replacedAt: '2026-11-01' })).statusCode).toBe(404);
    expect((await t.db.selectFrom('meters').select('status').where('id', '=', bm.id).executeTakeFirstOrThrow()).status).toBe('active');
    const own = await meter(a.admin2, { roomId: room.id });
    expect((await a.cashier.post(`/api/meters/${own.id}/replace`, { finalReading: '1', number: 'N1', replacedAt: '2026-11-01' })).statusCode).toBe(403);
  });
});

describe('POST /api/meter-readings/import', () => {
  it('imports every row of a good sheet (source xlsx, reader from the sheet); audited', async () => {
    const co = await billingCompany(t, { communities: 1 });
    const r = await createRoom(t.db, { company: co, communityId: co.communityIds[0] });
    const m1 = await meter(co.admin2, { roomId: r.id, number: 'W-001' });
    const m2 = await meter(co.admin2, { roomId: r.id, number: 'W-002', kind: 'electricity' });
    await reading(co.admin2, m2.id, '2026-10', '100');
    const data = await sheet([
      ['W-001', '2026-11', 12.5, '2026-11-25', '张师傅'],
      ['W-002', '2026-11', '130', null, null],
    ]);
    const res = await upload(t.app, co.admin2, { data, filename: '抄表.xlsx', contentType: XLSX }, `/api/meter-readings/import?communityId=${co.communityIds[0]}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 2, review: 0 });
    const rows = await t.db.selectFrom('meter_readings').selectAll().where('meter_id', 'in', [m1.id, m2.id]).where('period_key', '=', '2026-11').orderBy('reading').execute();
    expect(rows.map((x) => [x.reading, x.usage, x.source, x.reader_name])).toEqual([
      ['12.5000', '12.5', 'xlsx', '张师傅'],
      ['130.0000', '30', 'xlsx', co.admin2.me.user.displayName],
    ]);
    expect(rows[0].read_at.toISOString()).toBe('2026-11-24T16:00:00.000Z');
    expect(await auditRows(t.db, co.communityIds[0], 'meterReading.import')).toHaveLength(1);
  });

  it('a sheet with bad rows → 400 listing row, column and reason; nothing imported', async () => {
    const co = await billingCompany(t, { communities: 1 });
    const r = await createRoom(t.db, { company: co, communityId: co.communityIds[0] });
    const m1 = await meter(co.admin2, { roomId: r.id, number: 'W-101' });
    const m2 = await meter(co.admin2, { roomId: r.id, number: 'W-102' });
    await reading(co.admin2, m2.id, '2026-10', '100');
    const before = await companyRows(t.db, co.companyId, ['meter_readings']);
    const data = await sheet([
      ['W-101', '2026-11', '12', null, null], // fine
      ['W-999', '2026-11', '12', null, null], // unknown meter
      ['W-102', '2026-11', '90', null, null], // below the previous 100
      ['W-101', '2026-11', '13', null, null], // same meter again
      ['', '2026-11', '5', null, null], // no number
    ]);
    const res = await upload(t.app, co.admin2, { data, filename: 'bad.xlsx', contentType: XLSX }, `/api/meter-readings/import?communityId=${co.communityIds[0]}`);
    expect(res.statusCode, res.body).toBe(400);
    const { details, message } = res.json().error;
    expect(message).toContain('4');
    expect(details.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [3, '表号'],
      [4, '读数'],
      [5, '表号'],
      [6, '表号'],
    ]);
    expect(details.errors[1].reason).toContain('100');
    expect(await companyRows(t.db, co.companyId, ['meter_readings'])).toEqual(before);
    expect(m1.id).toBeTruthy();
  });

  it('a missing column → 400 naming it; not a workbook → 400 file; another company’s community → 400 communityId; cashier → 403', async () => {
    const data = await sheet([['W-1', '2026-11']], ['表号', '期间']);
    expectFieldError(await upload(t.app, a.admin2, { data, filename: 'x.xlsx', contentType: XLSX }, `/api/meter-readings/import?communityId=${a.communityIds[0]}`), '读数');
    const notXlsx = await upload(t.app, a.admin2, { data: Buffer.from('not a zip'), filename: 'x.xlsx', contentType: XLSX }, `/api/meter-readings/import?communityId=${a.communityIds[0]}`);
    expect(notXlsx.statusCode).toBe(400);
    expect(fieldsOf(notXlsx)).toEqual(['file']);
    const good = await sheet([['W-1', '2026-11', '1', null, null]]);
    expectFieldError(await upload(t.app, a.admin2, { data: good, filename: 'x.xlsx', contentType: XLSX }, `/api/meter-readings/import?communityId=${b.communityIds[0]}`), 'communityId');
    expect((await upload(t.app, a.cashier, { data: good, filename: 'x.xlsx', contentType: XLSX }, `/api/meter-readings/import?communityId=${a.communityIds[0]}`)).statusCode).toBe(403);
  });
});
