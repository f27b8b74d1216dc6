import type { FastifyInstance } from 'fastify';
import { writeAudit } from '../../core/audit.ts';

/**
 * Refused money writes are audited: a 400 / 409 / 422 answer to a POST, PUT, PATCH or DELETE on a billing route
 * (fee items, bindings, readings, bill runs, payments, refunds, invoices, the fund, collection) writes a
 * `billing.rejected` row naming the route, the field and the error code — in its own transaction, since the
 * request's own transaction rolled back and changed nothing. Bodies are not recorded (they may hold personal data).
 */

const BILLING_ROUTES = /^\/api\/(fee-items|fee-bindings|vacancy-approvals|meters|meter-readings|bill-runs|payments(?!\/notify)|refunds|rooms\/[^/]+\/settle|owner\/payments|owner\/invoice-requests|invoice-requests|billing\/|billing-settings|fund-entries|disclosure-entries|collection-quotas|reminder-campaigns|collection-tasks|arrears\/notices)/;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const REFUSED = new Set([400, 409, 422]);

export function auditBillingRejections(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (!REFUSED.has(reply.statusCode) || !WRITES.has(req.method) || !req.ctx) return payload;
    const route = req.routeOptions.url ?? req.url.split('?')[0];
    if (!BILLING_ROUTES.test(route)) return payload;
    let code: string | null = null;
    let field: string | null = null;
    let message: string | null = null;
    if (typeof payload === 'string') {
      try {
        const body = JSON.parse(payload) as { error?: { code?: string; message?: string; details?: { field?: string; fields?: Array<{ field?: string }> } | null } };
        code = body.error?.code ?? null;
        message = body.error?.message?.slice(0, 300) ?? null;
        field = body.error?.details?.field ?? body.error?.details?.fields?.[0]?.field ?? null;
      } catch {
        // not JSON: keep the status only
      }
    }
    const ctx = req.ctx;
    try {
      await app.deps.db.transaction().execute((trx) =>
        writeAudit(trx, ctx, {
          action: 'billing.rejected',
          entityType: route.split('/')[2] ?? 'billing',
          entityId: (req.params as { id?: string } | undefined)?.id ?? null,
          after: { method: req.method, route, status: reply.statusCode, code, field, message },
        }),
      );
    } catch (err) {
      req.log.error({ err }, 'could not audit a refused billing write');
    }
    return payload;
  });
}
