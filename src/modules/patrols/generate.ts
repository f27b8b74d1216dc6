import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Db } from '../../core/context.ts';
import { rosterOfDay } from '../rosters/onshift.ts';
import { assigneesOf, planWindows, windowInstants } from './rules.ts';

/**
 * Patrol task generation for one business date: for each active plan valid that day, one task per round with the
 * route's points, assigned in turn to the staff the roster puts on the plan's shift (and post). Set-based — one
 * query for the plans, one for the roster, one insert per chunk of tasks and of their points — and exactly once:
 * the unique key (plan_id, day, round) and ON CONFLICT DO NOTHING let any number of processes run it at once, and
 * points are added only for the tasks an insert actually created, in the same transaction.
 */

export interface GenerateOptions {
  /** The business date 'YYYY-MM-DD' (each community's own calendar). */
  day: string;
  /** Only these communities (a community job passes its own); all active companies' communities otherwise. */
  communityIds?: readonly string[];
  /** Rounds whose window ended before this instant are not generated (a plan created mid-day). Default: now. */
  now?: Date;
}

export interface GenerateResult {
  day: string;
  /** Rounds due that day. */
  tasks: number;
  /** Rounds this call created (the rest existed already). */
  created: number;
  /** Plans skipped because their windows no longer fit their shift (changed since). */
  skippedPlans: number;
}

const CHUNK = 500;

export async function generatePatrolTasks(db: Kysely<DB>, opts: GenerateOptions): Promise<GenerateResult> {
  const now = opts.now ?? new Date();
  if (opts.communityIds && !opts.communityIds.length) return { day: opts.day, tasks: 0, created: 0, skippedPlans: 0 };
  const plans = await db
    .selectFrom('patrol_plans as p')
    .innerJoin('patrol_routes as r', 'r.id', 'p.route_id')
    .innerJoin('shifts as s', 's.id', 'p.shift_id')
    .innerJoin('communities as c', 'c.id', 'p.community_id')
    .innerJoin('companies as co', 'co.id', 'p.company_id')
    .select([
      'p.id', 'p.company_id', 'p.community_id', 'p.route_id', 'p.shift_id', 'p.post_id', 'p.frequency', 'p.rounds', 'p.interval_minutes', 'p.fixed_times', 'p.window_minutes', 'p.people_per_round',
      's.start_time', 's.end_time', 'c.time_zone',
      (eb) => eb.selectFrom('patrol_route_points as rp').select((e) => e.fn.countAll<number>().as('n')).whereRef('rp.route_id', '=', 'p.route_id').as('points'),
    ])
    .where('p.active', '=', true)
    .where('r.active', '=', true)
    .where('s.active', '=', true)
    .where('co.status', '=', 'active')
    .where('p.valid_from', '<=', opts.day)
    .where((eb) => eb.or([eb('p.valid_to', 'is', null), eb('p.valid_to', '>=', opts.day)]))
    // A stable order, so each plan keeps its place in the turn (assigneesOf's offset) from one run to the next.
    .orderBy('p.community_id')
    .orderBy('p.created_at')
    .orderBy('p.id')
    .$if(Boolean(opts.communityIds), (q) => q.where('p.community_id', 'in', [...opts.communityIds!]))
    .execute();
  if (!plans.length) return { day: opts.day, tasks: 0, created: 0, skippedPlans: 0 };

  const roster = await rosterOfDay(db, { communityIds: [...new Set(plans.map((p) => p.community_id))], day: opts.day });
  type NewTask = { company_id: string; community_id: string; plan_id: string; route_id: string; shift_id: string; day: string; round: number; window_start: Date; window_end: Date; assignee_ids: string[]; flag: 'unassigned' | 'understaffed' | null; points_total: number };
  const rows: NewTask[] = [];
  let skippedPlans = 0;
  const plansOfShift = new Map<string, number>();
  for (const p of plans) {
    const points = Number(p.points);
    if (!points) continue;
    let windows;
    try {
      windows = planWindows({ frequency: p.frequency, rounds: p.rounds, intervalMinutes: p.interval_minutes, fixedTimes: p.fixed_times, windowMinutes: p.window_minutes }, { start: p.start_time, end: p.end_time });
    } catch {
      skippedPlans += 1;
      continue;
    }
    const key = `${p.community_id}|${p.shift_id}|${p.post_id ?? ''}`;
    const staff = roster.get(key) ?? [];
    const offset = plansOfShift.get(key) ?? 0;
    plansOfShift.set(key, offset + 1);
    for (const w of windows) {
      const at = windowInstants(opts.day, w, p.time_zone);
      if (at.end <= now) continue;
      const { userIds, flag } = assigneesOf(staff, w.round, p.people_per_round, offset);
      rows.push({ company_id: p.company_id, community_id: p.community_id, plan_id: p.id, route_id: p.route_id, shift_id: p.shift_id, day: opts.day, round: w.round, window_start: at.start, window_end: at.end, assignee_ids: userIds, flag, points_total: points });
    }
  }

  let created = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    created += await db.transaction().execute(async (trx) => insertChunk(trx, rows.slice(i, i + CHUNK)));
  }
  return { day: opts.day, tasks: rows.length, created, skippedPlans };
}

async function insertChunk(trx: Db, rows: Parameters<typeof insertTasks>[1]): Promise<number> {
  const ids = await insertTasks(trx, rows);
  if (!ids.length) return 0;
  await sql`
    INSERT INTO patrol_task_points (company_id, task_id, position, checkpoint_id)
    SELECT t.company_id, t.id, rp.position, rp.checkpoint_id
      FROM patrol_tasks t JOIN patrol_route_points rp ON rp.route_id = t.route_id
     WHERE t.id = ANY(${ids}::uuid[])`.execute(trx);
  return ids.length;
}

async function insertTasks(trx: Db, rows: Array<{ company_id: string; community_id: string; plan_id: string; route_id: string; shift_id: string; day: string; round: number; window_start: Date; window_end: Date; assignee_ids: string[]; flag: 'unassigned' | 'understaffed' | null; points_total: number }>): Promise<string[]> {
  if (!rows.length) return [];
  const inserted = await trx
    .insertInto('patrol_tasks')
    .values(rows)
    .onConflict((oc) => oc.columns(['plan_id', 'day', 'round']).doNothing())
    .returning('id')
    .execute();
  return inserted.map((r) => r.id);
}
