import type { Transaction } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { DB } from '../../db/schema.ts';
import { type RequestContext, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { hashPassword, temporaryPassword } from '../../core/password.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import { provisionBuiltinRoles } from '../roles/service.ts';
import { usernameTaken } from '../staff/repo.ts';
import type { Company, CreateCompanyInput } from './schema.ts';
import { contains } from '../../core/validation.ts';

function selectCompanies(db: Transaction<DB> | Deps['db']) {
  return db
    .selectFrom('companies as c')
    .select((eb) => [
      'c.id',
      'c.name',
      'c.code',
      'c.status',
      'c.contact_phone',
      'c.created_at',
      eb.selectFrom('communities').whereRef('communities.company_id', '=', 'c.id').select(eb.fn.countAll<number>().as('n')).as('community_count'),
      eb.selectFrom('users').whereRef('users.company_id', '=', 'c.id').where('users.kind', '=', 'staff').select(eb.fn.countAll<number>().as('n')).as('staff_count'),
    ]);
}

function toCompany(r: Awaited<ReturnType<ReturnType<typeof selectCompanies>['executeTakeFirstOrThrow']>>): Company {
  return {
    id: r.id,
    name: r.name,
    code: r.code,
    status: r.status,
    contactPhone: r.contact_phone,
    communityCount: Number(r.community_count ?? 0),
    staffCount: Number(r.staff_count ?? 0),
    createdAt: r.created_at.toISOString(),
  };
}

/**
 * Creates a property company with its built-in roles and a first administrator. Used by the platform operator's
 * console, `anju create-admin` and the demo seed; `ctx` is null for the latter two.
 */
export async function provisionCompany(
  trx: Transaction<DB>,
  ctx: RequestContext | null,
  input: CreateCompanyInput,
): Promise<{ companyId: string; adminId: string; roleIds: Record<string, string>; temporaryPassword: string | null }> {
  const exists = await trx.selectFrom('companies').select('id').where('code', '=', input.code).executeTakeFirst();
  if (exists) throw new ConflictError('conflict.companyCode', { code: input.code }, { field: 'code' });
  if (await usernameTaken(trx, input.admin.username)) throw new ConflictError('conflict.username', { username: input.admin.username }, { field: 'admin.username' });
  const company = await trx
    .insertInto('companies')
    .values({ name: input.name, code: input.code, contact_phone: input.contactPhone ?? null })
    .returning(['id', 'name', 'code'])
    .executeTakeFirstOrThrow();
  const roleIds = await provisionBuiltinRoles(trx, company.id);
  const temp = input.admin.password ? null : temporaryPassword();
  const admin = await trx
    .insertInto('users')
    .values({
      company_id: company.id,
      kind: 'staff',
      username: input.admin.username,
      display_name: input.admin.displayName,
      password_hash: await hashPassword(input.admin.password ?? temp!),
      all_communities: true,
      must_change_password: temp !== null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('user_roles').values({ user_id: admin.id, role_id: roleIds.admin }).execute();
  await writeAudit(trx, ctx, { action: 'company.create', entityType: 'company', entityId: company.id, after: { ...company, admin: input.admin.username }, companyId: company.id });
  return { companyId: company.id, adminId: admin.id, roleIds, temporaryPassword: temp };
}

export async function createCompany(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: CreateCompanyInput) {
  requirePermission(ctx.actor, 'platform.manage');
  const result = await deps.db.transaction().execute((trx) => provisionCompany(trx, ctx, input));
  return { company: await getCompany(deps, ctx, result.companyId), adminId: result.adminId, temporaryPassword: result.temporaryPassword };
}

export async function listCompanies(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: PageQuery & { q?: string }): Promise<Page<Company>> {
  requirePermission(ctx.actor, 'platform.manage');
  let rows = selectCompanies(deps.db);
  let count = deps.db.selectFrom('companies as c').select((eb) => eb.fn.countAll<number>().as('n'));
  if (q.q) {
    rows = rows.where((eb) => eb.or([eb('c.name', 'like', contains(q.q)), eb('c.code', 'like', contains(q.q))]));
    count = count.where((eb) => eb.or([eb('c.name', 'like', contains(q.q)), eb('c.code', 'like', contains(q.q))]));
  }
  const [items, total] = await Promise.all([rows.orderBy('c.created_at').limit(q.pageSize).offset(offsetOf(q)).execute(), count.executeTakeFirstOrThrow()]);
  return { items: items.map(toCompany), total: total.n, page: q.page, pageSize: q.pageSize };
}

export async function getCompany(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<Company> {
  requirePermission(ctx.actor, 'platform.manage');
  const row = await selectCompanies(deps.db).where('c.id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('company');
  return toCompany(row);
}

export async function updateCompany(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  id: string,
  input: { name?: string; status?: 'active' | 'suspended'; contactPhone?: string | null },
): Promise<Company> {
  requirePermission(ctx.actor, 'platform.manage');
  await deps.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('companies').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new NotFoundError('company');
    const after = await trx
      .updateTable('companies')
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.status !== undefined && { status: input.status }),
        ...(input.contactPhone !== undefined && { contact_phone: input.contactPhone }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (input.status === 'suspended' && before.status !== 'suspended') {
      // Suspension ends every session of the company's accounts; reactivating does not bring them back.
      await trx
        .updateTable('sessions')
        .set({ revoked_at: new Date() })
        .where('revoked_at', 'is', null)
        .where('user_id', 'in', (eb) => eb.selectFrom('users').select('id').where('company_id', '=', id))
        .execute();
    }
    await writeAudit(trx, ctx, { action: 'company.update', entityType: 'company', entityId: id, before, after, companyId: id });
  });
  return getCompany(deps, ctx, id);
}
