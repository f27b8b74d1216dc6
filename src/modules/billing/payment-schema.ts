import { z } from 'zod';
import { pageQuery } from '../../core/pagination.ts';

/** Request and response schemas of payments, balances and refunds. Money is integer 分 (`…Fen`). */

export const PAYMENT_METHODS = ['cash', 'pos', 'transfer', 'wechatpay', 'alipay', 'sandbox'] as const;
export const COUNTER_METHODS = ['cash', 'pos', 'transfer'] as const;
export const ONLINE_PROVIDERS = ['wechatpay', 'alipay', 'sandbox'] as const;
export const PAYMENT_STATUSES = ['pending', 'succeeded', 'failed', 'closed'] as const;
export const BALANCE_KINDS = ['general', 'property', 'utilities'] as const;
export const REFUND_STATUSES = ['requested', 'rejected', 'refunding', 'refunded', 'failed'] as const;

const fen = z.number().int().min(1).max(100_000_000_00);
/** A client-made key (UUID or similar) that makes a retried request a no-op. */
export const idempotencyKey = z.string().trim().min(8).max(80).regex(/^[\w.:-]+$/, 'letters, digits and . _ : - only');
const date = z.iso.date();

export const counterPayBody = z.strictObject({
  roomId: z.uuid().optional(),
  communityId: z.uuid().optional(),
  method: z.enum(COUNTER_METHODS),
  amountFen: fen,
  lines: z.array(z.strictObject({ lineId: z.uuid(), amountFen: fen.nullable().optional() })).min(1).max(500).optional(),
  balanceKind: z.enum(BALANCE_KINDS).optional(),
  payerName: z.string().trim().min(1).max(40).optional(),
  reference: z.string().trim().min(1).max(60).optional(),
  note: z.string().trim().max(200).optional(),
  /** 减免滞纳金: charge no late fee on this payment (billing.waive; a reason is required). */
  waiveLateFee: z.boolean().optional(),
  waiveReason: z.string().trim().min(1).max(200).optional(),
  /** 预交: months of a monthly item paid ahead (pay N get M free); no lines may be named. */
  prepay: z.strictObject({ itemId: z.uuid(), months: z.number().int().min(1).max(60) }).optional(),
  idempotencyKey,
});

export const prepayQuoteQuery = z.strictObject({ itemId: z.uuid(), months: z.coerce.number().int().min(1).max(60) });
export const prepayQuote = z.object({
  itemId: z.uuid(),
  itemName: z.string(),
  months: z.number().int(),
  monthlyFen: z.number().int(),
  amountFen: z.number().int(),
  freeMonths: z.number().int(),
  bonusFen: z.number().int(),
  balanceKind: z.enum(BALANCE_KINDS),
  rule: z.object({ payMonths: z.number().int(), freeMonths: z.number().int() }),
});
export const waiveBody = z.strictObject({ reason: z.string().trim().min(2).max(200) });
export const waiveResult = z.object({ id: z.uuid(), status: z.literal('revoked'), waivedFen: z.number().int() });

export const paymentQuery = pageQuery.extend({
  communityId: z.uuid().optional(),
  roomId: z.uuid().optional(),
  method: z.enum(PAYMENT_METHODS).optional(),
  status: z.enum(PAYMENT_STATUSES).optional(),
  channel: z.enum(['counter', 'owner']).optional(),
  collectorId: z.uuid().optional(),
  from: date.optional(),
  to: date.optional(),
  q: z.string().trim().min(1).max(60).optional(),
});

export const paymentSummary = z.object({
  id: z.uuid(),
  communityId: z.uuid(),
  communityName: z.string(),
  roomId: z.uuid().nullable(),
  roomLabel: z.string().nullable(),
  tradeNo: z.string(),
  method: z.enum(PAYMENT_METHODS),
  channel: z.enum(['counter', 'owner']),
  status: z.enum(PAYMENT_STATUSES),
  amountFen: z.number().int(),
  allocatedFen: z.number().int(),
  toBalanceFen: z.number().int(),
  balanceKind: z.enum(BALANCE_KINDS).nullable(),
  refundedFen: z.number().int(),
  payerName: z.string().nullable(),
  collectorId: z.uuid().nullable(),
  collectorName: z.string().nullable(),
  reference: z.string().nullable(),
  note: z.string().nullable(),
  receiptNo: z.string().nullable(),
  paidAt: z.string().nullable(),
  businessDate: z.string().nullable(),
  createdAt: z.string(),
});

