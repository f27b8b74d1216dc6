import { z } from 'zod';
import { pageQuery } from '../../core/pagination.ts';
import { CYCLES, FEE_KINDS } from './schema.ts';

/**
 * Request and response schemas of the maintenance fund (维修资金) ledger, the community's public income and expense
 * (公共收支) and the disclosure page (公示) built from them. Money is integer 分; ledger amounts are signed (money in > 0,
 * money out < 0), while request amounts are always positive and the kind (or an adjustment's direction) gives the sign.
 */

export const FUND_KINDS = ['deposit', 'interest', 'spending', 'adjustment'] as const;
export const DISCLOSURE_DIRECTIONS = ['income', 'expense'] as const;

/** Up to 100 亿元 in one entry: far above any real figure, far below 2^53. */
const MAX_FEN = 1_000_000_000_000;
const amountFen = z.number().int().min(1).max(MAX_FEN);
const date = z.iso.date();
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
const year = z.coerce.number().int().min(2000).max(2100);

// ── Ledger ────────────────────────────────────────────────────────────────────────────────────────────────────
export const fundEntryQuery = pageQuery.extend({
  communityId: z.uuid(),
  from: date.optional(),
  to: date.optional(),
  kind: z.enum(FUND_KINDS).optional(),
});

export const createFundEntryBody = z.strictObject({
  communityId: z.uuid(),
  kind: z.enum(FUND_KINDS),
  /** Always positive: spending is stored negative, an adjustment takes its sign from `direction`. */
  amountFen,
  /** The voucher's date, not in the future (community time) and not before the ledger's latest entry. */
  occurredOn: date,
  description: z.string().trim().min(1).max(200),
  voucherNo: z.string().trim().min(1).max(40).optional(),
  /** Required for spending: an approved medium or major repair of the same community. Allowed on an adjustment. */
  ticketId: z.uuid().optional(),
  /** Adjustments only: 'in' adds to the fund, 'out' takes from it. */
  direction: z.enum(['in', 'out']).optional(),
});
export type CreateFundEntryInput = z.infer<typeof createFundEntryBody>;

export const linkedTicket = z.object({ id: z.string(), no: z.string(), title: z.string() });

export const fundEntry = z.object({
  id: z.string(),
  communityId: z.string(),
  kind: z.enum(FUND_KINDS),
  /** Signed: > 0 into the fund, < 0 out of it. */
  amountFen: z.number().int(),
  /** The fund's balance right after this entry, in ledger order (date, then time recorded). */
  balanceAfterFen: z.number().int(),
  occurredOn: z.string(),
  description: z.string(),
  voucherNo: z.string().nullable(),
  ticket: linkedTicket.nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type FundEntry = z.infer<typeof fundEntry>;

export const fundEntryPage = z.object({
  items: z.array(fundEntry),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** The fund's balance now, whatever the filters. */
  balanceFen: z.number().int(),
});

export const fundSummaryQuery = z.object({ communityId: z.uuid(), year: year.optional() });

const fundMonth = z.object({ month: z.string(), depositFen: z.number().int(), interestFen: z.number().int(), spendingFen: z.number().int(), adjustmentFen: z.number().int() });
export const fundSummary = z.object({
  communityId: z.string(),
  year: z.number().int(),
  /** The balance now. */
  balanceFen: z.number().int(),
  /** Balance before the year's first entry and after its last: opening + deposits + interest − spending + adjustments = closing. */
  openingFen: z.number().int(),
  closingFen: z.number().int(),
  /** Spending is given as a positive amount; adjustments as their signed net. */
  totals: z.object({ depositFen: z.number().int(), interestFen: z.number().int(), spendingFen: z.number().int(), adjustmentFen: z.number().int() }),
  months: z.array(fundMonth),
});
export type FundSummary = z.infer<typeof fundSummary>;

// ── Public income and expense entries ─────────────────────────────────────────────────────────────────────────
export const disclosureEntryQuery = pageQuery.extend({
  communityId: z.uuid().optional(),
  year: year.optional(),
  month: month.optional(),
  direction: z.enum(DISCLOSURE_DIRECTIONS).optional(),
});

export const createDisclosureEntryBody = z.strictObject({
  communityId: z.uuid(),
  /** YYYY-MM, not after the current month. */
  month,
  direction: z.enum(DISCLOSURE_DIRECTIONS),
  /** e.g. 广告收入, 公共车位收入, 公共区域水电. */
  category: z.string().trim().min(1).max(40),
  amountFen,
  note: z.string().trim().max(200).optional(),
});
export type CreateDisclosureEntryInput = z.infer<typeof createDisclosureEntryBody>;

export const disclosureEntry = z.object({
  id: z.string(),
  communityId: z.string(),
  month: z.string(),
  direction: z.enum(DISCLOSURE_DIRECTIONS),
  category: z.string(),
  amountFen: z.number().int(),
  note: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type DisclosureEntry = z.infer<typeof disclosureEntry>;

// ── The disclosure page (公示) ────────────────────────────────────────────────────────────────────────────────
export const disclosureQuery = z.object({ communityId: z.uuid(), year: year.optional() });

const categoryAmount = z.object({ category: z.string(), amountFen: z.number().int() });
const incomeFigures = z.object({
  /** Fees collected: succeeded payments by business date … */
  feesCollectedFen: z.number().int(),
  /** … less refunds paid out that month … */
  feesRefundedFen: z.number().int(),
  /** … = net fee income (negative in a month with more refunds than payments). */
  feesFen: z.number().int(),
  categories: z.array(categoryAmount),
  totalFen: z.number().int(),
});
const expenseFigures = z.object({ categories: z.array(categoryAmount), totalFen: z.number().int() });

export const feeStandard = z.object({
  name: z.string(),
  kind: z.enum(FEE_KINDS),
  /** The community's own price where it has one, else the item's; null for tiered items (see tiers). */
  unitPrice: z.string().nullable(),
  tiers: z.array(z.object({ upTo: z.string().nullable(), unitPrice: z.string() })).nullable(),
  cycle: z.enum(CYCLES),
  areaBasis: z.enum(['built', 'inner']),
  billingMode: z.enum(['prepaid', 'postpaid']),
});

export const fundSpending = z.object({
  occurredOn: z.string(),
  description: z.string(),
  ticketNo: z.string().nullable(),
  ticketTitle: z.string().nullable(),
  /** Positive: the amount spent. */
  amountFen: z.number().int(),
});

export const disclosure = z.object({
  community: z.object({ id: z.string(), name: z.string() }),
  year: z.number().int(),
  feeStandards: z.array(feeStandard),
  months: z.array(z.object({ month: z.string(), income: incomeFigures, expense: expenseFigures })),
  totals: z.object({ income: incomeFigures, expense: expenseFigures }),
  fund: z.object({
    balanceFen: z.number().int(),
    depositFen: z.number().int(),
    interestFen: z.number().int(),
    spendingFen: z.number().int(),
    adjustmentFen: z.number().int(),
    spending: z.array(fundSpending),
  }),
});
export type Disclosure = z.infer<typeof disclosure>;
