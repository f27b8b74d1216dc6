import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../core/http.ts';
import { pageOf } from '../../core/pagination.ts';
import { idParams } from '../../core/validation.ts';
import * as s from './payment-schema.ts';
import * as payments from './payments.ts';
import * as read from './payment-read.ts';
import * as refunds from './refunds.ts';
import { receiptPdf } from './receipts.ts';
import { providers } from './payments/registry.ts';
import * as prepay from './prepay.ts';
import { waiveLateFee } from './late-fee-ledger.ts';

const tags = ['payments'];

/** Answers in the shape each provider expects: WeChat Pay JSON, Alipay's bare "success"/"fail", the sandbox JSON. */
function ack(provider: string, ok: boolean, message = '') {
  if (provider === 'alipay') return { type: 'text/plain', body: ok ? 'success' : 'fail' };
  return { type: 'application/json', body: JSON.stringify(ok ? { code: 'SUCCESS', message: '成功' } : { code: 'FAIL', message }) };
}

export const paymentRoutes: FastifyPluginAsyncZod = async (app) => {
  const d = app.deps;

  app.post('/api/payments', { schema: { tags, summary: '柜台收款: cash, POS or transfer for a room’s bills (named, or oldest first); the rest to a prepaid balance. Idempotent by idempotencyKey.', body: s.counterPayBody, response: { 201: s.paymentDetail, 200: s.paymentDetail } } }, async (req, reply) => {
    const result = await payments.counterPay(d, ctxOf(req), req.body);
    return reply.status(result.replayed ? 200 : 201).send(result);
  });
  app.get('/api/payments', { schema: { tags, summary: 'Payments, filtered (business dates in the community’s zone)', querystring: s.paymentQuery, response: { 200: pageOf(s.paymentSummary) } } }, async (req) => read.listPayments(d, ctxOf(req), req.query));
  app.get('/api/payments/:id', { schema: { tags, summary: 'A payment with its allocations, refunds, receipt and invoice request', params: idParams, response: { 200: s.paymentDetail } } }, async (req) => read.getPayment(d, ctxOf(req), req.params.id));
  app.get('/api/payments/:id/receipt.pdf', { schema: { tags, summary: 'Print the receipt (收据) as PDF; reprints are marked 补打', params: idParams } }, async (req, reply) => {
    const { pdf, number } = await receiptPdf(d, ctxOf(req), req.params.id);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${number}.pdf"`).send(pdf);
  });

  app.get('/api/rooms/:id/balances', { schema: { tags, summary: 'A room’s prepaid balances by kind and their latest ledger entries', params: idParams, response: { 200: s.balanceView } } }, async (req) => read.roomBalances(d, ctxOf(req), req.params.id));
  app.get('/api/rooms/:id/prepay-quote', { schema: { tags, summary: '预交优惠: what prepaying N months of a monthly item costs for the room and the free months it earns', params: idParams, querystring: s.prepayQuoteQuery, response: { 200: s.prepayQuote } } }, async (req) =>
    prepay.roomPrepayQuote(d, ctxOf(req), req.params.id, req.query),
  );
  app.post('/api/bill-lines/:id/waive', { schema: { tags, summary: '减免滞纳金: waive an unpaid late fee (billing.waive); it stays on record, revoked, with the reason', params: idParams, body: s.waiveBody, response: { 200: s.waiveResult } } }, async (req) =>
    waiveLateFee(d, ctxOf(req), req.params.id, req.body),
  );
  app.post('/api/rooms/:id/settle', { schema: { tags, summary: '预存款抵扣: settle the room’s open bills from its balances (own kind first, then general)', params: idParams, response: { 200: s.settleResult } } }, async (req) => payments.settleFromBalance(d, ctxOf(req), req.params.id));

  app.post('/api/refunds', { schema: { tags, summary: 'Request a refund of a payment (at most what it still has); idempotent', body: s.refundBody, response: { 201: s.refundView } } }, async (req, reply) => reply.status(201).send(await refunds.requestRefund(d, ctxOf(req), req.body)));
  app.get('/api/refunds', { schema: { tags, querystring: s.refundQuery, response: { 200: pageOf(s.refundView) } } }, async (req) => refunds.listRefunds(d, ctxOf(req), req.query));
  app.get('/api/refunds/:id', { schema: { tags, params: idParams, response: { 200: s.refundView } } }, async (req) => refunds.getRefund(d, ctxOf(req), req.params.id));
  app.post('/api/refunds/:id/approve', { schema: { tags, summary: 'Approve (not the requester): the money comes back from the balance first, then the bills, which owe again', params: idParams, body: s.refundDecisionBody, response: { 200: s.refundView } } }, async (req) =>
    refunds.approveRefund(d, ctxOf(req), req.params.id, req.body),
  );
  app.post('/api/refunds/:id/reject', { schema: { tags, params: idParams, body: s.refundRejectBody, response: { 200: s.refundView } } }, async (req) => refunds.rejectRefund(d, ctxOf(req), req.params.id, req.body));

  // Owner site
  app.get('/api/owner/billing', { schema: { tags: ['owner'], summary: 'My rooms’ bills, balances and payments', response: { 200: s.ownerBilling } } }, async (req) => ({
    ...(await read.ownerBilling(d, ctxOf(req))),
    providers: [...providers(d.config.payments).keys()],
  }));
  app.post('/api/owner/payments', { schema: { tags: ['owner'], summary: 'Pay some of my bills online; returns the provider’s pay link. Idempotent by idempotencyKey.', body: s.ownerPayBody, response: { 200: s.ownerPayResult } } }, async (req) =>
    payments.ownerStartPayment(d, ctxOf(req), req.body),
  );
  app.get('/api/owner/payments/:id', { schema: { tags: ['owner'], params: idParams, response: { 200: s.paymentDetail } } }, async (req) => read.getPayment(d, ctxOf(req), req.params.id));
  app.post('/api/owner/payments/:id/sandbox-confirm', { schema: { tags: ['owner'], summary: 'The sandbox’s pay button (demo only): the server notifies itself, signed', params: idParams, body: s.sandboxConfirmBody, response: { 200: s.paymentDetail } } }, async (req) =>
    payments.sandboxConfirm(d, ctxOf(req), req.params.id, req.body.outcome),
  );
  app.get('/api/owner/payments/:id/receipt.pdf', { schema: { tags: ['owner'], params: idParams } }, async (req, reply) => {
    const { pdf, number } = await receiptPdf(d, ctxOf(req), req.params.id);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${number}.pdf"`).send(pdf);
  });

  // Provider notifications: public, raw bodies (the signature covers the exact bytes).
  await app.register(async (scope) => {
    const child = scope.withTypeProvider<ZodTypeProvider>();
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));
    child.post('/api/payments/notify/:provider', { config: { public: true }, schema: { tags, summary: 'Payment notifications from WeChat Pay, Alipay and the sandbox (signature verified; applied once)', params: z.object({ provider: z.enum(s.ONLINE_PROVIDERS) }) } }, async (req, reply) => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
      try {
        await payments.handleNotification(d, req.params.provider, headers, typeof req.body === 'string' ? req.body : '', req.ip);
        const a = ack(req.params.provider, true);
        return reply.type(a.type).send(a.body);
      } catch (err) {
        if (!(err instanceof payments.NotificationRejected)) throw err;
        const a = ack(req.params.provider, false, err.params.reason as string);
        return reply.status(req.params.provider === 'alipay' ? 200 : 400).type(a.type).send(a.body);
      }
    });
  });
};
