import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { type Db, type RequestContext, can } from '../../core/context.ts';
import { maskPhone } from '../../core/validation.ts';
import { maskIdNumber } from '../residents/rules.ts';
import { ID_TYPE_LABELS, RELATION_LABELS, labelOf } from './columns.ts';
import type { Counts } from './plan.ts';
import type { ResidentItem, ResidentsState } from './plan-residents.ts';
import { type IdType, roomKey, type SheetRow } from './rules.ts';
import type { CellValue } from './xlsx.ts';

/**
 * Residents: stored state for planning, set-based writes for applying and the export. The writes keep the residents
 * module's rules: phone is the natural key within a company, one current link per person and room, a tenant makes
 * the room 'rented' (with history), an owner account with the same phone is tied to the resident record.
 */

export async function loadResidentsState(db: Db, companyId: string, communityId: string, rows: SheetRow[]): Promise<ResidentsState> {
  const phones = [...new Set(rows.map((r) => (r.cells.phone ?? '').replace(/[\s-]/g, '')).filter(Boolean))];
  const idNumbers = [...new Set(rows.map((r) => (r.cells.idNumber ?? '').trim().toUpperCase()).filter(Boolean))];
  const plates = [...new Set(rows.flatMap((r) => (r.cells.plates ?? '').toUpperCase().replace(/[·.\-]/g, '').split(/[,，、;；\s]+/)).filter(Boolean))];
  const [rooms, people, holders, links, vehicles] = await Promise.all([
    db
      .selectFrom('rooms as r')
      .innerJoin('buildings as b', 'b.id', 'r.building_id')
      .leftJoin('building_units as u', 'u.id', 'r.unit_id')
      .select(['r.id', 'b.name as building', 'u.name as unit', 'r.number'])
      .where('r.community_id', '=', communityId)
      .execute(),
    phones.length ? db.selectFrom('residents').select(['id', 'phone', 'name', 'id_type', 'id_number']).where('company_id', '=', companyId).where('phone', 'in', phones).execute() : [],
    idNumbers.length ? db.selectFrom('residents').select(['phone', 'id_type', 'id_number']).where('company_id', '=', companyId).where('id_number', 'in', idNumbers).execute() : [],
    db
      .selectFrom('room_residents as l')
      .innerJoin('rooms as r', 'r.id', 'l.room_id')
      .innerJoin('residents as p', 'p.id', 'l.resident_id')
      .select(['l.room_id', 'p.phone', 'l.relation', 'l.share_percent', 'l.move_in_date', 'l.lease_start', 'l.lease_end'])
      .where('r.community_id', '=', communityId)
      .where('l.end_date', 'is', null)
      .execute(),
    plates.length ? db.selectFrom('vehicles as v').innerJoin('residents as p', 'p.id', 'v.resident_id').select(['v.plate', 'p.phone']).where('v.company_id', '=', companyId).where('v.plate', 'in', plates).execute() : [],
  ]);
  const state: ResidentsState = { rooms: new Map(), people: new Map(), idHolders: new Map(), links: new Map(), plates: new Map() };
  for (const r of rooms) state.rooms.set(roomKey(r.building, r.unit, r.number), r.id);
  for (const p of people) state.people.set(p.phone!, { id: p.id, name: p.name, idType: p.id_type, idNumber: p.id_number });
  for (const h of holders) state.idHolders.set(`${h.id_type}|${h.id_number}`, h.phone);
  for (const l of links) {
    const list = state.links.get(l.room_id) ?? [];
    list.push({ phone: l.phone, relation: l.relation, share: l.share_percent, moveInDate: l.move_in_date, leaseStart: l.lease_start, leaseEnd: l.lease_end });
    state.links.set(l.room_id, list);
  }
  for (const v of vehicles) state.plates.set(v.plate, v.phone);
  return state;
}

type Change = 'inserted' | 'updated';
const today = () => new Date().toISOString().slice(0, 10);

