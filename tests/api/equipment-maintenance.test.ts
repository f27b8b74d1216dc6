import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { companyRows, unique } from '../helpers/factories.ts';
import { anonymous, expectFieldError } from '../helpers/api.ts';
import { deskCompany, type DeskCompany, staff, type StaffClient } from '../helpers/servicedesk.ts';
import { generateMaintenanceTasks } from '../../src/modules/equipment/plans.ts';
import { sendInspectionAlerts } from '../../src/modules/equipment/inspections.ts';
import { equipmentJobs } from '../../src/modules/equipment/jobs.ts';
import { createScheduler } from '../../src/modules/jobs/scheduler.ts';
import { addDays } from '../../src/modules/equipment/rules.ts';
import { localDate } from '../../src/modules/servicedesk/deadlines.ts';

let t: TestApp;
let a: DeskCompany;
let b: DeskCompany;
let tech: StaffClient;
let today: string;

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([deskCompany(t), deskCompany(t, { communities: 1 })]);
  tech = await staff(t, a, 'technician', [a.communityIds[0]]);
  today = localDate(new Date(), 'Asia/Shanghai');
});

async function item(co: DeskCompany = a, body: Record<string, unknown> = {}) {
  const res = await co.desk.post('/api/equipment', { communityId: co.communityIds[0], code: unique('E-').slice(0, 30), name: '生活水泵', category: 'pump', location: '泵房', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function plan(body: Record<string, unknown>, co: DeskCompany = a) {
  const res = await co.desk.post('/api/maintenance-plans', { communityId: co.communityIds[0], name: '泵房巡检', cycle: 'daily', startOn: today, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const tasksOf = (planId: string) => t.db.selectFrom('maintenance_tasks').selectAll().where('plan_id', '=', planId).orderBy('due_on').execute();

describe('every endpoint needs a session', () => {
  const id = randomUUID();
  it.each([
    ['GET', '/api/maintenance-plans'],
    ['POST', '/api/maintenance-plans'],
    ['PATCH', `/api/maintenance-plans/${id}`],
    ['POST', '/api/maintenance-tasks/generate'],
    ['GET', '/api/maintenance-tasks'],
    ['GET', `/api/maintenance-tasks/${id}`],
    ['POST', `/api/maintenance-tasks/${id}/complete`],
    ['GET', '/api/equipment-inspections'],
    ['POST', '/api/equipment-inspections'],
    ['POST', `/api/equipment-inspections/${id}/records`],
  ] as const)('%s %s → 401', async (method, url) => {
    expect((await anonymous(t.app, method, url, method === 'GET' ? undefined : {})).statusCode).toBe(401);
  });
});

describe('maintenance plans', () => {
  it('refuses a cycle of zero and other bad input, naming the field, and writes nothing', async () => {
    const e = await item();
    const other = await item(b);
    const before = await companyRows(t.db, a.companyId, ['maintenance_plans']);
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ equipmentId: e.id, cycle: 'everyNDays', interval: 0 }, 'interval'],
      [{ equipmentId: e.id, cycle: 'monthly', interval: -1 }, 'interval'],
      [{ equipmentId: e.id, cycle: 'fortnightly' }, 'cycle'],
      [{}, 'equipmentId'],
      [{ equipmentId: e.id, category: 'pump' }, 'equipmentId'],
      [{ equipmentId: other.id }, 'equipmentId'],
      [{ category: 'teleporter' }, 'category'],
      [{ equipmentId: e.id, endOn: addDays(today, -1) }, 'endOn'],
      [{ equipmentId: e.id, assigneeId: b.admin.id }, 'assigneeId'],
      [{ equipmentId: e.id, postId: randomUUID() }, 'postId'],
      [{ equipmentId: e.id, leadDays: 61 }, 'leadDays'],
      [{ equipmentId: e.id, checklist: [{ label: '压力', kind: 'number', min: 5, max: 1 }] }, 'checklist.0.max'],
    ];
    for (const [body, field] of bad) {
      expectFieldError(await a.desk.post('/api/maintenance-plans', { communityId: a.communityIds[0], name: '计划', cycle: 'daily', startOn: today, ...body }), field);
    }
    expectFieldError(await a.desk.post('/api/maintenance-plans', { communityId: b.communityIds[0], name: '计划', cycle: 'daily', startOn: today, category: 'pump' }), 'communityId');
    const p = await plan({ equipmentId: e.id });
    expectFieldError(await a.desk.patch(`/api/maintenance-plans/${p.id}`, { interval: 0 }), 'interval');
    expect((await b.desk.patch(`/api/maintenance-plans/${p.id}`, { active: false })).statusCode).toBe(404);
    expect((await tech.client.post('/api/maintenance-plans', { communityId: a.communityIds[0], name: 'x', cycle: 'daily', startOn: today, equipmentId: e.id })).statusCode).toBe(403);
    const after = await companyRows(t.db, a.companyId, ['maintenance_plans']);
    expect(after.maintenance_plans).toHaveLength(before.maintenance_plans.length + 1);
  });

  it('lists a plan with its next due date, for the item and through its category', async () => {
    const e = await item(a, { category: 'lift', name: '1号梯' });
    const own = await plan({ equipmentId: e.id, name: '电梯半月维保', cycle: 'everyNDays', interval: 15, startOn: addDays(today, -20), checklist: [{ label: '轿厢照明正常' }] });
    expect(own.nextDueOn).toBe(addDays(today, 10));
    expect(own.checklist).toEqual([{ label: '轿厢照明正常', kind: 'check' }]);
    const cat = await plan({ category: 'lift', name: '电梯季度维保', cycle: 'quarterly', startOn: today });
    const list = (await tech.client.get(`/api/maintenance-plans?equipmentId=${e.id}`)).json();
    expect(list.items.map((p: { id: string }) => p.id).sort()).toEqual([own.id, cat.id].sort());
    const paused = await a.desk.patch(`/api/maintenance-plans/${cat.id}`, { active: false });
    expect(paused.json().active).toBe(false);
  });
});

describe('task generation', () => {
  it('creates each plan’s tasks once per item and due date: twice in a row and concurrently', async () => {
    const co = await deskCompany(t, { communities: 1 });
    const c = co.communityIds[0];
    const items = await Promise.all([0, 1, 2].map((i) => item(co, { code: `F-${i}`, category: 'fire', name: `消防泵${i}` })));
    await co.desk.post(`/api/equipment/${items[2].id}/status`, { status: 'stopped', reason: '停用' });
    const daily = await plan({ category: 'fire', name: '消防巡查', cycle: 'daily', startOn: today, leadDays: 2 }, co);
    const monthly = await plan({ equipmentId: items[0].id, name: '消防泵月检', cycle: 'monthly', startOn: addDays(today, 1), leadDays: 3 }, co);

    const first = await generateMaintenanceTasks(t.db, { day: today, communityIds: [c] });
    // daily: 3 dates × 2 items in service; monthly: 1 date (tomorrow) within 3 lead days.
    expect(first).toBe(7);
    expect(await generateMaintenanceTasks(t.db, { day: today, communityIds: [c] })).toBe(0);
    const concurrent = await Promise.all([1, 2, 3].map(() => generateMaintenanceTasks(t.db, { day: addDays(today, 1), communityIds: [c] })));
    expect(concurrent.reduce((x, y) => x + y, 0)).toBe(2);
    const rows = await tasksOf(daily.id);
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r) => `${r.equipment_id}:${r.due_on}`)).size).toBe(8);
    expect(rows.some((r) => r.equipment_id === items[2].id)).toBe(false);
    expect((await tasksOf(monthly.id)).map((r) => r.due_on)).toEqual([addDays(today, 1)]);
    // A backfill over a wider window adds only the dates not yet generated.
    expect(await generateMaintenanceTasks(t.db, { day: today, through: addDays(today, 3), communityIds: [c] })).toBe(0);
    expect(await generateMaintenanceTasks(t.db, { day: today, through: addDays(today, 4), communityIds: [c] })).toBe(2);

    // The manager's "generate now" and the daily job create nothing more for the same days.
    const now = await co.desk.post('/api/maintenance-tasks/generate', { communityId: c });
    expect(now.json()).toEqual({ created: 0 });
    expectFieldError(await co.desk.post('/api/maintenance-tasks/generate', { communityId: c, day: addDays(today, -1) }), 'day');
  });

  it('runs as a daily community job once across two scheduler instances', async () => {
    const co = await deskCompany(t, { communities: 1 });
    const e = await item(co);
    const p = await plan({ equipmentId: e.id, cycle: 'daily', startOn: today }, co);
    const deps = (t.app as unknown as { deps: Parameters<typeof createScheduler>[0] }).deps;
    const s1 = createScheduler(deps, equipmentJobs);
    const s2 = createScheduler(deps, equipmentJobs);
    const at = new Date();
    const runs = await Promise.all([s1.tick(at), s2.tick(at)]);
    const mine = runs.flat().filter((r) => r.scope === co.communityIds[0] && r.job === 'equipment.generateTasks');
    expect(mine).toHaveLength(1);
    expect(await tasksOf(p.id)).toHaveLength(1);
  });
});

