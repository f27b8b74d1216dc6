import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, canSeeCommunity, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import type { MeterKind } from '../../db/schema-billing.ts';
import { requireRoom } from '../estate/rooms.ts';
import { loadBuilding, roomLabel } from '../estate/repo.ts';
import { MULTIPLIER, READING, compareDecimal, decimalOf } from './values.ts';
import type { Meter } from './schema.ts';

/**
 * 水表/电表/燃气表: a room's meter, or a building's (公摊表, no room). Replacing a meter records the old one's final
 * reading and the new one's initial reading, so usage across the change is counted once and never negative.
 */

export function selectMeters(db: Db, companyId: string) {
  return db
    .selectFrom('meters as m')
    .leftJoin('rooms as r', 'r.id', 'm.room_id')
    .leftJoin('buildings as b', 'b.id', 'r.building_id')
    .leftJoin('building_units as u', 'u.id', 'r.unit_id')
    .where('m.company_id', '=', companyId)
    .select([
      'm.id',
      'm.company_id',
      'm.community_id',
      'm.building_id',
      'm.room_id',
      'b.name as building_name',
      'u.name as unit_name',
      'r.number as room_number',
      'm.kind',
      'm.number',
      'm.multiplier',
      'm.initial_reading',
      'm.status',
      'm.installed_at',
      'm.replaces_meter_id',
      'm.replaced_by_meter_id',
      'm.final_reading',
      'm.replaced_at',
    ]);
}
export type MeterRow = Awaited<ReturnType<ReturnType<typeof selectMeters>['executeTakeFirstOrThrow']>>;

async function lastReadings(db: Db, meterIds: string[]) {
  if (!meterIds.length) return new Map<string, { periodKey: string; reading: string }>();
  const rows = await sql<{ meter_id: string; period_key: string; reading: string }>`
    SELECT DISTINCT ON (meter_id) meter_id, period_key, reading FROM meter_readings
     WHERE meter_id = ANY(${meterIds}::uuid[]) ORDER BY meter_id, period_start DESC`.execute(db);
  return new Map(rows.rows.map((r) => [r.meter_id, { periodKey: r.period_key, reading: r.reading }]));
}

async function toMeters(db: Db, rows: MeterRow[]): Promise<Meter[]> {
  const last = await lastReadings(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    communityId: r.community_id,
    buildingId: r.building_id,
    roomId: r.room_id,
    roomLabel: r.room_number ? roomLabel(r.building_name!, r.unit_name, r.room_number) : null,
    kind: r.kind,
    number: r.number,
    multiplier: r.multiplier,
    initialReading: r.initial_reading,
    status: r.status,
    installedAt: r.installed_at,
    replacesMeterId: r.replaces_meter_id,
    replacedByMeterId: r.replaced_by_meter_id,
    finalReading: r.final_reading,
    replacedAt: r.replaced_at,
    lastReading: last.get(r.id) ?? null,
  }));
}

/** A meter of the caller's company in a visible community; 404, or a 400 naming `field` when it came in a body. */
export async function loadMeter(db: Db, ctx: RequestContext, id: string, field?: string): Promise<MeterRow> {
  const row = await selectMeters(db, companyOf(ctx.actor)).where('m.id', '=', id).executeTakeFirst();
  if (!row || !canSeeCommunity(ctx.actor, row.community_id)) {
    if (field) throw new ValidationError(field, 'validation.unknownIds');
    throw new NotFoundError('meter');
  }
  return row;
}

