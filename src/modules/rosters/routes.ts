import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const rostersRoutes: FastifyPluginAsyncZod = async () => {};
