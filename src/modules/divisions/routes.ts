import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../core/http.ts';
import { divisionTree } from './service.ts';

const division = z.object({
  code: z.string(),
  name: z.string(),
  get children() {
    return z.array(division).optional();
  },
});

export const divisionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/divisions',
    { schema: { tags: ['estate'], summary: 'Administrative divisions of China (province → city → district, GB/T 2260)', response: { 200: z.object({ items: z.array(division) }) } } },
    async (req, reply) => {
      ctxOf(req);
      reply.header('cache-control', 'private, max-age=86400');
      return { items: divisionTree() };
    },
  );
};
