import { sql } from 'kysely';
import type { Db } from '../../core/context.ts';
import { contains, maskPhone } from '../../core/validation.ts';
import type { StaffMember } from './schema.ts';

export interface StaffFilter {
  q?: string;
  /** Whether the caller sees phones in full (and so may search by part of one). */
  fullPhones?: boolean;
  status?: 'active' | 'disabled';
  roleId?: string;
}

/** Staff of one company, with their roles and communities aggregated in the same query. */
export function selectStaff(db: Db, companyId: string, f: StaffFilter = {}) {
  let q = db
    .selectFrom('users as u')
    .where('u.company_id', '=', companyId)
    .where('u.kind', '=', 'staff')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.phone',
      'u.status',
      'u.all_communities',
      'u.must_change_password',
      'u.last_login_at',
      'u.created_at',
      sql<Array<{ id: string; name: string; builtinKey: string | null }>>`COALESCE((SELECT json_agg(json_build_object('id', r.id, 'name', r.name, 'builtinKey', r.builtin_key) ORDER BY r.name)
        FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id), '[]')`.as('roles'),
      sql<Array<{ id: string; name: string }>>`COALESCE((SELECT json_agg(json_build_object('id', c.id, 'name', c.name) ORDER BY c.code)
        FROM user_communities uc JOIN communities c ON c.id = uc.community_id WHERE uc.user_id = u.id), '[]')`.as('communities'),
    ]);
  if (f.q) {
    const like = contains(f.q.toLowerCase());
    // Callers who see phones masked may find a colleague by the whole number, not confirm digits one by one.
    q = q.where((eb) =>
      eb.or([
        eb(sql`lower(u.username)`, 'like', like),
        eb('u.display_name', 'like', contains(f.q)),
        f.fullPhones ? eb('u.phone', 'like', like) : eb('u.phone', '=', f.q!),
      ]),
    );
  }
  if (f.status) q = q.where('u.status', '=', f.status);
  if (f.roleId) q = q.where((eb) => eb.exists(eb.selectFrom('user_roles').whereRef('user_roles.user_id', '=', 'u.id').where('user_roles.role_id', '=', f.roleId!).select('user_roles.user_id')));
  return q;
}

export function countStaff(db: Db, companyId: string, f: StaffFilter = {}) {
  return selectStaff(db, companyId, f).clearSelect().select((eb) => eb.fn.countAll<number>().as('n'));
}

type Row = Awaited<ReturnType<ReturnType<typeof selectStaff>['executeTakeFirstOrThrow']>>;

export function toStaff(r: Row, showFullPhone: boolean): StaffMember {
  return {
    id: r.id,
    username: r.username ?? '',
    displayName: r.display_name,
    phone: showFullPhone ? r.phone : maskPhone(r.phone),
    status: r.status,
    allCommunities: r.all_communities,
    roles: r.roles,
    communities: r.communities,
    mustChangePassword: r.must_change_password,
    lastLoginAt: r.last_login_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  };
}

/** Usernames are unique across the whole installation, whatever the case (a unique index on lower(username)). */
export async function usernameTaken(db: Db, username: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where(sql`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
  return Boolean(row);
}
