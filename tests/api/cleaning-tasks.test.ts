import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { testApp, type TestApp } from '../helpers/app.ts';
import { createStaffUser } from '../helpers/factories.ts';
import { auditRows, expectFieldError, sessionAs, upload } from '../helpers/api.ts';
import { area, type CleaningCompany, cleaningCompany, item, rosterOn, today, tomorrow, windowAround } from './cleaning-fixtures.ts';
import { generateCleaningTasks, sweepMissedCleaning } from '../../src/modules/cleaning/generate.ts';
import { cleaningJobs } from '../../src/modules/cleaning/jobs.ts';

let t: TestApp;
let a: CleaningCompany;
let b: CleaningCompany;

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([cleaningCompany(t), cleaningCompany(t)]);
});

const tasksOf = (itemId: string, day?: string) =>
  t.db.selectFrom('cleaning_tasks').selectAll().where('item_id', '=', itemId).$if(Boolean(day), (qb) => qb.where('day', '=', day!)).orderBy('day').orderBy('slot').execute();

/** An area with one bins item and tomorrow's two tasks, given to the cleaner rostered on 早班. */
async function binsTomorrow(co: CleaningCompany = a, areaBody: Record<string, unknown> = {}, itemBody: Record<string, unknown> = {}) {
  const x = await area(co, areaBody);
  const i = await item(co, x.id, itemBody);
  await generateCleaningTasks(t.db, { day: tomorrow(), communityIds: [co.communityId] });
  return { area: x, item: i, tasks: await tasksOf(i.id, tomorrow()) };
}

