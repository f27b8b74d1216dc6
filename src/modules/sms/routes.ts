import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pageOf } from '../../core/pagination.ts';
import { ctxOf } from '../../core/http.ts';
import { outboxMessage, outboxQuery } from './schema.ts';
import { listOutbox } from './service.ts';

export const smsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/sms/outbox',
    { schema: { tags: ['sms'], summary: 'SMS outbox (newest first)', querystring: outboxQuery, response: { 200: pageOf(outboxMessage) } } },
    async (req) => listOutbox(app.deps, ctxOf(req), req.query),
  );
};
