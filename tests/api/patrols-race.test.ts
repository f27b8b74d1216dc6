import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { at, checkpoint, codeOf, type PatrolCompany, patrolCompany, plan, roster, route, yesterday } from '../helpers/patrols.ts';
import { generatePatrolTasks } from '../../src/modules/patrols/generate.ts';

let t: TestApp;
let a: PatrolCompany;
let code1: string;
let code2: string;
const D = () => yesterday();

beforeAll(async () => {
  t = await testApp();
  a = await patrolCompany(t);
  const p1 = await checkpoint(a, { name: '大门岗' });
  const p2 = await checkpoint(a, { name: '西侧围墙' });
  await plan(a, (await route(a, [p1.id])).id);
  await plan(a, (await route(a, [p2.id])).id);
  await roster(t.db, a, [{ userId: a.guard.id, day: D(), shiftId: a.dayShift }]);
  await generatePatrolTasks(t.db, { day: D(), communityIds: [a.communityId], now: at(D(), '00:00') });
  [code1, code2] = [await codeOf(a, p1.id), await codeOf(a, p2.id)];
});

const done = async () => Number((await t.db.selectFrom('patrol_task_points').select((eb) => eb.fn.countAll<number>().as('n')).where('company_id', '=', a.companyId).where('status', '=', 'done').executeTakeFirstOrThrow()).n);

it('twins with one clientId at two points: one recorded, the other a replay, one point done', async () => {
  for (let k = 0; k < 5; k++) {
    const before = await done();
    const clientId = randomUUID();
    const hh = k < 3 ? '09' : '14';
    const [x, y] = await Promise.all([
      a.guard.client.post('/api/patrol/checkins', { code: code1, scannedAt: at(D(), `${hh}:1${k}`).toISOString(), clientId, answers: [] }),
      a.guard.client.post('/api/patrol/checkins', { code: code2, scannedAt: at(D(), `${hh}:1${k}`).toISOString(), clientId, answers: [] }),
    ]);
    expect([x.statusCode, y.statusCode].sort(), `${x.body} ${y.body}`).toEqual([200, 201]);
    expect(x.json().id).toBe(y.json().id);
    expect(await t.db.selectFrom('patrol_checkins').select('id').where('client_id', '=', clientId).execute()).toHaveLength(1);
    expect((await done()) - before).toBeLessThanOrEqual(1);
    const ci = await t.db.selectFrom('patrol_checkins').select(['id', 'task_point_id']).where('client_id', '=', clientId).executeTakeFirstOrThrow();
    const linked = await t.db.selectFrom('patrol_task_points').select('id').where('checkin_id', '=', ci.id).execute();
    expect(linked.map((l) => l.id)).toEqual(ci.task_point_id ? [ci.task_point_id] : []);
  }
});
