import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { Db } from '../../core/context.ts';
import type { JobDefinition } from '../jobs/scheduler.ts';
import { localDate } from '../servicedesk/deadlines.ts';
import { wake } from '../servicedesk/notify.ts';
import { addDays, isoWeekday } from './rules.ts';
import { planInspections } from './schedules.ts';
import { staffHolding } from './repo.ts';
import { storeWeeklyReport } from './report.ts';

/**
 * Escalation of overdue notices, each step once: at the deadline the department head (and the assignee) are told
 * (level 1); a day later the project managers and quality managers (holders of quality.manage) of the community
 * (level 2). A conditional UPDATE moves each notice's level, so a step is taken by one process only.
 */
export async function escalateNotices(db: Pick<Deps, 'db'>['db'], now: Date) {
  const result = await db.transaction().execute(async (trx) => {
    const dayAgo = new Date(now.getTime() - 86_400_000);
    const moved = await sql<{ id: string; company_id: string; community_id: string; no: string; description: string; assignee_id: string | null; head_id: string | null; from_level: number; to_level: number }>`
      UPDATE quality_notices n SET escalation_level = CASE WHEN n.deadline_at <= ${dayAgo} THEN 2 ELSE 1 END, updated_at = ${now}
      FROM (SELECT id, escalation_level FROM quality_notices
             WHERE status IN ('open', 'returned') AND deadline_at < ${now}
               AND escalation_level < CASE WHEN deadline_at <= ${dayAgo} THEN 2 ELSE 1 END
             FOR UPDATE SKIP LOCKED) due
      WHERE n.id = due.id
      RETURNING n.id, n.company_id, n.community_id, n.no, n.description, n.assignee_id,
        (SELECT d.head_id FROM departments d WHERE d.id = n.department_id) AS head_id, due.escalation_level AS from_level, n.escalation_level AS to_level`.execute(trx);
    if (!moved.rows.length) return { users: [] as string[], level1: 0, level2: 0 };
    const managers = new Map<string, string[]>();
    const managersOf = async (companyId: string, communityId: string) => {
      if (!managers.has(communityId)) managers.set(communityId, (await staffHolding(trx, companyId, 'quality.manage', communityId)).map((u) => u.id));
      return managers.get(communityId)!;
    };
    const notes: Array<{ company_id: string; user_id: string; ticket_id: null; kind: string; title: string; body: string }> = [];
    const told = new Map<string, number>();
    for (const n of moved.rows) {
      // A notice that skipped level 1 (the job was down) still tells its department head.
      const users = new Set<string>();
      if (n.from_level < 1) [n.head_id, n.assignee_id].forEach((u) => u && users.add(u));
      if (n.to_level === 2) (await managersOf(n.company_id, n.community_id)).forEach((u) => users.add(u));
      told.set(n.id, users.size);
      for (const user_id of users) notes.push({ company_id: n.company_id, user_id, ticket_id: null, kind: `quality.overdue${n.to_level}`, title: `${n.no} ${n.description}`.slice(0, 200), body: '' });
    }
    if (notes.length) await trx.insertInto('notifications').values(notes).execute();
    await trx
      .insertInto('quality_notice_events')
      .values(moved.rows.map((n) => ({ company_id: n.company_id, notice_id: n.id, at: now, action: 'escalate', note: null, payload: JSON.stringify({ level: n.to_level, told: told.get(n.id) ?? 0 }) })))
      .execute();
    return { users: [...new Set(notes.map((x) => x.user_id))], level1: moved.rows.filter((n) => n.to_level === 1).length, level2: moved.rows.filter((n) => n.to_level === 2).length };
  });
  wake(result.users);
  return { level1: result.level1, level2: result.level2 };
}

async function communityOf(db: Db, id: string) {
  return db.selectFrom('communities').select(['id', 'name', 'time_zone', 'company_id']).where('id', '=', id).executeTakeFirstOrThrow();
}

export const qualityJobs: JobDefinition[] = [
  {
    name: 'quality-plan-inspections',
    period: 'day',
    scope: 'community',
    // The period key is the community's local date: today's scheduled inspections, once.
    run: async (deps, job) => ({ planned: await planInspections(deps.db, job.communityId!, job.periodKey) }),
  },
  {
    name: 'quality-escalate',
    period: 'minute',
    scope: 'global',
    run: (deps, job) => escalateNotices(deps.db, job.now),
  },
  {
    name: 'quality-weekly-report',
    period: 'day',
    scope: 'community',
    // On Monday (community time) the week just ended is compiled and stored.
    run: async (deps, job) => {
      const c = await communityOf(deps.db, job.communityId!);
      const today = localDate(job.now, c.time_zone);
      if (isoWeekday(today) !== 1) return { compiled: false };
      await storeWeeklyReport(deps.db, c.company_id, c, addDays(today, -7), job.now, null);
      return { compiled: true };
    },
  },
];
