import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { cleanupJob } from '../../src/modules/jobs/builtin.ts';
import { unique } from '../helpers/factories.ts';

let t: TestApp;

beforeAll(async () => {
  t = await testApp();
});

describe('daily housekeeping', () => {
  it('deletes finished job runs older than 30 days and keeps recent or running ones', async () => {
    const job = unique('sweep-');
    const day = 86_400_000;
    const rows = await t.db
      .insertInto('job_runs')
      .values([
        { job, scope: 'global', period_key: 'old-done', instance_id: 'test', status: 'succeeded', started_at: new Date(Date.now() - 40 * day), finished_at: new Date(Date.now() - 40 * day) },
        { job, scope: 'global', period_key: 'old-failed', instance_id: 'test', status: 'failed', started_at: new Date(Date.now() - 31 * day), finished_at: new Date(Date.now() - 31 * day) },
        { job, scope: 'global', period_key: 'old-running', instance_id: 'test', status: 'running', started_at: new Date(Date.now() - 40 * day) },
        { job, scope: 'global', period_key: 'recent', instance_id: 'test', status: 'succeeded', started_at: new Date(Date.now() - 29 * day), finished_at: new Date(Date.now() - 29 * day) },
      ])
      .returning('period_key')
      .execute();
    expect(rows).toHaveLength(4);
    const result = (await cleanupJob.run(t.app.deps, { periodKey: 'x', now: new Date(), communityId: null, companyId: null })) as { jobRuns: number };
    expect(result.jobRuns).toBeGreaterThanOrEqual(2);
    const left = await t.db.selectFrom('job_runs').select('period_key').where('job', '=', job).orderBy('period_key').execute();
    expect(left.map((r) => r.period_key)).toEqual(['old-running', 'recent']);
  });
});
