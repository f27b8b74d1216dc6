import { z } from 'zod';
import { pageQuery } from '../../core/pagination.ts';

/**
 * Request and response schemas of billing, part one. Prices, areas, readings and usage travel as decimal strings
 * ("1.8000") so no float touches them; numbers are accepted on input and checked to 4 decimals by the service, which
 * names the field. Money is integer 分 (`…Fen`).
 */

export const FEE_KINDS = ['property', 'parking', 'water', 'electricity', 'gas', 'shared', 'fixed', 'oneOff', 'rent'] as const;
export const METER_KINDS = ['water', 'electricity', 'gas'] as const;
export const ROUNDINGS = ['halfUp', 'up', 'down'] as const;
export const CYCLES = ['monthly', 'quarterly', 'halfYearly', 'yearly'] as const;
export const LINE_STATUSES = ['unpaid', 'partial', 'paid', 'revoked'] as const;
export const RUN_STATUSES = ['running', 'completed', 'failed', 'revoked'] as const;

/** A decimal as a string or a number; the service parses it exactly and names the field when it is wrong. */
const decimalInput = z.union([z.number(), z.string().trim().max(24)]);
const date = z.iso.date();
const name = z.string().trim().min(1).max(40);
const periodKeyInput = z.string().trim().min(4).max(10);

export const tier = z.strictObject({ upTo: decimalInput.nullable(), unitPrice: decimalInput });
export const lateFeeInput = z.strictObject({
  graceDays: z.number().int().min(0).max(365).default(0),
  /** ‰ of the principal per overdue day, e.g. "0.5". */
  perDayPermille: decimalInput.optional(),
  /** Or a fixed amount per month begun. */
  perMonthFen: z.number().int().min(1).max(100_000_000).optional(),
  capFen: z.number().int().min(1).max(1_000_000_000).nullable().optional(),
});
export const discountInput = z.strictObject({
  kind: z.enum(['prepay', 'vacancy', 'fixed']),
  payMonths: z.number().int().min(1).max(120).optional(),
  freeMonths: z.number().int().min(1).max(120).optional(),
  /** vacancy: the share still charged, in % ("50" = half). */
  percent: decimalInput.optional(),
  reductionFen: z.number().int().min(1).max(100_000_000).optional(),
  validFrom: date.nullable().optional(),
  validTo: date.nullable().optional(),
});
export const itemCommunityInput = z.strictObject({
  communityId: z.uuid(),
  unitPrice: decimalInput.nullable().optional(),
  /** Create this community's bill run automatically on this day of the month (1–28). */
  autoBillDay: z.number().int().min(1).max(28).nullable().optional(),
});

const itemFields = {
  name,
  unitPrice: decimalInput.nullable(),
  tiers: z.array(tier).min(1).max(10).nullable(),
  areaBasis: z.enum(['built', 'inner']),
  meterKind: z.enum(METER_KINDS).nullable(),
  shareMethod: z.enum(['area', 'household']).nullable(),
  rounding: z.enum(ROUNDINGS),
  cycle: z.enum(CYCLES),
  billingMode: z.enum(['prepaid', 'postpaid']),
  dueFrom: z.enum(['periodStart', 'periodEnd']),
  dueDays: z.number().int().min(0).max(365),
  prorate: z.boolean(),
  lateFee: lateFeeInput.nullable(),
  rentIncreasePercent: decimalInput.nullable(),
  rentIncreaseEveryMonths: z.number().int().min(1).max(120).nullable(),
  discounts: z.array(discountInput).max(20),
  /** The communities the item is billed in (replaces the list of the caller's communities when given). */
  communities: z.array(itemCommunityInput).max(500),
};

export const createFeeItemBody = z.strictObject({
  kind: z.enum(FEE_KINDS),
  name,
  unitPrice: itemFields.unitPrice.optional(),
  tiers: itemFields.tiers.optional(),
  areaBasis: itemFields.areaBasis.default('built'),
  meterKind: itemFields.meterKind.optional(),
  shareMethod: itemFields.shareMethod.optional(),
  rounding: itemFields.rounding.default('halfUp'),
  cycle: itemFields.cycle.default('monthly'),
  billingMode: itemFields.billingMode.default('prepaid'),
  dueFrom: itemFields.dueFrom.optional(),
  dueDays: itemFields.dueDays.default(15),
  prorate: itemFields.prorate.default(true),
  lateFee: itemFields.lateFee.optional(),
  rentIncreasePercent: itemFields.rentIncreasePercent.optional(),
  rentIncreaseEveryMonths: itemFields.rentIncreaseEveryMonths.optional(),
  discounts: itemFields.discounts.default([]),
  communities: itemFields.communities.default([]),
  /** Which prepaid balance pays this item (default by kind: 物业费 → property, metered → utilities, else general). */
  balanceKind: z.enum(['general', 'property', 'utilities']).optional(),
  /** New bills of this item are settled from the room's prepaid balance automatically. */
  autoDeduct: z.boolean().default(false),
});
export type CreateFeeItemInput = z.infer<typeof createFeeItemBody>;

