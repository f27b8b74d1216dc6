import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ctxOf } from '../../core/http.ts';
import { pageOf } from '../../core/pagination.ts';
import { idParams } from '../../core/validation.ts';
import { company, companyQuery, createCompanyBody, createdCompany, updateCompanyBody } from './schema.ts';
import * as platform from './service.ts';

/** The platform operator's API: property companies (tenants). */
export const platformRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/platform/companies', { schema: { tags: ['platform'], summary: 'Property companies', querystring: companyQuery, response: { 200: pageOf(company) } } }, async (req) =>
    platform.listCompanies(app.deps, ctxOf(req), req.query),
  );
  app.get('/api/platform/companies/:id', { schema: { tags: ['platform'], params: idParams, response: { 200: company } } }, async (req) => platform.getCompany(app.deps, ctxOf(req), req.params.id));
  app.post(
    '/api/platform/companies',
    { schema: { tags: ['platform'], summary: 'Create a company with built-in roles and its first administrator', body: createCompanyBody, response: { 201: createdCompany } } },
    async (req, reply) => reply.status(201).send(await platform.createCompany(app.deps, ctxOf(req), req.body)),
  );
  app.patch(
    '/api/platform/companies/:id',
    { schema: { tags: ['platform'], summary: 'Rename, suspend or reactivate a company', params: idParams, body: updateCompanyBody, response: { 200: company } } },
    async (req) => platform.updateCompany(app.deps, ctxOf(req), req.params.id, req.body),
  );
};
