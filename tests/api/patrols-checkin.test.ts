import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, testConfig, type TestApp } from '../helpers/app.ts';
import { expectFieldError } from '../helpers/api.ts';
import { uploadFile } from '../helpers/servicedesk.ts';
import { at, checkpoint, codeOf, type PatrolCompany, patrolCompany, plan, roster, route, today, TZ, yesterday } from '../helpers/patrols.ts';
import { buildApp } from '../../src/app.ts';
import { createScheduler } from '../../src/modules/jobs/scheduler.ts';
import { generatePatrolTasks } from '../../src/modules/patrols/generate.ts';
import { sweepMissedPoints } from '../../src/modules/patrols/progress.ts';
import { generateJob } from '../../src/modules/patrols/jobs.ts';
import { localDate } from '../../src/modules/servicedesk/deadlines.ts';
import { timeOf } from '../../src/modules/rosters/onshift.ts';

let t: TestApp;
let a: PatrolCompany;
let b: PatrolCompany;
/** Yesterday's day-shift patrol: rounds at 09:00 and 14:00 (60-minute windows) over points p1, p2, for the guard. */
let p1: { id: string; name: string };
let p2: { id: string; name: string };
let dayPlan: { id: string; name: string };
let code1: string;
let code2: string;
const D = () => yesterday();

const tasksOf = (planId: string, day: string) => t.db.selectFrom('patrol_tasks').selectAll().where('plan_id', '=', planId).where('day', '=', day).orderBy('round').execute();
const pointsOf = (taskId: string) => t.db.selectFrom('patrol_task_points').selectAll().where('task_id', '=', taskId).orderBy('position').execute();
const checkin = (client: PatrolCompany['guard']['client'], body: Record<string, unknown>) => client.post('/api/patrol/checkins', { clientId: randomUUID(), answers: [], ...body });

beforeAll(async () => {
  t = await testApp();
  [a, b] = [await patrolCompany(t), await patrolCompany(t)];
  p1 = await checkpoint(a, { name: '大门岗' });
  p2 = await checkpoint(a, { name: '西侧围墙' });
  const r = await route(a, [p1.id, p2.id]);
  dayPlan = await plan(a, r.id);
  await roster(t.db, a, [
    { userId: a.guard.id, day: D(), shiftId: a.dayShift },
    { userId: a.guard2.id, day: D(), shiftId: a.dayShift, kind: 'off' },
  ]);
  await generatePatrolTasks(t.db, { day: D(), communityIds: [a.communityId], now: at(D(), '00:00') });
  [code1, code2] = [await codeOf(a, p1.id), await codeOf(a, p2.id)];
});

