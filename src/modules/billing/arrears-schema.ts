import { z } from 'zod';
import { pageQuery } from '../../core/pagination.ts';

/**
 * Request and response schemas of arrears (欠费), the collection rate (收缴率) and its quotas. Money is integer 分
 * (`…Fen`); rates and targets are percentages with 2 decimals (targets travel as decimal strings, "95.00").
 */

const date = z.iso.date();
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
const fen = z.number().int();
const year = z.coerce.number().int().min(2000).max(2100);

export const buckets = z.object({ d1_30: fen, d31_90: fen, d91_180: fen, d181_365: fen, over365: fen });

/**
 * What a row is about: a community, building, zone or collector; `parking` gathers the lines of parking spaces (no
 * building) of a community, `none` the buildings without a zone (groupBy zone) or zones without a collector (collector).
 */
export const GROUP_KINDS = ['community', 'building', 'zone', 'collector', 'parking', 'none'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

const groupKey = {
  kind: z.enum(GROUP_KINDS),
  /** The community, building, zone or collector (user) id; null for the parking and `none` groups. */
  id: z.string().nullable(),
  name: z.string(),
  communityId: z.string(),
  communityName: z.string(),
};

// ─────────────────────────────── Arrears ───────────────────────────────

export const arrearsSummaryQuery = z.object({
  communityId: z.uuid().optional(),
  groupBy: z.enum(['community', 'building', 'zone']).default('community'),
  /** The day the arrears are counted on (lines due before it); default today in the community's time zone. */
  asOf: date.optional(),
});
export type ArrearsSummaryQuery = z.infer<typeof arrearsSummaryQuery>;

const arrearsFigures = {
  owedFen: fen,
  /** Distinct rooms with at least one line in arrears (parking-space lines count in owedFen and lines only). */
  rooms: z.number().int(),
  lines: z.number().int(),
  /** Owed 分 by days overdue. */
  buckets,
};
export const arrearsGroup = z.object({ ...groupKey, ...arrearsFigures });
export type ArrearsGroup = z.infer<typeof arrearsGroup>;
export const arrearsSummary = z.object({
  asOf: z.string(),
  groupBy: z.enum(['community', 'building', 'zone']),
  rows: z.array(arrearsGroup),
  totals: z.object(arrearsFigures),
});
export type ArrearsSummary = z.infer<typeof arrearsSummary>;

export const arrearsRoomQuery = pageQuery.extend({
  communityId: z.uuid().optional(),
  buildingId: z.uuid().optional(),
  zoneId: z.uuid().optional(),
  minOwedFen: z.coerce.number().int().min(0).max(1_000_000_000_000).optional(),
  minOverdueDays: z.coerce.number().int().min(1).max(36_500).optional(),
  asOf: date.optional(),
  /** owed: the most owed first; oldest: the oldest unpaid due date first. */
  sort: z.enum(['owed', 'oldest']).default('owed'),
});
export type ArrearsRoomQuery = z.infer<typeof arrearsRoomQuery>;

export const debtorQuery = z.object({
  communityId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  asOf: date.optional(),
});
export type DebtorQuery = z.infer<typeof debtorQuery>;

export const arrearsRoom = z.object({
  roomId: z.string(),
  communityId: z.string(),
  communityName: z.string(),
  buildingId: z.string(),
  zoneId: z.string().nullable(),
  roomLabel: z.string(),
  /** Current owners, 、-separated; masked (张*) unless the caller may see personal data in full. */
  ownerName: z.string().nullable(),
  owedFen: fen,
  lines: z.number().int(),
  oldestDueDate: z.string(),
  daysOverdue: z.number().int(),
  buckets,
});
export type ArrearsRoom = z.infer<typeof arrearsRoom>;
export const debtors = z.object({ asOf: z.string(), items: z.array(arrearsRoom) });

// ─────────────────────────────── Collection rate ───────────────────────────────

export const collectionRateQuery = z.object({
  communityId: z.uuid().optional(),
  /** First billing month (period start), YYYY-MM; default January of `to`'s year. */
  from: month.optional(),
  /** Last billing month, included; default the month of `asOf`. */
  to: month.optional(),
  /** Year to date: January of the asOf year to the asOf month (not with from/to). */
  ytd: z.enum(['true', 'false']).optional(),
  asOf: date.optional(),
  groupBy: z.enum(['community', 'building', 'zone', 'collector']).default('community'),
});
export type CollectionRateQuery = z.infer<typeof collectionRateQuery>;

const rateFigures = {
  /** Σ amount of the non-revoked lines whose period starts in the range. */
  billedFen: fen,
  /** Σ paid on those lines. */
  paidFen: fen,
  /** paid ÷ billed in percent, 2 decimals; null when nothing was billed. */
  rate: z.number().nullable(),
};
export const collectionRateRow = z.object({
  ...groupKey,
  ...rateFigures,
  /** The target that applies: the group's own quota, else its community's; null when none is set. */
  targetPercent: z.string().nullable(),
  quotaSource: z.enum(['community', 'zone', 'collector']).nullable(),
  metQuota: z.boolean().nullable(),
});
export type CollectionRateRow = z.infer<typeof collectionRateRow>;
export const collectionRateResult = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(['community', 'building', 'zone', 'collector']),
  /** The quotas' year: the range's year; null (no targets) when the range spans two years. */
  quotaYear: z.number().int().nullable(),
  rows: z.array(collectionRateRow),
  totals: z.object(rateFigures),
});
export type CollectionRateResult = z.infer<typeof collectionRateResult>;

// ─────────────────────────────── Quotas ───────────────────────────────

export const quotaQuery = z.object({ communityId: z.uuid().optional(), year: year.optional() });
export type QuotaQuery = z.infer<typeof quotaQuery>;

export const putQuotaBody = z.strictObject({
  communityId: z.uuid(),
  year: z.number().int().min(2000).max(2100),
  /** A zone's target (片区), or a collector's (片区管家), or neither: the community's. Not both. */
  zoneId: z.uuid().nullable().optional(),
  collectorId: z.uuid().nullable().optional(),
  /** Percent, > 0 and ≤ 100, at most 2 decimals ("95.5"). */
  targetPercent: z.union([z.number(), z.string().trim().max(12)]),
});
export type PutQuotaInput = z.infer<typeof putQuotaBody>;

export const quota = z.object({
  id: z.string(),
  communityId: z.string(),
  communityName: z.string(),
  year: z.number().int(),
  zoneId: z.string().nullable(),
  zoneName: z.string().nullable(),
  collectorId: z.string().nullable(),
  collectorName: z.string().nullable(),
  targetPercent: z.string(),
  updatedAt: z.string(),
});
export type Quota = z.infer<typeof quota>;
