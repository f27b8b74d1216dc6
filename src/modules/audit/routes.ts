import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ctxOf } from '../../core/http.ts';
import { pageOf } from '../../core/pagination.ts';
import { auditEntry, auditQuery } from './schema.ts';
import { listAudit } from './service.ts';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/audit',
    { schema: { tags: ['audit'], summary: 'Audit trail filtered by entity, actor, action prefix and time', querystring: auditQuery, response: { 200: pageOf(auditEntry) } } },
    async (req) => listAudit(app.deps, ctxOf(req), req.query),
  );
};
