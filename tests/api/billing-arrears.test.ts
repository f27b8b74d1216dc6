import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { createBuilding, createParkingSpace, createResident, createRoom, createStaffUser, type Client, type TestBuilding, type TestRoom } from '../helpers/factories.ts';
import { anonymous, auditRows, createRoleUser, expectFieldError, sessionAs } from '../helpers/api.ts';
import { type BillingCompany, billingCompany, bind, feeItem, runBills } from '../helpers/billing.ts';

/**
 * 欠费 and 收缴率: lines are written straight into bill_lines (a bill run row as their run) so due dates and paid
 * amounts hit every aging boundary on asOf 2026-11-23; one case bills through the API instead. Figures are checked
 * to the 分 by community, building, zone and collector; rooms are listed, filtered, paged and masked; the rate is
 * compared with the quotas; and every endpoint answers 401 / 400 / 403 / 404 as the house rules say.
 */

const AS_OF = '2026-11-23';

let t: TestApp;

interface World {
  co: BillingCompany;
  c1: string;
  c2: string;
  collector: { id: string };
  z1: string;
  z2: string;
  b1: TestBuilding;
  b2: TestBuilding;
  b3: TestBuilding;
  r11: TestRoom;
  r12: TestRoom;
  r21: TestRoom;
  r31: TestRoom;
  r4: TestRoom;
  space: { id: string };
  /** A staff member with billing.read assigned to community 1 only. */
  c1Only: Client;
}
let w: World;

const lastDay = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