async function photo(client = a.cleaner.client) {
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#3a7' } }).png().toBuffer();
  const res = await upload(t.app, client, { data: png, filename: 'p.png', contentType: 'image/png' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

describe('generation', () => {
  it('makes each item’s tasks of a date once, however often it runs (sequentially)', async () => {
    await rosterOn(t.db, a, a.cleaner.id, tomorrow(), a.earlyShiftId);
    const { item: i, tasks } = await binsTomorrow();
    expect(tasks.map((x) => x.slot)).toEqual([0, 1]);
    expect(tasks.every((x) => x.assignee_id === a.cleaner.id && x.shift_id === a.earlyShiftId && x.post_id === a.postId && x.department_id === a.departmentId)).toBe(true);
    const again = await generateCleaningTasks(t.db, { day: tomorrow(), communityIds: [a.communityId] });
    expect(again.created).toBe(0);
    expect(await tasksOf(i.id, tomorrow())).toHaveLength(2);
  });

  it('makes them once when many runs race (concurrently)', async () => {
    const co = await cleaningCompany(t);
    const x = await area(co);
    const i = await item(co, x.id, { times: ['07:00', '10:00', '13:00', '16:00'], windowMinutes: 60 });
    const day = '2031-03-03';
    const results = await Promise.all(Array.from({ length: 6 }, () => generateCleaningTasks(t.db, { day, communityIds: [co.communityId] })));
    expect(results.reduce((n, r) => n + r.created, 0)).toBe(4);
    expect(await tasksOf(i.id, day)).toHaveLength(4);
  });

  it('follows the frequency: handrails on Tuesdays and Fridays only', async () => {
    const co = await cleaningCompany(t);
    const x = await area(co);
    const i = await item(co, x.id, { frequency: 'weekly', weekdays: [2, 5], times: ['10:00'], windowMinutes: 240 });
    for (const day of ['2031-03-03', '2031-03-04', '2031-03-05', '2031-03-06', '2031-03-07']) await generateCleaningTasks(t.db, { day, communityIds: [co.communityId] });
    expect((await tasksOf(i.id)).filter((r) => r.day >= '2031').map((r) => r.day)).toEqual(['2031-03-04', '2031-03-07']);
  });

  it('leaves a task with the team when nobody is rostered, and gives it to the person rostered later', async () => {
    const co = await cleaningCompany(t);
    const x = await area(co);
    const i = await item(co, x.id, { times: ['17:00'], windowMinutes: 60 });
    const day = '2031-04-01';
    await generateCleaningTasks(t.db, { day, communityIds: [co.communityId] });
    const [task] = await tasksOf(i.id, day);
    expect(task).toMatchObject({ shift_id: co.lateShiftId, assignee_id: null, post_id: co.postId });
    // The team's task is on the post member's list.
    expect((await co.cleaner.client.get(`/api/cleaning/my-tasks?day=${day}`)).json().tasks.map((r: { id: string }) => r.id)).toEqual([task.id]);
    await rosterOn(t.db, co, co.cleaner.id, day, co.lateShiftId);
    expect(await generateCleaningTasks(t.db, { day, communityIds: [co.communityId] })).toEqual({ created: 0, assigned: 1 });
    expect((await tasksOf(i.id, day))[0].assignee_id).toBe(co.cleaner.id);
  });

  it('through the API: 400 for a day too far ahead, 400 for another company’s community, 403 for a cleaner', async () => {
    const res = await a.admin2.post('/api/cleaning/generate', { communityId: a.communityId, day: tomorrow() });
    expect(res.statusCode, res.body).toBe(200);
    expectFieldError(await a.admin2.post('/api/cleaning/generate', { communityId: a.communityId, day: '2099-01-01' }), 'day');
    expectFieldError(await a.admin2.post('/api/cleaning/generate', { communityId: b.communityId, day: tomorrow() }), 'communityId');
    expectFieldError(await a.admin2.post('/api/cleaning/generate', { communityId: a.communityId, day: '2031-02-30' }), 'day');
    expect((await a.cleaner.client.post('/api/cleaning/generate', { communityId: a.communityId, day: tomorrow() })).statusCode).toBe(403);
  });

  it('the hourly job makes today’s tasks of its community', async () => {
    const co = await cleaningCompany(t);
    const x = await area(co);
    const i = await item(co, x.id, { times: ['23:50'], windowMinutes: 10 });
    await t.db.deleteFrom('cleaning_tasks').where('item_id', '=', i.id).execute();
    const job = cleaningJobs.find((j) => j.name === 'cleaning.generate')!;
    await job.run({ db: t.db } as never, { periodKey: `${today()}T01`, now: new Date(), communityId: co.communityId, companyId: co.companyId });
    expect((await tasksOf(i.id, today())).length).toBe(1);
  });
});

describe('completion', () => {
  it('completes once: a replay with the same clientId returns the same task and writes nothing more', async () => {
    const { tasks } = await binsTomorrow();
    await windowAround(t.db, tasks[0].id, 30);
    const clientId = `dev-${randomUUID()}`;
    const first = await a.cleaner.client.post(`/api/cleaning/tasks/${tasks[0].id}/complete`, { clientId, note: '已清运' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: 'done', state: 'done', late: false, checkIn: 'manual', note: '已清运', doneBy: { id: a.cleaner.id } });
    const replay = await a.cleaner.client.post(`/api/cleaning/tasks/${tasks[0].id}/complete`, { clientId, note: '已清运' });
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual(first.json());
    expect(await auditRows(t.db, tasks[0].id, 'cleaningTask.complete')).toHaveLength(1);
    // Another device completing the same task is told it is done; the clientId cannot be reused on another task.
    expect((await a.cleaner.client.post(`/api/cleaning/tasks/${tasks[0].id}/complete`, { clientId: `dev-${randomUUID()}` })).statusCode).toBe(409);
    await windowAround(t.db, tasks[1].id, 30);
    expect((await a.cleaner.client.post(`/api/cleaning/tasks/${tasks[1].id}/complete`, { clientId })).statusCode).toBe(409);
  });

  it('completes once when the same request arrives twice at the same time', async () => {
    const { tasks } = await binsTomorrow();
    await windowAround(t.db, tasks[0].id, 30);
    const clientId = `dev-${randomUUID()}`;
    const [r1, r2] = await Promise.all([1, 2].map(() => a.cleaner.client.post(`/api/cleaning/tasks/${tasks[0].id}/complete`, { clientId })));
    expect([r1.statusCode, r2.statusCode]).toEqual([200, 200]);
    expect(r1.json().doneAt).toBe(r2.json().doneAt);
    expect(await auditRows(t.db, tasks[0].id, 'cleaningTask.complete')).toHaveLength(1);
  });

  it('done after the window is done late; too early or after the grace is refused', async () => {
    const { tasks } = await binsTomorrow();
    await windowAround(t.db, tasks[0].id, 150); // 30 minutes after the window
    const late = await a.cleaner.client.post(`/api/cleaning/tasks/${tasks[0].id}/complete`, { clientId: `dev-${randomUUID()}` });
    expect(late.json()).toMatchObject({ status: 'done', late: true, state: 'late' });
    await windowAround(t.db, tasks[1].id, -60); // starts in an hour
    expectFieldError(await a.cleaner.client.post(`/api/cleaning/tasks/${tasks[1].id}/complete`, { clientId: `dev-${randomUUID()}` }), 'doneAt');
    await windowAround(t.db, tasks[1].id, 300); // an hour after the grace
    expectFieldError(await a.cleaner.client.post(`/api/cleaning/tasks/${tasks[1].id}/complete`, { clientId: `dev-${randomUUID()}` }), 'doneAt');
    expectFieldError(await a.cleaner.client.post(`/api/cleaning/tasks/${tasks[1].id}/complete`, { clientId: `dev-${randomUUID()}`, doneAt: new Date(Date.now() + 3600_000).toISOString() }), 'doneAt');
    expect((await t.db.selectFrom('cleaning_tasks').select('status').where('id', '=', tasks[1].id).executeTakeFirstOrThrow()).status).toBe('open');
  });

  it('the sweep marks missed tasks once; work queued offline before the grace still counts', async () => {
    const { tasks } = await binsTomorrow();
    await windowAround(t.db, tasks[0].id, 300);
    await windowAround(t.db, tasks[1].id, 300);
    const first = await sweepMissedCleaning(t.db, new Date());
    expect(first.missed).toBeGreaterThanOrEqual(2);
    expect((await sweepMissedCleaning(t.db, new Date())).missed).toBe(0);
    const rows = await tasksOf(tasks[0].item_id, tomorrow());
    expect(rows.map((r) => r.status)).toEqual(['missed', 'missed']);
    // Done at 'start + 3h' on a phone without network (inside the grace), synced after the sweep.
    const doneAt = new Date(rows[0].starts_at.getTime() + 180 * 60_000).toISOString();
    const res = await a.cleaner.client.post(`/api/cleaning/tasks/${tasks[0].id}/complete`, { clientId: `dev-${randomUUID()}`, doneAt });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'done', late: true, doneAt });
    const missedList = (await a.admin2.get(`/api/cleaning/tasks?communityId=${a.communityId}&state=missed&areaId=${tasks[1].area_id}`)).json();
    expect(missedList.items.map((r: { id: string }) => r.id)).toEqual([tasks[1].id]);
  });

  it('requires a photo when the item says so, and images of the company only', async () => {
    const { tasks } = await binsTomorrow(a, {}, { photoRequired: true });
    await windowAround(t.db, tasks[0].id, 30);
    const url = `/api/cleaning/tasks/${tasks[0].id}/complete`;
    expectFieldError(await a.cleaner.client.post(url, { clientId: `dev-${randomUUID()}` }), 'photoFileIds');
    expectFieldError(await a.cleaner.client.post(url, { clientId: `dev-${randomUUID()}`, photoFileIds: [await photo(b.cleaner.client)] }), 'photoFileIds');
    expect((await t.db.selectFrom('cleaning_tasks').select('status').where('id', '=', tasks[0].id).executeTakeFirstOrThrow()).status).toBe('open');
    const file = await photo();
    const ok = await a.cleaner.client.post(url, { clientId: `dev-${randomUUID()}`, photoFileIds: [file] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().photoIds).toEqual([file]);
    const history = (await a.admin2.get(`/api/cleaning/tasks?communityId=${a.communityId}&withPhotos=true&areaId=${tasks[0].area_id}`)).json();
    expect(history.items.map((r: { id: string }) => r.id)).toEqual([tasks[0].id]);
  });

  it('checks in with the area’s QR code; a required code must be scanned and must be this area’s', async () => {
    const { area: x, tasks } = await binsTomorrow(a, { qrRequired: true });
    const other = await area(a);
    await windowAround(t.db, tasks[0].id, 30);
    const url = `/api/cleaning/tasks/${tasks[0].id}/complete`;
    expectFieldError(await a.cleaner.client.post(url, { clientId: `dev-${randomUUID()}` }), 'code');
    const wrong = (await a.admin2.get(`/api/cleaning/areas/${other.id}/code`)).json().code;
    expectFieldError(await a.cleaner.client.post(url, { clientId: `dev-${randomUUID()}`, code: wrong }), 'code');
    const forged = (await b.admin2.get(`/api/cleaning/areas/${(await area(b)).id}/code`)).json().code.replace(/^ca\.[^.]+/, `ca.${x.id}`);
    expectFieldError(await a.cleaner.client.post(url, { clientId: `dev-${randomUUID()}`, code: forged }), 'code');
    const code = (await a.admin2.get(`/api/cleaning/areas/${x.id}/code`)).json().code;
    const ok = await a.cleaner.client.post(url, { clientId: `dev-${randomUUID()}`, code });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().checkIn).toBe('qr');
  });

  it('another company’s task is 404; a bad clientId is 400; staff without cleaning.work get 403', async () => {
    const { tasks } = await binsTomorrow();
    await windowAround(t.db, tasks[0].id, 30);
    const url = `/api/cleaning/tasks/${tasks[0].id}/complete`;
    expect((await b.cleaner.client.post(url, { clientId: `dev-${randomUUID()}` })).statusCode).toBe(404);
    expect((await b.admin2.get(`/api/cleaning/tasks/${tasks[0].id}`)).statusCode).toBe(404);
    expectFieldError(await a.cleaner.client.post(url, { clientId: 'x' }), 'clientId');
    const desk = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'service', communityIds: [a.communityId] })).id);
    expect((await desk.post(url, { clientId: `dev-${randomUUID()}` })).statusCode).toBe(403);
    expect((await t.db.selectFrom('cleaning_tasks').select('status').where('id', '=', tasks[0].id).executeTakeFirstOrThrow()).status).toBe('open');
    expect((await a.cleaner.client.get(`/api/cleaning/tasks/${tasks[0].id}`)).json().state).toBe('open');
  });
});

