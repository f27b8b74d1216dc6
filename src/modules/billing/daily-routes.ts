import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../core/http.ts';
import { pageOf } from '../../core/pagination.ts';
import { idParams } from '../../core/validation.ts';
import { sendReport } from '../servicedesk/reports.ts';
import * as s from './daily-schema.ts';
import * as daily from './daily.ts';
import * as invoices from './invoices.ts';

const tags = ['billing'];

/** 发票申请 (invoice requests), 收款日报 (the cashier's daily report) and 交账 (hand-over). */
export const dailyRoutes: FastifyPluginAsyncZod = async (app) => {
  const d = app.deps;

  app.post(
    '/api/invoice-requests',
    {
      schema: {
        tags,
        summary: 'Ask for an invoice (发票) of a succeeded payment; a company needs its 统一社会信用代码 as taxNo. One live request per payment (409).',
        body: s.createInvoiceBody,
        response: { 201: s.invoiceRequest },
      },
    },
    async (req, reply) => reply.status(201).send(await invoices.createInvoiceRequest(d, ctxOf(req), req.body)),
  );
  app.get('/api/invoice-requests', { schema: { tags, summary: 'Invoice requests, newest first', querystring: s.invoiceQuery, response: { 200: pageOf(s.invoiceRequest) } } }, async (req) =>
    invoices.listInvoiceRequests(d, ctxOf(req), req.query),
  );
  app.get('/api/invoice-requests/:id', { schema: { tags, params: idParams, response: { 200: s.invoiceRequest } } }, async (req) => invoices.getInvoiceRequest(d, ctxOf(req), req.params.id));
  app.post('/api/invoice-requests/:id/issue', { schema: { tags, summary: 'Record the number of the invoice finance issued', params: idParams, body: s.issueInvoiceBody, response: { 200: s.invoiceRequest } } }, async (req) =>
    invoices.issueInvoice(d, ctxOf(req), req.params.id, req.body),
  );
  app.post('/api/invoice-requests/:id/reject', { schema: { tags, summary: 'Reject a request with the reason; the payment may then be requested again', params: idParams, body: s.rejectInvoiceBody, response: { 200: s.invoiceRequest } } }, async (req) =>
    invoices.rejectInvoice(d, ctxOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/owner/invoice-requests',
    { schema: { tags: ['owner'], summary: 'Ask for an invoice of a payment I made or of one of my rooms', body: s.createInvoiceBody, response: { 201: s.invoiceRequest } } },
    async (req, reply) => reply.status(201).send(await invoices.ownerCreateInvoiceRequest(d, ctxOf(req), req.body)),
  );
  app.get('/api/owner/invoice-requests', { schema: { tags: ['owner'], summary: 'My invoice requests, newest first', response: { 200: z.object({ items: z.array(s.invoiceRequest) }) } } }, async (req) =>
    invoices.listOwnerInvoiceRequests(d, ctxOf(req)),
  );

  app.get(
    '/api/billing/daily-report',
    {
      schema: {
        tags,
        summary: '收款日报: a community’s payments of a business date by method and collector (online payments apart), refunds paid back that day, net, hand-overs. Cashiers see their own.',
        querystring: s.dailyReportQuery,
        response: { 200: s.dailyReport },
      },
    },
    async (req) => daily.dailyReport(d, ctxOf(req), req.query),
  );
  app.get('/api/billing/daily-report.xlsx', { schema: { tags, summary: 'The daily report as .xlsx (same parameters), amounts in yuan', querystring: s.dailyReportQuery, response: { 200: z.any() } } }, async (req, reply) =>
    sendReport(reply, await daily.dailyReportXlsx(d, ctxOf(req), req.query)),
  );
  app.post(
    '/api/billing/daily-report/close',
    { schema: { tags, summary: '交账: hand over my counter takings of a day; the figures are frozen, once (409 the second time)', body: s.closeDayBody, response: { 201: s.cashierClosing } } },
    async (req, reply) => reply.status(201).send(await daily.closeDay(d, ctxOf(req), req.body)),
  );
};
