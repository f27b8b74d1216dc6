import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { createBuilding, createParkingSpace, createRoom, createRooms, type TestBuilding, type TestRoom } from '../helpers/factories.ts';
import { auditRows, expectFieldError } from '../helpers/api.ts';
import { type BillingCompany, billingCompany, bind, feeItem, lineKeys, meter, reading, runBills } from '../helpers/billing.ts';
import { openRun, processBatch } from '../../src/modules/billing/runs.ts';
import { autoBill } from '../../src/modules/billing/schedule.ts';

/**
 * Bill runs (出账): preview without writing; a run writes one line per item × target × period and is idempotent —
 * run twice, or killed after its first batch and resumed, it yields the same lines and no duplicates; revoking frees
 * the lines unless one has a payment (409); proration by days; readings held for review are not billed.
 */

let t: TestApp;
let b: BillingCompany;

interface Estate {
  co: BillingCompany;
  community: string;
  building: TestBuilding;
  rooms: string[];
  movedIn: TestRoom;
  spaces: string[];
  property: { id: string };
  parking: { id: string };
  fixed: { id: string };
}

/** A community with 5 rooms of 95 m² and one of 89.50 m² moving in on 17 November, 2 parking spaces; three items bound. */
async function estate(): Promise<Estate> {
  const co = await billingCompany(t);
  const community = co.communityIds[0];
  const building = await createBuilding(t.db, { company: co, communityId: community });
  const rooms = await createRooms(t.db, building, Array.from({ length: 5 }, (_, i) => ({ floor: 1, number: `10${i + 1}`, status: 'occupied' as const })));
  const movedIn = await createRoom(t.db, { building, floor: 2, number: '201', builtArea: '89.50' });
  const spaces = [(await createParkingSpace(t.db, { company: co, communityId: community })).id, (await createParkingSpace(t.db, { company: co, communityId: community })).id];
  const property = await feeItem(co.admin2, co, { kind: 'property', unitPrice: '1.80' });
  const parking = await feeItem(co.admin2, co, { kind: 'parking', unitPrice: '300' });
  const fixed = await feeItem(co.admin2, co, { kind: 'fixed', unitPrice: '20' });
  for (const id of rooms) await bind(co.admin2, { itemId: property.id, roomId: id, startDate: '2026-01-01' });
  await bind(co.admin2, { itemId: property.id, roomId: movedIn.id, startDate: '2026-11-17' });
  for (const id of spaces) await bind(co.admin2, { itemId: parking.id, parkingSpaceId: id, startDate: '2026-01-01' });
  await co.admin2.post('/api/fee-bindings/bulk', { itemId: fixed.id, communityId: community, startDate: '2026-01-01' });
  return { co, community, building, rooms, movedIn, spaces, property, parking, fixed };
}

