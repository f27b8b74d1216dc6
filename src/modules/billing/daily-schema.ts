import { z } from 'zod';
import { pageQuery } from '../../core/pagination.ts';
import { PAYMENT_METHODS, paymentSummary } from './payment-schema.ts';

/**
 * Request and response schemas of invoice requests (发票申请), the cashier's daily report (收款日报) and the day's
 * hand-over (交账). Money is integer 分 (`…Fen`); dates are business dates, the community's local 'YYYY-MM-DD'.
 * No server imports: the web app uses these too.
 */

const date = z.iso.date();

// ── Invoice requests ──────────────────────────────────────────────────────────────────────────────────────────
export const INVOICE_KINDS = ['personal', 'company'] as const;
export const INVOICE_STATUSES = ['requested', 'issued', 'rejected'] as const;

export const createInvoiceBody = z.strictObject({
  paymentId: z.uuid(),
  /** personal: an individual's invoice (title = the person's name); company: needs the company's tax number. */
  kind: z.enum(INVOICE_KINDS),
  /** 发票抬头: the person's or the company's name. */
  title: z.string().trim().min(1).max(100),
  /**
   * 纳税人识别号 = the 18-character 统一社会信用代码; required for a company. Spaces are ignored and letters upper-cased;
   * the format and check character are checked by the server (400 naming taxNo).
   */
  taxNo: z.string().trim().max(40).optional(),
  /** Where finance sends the electronic invoice. */
  email: z.email().max(120).optional(),
});
export type CreateInvoiceInput = z.infer<typeof createInvoiceBody>;

export const invoiceQuery = pageQuery.extend({
  communityId: z.uuid().optional(),
  status: z.enum(INVOICE_STATUSES).optional(),
  paymentId: z.uuid().optional(),
});
export type InvoiceQuery = z.infer<typeof invoiceQuery>;

/** 发票号码: 8 digits (paper), 20 digits (数电票), or 发票代码-号码 as printed. */
export const issueInvoiceBody = z.strictObject({ invoiceNo: z.string().trim().min(6).max(40).regex(/^[0-9A-Za-z-]+$/) });
export const rejectInvoiceBody = z.strictObject({ note: z.string().trim().min(2).max(200) });

export const invoiceRequest = z.object({
  id: z.uuid(),
  communityId: z.uuid(),
  communityName: z.string(),
  paymentId: z.uuid(),
  tradeNo: z.string(),
  receiptNo: z.string().nullable(),
  roomId: z.uuid().nullable(),
  roomLabel: z.string().nullable(),
  paidAt: z.string().nullable(),
  kind: z.enum(INVOICE_KINDS),
  title: z.string(),
  taxNo: z.string().nullable(),
  email: z.string().nullable(),
  /** The payment's amount less what was refunded when the request was made. */
  amountFen: z.number().int(),
  status: z.enum(INVOICE_STATUSES),
  invoiceNo: z.string().nullable(),
  /** Why finance rejected it. */
  note: z.string().nullable(),
  requestedBy: z.string().nullable(),
  handledBy: z.string().nullable(),
  handledAt: z.string().nullable(),
  createdAt: z.string(),
});
export type InvoiceRequest = z.infer<typeof invoiceRequest>;

// ── Daily report and hand-over ────────────────────────────────────────────────────────────────────────────────
export const dailyReportQuery = z.object({
  communityId: z.uuid(),
  /** The business date; default today in the community's time zone. */
  date: date.optional(),
  /** One collector's takings. A cashier without billing.manage always sees only their own. */
  collectorId: z.uuid().optional(),
});
export type DailyReportQuery = z.infer<typeof dailyReportQuery>;

export const closeDayBody = z.strictObject({ communityId: z.uuid(), date });
export type CloseDayInput = z.infer<typeof closeDayBody>;

const figure = { count: z.number().int(), amountFen: z.number().int() };
export const methodFigure = z.object({ method: z.enum(PAYMENT_METHODS), ...figure });
export type MethodFigure = z.infer<typeof methodFigure>;

export const cashierClosing = z.object({
  id: z.uuid(),
  communityId: z.uuid(),
  collectorId: z.uuid(),
  collectorName: z.string().nullable(),
  businessDate: z.string(),
  /** As handed over. */
  totalFen: z.number().int(),
  paymentCount: z.number().int(),
  byMethod: z.array(z.object({ method: z.enum(PAYMENT_METHODS), amountFen: z.number().int() })),
  closedBy: z.string().nullable(),
  closedAt: z.string(),
  /** The collector's counter payments of the day now, which differ from the frozen figures when some came after. */
  currentFen: z.number().int(),
  currentCount: z.number().int(),
  changedSinceClose: z.boolean(),
});
export type CashierClosing = z.infer<typeof cashierClosing>;

export const dailyReport = z.object({
  date: z.string(),
  communityId: z.uuid(),
  communityName: z.string(),
  /** The collector the report is limited to (asked for, or the cashier themself); null for everyone. */
  collectorId: z.uuid().nullable(),
  /** Succeeded payments of the day, gross (refunds are counted on the day they are paid back). */
  totals: z.object(figure),
  byMethod: z.array(methodFigure),
  /** One row per counter collector (by name), then owners' online payments (collectorId null). */
  byCollector: z.array(
    z.object({
      collectorId: z.uuid().nullable(),
      name: z.string(),
      channel: z.enum(['counter', 'online']),
      ...figure,
      byMethod: z.array(methodFigure),
      refundFen: z.number().int(),
      netFen: z.number().int(),
    }),
  ),
  /** Refunds paid back on the day, by the refunded payment's method. */
  refunds: z.object({ ...figure, byMethod: z.array(methodFigure) }),
  netFen: z.number().int(),
  payments: z.array(paymentSummary),
  closings: z.array(cashierClosing),
});
export type DailyReport = z.infer<typeof dailyReport>;
