import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../core/http.ts';
import { pageOf } from '../../core/pagination.ts';
import { idParams } from '../../core/validation.ts';
import { sendReport } from '../servicedesk/reports.ts';
import * as s from './arrears-schema.ts';
import * as arrears from './arrears.ts';

const tags = ['billing'];

/** 欠费 (arrears) figures, 收缴率 (collection rate) and its yearly quotas. */
export const arrearsRoutes: FastifyPluginAsyncZod = async (app) => {
  const d = app.deps;

  app.get(
    '/api/arrears/summary',
    {
      schema: {
        tags,
        summary: 'Arrears (欠费) on a day: owed, rooms and bills in arrears with aging buckets, per community, building or zone, and in total',
        querystring: s.arrearsSummaryQuery,
        response: { 200: s.arrearsSummary },
      },
    },
    async (req) => arrears.arrearsSummary(d, ctxOf(req), req.query),
  );
  app.get(
    '/api/arrears/summary.xlsx',
    { schema: { tags, summary: 'The arrears summary as .xlsx (same parameters), amounts in yuan', querystring: s.arrearsSummaryQuery, response: { 200: z.any() } } },
    async (req, reply) => sendReport(reply, await arrears.arrearsSummaryXlsx(d, ctxOf(req), req.query)),
  );
  app.get(
    '/api/arrears/rooms',
    {
      schema: {
        tags,
        summary: 'Rooms in arrears with owner (masked without personal.viewFull), owed, oldest due date and aging; filter by community, building, zone, amount, days overdue',
        querystring: s.arrearsRoomQuery,
        response: { 200: pageOf(s.arrearsRoom) },
      },
    },
    async (req) => arrears.listArrearsRooms(d, ctxOf(req), req.query),
  );
  app.get(
    '/api/arrears/debtors',
    { schema: { tags, summary: 'The big-debtor list (欠费大户): the rooms that owe the most', querystring: s.debtorQuery, response: { 200: s.debtors } } },
    async (req) => arrears.listDebtors(d, ctxOf(req), req.query),
  );

  app.get(
    '/api/collection-rate',
    {
      schema: {
        tags,
        summary: 'Collection rate (收缴率) of the bills of months from–to (or ytd) per community, building, zone or collector (片区管家), against the quotas',
        querystring: s.collectionRateQuery,
        response: { 200: s.collectionRateResult },
      },
    },
    async (req) => arrears.collectionRates(d, ctxOf(req), req.query),
  );

  app.get('/api/collection-quotas', { schema: { tags, summary: 'Collection-rate targets (收缴指标) by year', querystring: s.quotaQuery, response: { 200: z.object({ items: z.array(s.quota) }) } } }, async (req) =>
    arrears.listQuotas(d, ctxOf(req), req.query),
  );
  app.put(
    '/api/collection-quotas',
    {
      schema: {
        tags,
        summary: "Set a year's target for a community, one of its zones or a collector (201 when new, 200 when it replaced the same key's target)",
        body: s.putQuotaBody,
        response: { 200: s.quota, 201: s.quota },
      },
    },
    async (req, reply) => {
      const { quota, created } = await arrears.putQuota(d, ctxOf(req), req.body);
      return reply.status(created ? 201 : 200).send(quota);
    },
  );
  app.delete('/api/collection-quotas/:id', { schema: { tags, summary: 'Remove a target', params: idParams, response: { 204: z.null() } } }, async (req, reply) => {
    await arrears.deleteQuota(d, ctxOf(req), req.params.id);
    return reply.status(204).send(null);
  });
};
