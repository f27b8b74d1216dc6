import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../core/http.ts';
import { pageOf } from '../../core/pagination.ts';
import { idParams } from '../../core/validation.ts';
import { companyOf, requirePermission } from '../../core/context.ts';
import * as s from './schema.ts';
import * as tickets from './tickets.ts';
import * as act from './actions.ts';
import * as approvals from './approvals.ts';
import * as visits from './returnvisits.ts';
import { listNotifications, markRead, onWake } from './notify.ts';

const tags = ['service desk'];
const detail = { 200: s.ticketDetail };

export const serviceDeskRoutes: FastifyPluginAsyncZod = async (app) => {
  const d = app.deps;

  app.get('/api/tickets', { schema: { tags, summary: 'The ticket queue, with filters', querystring: s.ticketQuery, response: { 200: pageOf(s.ticketSummary) } } }, async (req) => tickets.listTickets(d, ctxOf(req), req.query));
  app.post('/api/tickets', { schema: { tags, summary: 'Register a ticket (phone, front desk, patrol, monitoring); deadlines count from reportedAt', body: s.createTicketBody, response: { 201: s.ticketDetail } } }, async (req, reply) =>
    reply.status(201).send(await tickets.createTicket(d, ctxOf(req), req.body)),
  );
  app.get('/api/tickets/pool', { schema: { tags, summary: 'Tickets waiting to be grabbed (抢单) by my groups', response: { 200: z.object({ items: z.array(s.ticketSummary) }) } } }, async (req) => tickets.listPool(d, ctxOf(req)));
  app.get('/api/tickets/workers', { schema: { tags, summary: 'Staff who can be given tickets of a community (ticket.work there)', querystring: z.object({ communityId: z.uuid().optional() }), response: { 200: z.object({ items: z.array(z.object({ id: z.uuid(), name: z.string() })) }) } } }, async (req) =>
    tickets.listWorkers(d, ctxOf(req), req.query.communityId),
  );
  app.get('/api/tickets/:id', { schema: { tags, params: idParams, response: detail } }, async (req) => tickets.getTicket(d, ctxOf(req), req.params.id));

  const steps = [
    ['accept', s.acceptBody, 'Accept (受理)', act.accept],
    ['dispatch', s.dispatchBody, 'Dispatch to a person, a group in turn, or a grab pool', act.dispatch],
    ['acknowledge', s.stepBody, 'The technician acknowledges the task (接单)', act.acknowledge],
    ['transfer', s.transferBody, 'Transfer to another person (转单)', act.transfer],
    ['hand-back', s.reasonBody, 'Hand the task back to the desk (退单)', act.handBack],
    ['arrive', s.stepBody, 'Check in on site; `at` carries the real time of an offline check-in', act.arrive],
    ['start', s.stepBody, 'Start work (needs committee approval for 中修/大修)', act.start],
    ['reply', s.replyBody, 'Reply to the reporter (complaints, inquiries)', act.reply],
    ['complete', s.completeBody, 'Complete with photos, charge and reply', act.complete],
    ['pause', s.reasonBody, 'Pause with a reason', act.pause],
    ['resume', s.stepBody, 'Resume a paused ticket', act.resume],
    ['cancel', z.object({ reason: z.string().trim().min(1).max(500) }).strict(), 'Cancel with a reason', act.cancel],
    ['close', s.acceptBody, 'Close a confirmed or visited ticket', act.close],
    ['extend', s.extendBody, 'Extend a deadline (ticket.extendDeadline; audited)', act.extendDeadline],
    ['materials', s.materialsBody, 'Record materials used', act.addMaterials],
    ['photos', s.photosBody, 'Add photos (before / during / after)', act.addPhotos],
    ['vote', s.approvalBody, "Owners' committee vote on a medium or major repair", approvals.vote],
  ] as const;
  for (const [path, body, summary, fn] of steps) {
    app.post(`/api/tickets/:id/${path}`, { schema: { tags, summary, params: idParams, body, response: detail } }, async (req) =>
      (fn as (deps: typeof d, ctx: ReturnType<typeof ctxOf>, id: string, b: unknown) => Promise<z.infer<typeof s.ticketDetail>>)(d, ctxOf(req), req.params.id, req.body),
    );
  }
  app.post('/api/tickets/:id/grab', { schema: { tags, summary: 'Take a ticket from the pool (抢单): the first taker wins, a second gets 409', params: idParams, response: detail } }, async (req) =>
    act.grab(d, ctxOf(req), req.params.id),
  );

  app.get('/api/ticket-approvals', { schema: { tags, summary: 'Medium and major repairs waiting for the committee', response: { 200: z.object({ items: z.array(z.object({ id: z.uuid(), no: z.string(), title: z.string(), description: z.string(), repairSize: s.repairSize.nullable(), location: z.string().nullable(), communityName: z.string(), reportedAt: z.string(), myDecision: z.string().nullable() })) }) } } }, async (req) =>
    approvals.listPendingApprovals(d, ctxOf(req)),
  );

  app.get('/api/return-visits', { schema: { tags, summary: 'Return-visit tasks (回访)', querystring: s.returnVisitQuery, response: { 200: pageOf(s.returnVisitItem) } } }, async (req) => visits.listReturnVisits(d, ctxOf(req), req.query));
  app.post('/api/return-visits/:id', { schema: { tags, summary: 'Record a return visit: done (satisfaction, resolved) or owner unreachable', params: idParams, body: s.returnVisitBody, response: detail } }, async (req) =>
    visits.recordReturnVisit(d, ctxOf(req), req.params.id, req.body),
  );
  app.get('/api/return-visit-questions', { schema: { tags, response: { 200: z.object({ items: z.array(z.object({ key: z.string(), text: z.string() })) }) } } }, async (req) => ({ items: visits.returnVisitQuestions(ctxOf(req).lang) }));

  // Owner site.
  const owner = ['owner'];
  app.get('/api/owner/tickets', { schema: { tags: owner, summary: 'My requests', response: { 200: z.object({ items: z.array(s.ticketSummary) }) } } }, async (req) => tickets.listMyTickets(d, ctxOf(req)));
  app.post('/api/owner/tickets', { schema: { tags: owner, summary: 'Report a repair, complaint or question for one of my rooms', body: s.ownerCreateTicketBody, response: { 201: s.ticketDetail } } }, async (req, reply) =>
    reply.status(201).send(await tickets.ownerCreateTicket(d, ctxOf(req), req.body)),
  );
  app.get('/api/owner/tickets/:id', { schema: { tags: owner, params: idParams, response: detail } }, async (req) => tickets.getTicket(d, ctxOf(req), req.params.id));
  app.post('/api/owner/tickets/:id/rate', { schema: { tags: owner, summary: 'Confirm and rate completed work', params: idParams, body: s.rateBody, response: detail } }, async (req) => act.rate(d, ctxOf(req), req.params.id, req.body));
  app.post('/api/owner/tickets/:id/rework', { schema: { tags: owner, summary: 'Not fixed: reopen for rework', params: idParams, body: z.object({ reason: z.string().trim().min(1).max(500) }).strict(), response: detail } }, async (req) =>
    act.rework(d, ctxOf(req), req.params.id, req.body),
  );
  app.post('/api/owner/tickets/:id/cancel', { schema: { tags: owner, summary: 'Withdraw a request not yet dispatched', params: idParams, body: z.object({ reason: z.string().trim().min(1).max(500) }).strict(), response: detail } }, async (req) =>
    act.cancel(d, ctxOf(req), req.params.id, req.body),
  );
  app.post('/api/owner/tickets/:id/return-visit', { schema: { tags: owner, summary: 'Answer the return-visit questions', params: idParams, body: s.ownerReturnVisitBody, response: detail } }, async (req) =>
    visits.ownerAnswerReturnVisit(d, ctxOf(req), req.params.id, req.body),
  );

  // Notifications: a list, marking read, and a server-sent event stream for the console and the phone pages.
  app.get('/api/notifications', { schema: { tags: ['notifications'], querystring: z.object({ afterId: z.coerce.number().int().min(0).optional(), unread: z.enum(['true', 'false']).optional() }), response: { 200: z.object({ unread: z.number().int(), items: z.array(s.notificationItem) }) } } }, async (req) =>
    listNotifications(d, ctxOf(req), { afterId: req.query.afterId, unread: req.query.unread === 'true' }),
  );
  app.post('/api/notifications/read', { schema: { tags: ['notifications'], body: z.object({ ids: z.union([z.array(z.number().int()).max(500), z.literal('all')]) }).strict(), response: { 200: z.object({ marked: z.number().int() }) } } }, async (req) =>
    markRead(d, ctxOf(req), req.body.ids),
  );
  app.get('/api/notifications/stream', { schema: { tags: ['notifications'], summary: 'Server-sent events: `notification` events as they arrive (polls every 5 s as well)', querystring: z.object({ afterId: z.coerce.number().int().min(0).optional() }) } }, async (req, reply) => {
    const ctx = ctxOf(req);
    companyOf(ctx.actor);
    if (ctx.actor.kind === 'owner') requirePermission(ctx.actor, 'owner.self');
    const lastHeader = Number(req.headers['last-event-id']);
    let last = Number.isFinite(lastHeader) && lastHeader > 0 ? lastHeader : (req.query.afterId ?? null);
    if (last === null) last = (await listNotifications(d, ctx, { limit: 1 })).items[0]?.id ?? 0;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': connected\n\n');
    let busy = false;
    let closed = false;
    const push = async () => {
      if (busy || closed) return;
      busy = true;
      try {
        const { items } = await listNotifications(d, ctx, { afterId: last!, limit: 100 });
        for (const n of items.reverse()) {
          res.write(`id: ${n.id}\nevent: notification\ndata: ${JSON.stringify(n)}\n\n`);
          last = n.id;
        }
      } catch (err) {
        req.log.warn({ err }, 'notification stream poll failed');
      } finally {
        busy = false;
      }
    };
    const off = onWake(ctx.actor.userId, () => void push());
    const poll = setInterval(() => void push(), 5000);
    const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
    req.raw.on('close', () => {
      closed = true;
      off();
      clearInterval(poll);
      clearInterval(ping);
    });
    await push();
  });
};
