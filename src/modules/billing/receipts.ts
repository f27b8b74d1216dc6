import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type RequestContext, companyOf } from '../../core/context.ts';
import { NotFoundError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { getPayment } from './payment-read.ts';
import { renderReceipt } from './pdf.ts';

const BALANCE_LABELS = { general: '通用预存款', property: '物业费预存款', utilities: '水电预存款' } as const;

/**
 * 打印收据: the receipt of a succeeded payment as a PDF. Each print is counted and audited; a reprint is marked
 * 补打 with its number. Staff with billing.read (of the community) and the owner who paid may print; the owner's
 * views are not counted.
 */
export async function receiptPdf(deps: Pick<Deps, 'db'>, ctx: RequestContext, paymentId: string): Promise<{ pdf: Buffer; number: string }> {
  const payment = await getPayment(deps, ctx, paymentId);
  if (!payment.receipt) throw new NotFoundError('receipt');
  const companyId = companyOf(ctx.actor);
  const [company, community] = await Promise.all([
    deps.db.selectFrom('companies').select('name').where('id', '=', companyId).executeTakeFirstOrThrow(),
    deps.db.selectFrom('communities').select(['name', 'time_zone']).where('id', '=', payment.communityId).executeTakeFirstOrThrow(),
  ]);
  // The owner's own view on the phone is an electronic copy: not a print, not counted (the counter's first print
  // stays the original).
  const copy = ctx.actor.kind === 'owner' ? 1 : await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('receipts')
      .set({ print_count: sql`print_count + 1`, last_printed_at: new Date() })
      .where('id', '=', payment.receipt!.id)
      .returning('print_count')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'receipt.print', entityType: 'receipt', entityId: payment.receipt!.id, after: { number: payment.receipt!.number, copy: row.print_count } });
    return row.print_count;
  });
  const lines = payment.allocations.filter((a) => a.amountFen > 0 && !a.refundId);
  const pdf = await renderReceipt({
    companyName: company.name,
    communityName: community.name,
    number: payment.receipt.number,
    issuedAt: payment.receipt.issuedAt,
    timeZone: community.time_zone,
    payerName: payment.payerName,
    roomLabel: payment.roomLabel,
    method: payment.method,
    tradeNo: payment.tradeNo,
    collectorName: payment.collectorName,
    lines: lines.map((a) => ({ itemName: a.kind === 'lateFee' ? `${a.itemName}滞纳金` : a.itemName, periodLabel: a.periodKey, amountFen: a.amountFen })),
    toBalanceFen: payment.toBalanceFen,
    balanceKindLabel: payment.balanceKind ? BALANCE_LABELS[payment.balanceKind] : null,
    totalFen: payment.amountFen,
    refundedFen: payment.refundedFen,
    copy,
    lang: ctx.lang,
  });
  return { pdf, number: payment.receipt.number };
}