describe('task generation', () => {
  it('makes one task per round with the route’s points, for the staff on the shift', async () => {
    const tasks = await tasksOf(dayPlan.id, D());
    expect(tasks.map((x) => [x.round, x.window_start.toISOString(), x.window_end.toISOString(), x.assignee_ids, x.flag, x.points_total])).toEqual([
      [1, at(D(), '09:00').toISOString(), at(D(), '10:00').toISOString(), [a.guard.id], null, 2],
      [2, at(D(), '14:00').toISOString(), at(D(), '15:00').toISOString(), [a.guard.id], null, 2],
    ]);
    expect((await pointsOf(tasks[0].id)).map((p) => p.checkpoint_id)).toEqual([p1.id, p2.id]);
  });

  it('runs exactly once, even from two app instances at the same time', async () => {
    const r = await route(a, [p2.id, p1.id]);
    const night = await plan(a, r.id, { shiftId: a.nightShift, frequency: 'rounds', rounds: 4, peoplePerRound: 2, fixedTimes: undefined, windowMinutes: undefined });
    const day = localDate(new Date(Date.now() + 2 * 86_400_000), TZ);
    await roster(t.db, a, [
      { userId: a.guard.id, day, shiftId: a.nightShift },
      { userId: a.guard2.id, day, shiftId: a.nightShift },
    ]);
    const app2 = await buildApp({ config: testConfig(), database: t.database, logger: false });
    try {
      const results = await Promise.all([
        generatePatrolTasks(t.db, { day, communityIds: [a.communityId] }),
        generatePatrolTasks(app2.deps.db, { day, communityIds: [a.communityId] }),
        generatePatrolTasks(t.db, { day }),
      ]);
      const tasks = await tasksOf(night.id, day);
      expect(tasks).toHaveLength(4);
      expect(tasks.every((x) => x.assignee_ids.length === 2 && x.flag === null)).toBe(true);
      const points = await t.db.selectFrom('patrol_task_points').select('id').where('task_id', 'in', tasks.map((x) => x.id)).execute();
      expect(points).toHaveLength(8);
      const created = results.reduce((n, x) => n + x.created, 0);
      const all = await t.db.selectFrom('patrol_tasks').select('id').where('community_id', '=', a.communityId).where('day', '=', day).execute();
      expect(created).toBe(all.length);

      // The scheduler's job, ticked by both instances at once: one claim per community and hour, nothing new.
      const now = new Date();
      const s1 = createScheduler(t.app.deps, [generateJob]);
      const s2 = createScheduler(app2.deps, [generateJob]);
      const [r1, r2] = await Promise.all([s1.tick(now), s2.tick(now)]);
      const mine = [...r1, ...r2].filter((x) => x.scope === a.communityId);
      expect(mine).toHaveLength(1);
      expect(await tasksOf(night.id, day)).toHaveLength(4);
    } finally {
      await app2.close();
    }
  });

  it('flags rounds nobody is rostered for (days off), and still makes them', async () => {
    const r = await route(a, [p1.id]);
    const p = await plan(a, r.id, { shiftId: a.nightShift, frequency: 'fixed', fixedTimes: ['23:00', '03:00'], windowMinutes: 60 });
    await generatePatrolTasks(t.db, { day: D(), communityIds: [a.communityId], now: at(D(), '00:00') });
    const tasks = await tasksOf(p.id, D());
    expect(tasks.map((x) => [x.flag, x.assignee_ids, x.window_start.toISOString()])).toEqual([
      ['unassigned', [], at(D(), '23:00').toISOString()],
      ['unassigned', [], at(localDate(new Date(at(D(), '23:00').getTime() + 86_400_000), TZ), '03:00').toISOString()],
    ]);
  });

  it('POST /api/patrol/tasks/generate: today or the coming week only, 404 for another company', async () => {
    expect((await a.admin2.post('/api/patrol/tasks/generate', { communityId: a.communityId, day: today() })).statusCode).toBe(200);
    expectFieldError(await a.admin2.post('/api/patrol/tasks/generate', { communityId: a.communityId, day: '2020-01-01' }), 'day');
    expectFieldError(await b.admin2.post('/api/patrol/tasks/generate', { communityId: a.communityId, day: today() }), 'communityId');
  });
});

