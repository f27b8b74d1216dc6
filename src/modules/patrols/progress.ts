import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Db } from '../../core/context.ts';
import { notify, wake } from '../servicedesk/notify.ts';

/**
 * How tasks move: a point is done by a check-in whose scan time lies inside its window — even one that syncs after
 * the sweep marked it missed (the scan is what happened; the sweep only noticed nobody had reported yet) — and
 * missed by the sweep once its window ended with no check-in. A task's counts and status are recomputed from its
 * points after either, by one statement (the rule is rules.ts `taskStatus`): a task stays open while any point is
 * pending, so only the sweep settles a task with unvisited points, never a late check-in's recount. The ids bound
 * both sides, so the tasks are found by key rather than by a scan of every task (the planner cannot tell how few
 * groups the subquery yields).
 */

export async function recountTasks(trx: Db, taskIds: readonly string[]): Promise<void> {
  if (!taskIds.length) return;
  await sql`
    UPDATE patrol_tasks t SET
      points_done = c.done,
      points_missed = c.missed,
      status = CASE
        WHEN c.done >= t.points_total THEN 'done'
        WHEN c.done + c.missed < t.points_total THEN 'open'
        WHEN c.done = 0 THEN 'missed'
        ELSE 'partial' END,
      updated_at = now()
    FROM (
      SELECT task_id, (count(*) FILTER (WHERE status = 'done'))::int AS done, (count(*) FILTER (WHERE status = 'missed'))::int AS missed
        FROM patrol_task_points WHERE task_id = ANY(${[...taskIds]}::uuid[]) GROUP BY task_id
    ) c
    WHERE t.id = c.task_id
      AND t.id = ANY(${[...taskIds]}::uuid[])`.execute(trx);
}

/**
 * The minute sweep: every open task whose window has ended gets its unvisited points marked missed and its status
 * settled; then each supervisor hears once about each task of theirs with missed points. Tasks a check-in holds
 * locked right now are left for the next minute (SKIP LOCKED), so a sweep never waits on, or overrides, a scan.
 */
export async function sweepMissedPoints(db: Kysely<DB>, now: Date): Promise<{ tasks: number; notified: number }> {
  const swept = await db.transaction().execute(async (trx) => {
    const ended = await sql<{ id: string }>`
      SELECT id FROM patrol_tasks WHERE status = 'open' AND window_end <= ${now} ORDER BY window_end LIMIT 5000 FOR NO KEY UPDATE SKIP LOCKED`.execute(trx);
    const ids = ended.rows.map((r) => r.id);
    if (!ids.length) return 0;
    await sql`UPDATE patrol_task_points SET status = 'missed' WHERE task_id = ANY(${ids}::uuid[]) AND status = 'pending'`.execute(trx);
    await recountTasks(trx, ids);
    return ids.length;
  });

  const told = await db.transaction().execute(async (trx) => {
    // Claiming the notification and writing it in one transaction: once per task, whichever process sweeps.
    const rows = await sql<{ id: string; company_id: string; supervisor_id: string; plan_name: string; route_name: string; day: string; round: number; points_missed: number; points_total: number; names: string }>`
      UPDATE patrol_tasks t SET supervisor_notified_at = ${now}
        FROM patrol_plans p, patrol_routes r
       WHERE p.id = t.plan_id AND r.id = t.route_id AND t.status IN ('missed', 'partial') AND t.points_missed > 0
         AND t.supervisor_notified_at IS NULL AND p.supervisor_id IS NOT NULL
      RETURNING t.id, t.company_id, p.supervisor_id, p.name AS plan_name, r.name AS route_name, to_char(t.day, 'YYYY-MM-DD') AS day, t.round, t.points_missed, t.points_total,
        (SELECT string_agg(c.name, '、' ORDER BY tp.position) FROM patrol_task_points tp JOIN patrol_checkpoints c ON c.id = tp.checkpoint_id WHERE tp.task_id = t.id AND tp.status = 'missed') AS names`.execute(trx);
    const woken: string[] = [];
    for (const r of rows.rows) {
      woken.push(
        ...(await notify(trx, r.company_id, {
          userIds: [r.supervisor_id],
          ticketId: null,
          kind: 'patrolMissed',
          title: `漏巡：${r.plan_name} ${r.day} 第${r.round}轮 漏 ${r.points_missed}/${r.points_total} 点`,
          body: `${r.route_name}：${r.names ?? ''}`,
        })),
      );
    }
    return { count: rows.rows.length, woken };
  });
  wake(told.woken);
  return { tasks: swept, notified: told.count };
}
