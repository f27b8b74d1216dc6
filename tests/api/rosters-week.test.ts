import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { createStaffUser } from '../helpers/factories.ts';
import { anonymous, auditRows, expectFieldError, sessionAs } from '../helpers/api.ts';
import { createPost, guard, rosterCompany, type RosterCompany } from '../helpers/rosters.ts';
import { mondayOf } from '../../src/modules/rosters/rules.ts';
import { nextDay } from '../../src/modules/rosters/onshift.ts';

let t: TestApp;
let a: RosterCompany;
let b: RosterCompany;
/** Far in the future, so no other test's week collides; a Monday. */
let seq = 0;
const freshMonday = () => mondayOf(nextDay('2030-01-07', 7 * ++seq * 3));

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([rosterCompany(t), rosterCompany(t)]);
});

const put = (co: RosterCompany, monday: string, entries: unknown[], communityId = co.communityId) => co.admin2.request('PUT', `/api/roster-weeks?communityId=${communityId}&monday=${monday}`, { entries });
const weekRows = (communityId: string, monday: string) => t.db.selectFrom('roster_entries').selectAll().where('community_id', '=', communityId).where('day', '>=', monday).where('day', '<=', nextDay(monday, 6)).execute();

describe('every endpoint needs a session', () => {
  it.each([
    ['GET', '/api/roster-weeks'],
    ['POST', '/api/roster-weeks/copy'],
    ['GET', '/api/my-roster'],
  ] as const)('%s %s → 401', async (method, url) => {
    const res = await anonymous(t.app, method, url, method === 'POST' ? {} : undefined);
    expect(res.statusCode).toBe(401);
  });
  it('PUT /api/roster-weeks → 401', async () => {
    const res = await t.app.inject({ method: 'PUT', url: `/api/roster-weeks?communityId=${a.communityId}&monday=2030-01-07`, payload: { entries: [] } });
    expect(res.statusCode).toBe(401);
  });
});

