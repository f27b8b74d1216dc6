import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../core/http.ts';
import { pageOf } from '../../core/pagination.ts';
import { idParams } from '../../core/validation.ts';
import * as s from './collection-schema.ts';
import * as collection from './collection.ts';

const tags = ['billing'];

function sendPdf(reply: FastifyReply, pdf: Buffer, name: string) {
  return reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `attachment; filename="notices.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`)
    .header('cache-control', 'no-store')
    .send(pdf);
}

export const collectionRoutes: FastifyPluginAsyncZod = async (app) => {
  const d = app.deps;

  app.post(
    '/api/reminder-campaigns/preview',
    { schema: { tags, summary: 'The rooms in arrears a reminder campaign with these filters would reach (lines due before asOf, default today)', body: s.debtorFilter, response: { 200: s.campaignPreview } } },
    async (req) => collection.previewCampaign(d, ctxOf(req), req.body),
  );
  app.post(
    '/api/reminder-campaigns',
    {
      schema: {
        tags,
        summary: '催缴: snapshot the debts and remind the owners by SMS, in-app message and a collection task per room; the same idempotencyKey returns the same campaign (200) and sends nothing',
        body: s.createCampaignBody,
        response: { 200: s.campaign, 201: s.campaign },
      },
    },
    async (req, reply) => {
      const { campaign, created } = await collection.createCampaign(d, ctxOf(req), req.body);
      return reply.status(created ? 201 : 200).send(campaign);
    },
  );
  app.get('/api/reminder-campaigns', { schema: { tags, summary: 'Reminder campaigns, newest first', querystring: s.campaignQuery, response: { 200: pageOf(s.campaign) } } }, async (req) => collection.listCampaigns(d, ctxOf(req), req.query));
  app.get(
    '/api/reminder-campaigns/:id',
    { schema: { tags, summary: 'A reminder campaign with its recipients: what each owed then, owes today and has paid since', params: idParams, response: { 200: s.campaignDetail } } },
    async (req) => collection.getCampaign(d, ctxOf(req), req.params.id),
  );
  app.get(
    '/api/reminder-campaigns/:id/notices.pdf',
    { schema: { tags, summary: '催缴通知书 (PDF) for the campaign’s rooms that still owe today, optionally one building; at most 2,000 per file', params: idParams, querystring: s.campaignNoticesQuery, response: { 200: z.any() } } },
    async (req, reply) => sendPdf(reply, await collection.campaignNotices(d, ctxOf(req), req.params.id, req.query), '催缴通知书.pdf'),
  );
  app.post(
    '/api/arrears/notices.pdf',
    { schema: { tags, summary: '催缴通知书 (PDF) for rooms in arrears chosen by room or by the campaign filters; at most 2,000 per file', body: s.noticesBody, response: { 200: z.any() } } },
    async (req, reply) => sendPdf(reply, await collection.arrearsNotices(d, ctxOf(req), req.body), '催缴通知书.pdf'),
  );

  app.get(
    '/api/collection-tasks',
    { schema: { tags, summary: 'Collection tasks with what each room owes today: collectors see their own, billing.manage every task of their communities', querystring: s.taskQuery, response: { 200: pageOf(s.collectionTask) } } },
    async (req) => collection.listTasks(d, ctxOf(req), req.query),
  );
  app.post(
    '/api/collection-tasks/:id/outcome',
    { schema: { tags, summary: 'Record how the visit or call went and close the task (promised needs promisedDate, today or later); a done task → 409', params: idParams, body: s.outcomeBody, response: { 200: s.collectionTask } } },
    async (req) => collection.recordOutcome(d, ctxOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/collection-tasks/:id/assign',
    { schema: { tags, summary: 'Give an open task to another collector of its community', params: idParams, body: s.assignBody, response: { 200: s.collectionTask } } },
    async (req) => collection.assignTask(d, ctxOf(req), req.params.id, req.body),
  );
};
