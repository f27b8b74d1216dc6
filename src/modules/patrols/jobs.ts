import type { JobDefinition } from '../jobs/scheduler.ts';

/** The scheduler's jobs of this module (registered in app.ts). */
export const patrolsJobs: JobDefinition[] = [];