describe('a roster week', () => {
  it('saves a week, flags a 24-hour post left empty, and reads it back', async () => {
    const monday = freshMonday();
    const [g1, g2, g3] = await Promise.all([guard(t, a), guard(t, a), guard(t, a)]);
    const gate = await createPost(a, { roundTheClock: true, requiredCertificates: ['securityGuard'] });
    const entries = [0, 1, 2, 3, 4, 5, 6].flatMap((i) => [
      { day: nextDay(monday, i), userId: g1.id, shiftId: a.shifts.day, postId: gate.id },
      { day: nextDay(monday, i), userId: g2.id, shiftId: a.shifts.swing, postId: gate.id },
      // Nobody on the night shift on Wednesday: 00:00–08:00 is a gap.
      ...(i === 2 ? [{ day: nextDay(monday, i), userId: g3.id, kind: 'off' }] : [{ day: nextDay(monday, i), userId: g3.id, shiftId: a.shifts.night, postId: gate.id }]),
    ]);
    const res = await put(a, monday, entries);
    expect(res.statusCode, res.body).toBe(200);
    const week = res.json();
    expect(week.entries).toHaveLength(21);
    expect(week.coverage.ok).toBe(false);
    expect(week.coverage.gaps).toEqual([{ postId: gate.id, postName: gate.name, day: nextDay(monday, 2), from: '00:00', to: '08:00', staffed: 0, minStaff: 1, minutes: 480 }]);
    expect(week.coverage.uncoveredHours.find((h: { day: string; postId: string }) => h.day === nextDay(monday, 2) && h.postId === gate.id).hours).toBe(8);
    expect((await weekRows(a.communityId, monday)).length).toBe(21);
    const read = await a.manager.get(`/api/roster-weeks?communityId=${a.communityId}&monday=${monday}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().coverage).toEqual(week.coverage);
    expect(read.json().days[0]).toBe(monday);
    expect(read.json().shifts.map((s: { code: string }) => s.code)).toEqual(['night', 'day', 'swing']);
    expect((await auditRows(t.db, a.communityId, 'roster.replaceWeek')).length).toBeGreaterThan(0);

    // Saving again replaces the week's set: fill the gap.
    const fixed = entries.map((e) => (e.userId === g3.id ? { day: e.day, userId: g3.id, shiftId: a.shifts.night, postId: gate.id } : e));
    const again = await put(a, monday, fixed);
    expect(again.statusCode).toBe(200);
    expect(again.json().coverage).toMatchObject({ ok: true, gaps: [] });
    expect((await weekRows(a.communityId, monday)).filter((r) => r.kind === 'off')).toHaveLength(0);
  });

  it('counts min staff 2 and a night shift of the Sunday before', async () => {
    const monday = freshMonday();
    const people = await Promise.all([1, 2, 3, 4, 5, 6].map(() => guard(t, a)));
    const late = await a.admin2.post('/api/shifts', { communityId: a.communityId, name: '大夜', code: `late${seq}`, startTime: '22:00', endTime: '06:00' });
    expect(late.json()).toMatchObject({ crossesMidnight: true, minutes: 480, tooLongFor24h: false });
    const monitor = await createPost(a, { roundTheClock: true, minStaff: 2 });
    // Sunday before: two people 22:00–06:00 cover Monday's 00:00–06:00.
    expect((await put(a, nextDay(monday, -7), [0, 1].map((i) => ({ day: nextDay(monday, -1), userId: people[i].id, shiftId: late.json().id, postId: monitor.id })))).statusCode).toBe(200);
    const res = await put(a, monday, [
      ...[2, 3].map((i) => ({ day: monday, userId: people[i].id, shiftId: a.shifts.day, postId: monitor.id })),
      { day: monday, userId: people[4].id, shiftId: a.shifts.swing, postId: monitor.id },
      { day: monday, userId: people[0].id, shiftId: late.json().id, postId: monitor.id },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    const monGaps = res.json().coverage.gaps.filter((g: { day: string; postId: string }) => g.day === monday && g.postId === monitor.id);
    // 06:00–08:00 nobody; 16:00–22:00 only one of two (the 22:00 night shift makes two again).
    expect(monGaps.map((g: { from: string; to: string; staffed: number }) => `${g.from}-${g.to}×${g.staffed}`)).toEqual(['06:00-08:00×0', '16:00-22:00×1']);
  });

  it('flags a shift longer than 8 hours on a 24-hour post', async () => {
    const monday = freshMonday();
    const g = await guard(t, a);
    const long = await a.admin2.post('/api/shifts', { communityId: a.communityId, name: '长白班', code: `long${seq}`, startTime: '08:00', endTime: '20:00' });
    expect(long.json().tooLongFor24h).toBe(true);
    const post = await createPost(a, { roundTheClock: true });
    const res = await put(a, monday, [{ day: monday, userId: g.id, shiftId: long.json().id, postId: post.id }]);
    expect(res.json().coverage.longShifts).toEqual([expect.objectContaining({ postId: post.id, userId: g.id, day: monday })]);
  });

  it('refuses bad entries, naming the entry, and changes nothing', async () => {
    const monday = freshMonday();
    const [g1, g2] = await Promise.all([guard(t, a), guard(t, a)]);
    const outsider = await guard(t, a, [a.communityIds[1]]);
    const post = await createPost(a);
    const early = await a.admin2.post('/api/shifts', { communityId: a.communityId, name: '早早班', code: `early${seq}`, startTime: '05:00', endTime: '13:00' });
    const otherShift = (await b.admin2.get(`/api/shifts?communityId=${b.communityId}`)).json().items[0].id;
    const ok = { day: monday, userId: g1.id, shiftId: a.shifts.day, postId: post.id };
    expect((await put(a, monday, [ok])).statusCode).toBe(200);
    const cases: Array<[unknown[], string]> = [
      [[ok, { ...ok, day: nextDay(monday, 7) }], 'entries[1].day'],
      [[ok, { ...ok, userId: outsider.id }], 'entries[1].userId'],
      [[ok, { ...ok, userId: b.admin.id }], 'entries[1].userId'],
      [[ok, { day: monday, userId: g2.id }], 'entries[1].shiftId'],
      [[ok, { ...ok, userId: g2.id, shiftId: otherShift }], 'entries[1].shiftId'],
      [[ok, { ...ok, userId: g2.id, postId: randomUUID() }], 'entries[1].postId'],
      [[ok, { day: monday, userId: g2.id, kind: 'off', shiftId: a.shifts.day }], 'entries[1].shiftId'],
      [[ok, ok], 'entries[1].shiftId'],
      [[ok, { day: monday, userId: g1.id, kind: 'leave' }], 'entries[1].kind'],
      // 05:00–13:00 overlaps 08:00–16:00 of the same person.
      [[ok, { ...ok, shiftId: early.json().id }], 'entries[1].shiftId'],
      // 中班 16:00–24:00 then 早早班 05:00 the next day is fine; 夜班 00:00–08:00 and 早早班 the same day is not.
      [[{ ...ok, userId: g2.id, shiftId: a.shifts.night }, ok, { ...ok, userId: g2.id, shiftId: early.json().id }], 'entries[2].shiftId'],
    ];
    for (const [entries, field] of cases) {
      const res = await put(a, monday, entries);
      expectFieldError(res, field);
    }
    const rows = await weekRows(a.communityId, monday);
    expect(rows.map((r) => [r.user_id, r.shift_id])).toEqual([[g1.id, a.shifts.day]]);
    expectFieldError(await a.admin2.request('PUT', `/api/roster-weeks?communityId=${a.communityId}&monday=${nextDay(monday, 1)}`, { entries: [] }), 'monday');
    const bad = await a.admin2.request('PUT', `/api/roster-weeks?communityId=${a.communityId}&monday=${monday}`, { entries: [{ day: 'x', userId: 'y' }] });
    expect(bad.statusCode).toBe(400);
  });

  it('checks overlaps against the neighbouring weeks and the person’s other communities', async () => {
    const monday = freshMonday();
    const g = await guard(t, a, a.communityIds);
    const late = await a.admin2.post('/api/shifts', { communityId: a.communityId, name: '大夜', code: `lateb${seq}`, startTime: '22:00', endTime: '06:00' });
    const early = await a.admin2.post('/api/shifts', { communityId: a.communityId, name: '早早班', code: `earlyb${seq}`, startTime: '05:00', endTime: '13:00' });
    expect((await put(a, nextDay(monday, -7), [{ day: nextDay(monday, -1), userId: g.id, shiftId: late.json().id }])).statusCode).toBe(200);
    expectFieldError(await put(a, monday, [{ day: monday, userId: g.id, shiftId: early.json().id }]), 'entries[0].shiftId');
    const other = await a.admin2.post('/api/shifts', { communityId: a.communityIds[1], name: '早班', code: 'day', startTime: '08:00', endTime: '16:00' });
    expect((await put(a, monday, [{ day: nextDay(monday, 2), userId: g.id, shiftId: other.json().id }], a.communityIds[1])).statusCode).toBe(200);
    expectFieldError(await put(a, monday, [{ day: nextDay(monday, 2), userId: g.id, shiftId: a.shifts.day }]), 'entries[0].shiftId');
  });

  it('answers 404 for another company’s community and 403 without roster.manage', async () => {
    const monday = freshMonday();
    expect((await a.admin2.get(`/api/roster-weeks?communityId=${b.communityId}&monday=${monday}`)).statusCode).toBe(404);
    expect((await put(a, monday, [], b.communityId)).statusCode).toBe(404);
    expect((await a.admin2.post('/api/roster-weeks/copy', { communityId: b.communityId, monday })).statusCode).toBe(400);
    const g = await guard(t, a);
    const guardClient = await sessionAs(t.app, t.db, g.id);
    expect((await guardClient.get(`/api/roster-weeks?communityId=${a.communityId}&monday=${monday}`)).statusCode).toBe(200);
    expect((await guardClient.request('PUT', `/api/roster-weeks?communityId=${a.communityId}&monday=${monday}`, { entries: [] })).statusCode).toBe(403);
    expectFieldError(await a.admin2.get(`/api/roster-weeks?communityId=${a.communityId}&monday=${nextDay(monday, 2)}`), 'monday');
  });
});

describe('deactivated posts and shifts', () => {
  it('stay on a week that already uses them, and cannot be put on a new week', async () => {
    const monday = freshMonday();
    const g = await guard(t, a);
    const post = await createPost(a);
    const entries = [{ day: monday, userId: g.id, shiftId: a.shifts.day, postId: post.id }];
    expect((await put(a, monday, entries)).statusCode).toBe(200);
    expect((await a.admin2.patch(`/api/posts/${post.id}`, { active: false })).statusCode).toBe(200);
    const week = await a.admin2.get(`/api/roster-weeks?communityId=${a.communityId}&monday=${monday}`);
    expect(week.json().posts.find((p: { id: string }) => p.id === post.id)).toMatchObject({ active: false });
    expect((await put(a, monday, entries)).statusCode).toBe(200);
    expectFieldError(await put(a, nextDay(monday, 7), [{ ...entries[0], day: nextDay(monday, 7) }]), 'entries[0].postId');
    const next = await a.admin2.get(`/api/roster-weeks?communityId=${a.communityId}&monday=${nextDay(monday, 7)}`);
    expect(next.json().posts.map((p: { id: string }) => p.id)).not.toContain(post.id);
  });
});

describe('copying a week', () => {
  it('copies to the next week, refuses to overwrite unless asked', async () => {
    const monday = freshMonday();
    const g = await guard(t, a);
    const post = await createPost(a);
    await put(a, monday, [
      { day: monday, userId: g.id, shiftId: a.shifts.day, postId: post.id },
      { day: nextDay(monday, 6), userId: g.id, kind: 'off' },
    ]);
    const res = await a.admin2.post('/api/roster-weeks/copy', { communityId: a.communityId, monday });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ monday: nextDay(monday, 7), copied: 2, skipped: 0 });
    expect((await weekRows(a.communityId, nextDay(monday, 7))).map((r) => [r.day, r.kind]).sort()).toEqual([
      [nextDay(monday, 7), 'work'],
      [nextDay(monday, 13), 'off'],
    ]);
    expectFieldError(await a.admin2.post('/api/roster-weeks/copy', { communityId: a.communityId, monday }), 'overwrite');
    expect((await a.admin2.post('/api/roster-weeks/copy', { communityId: a.communityId, monday, overwrite: true })).statusCode).toBe(200);
    expectFieldError(await a.admin2.post('/api/roster-weeks/copy', { communityId: a.communityId, monday: nextDay(monday, 1) }), 'monday');
  });
});

describe('my roster', () => {
  it('lists my shifts of this week and next with times, and my certificates', async () => {
    const g = await guard(t, a);
    const me = await sessionAs(t.app, t.db, g.id);
    const today = (await me.get('/api/my-roster')).json().today as string;
    const monday = mondayOf(today);
    const post = await createPost(a, { name: `巡逻岗${seq++}` });
    await put(a, monday, [{ day: monday, userId: g.id, shiftId: a.shifts.swing, postId: post.id }]);
    await put(a, nextDay(monday, 7), [{ day: nextDay(monday, 8), userId: g.id, kind: 'leave' }]);
    await a.admin2.post('/api/certificates', { userId: g.id, kind: 'securityGuard', number: `BA${randomUUID().slice(0, 8)}`, expiresOn: nextDay(today, 20) });
    const res = await me.get('/api/my-roster');
    expect(res.statusCode).toBe(200);
    expect(res.json().entries).toEqual([
      { day: monday, kind: 'work', community: expect.objectContaining({ id: a.communityId }), shift: { name: '中班', code: 'swing', startTime: '16:00', endTime: '00:00', crossesMidnight: false }, post: post.name },
      { day: nextDay(monday, 8), kind: 'leave', community: expect.objectContaining({ id: a.communityId }), shift: null, post: null },
    ]);
    expect(res.json().certificates).toEqual([expect.objectContaining({ kind: 'securityGuard', status: 'expiring', daysLeft: 20 })]);
    const owner = await createStaffUser(t.db, a, { role: 'cashier' });
    expect((await (await sessionAs(t.app, t.db, owner.id)).get('/api/my-roster')).json().entries).toEqual([]);
  });
});