export const paymentDetail = paymentSummary.extend({
  lateFeeWaived: z.boolean(),
  prepay: z.object({ itemId: z.uuid(), itemName: z.string(), months: z.number().int(), freeMonths: z.number().int(), bonusFen: z.number().int(), usedFen: z.number().int(), forfeitedFen: z.number().int() }).nullable(),
  allocations: z.array(
    z.object({
      lineId: z.uuid(),
      kind: z.enum(['charge', 'lateFee']),
      itemName: z.string(),
      periodKey: z.string(),
      periodStart: z.string(),
      periodEnd: z.string(),
      roomLabel: z.string().nullable(),
      amountFen: z.number().int(),
      refundId: z.uuid().nullable(),
      at: z.string(),
    }),
  ),
  refunds: z.array(z.object({ id: z.uuid(), amountFen: z.number().int(), status: z.enum(REFUND_STATUSES), reason: z.string(), createdAt: z.string(), refundedAt: z.string().nullable() })),
  receipt: z.object({ id: z.uuid(), number: z.string(), printCount: z.number().int(), issuedAt: z.string() }).nullable(),
  invoice: z.object({ id: z.uuid(), status: z.string(), title: z.string(), invoiceNo: z.string().nullable() }).nullable(),
  replayed: z.boolean().optional(),
});

const balances = z.object({ general: z.number().int(), property: z.number().int(), utilities: z.number().int() });
const balanceEntry = z.object({
  id: z.number().int(),
  kind: z.enum(BALANCE_KINDS),
  deltaFen: z.number().int(),
  balanceAfterFen: z.number().int(),
  reason: z.string(),
  paymentId: z.uuid().nullable(),
  refundId: z.uuid().nullable(),
  lineId: z.uuid().nullable(),
  at: z.string(),
});
export const balanceView = z.object({ roomId: z.uuid(), balances, totalFen: z.number().int(), entries: z.array(balanceEntry) });
export const settleResult = z.object({ settledFen: z.number().int() });

export const refundBody = z.strictObject({ paymentId: z.uuid(), amountFen: fen, reason: z.string().trim().min(2).max(200), idempotencyKey });
export const refundDecisionBody = z.strictObject({ note: z.string().trim().min(1).max(200).optional() });
export const refundRejectBody = z.strictObject({ note: z.string().trim().min(2).max(200) });
export const refundQuery = pageQuery.extend({ communityId: z.uuid().optional(), status: z.enum(REFUND_STATUSES).optional(), paymentId: z.uuid().optional() });
export const refundView = z.object({
  id: z.uuid(),
  paymentId: z.uuid(),
  tradeNo: z.string(),
  method: z.string(),
  communityId: z.uuid(),
  roomId: z.uuid().nullable(),
  roomLabel: z.string().nullable(),
  amountFen: z.number().int(),
  reason: z.string(),
  status: z.enum(REFUND_STATUSES),
  fromBalanceFen: z.number().int(),
  fromLinesFen: z.number().int(),
  outRefundNo: z.string(),
  requestedBy: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decisionNote: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  refundedAt: z.string().nullable(),
});

export const ownerPayBody = z.strictObject({ lineIds: z.array(z.uuid()).min(1).max(200), provider: z.enum(ONLINE_PROVIDERS), idempotencyKey });
export const ownerPayResult = z.object({
  paymentId: z.uuid(),
  tradeNo: z.string(),
  amountFen: z.number().int(),
  status: z.enum(PAYMENT_STATUSES),
  payUrl: z.string().nullable(),
  qrCode: z.string().nullable().optional(),
  prepayId: z.string().nullable().optional(),
});
export const sandboxConfirmBody = z.strictObject({ outcome: z.enum(['succeeded', 'closed']).default('succeeded') });

const ownerLine = z.object({
  id: z.uuid(),
  itemName: z.string(),
  itemKind: z.string(),
  periodKey: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  amountFen: z.number().int(),
  paidFen: z.number().int(),
  owedFen: z.number().int(),
  status: z.string(),
  dueDate: z.string(),
  kind: z.enum(['charge', 'lateFee']),
  /** Late fees paying this line today would add. */
  lateFeeAccruedFen: z.number().int(),
});
const ownerBonus = z.object({ itemName: z.string(), freeMonths: z.number().int(), amountFen: z.number().int(), remainingFen: z.number().int(), createdAt: z.string() });
export const ownerBilling = z.object({
  rooms: z.array(
    z.object({ roomId: z.uuid(), label: z.string(), community: z.string(), communityId: z.uuid(), owedFen: z.number().int(), balances, balanceEntries: z.array(balanceEntry), lines: z.array(ownerLine), bonuses: z.array(ownerBonus) }),
  ),
  payments: z.array(paymentSummary),
  providers: z.array(z.enum(ONLINE_PROVIDERS)),
});
