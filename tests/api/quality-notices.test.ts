import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { expectFieldError } from '../helpers/api.ts';
import type { Client } from '../helpers/factories.ts';
import { escalateNotices } from '../../src/modules/quality/jobs.ts';
import { finding, inDays, inspection, photo, qualityCompany, type QualityCompany } from './quality-fixtures.ts';

let t: TestApp;
let a: QualityCompany;
let b: QualityCompany;

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([qualityCompany(t), qualityCompany(t)]);
});

async function notice(opts: Record<string, unknown> = {}) {
  const insp = await inspection(a);
  return finding(a, insp.id, opts);
}
const status = async (id: string) => (await t.db.selectFrom('quality_notices').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
const step = (client: Client, id: string, action: string, body: Record<string, unknown> = {}) => client.post(`/api/quality/notices/${id}/${action}`, body);
const rectify = (client: Client, id: string) => step(client, id, 'rectify', { note: '已清洁' });

describe('the rectification workflow', () => {
  it('rectified by the department → sent back → rectified again → verified and closed, with its history', async () => {
    const n = await notice();
    const pic = await photo(t, a.cleaner.client);
    const r1 = await step(a.cleaner.client, n.id, 'rectify', { note: '已清洁地面', photoFileIds: [pic] });
    expect(r1.statusCode, r1.body).toBe(200);
    expect(r1.json()).toMatchObject({ status: 'rectified', rectifyNote: '已清洁地面', actions: [] });
    expect(r1.json().photos.map((p: { stage: string }) => p.stage)).toEqual(['rectify']);
    // The inspector is told and may verify or send back (and, holding quality.manage in the community, cancel).
    const detail = (await a.inspector.client.get(`/api/quality/notices/${n.id}`)).json();
    expect(detail.actions).toEqual(['verify', 'sendBack', 'cancel']);
    const told = await t.db.selectFrom('notifications').select('kind').where('user_id', '=', a.inspector.id).where('title', 'like', `${n.no}%`).execute();
    expect(told.map((x) => x.kind)).toEqual(['quality.rectify']);
    expectFieldError(await step(a.inspector.client, n.id, 'send-back', {}), 'reason');
    const back = await step(a.inspector.client, n.id, 'send-back', { reason: '角落仍有污渍' });
    expect(back.json().status).toBe('returned');
    expect((await rectify(a.head.client, n.id)).json().status).toBe('rectified');
    const closed = await step(a.inspector.client, n.id, 'verify', { note: '复查合格' });
    expect(closed.json()).toMatchObject({ status: 'closed', overdue: false });
    expect(closed.json().closedAt).not.toBeNull();
    expect(closed.json().events.map((e: { action: string; toStatus: string }) => `${e.action}:${e.toStatus}`)).toEqual(['issue:open', 'rectify:rectified', 'sendBack:returned', 'rectify:rectified', 'verify:closed']);
    expect(closed.json().events[2].note).toBe('角落仍有污渍');
    const audits = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', n.id).orderBy('id').execute();
    expect(audits.map((x) => x.action)).toEqual(['qualityNotice.issue', 'qualityNotice.rectify', 'qualityNotice.sendBack', 'qualityNotice.rectify', 'qualityNotice.verify']);
  });

  // Who may take each step from the status it starts from; everyone else is refused and nothing changes.
  const cases: Array<[string, 'open' | 'rectified', string, Record<string, unknown>, Array<keyof QualityCompany>, Array<keyof QualityCompany>]> = [
    ['rectify', 'open', 'rectify', { note: '已整改' }, ['cleaner', 'head'], ['inspector', 'manager', 'admin2']],
    ['verify', 'rectified', 'verify', {}, ['inspector', 'manager', 'admin2'], ['cleaner', 'head']],
    ['sendBack', 'rectified', 'send-back', { reason: '不合格' }, ['inspector', 'manager'], ['cleaner', 'head']],
    ['extend', 'open', 'extend', { deadlineAt: inDays(5), reason: '等配件' }, ['manager', 'admin2', 'inspector'], ['cleaner', 'head']],
    ['cancel', 'open', 'cancel', { reason: '误报' }, ['manager', 'admin2', 'inspector'], ['cleaner', 'head']],
  ];
  const clientOf = (who: keyof QualityCompany): Client => (who === 'admin2' ? a.admin2 : (a[who] as { client: Client }).client);
  it.each(cases)('%s: allowed for the right roles only', async (_name, from, path, body, allowed, refused) => {
    for (const who of refused) {
      const n = await notice();
      if (from === 'rectified') await rectify(a.cleaner.client, n.id);
      const res = await step(clientOf(who), n.id, path, body);
      expect([403, 404], `${who} ${res.body}`).toContain(res.statusCode);
      expect(await status(n.id)).toBe(from);
    }
    for (const who of allowed) {
      const n = await notice();
      if (from === 'rectified') await rectify(a.cleaner.client, n.id);
      const res = await step(clientOf(who), n.id, path, body);
      expect(res.statusCode, `${who} ${res.body}`).toBe(200);
    }
  });

  it('an inspector from another community may verify their cross-inspection’s notice, not extend or cancel it', async () => {
    const cross = await inspection(a, { kind: 'cross', inspectorId: a.crossInspector.id });
    const n = await finding(a, cross.id, {}, a.crossInspector.client);
    const c = a.crossInspector.client;
    expect((await c.get(`/api/quality/notices/${n.id}`)).json().actions).toEqual([]);
    expect((await step(c, n.id, 'extend', { deadlineAt: inDays(5), reason: 'x' })).statusCode).toBe(403);
    expect((await step(c, n.id, 'cancel', { reason: 'x' })).statusCode).toBe(403);
    await rectify(a.cleaner.client, n.id);
    expect((await c.get(`/api/quality/notices/${n.id}`)).json().actions).toEqual(['verify', 'sendBack']);
    expect((await step(c, n.id, 'verify')).json().status).toBe('closed');
  });

  it('refuses steps the status does not allow (409) and changes nothing', async () => {
    const n = await notice();
    expect((await step(a.inspector.client, n.id, 'verify')).statusCode).toBe(409);
    expect((await step(a.inspector.client, n.id, 'send-back', { reason: 'x' })).statusCode).toBe(409);
    await rectify(a.cleaner.client, n.id);
    expect((await rectify(a.cleaner.client, n.id)).statusCode).toBe(409);
    expect((await step(a.manager.client, n.id, 'extend', { deadlineAt: inDays(3), reason: 'x' })).statusCode).toBe(409);
    await step(a.inspector.client, n.id, 'verify');
    for (const [path, body] of [['rectify', { note: 'x' }], ['verify', {}], ['send-back', { reason: 'x' }], ['extend', { deadlineAt: inDays(3), reason: 'x' }], ['cancel', { reason: 'x' }]] as const) {
      expect((await step(a.admin2, n.id, path, body)).statusCode, path).toBe(409);
    }
    expect(await status(n.id)).toBe('closed');
  });

  it('a rectifier of another department does not see the notice; another company gets 404', async () => {
    const n = await notice();
    expect((await a.guard.client.get(`/api/quality/notices/${n.id}`)).statusCode).toBe(404);
    expect((await rectify(a.guard.client, n.id)).statusCode).toBe(404);
    for (const [path, body] of [['rectify', { note: 'x' }], ['verify', {}], ['send-back', { reason: 'x' }], ['extend', { deadlineAt: inDays(3), reason: 'x' }], ['cancel', { reason: 'x' }]] as const) {
      expect((await step(b.admin2, n.id, path, body)).statusCode).toBe(404);
    }
    expect((await b.admin2.get(`/api/quality/notices/${n.id}`)).statusCode).toBe(404);
    expect(await status(n.id)).toBe('open');
  });

  it('bad input names the field', async () => {
    const n = await notice();
    expectFieldError(await step(a.cleaner.client, n.id, 'rectify', {}), 'note');
    expectFieldError(await step(a.cleaner.client, n.id, 'rectify', { note: 'x', photoFileIds: [randomUUID()] }), 'photoFileIds');
    expectFieldError(await step(a.manager.client, n.id, 'extend', { deadlineAt: inDays(-1), reason: 'x' }), 'deadlineAt');
    expectFieldError(await step(a.manager.client, n.id, 'extend', { deadlineAt: 'tomorrow', reason: 'x' }), 'deadlineAt');
    expect(await status(n.id)).toBe('open');
  });

  it('lists: a rectifier sees only their own and their department’s; “mine” lists what awaits the caller', async () => {
    const mine = await notice();
    const guards = await notice({ departmentId: a.securityId });
    const cleanerList = (await a.cleaner.client.get('/api/quality/notices?pageSize=200')).json();
    const ids = cleanerList.items.map((n: { id: string }) => n.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(guards.id);
    const guardList = (await a.guard.client.get('/api/quality/notices?pageSize=200')).json().items.map((n: { id: string }) => n.id);
    expect(guardList).toContain(guards.id);
    expect(guardList).not.toContain(mine.id);
    await rectify(a.cleaner.client, mine.id);
    const toVerify = (await a.inspector.client.get('/api/quality/notices?mine=true&pageSize=200')).json().items.map((n: { id: string }) => n.id);
    expect(toVerify).toContain(mine.id);
    expect(toVerify).not.toContain(guards.id);
    const bList = (await b.admin2.get('/api/quality/notices?pageSize=200')).json().items.map((n: { id: string }) => n.id);
    expect(bList).not.toContain(mine.id);
    expectFieldError(await a.admin2.get('/api/quality/notices?status=nope'), 'status');
  });
});

describe('escalation of overdue notices', () => {
  it('tells the department head at the deadline and the managers a day later, each once', async () => {
    const n = await notice({ deadlineAt: inDays(1) });
    const deadline = Date.now() + 86_400_000;
    const count = async (user: string) => (await t.db.selectFrom('notifications').select('id').where('user_id', '=', user).where('title', 'like', `${n.no}%`).where('kind', 'like', 'quality.overdue%').execute()).length;
    await escalateNotices(t.db, new Date(deadline - 60_000));
    expect(await count(a.head.id)).toBe(0);
    await escalateNotices(t.db, new Date(deadline + 60_000));
    await escalateNotices(t.db, new Date(deadline + 120_000));
    expect(await count(a.head.id)).toBe(1);
    expect(await count(a.manager.id)).toBe(0);
    const listed = (await a.admin2.get(`/api/quality/notices/${n.id}`)).json();
    expect(listed).toMatchObject({ escalationLevel: 1 });
    await Promise.all([escalateNotices(t.db, new Date(deadline + 86_400_000 + 60_000)), escalateNotices(t.db, new Date(deadline + 86_400_000 + 60_000))]);
    await escalateNotices(t.db, new Date(deadline + 3 * 86_400_000));
    expect(await count(a.head.id)).toBe(1);
    expect(await count(a.manager.id)).toBe(1);
    expect(await count(a.inspector.id)).toBe(1);
    const events = await t.db.selectFrom('quality_notice_events').select('payload').where('notice_id', '=', n.id).where('action', '=', 'escalate').execute();
    expect(events.map((e) => (e.payload as { level: number }).level)).toEqual([1, 2]);
    const history = (await a.admin2.get(`/api/quality/notices/${n.id}`)).json().events;
    expect(history.filter((e: { action: string }) => e.action === 'escalate').map((e: { level: number }) => e.level)).toEqual([1, 2]);
  });

  it('a rectified notice does not escalate; an extension starts over', async () => {
    const n = await notice({ deadlineAt: inDays(1) });
    await rectify(a.cleaner.client, n.id);
    await escalateNotices(t.db, new Date(Date.now() + 5 * 86_400_000));
    expect((await t.db.selectFrom('quality_notices').select('escalation_level').where('id', '=', n.id).executeTakeFirstOrThrow()).escalation_level).toBe(0);
    const m = await notice({ deadlineAt: inDays(1) });
    await escalateNotices(t.db, new Date(Date.now() + 2 * 86_400_000 + 60_000));
    const extended = await step(a.manager.client, m.id, 'extend', { deadlineAt: inDays(4), reason: '等待材料' });
    expect(extended.json()).toMatchObject({ escalationLevel: 0, overdue: false });
  });
});

describe('rewards and penalties', () => {
  it('records one linked to a notice, lists it, refuses bad input', async () => {
    const n = await notice();
    const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const res = await a.manager.client.post('/api/quality/rewards', { communityId: a.communityIds[0], kind: 'penalty', userId: a.cleaner.id, points: 2, amountFen: 5000, reason: '大堂卫生不达标', noticeId: n.id, occurredOn: day });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'penalty', user: { id: a.cleaner.id }, points: 2, amountFen: 5000, noticeNo: n.no });
    const list = (await a.admin2.get(`/api/quality/rewards?communityId=${a.communityIds[0]}`)).json();
    expect(list.items.map((r: { id: string }) => r.id)).toContain(res.json().id);
    const base = { communityId: a.communityIds[0], kind: 'reward', departmentId: a.cleaningId, points: 3, reason: '表扬', occurredOn: day };
    expectFieldError(await a.manager.client.post('/api/quality/rewards', { ...base, departmentId: undefined }), 'userId');
    expectFieldError(await a.manager.client.post('/api/quality/rewards', { ...base, points: undefined }), 'points');
    expectFieldError(await a.manager.client.post('/api/quality/rewards', { ...base, occurredOn: '2999-01-01' }), 'occurredOn');
    expectFieldError(await a.manager.client.post('/api/quality/rewards', { ...base, noticeId: randomUUID() }), 'noticeId');
    expectFieldError(await a.manager.client.post('/api/quality/rewards', { ...base, departmentId: b.cleaningId }), 'departmentId');
    expectFieldError(await a.manager.client.post('/api/quality/rewards', { ...base, kind: 'bonus' }), 'kind');
    expect((await a.cleaner.client.post('/api/quality/rewards', base)).statusCode).toBe(403);
    expect((await b.admin2.get(`/api/quality/rewards?communityId=${a.communityIds[0]}`)).json().items).toHaveLength(0);
    expect((await a.admin2.get(`/api/quality/rewards?communityId=${a.communityIds[0]}`)).json().total).toBe(list.total);
  });
});
