import type { JobDefinition } from '../jobs/scheduler.ts';
import { generateMaintenanceTasks } from './plans.ts';
import { sendInspectionAlerts } from './inspections.ts';

/** The scheduler's jobs of this module (registered in app.ts): once a day per community, in its own zone. */
export const equipmentJobs: JobDefinition[] = [
  {
    name: 'equipment.generateTasks',
    period: 'day',
    scope: 'community',
    run: async (deps, job) => ({ created: await generateMaintenanceTasks(deps.db, { day: job.periodKey, communityIds: [job.communityId!] }) }),
  },
  {
    name: 'equipment.inspectionAlerts',
    period: 'day',
    scope: 'community',
    run: async (deps, job) => ({ sent: await sendInspectionAlerts(deps.db, { day: job.periodKey, communityIds: [job.communityId!] }) }),
  },
];
