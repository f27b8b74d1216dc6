import { sql, type Transaction } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { DB } from '../../db/schema.ts';
import { type RequestContext, companyOf, requirePermission, can } from '../../core/context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { hashPassword, temporaryPassword } from '../../core/password.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import { maskPhone } from '../../core/validation.ts';
import { sendSms } from '../sms/service.ts';
import { countStaff, selectStaff, type StaffFilter, toStaff, usernameTaken } from './repo.ts';
import type { StaffMember } from './schema.ts';

export async function listStaff(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: PageQuery & StaffFilter): Promise<Page<StaffMember>> {
  requirePermission(ctx.actor, 'staff.read');
  const companyId = companyOf(ctx.actor);
  const full = can(ctx.actor, 'personal.viewFull');
  const filter = { ...q, fullPhones: full };
  const [rows, count] = await Promise.all([
    selectStaff(deps.db, companyId, filter).orderBy('u.created_at').orderBy('u.id').limit(q.pageSize).offset(offsetOf(q)).execute(),
    countStaff(deps.db, companyId, filter).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((r) => toStaff(r, full)), total: count.n, page: q.page, pageSize: q.pageSize };
}

export async function getStaff(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<StaffMember> {
  requirePermission(ctx.actor, 'staff.read');
  const row = await selectStaff(deps.db, companyOf(ctx.actor)).where('u.id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('staff');
  return toStaff(row, can(ctx.actor, 'personal.viewFull'));
}

/** Ids from the request must all belong to the caller's company; otherwise the field is named. */
async function checkIds(trx: Transaction<DB>, companyId: string, table: 'roles' | 'communities', ids: string[], field: string) {
  if (ids.length === 0) return;
  const found = await trx.selectFrom(table).select('id').where('company_id', '=', companyId).where('id', 'in', ids).execute();
  if (found.length !== new Set(ids).size) throw new ValidationError(field, 'validation.unknownIds');
}

async function setLinks(trx: Transaction<DB>, userId: string, roleIds?: string[], communityIds?: string[]) {
  if (roleIds) {
    await trx.deleteFrom('user_roles').where('user_id', '=', userId).execute();
    await trx.insertInto('user_roles').values([...new Set(roleIds)].map((role_id) => ({ user_id: userId, role_id }))).execute();
  }
  if (communityIds) {
    await trx.deleteFrom('user_communities').where('user_id', '=', userId).execute();
    if (communityIds.length) await trx.insertInto('user_communities').values([...new Set(communityIds)].map((community_id) => ({ user_id: userId, community_id }))).execute();
  }
}

/** Someone must still be able to manage staff after this change, or the company locks itself out. */
export async function assertAdminRemains(trx: Transaction<DB>, companyId: string) {
  const row = await trx
    .selectFrom('users as u')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('u.company_id', '=', companyId)
    .where('u.kind', '=', 'staff')
    .where('u.status', '=', 'active')
    .where((eb) =>
      eb.exists(
        eb.selectFrom('user_roles as ur').innerJoin('roles as r', 'r.id', 'ur.role_id').whereRef('ur.user_id', '=', 'u.id').where(sql<boolean>`'staff.manage' = ANY(r.permissions)`).select('ur.user_id'),
      ),
    )
    .executeTakeFirstOrThrow();
  if (row.n === 0) throw new ConflictError('conflict.lastAdmin');
}

/**
 * Nobody hands out more than they hold: the roles granted must carry only permissions the caller has, never the
 * owners' role, and a caller limited to some communities can only grant those communities.
 */
async function assertCanGrant(
  trx: Transaction<DB>,
  ctx: RequestContext,
  companyId: string,
  grant: { roleIds?: string[]; communityIds?: string[]; allCommunities?: boolean },
) {
  const actor = ctx.actor;
  if (grant.roleIds?.length) {
    const roles = await trx.selectFrom('roles').select(['permissions', 'builtin_key']).where('company_id', '=', companyId).where('id', 'in', grant.roleIds).execute();
    if (roles.some((r) => r.builtin_key === 'owner')) throw new ValidationError('roleIds', 'validation.unknownIds');
    const beyond = roles.flatMap((r) => r.permissions).find((p) => !actor.permissions.has(p as never));
    if (beyond) throw new ForbiddenError(beyond);
  }
  if (actor.communityIds !== 'all') {
    if (grant.allCommunities) throw new ForbiddenError('allCommunities');
    const outside = grant.communityIds?.find((c) => !actor.communityIds.includes(c));
    if (outside) throw new ForbiddenError('communityIds');
  }
}

/** A caller may change or reset only accounts that hold no more than they do (no takeover of an administrator). */
async function assertCanManage(trx: Transaction<DB>, ctx: RequestContext, target: { id: string; all_communities: boolean; communities: Array<{ id: string }> }) {
  if (target.id === ctx.actor.userId) return;
  const perms = await trx
    .selectFrom('user_roles as ur')
    .innerJoin('roles as r', 'r.id', 'ur.role_id')
    .select('r.permissions')
    .where('ur.user_id', '=', target.id)
    .execute();
  const beyond = perms.flatMap((r) => r.permissions).find((p) => !ctx.actor.permissions.has(p as never));
  if (beyond) throw new ForbiddenError(beyond);
  const scope = ctx.actor.communityIds;
  if (scope !== 'all' && (target.all_communities || target.communities.some((c) => !scope.includes(c.id)))) throw new ForbiddenError('communityIds');
}

export async function createStaff(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  input: { username: string; displayName: string; phone?: string; password?: string; roleIds: string[]; communityIds: string[]; allCommunities: boolean },
): Promise<{ staff: StaffMember; temporaryPassword: string | null }> {
  requirePermission(ctx.actor, 'staff.manage');
  const companyId = companyOf(ctx.actor);
  const temp = input.password ? null : temporaryPassword();
  const passwordHash = await hashPassword(input.password ?? temp!);
  const id = await deps.db.transaction().execute(async (trx) => {
    await checkIds(trx, companyId, 'roles', input.roleIds, 'roleIds');
    await checkIds(trx, companyId, 'communities', input.communityIds, 'communityIds');
    await assertCanGrant(trx, ctx, companyId, input);
    if (await usernameTaken(trx, input.username)) throw new ConflictError('conflict.username', { username: input.username }, { field: 'username' });
    const user = await trx
      .insertInto('users')
      .values({
        company_id: companyId,
        kind: 'staff',
        username: input.username,
        display_name: input.displayName,
        phone: input.phone ?? null,
        password_hash: passwordHash,
        all_communities: input.allCommunities,
        must_change_password: temp !== null,
      })
      .returning(['id', 'username', 'display_name', 'phone', 'all_communities'])
      .executeTakeFirstOrThrow();
    await setLinks(trx, user.id, input.roleIds, input.communityIds);
    await writeAudit(trx, ctx, { action: 'staff.create', entityType: 'user', entityId: user.id, after: { ...user, phone: maskPhone(user.phone), roleIds: input.roleIds, communityIds: input.communityIds } });
    return user.id;
  });
  return { staff: await getStaff(deps, ctx, id), temporaryPassword: temp };
}

export async function updateStaff(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  id: string,
  input: { displayName?: string; phone?: string | null; status?: 'active' | 'disabled'; roleIds?: string[]; communityIds?: string[]; allCommunities?: boolean },
): Promise<StaffMember> {
  requirePermission(ctx.actor, 'staff.manage');
  const companyId = companyOf(ctx.actor);
  await deps.db.transaction().execute(async (trx) => {
    const before = await selectStaff(trx, companyId).where('u.id', '=', id).executeTakeFirst();
    if (!before) throw new NotFoundError('staff');
    if (input.status === 'disabled' && id === ctx.actor.userId) throw new ConflictError('conflict.selfDisable');
    if (input.roleIds) await checkIds(trx, companyId, 'roles', input.roleIds, 'roleIds');
    if (input.communityIds) await checkIds(trx, companyId, 'communities', input.communityIds, 'communityIds');
    await assertCanManage(trx, ctx, before);
    await assertCanGrant(trx, ctx, companyId, input);
    await trx
      .updateTable('users')
      .set({
        ...(input.displayName !== undefined && { display_name: input.displayName }),
        ...(input.phone !== undefined && { phone: input.phone }),
        ...(input.status !== undefined && { status: input.status }),
        ...(input.allCommunities !== undefined && { all_communities: input.allCommunities }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('company_id', '=', companyId)
      .execute();
    await setLinks(trx, id, input.roleIds, input.communityIds);
    if (input.status === 'disabled') {
      await trx.updateTable('sessions').set({ revoked_at: new Date() }).where('user_id', '=', id).where('revoked_at', 'is', null).execute();
    }
    if (input.status === 'disabled' || input.roleIds) await assertAdminRemains(trx, companyId);
    const after = await selectStaff(trx, companyId).where('u.id', '=', id).executeTakeFirstOrThrow();
    // Phones are personal data: the trail (readable with audit.read alone) keeps them masked, as for owners and residents.
    const masked = (r: typeof before) => ({ ...r, phone: maskPhone(r.phone) });
    await writeAudit(trx, ctx, { action: input.status === 'disabled' ? 'staff.disable' : 'staff.update', entityType: 'user', entityId: id, before: masked(before), after: masked(after) });
  });
  return getStaff(deps, ctx, id);
}

/** Sets a temporary password, ends the account's sessions, and texts it to the staff member when a phone is on file. */
export async function resetStaffPassword(
  deps: Pick<Deps, 'db' | 'sms' | 'log'>,
  ctx: RequestContext,
  id: string,
): Promise<{ temporaryPassword: string; sentBySms: boolean }> {
  requirePermission(ctx.actor, 'staff.manage');
  const companyId = companyOf(ctx.actor);
  const temp = temporaryPassword();
  const hash = await hashPassword(temp);
  const user = await deps.db.transaction().execute(async (trx) => {
    const target = await selectStaff(trx, companyId).where('u.id', '=', id).executeTakeFirst();
    if (!target) throw new NotFoundError('staff');
    await assertCanManage(trx, ctx, target);
    const row = await trx
      .updateTable('users')
      .set({ password_hash: hash, must_change_password: true, updated_at: new Date() })
      .where('id', '=', id)
      .where('company_id', '=', companyId)
      .where('kind', '=', 'staff')
      .returning(['id', 'username', 'display_name', 'phone'])
      .executeTakeFirst();
    if (!row) throw new NotFoundError('staff');
    await trx.updateTable('sessions').set({ revoked_at: new Date() }).where('user_id', '=', id).where('revoked_at', 'is', null).execute();
    await writeAudit(trx, ctx, { action: 'staff.resetPassword', entityType: 'user', entityId: id });
    return row;
  });
  if (user.phone) {
    await sendSms(deps, { companyId, phone: user.phone, template: 'sms.staffPassword', params: { name: user.display_name, username: user.username ?? '', password: temp }, lang: ctx.lang });
  }
  return { temporaryPassword: temp, sentBySms: Boolean(user.phone) };
}
