import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { DB } from '../../src/db/schema.ts';
import { ensureDesk } from '../../src/modules/servicedesk/config.ts';
import { localDate, zonedInstant } from '../../src/modules/servicedesk/deadlines.ts';
import { nextDay } from '../../src/modules/rosters/onshift.ts';
import type { TestApp } from './app.ts';
import { type Client, createCompany, createStaffUser, type TestCompany, unique } from './factories.ts';
import { sessionAs } from './api.ts';

/**
 * Patrol factories: a company whose first community has a day shift (08:00–16:00) and a night shift (22:00–06:00),
 * a manager (supervisor) and two guards; shifts and roster rows are written directly (the rosters module owns
 * their API). Checkpoints, routes and plans go through the API.
 */

export const TZ = 'Asia/Shanghai';
export const today = () => localDate(new Date(), TZ);
export const yesterday = () => nextDay(today(), -1);
/** An instant of a business date in the community's zone. */
export const at = (day: string, hhmm: string) => zonedInstant(day, hhmm, TZ);

export interface PatrolCompany extends TestCompany {
  admin2: Client;
  communityId: string;
  dayShift: string;
  nightShift: string;
  manager: { id: string; client: Client };
  guard: { id: string; client: Client };
  guard2: { id: string; client: Client };
}

export async function patrolCompany(t: TestApp): Promise<PatrolCompany> {
  const co = await createCompany(t.db, { communities: 2 });
  await ensureDesk(t.db, co.companyId);
  const communityId = co.communityIds[0];
  const shifts = await t.db
    .insertInto('shifts')
    .values([
      { company_id: co.companyId, community_id: communityId, name: '白班', code: 'D', start_time: '08:00', end_time: '16:00' },
      { company_id: co.companyId, community_id: communityId, name: '夜班', code: 'N', start_time: '22:00', end_time: '06:00' },
    ])
    .returning('id')
    .execute();
  const person = async (role: string) => {
    const u = await createStaffUser(t.db, co, { role, communityIds: [communityId] });
    return { id: u.id, client: await sessionAs(t.app, t.db, u.id) };
  };
  const [manager, guard, guard2] = [await person('manager'), await person('security'), await person('security')];
  return { ...co, admin2: await sessionAs(t.app, t.db, co.admin.id), communityId, dayShift: shifts[0].id, nightShift: shifts[1].id, manager, guard, guard2 };
}

export async function roster(db: Kysely<DB>, co: PatrolCompany, rows: Array<{ userId: string; day: string; shiftId: string; kind?: 'work' | 'off' }>) {
  await db
    .insertInto('roster_entries')
    .values(rows.map((r) => ({ company_id: co.companyId, community_id: co.communityId, day: r.day, shift_id: r.kind === 'off' ? null : r.shiftId, user_id: r.userId, kind: r.kind ?? 'work' })))
    .execute();
}

export async function checkpoint(co: PatrolCompany, body: Record<string, unknown> = {}) {
  const res = await co.admin2.post('/api/patrol/checkpoints', { communityId: co.communityId, name: unique('点'), location: '1栋', kind: 'patrol', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

export async function route(co: PatrolCompany, checkpointIds: string[], body: Record<string, unknown> = {}) {
  const res = await co.admin2.post('/api/patrol/routes', { communityId: co.communityId, name: unique('路线'), kind: 'patrol', checkpointIds, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

export async function plan(co: PatrolCompany, routeId: string, body: Record<string, unknown> = {}) {
  const res = await co.admin2.post('/api/patrol/plans', {
    communityId: co.communityId,
    name: unique('计划'),
    routeId,
    shiftId: co.dayShift,
    frequency: 'fixed',
    fixedTimes: ['09:00', '14:00'],
    windowMinutes: 60,
    validFrom: nextDay(today(), -3),
    supervisorId: co.manager.id,
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

export async function codeOf(co: PatrolCompany, checkpointId: string): Promise<string> {
  const res = await co.admin2.get(`/api/patrol/checkpoints/${checkpointId}/code`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().code;
}
