import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { ctxOf } from '../../core/http.ts';
import { pageOf } from '../../core/pagination.ts';
import { idParams } from '../../core/validation.ts';
import { requirePermission } from '../../core/context.ts';
import { sendReport } from '../servicedesk/reports.ts';
import * as s from './schema.ts';
import * as ledger from './ledger.ts';
import * as faults from './faults.ts';
import * as labels from './labels.ts';
import * as plans from './plans.ts';
import * as inspections from './inspections.ts';
import { equipmentFigures } from './figures.ts';
import { equipmentXlsx } from './export.ts';
import { CATALOGUE } from './catalogue.ts';

const tags = ['equipment'];
const origin = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

export const equipmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const d = app.deps;

  // ── Catalogue and figures ──
  app.get('/api/equipment-catalogue', { schema: { tags, summary: 'Equipment categories with their default maintenance plans and statutory inspections', response: { 200: s.catalogue } } }, async (req) => {
    requirePermission(ctxOf(req).actor, 'equipment.read');
    return CATALOGUE.map((c) => ({ code: c.code, zh: c.zh, en: c.en, plans: c.plans, inspections: c.inspections }));
  });
  app.get('/api/equipment-figures', { schema: { tags, summary: '完好率 by category and community, open and overdue maintenance, inspections due, faults by month', querystring: s.figuresQuery, response: { 200: s.figures } } }, async (req) =>
    equipmentFigures(d, ctxOf(req), req.query),
  );

  // ── Ledger ──
  app.get('/api/equipment', { schema: { tags, summary: 'The equipment ledger (设备台账), filtered', querystring: s.equipmentQuery, response: { 200: pageOf(s.equipmentSummary) } } }, async (req) =>
    ledger.listEquipment(d, ctxOf(req), req.query),
  );
  app.get('/api/equipment.xlsx', { schema: { tags, summary: 'The ledger as .xlsx (same filters, no paging)', querystring: s.equipmentQuery.omit({ page: true, pageSize: true }), response: { 200: z.any() } } }, async (req, reply) =>
    sendReport(reply, await equipmentXlsx(d, ctxOf(req), req.query)),
  );
  app.post('/api/equipment', { schema: { tags, summary: 'Add an item to the ledger (status 正常)', body: s.createEquipmentBody, response: { 201: s.equipmentDetail } } }, async (req, reply) =>
    reply.status(201).send(await ledger.createEquipment(d, ctxOf(req), req.body)),
  );
  app.get('/api/equipment/scan/:code', { schema: { tags, summary: 'The item a scanned QR label names; 404 for a forged code or another company’s', params: s.codeParams, response: { 200: s.scanResult } } }, async (req) =>
    labels.scan(d, ctxOf(req), req.params.code),
  );
  app.get('/api/equipment/:id', { schema: { tags, summary: 'An item with its nameplate, status history and inspections', params: idParams, response: { 200: s.equipmentDetail } } }, async (req) =>
    ledger.getEquipment(d, ctxOf(req), req.params.id),
  );
  app.patch('/api/equipment/:id', { schema: { tags, summary: 'Change an item’s details (not its status)', params: idParams, body: s.updateEquipmentBody, response: { 200: s.equipmentDetail } } }, async (req) =>
    ledger.updateEquipment(d, ctxOf(req), req.params.id, req.body),
  );
  app.post('/api/equipment/:id/status', { schema: { tags, summary: 'Set 正常 / 故障 / 停用 with a reason (history kept)', params: idParams, body: s.statusBody, response: { 200: s.equipmentDetail } } }, async (req) =>
    ledger.changeStatus(d, ctxOf(req), req.params.id, req.body),
  );
  app.post('/api/equipment/:id/faults', { schema: { tags, summary: 'Report a fault: a public-repair ticket at the item’s location, linked to it; the item goes to 故障', params: idParams, body: s.faultBody, response: { 201: s.faultResult } } }, async (req, reply) =>
    reply.status(201).send(await faults.reportFault(d, ctxOf(req), req.params.id, req.body)),
  );
  app.get('/api/equipment/:id/tickets', { schema: { tags, summary: 'The item’s faults and repairs (service-desk tickets), newest first', params: idParams, response: { 200: z.array(s.equipmentTicket) } } }, async (req) =>
    faults.equipmentTickets(d, ctxOf(req), req.params.id),
  );
  app.get('/api/equipment/:id/label.png', { schema: { tags, summary: 'The item’s QR label as PNG', params: idParams } }, async (req, reply) =>
    reply.header('content-type', 'image/png').header('cache-control', 'private, max-age=300').send(await labels.labelPng(d, ctxOf(req), req.params.id, origin(req))),
  );
  app.get('/api/equipment/:id/label.svg', { schema: { tags, summary: 'The item’s QR label as SVG', params: idParams } }, async (req, reply) =>
    reply.header('content-type', 'image/svg+xml').header('cache-control', 'private, max-age=300').send(await labels.labelSvg(d, ctxOf(req), req.params.id, origin(req))),
  );
  app.get('/api/equipment-labels.pdf', { schema: { tags, summary: 'A PDF sheet of QR labels (12 to an A4 page) for a community, a category or chosen items', querystring: s.labelsQuery } }, async (req, reply) =>
    reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', 'inline; filename="equipment-labels.pdf"')
      .header('cache-control', 'no-store')
      .send(await labels.labelSheet(d, ctxOf(req), req.query, origin(req))),
  );

  // ── Plans and tasks ──
  app.get('/api/maintenance-plans', { schema: { tags, summary: 'Maintenance plans (an item’s own and its category’s with equipmentId)', querystring: s.planQuery, response: { 200: pageOf(s.plan) } } }, async (req) =>
    plans.listPlans(d, ctxOf(req), req.query),
  );
  app.post('/api/maintenance-plans', { schema: { tags, summary: 'A maintenance plan for one item or a category of a community; a cycle of zero is refused', body: s.createPlanBody, response: { 201: s.plan } } }, async (req, reply) =>
    reply.status(201).send(await plans.createPlan(d, ctxOf(req), req.body)),
  );
  app.patch('/api/maintenance-plans/:id', { schema: { tags, summary: 'Change or pause a plan (tasks already generated are kept)', params: idParams, body: s.updatePlanBody, response: { 200: s.plan } } }, async (req) =>
    plans.updatePlan(d, ctxOf(req), req.params.id, req.body),
  );
  app.post('/api/maintenance-tasks/generate', { schema: { tags, summary: 'Generate a community’s maintenance tasks now (the daily job does this each morning); exactly once per plan, item and date', body: s.generateBody, response: { 200: s.generateResult } } }, async (req) =>
    plans.generateNow(d, ctxOf(req), req.body),
  );
  app.get('/api/maintenance-tasks', { schema: { tags, summary: 'Maintenance tasks: open, overdue, done; mine', querystring: s.taskQuery, response: { 200: pageOf(s.task) } } }, async (req) =>
    plans.listTasks(d, ctxOf(req), req.query),
  );
  app.get('/api/maintenance-tasks/:id', { schema: { tags, summary: 'A maintenance task with its checklist', params: idParams, response: { 200: s.task } } }, async (req) => plans.getTask(d, ctxOf(req), req.params.id));
  app.post('/api/maintenance-tasks/:id/complete', { schema: { tags, summary: 'Complete a task with every checklist item answered; an abnormal answer files a fault ticket', params: idParams, body: s.completeTaskBody, response: { 200: s.task } } }, async (req) =>
    plans.completeTask(d, ctxOf(req), req.params.id, req.body),
  );

  // ── Statutory inspections ──
  app.get('/api/equipment-inspections', { schema: { tags, summary: 'Statutory inspections and calibrations by due date (dueWithin=30 for the next 30 days, overdue included)', querystring: s.inspectionQuery, response: { 200: pageOf(s.inspection) } } }, async (req) =>
    inspections.listInspections(d, ctxOf(req), req.query),
  );
  app.post('/api/equipment-inspections', { schema: { tags, summary: 'Subject an item to a statutory inspection with its cycle and next due date', body: s.createInspectionBody, response: { 201: s.inspection } } }, async (req, reply) =>
    reply.status(201).send(await inspections.createInspection(d, ctxOf(req), req.body)),
  );
  app.post('/api/equipment-inspections/:id/records', { schema: { tags, summary: 'Record an inspection done (date, certificate no., result); moves the next due date', params: idParams, body: s.recordBody, response: { 201: s.inspection } } }, async (req, reply) =>
    reply.status(201).send(await inspections.recordInspection(d, ctxOf(req), req.params.id, req.body)),
  );
};
