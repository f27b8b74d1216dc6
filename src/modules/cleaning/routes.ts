import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ctxOf } from '../../core/http.ts';
import { pageOf } from '../../core/pagination.ts';
import { idParams } from '../../core/validation.ts';
import * as s from './schema.ts';
import * as plans from './plans.ts';
import * as tasks from './tasks.ts';
import { getFigures } from './figures.ts';

const tags = ['cleaning'];

/** Cleaning and greening (保洁/绿化): areas, work items, the day's tasks, completion from the phone, figures. */
export const cleaningRoutes: FastifyPluginAsyncZod = async (app) => {
  const d = app.deps;

  app.get('/api/cleaning/presets', { schema: { tags, summary: 'The usual work items (bins twice a day, handrails twice a week, tree pruning yearly …) offered when adding work', response: { 200: z.array(s.presetSchema) } } }, async (req) =>
    plans.listPresets(ctxOf(req)),
  );

  app.get('/api/cleaning/areas', { schema: { tags, summary: 'Cleaning and greening areas', querystring: s.areaQuery, response: { 200: z.array(s.areaSchema) } } }, async (req) =>
    plans.listAreas(d, ctxOf(req), req.query),
  );
  app.post('/api/cleaning/areas', { schema: { tags, summary: 'Add an area with its responsible team (a department and/or a post)', body: s.createAreaBody, response: { 201: s.areaSchema } } }, async (req, reply) =>
    reply.status(201).send(await plans.createArea(d, ctxOf(req), req.body)),
  );
  app.get('/api/cleaning/areas/:id', { schema: { tags, summary: 'An area with its work items', params: idParams, response: { 200: s.areaDetail } } }, async (req) =>
    plans.getArea(d, ctxOf(req), req.params.id),
  );
  app.patch('/api/cleaning/areas/:id', { schema: { tags, summary: 'Change or deactivate an area', params: idParams, body: s.updateAreaBody, response: { 200: s.areaSchema } } }, async (req) =>
    plans.updateArea(d, ctxOf(req), req.params.id, req.body),
  );
  app.get('/api/cleaning/areas/:id/code', { schema: { tags, summary: 'The area’s signed QR check-in code and its image to print', params: idParams, response: { 200: s.areaCode } } }, async (req) =>
    plans.areaCode(d, ctxOf(req), req.params.id),
  );

  app.post('/api/cleaning/items', { schema: { tags, summary: 'Add a work item with its frequency; today’s remaining tasks are made at once', body: s.createItemBody, response: { 201: s.itemSchema } } }, async (req, reply) =>
    reply.status(201).send(await plans.createItem(d, ctxOf(req), req.body)),
  );
  app.patch('/api/cleaning/items/:id', { schema: { tags, summary: 'Change or deactivate a work item (tasks already made stay as they are)', params: idParams, body: s.updateItemBody, response: { 200: s.itemSchema } } }, async (req) =>
    plans.updateItem(d, ctxOf(req), req.params.id, req.body),
  );

  app.get('/api/cleaning/board', { schema: { tags, summary: 'A community’s tasks of a day (today by default), by area, with counts by state', querystring: s.boardQuery, response: { 200: s.boardSchema } } }, async (req) =>
    tasks.getBoard(d, ctxOf(req), req.query),
  );
  app.get('/api/cleaning/tasks', { schema: { tags, summary: 'Task history, newest first: by community, dates, area, person, state (overdue, missed …), with photos', querystring: s.taskQuery, response: { 200: pageOf(s.taskSchema) } } }, async (req) =>
    tasks.listTasks(d, ctxOf(req), req.query),
  );
  app.get('/api/cleaning/my-tasks', { schema: { tags, summary: 'My tasks of a day (today by default) in time order, with my team’s unassigned ones', querystring: s.myTaskQuery, response: { 200: s.myTasks } } }, async (req) =>
    tasks.myTasks(d, ctxOf(req), req.query),
  );
  app.get('/api/cleaning/tasks/:id', { schema: { tags, summary: 'A task', params: idParams, response: { 200: s.taskSchema } } }, async (req) => tasks.getTask(d, ctxOf(req), req.params.id));
  app.post('/api/cleaning/tasks/:id/complete', { schema: { tags, summary: 'Complete a task (check-in by QR when given, photos, note); idempotent by clientId', params: idParams, body: s.completeBody, response: { 200: s.taskSchema } } }, async (req) =>
    tasks.completeTask(d, ctxOf(req), req.params.id, req.body),
  );
  app.post('/api/cleaning/generate', { schema: { tags, summary: 'Make a day’s tasks now (the scheduler does it hourly; never twice)', body: s.generateBody, response: { 200: s.generateResult } } }, async (req) =>
    tasks.generateTasks(d, ctxOf(req), req.body),
  );

  app.get('/api/cleaning/figures', { schema: { tags, summary: 'Completion rates by day, week, area, department, post and person', querystring: s.figuresQuery, response: { 200: s.figuresSchema } } }, async (req) =>
    getFigures(d, ctxOf(req), req.query),
  );
};
