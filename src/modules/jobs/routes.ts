import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { companyOf, requirePermission } from '../../core/context.ts';
import { ctxOf } from '../../core/http.ts';
import { offsetOf, pageOf, pageQuery } from '../../core/pagination.ts';

const jobRun = z.object({
  id: z.number().int(),
  job: z.string(),
  scope: z.string(),
  periodKey: z.string(),
  instanceId: z.string(),
  status: z.enum(['running', 'succeeded', 'failed']),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const jobRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/jobs/runs',
    { schema: { tags: ['jobs'], summary: 'Recent scheduled-job runs for my company’s communities', querystring: pageQuery.extend({ job: z.string().max(60).optional() }), response: { 200: pageOf(jobRun) } } },
    async (req) => {
      const ctx = ctxOf(req);
      requirePermission(ctx.actor, 'job.read');
      const q = req.query;
      let base = app.deps.db.selectFrom('job_runs').where('company_id', '=', companyOf(ctx.actor));
      if (q.job) base = base.where('job', '=', q.job);
      const [rows, count] = await Promise.all([
        base.selectAll().orderBy('id', 'desc').limit(q.pageSize).offset(offsetOf(q)).execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return {
        items: rows.map((r) => ({ id: r.id, job: r.job, scope: r.scope, periodKey: r.period_key, instanceId: r.instance_id, status: r.status, error: r.error, startedAt: r.started_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null })),
        total: count.n,
        page: q.page,
        pageSize: q.pageSize,
      };
    },
  );
};