export async function listMeters(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  q: PageQuery & { communityId?: string; buildingId?: string; roomId?: string; kind?: MeterKind; status?: 'active' | 'replaced'; q?: string },
): Promise<Page<Meter>> {
  requirePermission(ctx.actor, 'billing.read');
  const scope = communityScope(ctx.actor);
  const base = selectMeters(deps.db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('m.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('m.community_id', '=', q.communityId!))
    .$if(Boolean(q.buildingId), (qb) => qb.where('m.building_id', '=', q.buildingId!))
    .$if(Boolean(q.roomId), (qb) => qb.where('m.room_id', '=', q.roomId!))
    .$if(Boolean(q.kind), (qb) => qb.where('m.kind', '=', q.kind!))
    .$if(Boolean(q.status), (qb) => qb.where('m.status', '=', q.status!))
    .$if(Boolean(q.q), (qb) => qb.where('m.number', '=', q.q!));
  const [rows, count] = await Promise.all([
    base.orderBy('m.number').orderBy('m.id').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: await toMeters(deps.db, rows), total: count.n, page: q.page, pageSize: q.pageSize };
}

export async function getMeter(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<Meter> {
  requirePermission(ctx.actor, 'billing.read');
  const [meter] = await toMeters(deps.db, [await loadMeter(deps.db, ctx, id)]);
  return meter;
}

async function assertNumberFree(db: Db, communityId: string, number: string) {
  const taken = await db.selectFrom('meters').select('id').where('community_id', '=', communityId).where('number', '=', number).where('status', '=', 'active').executeTakeFirst();
  if (taken) throw new ConflictError('conflict.meterNumber', { number }, { field: 'number' });
}

export async function createMeter(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  input: { roomId?: string; buildingId?: string; kind: MeterKind; number: string; multiplier?: string | number; initialReading?: string | number; installedAt?: string },
): Promise<Meter> {
  requirePermission(ctx.actor, 'billing.manage');
  const companyId = companyOf(ctx.actor);
  if (Boolean(input.roomId) === Boolean(input.buildingId)) throw new ValidationError(input.roomId ? 'buildingId' : 'roomId', 'validation.meterScope');
  let place: { communityId: string; buildingId: string; roomId: string | null };
  if (input.roomId) {
    const room = await requireRoom(deps.db, ctx, input.roomId, 'roomId');
    place = { communityId: room.communityId, buildingId: room.buildingId, roomId: room.id };
  } else {
    const building = await loadBuilding(deps.db, ctx.actor, companyId, input.buildingId!, 'buildingId');
    place = { communityId: building.community_id, buildingId: building.id, roomId: null };
  }
  const multiplier = input.multiplier === undefined ? '1' : decimalOf(input.multiplier, 'multiplier', MULTIPLIER);
  const initialReading = input.initialReading === undefined ? '0' : decimalOf(input.initialReading, 'initialReading', READING);
  const id = await deps.db.transaction().execute(async (trx) => {
    await assertNumberFree(trx, place.communityId, input.number);
    const row = await trx
      .insertInto('meters')
      .values({ company_id: companyId, community_id: place.communityId, building_id: place.buildingId, room_id: place.roomId, kind: input.kind, number: input.number, multiplier, initial_reading: initialReading, installed_at: input.installedAt ?? null, replaces_meter_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'meter.create', entityType: 'meter', entityId: row.id, after: { ...input, multiplier, initialReading } });
    return row.id;
  });
  return getMeter(deps, ctx, id);
}

/** The reading a meter stands at: its last reading, or its initial reading before any. */
export async function currentReading(db: Db, meter: { id: string; initial_reading: string }) {
  const last = await db.selectFrom('meter_readings').select(['reading', 'period_key', 'period_start']).where('meter_id', '=', meter.id).orderBy('period_start', 'desc').limit(1).executeTakeFirst();
  return { reading: last?.reading ?? meter.initial_reading, periodKey: last?.period_key ?? null, periodStart: last?.period_start ?? null };
}

/** 换表: the old meter stops at `finalReading` (not below its last reading); the new one starts at `initialReading`. */
export async function replaceMeter(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  id: string,
  input: { finalReading: string | number; number: string; initialReading?: string | number; multiplier?: string | number; replacedAt: string },
): Promise<Meter> {
  requirePermission(ctx.actor, 'billing.manage');
  const companyId = companyOf(ctx.actor);
  const newId = await deps.db.transaction().execute(async (trx) => {
    const old = await loadMeter(trx, ctx, id);
    await trx.selectFrom('meters').select('id').where('id', '=', id).forUpdate().execute();
    if (old.status === 'replaced') throw new ConflictError('conflict.meterReplaced', { date: old.replaced_at ?? '' });
    const finalReading = decimalOf(input.finalReading, 'finalReading', READING);
    const initialReading = input.initialReading === undefined ? '0' : decimalOf(input.initialReading, 'initialReading', READING);
    const multiplier = input.multiplier === undefined ? old.multiplier : decimalOf(input.multiplier, 'multiplier', MULTIPLIER);
    const current = await currentReading(trx, old);
    if (compareDecimal(finalReading, current.reading) < 0) throw new ValidationError('finalReading', 'validation.readingBelow', { reading: finalReading, previous: current.reading });
    if (input.number !== old.number) await assertNumberFree(trx, old.community_id, input.number);
    // The old meter leaves the active set first, so the new one may keep its number.
    await trx.updateTable('meters').set({ status: 'replaced', final_reading: finalReading, replaced_at: input.replacedAt, updated_at: new Date() }).where('id', '=', old.id).execute();
    const created = await trx
      .insertInto('meters')
      .values({ company_id: companyId, community_id: old.community_id, building_id: old.building_id, room_id: old.room_id, kind: old.kind, number: input.number, multiplier, initial_reading: initialReading, installed_at: input.replacedAt, replaces_meter_id: old.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('meters').set({ replaced_by_meter_id: created.id }).where('id', '=', old.id).execute();
    await writeAudit(trx, ctx, { action: 'meter.replace', entityType: 'meter', entityId: old.id, before: { number: old.number, reading: current.reading }, after: { ...input, finalReading, initialReading, multiplier, newMeterId: created.id } });
    return created.id;
  });
  return getMeter(deps, ctx, newId);
}
