import { sql } from 'kysely';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { rosterOfDay } from '../rosters/onshift.ts';
import { wake } from '../servicedesk/notify.ts';
import { pickAssignee, shiftAt, slotsOf } from './rules.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Rows per INSERT (a task row has 14 parameters; PostgreSQL allows 65,535 a statement). */
const CHUNK = 2000;

/**
 * The tasks of business date `day` for the active items of active areas (of the given communities, else all):
 * exactly once per item, date and slot — the unique key (item_id, day, slot) lets any number of runs, sequential or
 * concurrent, insert each task once. Each task goes to the person the roster puts on the item's shift (or the shift
 * covering the slot's start) at the area's post (or any post of the area's department); when nobody is rostered it
 * stays the team's, and a later run fills in the person once the roster has one. A slot whose window ended before
 * its item existed is not generated (an item added at 16:00 has no 08:00 round that day).
 */
export async function generateCleaningTasks(db: Db, args: { day: string; communityIds?: readonly string[]; now?: Date }): Promise<{ created: number; assigned: number }> {
  const now = args.now ?? new Date();
  let q = db
    .selectFrom('cleaning_items as i')
    .innerJoin('cleaning_areas as a', 'a.id', 'i.area_id')
    .innerJoin('communities as c', 'c.id', 'i.community_id')
    .select([
      'i.id', 'i.company_id', 'i.community_id', 'i.area_id', 'i.frequency', 'i.times', 'i.window_minutes', 'i.weekdays', 'i.month_day', 'i.month', 'i.shift_id',
      'i.photo_required', 'i.created_at', 'a.post_id', 'a.department_id', 'c.time_zone',
    ])
    .where('i.active', '=', true)
    .where('a.active', '=', true);
  if (args.communityIds) {
    if (!args.communityIds.length) return { created: 0, assigned: 0 };
    q = q.where('i.community_id', 'in', [...args.communityIds]);
  }
  const items = await q.execute();
  if (!items.length) return { created: 0, assigned: 0 };
  const communityIds = [...new Set(items.map((i) => i.community_id))];
  const [shifts, posts, roster] = await Promise.all([
    db.selectFrom('shifts').select(['id', 'community_id', 'start_time', 'end_time']).where('community_id', 'in', communityIds).where('active', '=', true).orderBy('start_time').execute(),
    db.selectFrom('posts').select(['id', 'community_id', 'department_id']).where('community_id', 'in', communityIds).where('active', '=', true).execute(),
    rosterOfDay(db, { communityIds, day: args.day }),
  ]);

  /** The people on duty for an area's work in a shift: at its post, else at any post of its department. */
  const onDuty = (communityId: string, shiftId: string, postId: string | null, departmentId: string | null): string[] => {
    if (postId) return roster.get(`${communityId}|${shiftId}|${postId}`) ?? [];
    if (!departmentId) return [];
    const people = posts.filter((p) => p.community_id === communityId && p.department_id === departmentId).flatMap((p) => roster.get(`${communityId}|${shiftId}|${p.id}`) ?? []);
    return [...new Set(people)].sort();
  };

  const rows = items.flatMap((i) => {
    const communityShifts = shifts.filter((s) => s.community_id === i.community_id);
    const schedule = { frequency: i.frequency, times: i.times, windowMinutes: i.window_minutes, weekdays: i.weekdays, monthDay: i.month_day, month: i.month };
    return slotsOf(schedule, args.day, i.time_zone)
      .filter((s) => s.dueAt.getTime() > i.created_at.getTime())
      .map((s) => {
        const shiftId = i.shift_id ?? shiftAt(communityShifts, s.time)?.id ?? null;
        return {
          company_id: i.company_id,
          community_id: i.community_id,
          area_id: i.area_id,
          item_id: i.id,
          day: args.day,
          slot: s.slot,
          starts_at: s.startsAt,
          due_at: s.dueAt,
          closes_at: s.closesAt,
          shift_id: shiftId,
          post_id: i.post_id,
          department_id: i.department_id,
          assignee_id: shiftId ? pickAssignee(onDuty(i.community_id, shiftId, i.post_id, i.department_id), i.area_id) : null,
          photo_required: i.photo_required,
          updated_at: now,
        };
      });
  });

  let created = 0;
  for (let k = 0; k < rows.length; k += CHUNK) {
    const inserted = await db
      .insertInto('cleaning_tasks')
      .values(rows.slice(k, k + CHUNK))
      .onConflict((oc) => oc.columns(['item_id', 'day', 'slot']).doNothing())
      .returning('id')
      .execute();
    created += inserted.length;
  }
  // Tasks made before the roster had anyone go to the person rostered now, while they are still open.
  const fill = rows.filter((r) => r.assignee_id).map((r) => ({ item_id: r.item_id, slot: r.slot, assignee_id: r.assignee_id }));
  let assigned = 0;
  if (fill.length) {
    const res = await sql`
      UPDATE cleaning_tasks t SET assignee_id = v.assignee_id, updated_at = ${now}
        FROM jsonb_to_recordset(${JSON.stringify(fill)}::jsonb) AS v(item_id uuid, slot int, assignee_id uuid)
       WHERE t.item_id = v.item_id AND t.slot = v.slot AND t.day = ${args.day} AND t.assignee_id IS NULL AND t.status = 'open'`.execute(db);
    assigned = Number(res.numAffectedRows ?? 0);
  }
  return { created, assigned };
}

/**
 * Open tasks whose late grace has passed become missed (once each: only open tasks change). Whoever the tasks were
 * given to, and the head of the task's department, get one notification per sweep listing them (in the bell).
 */
export async function sweepMissedCleaning(db: Kysely<DB>, now: Date): Promise<{ missed: number }> {
  const missed = await sql<{ company_id: string; assignee_id: string | null; head_id: string | null; area: string; item: string; starts_at: Date }>`
    UPDATE cleaning_tasks t SET status = 'missed', missed_at = ${now}, updated_at = ${now}
      FROM cleaning_areas a, cleaning_items i
     WHERE t.status = 'open' AND t.closes_at < ${now} AND a.id = t.area_id AND i.id = t.item_id
    RETURNING t.company_id, t.assignee_id, (SELECT d.head_id FROM departments d WHERE d.id = t.department_id) AS head_id,
              a.name AS area, i.name AS item, t.starts_at`.execute(db);
  if (!missed.rows.length) return { missed: 0 };
  const byUser = new Map<string, { company_id: string; lines: string[] }>();
  for (const r of missed.rows) {
    const hhmm = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(r.starts_at);
    for (const user of new Set([r.assignee_id, r.head_id])) {
      if (!user) continue;
      const entry = byUser.get(user) ?? { company_id: r.company_id, lines: [] };
      entry.lines.push(`${hhmm} ${r.area} ${r.item}`);
      byUser.set(user, entry);
    }
  }
  const notes = [...byUser.entries()].map(([user_id, e]) => ({
    company_id: e.company_id,
    user_id,
    ticket_id: null,
    kind: 'cleaningMissed',
    title: `保洁绿化任务漏做 ${e.lines.length} 项`,
    body: e.lines.slice(0, 20).join('；').slice(0, 1000),
  }));
  for (let k = 0; k < notes.length; k += CHUNK) await db.insertInto('notifications').values(notes.slice(k, k + CHUNK)).execute();
  wake([...byUser.keys()]);
  return { missed: missed.rows.length };
}
