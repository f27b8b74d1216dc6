import type { JobDefinition } from '../jobs/scheduler.ts';
import { sendCertificateAlerts } from './alerts.ts';

/** The scheduler's jobs of this module (registered in app.ts). */
export const rostersJobs: JobDefinition[] = [
  // Certificates belong to people, not communities: one company-wide run a day (China time).
  { name: 'rosters.certificateAlerts', period: 'day', scope: 'global', run: (deps, job) => sendCertificateAlerts(deps, job.now) },
];
