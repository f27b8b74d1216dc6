import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { ctxOf } from '../../core/http.ts';
import { pageOf } from '../../core/pagination.ts';
import { idParams } from '../../core/validation.ts';
import * as s from './schema.ts';
import * as setup from './setup.ts';
import * as tasks from './tasks.ts';
import * as checkin from './checkin.ts';
import * as labels from './labels.ts';

const tags = ['patrols'];
const originOf = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

export const patrolsRoutes: FastifyPluginAsyncZod = async (app) => {
  const d = app.deps;

  // ── Setup: checkpoints, routes, plans ──
  app.get('/api/patrol/setup-options', { schema: { tags, summary: 'Shifts, posts, possible supervisors and buildings of a community, for the setup forms', querystring: s.communityQuery, response: { 200: s.setupOptions } } }, async (req) =>
    setup.setupOptions(d, ctxOf(req), req.query),
  );
  app.get('/api/patrol/checkpoints', { schema: { tags, summary: 'Checkpoints of a community with their checklists', querystring: s.checkpointQuery, response: { 200: z.array(s.checkpoint) } } }, async (req) =>
    setup.listCheckpoints(d, ctxOf(req), req.query),
  );
  app.post('/api/patrol/checkpoints', { schema: { tags, summary: 'Create a checkpoint (numbered per community) with its checklist', body: s.checkpointBody, response: { 201: s.checkpoint } } }, async (req, reply) =>
    reply.status(201).send(await setup.createCheckpoint(d, ctxOf(req), req.body)),
  );
  app.get('/api/patrol/checkpoints/:id', { schema: { tags, summary: 'One checkpoint with its checklist', params: idParams, response: { 200: s.checkpoint } } }, async (req) => setup.getCheckpoint(d, ctxOf(req), req.params.id));
  app.patch('/api/patrol/checkpoints/:id', { schema: { tags, summary: 'Change a checkpoint, retire it (active false) or replace its checklist', params: idParams, body: s.checkpointPatch, response: { 200: s.checkpoint } } }, async (req) =>
    setup.updateCheckpoint(d, ctxOf(req), req.params.id, req.body),
  );
  app.get('/api/patrol/checkpoints/:id/code', { schema: { tags, summary: 'The signed code of a checkpoint and the URL its QR label carries', params: idParams, response: { 200: s.checkpointCode } } }, async (req) =>
    labels.codeOf(d, ctxOf(req), req.params.id, originOf(req)),
  );
  app.get('/api/patrol/checkpoints/:id/label', { schema: { tags, summary: 'One QR label: PNG (the code alone) or SVG (code, number, name, community)', params: idParams, querystring: s.labelQuery } }, async (req, reply) => {
    const img = await labels.labelImage(d, ctxOf(req), req.params.id, req.query.format, originOf(req));
    return reply.type(img.type).header('cache-control', 'private, max-age=300').send(img.body);
  });
  app.get('/api/patrol/labels.pdf', { schema: { tags, summary: 'A PDF sheet of QR labels (3 × 4 per A4 page) for the community’s checkpoints in use, or the listed ids', querystring: s.labelsQuery } }, async (req, reply) => {
    const { pdf, name } = await labels.labelSheet(d, ctxOf(req), req.query, originOf(req));
    return reply.type('application/pdf').header('content-disposition', `inline; filename="labels.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`).send(pdf);
  });

  app.get('/api/patrol/routes', { schema: { tags, summary: 'Routes of a community with their ordered checkpoints', querystring: s.communityQuery, response: { 200: z.array(s.route) } } }, async (req) => setup.listRoutes(d, ctxOf(req), req.query));
  app.post('/api/patrol/routes', { schema: { tags, summary: 'Create a route: checkpoints in walking order', body: s.routeBody, response: { 201: s.route } } }, async (req, reply) => reply.status(201).send(await setup.createRoute(d, ctxOf(req), req.body)));
  app.patch('/api/patrol/routes/:id', { schema: { tags, summary: 'Rename, reorder or retire a route', params: idParams, body: s.routePatch, response: { 200: s.route } } }, async (req) => setup.updateRoute(d, ctxOf(req), req.params.id, req.body));

  app.get('/api/patrol/plans', { schema: { tags, summary: 'Plans of a community with their round windows', querystring: s.communityQuery, response: { 200: z.array(s.plan) } } }, async (req) => setup.listPlans(d, ctxOf(req), req.query));
  app.post('/api/patrol/plans/preview', { schema: { tags, summary: 'The round windows a plan would have (overlapping or out-of-shift windows → 400)', body: s.planBody, response: { 200: s.planPreview } } }, async (req) =>
    setup.previewPlan(d, ctxOf(req), req.body),
  );
  app.post('/api/patrol/plans', { schema: { tags, summary: 'Create a plan: route × shift × frequency, optional post, people per round, supervisor', body: s.planBody, response: { 201: s.plan } } }, async (req, reply) =>
    reply.status(201).send(await setup.createPlan(d, ctxOf(req), req.body)),
  );
  app.patch('/api/patrol/plans/:id', { schema: { tags, summary: 'Change or pause a plan (tasks already generated keep theirs)', params: idParams, body: s.planPatch, response: { 200: s.plan } } }, async (req) =>
    setup.updatePlan(d, ctxOf(req), req.params.id, req.body),
  );

  // ── Tasks, check-ins, figures ──
  app.get('/api/patrol/tasks', { schema: { tags, summary: 'Tasks of a community and date (default today) with points and status', querystring: s.taskQuery, response: { 200: z.array(s.task) } } }, async (req) => tasks.listTasks(d, ctxOf(req), req.query));
  app.post('/api/patrol/tasks/generate', { schema: { tags, summary: 'Generate a date’s tasks of a community now (existing rounds are kept; exactly once)', body: s.generateBody, response: { 200: s.generateResult } } }, async (req) =>
    tasks.generateNow(d, ctxOf(req), req.body),
  );
  app.get('/api/patrol/my-tasks', { schema: { tags, summary: 'My patrol tasks from 12 h ago to 18 h ahead, with the checklists of their points (kept on the phone for offline use)', response: { 200: s.myTasks } } }, async (req) =>
    checkin.myTasks(d, ctxOf(req)),
  );
  app.get('/api/patrol/scan/:code', { schema: { tags, summary: 'What a scanned label opens: the checkpoint, its checklist and my open point there now', params: s.codeParams, response: { 200: s.scanResult } } }, async (req) =>
    checkin.scanCheckpoint(d, ctxOf(req), req.params.code),
  );
  app.post('/api/patrol/checkins', { schema: { tags, summary: 'Check in at a checkpoint, judged by the scan time; a replay (same clientId) returns the first result with 200', body: s.checkinBody, response: { 200: s.checkin, 201: s.checkin } } }, async (req, reply) => {
    const { checkin: result, replayed } = await checkin.createCheckin(d, ctxOf(req), req.body);
    return reply.status(replayed ? 200 : 201).send(result);
  });
  app.get('/api/patrol/checkins', { schema: { tags, summary: 'Check-in records of a community, newest scan first, with photos and tickets', querystring: s.checkinQuery, response: { 200: pageOf(s.checkin) } } }, async (req) =>
    tasks.listCheckins(d, ctxOf(req), req.query),
  );
  app.get('/api/patrol/figures', { schema: { tags, summary: 'Completion and missed points per day, route, shift and person over a date range', querystring: s.figuresQuery, response: { 200: s.figures } } }, async (req) =>
    tasks.patrolFigures(d, ctxOf(req), req.query),
  );
};
