import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const qualityRoutes: FastifyPluginAsyncZod = async () => {};