describe('maintenance tasks', () => {
  it('are done on the phone with every item answered; an abnormal answer files a fault ticket', async () => {
    const e = await item(a, { responsibleId: tech.id });
    const p = await plan({ equipmentId: e.id, checklist: [{ label: '水泵无异响' }, { label: '出水压力', kind: 'number', min: 0.2, max: 0.8, unit: 'MPa' }, { label: '备注', kind: 'text' }] });
    await generateMaintenanceTasks(t.db, { day: today, communityIds: [a.communityIds[0]] });
    const [row] = await tasksOf(p.id);
    expect(row.assignee_id).toBe(tech.id);
    const mine = (await tech.client.get(`/api/maintenance-tasks?mine=true&view=open`)).json();
    expect(mine.items.map((x: { id: string }) => x.id)).toContain(row.id);

    const url = `/api/maintenance-tasks/${row.id}/complete`;
    expectFieldError(await tech.client.post(url, { answers: [{ index: 0, ok: true }] }), 'answers.1');
    expectFieldError(await tech.client.post(url, { answers: [{ index: 0 }, { index: 1, value: 0.5 }, { index: 2, value: '' }] }), 'answers.0.ok');
    expectFieldError(await tech.client.post(url, { answers: [{ index: 0, ok: true }, { index: 1, value: 0.5 }, { index: 2 }, { index: 7, ok: true }] }), 'answers.7.index');
    expectFieldError(await tech.client.post(url, { answers: [{ index: 0, ok: true }, { index: 1, value: 0.5 }, { index: 2 }], photoFileIds: [randomUUID()] }), 'photoFileIds');
    expect((await b.desk.post(url, { answers: [] })).statusCode).toBe(404);
    expect((await t.db.selectFrom('maintenance_tasks').select('status').where('id', '=', row.id).executeTakeFirstOrThrow()).status).toBe('open');

    const res = await tech.client.post(url, { answers: [{ index: 0, ok: true }, { index: 1, value: 0.1 }, { index: 2, value: '压力低' }], note: '减压阀疑似故障' });
    expect(res.statusCode, res.body).toBe(200);
    const done = res.json();
    expect(done).toMatchObject({ status: 'done', abnormal: true, overdue: false });
    expect(done.ticket).toBeTruthy();
    const detail = (await tech.client.get(`/api/equipment/${e.id}`)).json();
    expect(detail.status).toBe('fault');
    expect(detail.history[0].ticket.id).toBe(done.ticket.id);
    expect((await tech.client.get(`/api/equipment/${e.id}/tickets`)).json()[0]).toMatchObject({ id: done.ticket.id, source: 'task' });
    expect((await tech.client.post(url, { answers: [{ index: 0, ok: true }, { index: 1, value: 0.5 }, { index: 2 }] })).statusCode).toBe(409);
  });

  it('flags open tasks past their due date as overdue; only their people may do them', async () => {
    const e = await item();
    const p = await plan({ equipmentId: e.id, cycle: 'weekly', startOn: addDays(today, -14) });
    await t.db.insertInto('maintenance_tasks').values({ company_id: a.companyId, community_id: a.communityIds[0], plan_id: p.id, equipment_id: e.id, due_on: addDays(today, -7), title: '逾期任务', checklist: '[]', assignee_id: a.admin.id }).execute();
    const overdue = (await a.desk.get(`/api/maintenance-tasks?view=overdue&equipmentId=${e.id}`)).json();
    expect(overdue.items).toHaveLength(1);
    expect(overdue.items[0]).toMatchObject({ overdue: true, dueOn: addDays(today, -7) });
    expect((await tech.client.post(`/api/maintenance-tasks/${overdue.items[0].id}/complete`, { answers: [] })).statusCode).toBe(403);
    const detail = (await a.desk.get(`/api/equipment/${e.id}`)).json();
    expect(detail.overdueTasks).toBe(1);
    const f = (await a.desk.get(`/api/equipment-figures?communityId=${a.communityIds[0]}`)).json();
    expect(f.tasks.overdue).toBeGreaterThanOrEqual(1);
    expect((await b.desk.get(`/api/maintenance-tasks/${overdue.items[0].id}`)).statusCode).toBe(404);
  });
});

