import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, RoomStatus } from '../db/schema.ts';
import type { CommunityLayout } from './layouts.ts';
import { roomsOf } from './layouts.ts';
import type { FixedHousehold, Population } from './households.ts';

/**
 * Writes the estates of a seeded company: structure (phases, zones, buildings, units, common parts), rooms with
 * their first history entry, parking spaces, residents, room links, vehicles, parking holdings and committee seats.
 * Rows are made in memory and written in large set-based statements (jsonb_to_recordset), a few per table, which is
 * what keeps the demo seed within seconds on the embedded database.
 */

type Db = Kysely<DB> | Transaction<DB>;

/** INSERT … SELECT FROM jsonb_to_recordset: one statement and one parameter per `chunk` rows. */
export async function insertRows(db: Db, table: keyof DB, types: Record<string, string>, rows: object[], chunk = 5000): Promise<void> {
  const cols = Object.keys(types);
  const list = sql.join(cols.map((c) => sql.ref(c)));
  const record = sql.raw(cols.map((c) => `${c} ${types[c]}`).join(', '));
  for (let i = 0; i < rows.length; i += chunk) {
    const json = JSON.stringify(rows.slice(i, i + chunk));
    await sql`INSERT INTO ${sql.table(table)} (${list}) SELECT ${list} FROM jsonb_to_recordset(${json}::jsonb) AS x(${record})`.execute(db);
  }
}

export interface EstateCounts {
  rooms: number;
  residents: number;
  links: number;
  vehicles: number;
  parkingSpaces: number;
}

export function fixedKey(code: string, building: string, unit: string | null, number: string): string {
  return `${code}|${building}|${unit ?? ''}|${number}`;
}

