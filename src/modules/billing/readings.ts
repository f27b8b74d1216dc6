import type { Transaction } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { DB } from '../../db/schema.ts';
import { type Db, type RequestContext, canSeeCommunity, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import { addExact, exact, meterUsage, mulExact, parseDecimal } from './rules.ts';
import { sumDecimal } from './compute.ts';
import { type MeterRow, currentReading, loadMeter } from './meters.ts';
import { jumpFactorOf } from './settings.ts';
import { READING, decimalOf, periodOfKey } from './values.ts';
import type { Reading } from './schema.ts';

/**
 * 抄表: one reading per meter and period, in period order. The usage is computed when the reading is entered
 * (multiplier and any meter replacement applied) and stored with it, so bill runs read it and never recompute. A
 * reading below the previous one is refused (400 naming `reading`) unless the meter was replaced; an abnormal jump
 * is kept with status 'review' and billed only after approval.
 */

function selectReadings(db: Db, companyId: string) {
  return db
    .selectFrom('meter_readings as mr')
    .innerJoin('meters as m', 'm.id', 'mr.meter_id')
    .where('mr.company_id', '=', companyId)
    .select(['mr.id', 'mr.meter_id', 'm.number as meter_number', 'mr.community_id', 'mr.period_key', 'mr.reading', 'mr.previous_reading', 'mr.usage', 'mr.read_at', 'mr.reader_name', 'mr.source', 'mr.flags', 'mr.status', 'mr.approved_at']);
}
type ReadingRow = Awaited<ReturnType<ReturnType<typeof selectReadings>['executeTakeFirstOrThrow']>>;

const toReading = (r: ReadingRow): Reading => ({
  id: r.id,
  meterId: r.meter_id,
  meterNumber: r.meter_number,
  communityId: r.community_id,
  periodKey: r.period_key,
  reading: r.reading,
  previousReading: r.previous_reading,
  usage: r.usage,
  readAt: r.read_at.toISOString(),
  readerName: r.reader_name,
  source: r.source,
  flags: r.flags,
  status: r.status,
  approvedAt: r.approved_at?.toISOString() ?? null,
});

export interface PlannedReading {
  periodKey: string;
  periodStart: string;
  reading: string;
  previous: string;
  usage: string;
  flags: string[];
  status: 'accepted' | 'review';
}

function usageOrRefuse(args: Parameters<typeof meterUsage>[0], reading: string, previous: string): string {
  try {
    return meterUsage(args);
  } catch {
    throw new ValidationError('reading', 'validation.readingBelow', { reading, previous });
  }
}

/** usage × count > factor × Σ usage of the last readings — "more than factor × their average", exactly. */
function isJump(usage: string, recent: string[], factor: string): boolean {
  if (!recent.length) return false;
  const sum = recent.reduce((a, b) => sumDecimal(a, b));
  const lhs = mulExact(parseDecimal(usage, 12), exact(recent.length));
  const rhs = mulExact(parseDecimal(factor, 4), parseDecimal(sum, 12));
  return addExact(lhs, mulExact(rhs, exact(-1))).num > 0n;
}

/**
 * Checks one reading against the meter's history and computes its usage. Call with the meter row locked.
 * Throws a 400 naming periodKey or reading, or a 409, like the API answers.
 */
export async function planReading(db: Db, meter: MeterRow, input: { periodKey: string; reading: string | number }, jumpFactor: string): Promise<PlannedReading> {
  const period = periodOfKey(input.periodKey);
  const reading = decimalOf(input.reading, 'reading', READING);
  if (meter.status === 'replaced') throw new ConflictError('conflict.meterReplaced', { date: meter.replaced_at ?? '' });
  const latest = await db.selectFrom('meter_readings').select(['period_key', 'period_start', 'reading']).where('meter_id', '=', meter.id).orderBy('period_start', 'desc').limit(1).executeTakeFirst();
  if (latest?.period_key === period.key) throw new ConflictError('conflict.readingExists', { number: meter.number, periodKey: period.key }, { field: 'periodKey' });
  if (latest && latest.period_start >= period.start) throw new ValidationError('periodKey', 'validation.readingOrder', { latest: latest.period_key });
  const old = !latest && meter.replaces_meter_id ? await db.selectFrom('meters').select(['id', 'multiplier', 'initial_reading', 'final_reading']).where('id', '=', meter.replaces_meter_id).executeTakeFirstOrThrow() : null;
  const oldNow = old ? await currentReading(db, old) : null;
  if (oldNow?.periodStart && oldNow.periodStart >= period.start) throw new ValidationError('periodKey', 'validation.readingOrder', { latest: oldNow.periodKey ?? '' });
  const flags: string[] = [];
  let previous: string;
  let usage: string;
  if (old && oldNow) {
    // The first reading after a replacement: the old meter's run to its final reading plus the new one's run.
    previous = meter.initial_reading;
    const oldFrom = oldNow.reading;
    const newRun = usageOrRefuse({ previous: meter.initial_reading, current: reading, multiplier: meter.multiplier }, reading, meter.initial_reading);
    const oldRun = meterUsage({ previous: oldFrom, current: old.final_reading!, multiplier: old.multiplier });
    usage = old.multiplier === meter.multiplier
      ? meterUsage({ previous: oldFrom, current: reading, multiplier: meter.multiplier, replaced: { oldFinal: old.final_reading!, newInitial: meter.initial_reading } })
      : sumDecimal(oldRun, newRun);
    flags.push('afterReplacement');
  } else {
    previous = latest?.reading ?? meter.initial_reading;
    usage = usageOrRefuse({ previous, current: reading, multiplier: meter.multiplier }, reading, previous);
  }
  const recent = await db
    .selectFrom('meter_readings')
    .select('usage')
    .where('meter_id', 'in', [meter.id, ...(meter.replaces_meter_id ? [meter.replaces_meter_id] : [])])
    .orderBy('period_start', 'desc')
    .limit(3)
    .execute();
  const jump = isJump(usage, recent.map((r) => r.usage), jumpFactor);
  if (jump) flags.push('jump');
  return { periodKey: period.key, periodStart: period.start, reading, previous, usage, flags, status: jump ? 'review' : 'accepted' };
}

export async function insertReading(
  trx: Transaction<DB>,
  ctx: RequestContext,
  meter: MeterRow,
  p: PlannedReading,
  extra: { readAt?: string | null; readerName?: string | null; source: 'console' | 'phone' | 'xlsx' },
): Promise<string> {
  const row = await trx
    .insertInto('meter_readings')
    .values({
      company_id: meter.company_id,
      community_id: meter.community_id,
      meter_id: meter.id,
      period_key: p.periodKey,
      period_start: p.periodStart,
      reading: p.reading,
      previous_reading: p.previous,
      usage: p.usage,
      ...(extra.readAt && { read_at: extra.readAt }),
      reader_id: ctx.actor.userId,
      reader_name: extra.readerName ?? ctx.actor.displayName,
      source: extra.source,
      flags: p.flags,
      status: p.status,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function loadReading(db: Db, ctx: RequestContext, id: string) {
  const row = await selectReadings(db, companyOf(ctx.actor)).where('mr.id', '=', id).executeTakeFirst();
  if (!row || !canSeeCommunity(ctx.actor, row.community_id)) throw new NotFoundError('meterReading');
  return row;
}

export async function listReadings(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: PageQuery & { communityId?: string; meterId?: string; periodKey?: string; status?: 'accepted' | 'review' }): Promise<Page<Reading>> {
  requirePermission(ctx.actor, 'billing.read');
  const scope = communityScope(ctx.actor);
  const base = selectReadings(deps.db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('mr.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('mr.community_id', '=', q.communityId!))
    .$if(Boolean(q.meterId), (qb) => qb.where('mr.meter_id', '=', q.meterId!))
    .$if(Boolean(q.periodKey), (qb) => qb.where('mr.period_key', '=', q.periodKey!))
    .$if(Boolean(q.status), (qb) => qb.where('mr.status', '=', q.status!));
  const [rows, count] = await Promise.all([
    base.orderBy('mr.period_start', 'desc').orderBy('m.number').orderBy('mr.id').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toReading), total: count.n, page: q.page, pageSize: q.pageSize };
}

export async function createReading(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  input: { meterId: string; periodKey: string; reading: string | number; readAt?: string; source: 'console' | 'phone' },
): Promise<Reading> {
  requirePermission(ctx.actor, 'billing.manage');
  const companyId = companyOf(ctx.actor);
  const jumpFactor = await jumpFactorOf(deps.db, companyId);
  const id = await deps.db.transaction().execute(async (trx) => {
    const meter = await loadMeter(trx, ctx, input.meterId, 'meterId');
    await trx.selectFrom('meters').select('id').where('id', '=', meter.id).forUpdate().execute();
    const planned = await planReading(trx, meter, input, jumpFactor);
    const readingId = await insertReading(trx, ctx, meter, planned, { readAt: input.readAt, source: input.source });
    await writeAudit(trx, ctx, { action: 'meterReading.create', entityType: 'meterReading', entityId: readingId, after: { meterId: meter.id, number: meter.number, ...planned } });
    return readingId;
  });
  return toReading(await loadReading(deps.db, ctx, id));
}

/** Releases a reading held for review (an abnormal jump that was checked on site) for billing. */
export async function approveReading(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<Reading> {
  requirePermission(ctx.actor, 'billing.manage');
  await deps.db.transaction().execute(async (trx) => {
    const before = await loadReading(trx, ctx, id);
    const updated = await trx
      .updateTable('meter_readings')
      .set({ status: 'accepted', approved_by: ctx.actor.userId, approved_at: new Date() })
      .where('id', '=', id)
      .where('company_id', '=', companyOf(ctx.actor))
      .where('status', '=', 'review')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new ConflictError('conflict.readingNotInReview', {}, { status: before.status });
    await writeAudit(trx, ctx, { action: 'meterReading.approve', entityType: 'meterReading', entityId: id, before: { status: before.status }, after: { status: 'accepted', usage: before.usage, flags: before.flags } });
  });
  return toReading(await loadReading(deps.db, ctx, id));
}