/** Writes one batch: residents upserted by phone, links by (room, person), plates by plate; then room statuses. */
export async function applyResidentsBatch(trx: Transaction<DB>, ctx: RequestContext, companyId: string, communityId: string, items: ResidentItem[]): Promise<Counts> {
  // One person per phone in the batch, with the first non-blank identity the rows give.
  const people = new Map<string, ResidentItem>();
  for (const i of items) {
    const p = people.get(i.phone);
    if (!p) people.set(i.phone, { ...i });
    else if (!p.idNumber && i.idNumber) Object.assign(p, { idType: i.idType, idNumber: i.idNumber, birthday: i.birthday, gender: i.gender });
  }
  const personChange = new Map<string, Change>();
  const written = await trx
    .insertInto('residents')
    .values([...people.values()].map((p) => ({ company_id: companyId, community_id: communityId, name: p.name, phone: p.phone, id_type: p.idType, id_number: p.idNumber, birthday: p.birthday, gender: p.gender })))
    .onConflict((oc) =>
      oc
        .columns(['company_id', 'phone'])
        .where('phone', 'is not', null)
        .doUpdateSet({
          name: (eb) => eb.ref('excluded.name'),
          id_type: sql`CASE WHEN excluded.id_number IS NULL THEN residents.id_type ELSE excluded.id_type END`,
          id_number: sql`COALESCE(excluded.id_number, residents.id_number)`,
          birthday: sql`COALESCE(residents.birthday, excluded.birthday)`,
          gender: sql`COALESCE(residents.gender, excluded.gender)`,
          updated_at: sql`now()`,
        })
        .where(sql<boolean>`residents.name <> excluded.name OR (excluded.id_number IS NOT NULL AND (residents.id_type, residents.id_number) IS DISTINCT FROM (excluded.id_type, excluded.id_number))`),
    )
    .returning(['id', 'phone', sql<boolean>`xmax = 0`.as('inserted')])
    .execute();
  for (const w of written) personChange.set(w.phone!, w.inserted ? 'inserted' : 'updated');
  const ids = new Map(
    (await trx.selectFrom('residents').select(['id', 'phone']).where('company_id', '=', companyId).where('phone', 'in', [...people.keys()]).execute()).map((r) => [r.phone!, r.id]),
  );

  const linkChange = new Map<string, Change>();
  const links = items.filter((i) => i.roomId && i.relation);
  if (links.length) {
    const rows = await trx
      .insertInto('room_residents')
      .values(
        links.map((i) => ({
          company_id: companyId,
          room_id: i.roomId!,
          resident_id: ids.get(i.phone)!,
          relation: i.relation!,
          share_percent: i.relation === 'owner' ? i.share : null,
          start_date: i.moveInDate ?? i.leaseStart ?? today(),
          move_in_date: i.moveInDate,
          lease_start: i.leaseStart,
          lease_end: i.leaseEnd,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['room_id', 'resident_id'])
          .where('end_date', 'is', null)
          .doUpdateSet({
            relation: (eb) => eb.ref('excluded.relation'),
            share_percent: (eb) => eb.ref('excluded.share_percent'),
            move_in_date: sql`COALESCE(excluded.move_in_date, room_residents.move_in_date)`,
            lease_start: sql`COALESCE(excluded.lease_start, room_residents.lease_start)`,
            lease_end: sql`COALESCE(excluded.lease_end, room_residents.lease_end)`,
          })
          .where(
            sql<boolean>`(room_residents.relation, room_residents.share_percent) IS DISTINCT FROM (excluded.relation, excluded.share_percent)
              OR (excluded.move_in_date IS NOT NULL AND excluded.move_in_date IS DISTINCT FROM room_residents.move_in_date)
              OR (excluded.lease_start IS NOT NULL AND excluded.lease_start IS DISTINCT FROM room_residents.lease_start)
              OR (excluded.lease_end IS NOT NULL AND excluded.lease_end IS DISTINCT FROM room_residents.lease_end)`,
          ),
      )
      .returning(['room_id', 'resident_id', 'relation', sql<boolean>`xmax = 0`.as('inserted')])
      .execute();
    for (const r of rows) linkChange.set(`${r.room_id}|${r.resident_id}`, r.inserted ? 'inserted' : 'updated');
    // A tenant makes the room 'rented', as the residents module does on linking one.
    const rented = [...new Set(rows.filter((r) => r.relation === 'tenant').map((r) => r.room_id))];
    if (rented.length) {
      await sql`
        WITH old AS (SELECT id, status FROM rooms WHERE id = ANY(${rented}::uuid[]) AND company_id = ${companyId} AND status <> 'rented' FOR UPDATE),
             upd AS (UPDATE rooms r SET status = 'rented', updated_at = now() FROM old WHERE r.id = old.id RETURNING r.id)
        INSERT INTO room_status_history (company_id, room_id, from_status, to_status, reason, changed_by)
        SELECT ${companyId}, old.id, old.status, 'rented', '租客入住（Excel 导入）', ${ctx.actor.userId} FROM old`.execute(trx);
    }
  }

  const plateChange = new Map<string, Change>();
  const plates = new Map<string, { phone: string; energy: 'fuel' | 'newEnergy' }>();
  for (const i of items) for (const p of i.plates) plates.set(p.plate, { phone: i.phone, energy: p.energy });
  if (plates.size) {
    const rows = await trx
      .insertInto('vehicles')
      .values([...plates].map(([plate, v]) => ({ company_id: companyId, community_id: communityId, resident_id: ids.get(v.phone)!, plate, energy: v.energy })))
      .onConflict((oc) =>
        oc
          .columns(['company_id', 'plate'])
          .doUpdateSet({ resident_id: (eb) => eb.ref('excluded.resident_id'), energy: (eb) => eb.ref('excluded.energy'), updated_at: sql`now()` })
          .where(sql<boolean>`(vehicles.resident_id, vehicles.energy) IS DISTINCT FROM (excluded.resident_id, excluded.energy)`),
      )
      .returning(['plate', sql<boolean>`xmax = 0`.as('inserted')])
      .execute();
    for (const r of rows) plateChange.set(r.plate, r.inserted ? 'inserted' : 'updated');
  }

  // Owner accounts registered with the same phone now see their home.
  const created = [...personChange].filter(([, c]) => c === 'inserted').map(([phone]) => ids.get(phone)!);
  if (created.length) {
    await sql`
      UPDATE users u SET resident_id = p.id, updated_at = now() FROM residents p
       WHERE p.id = ANY(${created}::uuid[]) AND u.company_id = p.company_id AND u.kind = 'owner' AND u.phone = p.phone AND u.resident_id IS NULL`.execute(trx);
  }

  const counts: Counts = { create: 0, update: 0, unchanged: 0, error: 0 };
  const attributed = new Set<string>();
  for (const i of items) {
    const changes: Array<Change | undefined> = i.plates.map((p) => plateChange.get(p.plate));
    if (!attributed.has(i.phone)) {
      changes.push(personChange.get(i.phone));
      attributed.add(i.phone);
    }
    if (i.roomId) changes.push(linkChange.get(`${i.roomId}|${ids.get(i.phone)}`));
    counts[changes.includes('inserted') ? 'create' : changes.includes('updated') ? 'update' : 'unchanged'] += 1;
  }
  return counts;
}

/** One row per current link to a room of the community, plus the community's residents without one. */
export async function exportResidents(db: Db, ctx: RequestContext, companyId: string, communityId: string, communityCode: string): Promise<CellValue[][]> {
  const full = can(ctx.actor, 'personal.viewFull');
  const rows = await sql<{
    name: string;
    phone: string | null;
    id_type: IdType;
    id_number: string | null;
    building: string | null;
    unit: string | null;
    number: string | null;
    relation: 'owner' | 'family' | 'tenant' | null;
    share_percent: string | null;
    move_in_date: string | null;
    lease_start: string | null;
    lease_end: string | null;
    plates: string | null;
  }>`
    SELECT p.name, p.phone, p.id_type, p.id_number, b.name AS building, u.name AS unit, r.number, l.relation, l.share_percent,
           l.move_in_date, l.lease_start, l.lease_end,
           (SELECT string_agg(v.plate, '，' ORDER BY v.plate) FROM vehicles v WHERE v.resident_id = p.id) AS plates
      FROM residents p
      LEFT JOIN room_residents l ON l.resident_id = p.id AND l.end_date IS NULL
           AND l.room_id IN (SELECT id FROM rooms WHERE community_id = ${communityId})
      LEFT JOIN rooms r ON r.id = l.room_id
      LEFT JOIN buildings b ON b.id = r.building_id
      LEFT JOIN building_units u ON u.id = r.unit_id
     WHERE p.company_id = ${companyId} AND (l.id IS NOT NULL OR p.community_id = ${communityId})
     ORDER BY b.sort_order, length(b.name), b.name, u.sort_order, r.floor, r.number, l.relation, p.name, p.phone`.execute(db);
  return rows.rows.map((r) => [
    communityCode,
    r.name,
    full ? r.phone : maskPhone(r.phone),
    labelOf(ID_TYPE_LABELS, r.id_type),
    full ? r.id_number : maskIdNumber(r.id_number, r.id_type),
    r.building,
    r.unit,
    r.number,
    r.relation ? labelOf(RELATION_LABELS, r.relation) : null,
    r.share_percent === null ? null : Number(r.share_percent),
    r.move_in_date,
    r.lease_start,
    r.lease_end,
    r.plates,
  ]);
}