/** One community: structure, rooms, parking and its population. `staff` maps usernames to user ids. */
export async function seedCommunityEstate(
  trx: Db,
  opts: { companyId: string; communityId: string; layout: CommunityLayout; population: Population; staff: Map<string, string>; fixed?: Map<string, FixedHousehold> },
): Promise<EstateCounts> {
  const { companyId, communityId, layout, population, staff } = opts;
  const staffId = (username: string) => staff.get(username) ?? null;
  const base = { company_id: companyId, community_id: communityId };

  const phases = new Map<string, string>();
  if (layout.phases.length) {
    const rows = await trx.insertInto('phases').values(layout.phases.map((name) => ({ ...base, name, kind: name.includes('组团') ? ('group' as const) : ('phase' as const) }))).returning(['id', 'name']).execute();
    for (const r of rows) phases.set(r.name, r.id);
  }
  const zones = new Map<string, string>();
  if (layout.zones.length) {
    const rows = await trx.insertInto('zones').values(layout.zones.map((z) => ({ ...base, name: z.name, responsible_user_id: staffId(z.responsible) }))).returning(['id', 'name']).execute();
    for (const r of rows) zones.set(r.name, r.id);
  }
  const buildings = await trx
    .insertInto('buildings')
    .values(
      layout.buildings.map((b, i) => ({
        ...base,
        name: b.name,
        kind: b.kind,
        floors_above: b.floorsAbove,
        floors_below: b.floorsBelow ?? 0,
        lifts: b.lifts ?? 0,
        sort_order: i + 1,
        phase_id: b.phase ? (phases.get(b.phase) ?? null) : null,
        zone_id: b.zone ? (zones.get(b.zone) ?? null) : null,
      })),
    )
    .returning(['id', 'name'])
    .execute();
  const buildingIds = new Map(buildings.map((b) => [b.name, b.id]));
  const unitRows = layout.buildings.flatMap((b) => b.units.map((name, i) => ({ company_id: companyId, building_id: buildingIds.get(b.name)!, name, sort_order: i + 1 })));
  const unitIds = new Map<string, string>();
  for (let i = 0; i < unitRows.length; i += 2000) {
    const rows = await trx.insertInto('building_units').values(unitRows.slice(i, i + 2000)).returning(['id', 'building_id', 'name']).execute();
    for (const u of rows) unitIds.set(`${u.building_id}|${u.name}`, u.id);
  }
  if (layout.commonParts.length) {
    await trx
      .insertInto('common_parts')
      .values(layout.commonParts.map((p) => ({ ...base, name: p.name, kind: p.kind, location: p.location, zone_id: p.zone ? (zones.get(p.zone) ?? null) : null, responsible_user_id: staffId(p.responsible) })))
      .execute();
  }

  // Parking first: households take spaces while they are made.
  const spaceNumbers = [
    ...Array.from({ length: layout.parking.under }, (_, i) => `B${i < layout.parking.under / 2 ? 1 : 2}-${String(i + 1).padStart(3, '0')}`),
    ...Array.from({ length: layout.parking.above }, (_, i) => `A-${String(i + 1).padStart(3, '0')}`),
  ];
  population.startCommunity(spaceNumbers.filter((n) => n.startsWith('B')));

  const rooms: Array<{ id: string; building_id: string; unit_id: string | null; floor: number; number: string; built_area: string; inner_area: string; kind: string; status: RoomStatus }> = [];
  for (const b of layout.buildings) {
    const buildingId = buildingIds.get(b.name)!;
    for (const spec of roomsOf(b, (layout.roomLimit ?? Infinity) - rooms.length)) {
      const id = randomUUID();
      const status = population.populate(communityId, id, spec.kind, opts.fixed?.get(fixedKey(layout.code, spec.building, spec.unit, spec.number)));
      const unitId = spec.unit ? unitIds.get(`${buildingId}|${spec.unit}`)! : null;
      rooms.push({ id, building_id: buildingId, unit_id: unitId, floor: spec.floor, number: spec.number, built_area: spec.area.toFixed(2), inner_area: (spec.area * 0.8).toFixed(2), kind: spec.kind, status });
    }
  }
  // Taken before the first await: from startCommunity to here nothing else runs, so communities may be seeded
  // concurrently with one Population.
  const made = population.drain();
  await insertRows(
    trx,
    'rooms',
    { id: 'uuid', company_id: 'uuid', community_id: 'uuid', building_id: 'uuid', unit_id: 'uuid', floor: 'int', number: 'text', built_area: 'numeric', inner_area: 'numeric', kind: 'text', status: 'text' },
    rooms.map((r) => ({ ...r, ...base })),
  );
  await sql`
    INSERT INTO room_status_history (company_id, room_id, from_status, to_status, reason)
    SELECT company_id, id, NULL, status, '初始数据' FROM rooms WHERE community_id = ${communityId}`.execute(trx);

  const held = new Map(made.holdings.map((h) => [h.space, h]));
  const spaceIds = new Map(spaceNumbers.map((n) => [n, randomUUID()]));
  await insertRows(
    trx,
    'parking_spaces',
    { id: 'uuid', company_id: 'uuid', community_id: 'uuid', area: 'text', number: 'text', kind: 'text', mode: 'text' },
    spaceNumbers.map((number, i) => ({
      ...base,
      id: spaceIds.get(number),
      area: number.startsWith('A') ? 'above' : 'under',
      number,
      kind: i % 40 === 7 ? 'charging' : i % 50 === 3 ? 'accessible' : i % 30 === 11 ? 'large' : 'standard',
      mode: held.has(number) ? 'fixed' : 'shared',
    })),
  );
  await insertRows(
    trx,
    'residents',
    { id: 'uuid', company_id: 'uuid', community_id: 'uuid', name: 'text', phone: 'text', id_type: 'text', id_number: 'text', gender: 'text', birthday: 'date', care_flags: 'text[]', profile_note: 'text' },
    made.residents.map((r) => ({ ...r, company_id: companyId, id_type: 'idCard' })),
  );
  await insertRows(
    trx,
    'room_residents',
    { company_id: 'uuid', room_id: 'uuid', resident_id: 'uuid', relation: 'text', share_percent: 'numeric', start_date: 'date', move_in_date: 'date', warranty_end: 'date', lease_start: 'date', lease_end: 'date' },
    made.links.map((l) => ({ ...l, company_id: companyId })),
  );
  await insertRows(
    trx,
    'vehicles',
    { id: 'uuid', company_id: 'uuid', community_id: 'uuid', resident_id: 'uuid', plate: 'text', energy: 'text', parking_space_id: 'uuid' },
    made.vehicles.map((v) => ({ ...v, company_id: companyId, parking_space_id: v.parking_space_id ? spaceIds.get(v.parking_space_id) : null })),
  );
  await insertRows(
    trx,
    'parking_holdings',
    { company_id: 'uuid', parking_space_id: 'uuid', resident_id: 'uuid', holding: 'text', start_date: 'date' },
    made.holdings.map((h) => ({ company_id: companyId, parking_space_id: spaceIds.get(h.space), resident_id: h.resident_id, holding: h.holding, start_date: h.start_date })),
  );

  // The owners' committee: seats fixed in advance, then owners who live here, director first.
  const seats = [...made.committee];
  const positions = ['director', 'deputyDirector', 'member'] as const;
  for (const owner of made.owners) {
    if (seats.length >= layout.committee) break;
    if (seats.some((s) => s.resident_id === owner) || !population.chance(0.05)) continue;
    const taken = new Set(seats.map((s) => s.position));
    seats.push({ resident_id: owner, position: positions.find((p) => p !== 'member' && !taken.has(p)) ?? 'member' });
  }
  if (seats.length) {
    await trx.insertInto('committee_members').values(seats.map((s) => ({ ...base, resident_id: s.resident_id, position: s.position, term_start: '2024-06-01', term_end: '2029-05-31' }))).execute();
  }
  return { rooms: rooms.length, residents: made.residents.length, links: made.links.length, vehicles: made.vehicles.length, parkingSpaces: spaceNumbers.length };
}

/** Ties owner accounts to the resident records with the same phone in their company ("my home" reads the link). */
export async function linkOwnerAccounts(db: Db, companyId: string): Promise<void> {
  await sql`
    UPDATE users u SET resident_id = r.id, updated_at = now() FROM residents r
     WHERE u.company_id = ${companyId} AND u.kind = 'owner' AND u.resident_id IS NULL AND r.company_id = u.company_id AND r.phone = u.phone`.execute(db);
}
