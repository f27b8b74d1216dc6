import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../core/http.ts';
import { reconcile } from './reconcile.ts';

const tags = ['payments'];

export const reconcileQuery = z.object({
  /** Business dates, inclusive, read in each community's time zone; at most 366 days. */
  from: z.iso.date(),
  to: z.iso.date(),
  communityId: z.uuid().optional(),
});

const figures = {
  paymentsFen: z.number().int(),
  paymentCount: z.number().int(),
  refundsFen: z.number().int(),
  refundCount: z.number().int(),
  netCashFen: z.number().int(),
  paymentAllocationsFen: z.number().int(),
  balanceAllocationsFen: z.number().int(),
  balanceDeltaFen: z.number().int(),
  depositsFen: z.number().int(),
  settlementsFen: z.number().int(),
  balanceRefundsFen: z.number().int(),
  ledgerFen: z.number().int(),
  differenceFen: z.number().int(),
};

export const reconciliation = z.object({
  from: z.string(),
  to: z.string(),
  communityId: z.uuid().nullable(),
  period: z.object({ ...figures, communities: z.array(z.object({ communityId: z.uuid(), communityName: z.string(), ...figures })) }),
  checked: z.object({ lines: z.number().int(), balances: z.number().int(), balanceEntries: z.number().int(), payments: z.number().int(), refunds: z.number().int(), bonuses: z.number().int() }),
  mismatches: z.array(
    z.object({
      check: z.enum(['period', 'line', 'balance', 'balanceEntry', 'payment', 'refund', 'bonus']),
      field: z.string(),
      entityType: z.enum(['community', 'billLine', 'prepaidBalance', 'balanceEntry', 'payment', 'refund', 'prepayBonus']),
      entityId: z.string(),
      communityId: z.uuid().nullable(),
      expectedFen: z.number().int(),
      actualFen: z.number().int(),
    }),
  ),
  mismatchCount: z.number().int(),
  truncated: z.boolean(),
  ok: z.boolean(),
});

/** 对账: the money invariants of payments, balances and refunds, checked over the books. */
export const reconcileRoutes: FastifyPluginAsyncZod = async (app) => {
  const d = app.deps;
  app.get(
    '/api/billing/reconciliation',
    {
      schema: {
        tags,
        summary:
          'Reconciliation (对账): cash in − cash out of the period = allocations + balance movements of the period; every bill line, prepaid balance, payment and refund agrees with its ledger rows. Lists the mismatches.',
        querystring: reconcileQuery,
        response: { 200: reconciliation },
      },
    },
    async (req) => reconcile(d, ctxOf(req), req.query),
  );
};
