import { sql } from 'kysely';
import type { Db } from '../../core/context.ts';
import { ValidationError } from '../../core/errors.ts';
import type { BillingCycle } from '../../db/schema-billing.ts';
import { type Area, type Computed, type DiscountRule, type ItemRule, sharedLines } from './compute.ts';
import type { Period } from './rules.ts';

/**
 * What a bill run needs before its batches: the items as the community bills them (community price applied) and
 * the 公摊 shares, which depend on a whole building and so cannot be computed one batch of rooms at a time.
 * Built again on resume from the same rows, so it gives the same shares.
 */

export interface RunPlan {
  companyId: string;
  communityId: string;
  period: Period;
  items: ItemRule[];
  /** Items billed per period; one-off items are billed once, for bindings starting in the period. */
  periodicIds: string[];
  oneOffIds: string[];
  /**
   * Whether lines of these items under another key already cover part of the period (an item's cycle changed between
   * runs); only then does each batch look for them.
   */
  mayOverlap: boolean;
  /** 公摊: item → room → line. */
  shared: Map<string, Map<string, Computed>>;
  /** 公摊: item → rooms whose building has no complete set of accepted meter readings. */
  sharedMissing: Map<string, Set<string>>;
  sharedInReview: Map<string, Set<string>>;
}

export function cycleOfKey(key: string): BillingCycle {
  return /-Q/.test(key) ? 'quarterly' : /-H/.test(key) ? 'halfYearly' : /-\d{2}$/.test(key) ? 'monthly' : 'yearly';
}

/**
 * The items of a run: those asked for, or every active item enabled in the community whose cycle is the period's
 * (and one-off items). Each must be the company's, active, enabled in the community and of the period's cycle —
 * otherwise a 400 naming itemIds.
 */
export async function resolveItems(db: Db, companyId: string, communityId: string, periodKey: string, itemIds?: string[]): Promise<ItemRule[]> {
  const cycle = cycleOfKey(periodKey);
  const rows = await db
    .selectFrom('fee_items as i')
    .leftJoin('fee_item_communities as fc', (j) => j.onRef('fc.item_id', '=', 'i.id').on('fc.community_id', '=', communityId))
    .selectAll('i')
    .select(['fc.community_id as enabled_in', 'fc.unit_price as community_price'])
    .where('i.company_id', '=', companyId)
    .$if(itemIds !== undefined, (qb) => qb.where('i.id', 'in', itemIds!))
    .$if(itemIds === undefined, (qb) => qb.where('i.active', '=', true).where('fc.community_id', 'is not', null).where((eb) => eb.or([eb('i.cycle', '=', cycle), eb('i.kind', '=', 'oneOff')])))
    .orderBy('i.kind')
    .orderBy('i.name')
    .execute();
  if (itemIds) {
    if (new Set(itemIds).size !== itemIds.length) throw new ValidationError('itemIds', 'validation.duplicateIds');
    if (rows.length !== itemIds.length) throw new ValidationError('itemIds', 'validation.unknownIds');
    for (const r of rows) {
      if (!r.active) throw new ValidationError('itemIds', 'validation.itemInactive', { name: r.name });
      if (!r.enabled_in) throw new ValidationError('itemIds', 'validation.itemNotEnabled', { name: r.name });
      if (r.kind !== 'oneOff' && r.cycle !== cycle) throw new ValidationError('itemIds', 'validation.cycleMismatch', { name: r.name, cycle: r.cycle, periodKey });
    }
  }
  if (!rows.length) throw new ValidationError('itemIds', 'validation.noItems');
  const discounts = await db.selectFrom('fee_item_discounts').selectAll().where('item_id', 'in', rows.map((r) => r.id)).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    // A community price is a flat price: it replaces the item's price and its tiers.
    unitPrice: r.community_price ?? r.unit_price,
    priceSource: r.community_price ? 'community' : 'item',
    tiers: r.community_price ? null : r.tiers,
    areaBasis: r.area_basis,
    meterKind: r.meter_kind,
    shareMethod: r.share_method,
    rounding: r.rounding,
    dueFrom: r.due_from,
    dueDays: r.due_days,
    prorate: r.prorate,
    lateFee: r.late_fee,
    rentIncreasePercent: r.rent_increase_percent,
    rentIncreaseEveryMonths: r.rent_increase_every_months,
    discounts: discounts
      .filter((d) => d.item_id === r.id)
      .map((d): DiscountRule => ({ kind: d.kind, payMonths: d.pay_months, freeMonths: d.free_months, percent: d.percent, reductionFen: d.reduction_fen, validFrom: d.valid_from, validTo: d.valid_to })),
  }));
}

