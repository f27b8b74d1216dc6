import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const cleaningRoutes: FastifyPluginAsyncZod = async () => {};