describe('statutory inspections', () => {
  it('records inspections, moves the next due date and lists what falls due within 30 days', async () => {
    const lift = await item(a, { category: 'lift', name: '3号梯', responsibleId: tech.id });
    const res = await a.desk.post('/api/equipment-inspections', { equipmentId: lift.id, kind: 'liftAnnual', name: '电梯定期检验', cycleMonths: 12, agency: '特检院', nextDueOn: addDays(today, 20) });
    expect(res.statusCode, res.body).toBe(201);
    const insp = res.json();
    expect(insp).toMatchObject({ daysLeft: 20, lastRecord: null });
    expect((await a.desk.post('/api/equipment-inspections', { equipmentId: lift.id, kind: 'liftAnnual', name: '重复', cycleMonths: 12, nextDueOn: today })).statusCode).toBe(409);
    expectFieldError(await a.desk.post('/api/equipment-inspections', { equipmentId: lift.id, kind: 'x1', name: 'x', cycleMonths: 0, nextDueOn: today }), 'cycleMonths');
    expectFieldError(await b.desk.post('/api/equipment-inspections', { equipmentId: lift.id, kind: 'other', name: 'x', cycleMonths: 12, nextDueOn: today }), 'equipmentId');

    const soon = (await a.desk.get(`/api/equipment-inspections?communityId=${a.communityIds[0]}&dueWithin=30`)).json();
    expect(soon.items.map((i: { id: string }) => i.id)).toContain(insp.id);

    const url = `/api/equipment-inspections/${insp.id}/records`;
    expectFieldError(await tech.client.post(url, { inspectedOn: addDays(today, 1), result: 'passed' }), 'inspectedOn');
    expectFieldError(await tech.client.post(url, { inspectedOn: today, result: 'passed', nextDueOn: today }), 'nextDueOn');
    expectFieldError(await tech.client.post(url, { inspectedOn: today, result: 'great' }), 'result');
    expect((await b.desk.post(url, { inspectedOn: today, result: 'passed' })).statusCode).toBe(404);
    const rec = await tech.client.post(url, { inspectedOn: '2026-01-31', certificateNo: 'TS-2026-001', result: 'passed' });
    expect(rec.statusCode, rec.body).toBe(201);
    expect(rec.json()).toMatchObject({ nextDueOn: '2027-01-31', lastRecord: { certificateNo: 'TS-2026-001', result: 'passed', nextDueOn: '2027-01-31' } });
    // An older certificate entered late does not move the due date back.
    await tech.client.post(url, { inspectedOn: '2025-01-20', certificateNo: 'TS-2025-001', result: 'passed' });
    const detail = (await tech.client.get(`/api/equipment/${lift.id}`)).json();
    expect(detail.inspections[0]).toMatchObject({ nextDueOn: '2027-01-31' });
    expect(detail.inspections[0].records.map((r: { certificateNo: string }) => r.certificateNo)).toEqual(['TS-2026-001', 'TS-2025-001']);
    expect(detail.nextInspectionOn).toBe('2027-01-31');
  });

  it('alerts the responsible person and managers 30 and 7 days before, each alert once', async () => {
    const co = await deskCompany(t, { communities: 1 });
    const c = co.communityIds[0];
    const worker = await staff(t, co, 'technician', [c]);
    const manager = await staff(t, co, 'manager', [c]);
    const lift = await item(co, { category: 'lift', responsibleId: worker.id });
    const due = addDays(today, 40);
    const insp = (await co.desk.post('/api/equipment-inspections', { equipmentId: lift.id, kind: 'liftAnnual', name: '电梯年检', cycleMonths: 12, nextDueOn: due })).json();
    const notes = (userId: string) => t.db.selectFrom('notifications').selectAll().where('user_id', '=', userId).where('kind', '=', 'equipmentInspectionDue').execute();

    expect(await sendInspectionAlerts(t.db, { day: addDays(due, -31), communityIds: [c] })).toBe(0);
    expect(await sendInspectionAlerts(t.db, { day: addDays(due, -30), communityIds: [c] })).toBe(1);
    expect(await sendInspectionAlerts(t.db, { day: addDays(due, -30), communityIds: [c] })).toBe(0);
    expect(await sendInspectionAlerts(t.db, { day: addDays(due, -20), communityIds: [c] })).toBe(0);
    const racing = await Promise.all([1, 2, 3].map(() => sendInspectionAlerts(t.db, { day: addDays(due, -7), communityIds: [c] })));
    expect(racing.reduce((x, y) => x + y, 0)).toBe(1);
    expect(await sendInspectionAlerts(t.db, { day: addDays(due, -1), communityIds: [c] })).toBe(0);
    expect(await notes(worker.id)).toHaveLength(2);
    expect(await notes(manager.id)).toHaveLength(2);
    expect((await notes(worker.id))[0].title).toContain(due);
    const alerts = await t.db.selectFrom('inspection_alerts').select('days_before').where('inspection_id', '=', insp.id).orderBy('days_before', 'desc').execute();
    expect(alerts.map((x) => x.days_before)).toEqual([30, 7]);

    // After the next inspection is recorded, the new due date gets its own alerts.
    const rec = await co.desk.post(`/api/equipment-inspections/${insp.id}/records`, { inspectedOn: today, result: 'passed', nextDueOn: addDays(today, 5) });
    expect(rec.statusCode, rec.body).toBe(201);
    expect(await sendInspectionAlerts(t.db, { day: today, communityIds: [c] })).toBe(1);
  });
});
