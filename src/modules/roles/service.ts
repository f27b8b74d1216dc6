import type { Transaction } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { DB } from '../../db/schema.ts';
import { type RequestContext, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { BUILTIN_ROLES, isPermission, PERMISSIONS } from '../../core/permissions.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import { assertAdminRemains } from '../staff/service.ts';
import { selectRoles, toRole } from './repo.ts';
import type { Role } from './schema.ts';
import { contains } from '../../core/validation.ts';

/** Gives a new company its built-in roles. Returns their ids by key. */
export async function provisionBuiltinRoles(trx: Transaction<DB>, companyId: string): Promise<Record<string, string>> {
  const rows = await trx
    .insertInto('roles')
    .values(BUILTIN_ROLES.map((r) => ({ company_id: companyId, name: r.zh, builtin_key: r.key, description: r.en, permissions: [...r.permissions] })))
    .returning(['id', 'builtin_key'])
    .execute();
  return Object.fromEntries(rows.map((r) => [r.builtin_key!, r.id]));
}

function checkPermissions(list: string[]): string[] {
  for (const p of list) if (!isPermission(p) || p === 'platform.manage') throw new ValidationError('permissions', 'validation.unknownPermission', { permission: p });
  return [...new Set(list)].sort();
}

export function listPermissions() {
  return Object.entries(PERMISSIONS)
    .filter(([key]) => key !== 'platform.manage')
    .map(([key, v]) => ({ key, group: v.group, zh: v.zh, en: v.en }));
}

export async function listRoles(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: PageQuery & { q?: string }): Promise<Page<Role>> {
  requirePermission(ctx.actor, 'role.read');
  const companyId = companyOf(ctx.actor);
  let base = deps.db.selectFrom('roles').where('company_id', '=', companyId);
  if (q.q) base = base.where('name', 'like', contains(q.q));
  let rowsQ = selectRoles(deps.db, companyId);
  if (q.q) rowsQ = rowsQ.where('roles.name', 'like', contains(q.q));
  const [rows, count] = await Promise.all([
    rowsQ.orderBy('roles.builtin_key', 'asc').orderBy('roles.name').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toRole), total: count.n, page: q.page, pageSize: q.pageSize };
}

export async function getRole(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<Role> {
  requirePermission(ctx.actor, 'role.read');
  const row = await selectRoles(deps.db, companyOf(ctx.actor)).where('roles.id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('role');
  return toRole(row);
}

async function assertNameFree(trx: Transaction<DB>, companyId: string, name: string, exceptId?: string) {
  let q = trx.selectFrom('roles').select('id').where('company_id', '=', companyId).where('name', '=', name);
  if (exceptId) q = q.where('id', '<>', exceptId);
  if (await q.executeTakeFirst()) throw new ConflictError('conflict.roleName', { name }, { field: 'name' });
}

export async function createRole(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  input: { name: string; description?: string; permissions: string[] },
): Promise<Role> {
  requirePermission(ctx.actor, 'role.manage');
  const companyId = companyOf(ctx.actor);
  const permissions = checkPermissions(input.permissions);
  const id = await deps.db.transaction().execute(async (trx) => {
    await assertNameFree(trx, companyId, input.name);
    const row = await trx
      .insertInto('roles')
      .values({ company_id: companyId, name: input.name, description: input.description ?? null, permissions })
      .returning(['id', 'name', 'permissions'])
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'role.create', entityType: 'role', entityId: row.id, after: row });
    return row.id;
  });
  return getRole(deps, ctx, id);
}

export async function updateRole(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  id: string,
  input: { name?: string; description?: string | null; permissions?: string[] },
): Promise<Role> {
  requirePermission(ctx.actor, 'role.manage');
  const companyId = companyOf(ctx.actor);
  const permissions = input.permissions ? checkPermissions(input.permissions) : undefined;
  await deps.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('roles').selectAll().where('id', '=', id).where('company_id', '=', companyId).forUpdate().executeTakeFirst();
    if (!before) throw new NotFoundError('role');
    if (input.name) await assertNameFree(trx, companyId, input.name, id);
    const after = await trx
      .updateTable('roles')
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        ...(permissions !== undefined && { permissions }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('company_id', '=', companyId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (before.permissions.includes('staff.manage') && !after.permissions.includes('staff.manage')) await assertAdminRemains(trx, companyId);
    await writeAudit(trx, ctx, { action: 'role.update', entityType: 'role', entityId: id, before, after });
  });
  return getRole(deps, ctx, id);
}

export async function deleteRole(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<void> {
  requirePermission(ctx.actor, 'role.manage');
  const companyId = companyOf(ctx.actor);
  await deps.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('roles').selectAll().where('id', '=', id).where('company_id', '=', companyId).forUpdate().executeTakeFirst();
    if (!before) throw new NotFoundError('role');
    if (before.builtin_key) throw new ConflictError('conflict.builtinRole');
    const used = await trx.selectFrom('user_roles').select((eb) => eb.fn.countAll<number>().as('n')).where('role_id', '=', id).executeTakeFirstOrThrow();
    if (used.n > 0) throw new ConflictError('conflict.roleInUse', { count: used.n });
    await trx.deleteFrom('roles').where('id', '=', id).where('company_id', '=', companyId).execute();
    await writeAudit(trx, ctx, { action: 'role.delete', entityType: 'role', entityId: id, before });
  });
}
