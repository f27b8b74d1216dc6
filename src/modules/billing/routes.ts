import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ctxOf } from '../../core/http.ts';
import { ValidationError } from '../../core/errors.ts';
import { pageOf } from '../../core/pagination.ts';
import { idParams } from '../../core/validation.ts';
import * as s from './schema.ts';
import * as items from './items.ts';
import * as bindings from './bindings.ts';
import * as vacancy from './vacancy.ts';
import * as meters from './meters.ts';
import * as readings from './readings.ts';
import { importReadings } from './readings-import.ts';
import * as runs from './runs.ts';
import * as lines from './lines.ts';
import * as settings from './settings.ts';

const tags = ['billing'];

export const billingRoutes: FastifyPluginAsyncZod = async (app) => {
  const d = app.deps;

  app.get('/api/fee-items', { schema: { tags, summary: 'Fee items (收费项目) with discounts and communities', querystring: s.feeItemQuery, response: { 200: pageOf(s.feeItem) } } }, async (req) => items.listFeeItems(d, ctxOf(req), req.query));
  app.post('/api/fee-items', { schema: { tags, summary: 'Create a fee item; prices are decimals with at most 4 places, > 0', body: s.createFeeItemBody, response: { 201: s.feeItem } } }, async (req, reply) =>
    reply.status(201).send(await items.createFeeItem(d, ctxOf(req), req.body)),
  );
  app.get('/api/fee-items/:id', { schema: { tags, params: idParams, response: { 200: s.feeItem } } }, async (req) => items.getFeeItem(d, ctxOf(req), req.params.id));
  app.patch('/api/fee-items/:id', { schema: { tags, summary: 'Change a fee item (later runs only); `discounts` and `communities` replace the lists', params: idParams, body: s.updateFeeItemBody, response: { 200: s.feeItem } } }, async (req) =>
    items.updateFeeItem(d, ctxOf(req), req.params.id, req.body),
  );

  app.get('/api/fee-bindings', { schema: { tags, summary: 'Which room or parking space pays which item, from when to when', querystring: s.bindingQuery, response: { 200: pageOf(s.binding) } } }, async (req) =>
    bindings.listBindings(d, ctxOf(req), req.query),
  );
  app.post('/api/fee-bindings', { schema: { tags, summary: 'Bind an item to a room or parking space', body: s.createBindingBody, response: { 201: s.binding } } }, async (req, reply) =>
    reply.status(201).send(await bindings.createBinding(d, ctxOf(req), req.body)),
  );
  app.post('/api/fee-bindings/bulk', { schema: { tags, summary: 'Bind an item to every room of a community or building (every space, for parking items)', body: s.bulkBindBody, response: { 200: s.bulkBindResult } } }, async (req) =>
    bindings.bulkBind(d, ctxOf(req), req.body),
  );
  app.patch('/api/fee-bindings/:id', { schema: { tags, summary: 'End a binding (move-out) or change its own price', params: idParams, body: s.updateBindingBody, response: { 200: s.binding } } }, async (req) =>
    bindings.updateBinding(d, ctxOf(req), req.params.id, req.body),
  );

  app.get('/api/vacancy-approvals', { schema: { tags, summary: 'Vacant-room approvals (空置房认定)', querystring: s.vacancyQuery, response: { 200: pageOf(s.vacancyApproval) } } }, async (req) =>
    vacancy.listVacancyApprovals(d, ctxOf(req), req.query),
  );
  app.post('/api/vacancy-approvals', { schema: { tags, summary: 'Approve a vacant room for the vacancy discount (room must be vacant)', body: s.createVacancyBody, response: { 201: s.vacancyApproval } } }, async (req, reply) =>
    reply.status(201).send(await vacancy.approveVacancy(d, ctxOf(req), req.body)),
  );
  app.post('/api/vacancy-approvals/:id/end', { schema: { tags, params: idParams, body: s.endVacancyBody, response: { 200: s.vacancyApproval } } }, async (req) => vacancy.endVacancy(d, ctxOf(req), req.params.id, req.body));

  app.get('/api/meters', { schema: { tags, summary: 'Water, electricity and gas meters of rooms and buildings', querystring: s.meterQuery, response: { 200: pageOf(s.meter) } } }, async (req) => meters.listMeters(d, ctxOf(req), req.query));
  app.post('/api/meters', { schema: { tags, summary: 'Add a meter to a room, or to a building (公摊表)', body: s.createMeterBody, response: { 201: s.meter } } }, async (req, reply) =>
    reply.status(201).send(await meters.createMeter(d, ctxOf(req), req.body)),
  );
  app.get('/api/meters/:id', { schema: { tags, params: idParams, response: { 200: s.meter } } }, async (req) => meters.getMeter(d, ctxOf(req), req.params.id));
  app.post('/api/meters/:id/replace', { schema: { tags, summary: 'Replace a meter (换表): the old one’s final reading, the new one’s number and initial reading', params: idParams, body: s.replaceMeterBody, response: { 201: s.meter } } }, async (req, reply) =>
    reply.status(201).send(await meters.replaceMeter(d, ctxOf(req), req.params.id, req.body)),
  );

  app.get('/api/meter-readings', { schema: { tags, querystring: s.readingQuery, response: { 200: pageOf(s.reading) } } }, async (req) => readings.listReadings(d, ctxOf(req), req.query));
  app.post('/api/meter-readings', { schema: { tags, summary: 'Enter a reading; below the previous → 400 (unless replaced); an abnormal jump is held for review', body: s.createReadingBody, response: { 201: s.reading } } }, async (req, reply) =>
    reply.status(201).send(await readings.createReading(d, ctxOf(req), req.body)),
  );
  app.post('/api/meter-readings/:id/approve', { schema: { tags, summary: 'Release a reading held for review for billing', params: idParams, response: { 200: s.reading } } }, async (req) => readings.approveReading(d, ctxOf(req), req.params.id));
  app.post(
    '/api/meter-readings/import',
    { schema: { tags, summary: 'Import readings from .xlsx (multipart field `file`; columns 表号, 期间, 读数, 抄表日期, 抄表员): all rows or none', consumes: ['multipart/form-data'], querystring: s.readingImportQuery, response: { 200: s.readingImportResult } } },
    async (req) => {
      const ctx = ctxOf(req);
      if (!req.isMultipart()) throw new ValidationError('file', 'validation.fileMissing');
      const part = await req.file({ limits: { fileSize: d.config.maxUploadBytes + 1, files: 1 } });
      if (!part || part.fieldname !== 'file') throw new ValidationError('file', 'validation.fileMissing');
      const data = await part.toBuffer().catch((err: { code?: string }) => {
        if (err.code === 'FST_REQ_FILE_TOO_LARGE') throw new ValidationError('file', 'validation.fileTooLarge', { max: d.config.maxUploadBytes });
        throw err;
      });
      return importReadings(d, ctx, { communityId: req.query.communityId, data });
    },
  );

  app.post('/api/bill-runs/preview', { schema: { tags, summary: 'What a bill run would create, per item, without writing', body: s.runBody, response: { 200: s.preview } } }, async (req) => runs.previewRun(d, ctxOf(req), req.body));
  app.post('/api/bill-runs', { schema: { tags, summary: 'Run billing for a community and period (idempotent: lines already billed are skipped)', body: s.runBody, response: { 201: s.billRun } } }, async (req, reply) =>
    reply.status(201).send(await runs.createRun(d, ctxOf(req), req.body)),
  );
  app.get('/api/bill-runs', { schema: { tags, querystring: s.runQuery, response: { 200: pageOf(s.billRun) } } }, async (req) => runs.listRuns(d, ctxOf(req), req.query));
  app.get('/api/bill-runs/:id', { schema: { tags, summary: 'A bill run with its progress', params: idParams, response: { 200: s.billRun } } }, async (req) => runs.getRun(d, ctxOf(req), req.params.id));
  app.post('/api/bill-runs/:id/resume', { schema: { tags, summary: 'Continue a failed run, or one whose process stopped (stale heartbeat)', params: idParams, response: { 200: s.billRun } } }, async (req) =>
    runs.resumeRun(d, ctxOf(req), req.params.id),
  );
  app.post('/api/bill-runs/:id/revoke', { schema: { tags, summary: 'Revoke every line of a run (409 if any has a payment)', params: idParams, response: { 200: s.billRun } } }, async (req) => runs.revokeRun(d, ctxOf(req), req.params.id));

  app.get('/api/bill-lines', { schema: { tags, summary: 'Bill lines, filtered', querystring: s.lineQuery, response: { 200: pageOf(s.billLine) } } }, async (req) => lines.listLines(d, ctxOf(req), req.query));
  app.get('/api/bill-lines/:id', { schema: { tags, params: idParams, response: { 200: s.billLine } } }, async (req) => lines.getLine(d, ctxOf(req), req.params.id));
  app.get('/api/rooms/:id/bills', { schema: { tags, summary: 'A room’s bills (its own and its meters’)', params: idParams, querystring: s.roomBillQuery, response: { 200: pageOf(s.billLine) } } }, async (req) =>
    lines.listRoomBills(d, ctxOf(req), req.params.id, req.query),
  );

  app.get('/api/billing-settings', { schema: { tags, response: { 200: s.billingSettings } } }, async (req) => settings.getBillingSettings(d, ctxOf(req)));
  app.patch('/api/billing-settings', { schema: { tags, summary: 'jumpFactor: a reading using more than this many times the average of the last three is held for review', body: s.updateBillingSettingsBody, response: { 200: s.billingSettings } } }, async (req) =>
    settings.updateBillingSettings(d, ctxOf(req), req.body),
  );
};