async function insertItem(co: BillingCompany, kind: 'property' | 'fixed' | 'parking') {
  const row = await t.db.insertInto('fee_items').values({ company_id: co.companyId, name: `${kind}-${Math.random().toString(36).slice(2, 8)}`, kind, unit_price: '1' }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

interface LineSpec {
  room?: TestRoom;
  space?: { id: string; communityId: string };
  item: string;
  /** YYYY-MM of the period. */
  month: string;
  due: string;
  amount: number;
  paid?: number;
  revoked?: boolean;
}

async function insertLines(co: BillingCompany, specs: LineSpec[]) {
  const runs = new Map<string, string>();
  for (const s of specs) {
    const communityId = s.room?.communityId ?? s.space!.communityId;
    let run = runs.get(communityId);
    if (!run) {
      run = (await t.db.insertInto('bill_runs').values({ company_id: co.companyId, community_id: communityId, period_key: s.month, item_ids: [s.item], status: 'completed' }).returning('id').executeTakeFirstOrThrow()).id;
      runs.set(communityId, run);
    }
    const paid = s.paid ?? 0;
    await t.db
      .insertInto('bill_lines')
      .values({
        company_id: co.companyId,
        community_id: communityId,
        run_id: run,
        item_id: s.item,
        target_kind: s.room ? 'room' : 'parkingSpace',
        target_id: s.room?.id ?? s.space!.id,
        building_id: s.room?.buildingId ?? null,
        room_id: s.room?.id ?? null,
        parking_space_id: s.space?.id ?? null,
        period_key: s.month,
        period_start: `${s.month}-01`,
        period_end: lastDay(s.month),
        amount_fen: s.amount,
        paid_fen: paid,
        status: s.revoked ? 'revoked' : paid === 0 ? 'unpaid' : paid === s.amount ? 'paid' : 'partial',
        due_date: s.due,
        basis: JSON.stringify({ test: true }),
      })
      .execute();
  }
}

/**
 * Community 1: zone Z1 (collector) with building 1栋 (rooms 101, 102), zone Z2 (no collector) with 2栋 (101),
 * 3栋 without a zone (101), one parking space; community 2: 1栋-101. Days overdue on 2026-11-23 in brackets.
 */
async function world(): Promise<World> {
  const co = await billingCompany(t);
  const [c1, c2] = co.communityIds;
  const collector = await createStaffUser(t.db, co, { role: 'cashier', communityIds: [c1] });
  const z1 = (await t.db.insertInto('zones').values({ company_id: co.companyId, community_id: c1, name: '东区', responsible_user_id: collector.id }).returning('id').executeTakeFirstOrThrow()).id;
  const z2 = (await t.db.insertInto('zones').values({ company_id: co.companyId, community_id: c1, name: '西区' }).returning('id').executeTakeFirstOrThrow()).id;
  const b1 = await createBuilding(t.db, { company: co, communityId: c1, name: '1栋' });
  const b2 = await createBuilding(t.db, { company: co, communityId: c1, name: '2栋' });
  const b3 = await createBuilding(t.db, { company: co, communityId: c1, name: '3栋' });
  await t.db.updateTable('buildings').set({ zone_id: z1 }).where('id', '=', b1.id).execute();
  await t.db.updateTable('buildings').set({ zone_id: z2 }).where('id', '=', b2.id).execute();
  const r11 = await createRoom(t.db, { building: b1, floor: 1, number: '101' });
  const r12 = await createRoom(t.db, { building: b1, floor: 1, number: '102' });
  const r21 = await createRoom(t.db, { building: b2, floor: 1, number: '101' });
  const r31 = await createRoom(t.db, { building: b3, floor: 1, number: '101' });
  const c2b = await createBuilding(t.db, { company: co, communityId: c2, name: '1栋' });
  const r4 = await createRoom(t.db, { building: c2b, floor: 1, number: '101' });
  const space = await createParkingSpace(t.db, { company: co, communityId: c1 });
  await createResident(t.db, { room: r11, name: '张三丰' });
  await createResident(t.db, { room: r21, name: '李四' });
  await createResident(t.db, { room: r21, name: '王五' });
  // A former owner is not named.
  const former = await createResident(t.db, { room: r12, name: '赵六' });
  await t.db.updateTable('room_residents').set({ end_date: '2026-06-30' }).where('resident_id', '=', former.id).execute();

  const P = await insertItem(co, 'property');
  const F = await insertItem(co, 'fixed');
  const K = await insertItem(co, 'parking');
  const paidMonths = Array.from({ length: 9 }, (_, i) => `2026-0${i + 1}`);
  await insertLines(co, [
    // 1栋-101: paid January to September; then 1, 30 (partial: 6,000 owed) and 31 days overdue
    ...paidMonths.map((month) => ({ room: r11, item: P, month, due: `${month}-16`, amount: 10000, paid: 10000 })),
    { room: r11, item: P, month: '2026-11', due: '2026-11-22', amount: 10000 },
    { room: r11, item: P, month: '2026-10', due: '2026-10-24', amount: 10000, paid: 4000 },
    { room: r11, item: F, month: '2026-10', due: '2026-10-23', amount: 10000 },
    // 1栋-102: due today (not yet in arrears), 90 and 91 days, and a paid line
    { room: r12, item: P, month: '2026-11', due: AS_OF, amount: 10000 },
    { room: r12, item: P, month: '2026-08', due: '2026-08-25', amount: 5000 },
    { room: r12, item: F, month: '2026-08', due: '2026-08-24', amount: 5000 },
    { room: r12, item: P, month: '2026-05', due: '2026-05-27', amount: 5000, paid: 5000 },
    // 2栋-101: 181, 365 and 366 days; a revoked line is nothing
    { room: r21, item: P, month: '2026-05', due: '2026-05-26', amount: 7000 },
    { room: r21, item: P, month: '2025-11', due: '2025-11-23', amount: 7000 },
    { room: r21, item: F, month: '2025-11', due: '2025-11-22', amount: 7000 },
    { room: r21, item: P, month: '2024-12', due: '2025-01-01', amount: 9999, revoked: true },
    // 3栋-101: 180 days, partly paid (7,000 owed)
    { room: r31, item: P, month: '2026-05', due: '2026-05-27', amount: 8000, paid: 1000 },
    // the parking space: 53 days
    { space, item: K, month: '2026-09', due: '2026-10-01', amount: 30000 },
    // community 2: 22 days, and a paid line
    { room: r4, item: P, month: '2026-10', due: '2026-11-01', amount: 12345 },
    { room: r4, item: P, month: '2026-09', due: '2026-10-01', amount: 10000, paid: 10000 },
  ]);
  const c1Only = await sessionAs(t.app, t.db, (await createRoleUser(t.db, co, ['billing.read'], { communityIds: [c1] })).id);
  return { co, c1, c2, collector, z1, z2, b1, b2, b3, r11, r12, r21, r31, r4, space, c1Only };
}

beforeAll(async () => {
  t = await testApp();
  w = await world();
});

const B = (d1_30: number, d31_90: number, d91_180: number, d181_365: number, over365: number) => ({ d1_30, d31_90, d91_180, d181_365, over365 });

describe('GET /api/arrears/summary', () => {
  it('by community: owed, rooms, lines and aging to the 分, with totals', async () => {
    const res = await w.co.admin2.get(`/api/arrears/summary?asOf=${AS_OF}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ asOf: AS_OF, groupBy: 'community' });
    expect(body.rows).toEqual([
      { kind: 'community', id: w.c1, name: expect.stringContaining('小区1'), communityId: w.c1, communityName: expect.stringContaining('小区1'), owedFen: 94000, rooms: 4, lines: 10, buckets: B(16000, 45000, 12000, 14000, 7000) },
      { kind: 'community', id: w.c2, name: expect.stringContaining('小区2'), communityId: w.c2, communityName: expect.stringContaining('小区2'), owedFen: 12345, rooms: 1, lines: 1, buckets: B(12345, 0, 0, 0, 0) },
    ]);
    expect(body.totals).toEqual({ owedFen: 106345, rooms: 5, lines: 11, buckets: B(28345, 45000, 12000, 14000, 7000) });
  });

  it('by building: parking-space lines form a 车位 group; one community asked for', async () => {
    const res = await w.co.admin2.get(`/api/arrears/summary?asOf=${AS_OF}&groupBy=building&communityId=${w.c1}`);
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json().rows.map((r: Record<string, unknown>) => [r.kind, r.id, r.name, r.owedFen, r.rooms, r.lines, r.buckets]);
    expect(rows).toEqual([
      ['building', w.b1.id, '1栋', 36000, 2, 5, B(16000, 15000, 5000, 0, 0)],
      ['building', w.b2.id, '2栋', 21000, 1, 3, B(0, 0, 0, 14000, 7000)],
      ['building', w.b3.id, '3栋', 7000, 1, 1, B(0, 0, 7000, 0, 0)],
      ['parking', null, '车位', 30000, 0, 1, B(0, 30000, 0, 0, 0)],
    ]);
    expect(res.json().totals).toMatchObject({ owedFen: 94000, rooms: 4, lines: 10 });
  });

  it('by zone: buildings without a zone are 未分区; English names in English', async () => {
    const res = await w.co.admin2.get(`/api/arrears/summary?asOf=${AS_OF}&groupBy=zone&communityId=${w.c1}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rows.map((r: Record<string, unknown>) => [r.kind, r.id, r.name, r.owedFen, r.rooms])).toEqual([
      ['zone', w.z1, '东区', 36000, 2],
      ['zone', w.z2, '西区', 21000, 1],
      ['none', null, '未分区', 7000, 1],
      ['parking', null, '车位', 30000, 0],
    ]);
    const en = await w.co.admin2.get(`/api/arrears/summary?asOf=${AS_OF}&groupBy=zone&communityId=${w.c1}`, { 'accept-language': 'en' });
    expect(en.json().rows.slice(2).map((r: { name: string }) => r.name)).toEqual(['No zone', 'Parking spaces']);
  });

  it('asOf moves the buckets: a day later the line due today is in arrears and each boundary line ages one bucket on', async () => {
    const res = await w.co.admin2.get(`/api/arrears/summary?asOf=2026-11-24&communityId=${w.c1}`);
    expect(res.json().rows[0]).toMatchObject({ owedFen: 104000, rooms: 4, lines: 11, buckets: B(20000, 46000, 10000, 14000, 14000) });
    // Before anything was due there are no arrears.
    const early = await w.co.admin2.get('/api/arrears/summary?asOf=2025-01-01');
    expect(early.json().totals).toEqual({ owedFen: 0, rooms: 0, lines: 0, buckets: B(0, 0, 0, 0, 0) });
  });

  it('a staff member of community 1 sees community 1 only; community 2 is a 404; another company sees nothing of it', async () => {
    const res = await w.c1Only.get(`/api/arrears/summary?asOf=${AS_OF}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rows.map((r: { id: string }) => r.id)).toEqual([w.c1]);
    expect(res.json().totals.owedFen).toBe(94000);
    expect((await w.c1Only.get(`/api/arrears/summary?communityId=${w.c2}`)).statusCode).toBe(404);
    const other = await billingCompany(t);
    expect((await other.admin2.get(`/api/arrears/summary?communityId=${w.c1}`)).statusCode).toBe(404);
    const theirs = await other.admin2.get(`/api/arrears/summary?asOf=${AS_OF}&groupBy=building`);
    expect(theirs.json()).toMatchObject({ rows: [], totals: { owedFen: 0, rooms: 0, lines: 0 } });
  });

  it('401 anonymous, 400 naming the field, 403 without billing.read', async () => {
    expect((await anonymous(t.app, 'GET', '/api/arrears/summary')).statusCode).toBe(401);
    expectFieldError(await w.co.admin2.get('/api/arrears/summary?groupBy=collector'), 'groupBy');
    expectFieldError(await w.co.admin2.get('/api/arrears/summary?asOf=2026-13-01'), 'asOf');
    expectFieldError(await w.co.admin2.get('/api/arrears/summary?communityId=abc'), 'communityId');
    expect((await w.co.technician.get('/api/arrears/summary')).statusCode).toBe(403);
  });

  it('counts lines billed through the API: two rooms of 95 m² at ¥1.80, October, due 16 October', async () => {
    const co = await billingCompany(t);
    const building = await createBuilding(t.db, { company: co, communityId: co.communityIds[0] });
    const rooms = [await createRoom(t.db, { building, builtArea: '95.00' }), await createRoom(t.db, { building, builtArea: '95.00' })];
    const item = await feeItem(co.admin2, co, { kind: 'property', unitPrice: '1.80' });
    for (const r of rooms) await bind(co.admin2, { itemId: item.id, roomId: r.id, startDate: '2026-01-01' });
    const run = await runBills(co.admin2, { communityId: co.communityIds[0], periodKey: '2026-10' });
    expect(run.amountFen).toBe(2 * 17100);
    const res = await co.admin2.get(`/api/arrears/summary?asOf=${AS_OF}&groupBy=building`);
    expect(res.json().rows).toEqual([expect.objectContaining({ id: building.id, owedFen: 34200, rooms: 2, lines: 2, buckets: B(0, 34200, 0, 0, 0) })]);
    const notYet = await co.admin2.get('/api/arrears/summary?asOf=2026-10-16');
    expect(notYet.json().totals.owedFen).toBe(0);
    const rate = await co.admin2.get(`/api/collection-rate?ytd=true&asOf=${AS_OF}`);
    expect(rate.json().totals).toEqual({ billedFen: 34200, paidFen: 0, rate: 0 });
  });
});

describe('GET /api/arrears/summary.xlsx', () => {
  it('exports the rows and the totals in yuan', async () => {
    const res = await w.co.admin2.get(`/api/arrears/summary.xlsx?asOf=${AS_OF}&groupBy=building&communityId=${w.c1}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(`arrears-summary-${AS_OF}.xlsx`);
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('欠费汇总');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect(values(1).slice(0, 5)).toEqual(['小区', '楼栋', '欠费金额（元）', '欠费户数', '欠费笔数']);
    expect(values(2).slice(1)).toEqual(['1栋', 360, 2, 5, 160, 150, 50, 0, 0]);
    expect(values(5).slice(1, 4)).toEqual(['车位', 300, 0]);
    expect(values(6)).toEqual(['合计', '', 940, 4, 10, 160, 450, 120, 140, 70]);
  });

  it('401, 400, 403 and 404 like the summary', async () => {
    expect((await anonymous(t.app, 'GET', '/api/arrears/summary.xlsx')).statusCode).toBe(401);
    expectFieldError(await w.co.admin2.get('/api/arrears/summary.xlsx?groupBy=x'), 'groupBy');
    expect((await w.co.technician.get('/api/arrears/summary.xlsx')).statusCode).toBe(403);
    expect((await w.c1Only.get(`/api/arrears/summary.xlsx?communityId=${w.c2}`)).statusCode).toBe(404);
  });
});

describe('GET /api/arrears/rooms and /api/arrears/debtors', () => {
  const ids = (res: { json: () => { items: Array<{ roomId: string }> } }) => res.json().items.map((r) => r.roomId);

  it('lists rooms in arrears, the most owed first, with owners masked for a cashier and in full for an administrator', async () => {
    const res = await w.co.cashier.get(`/api/arrears/rooms?asOf=${AS_OF}&communityId=${w.c1}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ total: 4, page: 1, pageSize: 20 });
    expect(body.items[0]).toEqual({
      roomId: w.r11.id,
      communityId: w.c1,
      communityName: expect.stringContaining('小区1'),
      buildingId: w.b1.id,
      zoneId: w.z1,
      roomLabel: '1栋-1单元-101',
      ownerName: '张**',
      owedFen: 26000,
      lines: 3,
      oldestDueDate: '2026-10-23',
      daysOverdue: 31,
      buckets: B(16000, 10000, 0, 0, 0),
    });
    expect(ids(res)).toEqual([w.r11.id, w.r21.id, w.r12.id, w.r31.id]);
    expect(body.items.map((r: { ownerName: string | null }) => r.ownerName)).toEqual(['张**', '李*、王*', null, null]);
    expect(body.items[1]).toMatchObject({ owedFen: 21000, lines: 3, oldestDueDate: '2025-11-22', daysOverdue: 366, zoneId: w.z2 });
    const admin = await w.co.admin2.get(`/api/arrears/rooms?asOf=${AS_OF}&communityId=${w.c1}`);
    expect(admin.json().items.slice(0, 2).map((r: { ownerName: string }) => r.ownerName)).toEqual(['张三丰', '李四、王五']);
  });

  it('sorts by the oldest due date; filters by amount, days overdue, building and zone; pages', async () => {
    const base = `/api/arrears/rooms?asOf=${AS_OF}&communityId=${w.c1}`;
    expect(ids(await w.co.admin2.get(`${base}&sort=oldest`))).toEqual([w.r21.id, w.r31.id, w.r12.id, w.r11.id]);
    expect(ids(await w.co.admin2.get(`${base}&minOwedFen=10000`))).toEqual([w.r11.id, w.r21.id, w.r12.id]);
    expect(ids(await w.co.admin2.get(`${base}&minOverdueDays=180`))).toEqual([w.r21.id, w.r31.id]);
    expect(ids(await w.co.admin2.get(`${base}&minOverdueDays=181`))).toEqual([w.r21.id]);
    expect(ids(await w.co.admin2.get(`/api/arrears/rooms?asOf=${AS_OF}&zoneId=${w.z1}`))).toEqual([w.r11.id, w.r12.id]);
    expect(ids(await w.co.admin2.get(`/api/arrears/rooms?asOf=${AS_OF}&buildingId=${w.b2.id}`))).toEqual([w.r21.id]);
    const page2 = await w.co.admin2.get(`${base}&pageSize=3&page=2`);
    expect(page2.json()).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(ids(page2)).toEqual([w.r31.id]);
    const past = await w.co.admin2.get(`${base}&pageSize=3&page=3`);
    expect(past.json()).toMatchObject({ items: [], total: 4 });
    // The whole company: community 2's room too.
    expect((await w.co.admin2.get(`/api/arrears/rooms?asOf=${AS_OF}`)).json().total).toBe(5);
  });

  it('debtors: the top N by owed over the caller’s communities', async () => {
    const res = await w.co.admin2.get(`/api/arrears/debtors?asOf=${AS_OF}&limit=3`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().asOf).toBe(AS_OF);
    expect(res.json().items.map((r: { roomId: string; owedFen: number }) => [r.roomId, r.owedFen])).toEqual([
      [w.r11.id, 26000],
      [w.r21.id, 21000],
      [w.r4.id, 12345],
    ]);
    const scoped = await w.c1Only.get(`/api/arrears/debtors?asOf=${AS_OF}&limit=10`);
    expect(ids(scoped)).toEqual([w.r11.id, w.r21.id, w.r12.id, w.r31.id]);
    expect(ids(await w.co.admin2.get(`/api/arrears/debtors?asOf=${AS_OF}&communityId=${w.c2}`))).toEqual([w.r4.id]);
  });

  it('scoping: another community’s building or zone, or another company’s, is a 404', async () => {
    const c2Building = await createBuilding(t.db, { company: w.co, communityId: w.c2 });
    expect((await w.c1Only.get(`/api/arrears/rooms?buildingId=${c2Building.id}`)).statusCode).toBe(404);
    expect((await w.c1Only.get(`/api/arrears/rooms?communityId=${w.c2}`)).statusCode).toBe(404);
    expect((await w.c1Only.get(`/api/arrears/debtors?communityId=${w.c2}`)).statusCode).toBe(404);
    const other = await billingCompany(t);
    expect((await other.admin2.get(`/api/arrears/rooms?zoneId=${w.z1}`)).statusCode).toBe(404);
    expect((await other.admin2.get(`/api/arrears/rooms?buildingId=${w.b1.id}`)).statusCode).toBe(404);
    expect((await other.admin2.get(`/api/arrears/debtors?asOf=${AS_OF}`)).json().items).toEqual([]);
  });

  it('401, 400 naming the field, 403', async () => {
    expect((await anonymous(t.app, 'GET', '/api/arrears/rooms')).statusCode).toBe(401);
    expect((await anonymous(t.app, 'GET', '/api/arrears/debtors')).statusCode).toBe(401);
    expectFieldError(await w.co.admin2.get('/api/arrears/rooms?sort=newest'), 'sort');
    expectFieldError(await w.co.admin2.get('/api/arrears/rooms?minOwedFen=-1'), 'minOwedFen');
    expectFieldError(await w.co.admin2.get('/api/arrears/rooms?minOverdueDays=0'), 'minOverdueDays');
    expectFieldError(await w.co.admin2.get('/api/arrears/rooms?zoneId=nope'), 'zoneId');
    expectFieldError(await w.co.admin2.get('/api/arrears/debtors?limit=1000'), 'limit');
    expect((await w.co.technician.get('/api/arrears/rooms')).statusCode).toBe(403);
    expect((await w.co.technician.get('/api/arrears/debtors')).statusCode).toBe(403);
  });
});

describe('GET /api/collection-rate', () => {
  const row = (r: Record<string, unknown>) => [r.kind, r.id, r.billedFen, r.paidFen, r.rate, r.targetPercent, r.quotaSource, r.metQuota];

  it('year to date per community, without quotas', async () => {
    const res = await w.co.admin2.get(`/api/collection-rate?ytd=true&asOf=${AS_OF}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ from: '2026-01', to: '2026-11', groupBy: 'community', quotaYear: 2026 });
    // Community 1: 1栋 145,000 billed / 99,000 paid, 2栋 7,000 / 0, 3栋 8,000 / 1,000, parking 30,000 / 0.
    expect(body.rows.map(row)).toEqual([
      ['community', w.c1, 190000, 100000, 52.63, null, null, null],
      ['community', w.c2, 22345, 10000, 44.75, null, null, null],
    ]);
    expect(body.totals).toEqual({ billedFen: 212345, paidFen: 110000, rate: 51.8 });
  });

  describe('with quotas for 2026', () => {
    beforeAll(async () => {
      for (const body of [
        { communityId: w.c1, year: 2026, targetPercent: 50 },
        { communityId: w.c1, year: 2026, zoneId: w.z1, targetPercent: '70' },
        { communityId: w.c1, year: 2026, collectorId: w.collector.id, targetPercent: '68.28' },
        { communityId: w.c1, year: 2025, targetPercent: 99 },
      ]) {
        const res = await w.co.admin2.request('PUT', '/api/collection-quotas', body);
        expect(res.statusCode, res.body).toBe(201);
      }
    });

    it('per community, building, zone and collector: the own quota else the community’s; met or not', async () => {
      const get = async (groupBy: string) => {
        const res = await w.co.admin2.get(`/api/collection-rate?ytd=true&asOf=${AS_OF}&groupBy=${groupBy}`);
        expect(res.statusCode, res.body).toBe(200);
        return res.json().rows.map(row);
      };
      expect(await get('community')).toEqual([
        ['community', w.c1, 190000, 100000, 52.63, '50.00', 'community', true],
        ['community', w.c2, 22345, 10000, 44.75, null, null, null],
      ]);
      expect(await get('zone')).toEqual([
        ['zone', w.z1, 145000, 99000, 68.28, '70.00', 'zone', false],
        ['zone', w.z2, 7000, 0, 0, '50.00', 'community', false],
        ['none', null, 8000, 1000, 12.5, '50.00', 'community', false],
        ['parking', null, 30000, 0, 0, '50.00', 'community', false],
        ['none', null, 22345, 10000, 44.75, null, null, null],
      ]);
      expect(await get('collector')).toEqual([
        ['collector', w.collector.id, 145000, 99000, 68.28, '68.28', 'collector', true],
        ['none', null, 15000, 1000, 6.67, '50.00', 'community', false],
        ['parking', null, 30000, 0, 0, '50.00', 'community', false],
        ['none', null, 22345, 10000, 44.75, null, null, null],
      ]);
      expect((await get('building')).slice(0, 4)).toEqual([
        ['building', w.b1.id, 145000, 99000, 68.28, '70.00', 'zone', false],
        ['building', w.b2.id, 7000, 0, 0, '50.00', 'community', false],
        ['building', w.b3.id, 8000, 1000, 12.5, '50.00', 'community', false],
        ['parking', null, 30000, 0, 0, '50.00', 'community', false],
      ]);
    });

    it('an explicit month range; a range over two years compares with no quota', async () => {
      const oct = await w.co.admin2.get(`/api/collection-rate?from=2026-10&to=2026-10&communityId=${w.c1}`);
      expect(oct.json().rows.map(row)).toEqual([['community', w.c1, 20000, 4000, 20, '50.00', 'community', false]]);
      const span = await w.co.admin2.get(`/api/collection-rate?from=2025-11&to=2026-11&communityId=${w.c1}`);
      expect(span.json()).toMatchObject({ quotaYear: null });
      expect(span.json().rows.map(row)).toEqual([['community', w.c1, 204000, 100000, 49.02, null, null, null]]);
      const lastYear = await w.co.admin2.get(`/api/collection-rate?from=2025-01&to=2025-12&communityId=${w.c1}`);
      expect(lastYear.json().rows.map(row)).toEqual([['community', w.c1, 14000, 0, 0, '99.00', 'community', false]]);
      const none = await w.co.admin2.get(`/api/collection-rate?from=2020-01&to=2020-12&communityId=${w.c1}`);
      expect(none.json().rows).toEqual([]);
      expect(none.json().totals).toEqual({ billedFen: 0, paidFen: 0, rate: null });
    });
  });

  it('scoping: one community’s staff sees its figures only; another company’s community is a 404', async () => {
    const res = await w.c1Only.get(`/api/collection-rate?ytd=true&asOf=${AS_OF}&groupBy=building`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rows.every((r: { communityId: string }) => r.communityId === w.c1)).toBe(true);
    expect(res.json().totals).toMatchObject({ billedFen: 190000, paidFen: 100000 });
    expect((await w.c1Only.get(`/api/collection-rate?communityId=${w.c2}`)).statusCode).toBe(404);
    const other = await billingCompany(t);
    expect((await other.admin2.get(`/api/collection-rate?communityId=${w.c1}`)).statusCode).toBe(404);
  });

  it('401, 400 naming the field, 403', async () => {
    expect((await anonymous(t.app, 'GET', '/api/collection-rate')).statusCode).toBe(401);
    expectFieldError(await w.co.admin2.get('/api/collection-rate?from=2026-13'), 'from');
    expectFieldError(await w.co.admin2.get('/api/collection-rate?to=2026-1'), 'to');
    expectFieldError(await w.co.admin2.get('/api/collection-rate?from=2026-05&to=2026-04'), 'to');
    expectFieldError(await w.co.admin2.get('/api/collection-rate?ytd=true&from=2026-01'), 'ytd');
    expectFieldError(await w.co.admin2.get('/api/collection-rate?ytd=yes'), 'ytd');
    expectFieldError(await w.co.admin2.get('/api/collection-rate?from=2020-01&to=2026-01'), 'from');
    expectFieldError(await w.co.admin2.get('/api/collection-rate?groupBy=room'), 'groupBy');
    expect((await w.co.technician.get('/api/collection-rate')).statusCode).toBe(403);
  });
});

describe('/api/collection-quotas', () => {
  const put = (client: Client, body: Record<string, unknown>) => client.request('PUT', '/api/collection-quotas', body);
  const quotaCount = async () => Number((await t.db.selectFrom('collection_quotas').select((eb) => eb.fn.countAll<number>().as('n')).where('company_id', '=', w.co.companyId).executeTakeFirstOrThrow()).n);

  it('PUT creates (201), the same key again updates (200); both audited; GET lists by year; DELETE removes (204, audited)', async () => {
    const created = await put(w.co.admin2, { communityId: w.c2, year: 2027, targetPercent: '92.5' });
    expect(created.statusCode, created.body).toBe(201);
    const q = created.json();
    expect(q).toMatchObject({ communityId: w.c2, year: 2027, zoneId: null, collectorId: null, targetPercent: '92.50' });
    const again = await put(w.co.admin2, { communityId: w.c2, year: 2027, zoneId: null, targetPercent: 95 });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ id: q.id, targetPercent: '95.00' });
    const audits = await auditRows(t.db, q.id);
    expect(audits.map((a) => a.action)).toEqual(['collectionQuota.create', 'collectionQuota.update']);
    expect(audits[1].before).toEqual({ targetPercent: '92.50' });
    expect(audits[1].after).toMatchObject({ targetPercent: '95' });

    const list = await w.co.cashier.get(`/api/collection-quotas?communityId=${w.c2}&year=2027`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items).toEqual([expect.objectContaining({ id: q.id, targetPercent: '95.00', communityName: expect.stringContaining('小区2') })]);
    const zoneQuota = await put(w.co.admin2, { communityId: w.c1, year: 2027, zoneId: w.z2, targetPercent: 80 });
    expect(zoneQuota.json()).toMatchObject({ zoneId: w.z2, zoneName: '西区' });
    const collectorQuota = await put(w.co.admin2, { communityId: w.c1, year: 2027, collectorId: w.collector.id, targetPercent: 85 });
    expect(collectorQuota.json()).toMatchObject({ collectorId: w.collector.id, collectorName: expect.any(String) });
    // A staff member of community 1 does not see community 2's targets.
    const scoped = await w.c1Only.get('/api/collection-quotas?year=2027');
    expect(scoped.json().items.map((i: { id: string }) => i.id).sort()).toEqual([zoneQuota.json().id, collectorQuota.json().id].sort());

    const del = await w.co.admin2.delete(`/api/collection-quotas/${q.id}`);
    expect(del.statusCode, del.body).toBe(204);
    expect(await t.db.selectFrom('collection_quotas').select('id').where('id', '=', q.id).executeTakeFirst()).toBeUndefined();
    expect((await auditRows(t.db, q.id, 'collectionQuota.delete'))[0].before).toMatchObject({ year: 2027, targetPercent: '95.00' });
    expect((await w.co.admin2.delete(`/api/collection-quotas/${q.id}`)).statusCode).toBe(404);
  });

  it('400 naming the field and nothing changed', async () => {
    const before = await quotaCount();
    const other = await billingCompany(t);
    const otherZone = (await t.db.insertInto('zones').values({ company_id: other.companyId, community_id: other.communityIds[0], name: '外区' }).returning('id').executeTakeFirstOrThrow()).id;
    const c2Zone = (await t.db.insertInto('zones').values({ company_id: w.co.companyId, community_id: w.c2, name: '南区' }).returning('id').executeTakeFirstOrThrow()).id;
    const disabled = await createStaffUser(t.db, w.co, { role: 'cashier' });
    await t.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', disabled.id).execute();
    const ok = { communityId: w.c1, year: 2028, targetPercent: 90 };
    for (const [body, field] of [
      [{ ...ok, targetPercent: 0 }, 'targetPercent'],
      [{ ...ok, targetPercent: '100.01' }, 'targetPercent'],
      [{ ...ok, targetPercent: '95.555' }, 'targetPercent'],
      [{ ...ok, targetPercent: 'lots' }, 'targetPercent'],
      [{ ...ok, year: 1999 }, 'year'],
      [{ ...ok, communityId: other.communityIds[0] }, 'communityId'],
      [{ ...ok, zoneId: c2Zone }, 'zoneId'],
      [{ ...ok, zoneId: otherZone }, 'zoneId'],
      [{ ...ok, zoneId: w.z1, collectorId: w.collector.id }, 'collectorId'],
      [{ ...ok, collectorId: disabled.id }, 'collectorId'],
      [{ ...ok, collectorId: other.admin.id }, 'collectorId'],
      [{ ...ok, extra: 1 }, 'extra'],
    ] as const) {
      expectFieldError(await put(w.co.admin2, body), field);
    }
    expect(await quotaCount()).toBe(before);
    // 100 itself is a target.
    expect((await put(w.co.admin2, { ...ok, targetPercent: 100 })).statusCode).toBe(201);
  });

  it('401 anonymous, 403 without billing.manage (or billing.read to list), 404 for another company’s or community’s quota', async () => {
    expect((await anonymous(t.app, 'GET', '/api/collection-quotas')).statusCode).toBe(401);
    expect((await anonymous(t.app, 'DELETE', `/api/collection-quotas/${w.c1}`)).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'PUT', url: '/api/collection-quotas', payload: { communityId: w.c1, year: 2026, targetPercent: 90 } })).statusCode).toBe(401);
    expect((await put(w.co.cashier, { communityId: w.c1, year: 2029, targetPercent: 90 })).statusCode).toBe(403);
    expect((await w.co.technician.get('/api/collection-quotas')).statusCode).toBe(403);
    const c2Quota = (await put(w.co.admin2, { communityId: w.c2, year: 2029, targetPercent: 90 })).json();
    expect((await w.co.cashier.delete(`/api/collection-quotas/${c2Quota.id}`)).statusCode).toBe(403);
    expect((await w.c1Only.get(`/api/collection-quotas?communityId=${w.c2}`)).statusCode).toBe(404);
    const other = await billingCompany(t);
    expect((await other.admin2.delete(`/api/collection-quotas/${c2Quota.id}`)).statusCode).toBe(404);
    expect((await other.admin2.get(`/api/collection-quotas?communityId=${w.c1}`)).statusCode).toBe(404);
    expect((await other.admin2.get('/api/collection-quotas')).json().items).toEqual([]);
    expectFieldError(await w.co.admin2.delete('/api/collection-quotas/not-a-uuid'), 'id');
    expect(await t.db.selectFrom('collection_quotas').select('id').where('id', '=', c2Quota.id).executeTakeFirst()).toBeDefined();
  });
});
