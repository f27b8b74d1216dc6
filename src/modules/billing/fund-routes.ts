import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ctxOf } from '../../core/http.ts';
import { pageOf } from '../../core/pagination.ts';
import { idParams } from '../../core/validation.ts';
import * as s from './fund-schema.ts';
import * as fund from './fund.ts';

const tags = ['billing'];

export const fundRoutes: FastifyPluginAsyncZod = async (app) => {
  const d = app.deps;

  app.get('/api/fund-entries', { schema: { tags, summary: 'The maintenance fund (维修资金) ledger of a community, newest first, with the balance after each entry', querystring: s.fundEntryQuery, response: { 200: s.fundEntryPage } } }, async (req) =>
    fund.listFundEntries(d, ctxOf(req), req.query),
  );
  app.post(
    '/api/fund-entries',
    {
      schema: {
        tags,
        summary: 'Record a deposit, interest, spending (an approved medium or major repair) or adjustment; entries are never changed — correct a mistake with an adjustment',
        body: s.createFundEntryBody,
        response: { 201: s.fundEntry },
      },
    },
    async (req, reply) => reply.status(201).send(await fund.createFundEntry(d, ctxOf(req), req.body)),
  );
  app.get('/api/fund-summary', { schema: { tags, summary: 'The fund’s balance and its deposits, interest, spending and adjustments for a year, by month', querystring: s.fundSummaryQuery, response: { 200: s.fundSummary } } }, async (req) =>
    fund.getFundSummary(d, ctxOf(req), req.query),
  );

  app.get('/api/disclosure-entries', { schema: { tags, summary: 'Public income and expense entries (公共收支)', querystring: s.disclosureEntryQuery, response: { 200: pageOf(s.disclosureEntry) } } }, async (req) =>
    fund.listDisclosureEntries(d, ctxOf(req), req.query),
  );
  app.post('/api/disclosure-entries', { schema: { tags, summary: 'Record a month’s public income or expense by category', body: s.createDisclosureEntryBody, response: { 201: s.disclosureEntry } } }, async (req, reply) =>
    reply.status(201).send(await fund.createDisclosureEntry(d, ctxOf(req), req.body)),
  );
  app.delete('/api/disclosure-entries/:id', { schema: { tags, summary: 'Remove a public income or expense entry (audited)', params: idParams, response: { 204: z.null() } } }, async (req, reply) => {
    await fund.deleteDisclosureEntry(d, ctxOf(req), req.params.id);
    return reply.status(204).send(null);
  });

  app.get('/api/disclosure', { schema: { tags, summary: 'The disclosure page (公示) of a community and year: fee standards, income and expense by month, the maintenance fund', querystring: s.disclosureQuery, response: { 200: s.disclosure } } }, async (req) =>
    fund.getDisclosure(d, ctxOf(req), req.query),
  );
  app.get('/api/owner/disclosure', { schema: { tags: ['owner'], summary: 'The disclosure page of a community where I have a room', querystring: s.disclosureQuery, response: { 200: s.disclosure } } }, async (req) =>
    fund.getOwnerDisclosure(d, ctxOf(req), req.query),
  );
};