/** The area a fee is computed on: 套内 when the item says so and the room has one, else 建筑面积. */
export function areaOf(item: Pick<ItemRule, 'areaBasis'>, room: { built_area: string; inner_area: string | null }): Area {
  return item.areaBasis === 'inner' && room.inner_area ? { area: room.inner_area, basis: 'inner' } : { area: room.built_area, basis: 'built' };
}

async function planShared(db: Db, companyId: string, communityId: string, period: Period, item: ItemRule) {
  const meters = await sql<{ meter_id: string; number: string; building_id: string; status: string; reading_id: string | null; usage: string | null; reading_status: string | null }>`
    SELECT m.id AS meter_id, m.number, m.building_id, m.status, r.id AS reading_id, r.usage, r.status AS reading_status
      FROM meters m LEFT JOIN meter_readings r ON r.meter_id = m.id AND r.period_key = ${period.key}
     WHERE m.company_id = ${companyId} AND m.community_id = ${communityId} AND m.room_id IS NULL AND m.kind = ${item.meterKind}
       AND (m.status = 'active' OR r.id IS NOT NULL)`.execute(db);
  const rooms = await sql<{ id: string; building_id: string; built_area: string; inner_area: string | null }>`
    SELECT DISTINCT r.id, r.building_id, r.built_area, r.inner_area
      FROM fee_bindings f JOIN rooms r ON r.id = f.room_id
     WHERE f.company_id = ${companyId} AND f.community_id = ${communityId} AND f.item_id = ${item.id}
       AND f.start_date <= ${period.end} AND (f.end_date IS NULL OR f.end_date >= ${period.start})`.execute(db);
  const shares = new Map<string, Computed>();
  const missing = new Set<string>();
  const inReview = new Set<string>();
  const buildings = new Map<string, typeof rooms.rows>();
  for (const r of rooms.rows) buildings.set(r.building_id, [...(buildings.get(r.building_id) ?? []), r]);
  for (const [buildingId, bound] of buildings) {
    const own = meters.rows.filter((m) => m.building_id === buildingId);
    const review = own.some((m) => m.reading_status === 'review');
    if (!own.length || review || own.some((m) => m.reading_status !== 'accepted')) {
      for (const r of bound) (review ? inReview : missing).add(r.id);
      continue;
    }
    const lines = sharedLines(item, period, {
      id: buildingId,
      meters: own.map((m) => ({ meterId: m.meter_id, number: m.number, readingId: m.reading_id!, usage: m.usage! })),
      rooms: bound.map((r) => ({ id: r.id, area: areaOf(item, r).area })),
    });
    for (const [roomId, line] of lines) shares.set(roomId, line);
  }
  return { shares, missing, inReview };
}

export async function buildPlan(db: Db, args: { companyId: string; communityId: string; period: Period; items: ItemRule[] }): Promise<RunPlan> {
  const plan: RunPlan = {
    companyId: args.companyId,
    communityId: args.communityId,
    period: args.period,
    items: args.items,
    periodicIds: args.items.filter((i) => i.kind !== 'oneOff').map((i) => i.id),
    oneOffIds: args.items.filter((i) => i.kind === 'oneOff').map((i) => i.id),
    mayOverlap: false,
    shared: new Map(),
    sharedMissing: new Map(),
    sharedInReview: new Map(),
  };
  if (plan.periodicIds.length) {
    // A line overlapping the period starts less than a year before it (the longest cycle is a year).
    const overlap = await sql`
      SELECT 1 FROM bill_lines
       WHERE company_id = ${args.companyId} AND community_id = ${args.communityId} AND item_id = ANY(${plan.periodicIds}::uuid[])
         AND period_start > ${args.period.start}::date - 366 AND period_start <= ${args.period.end}::date AND period_end >= ${args.period.start}::date
         AND period_key <> ${args.period.key} AND period_key <> 'once' AND status <> 'revoked' AND kind = 'charge'
       LIMIT 1`.execute(db);
    plan.mayOverlap = overlap.rows.length > 0;
  }
  for (const item of args.items.filter((i) => i.kind === 'shared')) {
    const s = await planShared(db, args.companyId, args.communityId, args.period, item);
    plan.shared.set(item.id, s.shares);
    plan.sharedMissing.set(item.id, s.missing);
    plan.sharedInReview.set(item.id, s.inReview);
  }
  return plan;
}