describe('check-in', () => {
  it('inside the window marks the point done; a replay returns the first result and counts once', async () => {
    const clientId = randomUUID();
    const body = { code: code1, scannedAt: at(D(), '09:12').toISOString(), clientId, answers: [] };
    const first = await a.guard.client.post('/api/patrol/checkins', body);
    expect(first.statusCode, first.body).toBe(201);
    const again = await a.guard.client.post('/api/patrol/checkins', { ...body, scannedAt: at(D(), '09:40').toISOString() });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    expect(again.json().scannedAt).toBe(at(D(), '09:12').toISOString());
    const [task] = await tasksOf(dayPlan.id, D());
    expect(task.points_done).toBe(1);
    expect((await pointsOf(task.id))[0]).toMatchObject({ status: 'done', checkin_id: first.json().id });
    expect(await t.db.selectFrom('patrol_checkins').select('id').where('client_id', '=', clientId).execute()).toHaveLength(1);
  });

  it('outside every window → 422 naming the window', async () => {
    const res = await checkin(a.guard.client, { code: code2, scannedAt: at(D(), '11:30').toISOString() });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain('09:00–10:00');
    expect(res.json().error.message).toContain('11:30');
  });

  it('a checkpoint on none of the caller’s tasks → 422; a guard with the day off has none', async () => {
    const stray = await checkpoint(a, { name: '污水泵房' });
    const res = await checkin(a.guard.client, { code: await codeOf(a, stray.id), scannedAt: at(D(), '09:20').toISOString() });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain('污水泵房');
    expect((await checkin(a.guard2.client, { code: code1, scannedAt: at(D(), '09:20').toISOString() })).statusCode).toBe(422);
  });

  it('refuses forged, altered and other-company codes as 400 naming code', async () => {
    const [, id, sig] = code1.split('.');
    const foreign = await codeOf(b, (await checkpoint(b)).id);
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    for (const code of [`cp.${id}.${'A'.repeat(22)}`, `cp.${p2.id}.${sig}`, `cp.${id}.${flip(sig)}`, foreign, `eq.${id}.${sig}`, 'hello']) {
      expectFieldError(await checkin(a.guard.client, { code, scannedAt: at(D(), '09:20').toISOString() }), 'code');
    }
    expectFieldError(await a.guard.client.get(`/api/patrol/scan/${encodeURIComponent(foreign)}`), 'code');
  });

  it('refuses a scan time in the future or older than 72 hours', async () => {
    expectFieldError(await checkin(a.guard.client, { code: code1, scannedAt: new Date(Date.now() + 10 * 60_000).toISOString() }), 'scannedAt');
    expectFieldError(await checkin(a.guard.client, { code: code1, scannedAt: new Date(Date.now() - 80 * 3600_000).toISOString() }), 'scannedAt');
    expectFieldError(await checkin(a.guard.client, { code: code1, scannedAt: 'yesterday' }), 'scannedAt');
  });

  it('bad input changes nothing', async () => {
    const before = await t.db.selectFrom('patrol_checkins').select('id').where('company_id', '=', a.companyId).execute();
    expectFieldError(await checkin(a.guard.client, { code: code2, scannedAt: at(D(), '09:20').toISOString(), photoIds: [randomUUID()] }), 'photoIds');
    expectFieldError(await checkin(a.guard.client, { code: code2, scannedAt: at(D(), '09:20').toISOString(), clientId: 'not-a-uuid' }), 'clientId');
    expectFieldError(await checkin(a.guard.client, { code: code2, scannedAt: at(D(), '09:20').toISOString(), answers: [{ itemId: randomUUID(), value: true }] }), 'answers');
    expect(await t.db.selectFrom('patrol_checkins').select('id').where('company_id', '=', a.companyId).execute()).toHaveLength(before.length);
    const [task] = await tasksOf(dayPlan.id, D());
    expect((await pointsOf(task.id))[1].status).toBe('pending');
  });
});

describe('two guards of one round', () => {
  it('check in at the same moment without waiting on each other forever (no deadlock), and both points count', async () => {
    const day = localDate(new Date(Date.now() - 2 * 86_400_000), TZ);
    const [q1, q2] = [await checkpoint(a, { name: '北门' }), await checkpoint(a, { name: '垃圾中转站' })];
    const r = await route(a, [q1.id, q2.id]);
    const p = await plan(a, r.id, { peoplePerRound: 2, fixedTimes: ['09:00'], windowMinutes: 60 });
    await roster(t.db, a, [
      { userId: a.guard.id, day, shiftId: a.dayShift },
      { userId: a.guard2.id, day, shiftId: a.dayShift },
    ]);
    await generatePatrolTasks(t.db, { day, communityIds: [a.communityId], now: at(day, '00:00') });
    const [task] = await tasksOf(p.id, day);
    expect(task.assignee_ids.sort()).toEqual([a.guard.id, a.guard2.id].sort());
    const scannedAt = at(day, '09:10').toISOString();
    const [c1, c2] = [await codeOf(a, q1.id), await codeOf(a, q2.id)];
    for (let i = 0; i < 3; i++) {
      const res = await Promise.all([checkin(a.guard.client, { code: c1, scannedAt }), checkin(a.guard2.client, { code: c2, scannedAt }), checkin(a.guard.client, { code: c2, scannedAt }), checkin(a.guard2.client, { code: c1, scannedAt })]);
      expect(res.map((x) => x.statusCode)).toEqual([201, 201, 201, 201]);
    }
    const [after] = await tasksOf(p.id, day);
    expect([after.points_done, after.status]).toEqual([2, 'done']);
  });
});

