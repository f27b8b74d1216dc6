import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ctxOf } from '../../core/http.ts';
import { pageOf } from '../../core/pagination.ts';
import { idParams } from '../../core/validation.ts';
import { createdStaff, createStaffBody, resetResult, staffMember, staffQuery, updateStaffBody } from './schema.ts';
import * as staff from './service.ts';

export const staffRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/staff', { schema: { tags: ['staff'], summary: 'Staff accounts of my company', querystring: staffQuery, response: { 200: pageOf(staffMember) } } }, async (req) =>
    staff.listStaff(app.deps, ctxOf(req), req.query),
  );
  app.get('/api/staff/:id', { schema: { tags: ['staff'], params: idParams, response: { 200: staffMember } } }, async (req) => staff.getStaff(app.deps, ctxOf(req), req.params.id));
  app.post('/api/staff', { schema: { tags: ['staff'], summary: 'Create a staff account', body: createStaffBody, response: { 201: createdStaff } } }, async (req, reply) =>
    reply.status(201).send(await staff.createStaff(app.deps, ctxOf(req), req.body)),
  );
  app.patch(
    '/api/staff/:id',
    { schema: { tags: ['staff'], summary: 'Change name, phone, status (disable), roles or communities', params: idParams, body: updateStaffBody, response: { 200: staffMember } } },
    async (req) => staff.updateStaff(app.deps, ctxOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/staff/:id/reset-password',
    { schema: { tags: ['staff'], summary: 'Set a temporary password (shown once) and end the account’s sessions', params: idParams, response: { 200: resetResult } } },
    async (req) => staff.resetStaffPassword(app.deps, ctxOf(req), req.params.id),
  );
};
