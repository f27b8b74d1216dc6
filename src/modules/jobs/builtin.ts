import type { JobDefinition } from './scheduler.ts';

/** Housekeeping: old sessions, login attempts and one-time codes are deleted once a day. */
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
    return { sessions: Number(sessions.numDeletedRows), attempts: Number(attempts.numDeletedRows), otps: Number(otps.numDeletedRows) };
  },
};

export const builtinJobs: JobDefinition[] = [cleanupJob];
