import type { JobDefinition } from '../jobs/scheduler.ts';
import { localDate } from '../servicedesk/deadlines.ts';
import { nextDay } from '../rosters/onshift.ts';
import { generatePatrolTasks } from './generate.ts';
import { sweepMissedPoints } from './progress.ts';

/**
 * Generation runs per community every hour for today and tomorrow (tomorrow so a night shift crossing midnight
 * exists in time; hourly so a plan created during the day gets its later rounds without waiting for midnight).
 * The scheduler's claim makes each run once across processes, and the tasks' unique key makes every run idempotent.
 */
export const generateJob: JobDefinition = {
  name: 'patrols.generate',
  period: 'hour',
  scope: 'community',
  async run(deps, job) {
    const tz = (await deps.db.selectFrom('communities').select('time_zone').where('id', '=', job.communityId!).executeTakeFirstOrThrow()).time_zone;
    const today = localDate(job.now, tz);
    const a = await generatePatrolTasks(deps.db, { day: today, communityIds: [job.communityId!], now: job.now });
    const b = await generatePatrolTasks(deps.db, { day: nextDay(today), communityIds: [job.communityId!], now: job.now });
    return { created: a.created + b.created };
  },
};

/** Every minute: windows that ended without a check-in → missed points, settled tasks, supervisors told once. */
export const sweepJob: JobDefinition = {
  name: 'patrols.sweep',
  period: 'minute',
  scope: 'global',
  run: (deps, job) => sweepMissedPoints(deps.db, job.now),
};

/** The scheduler's jobs of this module (registered in app.ts). */
export const patrolsJobs: JobDefinition[] = [generateJob, sweepJob];
