import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const patrolsRoutes: FastifyPluginAsyncZod = async () => {};
