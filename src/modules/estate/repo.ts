import type { Actor, Db } from '../../core/context.ts';
import { canSeeCommunity } from '../../core/context.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';

/** A community id from the request must be the caller's and visible to them; otherwise the field is named. */
export async function assertCommunity(db: Db, actor: Actor, companyId: string, communityId: string, field = 'communityId') {
  const row = await db.selectFrom('communities').select('id').where('id', '=', communityId).where('company_id', '=', companyId).executeTakeFirst();
  if (!row || !canSeeCommunity(actor, communityId)) throw new ValidationError(field, 'validation.unknownIds');
}

/** Loads a building of the caller's company in a visible community, or answers 404 (or 400 naming `field`). */
export async function loadBuilding(db: Db, actor: Actor, companyId: string, id: string, field?: string) {
  const row = await db.selectFrom('buildings').selectAll().where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
  if (!row || !canSeeCommunity(actor, row.community_id)) {
    if (field) throw new ValidationError(field, 'validation.unknownIds');
    throw new NotFoundError('building');
  }
  return row;
}

export async function assertStaffOfCompany(db: Db, companyId: string, userId: string | null | undefined, field: string) {
  if (!userId) return;
  const row = await db.selectFrom('users').select('id').where('id', '=', userId).where('company_id', '=', companyId).where('kind', '=', 'staff').executeTakeFirst();
  if (!row) throw new ValidationError(field, 'validation.unknownIds');
}

/** Rooms with community, building and unit names for lists and detail pages. */
export function selectRooms(db: Db, companyId: string) {
  return db
    .selectFrom('rooms as r')
    .innerJoin('buildings as b', 'b.id', 'r.building_id')
    .innerJoin('communities as c', 'c.id', 'r.community_id')
    .leftJoin('building_units as u', 'u.id', 'r.unit_id')
    .where('r.company_id', '=', companyId)
    .select([
      'r.id',
      'r.community_id',
      'c.name as community_name',
      'r.building_id',
      'b.name as building_name',
      'r.unit_id',
      'u.name as unit_name',
      'r.floor',
      'r.number',
      'r.built_area',
      'r.inner_area',
      'r.kind',
      'r.status',
      'r.updated_at',
    ]);
}

export type RoomRow = Awaited<ReturnType<ReturnType<typeof selectRooms>['executeTakeFirstOrThrow']>>;

export function roomLabel(buildingName: string, unitName: string | null, number: string): string {
  return [buildingName, unitName, number].filter(Boolean).join('-');
}

export function toRoom(r: RoomRow) {
  return {
    id: r.id,
    communityId: r.community_id,
    communityName: r.community_name,
    buildingId: r.building_id,
    buildingName: r.building_name,
    unitId: r.unit_id,
    unitName: r.unit_name,
    floor: r.floor,
    number: r.number,
    label: roomLabel(r.building_name, r.unit_name, r.number),
    builtArea: r.built_area,
    innerArea: r.inner_area,
    kind: r.kind,
    status: r.status,
    updatedAt: r.updated_at.toISOString(),
  };
}
