import { sql, type Transaction } from 'kysely';
import type { DB, RoomKind, RoomStatus } from '../../db/schema.ts';
import type { Db, RequestContext } from '../../core/context.ts';
import { writeAudit } from '../../core/audit.ts';
import { ROOM_KIND_LABELS, ROOM_STATUS_LABELS, labelOf } from './columns.ts';
import { type Counts, type NewBuilding, type RoomItem, type RoomsState, roomChanges } from './plan.ts';
import { roomKey } from './rules.ts';
import type { CellValue } from './xlsx.ts';

/**
 * Rooms: stored state for planning, set-based writes for applying (one statement per step for a whole batch) and
 * the export. Writes follow the estate module's rules: a room's natural key is building + unit + number, and every
 * status a room takes is written to its history.
 */

export async function loadRoomsState(db: Db, communityId: string): Promise<RoomsState> {
  const [buildings, units, rooms] = await Promise.all([
    db.selectFrom('buildings').select(['id', 'name', 'floors_above', 'floors_below']).where('community_id', '=', communityId).execute(),
    db.selectFrom('building_units as u').innerJoin('buildings as b', 'b.id', 'u.building_id').select(['b.name as building', 'u.name']).where('b.community_id', '=', communityId).execute(),
    db
      .selectFrom('rooms as r')
      .innerJoin('buildings as b', 'b.id', 'r.building_id')
      .leftJoin('building_units as u', 'u.id', 'r.unit_id')
      .select(['b.name as building', 'u.name as unit', 'r.number', 'r.floor', 'r.built_area', 'r.inner_area', 'r.kind', 'r.status'])
      .where('r.community_id', '=', communityId)
      .execute(),
  ]);
  const state: RoomsState = { buildings: new Map(), rooms: new Map() };
  for (const b of buildings) state.buildings.set(b.name, { floorsAbove: b.floors_above, floorsBelow: b.floors_below, units: new Set() });
  for (const u of units) state.buildings.get(u.building)?.units.add(u.name);
  for (const r of rooms) state.rooms.set(roomKey(r.building, r.unit, r.number), { floor: r.floor, builtArea: r.built_area, innerArea: r.inner_area, kind: r.kind, status: r.status });
  return state;
}

export interface RoomsExtra {
  newBuildings: NewBuilding[];
  newUnits: Array<{ building: string; unit: string }>;
}
type Structure = Map<string, { id: string; units: Map<string, string> }>;

