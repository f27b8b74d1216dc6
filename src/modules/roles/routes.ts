import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../core/http.ts';
import { pageOf } from '../../core/pagination.ts';
import { idParams } from '../../core/validation.ts';
import { createRoleBody, permissionInfo, role, roleQuery, updateRoleBody } from './schema.ts';
import * as roles from './service.ts';

export const roleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/permissions', { schema: { tags: ['roles'], summary: 'Every permission a role can hold', response: { 200: z.object({ items: z.array(permissionInfo) }) } } }, async (req) => {
    ctxOf(req);
    return { items: roles.listPermissions() };
  });
  app.get('/api/roles', { schema: { tags: ['roles'], summary: 'Roles of my company', querystring: roleQuery, response: { 200: pageOf(role) } } }, async (req) =>
    roles.listRoles(app.deps, ctxOf(req), req.query),
  );
  app.get('/api/roles/:id', { schema: { tags: ['roles'], params: idParams, response: { 200: role } } }, async (req) => roles.getRole(app.deps, ctxOf(req), req.params.id));
  app.post('/api/roles', { schema: { tags: ['roles'], summary: 'Create a custom role', body: createRoleBody, response: { 201: role } } }, async (req, reply) =>
    reply.status(201).send(await roles.createRole(app.deps, ctxOf(req), req.body)),
  );
  app.patch('/api/roles/:id', { schema: { tags: ['roles'], summary: 'Rename a role or change its permissions', params: idParams, body: updateRoleBody, response: { 200: role } } }, async (req) =>
    roles.updateRole(app.deps, ctxOf(req), req.params.id, req.body),
  );
  app.delete('/api/roles/:id', { schema: { tags: ['roles'], summary: 'Delete an unused custom role', params: idParams, response: { 204: z.null() } } }, async (req, reply) => {
    await roles.deleteRole(app.deps, ctxOf(req), req.params.id);
    return reply.status(204).send(null);
  });
};
