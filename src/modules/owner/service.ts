import type { Deps } from '../../deps.ts';
import { type RequestContext, can, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type PageQuery } from '../../core/pagination.ts';
import { contains, maskPhone } from '../../core/validation.ts';
import { ownerRooms } from '../residents/household.ts';

export async function getOwnerHome(deps: Pick<Deps, 'db'>, ctx: RequestContext) {
  requirePermission(ctx.actor, 'owner.self');
  const row = await deps.db
    .selectFrom('users')
    .innerJoin('companies', 'companies.id', 'users.company_id')
    .select(['users.id', 'users.display_name', 'users.phone', 'companies.id as company_id', 'companies.name as company_name', 'companies.contact_phone'])
    .where('users.id', '=', ctx.actor.userId)
    .where('users.kind', '=', 'owner')
    .executeTakeFirst();
  if (!row) throw new NotFoundError('owner');
  return {
    owner: { id: row.id, displayName: row.display_name, phone: maskPhone(row.phone) ?? '' },
    company: { id: row.company_id, name: row.company_name, contactPhone: row.contact_phone },
    rooms: await ownerRooms(deps, ctx),
  };
}

export async function listOwners(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: PageQuery & { q?: string }) {
  requirePermission(ctx.actor, 'owner.manage');
  let base = deps.db.selectFrom('users').where('company_id', '=', companyOf(ctx.actor)).where('kind', '=', 'owner');
  if (q.q) base = base.where((eb) => eb.or([eb('display_name', 'like', contains(q.q)), eb('phone', 'like', contains(q.q))]));
  const [rows, count] = await Promise.all([
    base.select(['id', 'display_name', 'phone', 'status', 'last_login_at', 'created_at']).orderBy('created_at', 'desc').orderBy('id').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const full = can(ctx.actor, 'personal.viewFull');
  return {
    items: rows.map((r) => ({
      id: r.id,
      displayName: r.display_name,
      phone: (full ? r.phone : maskPhone(r.phone)) ?? '',
      status: r.status,
      lastLoginAt: r.last_login_at?.toISOString() ?? null,
      createdAt: r.created_at.toISOString(),
    })),
    total: count.n,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** An owner account lets a phone number log in to the owner site with a one-time code. */
export async function createOwnerAccount(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: { displayName: string; phone: string }) {
  requirePermission(ctx.actor, 'owner.manage');
  const companyId = companyOf(ctx.actor);
  const row = await deps.db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('users').select('id').where('company_id', '=', companyId).where('kind', '=', 'owner').where('phone', '=', input.phone).executeTakeFirst();
    if (exists) throw new ConflictError('conflict.ownerPhone', { phone: maskPhone(input.phone) ?? '' }, { field: 'phone' });
    const ownerRole = await trx.selectFrom('roles').select('id').where('company_id', '=', companyId).where('builtin_key', '=', 'owner').executeTakeFirstOrThrow();
    const user = await trx
      .insertInto('users')
      .values({ company_id: companyId, kind: 'owner', display_name: input.displayName, phone: input.phone })
      .returning(['id', 'display_name', 'phone', 'status', 'last_login_at', 'created_at'])
      .executeTakeFirstOrThrow();
    await trx.insertInto('user_roles').values({ user_id: user.id, role_id: ownerRole.id }).execute();
    await writeAudit(trx, ctx, { action: 'owner.create', entityType: 'user', entityId: user.id, after: { displayName: user.display_name, phone: maskPhone(user.phone) } });
    return user;
  });
  return {
    id: row.id,
    displayName: row.display_name,
    phone: (can(ctx.actor, 'personal.viewFull') ? row.phone : maskPhone(row.phone)) ?? '',
    status: row.status,
    lastLoginAt: null,
    createdAt: row.created_at.toISOString(),
  };
}
