import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import type { Database } from '../../src/db/index.ts';
import type { JobDefinition } from '../../src/modules/jobs/scheduler.ts';
import { openTestDatabase, testConfig } from '../helpers/app.ts';
import { createCompany, unique } from '../helpers/factories.ts';

/**
 * Two app instances on one database (two connection pools on a PostgreSQL server; on PGlite, one embedded
 * database shared in-process) tick at the same moments. Every job must run exactly once per period and scope.
 */
describe('scheduler: exactly once per period across instances', () => {
  let database: Database;
  let database2: Database | null = null;
  const apps: FastifyInstance[] = [];
  const calls: Array<{ instance: string; job: string; scope: string | null; periodKey: string }> = [];
  const jobName = unique('job-');
  const globalName = unique('global-');

  beforeAll(async () => {
    database = await openTestDatabase();
    // A server gives each instance its own pool, as two processes would have.
    if (process.env.DATABASE_URL) database2 = await openTestDatabase();
    const jobsFor = (instance: string): JobDefinition[] => [
      {
        name: jobName,
        period: 'day',
        scope: 'community',
        async run(_deps, job) {
          calls.push({ instance, job: jobName, scope: job.communityId, periodKey: job.periodKey });
          await new Promise((r) => setTimeout(r, 5));
          return { ok: true };
        },
      },
      {
        name: globalName,
        period: 'hour',
        scope: 'global',
        async run(_deps, job) {
          calls.push({ instance, job: globalName, scope: null, periodKey: job.periodKey });
          if (instance === 'never') throw new Error('unreachable');
          return null;
        },
      },
    ];
    for (const [i, db] of [database, database2 ?? database].entries()) {
      const app = await buildApp({ config: testConfig({ instanceId: `instance-${i}` }), database: db, logger: false, jobs: jobsFor(`instance-${i}`) });
      await app.ready();
      apps.push(app);
    }
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await database2?.close();
    await database.close();
  });

  it('runs each community job once per day and the global job once per hour, whoever ticks', async () => {
    const a = await createCompany(database.db, { communities: 3 });
    const now = new Date('2026-10-01T01:00:00Z');
    await Promise.all([apps[0].scheduler.tick(now), apps[1].scheduler.tick(now), apps[0].scheduler.tick(now), apps[1].scheduler.tick(now)]);
    const mine = calls.filter((c) => c.job === jobName && a.communityIds.includes(c.scope!));
    expect(mine.map((c) => c.scope).sort()).toEqual([...a.communityIds].sort());
    expect(new Set(mine.map((c) => c.periodKey))).toEqual(new Set(['2026-10-01']));
    expect(calls.filter((c) => c.job === globalName)).toHaveLength(1);

    // Later the same day (Shanghai time): nothing new for the daily job; the next hour runs the global job again.
    await Promise.all([apps[0].scheduler.tick(new Date('2026-10-01T02:30:00Z')), apps[1].scheduler.tick(new Date('2026-10-01T02:30:00Z'))]);
    expect(calls.filter((c) => c.job === jobName && a.communityIds.includes(c.scope!))).toHaveLength(3);
    expect(calls.filter((c) => c.job === globalName)).toHaveLength(2);

    // 16:00 UTC is the next day in Asia/Shanghai: one more run per community.
    await Promise.all([apps[0].scheduler.tick(new Date('2026-10-01T16:00:00Z')), apps[1].scheduler.tick(new Date('2026-10-01T16:00:00Z'))]);
    const day2 = calls.filter((c) => c.job === jobName && a.communityIds.includes(c.scope!) && c.periodKey === '2026-10-02');
    expect(day2).toHaveLength(3);

    const runs = await database.db.selectFrom('job_runs').select(['scope', 'period_key', 'status', 'company_id']).where('job', '=', jobName).where('company_id', '=', a.companyId).execute();
    expect(runs).toHaveLength(6);
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
  });

  it('records a failing job as failed and does not retry it within the period', async () => {
    const failing: JobDefinition = {
      name: unique('fail-'),
      period: 'day',
      scope: 'global',
      async run() {
        throw new Error('boom');
      },
    };
    const app = await buildApp({ config: testConfig(), database, logger: false, jobs: [failing] });
    const first = await app.scheduler.tick(new Date('2026-10-05T00:00:00Z'));
    const second = await app.scheduler.tick(new Date('2026-10-05T03:00:00Z'));
    expect(first).toEqual([{ job: failing.name, scope: 'global', periodKey: '2026-10-05', status: 'failed' }]);
    expect(second).toEqual([]);
    const row = await database.db.selectFrom('job_runs').select(['status', 'error']).where('job', '=', failing.name).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'failed', error: 'Error: boom' });
    await app.close();
  });
});
