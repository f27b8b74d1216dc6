import { sql } from 'kysely';
import type { Db } from '../../core/context.ts';
import type { BillTargetKind } from '../../db/schema-billing.ts';
import { type Computed, type ItemRule, type Window, dueDateOf, meteredLine, oneOffLine, periodicLine } from './compute.ts';
import { type RunPlan, areaOf } from './plan.ts';
import { METERED } from './item-rules.ts';
import { addDays } from './values.ts';

/**
 * The bill-run engine: targets (rooms and parking spaces with a binding of the run's items) are taken in id order,
 * BATCH at a time; each batch computes its lines from the database and inserts them with ON CONFLICT DO NOTHING on
 * (company, item, target, period), so a batch done twice — a resumed run, a second run — adds nothing.
 */

export const BATCH = 1000;
/** The key of one-off lines: a one-off binding is billed once, whatever the period of the run that bills it. */
export const ONCE = 'once';

export interface LineRow {
  itemId: string;
  targetKind: BillTargetKind;
  targetId: string;
  buildingId: string | null;
  roomId: string | null;
  parkingSpaceId: string | null;
  meterId: string | null;
  readingId: string | null;
  periodKey: string;
  periodStart: string;
  periodEnd: string;
  amountFen: number;
  dueDate: string;
  basis: Record<string, unknown>;
}

export interface ItemStats {
  missingReadings: number;
  readingsInReview: number;
  zero: number;
  /** Targets already billed for an overlapping period under another key (e.g. monthly before a cycle change). */
  overlapping: number;
}

export interface Batch {
  targets: string[];
  lines: LineRow[];
  stats: Map<string, ItemStats>;
}

/** The WHERE of the bindings a run bills: periodic items overlapping the period, one-off items starting in it. */
function bindingFilter(plan: RunPlan) {
  const { start, end } = plan.period;
  return sql`f.company_id = ${plan.companyId} AND f.community_id = ${plan.communityId} AND (
      (f.item_id = ANY(${plan.periodicIds}::uuid[]) AND f.start_date <= ${end}::date AND (f.end_date IS NULL OR f.end_date >= ${start}::date))
   OR (f.item_id = ANY(${plan.oneOffIds}::uuid[]) AND f.start_date BETWEEN ${start}::date AND ${end}::date))`;
}