describe('board, my tasks and figures', () => {
  it('the board lists a day’s tasks by area with counts by state; another company gets 404', async () => {
    const co = await cleaningCompany(t);
    await rosterOn(t.db, co, co.cleaner.id, tomorrow(), co.earlyShiftId);
    const { tasks } = await binsTomorrow(co);
    const board = (await co.admin2.get(`/api/cleaning/board?communityId=${co.communityId}&day=${tomorrow()}`)).json();
    expect(board.tasks.map((x: { id: string }) => x.id)).toEqual(tasks.map((x) => x.id));
    expect(board.counts).toEqual({ open: 2, overdue: 0, done: 0, late: 0, missed: 0 });
    expect(board.tasks[0]).toMatchObject({ assignee: { id: co.cleaner.id }, shift: { name: '早班' }, post: { name: '保洁一组' } });
    expect((await b.admin2.get(`/api/cleaning/board?communityId=${co.communityId}`)).statusCode).toBe(404);
    expectFieldError(await co.admin2.get(`/api/cleaning/board?communityId=${co.communityId}&day=tomorrow`), 'day');
    const mine = (await co.cleaner.client.get(`/api/cleaning/my-tasks?day=${tomorrow()}`)).json();
    expect(mine.tasks.map((x: { id: string }) => x.id)).toEqual(tasks.map((x) => x.id));
    expect((await b.cleaner.client.get(`/api/cleaning/my-tasks?day=${tomorrow()}`)).json().tasks).toEqual([]);
  });

  it('completion rates by area, post, person and day count done, late and missed', async () => {
    const co = await cleaningCompany(t);
    const day = '2031-05-06';
    await rosterOn(t.db, co, co.cleaner.id, day, co.earlyShiftId);
    const x = await area(co, { name: '1栋大堂' });
    const y = await area(co, { name: '中心花园', kind: 'greening', postId: null, departmentId: co.departmentId });
    const i1 = await item(co, x.id, { times: ['08:00', '10:00', '12:00', '14:00'], windowMinutes: 60 });
    const i2 = await item(co, y.id, { times: ['09:00'], windowMinutes: 60 });
    await generateCleaningTasks(t.db, { day, communityIds: [co.communityId] });
    const t1 = await tasksOf(i1.id, day);
    const [t2] = await tasksOf(i2.id, day);
    const set = (id: string, v: { status: 'done' | 'missed'; late?: boolean }) =>
      t.db.updateTable('cleaning_tasks').set({ status: v.status, late: v.late ?? false, done_at: v.status === 'done' ? new Date() : null }).where('id', '=', id).execute();
    await set(t1[0].id, { status: 'done' });
    await set(t1[1].id, { status: 'done', late: true });
    await set(t1[2].id, { status: 'missed' });
    await set(t1[3].id, { status: 'done' });
    await set(t2.id, { status: 'missed' });
    const res = await co.admin2.get(`/api/cleaning/figures?communityId=${co.communityId}&from=2031-05-04&to=2031-05-10`);
    expect(res.statusCode, res.body).toBe(200);
    const f = res.json();
    expect(f.totals).toMatchObject({ total: 5, done: 3, late: 1, missed: 2, rate: 60, onTimeRate: 40 });
    expect(f.byArea.find((r: { id: string }) => r.id === x.id)).toMatchObject({ total: 4, done: 3, rate: 75, onTimeRate: 50 });
    expect(f.byArea.find((r: { id: string }) => r.id === y.id)).toMatchObject({ total: 1, done: 0, rate: 0 });
    expect(f.byPost.find((r: { id: string }) => r.id === co.postId)).toMatchObject({ total: 4, rate: 75 });
    expect(f.byDepartment.find((r: { id: string }) => r.id === co.departmentId)).toMatchObject({ total: 5, rate: 60 });
    // The garden has no post: its department's crew on 早班 (the cleaner, at 保洁一组) does it.
    expect(f.byPerson.find((r: { id: string | null }) => r.id === co.cleaner.id)).toMatchObject({ total: 5, done: 3 });
    expect(f.byDay.find((r: { day: string }) => r.day === day)).toMatchObject({ total: 5, rate: 60 });
    expect(f.byDay).toHaveLength(7);
    expect(f.byWeek.map((w: { week: string }) => w.week)).toEqual(['2031-04-28', '2031-05-05']);
    expect(f.byWeek.find((w: { week: string }) => w.week === '2031-05-05')).toMatchObject({ total: 5 });
    expectFieldError(await co.admin2.get(`/api/cleaning/figures?communityId=${co.communityId}&from=2031-05-10&to=2031-05-04`), 'to');
    expectFieldError(await co.admin2.get(`/api/cleaning/figures?communityId=${co.communityId}&from=2031-01-01&to=2031-12-31`), 'to');
    expect((await b.admin2.get(`/api/cleaning/figures?communityId=${co.communityId}`)).statusCode).toBe(404);
  });
});

describe('the sweep job', () => {
  it('runs every minute, globally, and marks the tasks whose late grace has passed', async () => {
    const job = cleaningJobs.find((j) => j.name === 'cleaning.sweep')!;
    expect(job).toMatchObject({ period: 'minute', scope: 'global' });
    const { tasks } = await binsTomorrow();
    await windowAround(t.db, tasks[0].id, 300);
    await job.run({ db: t.db } as never, { periodKey: 'x', now: new Date(), communityId: null, companyId: null });
    const rows = await tasksOf(tasks[0].item_id, tomorrow());
    expect(rows.map((r) => r.status)).toEqual(['missed', 'open']);
    expect(rows[0].missed_at).not.toBeNull();
    // The cleaner it was given to hears of it in the bell.
    const notes = await t.db.selectFrom('notifications').select(['kind', 'title', 'body']).where('user_id', '=', a.cleaner.id).where('kind', '=', 'cleaningMissed').execute();
    expect(notes.length).toBeGreaterThanOrEqual(1);
    expect(notes.at(-1)!.body).toContain('垃圾桶清运');
  });
});