describe('the missed sweep and late sync', () => {
  it('marks unvisited points missed, tells the supervisor once, and a late sync is still judged by its scan time', async () => {
    const r1 = await sweepMissedPoints(t.db, new Date());
    expect(r1.tasks).toBeGreaterThanOrEqual(2);
    const r2 = await sweepMissedPoints(t.db, new Date());
    expect(r2).toEqual({ tasks: 0, notified: 0 });
    const [first, second] = await tasksOf(dayPlan.id, D());
    expect([first.status, first.points_done, first.points_missed]).toEqual(['partial', 1, 1]);
    expect([second.status, second.points_missed]).toEqual(['missed', 2]);
    const told = (await t.db.selectFrom('notifications').select(['title', 'kind']).where('user_id', '=', a.manager.id).where('kind', '=', 'patrolMissed').execute()).filter((n) => n.title.includes(`${dayPlan.name} ${D()}`));
    expect(told).toHaveLength(2);
    expect(told.map((n) => n.title).join()).toContain('第2轮');

    // The guard's phone was offline at 14:10; the queue syncs now, after the sweep.
    const photo = await uploadFile(t, a.guard.client);
    const late = await checkin(a.guard.client, { code: code2, scannedAt: at(D(), '14:10').toISOString(), photoIds: [photo], note: '补传' });
    expect(late.statusCode, late.body).toBe(201);
    expect(late.json().photoIds).toEqual([photo]);
    const [, after] = await tasksOf(dayPlan.id, D());
    expect([after.status, after.points_done, after.points_missed]).toEqual(['partial', 1, 1]);
    expect((await pointsOf(after.id)).map((p) => p.status)).toEqual(['missed', 'done']);
    // Swept again: the sweep does not undo the scan.
    await sweepMissedPoints(t.db, new Date());
    expect((await pointsOf(after.id)).map((p) => p.status)).toEqual(['missed', 'done']);
  });
});

describe('an abnormal answer', () => {
  it('creates one patrol ticket at the checkpoint, linked to the check-in, even when replayed', async () => {
    const room = await checkpoint(a, {
      name: '配电房',
      location: '地下一层',
      kind: 'inspection',
      checklist: [{ label: '消防栓压力正常', answerKind: 'yesNo' }, { label: '配电房温度', answerKind: 'number', minValue: 5, maxValue: 35, unit: '℃' }],
    });
    const r = await route(a, [room.id], { kind: 'inspection' });
    const p = await plan(a, r.id, { fixedTimes: ['10:00', '15:00'], windowMinutes: 60 });
    await generatePatrolTasks(t.db, { day: D(), communityIds: [a.communityId], now: at(D(), '00:00') });
    const [press, temp] = room.checklist;
    const code = await codeOf(a, room.id);
    const scannedAt = at(D(), '10:05').toISOString();
    expectFieldError(await checkin(a.guard.client, { code, scannedAt, answers: [{ itemId: press.id, value: true }] }), 'answers');
    expectFieldError(await checkin(a.guard.client, { code, scannedAt, answers: [{ itemId: press.id, value: true }, { itemId: temp.id, value: 'hot' }] }), 'answers');
    const clientId = randomUUID();
    const body = { code, scannedAt, clientId, answers: [{ itemId: press.id, value: true }, { itemId: temp.id, value: 41 }] };
    const res = await a.guard.client.post('/api/patrol/checkins', body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().abnormal).toBe(true);
    expect(res.json().answers.find((x: { itemId: string }) => x.itemId === temp.id)).toMatchObject({ value: 41, abnormal: true });
    const ticket = await t.db.selectFrom('tickets').selectAll().where('id', '=', res.json().ticket.id).executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({ kind: 'publicRepair', channel: 'patrol', community_id: a.communityId });
    expect(ticket.location).toContain('配电房');
    expect(ticket.description).toContain('配电房温度：41');
    const replay = await a.guard.client.post('/api/patrol/checkins', body);
    expect(replay.statusCode).toBe(200);
    expect(replay.json().ticket.id).toBe(ticket.id);
    expect(await t.db.selectFrom('tickets').select('id').where('company_id', '=', a.companyId).where('channel', '=', 'patrol').execute()).toHaveLength(1);
    const [task] = await tasksOf(p.id, D());
    expect(task.points_done).toBe(1);
  });
});

