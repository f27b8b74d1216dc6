import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../core/http.ts';
import { pageOf, pageQuery } from '../../core/pagination.ts';
import { listJobRuns } from './service.ts';

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
    async (req) => listJobRuns(app.deps, ctxOf(req), req.query),
  );
};
