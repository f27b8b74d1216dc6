import { sql } from 'kysely';
import { type Actor, type Db, canSeeCommunity, companyOf } from '../../core/context.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { localDate } from '../servicedesk/deadlines.ts';

/**
 * The lookups every equipment use case starts from. Each is scoped to the caller's company and communities: another
 * company's record, or one of a community the caller is not assigned to, is a 404 (or a 400 naming the field when it
 * was given in a request body).
 */

export async function loadCommunity(db: Db, actor: Actor, communityId: string, missing: 'notFound' | 'field') {
  const row = await db.selectFrom('communities').select(['id', 'name', 'time_zone']).where('id', '=', communityId).where('company_id', '=', companyOf(actor)).executeTakeFirst();
  if (!row || !canSeeCommunity(actor, communityId)) throw missing === 'field' ? new ValidationError('communityId', 'validation.unknownIds') : new NotFoundError('community');
  return row;
}

/** An item of the caller's company and communities, with its community's zone. */
export async function loadEquipment(db: Db, actor: Actor, id: string, missing: 'notFound' | 'field' = 'notFound', field = 'equipmentId') {
  const row = await db
    .selectFrom('equipment as e')
    .innerJoin('communities as c', 'c.id', 'e.community_id')
    .selectAll('e')
    .select(['c.time_zone', 'c.name as community_name'])
    .where('e.id', '=', id)
    .where('e.company_id', '=', companyOf(actor))
    .executeTakeFirst();
  if (!row || !canSeeCommunity(actor, row.community_id)) throw missing === 'field' ? new ValidationError(field, 'validation.unknownIds') : new NotFoundError('equipment');
  return row;
}
export type EquipmentRow = Awaited<ReturnType<typeof loadEquipment>>;

/** An active staff member of the company who works in the community, or 400 naming `field`. */
export async function requireStaff(db: Db, companyId: string, communityId: string, userId: string, field: string): Promise<void> {
  const found = await db
    .selectFrom('users as u')
    .select('u.id')
    .where('u.id', '=', userId)
    .where('u.company_id', '=', companyId)
    .where('u.kind', '=', 'staff')
    .where('u.status', '=', 'active')
    .where((eb) => eb.or([eb('u.all_communities', '=', true), eb.exists(eb.selectFrom('user_communities as uc').select('uc.user_id').whereRef('uc.user_id', '=', 'u.id').where('uc.community_id', '=', communityId))]))
    .executeTakeFirst();
  if (!found) throw new ValidationError(field, 'validation.notActiveStaff');
}

export async function requireBuilding(db: Db, companyId: string, communityId: string, buildingId: string): Promise<void> {
  const b = await db.selectFrom('buildings').select('community_id').where('id', '=', buildingId).where('company_id', '=', companyId).executeTakeFirst();
  if (!b) throw new ValidationError('buildingId', 'validation.unknownIds');
  if (b.community_id !== communityId) throw new ValidationError('buildingId', 'validation.otherCommunity');
}

export async function requirePost(db: Db, companyId: string, communityId: string, postId: string): Promise<void> {
  const p = await db.selectFrom('posts').select('community_id').where('id', '=', postId).where('company_id', '=', companyId).executeTakeFirst();
  if (!p) throw new ValidationError('postId', 'validation.unknownIds');
  if (p.community_id !== communityId) throw new ValidationError('postId', 'validation.otherCommunity');
}

/** Files of the company (any type for attachments; images only where `images`). */
export async function requireFiles(db: Db, companyId: string, ids: readonly string[], field: string, images = false): Promise<void> {
  if (!ids.length) return;
  const rows = await db.selectFrom('files').select(['id', 'mime_type']).where('company_id', '=', companyId).where('id', 'in', [...ids]).execute();
  if (rows.length !== new Set(ids).size) throw new ValidationError(field, 'validation.unknownIds');
  if (images && rows.some((r) => !r.mime_type.startsWith('image/'))) throw new ValidationError(field, 'validation.notImage');
}

/** Today in the community's zone. */
export const todayIn = (timeZone: string, now = new Date()) => localDate(now, timeZone);

/** `due_on < today of the row's community`, in SQL, so communities in other zones are judged by their own date. */
export const overdueSql = (dueColumn: string, zoneColumn: string) => sql<boolean>`${sql.ref(dueColumn)} < (now() AT TIME ZONE ${sql.ref(zoneColumn)})::date`;