describe('the guard’s phone', () => {
  it('my tasks, scan and a check-in now, on a shift running now', async () => {
    const start = new Date(Date.now() - 3600_000);
    const day = localDate(start, TZ);
    const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', hourCycle: 'h23' }).format(start));
    const shift = await t.db
      .insertInto('shifts')
      .values({ company_id: a.companyId, community_id: a.communityId, name: '测试班', code: 'T', start_time: timeOf(hour * 60), end_time: timeOf(hour * 60 + 360) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await roster(t.db, a, [{ userId: a.guard2.id, day, shiftId: shift.id }]);
    const cp = await checkpoint(a, { name: '地下车库入口' });
    const r = await route(a, [cp.id]);
    await plan(a, r.id, { shiftId: shift.id, frequency: 'rounds', rounds: 1, fixedTimes: undefined, windowMinutes: undefined, validFrom: day });
    await generatePatrolTasks(t.db, { day, communityIds: [a.communityId] });
    const mine = (await a.guard2.client.get('/api/patrol/my-tasks')).json();
    expect(mine.tasks.map((x: { routeName: string }) => x.routeName)).toEqual([r.name]);
    expect(mine.checkpoints.map((c: { id: string }) => c.id)).toEqual([cp.id]);
    const code = await codeOf(a, cp.id);
    const scan = await a.guard2.client.get(`/api/patrol/scan/${code}`);
    expect(scan.statusCode, scan.body).toBe(200);
    expect(scan.json().point.routeName).toBe(r.name);
    const res = await checkin(a.guard2.client, { code, scannedAt: new Date().toISOString() });
    expect(res.statusCode, res.body).toBe(201);
    const again = (await a.guard2.client.get('/api/patrol/my-tasks')).json();
    expect(again.tasks[0]).toMatchObject({ status: 'done', pointsDone: 1 });
    // The other guard is neither given the task nor rostered on the shift.
    expect((await a.guard.client.get(`/api/patrol/scan/${code}`)).json().point).toBeNull();
  });
});

describe('console reads', () => {
  it('tasks of a day with points, check-in records, figures; another company gets 404', async () => {
    const tasks = (await a.manager.client.get(`/api/patrol/tasks?communityId=${a.communityId}&day=${D()}`)).json();
    const day = tasks.find((x: { planId: string; round: number }) => x.planId === dayPlan.id && x.round === 2);
    expect(day.points.map((p: { name: string; status: string }) => `${p.name}:${p.status}`)).toEqual(['大门岗:missed', '西侧围墙:done']);
    const records = (await a.manager.client.get(`/api/patrol/checkins?communityId=${a.communityId}&from=${D()}&to=${D()}&abnormal=true`)).json();
    expect(records.items.map((x: { checkpointName: string }) => x.checkpointName)).toEqual(['配电房']);
    expect(records.items[0].ticket.no).toMatch(/^GW/);
    const f = (await a.manager.client.get(`/api/patrol/figures?communityId=${a.communityId}&from=${D()}&to=${today()}`)).json();
    const route1 = f.byDay.find((x: { key: string }) => x.key === D());
    expect(route1.done).toBeGreaterThanOrEqual(3);
    expect(route1.missed).toBeGreaterThanOrEqual(3);
    expect(f.byPerson.map((x: { key: string }) => x.key)).toContain(a.guard.id);
    expect(f.abnormal).toBe(1);
    expect(f.total.rate).toBeGreaterThan(0);
    expectFieldError(await a.manager.client.get(`/api/patrol/figures?communityId=${a.communityId}&from=${today()}&to=${D()}`), 'to');
    for (const url of [`/api/patrol/tasks?communityId=${a.communityId}`, `/api/patrol/checkins?communityId=${a.communityId}`, `/api/patrol/figures?communityId=${a.communityId}&from=${D()}&to=${D()}`]) {
      expect((await b.admin2.get(url)).statusCode).toBe(404);
    }
  });
});