const countLines = async (where: { runId?: string; companyId?: string }) => {
  let q = t.db.selectFrom('bill_lines').select((eb) => eb.fn.countAll<number>().as('n'));
  if (where.runId) q = q.where('run_id', '=', where.runId);
  if (where.companyId) q = q.where('company_id', '=', where.companyId);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

beforeAll(async () => {
  t = await testApp();
  b = await billingCompany(t);
});

describe('POST /api/bill-runs/preview and POST /api/bill-runs', () => {
  it('preview counts and totals per item without writing; the run writes exactly that; audited', async () => {
    const e = await estate();
    const body = { communityId: e.community, periodKey: '2026-11' };
    const res = await e.co.admin2.post('/api/bill-runs/preview', body);
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json();
    const per = Object.fromEntries(preview.items.map((i: { itemId: string }) => [i.itemId, i]));
    // 5 × 95 × 1.80 × 100 = 5 × 17100, plus 89.50 × 1.80 × 100 × 14/30 = 7518 for the move-in on the 17th.
    expect(per[e.property.id]).toMatchObject({ lines: 6, amountFen: 5 * 17100 + 7518, existing: 0 });
    expect(per[e.parking.id]).toMatchObject({ lines: 2, amountFen: 60000 });
    expect(per[e.fixed.id]).toMatchObject({ lines: 6, amountFen: 12000 });
    expect(preview).toMatchObject({ periodKey: '2026-11', periodStart: '2026-11-01', periodEnd: '2026-11-30', targets: 8, totals: { lines: 14, amountFen: 5 * 17100 + 7518 + 60000 + 12000, existing: 0 } });
    expect(await countLines({ companyId: e.co.companyId })).toBe(0);
    expect(await t.db.selectFrom('bill_runs').select('id').where('company_id', '=', e.co.companyId).execute()).toEqual([]);

    const run = await runBills(e.co.admin2, body);
    expect(run).toMatchObject({ status: 'completed', total: 8, processed: 8, percent: 100, linesCreated: 14, amountFen: preview.totals.amountFen, trigger: 'manual' });
    expect(await countLines({ runId: run.id })).toBe(14);
    expect(await auditRows(t.db, run.id, 'billRun.create')).toHaveLength(1);
    expect((await auditRows(t.db, run.id, 'billRun.complete'))[0].after).toMatchObject({ lines: 14, amountFen: preview.totals.amountFen });
    const again = (await e.co.admin2.post('/api/bill-runs/preview', body)).json();
    expect(again.totals).toMatchObject({ lines: 0, amountFen: 0, existing: 14 });
  });

  it('proration for a move-in on the 17th: 14/30 of November, due 15 days after the move-in; the basis shows the inputs', async () => {
    const e = await estate();
    await runBills(e.co.admin2, { communityId: e.community, periodKey: '2026-11', itemIds: [e.property.id] });
    const bills = await e.co.cashier.get(`/api/rooms/${e.movedIn.id}/bills`);
    expect(bills.statusCode, bills.body).toBe(200);
    const [line] = bills.json().items;
    expect(line).toMatchObject({ amountFen: 7518, paidFen: 0, status: 'unpaid', periodKey: '2026-11', dueDate: '2026-12-02', targetKind: 'room', roomId: e.movedIn.id, buildingId: e.building.id });
    expect(line.basis).toMatchObject({ kind: 'property', rounding: 'halfUp', exactFen: '7518', windows: [{ from: '2026-11-17', to: '2026-11-30', months: '7/15', area: '89.50', unitPrice: '1.8000', areaBasis: 'built' }] });
    // October of the same binding: not yet bound, no line. December: the whole month.
    const dec = await runBills(e.co.admin2, { communityId: e.community, periodKey: '2026-12', itemIds: [e.property.id] });
    const decLine = await t.db.selectFrom('bill_lines').select(['amount_fen', 'due_date']).where('run_id', '=', dec.id).where('room_id', '=', e.movedIn.id).executeTakeFirstOrThrow();
    expect(decLine).toEqual({ amount_fen: 16110, due_date: '2026-12-16' });
  });

  it('running twice yields the same lines: the second run creates none', async () => {
    const e = await estate();
    const body = { communityId: e.community, periodKey: '2026-11' };
    const first = await runBills(e.co.admin2, body);
    const before = await t.db.selectFrom('bill_lines').select(['id', 'amount_fen']).where('company_id', '=', e.co.companyId).orderBy('id').execute();
    const second = await runBills(e.co.admin2, body);
    expect(second).toMatchObject({ status: 'completed', linesCreated: 0, amountFen: 0, processed: 8 });
    expect(await t.db.selectFrom('bill_lines').select(['id', 'amount_fen']).where('company_id', '=', e.co.companyId).orderBy('id').execute()).toEqual(before);
    expect(await countLines({ runId: first.id })).toBe(14);
  });

  it('a second run for the same community, period and items while one is active → 409; other periods are free', async () => {
    const e = await estate();
    const active = await t.db
      .insertInto('bill_runs')
      .values({ company_id: e.co.companyId, community_id: e.community, period_key: '2026-11', item_ids: [e.property.id], created_by: e.co.admin.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const res = await e.co.admin2.post('/api/bill-runs', { communityId: e.community, periodKey: '2026-11' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details).toEqual({ runId: active.id });
    expect(await countLines({ companyId: e.co.companyId })).toBe(0);
    // Items that do not overlap, or another period, may run.
    await runBills(e.co.admin2, { communityId: e.community, periodKey: '2026-11', itemIds: [e.parking.id] });
    await runBills(e.co.admin2, { communityId: e.community, periodKey: '2026-12' });
  });

  it('a run killed after its first batch, then resumed, has the same lines as an uninterrupted run — no duplicates', async () => {
    const e = await estate();
    const deps = t.app.deps;
    // The process "dies" after one batch of 3 targets: the run stays 'running'.
    const { runId, plan } = await openRun(deps.db, null, { companyId: e.co.companyId, communityId: e.community, periodKey: '2026-11', trigger: 'manual' });
    const step = await processBatch(deps.db, runId, plan, 3);
    expect(step.done).toBe(false);
    const partial = await t.db.selectFrom('bill_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
    expect(partial).toMatchObject({ status: 'running', processed: 3, total: 8 });
    const afterFirst = await countLines({ runId });
    expect(afterFirst).toBeGreaterThan(0);
    expect(afterFirst).toBeLessThan(14);
    // Its heartbeat is fresh: someone may still be working on it.
    expect((await e.co.admin2.post(`/api/bill-runs/${runId}/resume`)).statusCode).toBe(409);
    await t.db.updateTable('bill_runs').set({ heartbeat_at: new Date(Date.now() - 10 * 60_000) }).where('id', '=', runId).execute();
    const resumed = await e.co.admin2.post(`/api/bill-runs/${runId}/resume`);
    expect(resumed.statusCode, resumed.body).toBe(200);
    expect(resumed.json()).toMatchObject({ status: 'completed', processed: 8, linesCreated: 14 });
    expect(await auditRows(t.db, runId, 'billRun.resume')).toHaveLength(1);
    const interrupted = await lineKeys(t, { runId });
    expect(interrupted).toHaveLength(14);
    expect(new Set(interrupted).size).toBe(14);
    const { rows } = await sql<{ n: number; keys: number }>`
      SELECT count(*)::int AS n, count(DISTINCT (item_id, target_id, period_key))::int AS keys FROM bill_lines WHERE company_id = ${e.co.companyId}`.execute(t.db);
    expect(rows[0].n).toBe(rows[0].keys);
    // Against an uninterrupted run of the same: revoke, run again, compare.
    await e.co.admin2.post(`/api/bill-runs/${runId}/revoke`);
    const clean = await runBills(e.co.admin2, { communityId: e.community, periodKey: '2026-11' });
    expect(await lineKeys(t, { runId: clean.id })).toEqual(interrupted);
  });

  it('after a cycle change, a target already billed for part of the new period is not billed again', async () => {
    const e = await estate();
    await runBills(e.co.admin2, { communityId: e.community, periodKey: '2026-11', itemIds: [e.property.id] });
    await e.co.admin2.patch(`/api/fee-items/${e.property.id}`, { cycle: 'quarterly' });
    const late = await createRoom(t.db, { building: e.building, floor: 3, number: '301', builtArea: '100.00' });
    await bind(e.co.admin2, { itemId: e.property.id, roomId: late.id, startDate: '2026-10-01' });
    const body = { communityId: e.community, periodKey: '2026-Q4', itemIds: [e.property.id] };
    expect((await e.co.admin2.post('/api/bill-runs/preview', body)).json().items[0]).toMatchObject({ lines: 1, amountFen: 54000, existing: 6 });
    const run = await runBills(e.co.admin2, body);
    expect(run).toMatchObject({ linesCreated: 1, amountFen: 54000 });
    expect((await t.db.selectFrom('bill_lines').select('room_id').where('run_id', '=', run.id).execute()).map((l) => l.room_id)).toEqual([late.id]);
  });

  it('a failed run resumes; a completed one → 409', async () => {
    const e = await estate();
    const { runId, plan } = await openRun(t.app.deps.db, null, { companyId: e.co.companyId, communityId: e.community, periodKey: '2026-11', trigger: 'manual' });
    await processBatch(t.app.deps.db, runId, plan, 5);
    await t.db.updateTable('bill_runs').set({ status: 'failed', error: 'connection lost' }).where('id', '=', runId).execute();
    const res = await e.co.admin2.post(`/api/bill-runs/${runId}/resume`);
    expect(res.json()).toMatchObject({ status: 'completed', linesCreated: 14, error: null });
    expect((await e.co.admin2.post(`/api/bill-runs/${runId}/resume`)).statusCode).toBe(409);
  });

  it.each([
    ['a quarterly key for monthly items', (e: Estate) => ({ communityId: e.community, periodKey: '2026-Q4', itemIds: [e.property.id] }), 'itemIds'],
    ['a malformed period', (e: Estate) => ({ communityId: e.community, periodKey: '2026-13' }), 'periodKey'],
    ['another company’s community', () => ({ communityId: b.communityIds[0], periodKey: '2026-11' }), 'communityId'],
    ['an item of another company', (e: Estate) => ({ communityId: e.community, periodKey: '2026-11', itemIds: [e.property.id, randomUUID()] }), 'itemIds'],
    ['an item not enabled in the community', (e: Estate) => ({ communityId: e.co.communityIds[1], periodKey: '2026-11', itemIds: [e.property.id] }), 'itemIds'],
    ['a community with no item of the period', (e: Estate) => ({ communityId: e.co.communityIds[1], periodKey: '2026-11' }), 'itemIds'],
  ])('%s → 400 naming the field, for preview and run, nothing written', async (_label, body, field) => {
    const e = await estate();
    expectFieldError(await e.co.admin2.post('/api/bill-runs/preview', body(e)), field);
    expectFieldError(await e.co.admin2.post('/api/bill-runs', body(e)), field);
    expect(await t.db.selectFrom('bill_runs').select('id').where('company_id', '=', e.co.companyId).execute()).toEqual([]);
  });

  it('the cashier reads runs and lines but may not run, resume or revoke (403); the technician reads nothing (403)', async () => {
    const e = await estate();
    const run = await runBills(e.co.admin2, { communityId: e.community, periodKey: '2026-11', itemIds: [e.fixed.id] });
    const body = { communityId: e.community, periodKey: '2026-11' };
    for (const client of [e.co.cashier, e.co.technician]) {
      expect((await client.post('/api/bill-runs/preview', body)).statusCode).toBe(403);
      expect((await client.post('/api/bill-runs', body)).statusCode).toBe(403);
      expect((await client.post(`/api/bill-runs/${run.id}/resume`)).statusCode).toBe(403);
      expect((await client.post(`/api/bill-runs/${run.id}/revoke`)).statusCode).toBe(403);
    }
    expect((await e.co.cashier.get(`/api/bill-runs/${run.id}`)).statusCode).toBe(200);
    expect((await e.co.cashier.get(`/api/bill-lines?runId=${run.id}`)).json().total).toBe(6);
    for (const url of [`/api/bill-runs/${run.id}`, '/api/bill-runs', '/api/bill-lines', `/api/rooms/${e.rooms[0]}/bills`]) expect((await e.co.technician.get(url)).statusCode).toBe(403);
    expect((await t.db.selectFrom('bill_runs').select('status').where('id', '=', run.id).executeTakeFirstOrThrow()).status).toBe('completed');
  });

  it('another company’s run, line and room are 404, and stay as they were', async () => {
    const e = await estate();
    const run = await runBills(e.co.admin2, { communityId: e.community, periodKey: '2026-11' });
    const line = await t.db.selectFrom('bill_lines').select('id').where('run_id', '=', run.id).executeTakeFirstOrThrow();
    for (const url of [`/api/bill-runs/${run.id}`, `/api/bill-lines/${line.id}`, `/api/rooms/${e.rooms[0]}/bills`]) expect((await b.admin2.get(url)).statusCode).toBe(404);
    expect((await b.admin2.post(`/api/bill-runs/${run.id}/revoke`)).statusCode).toBe(404);
    expect((await b.admin2.post(`/api/bill-runs/${run.id}/resume`)).statusCode).toBe(404);
    expect((await b.admin2.get('/api/bill-lines?pageSize=200')).json().items.map((l: { runId: string }) => l.runId)).not.toContain(run.id);
    expect((await b.admin2.get(`/api/bill-lines?communityId=${e.community}`)).json().total).toBe(0);
    expect((await t.db.selectFrom('bill_runs').select('status').where('id', '=', run.id).executeTakeFirstOrThrow()).status).toBe('completed');
  });
});

describe('POST /api/bill-runs/:id/revoke', () => {
  it('revokes every line of an unpaid run (audited); a new run bills the period again', async () => {
    const e = await estate();
    const run = await runBills(e.co.admin2, { communityId: e.community, periodKey: '2026-11' });
    const res = await e.co.admin2.post(`/api/bill-runs/${run.id}/revoke`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'revoked' });
    const statuses = await t.db.selectFrom('bill_lines').select('status').where('run_id', '=', run.id).execute();
    expect(statuses).toHaveLength(14);
    expect(new Set(statuses.map((s) => s.status))).toEqual(new Set(['revoked']));
    expect((await auditRows(t.db, run.id, 'billRun.revoke'))[0].after).toMatchObject({ lines: 14 });
    expect((await e.co.admin2.post(`/api/bill-runs/${run.id}/revoke`)).statusCode).toBe(409);
    const again = await runBills(e.co.admin2, { communityId: e.community, periodKey: '2026-11' });
    expect(again.linesCreated).toBe(14);
    expect((await e.co.cashier.get(`/api/bill-lines?communityId=${e.community}&status=unpaid`)).json().total).toBe(14);
  });

  it('a run with a paid or partly paid line → 409, nothing revoked', async () => {
    const e = await estate();
    const run = await runBills(e.co.admin2, { communityId: e.community, periodKey: '2026-11' });
    const line = await t.db.selectFrom('bill_lines').select(['id', 'amount_fen']).where('run_id', '=', run.id).orderBy('id').executeTakeFirstOrThrow();
    await t.db.updateTable('bill_lines').set({ paid_fen: 100, status: 'partial' }).where('id', '=', line.id).execute();
    const res = await e.co.admin2.post(`/api/bill-runs/${run.id}/revoke`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details).toEqual({ paidLines: 1 });
    await t.db.updateTable('bill_lines').set({ paid_fen: line.amount_fen, status: 'paid' }).where('id', '=', line.id).execute();
    expect((await e.co.admin2.post(`/api/bill-runs/${run.id}/revoke`)).statusCode).toBe(409);
    const statuses = await t.db.selectFrom('bill_lines').select('status').where('run_id', '=', run.id).execute();
    expect(statuses.filter((s) => s.status === 'revoked')).toHaveLength(0);
    expect((await t.db.selectFrom('bill_runs').select('status').where('id', '=', run.id).executeTakeFirstOrThrow()).status).toBe('completed');
  });

  it('a run still being processed (fresh heartbeat) → 409', async () => {
    const e = await estate();
    const { runId } = await openRun(t.app.deps.db, null, { companyId: e.co.companyId, communityId: e.community, periodKey: '2026-11', trigger: 'manual' });
    expect((await e.co.admin2.post(`/api/bill-runs/${runId}/revoke`)).statusCode).toBe(409);
  });
});

describe('metered, shared, one-off and discounted lines in a run', () => {
  it('water: a reading held for review is not billed until approved; a missing reading is counted', async () => {
    const e = await estate();
    const water = await feeItem(e.co.admin2, e.co, { kind: 'water', unitPrice: '3.5' });
    const [r1, r2] = e.rooms;
    await e.co.admin2.post('/api/fee-bindings/bulk', { itemId: water.id, communityId: e.community, startDate: '2026-01-01' });
    const m1 = await meter(e.co.admin2, { roomId: r1 });
    const m2 = await meter(e.co.admin2, { roomId: r2 });
    for (const m of [m1, m2]) {
      await reading(e.co.admin2, m.id, '2026-08', '10');
      await reading(e.co.admin2, m.id, '2026-09', '20');
      await reading(e.co.admin2, m.id, '2026-10', '30');
    }
    const normal = await reading(e.co.admin2, m1.id, '2026-11', '42'); // 12 m³
    const jump = await reading(e.co.admin2, m2.id, '2026-11', '230'); // 200 m³: held
    expect([normal.status, jump.status]).toEqual(['accepted', 'review']);
    const body = { communityId: e.community, periodKey: '2026-11', itemIds: [water.id] };
    const preview = (await e.co.admin2.post('/api/bill-runs/preview', body)).json();
    // Rooms 3–6 have no meter; room 2's reading is in review.
    expect(preview.items[0]).toMatchObject({ lines: 1, amountFen: 4200, readingsInReview: 1, missingReadings: 4 });
    const run = await runBills(e.co.admin2, body);
    const lines = await t.db.selectFrom('bill_lines').selectAll().where('run_id', '=', run.id).execute();
    expect(lines.map((l) => [l.target_kind, l.meter_id, l.room_id, l.reading_id, l.amount_fen])).toEqual([['meter', m1.id, r1, normal.id, 4200]]);
    expect(lines[0].basis).toMatchObject({ previous: '30.0000', current: '42.0000', usage: '12', unitPrice: '3.5000' });
    await e.co.admin2.post(`/api/meter-readings/${jump.id}/approve`);
    const rerun = await runBills(e.co.admin2, body);
    expect(rerun).toMatchObject({ linesCreated: 1, amountFen: 70000 });
    // The room's bills include its meter's line.
    expect((await e.co.cashier.get(`/api/rooms/${r2}/bills?periodKey=2026-11`)).json().items.map((l: { itemKind: string; meterId: string }) => [l.itemKind, l.meterId])).toEqual(
      expect.arrayContaining([['water', m2.id]]),
    );
  });

  it('公摊: a building meter’s usage priced once and split among the bound rooms by area', async () => {
    const co = await billingCompany(t, { communities: 1 });
    const building = await createBuilding(t.db, { company: co, communityId: co.communityIds[0] });
    const big = await createRoom(t.db, { building, builtArea: '100.00', number: '101', floor: 1 });
    const small = await createRoom(t.db, { building, builtArea: '50.00', innerArea: null, number: '102', floor: 1 });
    const shared = await feeItem(co.admin2, co, { kind: 'shared', unitPrice: '1.00', meterKind: 'electricity', shareMethod: 'area' });
    await co.admin2.post('/api/fee-bindings/bulk', { itemId: shared.id, communityId: co.communityIds[0], startDate: '2026-01-01' });
    const gt = await meter(co.admin2, { buildingId: building.id, kind: 'electricity' });
    const before = (await co.admin2.post('/api/bill-runs/preview', { communityId: co.communityIds[0], periodKey: '2026-11' })).json();
    expect(before.items[0]).toMatchObject({ lines: 0, missingReadings: 2 });
    await reading(co.admin2, gt.id, '2026-11', '301'); // 301 kWh × ¥1 = 30100 分
    const run = await runBills(co.admin2, { communityId: co.communityIds[0], periodKey: '2026-11' });
    expect(run).toMatchObject({ linesCreated: 2, amountFen: 30100 });
    const lines = await t.db.selectFrom('bill_lines').select(['room_id', 'amount_fen', 'basis']).where('run_id', '=', run.id).execute();
    expect(Object.fromEntries(lines.map((l) => [l.room_id, l.amount_fen]))).toEqual({ [big.id]: 20067, [small.id]: 10033 });
    expect(lines[0].basis).toMatchObject({ buildingFen: 30100, usage: '301', shareMethod: 'area', totalArea: '150', households: 2 });
  });

  it('one-off fees are billed once, in the run of the period their binding starts in', async () => {
    const e = await estate();
    const deposit = await feeItem(e.co.admin2, e.co, { kind: 'oneOff', unitPrice: '2000', dueDays: 0 });
    const binding = await bind(e.co.admin2, { itemId: deposit.id, roomId: e.rooms[0], startDate: '2026-11-20', note: '装修押金' });
    const nov = await runBills(e.co.admin2, { communityId: e.community, periodKey: '2026-11', itemIds: [deposit.id] });
    const [line] = await t.db.selectFrom('bill_lines').selectAll().where('run_id', '=', nov.id).execute();
    expect(line).toMatchObject({ target_kind: 'binding', target_id: binding.id, room_id: e.rooms[0], period_key: 'once', amount_fen: 200000, due_date: '2026-11-20' });
    expect((await runBills(e.co.admin2, { communityId: e.community, periodKey: '2026-11' })).linesCreated).toBe(14);
    const dec = await e.co.admin2.post('/api/bill-runs/preview', { communityId: e.community, periodKey: '2026-12', itemIds: [deposit.id] });
    expect(dec.json().totals).toMatchObject({ lines: 0 });
  });

  it('空置房: an approved vacant room pays the vacancy percent; a community price replaces the item’s', async () => {
    const co = await billingCompany(t, { communities: 1 });
    const building = await createBuilding(t.db, { company: co, communityId: co.communityIds[0] });
    const vacant = await createRoom(t.db, { building, builtArea: '100.00', status: 'vacant', number: '101', floor: 1 });
    const lived = await createRoom(t.db, { building, builtArea: '100.00', status: 'occupied', number: '102', floor: 1 });
    const property = await feeItem(co.admin2, co, { kind: 'property', unitPrice: '2.00', discounts: [{ kind: 'vacancy', percent: '40' }], communities: [{ communityId: co.communityIds[0], unitPrice: '1.50' }] });
    await co.admin2.post('/api/fee-bindings/bulk', { itemId: property.id, communityId: co.communityIds[0], startDate: '2026-01-01' });
    await co.admin2.post('/api/vacancy-approvals', { roomId: vacant.id, startDate: '2026-11-01' });
    const run = await runBills(co.admin2, { communityId: co.communityIds[0], periodKey: '2026-11' });
    const lines = await t.db.selectFrom('bill_lines').select(['room_id', 'amount_fen', 'basis']).where('run_id', '=', run.id).execute();
    const amounts = Object.fromEntries(lines.map((l) => [l.room_id, l.amount_fen]));
    expect(amounts).toEqual({ [vacant.id]: 6000, [lived.id]: 15000 });
    expect(lines.find((l) => l.room_id === vacant.id)!.basis).toMatchObject({ windows: [{ unitPrice: '1.5000', priceSource: 'community', vacancy: [{ percent: '40.00', months: '1' }] }] });
  });

  it('lines are listed by community, building, period, status and item', async () => {
    const e = await estate();
    await runBills(e.co.admin2, { communityId: e.community, periodKey: '2026-11' });
    const get = async (q: string) => (await e.co.cashier.get(`/api/bill-lines?${q}`)).json();
    expect((await get(`communityId=${e.community}&periodKey=2026-11`)).total).toBe(14);
    expect((await get(`buildingId=${e.building.id}`)).total).toBe(12);
    expect((await get(`itemId=${e.parking.id}`)).items.map((l: { parkingSpaceId: string }) => l.parkingSpaceId).sort()).toEqual([...e.spaces].sort());
    expect((await get(`communityId=${e.community}&status=paid`)).total).toBe(0);
    expect((await get(`communityId=${e.community}&periodKey=2026-12`)).total).toBe(0);
    const runs = (await e.co.cashier.get(`/api/bill-runs?communityId=${e.community}&periodKey=2026-11`)).json();
    expect(runs.items).toHaveLength(1);
    expect(runs.items[0]).toMatchObject({ linesCreated: 14, createdBy: expect.any(String) });
  });
});

describe('automatic bill runs (scheduler job billing-auto-run)', () => {
  it('on the configured day, prepaid items of the month are billed by the system; other days nothing', async () => {
    const e = await estate();
    await e.co.admin2.patch(`/api/fee-items/${e.property.id}`, { communities: [{ communityId: e.community, autoBillDay: 5 }] });
    expect(await autoBill(t.app.deps, e.co.companyId, e.community, '2026-12-04')).toEqual({ runs: [] });
    const result = await autoBill(t.app.deps, e.co.companyId, e.community, '2026-12-05');
    expect(result.runs).toEqual([{ periodKey: '2026-12', runId: expect.any(String) }]);
    const run = await t.db.selectFrom('bill_runs').selectAll().where('id', '=', result.runs[0].runId!).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ trigger: 'schedule', status: 'completed', created_by: null, lines_created: 6, item_ids: [e.property.id] });
    const [audit] = await auditRows(t.db, run.id, 'billRun.create');
    expect(audit).toMatchObject({ actor_name: 'system', company_id: e.co.companyId });
  });
});
