import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import type { TestApp } from '../helpers/app.ts';
import { type Client, createCompany, createStaffUser, type TestCompany, unique } from '../helpers/factories.ts';
import { sessionAs } from '../helpers/api.ts';
import { localDate } from '../../src/modules/servicedesk/deadlines.ts';
import { nextDay } from '../../src/modules/rosters/onshift.ts';

/**
 * A company set up for cleaning tests: a cleaning department with a post 保洁一组 in the first community, shifts
 * 早班 08:00–16:00 and 中班 16:00–24:00, a cleaner who holds the post, and logged-in clients.
 */
export interface CleaningCompany extends TestCompany {
  communityId: string;
  departmentId: string;
  postId: string;
  earlyShiftId: string;
  lateShiftId: string;
  cleaner: { id: string; client: Client };
  admin2: Client;
}

export const today = () => localDate(new Date(), 'Asia/Shanghai');
export const tomorrow = () => nextDay(today());

export async function cleaningCompany(t: TestApp): Promise<CleaningCompany> {
  const co = await createCompany(t.db, { communities: 2 });
  const communityId = co.communityIds[0];
  const dept = await t.db.insertInto('departments').values({ company_id: co.companyId, name: unique('保洁部'), kind: 'cleaning' }).returning('id').executeTakeFirstOrThrow();
  const post = await t.db.insertInto('posts').values({ company_id: co.companyId, community_id: communityId, department_id: dept.id, name: '保洁一组' }).returning('id').executeTakeFirstOrThrow();
  const [early, late] = await t.db
    .insertInto('shifts')
    .values([
      { company_id: co.companyId, community_id: communityId, name: '早班', code: 'D', start_time: '08:00', end_time: '16:00' },
      { company_id: co.companyId, community_id: communityId, name: '中班', code: 'E', start_time: '16:00', end_time: '00:00' },
    ])
    .returning('id')
    .execute();
  const cleaner = await createStaffUser(t.db, co, { role: 'cleaner', communityIds: [communityId] });
  await t.db.insertInto('post_members').values({ post_id: post.id, user_id: cleaner.id, company_id: co.companyId }).execute();
  return {
    ...co,
    communityId,
    departmentId: dept.id,
    postId: post.id,
    earlyShiftId: early.id,
    lateShiftId: late.id,
    cleaner: { id: cleaner.id, client: await sessionAs(t.app, t.db, cleaner.id) },
    admin2: await sessionAs(t.app, t.db, co.admin.id),
  };
}

export async function rosterOn(db: Kysely<DB>, co: CleaningCompany, userId: string, day: string, shiftId: string, postId: string | null = co.postId) {
  await db.insertInto('roster_entries').values({ company_id: co.companyId, community_id: co.communityId, day, shift_id: shiftId, post_id: postId, user_id: userId }).execute();
}

export async function area(co: CleaningCompany, body: Record<string, unknown> = {}) {
  const res = await co.admin2.post('/api/cleaning/areas', { communityId: co.communityId, name: unique('大堂'), kind: 'cleaning', postId: co.postId, ...body });
  if (res.statusCode !== 201) throw new Error(`area: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; name: string; department: { id: string } | null };
}

export async function item(co: CleaningCompany, areaId: string, body: Record<string, unknown> = {}) {
  const res = await co.admin2.post('/api/cleaning/items', { areaId, name: '垃圾桶清运', frequency: 'daily', times: ['08:00', '15:00'], windowMinutes: 120, ...body });
  if (res.statusCode !== 201) throw new Error(`item: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string };
}

/** Moves a task's window so that now is `minutesIn` minutes after its start (window 120, late grace 120). */
export async function windowAround(db: Kysely<DB>, taskId: string, minutesIn: number) {
  const start = Date.now() - minutesIn * 60_000;
  await db
    .updateTable('cleaning_tasks')
    .set({ starts_at: new Date(start), due_at: new Date(start + 120 * 60_000), closes_at: new Date(start + 240 * 60_000) })
    .where('id', '=', taskId)
    .execute();
}
