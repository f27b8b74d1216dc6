import { sql } from 'kysely';
import type { Db } from '../../core/context.ts';
import { maskPhone } from '../../core/validation.ts';
import { maskIdNumber } from './rules.ts';
import type { Resident } from './schema.ts';

/**
 * Residents with their room links (labels) and plates in one query. Phone and ID number are masked here, at the
 * only place rows become API objects; /reveal reads them separately and is audited.
 */
export function selectResidents(db: Db, companyId: string) {
  return db
    .selectFrom('residents as p')
    .where('p.company_id', '=', companyId)
    .select([
      'p.id',
      'p.community_id',
      'p.name',
      'p.phone',
      'p.id_type',
      'p.id_number',
      'p.gender',
      'p.birthday',
      'p.care_flags',
      'p.profile_note',
      'p.safety_note',
      sql<Array<{ linkId: string; roomId: string; label: string; communityName: string; relation: 'owner' | 'family' | 'tenant'; current: boolean }>>`COALESCE((
        SELECT json_agg(json_build_object('linkId', l.id, 'roomId', r.id, 'label', concat_ws('-', b.name, u.name, r.number),
                                          'communityName', c.name, 'relation', l.relation, 'current', l.end_date IS NULL)
                        ORDER BY l.end_date IS NOT NULL, l.start_date DESC)
          FROM room_residents l JOIN rooms r ON r.id = l.room_id JOIN buildings b ON b.id = r.building_id
          JOIN communities c ON c.id = r.community_id LEFT JOIN building_units u ON u.id = r.unit_id
         WHERE l.resident_id = p.id), '[]')`.as('rooms'),
      sql<string[]>`COALESCE((SELECT array_agg(v.plate ORDER BY v.plate) FROM vehicles v WHERE v.resident_id = p.id), '{}')`.as('plates'),
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectResidents>['executeTakeFirstOrThrow']>>;

export function toResident(r: Row): Resident {
  return {
    id: r.id,
    communityId: r.community_id,
    name: r.name,
    phone: maskPhone(r.phone),
    idType: r.id_type,
    idNumber: maskIdNumber(r.id_number, r.id_type),
    gender: r.gender,
    birthday: r.birthday,
    careFlags: r.care_flags,
    profileNote: r.profile_note,
    safetyNote: r.safety_note,
    rooms: r.rooms,
    plates: r.plates,
  };
}

/** Vehicles with owner names and space numbers. */
export function selectVehicles(db: Db, companyId: string) {
  return db
    .selectFrom('vehicles as v')
    .innerJoin('residents as p', 'p.id', 'v.resident_id')
    .leftJoin('parking_spaces as s', 's.id', 'v.parking_space_id')
    .where('v.company_id', '=', companyId)
    .select(['v.id', 'v.resident_id', 'p.name as resident_name', 'v.plate', 'v.energy', 'v.parking_space_id', 's.number as space_number', 'v.brand', 'v.color', 'v.community_id']);
}

type VehicleRow = Awaited<ReturnType<ReturnType<typeof selectVehicles>['executeTakeFirstOrThrow']>>;

export function toVehicle(v: VehicleRow) {
  return {
    id: v.id,
    residentId: v.resident_id,
    residentName: v.resident_name,
    plate: v.plate,
    energy: v.energy,
    parkingSpaceId: v.parking_space_id,
    parkingSpaceNumber: v.space_number,
    brand: v.brand,
    color: v.color,
  };
}
