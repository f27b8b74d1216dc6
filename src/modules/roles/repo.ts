import type { Db } from '../../core/context.ts';

/** Roles of one company only: the company id is part of every WHERE. */
export function selectRoles(db: Db, companyId: string) {
  return db
    .selectFrom('roles')
    .where('roles.company_id', '=', companyId)
    .select((eb) => [
      'roles.id',
      'roles.name',
      'roles.builtin_key',
      'roles.description',
      'roles.permissions',
      'roles.updated_at',
      eb.selectFrom('user_roles').whereRef('user_roles.role_id', '=', 'roles.id').select(eb.fn.countAll<number>().as('n')).as('user_count'),
    ]);
}

export type RoleRow = Awaited<ReturnType<ReturnType<typeof selectRoles>['executeTakeFirstOrThrow']>>;

export function toRole(r: RoleRow) {
  return {
    id: r.id,
    name: r.name,
    builtinKey: r.builtin_key,
    description: r.description,
    permissions: r.permissions,
    userCount: Number(r.user_count ?? 0),
    updatedAt: r.updated_at.toISOString(),
  };
}
