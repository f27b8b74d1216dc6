import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { type Insertable, type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../src/db/schema.ts';
import { type Database, openDatabase } from '../../src/db/index.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { seedDemo } from '../../src/seed/demo.ts';
import { ensureDesk } from '../../src/modules/servicedesk/config.ts';
import { testApp, type TestApp } from '../helpers/app.ts';
import { anonymous, createRoleUser, expectFieldError } from '../helpers/api.ts';
import { type Client, createCompany, createRoom, createStaffUser, login, type TestCompany } from '../helpers/factories.ts';

/**
 * The dashboard's figures asserted exactly over tickets written with known clock states (September–October 2026,
 * Asia/Shanghai), the way the lifecycle and the SLA sweep leave them; one more ticket goes through the API. Another
 * company's tickets in the same range must never count.
 */

let t: TestApp;
let a: TestCompany;
let b: TestCompany;
let admin: Client;
let tech1: string;
let tech2: string;
let kefu: string;
const ids: Record<string, string> = {};
const nos: Record<string, string> = {};
let seq = 0;

type Clock = 'respond' | 'arrive' | 'resolve' | 'reply';
type State = 'running' | 'atRisk' | 'overdue' | 'met' | 'metLate';
type TicketRow = Insertable<DB['tickets']>;

async function categoryId(company: TestCompany, code: string) {
  const row = await t.db.selectFrom('ticket_categories').select(['id', 'kind']).where('company_id', '=', company.companyId).where('code', '=', code).executeTakeFirstOrThrow();
  return row;
}

/** A clock due `dueHours` after the report, stopped `doneHours` after it (or still running). */
function clock(name: Clock, state: State, reportedAt: string, dueHours: number, doneHours?: number): Partial<TicketRow> {
  const at = Date.parse(reportedAt);
  const due = new Date(at + dueHours * 3600_000);
  return {
    [`${name}_due_at`]: due,
    [`${name}_warn_at`]: new Date(at + dueHours * 0.8 * 3600_000),
    [`${name}_done_at`]: doneHours === undefined ? null : new Date(at + doneHours * 3600_000),
    [`${name}_state`]: state,
  };
}

async function ticket(key: string, company: TestCompany, code: string, reportedAt: string, over: Partial<TicketRow>, clocks: Partial<TicketRow>[] = []) {
  const cat = await categoryId(company, code);
  seq += 1;
  const no = `DB${Date.now().toString(36)}${seq}`;
  const row = await t.db
    .insertInto('tickets')
    .values({
      company_id: company.companyId,
      community_id: company.communityIds[0],
      no,
      kind: cat.kind,
      category_id: cat.id,
      title: `工单${key}`,
      channel: 'hotline',
      reported_at: new Date(reportedAt),
      status: 'closed',
      ...Object.assign({}, ...clocks),
      ...over,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db.insertInto('ticket_events').values({ company_id: company.companyId, ticket_id: row.id, at: new Date(reportedAt), action: 'create', to_status: 'submitted' }).execute();
  ids[key] = row.id;
  nos[key] = no;
  return row.id;
}

async function visit(key: string, company: TestCompany, status: 'pending' | 'done', satisfaction: number | null, mandatory = false) {
  await t.db
    .insertInto('return_visits')
    .values({ company_id: company.companyId, community_id: company.communityIds[0], ticket_id: ids[key], reason: mandatory ? 'majorComplaint' : 'sample', mandatory, status, satisfaction, answers: '{}', created_at: new Date('2026-11-01T00:00:00Z') })
    .execute();
}

const RANGE = '/api/service-desk/dashboard?from=2026-09-01&to=2026-10-31';

beforeAll(async () => {
  t = await testApp();
  a = await createCompany(t.db, { communities: 2 });
  b = await createCompany(t.db, { communities: 1 });
  await ensureDesk(t.db, a.companyId);
  await ensureDesk(t.db, b.companyId);
  admin = await login(t.app, a.admin.username);
  tech1 = (await createStaffUser(t.db, a, { role: 'technician', communityIds: a.communityIds })).id;
  tech2 = (await createStaffUser(t.db, a, { role: 'technician', communityIds: a.communityIds })).id;
  kefu = (await createStaffUser(t.db, a, { role: 'service', communityIds: a.communityIds })).id;

  const r = (key: string, at: string) => ({ key, at });
  const T1 = r('T1', '2026-09-10T02:00:00Z');
  await ticket('T1', a, 'waterElectric', T1.at, { assignee_id: tech1, rating: 5 }, [clock('respond', 'met', T1.at, 0.5, 0.2), clock('resolve', 'met', T1.at, 72, 30)]);
  const T2 = r('T2', '2026-09-15T02:00:00Z');
  await ticket('T2', a, 'doorWindow', T2.at, { assignee_id: tech1, rating: 3, rework_count: 1 }, [clock('respond', 'met', T2.at, 0.5, 0.3), clock('resolve', 'metLate', T2.at, 72, 90)]);
  // 00:30 on 1 October in Shanghai: an October ticket although UTC still says 30 September.
  const T3 = r('T3', '2026-09-30T16:30:00Z');
  await ticket('T3', a, 'lighting', T3.at, { assignee_id: tech2, status: 'completed' }, [clock('respond', 'metLate', T3.at, 0.5, 1), clock('resolve', 'met', T3.at, 48, 20)]);
  const T4 = r('T4', '2026-10-05T02:00:00Z');
  await ticket('T4', a, 'noise', T4.at, { assignee_id: kefu, severity: 'major', rating: 2 }, [clock('respond', 'met', T4.at, 0.1, 0.05), clock('arrive', 'met', T4.at, 0.25, 0.2), clock('reply', 'metLate', T4.at, 8, 18)]);
  const T5 = r('T5', '2026-10-06T02:00:00Z');
  await ticket('T5', a, 'attitude', T5.at, { assignee_id: kefu, severity: 'major', status: 'completed' }, [clock('respond', 'met', T5.at, 0.5, 0.1), clock('reply', 'met', T5.at, 48, 10)]);
  const T6 = r('T6', '2026-10-07T02:00:00Z');
  await ticket('T6', a, 'fee', T6.at, { status: 'accepted' }, [clock('reply', 'overdue', T6.at, 0.5)]);
  const T7 = r('T7', '2026-10-08T02:00:00Z');
  await ticket('T7', a, 'waterElectric', T7.at, { assignee_id: tech1, status: 'dispatched' }, [clock('respond', 'met', T7.at, 0.5, 0.1), clock('resolve', 'overdue', T7.at, 240)]);
  // A cancelled ticket's unfinished clocks have no outcome.
  const T8 = r('T8', '2026-10-09T02:00:00Z');
  await ticket('T8', a, 'simple', T8.at, { status: 'cancelled', cancel_reason: '业主撤回' }, [clock('respond', 'met', T8.at, 0.5), { respond_state: null, respond_done_at: null }]);
  // 23:59 on 31 August in Shanghai: before the range.
  const T9 = r('T9', '2026-08-31T15:59:00Z');
  await ticket('T9', a, 'waterElectric', T9.at, { assignee_id: tech1, rating: 1 }, [clock('respond', 'metLate', T9.at, 0.5, 2)]);
  const T10 = r('T10', '2026-10-10T02:00:00Z');
  await ticket('T10', a, 'elevator', T10.at, { community_id: a.communityIds[1], assignee_id: tech2, rating: 4 }, [clock('respond', 'met', T10.at, 0.5, 0.2), clock('resolve', 'met', T10.at, 72, 5)]);
  const T11 = r('T11', '2026-10-31T15:00:00Z');
  await ticket('T11', a, 'otherHome', T11.at, { status: 'submitted' }, [clock('respond', 'atRisk', T11.at, 0.5), clock('resolve', 'running', T11.at, 168)]);
  await visit('T1', a, 'done', 5);
  await visit('T2', a, 'done', 4);
  await visit('T4', a, 'done', 2, true);
  await visit('T5', a, 'pending', null, true);
  // The timeline explains why T4 was late.
  await t.db
    .insertInto('ticket_events')
    .values([
      { company_id: a.companyId, ticket_id: ids.T4, at: new Date('2026-10-05T05:00:00Z'), action: 'pause', from_status: 'inProgress', to_status: 'paused', note: '等待业主回家' },
      { company_id: a.companyId, ticket_id: ids.T4, at: new Date('2026-10-05T06:00:00Z'), action: 'extend', note: '需协调装修施工方' },
      { company_id: a.companyId, ticket_id: ids.T4, at: new Date('2026-10-05T07:00:00Z'), action: 'start', note: '不应出现' },
    ])
    .execute();
  // Another company's tickets in the same range: never counted.
  await ticket('B1', b, 'noise', '2026-10-05T03:00:00Z', { rating: 5 }, [clock('reply', 'metLate', '2026-10-05T03:00:00Z', 8, 20)]);
  await ticket('B2', b, 'fee', '2026-10-06T03:00:00Z', { status: 'accepted' }, [clock('reply', 'overdue', '2026-10-06T03:00:00Z', 0.5)]);
});

describe('GET /api/service-desk/dashboard', () => {
  it('refuses a caller without a session (401) and a role without ticket.read (403)', async () => {
    const res = await anonymous(t.app, 'GET', RANGE);
    expect(res.statusCode).toBe(401);
    const cashier = await createStaffUser(t.db, a, { role: 'cashier' });
    const forbidden = await (await login(t.app, cashier.username)).get(RANGE);
    expect(forbidden.statusCode).toBe(403);
    const report = await (await login(t.app, cashier.username)).get('/api/service-desk/reports/monthly.xlsx?month=2026-10');
    expect(report.statusCode).toBe(403);
  });

  it('counts the range exactly: totals, clocks, rates, targets', async () => {
    const res = await admin.get(RANGE);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.range).toEqual({ from: '2026-09-01', to: '2026-10-31' });
    expect(d.targets).toEqual({ satisfaction: 90, returnVisit: 50, timeliness: 90 });
    expect(d.totals).toEqual({ created: 10, open: 3, completed: 6, closed: 4, cancelled: 1, overdueOpen: 2 });
    expect(d.onTime).toEqual([
      { clock: 'respond', met: 6, metLate: 1, overdue: 0, running: 1, rate: 85.7 },
      { clock: 'arrive', met: 1, metLate: 0, overdue: 0, running: 0, rate: 100 },
      { clock: 'resolve', met: 3, metLate: 1, overdue: 1, running: 1, rate: 60 },
      { clock: 'reply', met: 1, metLate: 1, overdue: 1, running: 0, rate: 33.3 },
    ]);
    expect(d.returnVisits).toEqual({ due: 6, visited: 3, rate: 50, majorComplaints: 2, majorVisited: 1, majorRate: 50 });
    // Rated: T1 (5, visit 5), T2 (3, visit 4), T4 (2, visit 2), T10 (4); satisfied when either score is 4 or 5.
    expect(d.satisfaction).toEqual({ rated: 4, average: 3.57, satisfiedRate: 75 });
    expect(d.rework).toEqual({ completed: 6, reworked: 1, rate: 16.7 });
  });

  it('breaks the range down by kind, category, community, technician and local month', async () => {
    const d = (await admin.get(RANGE)).json();
    expect(d.byKind).toEqual([
      { kind: 'homeRepair', created: 5, onTimeRate: 66.7 },
      { kind: 'publicRepair', created: 2, onTimeRate: 75 },
      { kind: 'complaint', created: 2, onTimeRate: 80 },
      { kind: 'inquiry', created: 1, onTimeRate: 0 },
    ]);
    const water = (await categoryId(a, 'waterElectric')).id;
    expect(d.byCategory.find((c: { categoryId: string }) => c.categoryId === water)).toEqual({ categoryId: water, name: '水电', created: 2, onTimeRate: 75 });
    expect(d.byCategory.map((c: { created: number }) => c.created).reduce((x: number, y: number) => x + y, 0)).toBe(10);
    expect(d.byCommunity).toEqual([
      { communityId: a.communityIds[0], name: `小区1-${a.code}`, created: 9, onTimeRate: 64.3, satisfaction: 66.7 },
      { communityId: a.communityIds[1], name: `小区2-${a.code}`, created: 1, onTimeRate: 100, satisfaction: 100 },
    ]);
    const tech = (id: string) => d.byTechnician.find((x: { userId: string }) => x.userId === id);
    expect(d.byTechnician).toHaveLength(3);
    expect(tech(tech1)).toMatchObject({ completed: 2, onTimeRate: 75, avgRating: 4, reworkRate: 50 });
    expect(tech(tech2)).toMatchObject({ completed: 2, onTimeRate: 75, avgRating: 4, reworkRate: 0 });
    expect(tech(kefu)).toMatchObject({ completed: 2, onTimeRate: 80, avgRating: 2, reworkRate: 0 });
    expect(d.byMonth).toEqual([
      { month: '2026-09', created: 2, completed: 2, onTimeRate: 75 },
      { month: '2026-10', created: 8, completed: 4, onTimeRate: 66.7 },
    ]);
    expect(d.overdue.map((o: { no: string; clock: string }) => [o.no, o.clock])).toEqual([
      [nos.T6, 'reply'],
      [nos.T7, 'resolve'],
    ]);
    expect(d.overdue[1]).toMatchObject({ id: ids.T7, title: '工单T7', communityName: `小区1-${a.code}`, dueAt: '2026-10-18T02:00:00.000Z' });
    expect(d.overdue[1].assigneeName).toMatch(/^员工/);
    expect(d.overdue[0].assigneeName).toBeNull();
  });

  it('lists every month of a longer range, empty ones included', async () => {
    const d = (await admin.get('/api/service-desk/dashboard?from=2026-08-15&to=2026-11-02')).json();
    expect(d.byMonth.map((m: { month: string; created: number }) => [m.month, m.created])).toEqual([
      ['2026-08', 1],
      ['2026-09', 2],
      ['2026-10', 8],
      ['2026-11', 0],
    ]);
    expect(d.byMonth[3].onTimeRate).toBeNull();
  });

  it("limits a staff member to their communities, and one community on request; another company's community is a 400", async () => {
    const scoped = await createRoleUser(t.db, a, ['ticket.read'], { communityIds: [a.communityIds[1]] });
    const client = await login(t.app, scoped.username);
    const mine = (await client.get(RANGE)).json();
    expect(mine.totals.created).toBe(1);
    expect(mine.byCommunity.map((c: { communityId: string }) => c.communityId)).toEqual([a.communityIds[1]]);
    expectFieldError(await client.get(`${RANGE}&communityId=${a.communityIds[0]}`), 'communityId');

    const one = (await admin.get(`${RANGE}&communityId=${a.communityIds[0]}`)).json();
    expect(one.totals).toEqual({ created: 9, open: 3, completed: 5, closed: 3, cancelled: 1, overdueOpen: 2 });
    expectFieldError(await admin.get(`${RANGE}&communityId=${b.communityIds[0]}`), 'communityId');

    // Company B sees its own two tickets only.
    const other = (await (await login(t.app, b.admin.username)).get(RANGE)).json();
    expect(other.totals).toMatchObject({ created: 2, open: 1, overdueOpen: 1 });
    expect(other.overdue.map((o: { id: string }) => o.id)).toEqual([ids.B2]);
  });

  it('names the field of a bad date, a reversed or too long range', async () => {
    expectFieldError(await admin.get('/api/service-desk/dashboard?from=2026-13-01'), 'from');
    expectFieldError(await admin.get('/api/service-desk/dashboard?to=yesterday'), 'to');
    expectFieldError(await admin.get('/api/service-desk/dashboard?from=2026-10-02&to=2026-10-01'), 'to');
    expectFieldError(await admin.get('/api/service-desk/dashboard?from=2020-01-01&to=2026-01-01'), 'from');
    expectFieldError(await admin.get('/api/service-desk/dashboard?communityId=123'), 'communityId');
  });
});

describe('the default range and a ticket through the API', () => {
  it('covers the last 30 days and counts a ticket registered, dispatched and completed through the API', async () => {
    const c = await createCompany(t.db, { communities: 1 });
    await ensureDesk(t.db, c.companyId);
    const desk = await login(t.app, c.admin.username);
    const tu = await createStaffUser(t.db, c, { role: 'technician' });
    const tech = await login(t.app, tu.username);
    const room = await createRoom(t.db, { company: c });
    const cat = await categoryId(c, 'waterElectric');
    const created = await desk.post('/api/tickets', { communityId: c.communityIds[0], kind: 'homeRepair', categoryId: cat.id, roomId: room.id, title: '厨房水管漏水' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect((await desk.post(`/api/tickets/${id}/dispatch`, { assigneeId: tu.id })).statusCode).toBe(200);
    expect((await tech.post(`/api/tickets/${id}/arrive`, {})).statusCode).toBe(200);
    expect((await tech.post(`/api/tickets/${id}/start`, {})).statusCode).toBe(200);
    expect((await tech.post(`/api/tickets/${id}/complete`, { note: '已更换' })).statusCode).toBe(200);

    const d = (await desk.get('/api/service-desk/dashboard')).json();
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    expect(d.range.to).toBe(today);
    expect(Date.parse(d.range.to) - Date.parse(d.range.from)).toBe(29 * 86_400_000);
    expect(d.totals).toEqual({ created: 1, open: 0, completed: 1, closed: 0, cancelled: 0, overdueOpen: 0 });
    expect(d.onTime.filter((x: { met: number }) => x.met).map((x: { clock: string }) => x.clock)).toEqual(['respond', 'resolve']);
    expect(d.byTechnician).toEqual([{ userId: tu.id, name: expect.any(String), completed: 1, onTimeRate: 100, avgRating: null, reworkRate: 0 }]);
    expect(d.byMonth.at(-1)).toMatchObject({ month: today.slice(0, 7), created: 1, completed: 1, onTimeRate: 100 });
  });
});

async function workbook(res: { rawPayload: Buffer }) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return wb;
}
const values = (ws: ExcelJS.Worksheet) => {
  const out: unknown[][] = [];
  ws.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
  return out;
};

describe('the .xlsx reports', () => {
  it('analyses the overdue complaints of an ISO week, with delay, cause and a summary', async () => {
    const res = await admin.get('/api/service-desk/reports/overdue-complaints.xlsx?week=2026-W41');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const disposition = String(res.headers['content-disposition']);
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent('投诉超时分析-2026-W41.xlsx')}`);
    expect(disposition).toContain('filename="overdue-complaints-2026-W41.xlsx"');
    const wb = await workbook(res);
    const rows = values(wb.getWorksheet('超时投诉明细')!);
    expect(rows[0]).toEqual(['工单号', '小区', '类别', '严重程度', '标题', '登记时间', '处理人', '状态', '超时环节', '时限', '完成时间', '超时（小时）', '原因（暂停、延期、退单、转单说明）']);
    // Only T4 of company A went late that week (T5 was on time; B1 is another company's).
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual([nos.T4, `小区1-${a.code}`, '噪音扰民', '重大', '工单T4', '2026-10-05 10:00', expect.stringMatching(/^员工/), '已关闭', '答复', '2026-10-05 18:00', '2026-10-06 04:00', 10, '暂停：等待业主回家；延期：需协调装修施工方']);
    const summary = values(wb.getWorksheet('汇总')!);
    expect(summary).toContainEqual(['噪音扰民', 1, 1, 0, 100]);
    expect(summary).toContainEqual(['服务态度', 1, 0, 0, 0]);
    expect(summary).toContainEqual([`小区1-${a.code}`, 2, 1, 0, 50]);
  });

  it('summarises a month against the targets, by kind and with the open overdue tickets', async () => {
    const res = await admin.get('/api/service-desk/reports/monthly.xlsx?month=2026-10');
    expect(res.statusCode, res.body).toBe(200);
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent('服务质量月报-2026-10.xlsx'));
    const wb = await workbook(res);
    const summary = values(wb.getWorksheet('月度汇总')!);
    expect(summary).toContainEqual(['登记工单', 8]);
    expect(summary).toContainEqual(['其中已超时', 2]);
    // October: respond 4 met of 5, arrive 1 of 1, resolve 2 of 3, reply 1 of 3 → 8 of 12.
    expect(summary).toContainEqual(['及时率 %（全部时限）', 66.7, 90, '未达标']);
    expect(summary).toContainEqual(['回访率 %', 25, 50, '未达标']);
    expect(summary).toContainEqual(['重大投诉回访率 %', 50, 100, '未达标']);
    expect(summary).toContainEqual(['满意率 %', 50, 90, '未达标']);
    expect(values(wb.getWorksheet('按类型')!)).toEqual([
      ['类型', '登记数', '及时率 %'],
      ['户内维修', 3, 50],
      ['公共维修', 2, 75],
      ['投诉', 2, 80],
      ['咨询', 1, 0],
    ]);
    const overdue = values(wb.getWorksheet('超时未完成')!);
    expect(overdue.slice(1).map((r) => r[0])).toEqual([nos.T6, nos.T7]);
    // T3 and T10 by one technician, T4 and T5 by customer service; T7 is not done yet.
    expect(values(wb.getWorksheet('按人员')!)).toHaveLength(3);
  });

  it('names the field of a bad week or month and of another company’s community', async () => {
    expectFieldError(await admin.get('/api/service-desk/reports/overdue-complaints.xlsx?week=2026-W54'), 'week');
    expectFieldError(await admin.get('/api/service-desk/reports/overdue-complaints.xlsx?week=2026-47'), 'week');
    expectFieldError(await admin.get('/api/service-desk/reports/overdue-complaints.xlsx'), 'week');
    expectFieldError(await admin.get('/api/service-desk/reports/monthly.xlsx?month=2026-13'), 'month');
    expectFieldError(await admin.get(`/api/service-desk/reports/monthly.xlsx?month=2026-10&communityId=${b.communityIds[0]}`), 'communityId');
    expect((await anonymous(t.app, 'GET', '/api/service-desk/reports/overdue-complaints.xlsx?week=2026-W41')).statusCode).toBe(401);
  });
});

describe('the demo service desk (seedDemo on a database of its own)', () => {
  let database: Database;
  let db: Kysely<DB>;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const url = process.env.DATABASE_URL;
    if (!url) {
      database = await openDatabase({ dataDir: 'memory://' });
      drop = () => database.close();
    } else {
      const server = await openDatabase({ databaseUrl: url, poolSize: 1 });
      const target = new URL(url);
      const name = `${target.pathname.slice(1) || 'anju'}_sd_${randomUUID().slice(0, 8)}`;
      await sql`CREATE DATABASE ${sql.id(name)}`.execute(server.db);
      target.pathname = `/${name}`;
      database = await openDatabase({ databaseUrl: target.toString(), poolSize: 2 });
      drop = async () => {
        await database.close();
        await sql`DROP DATABASE IF EXISTS ${sql.id(name)}`.execute(server.db);
        await server.close();
      };
    }
    db = database.db;
    await migrateToLatest(db);
    await seedDemo(db, 'anju-demo');
  }, 120_000);
  afterAll(() => drop?.());

  it("has tickets in every state with a timeline, groups, rules, visits, and 张伟's own requests", async () => {
    const rows = await sql<{ code: string; status: string; n: number }>`
      SELECT c.code, t.status, count(*)::int AS n FROM tickets t JOIN companies c ON c.id = t.company_id
       -- the service desk's own demo tickets, not those the field operations' demo opened (a patrol anomaly, an equipment fault)
       WHERE NOT EXISTS (SELECT 1 FROM equipment_tickets et WHERE et.ticket_id = t.id) AND NOT EXISTS (SELECT 1 FROM patrol_checkins pc WHERE pc.ticket_id = t.id)
       GROUP BY 1, 2`.execute(db);
    const a = rows.rows.filter((r) => r.code === 'demo-a');
    expect(a.reduce((x, r) => x + r.n, 0)).toBe(300);
    expect(new Set(a.map((r) => r.status))).toEqual(new Set(['submitted', 'accepted', 'dispatched', 'arrived', 'inProgress', 'paused', 'completed', 'confirmed', 'closed', 'cancelled']));
    const orphans = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.action = 'create')`.execute(db);
    expect(orphans.rows[0].n).toBe(0);
    const open = await sql<{ overdue: number; at_risk: number }>`
      SELECT count(*) FILTER (WHERE 'overdue' IN (respond_state, arrive_state, resolve_state, reply_state))::int AS overdue,
             count(*) FILTER (WHERE 'atRisk' IN (respond_state, arrive_state, resolve_state, reply_state))::int AS at_risk
      FROM tickets WHERE status IN ('submitted', 'accepted', 'dispatched', 'arrived', 'inProgress', 'paused')`.execute(db);
    expect(open.rows[0].overdue).toBeGreaterThan(0);
    expect(open.rows[0].at_risk).toBeGreaterThan(0);
    const visits = await sql<{ status: string }>`SELECT DISTINCT status FROM return_visits`.execute(db);
    expect(visits.rows.map((v) => v.status)).toEqual(expect.arrayContaining(['done', 'pending']));
    const groups = await sql<{ name: string; members: string[] }>`
      SELECT g.name, array_agg(u.username ORDER BY m.position) AS members FROM staff_groups g JOIN staff_group_members m ON m.group_id = g.id JOIN users u ON u.id = m.user_id
      JOIN companies c ON c.id = g.company_id WHERE c.code = 'demo-a' GROUP BY 1 ORDER BY 1`.execute(db);
    expect(groups.rows).toEqual([
      { name: '客服组', members: ['kefu'] },
      { name: '维修组', members: ['weixiu', 'weixiu2', 'weixiu3'] },
    ]);
    const rules = await sql<{ name: string; kind: string; code: string | null; mode: string }>`
      SELECT cm.name, r.kind, cat.code, r.mode FROM dispatch_rules r JOIN communities cm ON cm.id = r.community_id LEFT JOIN ticket_categories cat ON cat.id = r.category_id
      JOIN companies c ON c.id = r.company_id WHERE c.code = 'demo-a' ORDER BY r.priority, cm.code`.execute(db);
    expect(rules.rows[0]).toEqual({ name: '锦华苑', kind: 'homeRepair', code: null, mode: 'roundRobin' });
    expect(rules.rows.slice(1).every((r) => r.code === 'lighting' && r.mode === 'pool')).toBe(true);
    const zw = await sql<{ title: string; status: string; rating: number | null }>`
      SELECT t.title, t.status, t.rating FROM tickets t JOIN users u ON u.id = t.reporter_user_id WHERE u.phone = '13800138001' ORDER BY t.reported_at`.execute(db);
    expect(zw.rows).toEqual([
      { title: '入户门锁芯更换', status: 'closed', rating: 5 },
      { title: '卫生间水龙头漏水', status: 'completed', rating: null },
      { title: '1单元12楼楼道灯不亮', status: 'submitted', rating: null },
    ]);
    const major = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM tickets t JOIN companies c ON c.id = t.company_id WHERE c.code = 'demo-a' AND t.approval_status = 'pending' AND t.repair_size = 'major'`.execute(db);
    expect(major.rows[0].n).toBe(1);
  });
});
