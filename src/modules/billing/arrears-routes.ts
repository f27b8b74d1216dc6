import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const arrearsRoutes: FastifyPluginAsyncZod = async (_app) => {};
