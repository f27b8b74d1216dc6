import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ctxOf } from '../../core/http.ts';
import { pageOf } from '../../core/pagination.ts';
import { createOwnerBody, ownerAccount, ownerHome, ownerQuery } from './schema.ts';
import * as owners from './service.ts';

export const ownerRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/owner/home', { schema: { tags: ['owner'], summary: 'The logged-in owner’s home page', response: { 200: ownerHome } } }, async (req) =>
    owners.getOwnerHome(app.deps, ctxOf(req)),
  );
  app.get('/api/owners', { schema: { tags: ['owner'], summary: 'Owner accounts (phone logins) of my company', querystring: ownerQuery, response: { 200: pageOf(ownerAccount) } } }, async (req) =>
    owners.listOwners(app.deps, ctxOf(req), req.query),
  );
  app.post('/api/owners', { schema: { tags: ['owner'], summary: 'Let a phone number log in to the owner site', body: createOwnerBody, response: { 201: ownerAccount } } }, async (req, reply) =>
    reply.status(201).send(await owners.createOwnerAccount(app.deps, ctxOf(req), req.body)),
  );
};
