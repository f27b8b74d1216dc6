import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { type Client, createCompany, createStaffUser, login, type TestCompany, unique } from '../helpers/factories.ts';
import { anonymous, createRoleUser, expectFieldError, sessionAs } from '../helpers/api.ts';

let t: TestApp;
let a: TestCompany;
let b: TestCompany;
let adminA: Client;
let adminB: Client;
const job = unique('test-job-');
const other = unique('other-job-');

type Run = { id: number; job: string; scope: string; periodKey: string; status: string; error: string | null; finishedAt: string | null };

async function run(company: TestCompany | null, name: string, periodKey: string, extra: { status?: 'running' | 'succeeded' | 'failed'; error?: string } = {}) {
  return t.db
    .insertInto('job_runs')
    .values({ job: name, scope: company ? company.communityIds[0] : 'global', period_key: periodKey, company_id: company?.companyId ?? null, instance_id: 'test', status: extra.status ?? 'succeeded', error: extra.error ?? null, finished_at: extra.status === 'running' ? null : new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([createCompany(t.db), createCompany(t.db)]);
  adminA = await login(t.app, a.admin.username);
  adminB = await login(t.app, b.admin.username);
  await run(a, job, '2026-11-20');
  await run(a, job, '2026-11-21', { status: 'failed', error: 'Error: boom' });
  await run(a, other, '2026-11-21T09', { status: 'running' });
  await run(b, job, '2026-11-21');
  await run(null, job, '2026-11-21T10');
});

describe('GET /api/jobs/runs', () => {
  it('needs a session and job.read', async () => {
    const res = await anonymous(t.app, 'GET', '/api/jobs/runs');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
    // A project manager holds most permissions, but not this one.
    const manager = await sessionAs(t.app, t.db, (await createStaffUser(t.db, a, { role: 'manager' })).id);
    const denied = await manager.get('/api/jobs/runs');
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.details.permission).toBe('job.read');
  });

  it("lists my company's runs newest first, never another company's or global ones", async () => {
    const res = await adminA.get('/api/jobs/runs?pageSize=200');
    expect(res.statusCode).toBe(200);
    const runs = res.json().items as Run[];
    expect(res.json().total).toBe(3);
    expect(runs.map((r) => [r.job, r.periodKey, r.status])).toEqual([
      [other, '2026-11-21T09', 'running'],
      [job, '2026-11-21', 'failed'],
      [job, '2026-11-20', 'succeeded'],
    ]);
    expect(runs[1]).toMatchObject({ scope: a.communityIds[0], error: 'Error: boom' });
    expect(runs[0].finishedAt).toBeNull();
    const forB = (await adminB.get('/api/jobs/runs?pageSize=200')).json().items as Run[];
    expect(forB.map((r) => r.periodKey)).toEqual(['2026-11-21']);
    expect(forB[0].scope).toBe(b.communityIds[0]);
  });

  it('filters by job name and pages', async () => {
    const res = await adminA.get(`/api/jobs/runs?job=${job}`);
    expect((res.json().items as Run[]).map((r) => r.periodKey)).toEqual(['2026-11-21', '2026-11-20']);
    const p2 = await adminA.get(`/api/jobs/runs?job=${job}&pageSize=1&page=2`);
    expect((p2.json().items as Run[]).map((r) => r.periodKey)).toEqual(['2026-11-20']);
    expect(p2.json().total).toBe(2);
  });

  it('works for a custom role holding only job.read, and answers 400 naming the field', async () => {
    const reader = await sessionAs(t.app, t.db, (await createRoleUser(t.db, a, ['job.read'])).id);
    expect((await reader.get('/api/jobs/runs')).json().total).toBe(3);
    expectFieldError(await adminA.get('/api/jobs/runs?pageSize=201'), 'pageSize');
    expectFieldError(await adminA.get(`/api/jobs/runs?job=${'j'.repeat(61)}`), 'job');
  });
});
