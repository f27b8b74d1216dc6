import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ctxOf } from '../../core/http.ts';
import { pageOf } from '../../core/pagination.ts';
import { idParams } from '../../core/validation.ts';
import { community, communityQuery, createCommunityBody, updateCommunityBody } from './schema.ts';
import * as communities from './service.ts';

export const communityRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/communities', { schema: { tags: ['communities'], summary: 'Communities I may work in', querystring: communityQuery, response: { 200: pageOf(community) } } }, async (req) =>
    communities.listCommunities(app.deps, ctxOf(req), req.query),
  );
  app.get('/api/communities/:id', { schema: { tags: ['communities'], params: idParams, response: { 200: community } } }, async (req) =>
    communities.getCommunity(app.deps, ctxOf(req), req.params.id),
  );
  app.post('/api/communities', { schema: { tags: ['communities'], summary: 'Create a community', body: createCommunityBody, response: { 201: community } } }, async (req, reply) =>
    reply.status(201).send(await communities.createCommunity(app.deps, ctxOf(req), req.body)),
  );
  app.patch('/api/communities/:id', { schema: { tags: ['communities'], params: idParams, body: updateCommunityBody, response: { 200: community } } }, async (req) =>
    communities.updateCommunity(app.deps, ctxOf(req), req.params.id, req.body),
  );
};
