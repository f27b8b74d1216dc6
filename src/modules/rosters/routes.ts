import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ctxOf } from '../../core/http.ts';
import { pageOf } from '../../core/pagination.ts';
import { idParams } from '../../core/validation.ts';
import { sendReport } from '../servicedesk/reports.ts';
import * as s from './schema.ts';
import * as structure from './structure.ts';
import * as roster from './roster.ts';
import * as certs from './certificates.ts';

const tags = ['rosters'];
const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export const rostersRoutes: FastifyPluginAsyncZod = async (app) => {
  const d = app.deps;

  // ── Departments ──
  app.get('/api/departments', { schema: { tags, summary: 'Departments of the company (秩序部, 保洁部, 工程部…) with their heads', response: { 200: items(s.department) } } }, async (req) => structure.listDepartments(d, ctxOf(req)));
  app.post('/api/departments', { schema: { tags, summary: 'Create a department', body: s.createDepartmentBody, response: { 201: s.department } } }, async (req, reply) =>
    reply.status(201).send(await structure.createDepartment(d, ctxOf(req), req.body)),
  );
  app.patch('/api/departments/:id', { schema: { tags, summary: 'Rename a department or change its head', params: idParams, body: s.updateDepartmentBody, response: { 200: s.department } } }, async (req) =>
    structure.updateDepartment(d, ctxOf(req), req.params.id, req.body),
  );
  app.delete('/api/departments/:id', { schema: { tags, summary: 'Remove a department that has no posts', params: idParams, response: { 204: z.null() } } }, async (req, reply) => {
    await structure.deleteDepartment(d, ctxOf(req), req.params.id);
    return reply.status(204).send(null);
  });

  // ── Posts ──
  app.get('/api/posts', { schema: { tags, summary: 'Posts (岗位) of a community with members and required certificates', querystring: s.postQuery, response: { 200: items(s.post) } } }, async (req) =>
    structure.listPosts(d, ctxOf(req), req.query),
  );
  app.post('/api/posts', { schema: { tags, summary: 'Create a post', body: s.createPostBody, response: { 201: s.post } } }, async (req, reply) => reply.status(201).send(await structure.createPost(d, ctxOf(req), req.body)));
  app.patch('/api/posts/:id', { schema: { tags, summary: 'Change a post, its members, or deactivate it (active: false)', params: idParams, body: s.updatePostBody, response: { 200: s.post } } }, async (req) =>
    structure.updatePost(d, ctxOf(req), req.params.id, req.body),
  );

  // ── Shifts ──
  app.get('/api/shifts', { schema: { tags, summary: 'Shift definitions of a community (早班, 中班, 夜班…)', querystring: s.shiftQuery, response: { 200: items(s.shift) } } }, async (req) =>
    structure.listShifts(d, ctxOf(req), req.query),
  );
  app.post('/api/shifts', { schema: { tags, summary: 'Create a shift; an end not after the start runs past midnight', body: s.createShiftBody, response: { 201: s.shift } } }, async (req, reply) =>
    reply.status(201).send(await structure.createShift(d, ctxOf(req), req.body)),
  );
  app.patch('/api/shifts/:id', { schema: { tags, summary: 'Change a shift or deactivate it (active: false)', params: idParams, body: s.updateShiftBody, response: { 200: s.shift } } }, async (req) =>
    structure.updateShift(d, ctxOf(req), req.params.id, req.body),
  );

  // ── Roster weeks ──
  app.get('/api/roster-weeks', { schema: { tags, summary: 'A community’s roster week (Monday date) with shifts, posts, staff, entries and the 24-hour coverage check', querystring: s.weekQuery, response: { 200: s.rosterWeek } } }, async (req) =>
    roster.getWeek(d, ctxOf(req), req.query),
  );
  app.put(
    '/api/roster-weeks',
    { schema: { tags, summary: 'Replace the week’s entries of the community at once; the answer carries the coverage check (gaps are flagged, not refused)', querystring: s.weekQuery, body: s.putWeekBody, response: { 200: s.rosterWeek } } },
    async (req) => roster.putWeek(d, ctxOf(req), req.query, req.body),
  );
  app.post('/api/roster-weeks/copy', { schema: { tags, summary: 'Copy a week to the next one (overwrite: true to replace a week that has entries)', body: s.copyWeekBody, response: { 200: s.rosterWeek.extend({ copied: z.number().int(), skipped: z.number().int() }) } } }, async (req) =>
    roster.copyWeek(d, ctxOf(req), req.body),
  );
  app.get('/api/roster-staff', { schema: { tags, summary: 'Active staff working in a community, with their roles: the people posts, rosters, certificates and training pick from', querystring: s.staffQuery, response: { 200: items(s.rosterPerson) } } }, async (req) =>
    roster.listRosterStaff(d, ctxOf(req), req.query),
  );
  app.get('/api/my-roster', { schema: { tags, summary: 'My shifts this week and next, and my certificates', response: { 200: s.myRoster } } }, async (req) => roster.myRoster(d, ctxOf(req)));

  // ── Certificates ──
  app.get('/api/certificate-kinds', { schema: { tags, summary: 'The certificate kinds (保安员证, 电工证, 电梯作业证…)', response: { 200: items(z.object({ code: z.string(), zh: z.string(), en: z.string() })) } } }, async () => certs.certificateKinds());
  app.get('/api/certificates', { schema: { tags, summary: 'Staff certificates with expiry status', querystring: s.certificateQuery, response: { 200: pageOf(s.certificate) } } }, async (req) => certs.listCertificates(d, ctxOf(req), req.query));
  app.post('/api/certificates', { schema: { tags, summary: 'Record a certificate', body: s.createCertificateBody, response: { 201: s.certificate } } }, async (req, reply) =>
    reply.status(201).send(await certs.createCertificate(d, ctxOf(req), req.body)),
  );
  app.patch('/api/certificates/:id', { schema: { tags, summary: 'Correct or renew a certificate (a new expiry date restarts its alerts)', params: idParams, body: s.updateCertificateBody, response: { 200: s.certificate } } }, async (req) =>
    certs.updateCertificate(d, ctxOf(req), req.params.id, req.body),
  );
  app.post('/api/certificates/:id/revoke', { schema: { tags, summary: 'Revoke a certificate (kept for the record, no longer counts)', params: idParams, response: { 200: s.certificate } } }, async (req) =>
    certs.revokeCertificate(d, ctxOf(req), req.params.id),
  );
  app.get('/api/certificate-compliance', { schema: { tags, summary: '持证上岗: post members without a valid required certificate on a date', querystring: s.complianceQuery, response: { 200: s.compliance } } }, async (req) =>
    certs.certificateCompliance(d, ctxOf(req), req.query),
  );

  // ── Training ──
  app.get('/api/training-records', { schema: { tags, summary: 'Training records', querystring: s.trainingQuery, response: { 200: pageOf(s.training) } } }, async (req) => certs.listTraining(d, ctxOf(req), req.query));
  app.post('/api/training-records', { schema: { tags, summary: 'Record a training session for one or more people (one record each)', body: s.createTrainingBody, response: { 201: items(s.training) } } }, async (req, reply) =>
    reply.status(201).send(await certs.createTraining(d, ctxOf(req), req.body)),
  );
  app.delete('/api/training-records/:id', { schema: { tags, summary: 'Remove a training record (audited)', params: idParams, response: { 204: z.null() } } }, async (req, reply) => {
    await certs.deleteTraining(d, ctxOf(req), req.params.id);
    return reply.status(204).send(null);
  });
  app.get('/api/training-summary', { schema: { tags, summary: 'Training hours per person in a year', querystring: s.trainingSummaryQuery, response: { 200: s.trainingSummary } } }, async (req) =>
    certs.trainingSummaryOf(d, ctxOf(req), req.query),
  );
  app.get('/api/training-summary.xlsx', { schema: { tags, summary: 'The year’s training hours and records as .xlsx', querystring: s.trainingSummaryQuery, response: { 200: z.any() } } }, async (req, reply) =>
    sendReport(reply, await certs.trainingXlsx(d, ctxOf(req), req.query)),
  );
};