export const updateFeeItemBody = z.strictObject({
  name: itemFields.name.optional(),
  unitPrice: itemFields.unitPrice.optional(),
  tiers: itemFields.tiers.optional(),
  areaBasis: itemFields.areaBasis.optional(),
  meterKind: itemFields.meterKind.optional(),
  shareMethod: itemFields.shareMethod.optional(),
  rounding: itemFields.rounding.optional(),
  cycle: itemFields.cycle.optional(),
  billingMode: itemFields.billingMode.optional(),
  dueFrom: itemFields.dueFrom.optional(),
  dueDays: itemFields.dueDays.optional(),
  prorate: itemFields.prorate.optional(),
  lateFee: itemFields.lateFee.optional(),
  rentIncreasePercent: itemFields.rentIncreasePercent.optional(),
  rentIncreaseEveryMonths: itemFields.rentIncreaseEveryMonths.optional(),
  discounts: itemFields.discounts.optional(),
  communities: itemFields.communities.optional(),
  balanceKind: z.enum(['general', 'property', 'utilities']).optional(),
  autoDeduct: z.boolean().optional(),
  active: z.boolean().optional(),
});
export type UpdateFeeItemInput = z.infer<typeof updateFeeItemBody>;

export const discount = z.object({
  id: z.string(),
  kind: z.enum(['prepay', 'vacancy', 'fixed']),
  payMonths: z.number().int().nullable(),
  freeMonths: z.number().int().nullable(),
  percent: z.string().nullable(),
  reductionFen: z.number().int().nullable(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
});
export const feeItem = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(FEE_KINDS),
  unitPrice: z.string().nullable(),
  tiers: z.array(z.object({ upTo: z.string().nullable(), unitPrice: z.string() })).nullable(),
  areaBasis: z.enum(['built', 'inner']),
  meterKind: z.enum(METER_KINDS).nullable(),
  shareMethod: z.enum(['area', 'household']).nullable(),
  rounding: z.enum(ROUNDINGS),
  cycle: z.enum(CYCLES),
  billingMode: z.enum(['prepaid', 'postpaid']),
  dueFrom: z.enum(['periodStart', 'periodEnd']),
  dueDays: z.number().int(),
  prorate: z.boolean(),
  lateFee: z.object({ graceDays: z.number().int(), perDayPermille: z.string().optional(), perMonthFen: z.number().int().optional(), capFen: z.number().int().nullable().optional() }).nullable(),
  rentIncreasePercent: z.string().nullable(),
  rentIncreaseEveryMonths: z.number().int().nullable(),
  balanceKind: z.enum(['general', 'property', 'utilities']),
  autoDeduct: z.boolean(),
  active: z.boolean(),
  discounts: z.array(discount),
  communities: z.array(z.object({ communityId: z.string(), communityName: z.string(), unitPrice: z.string().nullable(), autoBillDay: z.number().int().nullable() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type FeeItem = z.infer<typeof feeItem>;
export const feeItemQuery = pageQuery.extend({ communityId: z.uuid().optional(), kind: z.enum(FEE_KINDS).optional(), active: z.enum(['true', 'false']).optional() });

// ── Bindings ──────────────────────────────────────────────────────────────────────────────────────────────────
export const binding = z.object({
  id: z.string(),
  itemId: z.string(),
  itemName: z.string(),
  itemKind: z.enum(FEE_KINDS),
  communityId: z.string(),
  roomId: z.string().nullable(),
  roomLabel: z.string().nullable(),
  parkingSpaceId: z.string().nullable(),
  parkingSpaceNumber: z.string().nullable(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  unitPrice: z.string().nullable(),
  note: z.string().nullable(),
});
export type Binding = z.infer<typeof binding>;
export const createBindingBody = z.strictObject({
  itemId: z.uuid(),
  roomId: z.uuid().optional(),
  parkingSpaceId: z.uuid().optional(),
  startDate: date,
  endDate: date.nullable().optional(),
  /** This target's own price (a rent contract, a reserved space), instead of the item's. */
  unitPrice: decimalInput.nullable().optional(),
  note: z.string().trim().max(200).optional(),
});
export type CreateBindingInput = z.infer<typeof createBindingBody>;
export const updateBindingBody = z.strictObject({
  endDate: date.nullable().optional(),
  unitPrice: decimalInput.nullable().optional(),
  note: z.string().trim().max(200).nullable().optional(),
});
export const bulkBindBody = z.strictObject({
  itemId: z.uuid(),
  communityId: z.uuid(),
  /** Only this building's rooms (room items). */
  buildingId: z.uuid().optional(),
  startDate: date,
  endDate: date.nullable().optional(),
});
export const bulkBindResult = z.object({ created: z.number().int(), skipped: z.number().int() });
export const bindingQuery = pageQuery.extend({
  communityId: z.uuid().optional(),
  itemId: z.uuid().optional(),
  roomId: z.uuid().optional(),
  parkingSpaceId: z.uuid().optional(),
  activeOn: date.optional(),
});

export const vacancyApproval = z.object({
  id: z.string(),
  roomId: z.string(),
  communityId: z.string(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  note: z.string().nullable(),
  approvedBy: z.string().nullable(),
  createdAt: z.string(),
});
export type VacancyApproval = z.infer<typeof vacancyApproval>;
export const createVacancyBody = z.strictObject({ roomId: z.uuid(), startDate: date, endDate: date.nullable().optional(), note: z.string().trim().max(200).optional() });
export const endVacancyBody = z.strictObject({ endDate: date });
export const vacancyQuery = pageQuery.extend({ communityId: z.uuid().optional(), roomId: z.uuid().optional() });

// ── Meters and readings ───────────────────────────────────────────────────────────────────────────────────────
export const meter = z.object({
  id: z.string(),
  communityId: z.string(),
  buildingId: z.string(),
  roomId: z.string().nullable(),
  roomLabel: z.string().nullable(),
  kind: z.enum(METER_KINDS),
  number: z.string(),
  multiplier: z.string(),
  initialReading: z.string(),
  status: z.enum(['active', 'replaced']),
  installedAt: z.string().nullable(),
  replacesMeterId: z.string().nullable(),
  replacedByMeterId: z.string().nullable(),
  finalReading: z.string().nullable(),
  replacedAt: z.string().nullable(),
  lastReading: z.object({ periodKey: z.string(), reading: z.string() }).nullable(),
});
export type Meter = z.infer<typeof meter>;
export const createMeterBody = z.strictObject({
  roomId: z.uuid().optional(),
  buildingId: z.uuid().optional(),
  kind: z.enum(METER_KINDS),
  number: z.string().trim().min(1).max(32),
  multiplier: decimalInput.optional(),
  initialReading: decimalInput.optional(),
  installedAt: date.optional(),
});
export const replaceMeterBody = z.strictObject({
  /** The old meter's last reading, taken when it was removed. */
  finalReading: decimalInput,
  number: z.string().trim().min(1).max(32),
  initialReading: decimalInput.optional(),
  multiplier: decimalInput.optional(),
  replacedAt: date,
});
export const meterQuery = pageQuery.extend({
  communityId: z.uuid().optional(),
  buildingId: z.uuid().optional(),
  roomId: z.uuid().optional(),
  kind: z.enum(METER_KINDS).optional(),
  status: z.enum(['active', 'replaced']).optional(),
  q: z.string().trim().max(32).optional(),
});

export const reading = z.object({
  id: z.string(),
  meterId: z.string(),
  meterNumber: z.string(),
  communityId: z.string(),
  periodKey: z.string(),
  reading: z.string(),
  previousReading: z.string(),
  usage: z.string(),
  readAt: z.string(),
  readerName: z.string().nullable(),
  source: z.enum(['console', 'phone', 'xlsx']),
  flags: z.array(z.string()),
  status: z.enum(['accepted', 'review']),
  approvedAt: z.string().nullable(),
});
export type Reading = z.infer<typeof reading>;
export const createReadingBody = z.strictObject({
  meterId: z.uuid(),
  periodKey: periodKeyInput,
  reading: decimalInput,
  readAt: z.iso.datetime({ offset: true }).optional(),
  source: z.enum(['console', 'phone']).default('console'),
});
export const readingQuery = pageQuery.extend({
  communityId: z.uuid().optional(),
  meterId: z.uuid().optional(),
  periodKey: periodKeyInput.optional(),
  status: z.enum(['accepted', 'review']).optional(),
});
export const readingImportQuery = z.object({ communityId: z.uuid() });
export const readingImportResult = z.object({ imported: z.number().int(), review: z.number().int() });

// ── Bill runs and lines ───────────────────────────────────────────────────────────────────────────────────────
export const runBody = z.strictObject({
  communityId: z.uuid(),
  periodKey: periodKeyInput,
  /** Default: every enabled, active item of the community billed for this period's cycle, and one-off items. */
  itemIds: z.array(z.uuid()).min(1).max(50).optional(),
});
export type RunInput = z.infer<typeof runBody>;

export const previewItem = z.object({
  itemId: z.string(),
  itemName: z.string(),
  kind: z.enum(FEE_KINDS),
  lines: z.number().int(),
  amountFen: z.number().int(),
  existing: z.number().int(),
  existingAmountFen: z.number().int(),
  missingReadings: z.number().int(),
  readingsInReview: z.number().int(),
  zero: z.number().int(),
});
export const preview = z.object({
  communityId: z.string(),
  periodKey: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  targets: z.number().int(),
  items: z.array(previewItem),
  totals: z.object({ lines: z.number().int(), amountFen: z.number().int(), existing: z.number().int() }),
});
export type Preview = z.infer<typeof preview>;

export const billRun = z.object({
  id: z.string(),
  communityId: z.string(),
  communityName: z.string(),
  periodKey: z.string(),
  itemIds: z.array(z.string()),
  status: z.enum(RUN_STATUSES),
  trigger: z.enum(['manual', 'schedule']),
  total: z.number().int(),
  processed: z.number().int(),
  percent: z.number(),
  linesCreated: z.number().int(),
  amountFen: z.number().int(),
  error: z.string().nullable(),
  createdBy: z.string().nullable(),
  startedAt: z.string(),
  heartbeatAt: z.string(),
  finishedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type BillRun = z.infer<typeof billRun>;
export const runQuery = pageQuery.extend({ communityId: z.uuid().optional(), periodKey: periodKeyInput.optional(), status: z.enum(RUN_STATUSES).optional() });

export const billLine = z.object({
  id: z.string(),
  /** The run that billed it; null for a late fee. */
  runId: z.string().nullable(),
  /** 'charge' (billed by a run) or 'lateFee' (滞纳金 charged when an overdue charge was paid). */
  kind: z.enum(['charge', 'lateFee']),
  /** A late fee's overdue line, and the payment it was charged on. */
  sourceLineId: z.string().nullable(),
  chargedByPaymentId: z.string().nullable(),
  /** A waived late fee: who waived it and why (the line is revoked). */
  waivedBy: z.string().nullable(),
  waiveReason: z.string().nullable(),
  /** Late fees charged on this line so far (live or waived). */
  lateFeesChargedFen: z.number().int(),
  /** What paying the rest of an overdue charge today would add in late fees (its item's terms; 0 when none). */
  lateFeeAccruedFen: z.number().int(),
  communityId: z.string(),
  buildingId: z.string().nullable(),
  itemId: z.string(),
  itemName: z.string(),
  itemKind: z.enum(FEE_KINDS),
  targetKind: z.enum(['room', 'parkingSpace', 'meter', 'binding']),
  targetId: z.string(),
  roomId: z.string().nullable(),
  roomLabel: z.string().nullable(),
  parkingSpaceId: z.string().nullable(),
  parkingSpaceNumber: z.string().nullable(),
  meterId: z.string().nullable(),
  periodKey: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  amountFen: z.number().int(),
  paidFen: z.number().int(),
  status: z.enum(LINE_STATUSES),
  dueDate: z.string(),
  basis: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type BillLine = z.infer<typeof billLine>;
export const lineQuery = pageQuery.extend({
  communityId: z.uuid().optional(),
  kind: z.enum(['charge', 'lateFee']).optional(),
  buildingId: z.uuid().optional(),
  roomId: z.uuid().optional(),
  parkingSpaceId: z.uuid().optional(),
  itemId: z.uuid().optional(),
  runId: z.uuid().optional(),
  periodKey: periodKeyInput.optional(),
  status: z.enum(LINE_STATUSES).optional(),
});
export const roomBillQuery = pageQuery.extend({ periodKey: periodKeyInput.optional(), status: z.enum(LINE_STATUSES).optional(), kind: z.enum(['charge', 'lateFee']).optional() });

export const billingSettings = z.object({ jumpFactor: z.string() });
export const updateBillingSettingsBody = z.strictObject({ jumpFactor: decimalInput });
