import { sql } from 'kysely';
import { type Actor, type Db, can, canSeeCommunity, companyOf } from '../../core/context.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.ts';
import type { Permission } from '../../core/permissions.ts';

/** SQL shared by the quality use cases; every query carries the caller's company. */

/**
 * A community of the caller's company the caller may see. Read endpoints are about the community (unknown → 404);
 * in a request body it is a field like any other (400 naming communityId).
 */
export async function loadCommunity(db: Db, actor: Actor, communityId: string, missing: 'notFound' | 'field') {
  const row = await db.selectFrom('communities').select(['id', 'name', 'time_zone']).where('id', '=', communityId).where('company_id', '=', companyOf(actor)).executeTakeFirst();
  if (!row || !canSeeCommunity(actor, communityId)) throw missing === 'field' ? new ValidationError('communityId', 'validation.unknownIds') : new NotFoundError('community');
  return row;
}
export type CommunityRow = Awaited<ReturnType<typeof loadCommunity>>;

/** Quality pages are for readers (quality.read) and for those who rectify (quality.rectify, their own notices). */
export function requireQualityAccess(actor: Actor): void {
  if (!can(actor, 'quality.read') && !can(actor, 'quality.manage') && !can(actor, 'quality.rectify')) throw new ForbiddenError('quality.read');
}
export function requireReader(actor: Actor): void {
  if (!can(actor, 'quality.read') && !can(actor, 'quality.manage')) throw new ForbiddenError('quality.read');
}

/** The departments a person answers for: the ones they head and the ones whose posts they hold. */
export async function departmentsOf(db: Db, companyId: string, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('departments as d')
    .select('d.id')
    .where('d.company_id', '=', companyId)
    .where((eb) =>
      eb.or([
        eb('d.head_id', '=', userId),
        eb.exists(eb.selectFrom('posts as p').innerJoin('post_members as pm', 'pm.post_id', 'p.id').select('p.id').whereRef('p.department_id', '=', 'd.id').where('pm.user_id', '=', userId)),
      ]),
    )
    .execute();
  return rows.map((r) => r.id);
}

/** Active staff of a company holding `permission`; with `communityId`, only those who may see that community. */
export async function staffHolding(db: Db, companyId: string, permission: Permission, communityId?: string) {
  return db
    .selectFrom('users as u')
    .select(['u.id', 'u.display_name', 'u.all_communities'])
    .distinct()
    .innerJoin('user_roles as ur', 'ur.user_id', 'u.id')
    .innerJoin('roles as r', 'r.id', 'ur.role_id')
    .where('u.company_id', '=', companyId)
    .where('u.kind', '=', 'staff')
    .where('u.status', '=', 'active')
    .where(sql<boolean>`${permission} = ANY(r.permissions)`)
    .$if(communityId !== undefined, (qb) =>
      qb.where((eb) => eb.or([eb('u.all_communities', '=', true), eb.exists(eb.selectFrom('user_communities as uc').select('uc.user_id').whereRef('uc.user_id', '=', 'u.id').where('uc.community_id', '=', communityId!))])),
    )
    .orderBy('u.display_name')
    .execute();
}

/** An active staff member of the company holding `permission` (and seeing `communityId` when given), or 400 naming `field`. */
export async function requireStaff(db: Db, companyId: string, userId: string, permission: Permission, field: string, communityId?: string) {
  const rows = await staffHolding(db, companyId, permission, communityId);
  const found = rows.find((r) => r.id === userId);
  if (!found) throw new ValidationError(field, 'validation.unknownIds');
  return found;
}

/** The communities a staff member is assigned to ('all' for company-wide staff). */
export async function communitiesOfUser(db: Db, userId: string): Promise<'all' | string[]> {
  const u = await db.selectFrom('users').select('all_communities').where('id', '=', userId).executeTakeFirstOrThrow();
  if (u.all_communities) return 'all';
  return (await db.selectFrom('user_communities').select('community_id').where('user_id', '=', userId).execute()).map((r) => r.community_id);
}

export async function requireDepartment(db: Db, companyId: string, id: string, field: string) {
  const d = await db.selectFrom('departments').select(['id', 'name', 'kind', 'head_id']).where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
  if (!d) throw new ValidationError(field, 'validation.unknownIds');
  return d;
}

export const fileUrl = (id: string) => `/api/files/${id}`;
export const iso = (d: Date | null) => (d ? d.toISOString() : null);