export async function countTargets(db: Db, plan: RunPlan): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(DISTINCT f.target_id)::int AS n FROM fee_bindings f WHERE ${bindingFilter(plan)}`.execute(db);
  return r.rows[0].n;
}

interface BindingRow {
  id: string;
  item_id: string;
  target_id: string;
  room_id: string | null;
  parking_space_id: string | null;
  start_date: string;
  end_date: string | null;
  unit_price: string | null;
  building_id: string | null;
  built_area: string | null;
  inner_area: string | null;
}

interface MeterRead {
  id: string;
  number: string;
  room_id: string;
  building_id: string;
  kind: string;
  status: string;
  multiplier: string;
  reading_id: string | null;
  reading: string | null;
  previous_reading: string | null;
  usage: string | null;
  reading_status: string | null;
  flags: string[] | null;
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/** Reads one batch of targets after `cursor` and computes their lines; writes nothing. */
export async function computeBatch(db: Db, plan: RunPlan, cursor: string | null, size = BATCH): Promise<Batch> {
  const after = cursor ? sql`AND f.target_id > ${cursor}::uuid` : sql``;
  // The next `size` targets and all their bindings (with the room's area) in one round trip.
  const bindings = (
    await sql<BindingRow>`
      WITH batch AS (SELECT DISTINCT f.target_id FROM fee_bindings f WHERE ${bindingFilter(plan)} ${after} ORDER BY f.target_id LIMIT ${size})
      SELECT f.id, f.item_id, f.target_id, f.room_id, f.parking_space_id, f.start_date, f.end_date, f.unit_price, r.building_id, r.built_area, r.inner_area
        FROM fee_bindings f JOIN batch ON batch.target_id = f.target_id LEFT JOIN rooms r ON r.id = f.room_id
       WHERE ${bindingFilter(plan)} ORDER BY f.target_id, f.start_date`.execute(db)
  ).rows;
  const targets = [...new Set(bindings.map((b) => b.target_id))];
  const stats = new Map(plan.items.map((i) => [i.id, { missingReadings: 0, readingsInReview: 0, zero: 0, overlapping: 0 }]));
  if (!targets.length) return { targets, lines: [], stats };
  const roomById = new Map<string, { id: string; building_id: string; built_area: string; inner_area: string | null }>();
  for (const b of bindings) if (b.room_id) roomById.set(b.room_id, { id: b.room_id, building_id: b.building_id!, built_area: b.built_area!, inner_area: b.inner_area });
  const roomIds = [...roomById.keys()];
  const { start, end } = plan.period;
  const wantsVacancy = plan.items.some((i) => i.discounts.some((d) => d.kind === 'vacancy'));
  const vacancies = wantsVacancy && roomIds.length
    ? await db
        .selectFrom('vacancy_approvals')
        .select(['room_id', 'start_date', 'end_date'])
        .where('company_id', '=', plan.companyId)
        .where('room_id', 'in', roomIds)
        .where('start_date', '<=', end)
        .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', start)]))
        .execute()
    : [];
  const vacancyByRoom = groupBy(vacancies, (v) => v.room_id);
  const meterKinds = [...new Set(plan.items.filter((i) => METERED.includes(i.kind)).map((i) => i.kind))];
  const meters = meterKinds.length && roomIds.length
    ? (
        await sql<MeterRead>`
          SELECT m.id, m.number, m.room_id, m.building_id, m.kind, m.status, m.multiplier,
                 r.id AS reading_id, r.reading, r.previous_reading, r.usage, r.status AS reading_status, r.flags
            FROM meters m LEFT JOIN meter_readings r ON r.meter_id = m.id AND r.period_key = ${plan.period.key}
           WHERE m.company_id = ${plan.companyId} AND m.room_id = ANY(${roomIds}::uuid[]) AND m.kind = ANY(${meterKinds}::text[])
             AND (m.status = 'active' OR r.id IS NOT NULL)
           ORDER BY m.id`.execute(db)
      ).rows
    : [];
  const metersByRoom = groupBy(meters, (m) => m.room_id);
  // Lines of another key that already cover part of this period (a cycle changed between runs) are not billed twice.
  const covered = new Set(
    !plan.mayOverlap ? [] : (
      await sql<{ item_id: string; target_id: string }>`
        SELECT item_id, target_id FROM bill_lines
         WHERE company_id = ${plan.companyId} AND item_id = ANY(${plan.periodicIds}::uuid[]) AND target_id = ANY(${[...targets, ...meters.map((m) => m.id)]}::uuid[])
           AND period_key <> ${plan.period.key} AND period_key <> ${ONCE} AND status <> 'revoked' AND kind = 'charge'
           AND period_start <= ${end}::date AND period_end >= ${start}::date`.execute(db)
    ).rows.map((r) => `${r.item_id}:${r.target_id}`),
  );

  const items = new Map(plan.items.map((i) => [i.id, i]));
  const lines: LineRow[] = [];
  const base = (item: ItemRule) => ({ itemId: item.id, periodKey: plan.period.key, periodStart: start, periodEnd: end, dueDate: dueDateOf(item, plan.period), meterId: null, readingId: null });
  const push = (item: ItemRule, row: Omit<LineRow, 'amountFen' | 'basis'>, computed: Computed | null) => {
    const s = stats.get(item.id)!;
    if (!computed) s.zero += 1;
    else if (covered.has(`${item.id}:${row.targetId}`)) s.overlapping += 1;
    else lines.push({ ...row, amountFen: computed.amountFen, basis: computed.basis });
  };

  for (const [key, group] of groupBy(bindings, (b) => `${b.item_id}:${b.target_id}`)) {
    const item = items.get(key.slice(0, key.indexOf(':')))!;
    const first = group[0];
    const room = first.room_id ? roomById.get(first.room_id) : undefined;
    const place = { buildingId: room?.building_id ?? null, roomId: first.room_id, parkingSpaceId: first.parking_space_id };
    const windows: Window[] = group.map((b) => ({ bindingId: b.id, from: b.start_date, to: b.end_date, unitPrice: b.unit_price }));
    if (item.kind === 'oneOff') {
      for (const w of windows) {
        const row = { ...base(item), ...place, targetKind: 'binding' as const, targetId: w.bindingId, periodKey: ONCE, periodStart: w.from, periodEnd: w.to ?? w.from, dueDate: addDays(w.from, item.dueDays) };
        push(item, row, oneOffLine(item, w));
      }
    } else if (METERED.includes(item.kind)) {
      const own = (metersByRoom.get(first.room_id ?? '') ?? []).filter((m) => m.kind === item.kind);
      if (!own.length) stats.get(item.id)!.missingReadings += 1;
      for (const m of own) {
        if (!m.reading_id) stats.get(item.id)!.missingReadings += 1;
        else if (m.reading_status === 'review') stats.get(item.id)!.readingsInReview += 1;
        else {
          const computed = meteredLine(item, plan.period, { meterId: m.id, meterNumber: m.number, readingId: m.reading_id, previous: m.previous_reading!, current: m.reading!, multiplier: m.multiplier, usage: m.usage!, flags: m.flags ?? [] });
          push(item, { ...base(item), ...place, targetKind: 'meter', targetId: m.id, meterId: m.id, readingId: m.reading_id }, computed);
        }
      }
    } else if (item.kind === 'shared') {
      const share = plan.shared.get(item.id)?.get(first.room_id!);
      if (share) push(item, { ...base(item), ...place, targetKind: 'room', targetId: first.room_id! }, share);
      else if (plan.sharedInReview.get(item.id)?.has(first.room_id!)) stats.get(item.id)!.readingsInReview += 1;
      else if (plan.sharedMissing.get(item.id)?.has(first.room_id!)) stats.get(item.id)!.missingReadings += 1;
      else stats.get(item.id)!.zero += 1;
    } else {
      const area = room && item.kind === 'property' ? areaOf(item, room) : null;
      const computed = periodicLine({ item, period: plan.period, windows, area, vacancies: (room && vacancyByRoom.get(room.id)?.map((v) => ({ from: v.start_date, to: v.end_date }))) || [] });
      const dueDate = dueDateOf(item, plan.period, group[0].start_date);
      push(item, { ...base(item), ...place, targetKind: first.room_id ? 'room' : 'parkingSpace', targetId: first.target_id, dueDate }, computed);
    }
  }
  return { targets, lines, stats };
}

/**
 * Inserts lines of one run, skipping any whose key is taken (already billed): one statement per batch, the rows sent
 * as one JSON document (parsed once by jsonb_to_recordset). Returns how many were new and their total.
 */
export async function insertLines(db: Db, plan: RunPlan, runId: string, lines: LineRow[]): Promise<{ created: number; amountFen: number }> {
  if (!lines.length) return { created: 0, amountFen: 0 };
  const result = await sql<{ amount_fen: number }>`
    INSERT INTO bill_lines (company_id, community_id, run_id, item_id, target_kind, target_id, building_id, room_id, parking_space_id,
                            meter_id, reading_id, period_key, period_start, period_end, amount_fen, due_date, basis)
    SELECT ${plan.companyId}::uuid, ${plan.communityId}::uuid, ${runId}::uuid, t.*
      FROM jsonb_to_recordset(${JSON.stringify(lines)}::jsonb) AS t("itemId" uuid, "targetKind" text, "targetId" uuid, "buildingId" uuid, "roomId" uuid,
           "parkingSpaceId" uuid, "meterId" uuid, "readingId" uuid, "periodKey" text, "periodStart" date, "periodEnd" date, "amountFen" bigint,
           "dueDate" date, basis jsonb)
    ON CONFLICT (company_id, item_id, target_id, period_key) WHERE status <> 'revoked' AND kind = 'charge' DO NOTHING
    RETURNING amount_fen`.execute(db);
  return { created: result.rows.length, amountFen: result.rows.reduce((s, r) => s + Number(r.amount_fen), 0) };
}

/** Keys of lines already billed (not revoked) among `lines`, as item:target:period. */
export async function existingKeys(db: Db, plan: RunPlan, lines: LineRow[]): Promise<Map<string, number>> {
  if (!lines.length) return new Map();
  const rows = await sql<{ item_id: string; target_id: string; period_key: string; amount_fen: number }>`
    SELECT item_id, target_id, period_key, amount_fen FROM bill_lines
     WHERE company_id = ${plan.companyId} AND item_id = ANY(${[...new Set(lines.map((l) => l.itemId))]}::uuid[])
       AND target_id = ANY(${lines.map((l) => l.targetId)}::uuid[]) AND period_key = ANY(${[plan.period.key, ONCE]}::text[]) AND status <> 'revoked' AND kind = 'charge'`.execute(db);
  return new Map(rows.rows.map((r) => [`${r.item_id}:${r.target_id}:${r.period_key}`, Number(r.amount_fen)]));
}