/** Creates the buildings and unit entrances the file needs (idempotent), then maps names to ids. */
export async function prepareRooms(trx: Transaction<DB>, ctx: RequestContext, companyId: string, communityId: string, extra: RoomsExtra): Promise<Structure> {
  for (const b of extra.newBuildings) {
    const row = await trx
      .insertInto('buildings')
      .values({ company_id: companyId, community_id: communityId, name: b.name, kind: b.kind, floors_above: b.floorsAbove, floors_below: b.floorsBelow })
      .onConflict((oc) => oc.columns(['community_id', 'name']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row) await writeAudit(trx, ctx, { action: 'building.create', entityType: 'building', entityId: row.id, after: { ...row, units: b.units, source: 'import' } });
  }
  const buildings = await trx.selectFrom('buildings').select(['id', 'name']).where('community_id', '=', communityId).execute();
  const ids = new Map(buildings.map((b) => [b.name, b.id]));
  const wanted = [...extra.newBuildings.flatMap((b) => b.units.map((unit) => ({ building: b.name, unit }))), ...extra.newUnits];
  if (wanted.length) {
    await trx
      .insertInto('building_units')
      .values(wanted.map((w, i) => ({ company_id: companyId, building_id: ids.get(w.building)!, name: w.unit, sort_order: 1000 + i })))
      .onConflict((oc) => oc.columns(['building_id', 'name']).doNothing())
      .execute();
    // New units go after the existing ones, in file order.
    await sql`
      UPDATE building_units u SET sort_order = n.rank
        FROM (SELECT id, row_number() OVER (PARTITION BY building_id ORDER BY sort_order, name) AS rank FROM building_units WHERE building_id = ANY(${[...ids.values()]}::uuid[])) n
       WHERE u.id = n.id AND u.sort_order >= 1000`.execute(trx);
  }
  const units = await trx.selectFrom('building_units as u').innerJoin('buildings as b', 'b.id', 'u.building_id').select(['u.id', 'u.name', 'b.name as building']).where('b.community_id', '=', communityId).execute();
  const structure: Structure = new Map(buildings.map((b) => [b.name, { id: b.id, units: new Map() }]));
  for (const u of units) structure.get(u.building)!.units.set(u.name, u.id);
  return structure;
}

/** Writes one batch of rooms: new ones inserted, changed ones updated, status changes into the history. */
export async function applyRoomsBatch(trx: Transaction<DB>, ctx: RequestContext, companyId: string, communityId: string, structure: Structure, items: RoomItem[]): Promise<Counts> {
  const counts: Counts = { create: 0, update: 0, unchanged: 0, error: 0 };
  const resolved = items.map((item) => {
    const b = structure.get(item.building)!;
    return { item, buildingId: b.id, unitId: item.unit ? b.units.get(item.unit)! : null };
  });
  const key = (buildingId: string, unitId: string | null, number: string) => `${buildingId}|${unitId ?? ''}|${number}`;
  const stored = await trx
    .selectFrom('rooms')
    .select(['id', 'building_id', 'unit_id', 'number', 'floor', 'built_area', 'inner_area', 'kind', 'status'])
    .where('community_id', '=', communityId)
    .where('building_id', 'in', [...new Set(resolved.map((r) => r.buildingId))])
    .where('number', 'in', [...new Set(items.map((i) => i.number))])
    .forUpdate()
    .execute();
  const byKey = new Map(stored.map((r) => [key(r.building_id, r.unit_id, r.number), r]));
  const inserts: typeof resolved = [];
  const updates: Array<{ id: string; from: RoomStatus; floor: number; built: string; inner: string | null; kind: RoomKind; status: RoomStatus }> = [];
  for (const r of resolved) {
    const s = byKey.get(key(r.buildingId, r.unitId, r.item.number));
    if (!s) {
      inserts.push(r);
      continue;
    }
    const changes = roomChanges(r.item, { floor: s.floor, builtArea: s.built_area, innerArea: s.inner_area, kind: s.kind, status: s.status });
    if (!changes) counts.unchanged += 1;
    else {
      counts.update += 1;
      updates.push({ id: s.id, from: s.status, floor: r.item.floor, built: r.item.builtArea, inner: r.item.innerArea === undefined ? s.inner_area : r.item.innerArea, kind: r.item.kind ?? s.kind, status: r.item.status ?? s.status });
    }
  }
  const history: Array<{ company_id: string; room_id: string; from_status: RoomStatus | null; to_status: RoomStatus; reason: string; changed_by: string }> = [];
  if (inserts.length) {
    const created = await trx
      .insertInto('rooms')
      .values(
        inserts.map((r) => ({
          company_id: companyId,
          community_id: communityId,
          building_id: r.buildingId,
          unit_id: r.unitId,
          floor: r.item.floor,
          number: r.item.number,
          built_area: r.item.builtArea,
          inner_area: r.item.innerArea ?? null,
          kind: r.item.kind ?? 'residence',
          status: r.item.status ?? 'unsold',
        })),
      )
      // A concurrent writer may have added the same room since the lock above: leave theirs.
      .onConflict((oc) => oc.doNothing())
      .returning(['id', 'status'])
      .execute();
    counts.create += created.length;
    counts.unchanged += inserts.length - created.length;
    for (const c of created) history.push({ company_id: companyId, room_id: c.id, from_status: null, to_status: c.status, reason: 'Excel 导入', changed_by: ctx.actor.userId });
  }
  if (updates.length) {
    const values = sql.join(updates.map((u) => sql`(${u.id}::uuid, ${u.floor}::int, ${u.built}::numeric, ${u.inner}::numeric, ${u.kind}, ${u.status})`));
    await sql`
      UPDATE rooms r SET floor = v.floor, built_area = v.built, inner_area = v.inner_area, kind = v.kind, status = v.status, updated_at = now()
        FROM (VALUES ${values}) AS v(id, floor, built, inner_area, kind, status)
       WHERE r.id = v.id AND r.company_id = ${companyId}`.execute(trx);
    for (const u of updates) if (u.status !== u.from) history.push({ company_id: companyId, room_id: u.id, from_status: u.from, to_status: u.status, reason: 'Excel 导入', changed_by: ctx.actor.userId });
  }
  if (history.length) await trx.insertInto('room_status_history').values(history).execute();
  return counts;
}

export async function exportRooms(db: Db, communityId: string, communityCode: string): Promise<CellValue[][]> {
  const rows = await db
    .selectFrom('rooms as r')
    .innerJoin('buildings as b', 'b.id', 'r.building_id')
    .leftJoin('building_units as u', 'u.id', 'r.unit_id')
    .select(['b.name as building', 'u.name as unit', 'r.floor', 'r.number', 'r.built_area', 'r.inner_area', 'r.kind', 'r.status'])
    .where('r.community_id', '=', communityId)
    .orderBy('b.sort_order')
    .orderBy(sql`length(b.name)`)
    .orderBy('b.name')
    .orderBy(sql`u.sort_order NULLS FIRST`)
    .orderBy('r.floor')
    .orderBy('r.number')
    .execute();
  return rows.map((r) => [
    communityCode,
    r.building,
    r.unit,
    r.floor,
    r.number,
    Number(r.built_area),
    r.inner_area === null ? null : Number(r.inner_area),
    labelOf(ROOM_KIND_LABELS, r.kind),
    labelOf(ROOM_STATUS_LABELS, r.status),
  ]);
}
