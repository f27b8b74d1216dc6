import { sql } from 'kysely';
import { type Actor, type Db, canSeeCommunity, companyOf } from '../../core/context.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { localDate } from '../servicedesk/deadlines.ts';

/** Lookups every rosters service shares: the caller's community, the community's staff, names of people. */

export interface CommunityRow {
  id: string;
  name: string;
  time_zone: string;
}

/**
 * A community of the caller's company that the caller may see. In a query string or path it is what the request is
 * about, so an unknown one is a 404; in a request body it is a field like any other (400 naming communityId).
 */
export async function loadCommunity(db: Db, actor: Actor, communityId: string, missing: 'notFound' | 'field' = 'notFound'): Promise<CommunityRow> {
  const row = await db.selectFrom('communities').select(['id', 'name', 'time_zone']).where('id', '=', communityId).where('company_id', '=', companyOf(actor)).executeTakeFirst();
  if (!row || !canSeeCommunity(actor, communityId)) throw missing === 'field' ? new ValidationError('communityId', 'validation.unknownIds') : new NotFoundError('community');
  return row;
}

export const todayIn = (c: { time_zone: string }, now = new Date()) => localDate(now, c.time_zone);

/** Active staff of the company who work in the community (assigned to it, or to every community). */
export function communityStaffQuery(db: Db, companyId: string, communityId: string) {
  return db
    .selectFrom('users as u')
    .where('u.company_id', '=', companyId)
    .where('u.kind', '=', 'staff')
    .where('u.status', '=', 'active')
    .where((eb) => eb.or([eb('u.all_communities', '=', true), eb.exists(eb.selectFrom('user_communities as uc').select('uc.user_id').whereRef('uc.user_id', '=', 'u.id').where('uc.community_id', '=', communityId))]));
}

/** The community's staff with their role names, by name. */
export async function communityStaff(db: Db, companyId: string, communityId: string) {
  const rows = await communityStaffQuery(db, companyId, communityId)
    .select(['u.id', 'u.display_name'])
    .select(sql<string[]>`ARRAY(SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id ORDER BY r.name)`.as('roles'))
    .orderBy('u.display_name')
    .orderBy('u.id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name, roles: r.roles }));
}

/** Every id is a distinct active staff member of the community; otherwise 400 naming `field`. */
export async function requireCommunityStaff(db: Db, companyId: string, communityId: string, ids: readonly string[], field: string): Promise<void> {
  if (!ids.length) return;
  if (new Set(ids).size !== ids.length) throw new ValidationError(field, 'validation.duplicateIds');
  const found = await communityStaffQuery(db, companyId, communityId).select('u.id').where('u.id', 'in', [...ids]).execute();
  if (found.length !== ids.length) throw new ValidationError(field, 'validation.notActiveStaff');
}

/** An active staff member of the company (any community), or 400 naming `field`. */
export async function requireStaff(db: Db, companyId: string, userId: string, field: string): Promise<{ id: string; name: string }> {
  const u = await db.selectFrom('users').select(['id', 'display_name']).where('id', '=', userId).where('company_id', '=', companyId).where('kind', '=', 'staff').where('status', '=', 'active').executeTakeFirst();
  if (!u) throw new ValidationError(field, 'validation.notActiveStaff');
  return { id: u.id, name: u.display_name };
}

/** A staff member the caller may see: of the caller's company and, for community-bound callers, of one of their communities. */
export async function staffVisibleTo(db: Db, actor: Actor, userId: string): Promise<boolean> {
  const u = await db.selectFrom('users').select(['id', 'all_communities']).where('id', '=', userId).where('company_id', '=', companyOf(actor)).where('kind', '=', 'staff').executeTakeFirst();
  if (!u) return false;
  if (actor.communityIds === 'all') return true;
  if (u.all_communities) return true;
  const shared = await db.selectFrom('user_communities').select('user_id').where('user_id', '=', userId).where('community_id', 'in', actor.communityIds.length ? [...actor.communityIds] : ['00000000-0000-0000-0000-000000000000']).executeTakeFirst();
  return Boolean(shared);
}

/** The staff the caller may see, as a subquery condition on a `user_id` column (null: everyone of the company). */
export function visibleUserIds(db: Db, actor: Actor) {
  if (actor.communityIds === 'all') return null;
  const ids = actor.communityIds.length ? [...actor.communityIds] : ['00000000-0000-0000-0000-000000000000'];
  return db
    .selectFrom('users as vu')
    .select('vu.id')
    .where('vu.company_id', '=', companyOf(actor))
    .where((eb) => eb.or([eb('vu.all_communities', '=', true), eb.exists(eb.selectFrom('user_communities as vc').select('vc.user_id').whereRef('vc.user_id', '=', 'vu.id').where('vc.community_id', 'in', ids))]));
}
