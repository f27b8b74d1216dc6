import type { JobDefinition } from './scheduler.ts';

/**
 * Housekeeping once a day: old sessions, login attempts and one-time codes, and the records of finished job runs
 * older than 30 days (minute jobs such as the SLA sweep leave 1,440 a day). A past period is never claimed again,
 * so its record is no longer needed to keep a job to once per period.
 */
export const cleanupJob: JobDefinition = {
  name: 'auth-cleanup',
  period: 'day',
  scope: 'global',
  async run(deps) {
    const dayAgo = new Date(Date.now() - 24 * 3600_000);
    const monthAgo = new Date(Date.now() - 30 * 24 * 3600_000);
    const sessions = await deps.db.deleteFrom('sessions').where((eb) => eb.or([eb('expires_at', '<', monthAgo), eb('revoked_at', '<', monthAgo)])).executeTakeFirst();
    const attempts = await deps.db.deleteFrom('login_attempts').where('at', '<', dayAgo).executeTakeFirst();
    const otps = await deps.db.deleteFrom('otp_challenges').where('created_at', '<', dayAgo).executeTakeFirst();
    const runs = await deps.db.deleteFrom('job_runs').where('status', '<>', 'running').where('started_at', '<', monthAgo).executeTakeFirst();
    return { sessions: Number(sessions.numDeletedRows), attempts: Number(attempts.numDeletedRows), otps: Number(otps.numDeletedRows), jobRuns: Number(runs.numDeletedRows) };
  },
};

export const builtinJobs: JobDefinition[] = [cleanupJob];
