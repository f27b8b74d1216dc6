import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const equipmentRoutes: FastifyPluginAsyncZod = async () => {};
