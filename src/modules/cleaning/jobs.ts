import type { JobDefinition } from '../jobs/scheduler.ts';
import { generateCleaningTasks, sweepMissedCleaning } from './generate.ts';

/**
 * The scheduler's jobs of this module (registered in app.ts). Generation runs every hour per community for its
 * business date: the first run of the day makes the day's tasks, later runs only fill in people the roster has
 * gained since (a task is never made twice — see generateCleaningTasks). The sweep marks missed tasks every minute.
 */
export const cleaningJobs: JobDefinition[] = [
  {
    name: 'cleaning.generate',
    period: 'hour',
    scope: 'community',
    run: (deps, job) => generateCleaningTasks(deps.db, { day: job.periodKey.slice(0, 10), communityIds: [job.communityId!], now: job.now }),
  },
  {
    name: 'cleaning.sweep',
    period: 'minute',
    scope: 'global',
    run: (deps, job) => sweepMissedCleaning(deps.db, job.now),
  },
];
