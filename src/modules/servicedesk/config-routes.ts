import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** Service-desk configuration: categories, time-limit policies, groups, dispatch rules, settings, calendar, saved views. */
export const serviceDeskConfigRoutes: FastifyPluginAsyncZod = async () => {};
