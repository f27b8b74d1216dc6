import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../core/http.ts';
import { idParams } from '../../core/validation.ts';
import * as s from './config-schema.ts';
import * as cfg from './config-service.ts';

const tags = ['service desk configuration'];
const list = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
const noContent = { 204: z.null() };

/** Service-desk configuration: categories, time-limit policies, groups, dispatch rules, settings, calendar, saved views. */
export const serviceDeskConfigRoutes: FastifyPluginAsyncZod = async (app) => {
  const d = app.deps;

  app.get('/api/ticket-categories', { schema: { tags, summary: 'Ticket categories by kind', querystring: s.categoryQuery, response: { 200: list(s.category) } } }, async (req) =>
    cfg.listCategories(d, ctxOf(req), req.query),
  );
  app.post('/api/ticket-categories', { schema: { tags, body: s.createCategoryBody, response: { 201: s.category } } }, async (req, reply) =>
    reply.status(201).send(await cfg.createCategory(d, ctxOf(req), req.body)),
  );
  app.patch('/api/ticket-categories/:id', { schema: { tags, summary: 'Rename, reorder or retire a category', params: idParams, body: s.updateCategoryBody, response: { 200: s.category } } }, async (req) =>
    cfg.updateCategory(d, ctxOf(req), req.params.id, req.body),
  );

  app.get('/api/sla-policies', { schema: { tags, summary: 'Time-limit policies (时限)', querystring: s.policyQuery, response: { 200: list(s.policy) } } }, async (req) =>
    cfg.listPolicies(d, ctxOf(req), req.query),
  );
  app.post('/api/sla-policies', { schema: { tags, body: s.createPolicyBody, response: { 201: s.policy } } }, async (req, reply) =>
    reply.status(201).send(await cfg.createPolicy(d, ctxOf(req), req.body)),
  );
  app.patch('/api/sla-policies/:id', { schema: { tags, params: idParams, body: s.updatePolicyBody, response: { 200: s.policy } } }, async (req) =>
    cfg.updatePolicy(d, ctxOf(req), req.params.id, req.body),
  );
  app.delete('/api/sla-policies/:id', { schema: { tags, summary: 'Delete a policy; tickets keep their deadlines', params: idParams, response: noContent } }, async (req, reply) => {
    await cfg.deletePolicy(d, ctxOf(req), req.params.id);
    return reply.status(204).send(null);
  });

  app.get('/api/staff-groups', { schema: { tags, summary: 'Dispatch groups (班组) with members in round-robin order', querystring: s.communityFilter, response: { 200: list(s.staffGroup) } } }, async (req) =>
    cfg.listGroups(d, ctxOf(req), req.query),
  );
  app.post('/api/staff-groups', { schema: { tags, body: s.createGroupBody, response: { 201: s.staffGroup } } }, async (req, reply) =>
    reply.status(201).send(await cfg.createGroup(d, ctxOf(req), req.body)),
  );
  app.patch('/api/staff-groups/:id', { schema: { tags, params: idParams, body: s.updateGroupBody, response: { 200: s.staffGroup } } }, async (req) =>
    cfg.updateGroup(d, ctxOf(req), req.params.id, req.body),
  );
  app.delete('/api/staff-groups/:id', { schema: { tags, summary: 'Delete a group no dispatch rule or open ticket uses', params: idParams, response: noContent } }, async (req, reply) => {
    await cfg.deleteGroup(d, ctxOf(req), req.params.id);
    return reply.status(204).send(null);
  });

  app.get('/api/dispatch-rules', { schema: { tags, summary: 'Automatic dispatch rules, by priority', querystring: s.communityFilter, response: { 200: list(s.dispatchRule) } } }, async (req) =>
    cfg.listRules(d, ctxOf(req), req.query),
  );
  app.post('/api/dispatch-rules', { schema: { tags, body: s.createRuleBody, response: { 201: s.dispatchRule } } }, async (req, reply) =>
    reply.status(201).send(await cfg.createRule(d, ctxOf(req), req.body)),
  );
  app.patch('/api/dispatch-rules/:id', { schema: { tags, params: idParams, body: s.updateRuleBody, response: { 200: s.dispatchRule } } }, async (req) =>
    cfg.updateRule(d, ctxOf(req), req.params.id, req.body),
  );
  app.delete('/api/dispatch-rules/:id', { schema: { tags, params: idParams, response: noContent } }, async (req, reply) => {
    await cfg.deleteRule(d, ctxOf(req), req.params.id);
    return reply.status(204).send(null);
  });

  app.get('/api/service-desk/settings', { schema: { tags, summary: 'Business hours, targets and return-visit settings', response: { 200: s.settings } } }, async (req) => cfg.getSettings(d, ctxOf(req)));
  app.put('/api/service-desk/settings', { schema: { tags, body: s.settingsBody, response: { 200: s.settings } } }, async (req) => cfg.updateSettings(d, ctxOf(req), req.body));

  app.get('/api/work-calendar', { schema: { tags, summary: 'Holidays and make-up working days of a year (default: this year)', querystring: s.calendarQuery, response: { 200: s.calendar } } }, async (req) =>
    cfg.workCalendar(d, ctxOf(req), req.query.year),
  );
  app.put('/api/work-calendar/days/:day', { schema: { tags, summary: "Set the company's own holiday or working day", params: s.calendarDayParams, body: s.calendarDayBody, response: { 200: s.calendar } } }, async (req) =>
    cfg.setCalendarDay(d, ctxOf(req), req.params.day, req.body),
  );
  app.delete('/api/work-calendar/days/:day', { schema: { tags, summary: "Remove the company's own entry for a day", params: s.calendarDayParams, response: noContent } }, async (req, reply) => {
    await cfg.removeCalendarDay(d, ctxOf(req), req.params.day);
    return reply.status(204).send(null);
  });
  app.post('/api/work-calendar/years', { schema: { tags, summary: 'Mark a year as known (its official notice is entered)', body: s.calendarYearBody, response: { 201: s.calendar } } }, async (req, reply) =>
    reply.status(201).send(await cfg.addCalendarYear(d, ctxOf(req), req.body.year)),
  );

  app.get('/api/ticket-views', { schema: { tags, summary: 'My saved queue views', response: { 200: list(s.ticketView) } } }, async (req) => cfg.listViews(d, ctxOf(req)));
  app.post('/api/ticket-views', { schema: { tags, body: s.createViewBody, response: { 201: s.ticketView } } }, async (req, reply) => reply.status(201).send(await cfg.createView(d, ctxOf(req), req.body)));
  app.delete('/api/ticket-views/:id', { schema: { tags, params: idParams, response: noContent } }, async (req, reply) => {
    await cfg.deleteView(d, ctxOf(req), req.params.id);
    return reply.status(204).send(null);
  });
};
