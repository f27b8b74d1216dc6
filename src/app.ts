import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';
import type { Database } from './db/index.ts';
import type { Deps } from './deps.ts';
import { errorHandler } from './core/error-handler.ts';
import { NotFoundError } from './core/errors.ts';
import { storageFromConfig, type FileStorage } from './core/storage/storage.ts';
import { VERSION } from './version.ts';
import { outboxProvider, type SmsProvider } from './modules/sms/provider.ts';
import { registerAuthHook } from './modules/auth/hook.ts';
import { authRoutes } from './modules/auth/routes.ts';
import { healthRoutes } from './modules/health/routes.ts';
import { platformRoutes } from './modules/platform/routes.ts';
import { communityRoutes } from './modules/communities/routes.ts';
import { staffRoutes } from './modules/staff/routes.ts';
import { roleRoutes } from './modules/roles/routes.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { smsRoutes } from './modules/sms/routes.ts';
import { fileRoutes } from './modules/files/routes.ts';
import { jobRoutes } from './modules/jobs/routes.ts';
import { ownerRoutes } from './modules/owner/routes.ts';
import { divisionRoutes } from './modules/divisions/routes.ts';
import { estateRoutes } from './modules/estate/routes.ts';
import { residentRoutes } from './modules/residents/routes.ts';
import { importRoutes } from './modules/imports/routes.ts';
import { serviceDeskRoutes } from './modules/servicedesk/routes.ts';
import { serviceDeskConfigRoutes } from './modules/servicedesk/config-routes.ts';
import { serviceDeskDashboardRoutes } from './modules/servicedesk/dashboard-routes.ts';
import { autoConfirmJob, slaSweepJob } from './modules/servicedesk/sweep.ts';
import { billingRoutes } from './modules/billing/routes.ts';
import { paymentRoutes } from './modules/billing/payment-routes.ts';
import { arrearsRoutes } from './modules/billing/arrears-routes.ts';
import { collectionRoutes } from './modules/billing/collection-routes.ts';
import { fundRoutes } from './modules/billing/fund-routes.ts';
import { reconcileRoutes } from './modules/billing/reconcile-routes.ts';
import { dailyRoutes } from './modules/billing/daily-routes.ts';
import { autoBillJob } from './modules/billing/schedule.ts';
import { rostersRoutes } from './modules/rosters/routes.ts';
import { patrolsRoutes } from './modules/patrols/routes.ts';
import { equipmentRoutes } from './modules/equipment/routes.ts';
import { qualityRoutes } from './modules/quality/routes.ts';
import { cleaningRoutes } from './modules/cleaning/routes.ts';
import { rostersJobs } from './modules/rosters/jobs.ts';
import { patrolsJobs } from './modules/patrols/jobs.ts';
import { equipmentJobs } from './modules/equipment/jobs.ts';
import { qualityJobs } from './modules/quality/jobs.ts';
import { cleaningJobs } from './modules/cleaning/jobs.ts';
import { auditBillingRejections } from './modules/billing/rejections.ts';
import { createScheduler, type JobDefinition, type Scheduler } from './modules/jobs/scheduler.ts';
import { builtinJobs } from './modules/jobs/builtin.ts';

declare module 'fastify' {
  interface FastifyInstance {
    deps: Deps;
    scheduler: Scheduler;
  }
}

export interface BuildOptions {
  config: Config;
  database: Database;
  logger?: Logger | false;
  sms?: SmsProvider;
  storage?: FileStorage;
  jobs?: JobDefinition[];
}

/** Builds the whole server: API, OpenAPI docs and the web app. Does not listen and does not start the scheduler. */
export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const log = opts.logger === false ? pino({ level: 'silent' }) : (opts.logger ?? pino({ level: opts.config.logLevel }));
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{8,64}$/.test(given) ? given : randomUUID();
    },
    trustProxy: process.env.ANJU_TRUST_PROXY === 'true',
    bodyLimit: 1024 * 1024,
    ajv: undefined,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  const deps: Deps = {
    db: opts.database.db,
    dbKind: opts.database.kind,
    config: opts.config,
    log,
    sms: opts.sms ?? outboxProvider,
    storage: opts.storage ?? storageFromConfig(opts.config),
  };
  app.decorate('deps', deps);
  app.decorate('scheduler', createScheduler(deps, opts.jobs ?? [...builtinJobs, slaSweepJob, autoConfirmJob, autoBillJob, ...rostersJobs, ...patrolsJobs, ...equipmentJobs, ...qualityJobs, ...cleaningJobs]));

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Ant Design writes its styles at run time; scripts stay 'self' only.
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: opts.config.maxUploadBytes + 1, files: 1, fields: 10 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Anju API', description: 'Anju (安居) smart property management. Cookie session + `x-csrf-token` header on writes.', version: VERSION },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'anju_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  registerAuthHook(app);
  auditBillingRejections(app);
  for (const routes of [healthRoutes, authRoutes, platformRoutes, communityRoutes, staffRoutes, roleRoutes, auditRoutes, smsRoutes, fileRoutes, jobRoutes, ownerRoutes, divisionRoutes, estateRoutes, residentRoutes, importRoutes, serviceDeskRoutes, serviceDeskConfigRoutes, serviceDeskDashboardRoutes, billingRoutes, paymentRoutes, arrearsRoutes, collectionRoutes, fundRoutes, dailyRoutes, reconcileRoutes, rostersRoutes, patrolsRoutes, equipmentRoutes, qualityRoutes, cleaningRoutes]) {
    await app.register(routes);
  }

  await registerWeb(app, opts.config.webDist);
  return app;
}

/** Serves the built web app: the staff console at `/`, the phone site at `/m/`, each with history fallback. */
async function registerWeb(app: FastifyInstance, dist: string) {
  const hasWeb = fs.existsSync(path.join(dist, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: dist, prefix: '/', wildcard: false, index: false, cacheControl: false });
  app.setNotFoundHandler(async (req, reply) => {
    const url = req.url.split('?')[0];
    if (url.startsWith('/api/') || !hasWeb || req.method !== 'GET') throw new NotFoundError('route');
    if (/^\/assets\//.test(url)) {
      const file = path.join(dist, url);
      if (file.startsWith(dist) && fs.existsSync(file)) return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(url.slice(1));
      throw new NotFoundError('file');
    }
    const page = url === '/m' || url.startsWith('/m/') ? 'm/index.html' : 'index.html';
    return reply.header('cache-control', 'no-cache').sendFile(page);
  });
}
