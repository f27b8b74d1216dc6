import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { hashPassword } from '../core/password.ts';
import { provisionCompany } from '../modules/platform/service.ts';

/** Demo logins, printed at start-up and listed in the README. All share one password (ANJU_DEMO_PASSWORD). */
export const DEMO_ACCOUNTS = [
  { username: 'operator', company: null, role: '平台运营 / platform operator' },
  { username: 'admin', company: 'demo-a', role: '系统管理员 (公司 A)' },
  { username: 'admin-b', company: 'demo-b', role: '系统管理员 (公司 B)' },
  { username: 'kefu', company: 'demo-a', role: '客服' },
  { username: 'shoufei', company: 'demo-a', role: '收费员' },
  { username: 'weixiu', company: 'demo-a', role: '维修工' },
  { username: 'baoan', company: 'demo-a', role: '秩序维护员' },
  { username: 'jingli', company: 'demo-a', role: '项目经理' },
] as const;

export const DEMO_OWNERS = [
  { phone: '13800138001', name: '张伟', company: 'demo-a' },
  { phone: '13800138002', name: '王芳', company: 'demo-a' },
  { phone: '13900139001', name: '李娜', company: 'demo-b' },
] as const;

const COMPANIES = [
  {
    code: 'demo-a',
    name: '安居示范物业服务有限公司',
    admin: { username: 'admin', displayName: '陈静（系统管理员）' },
    contactPhone: '13800138000',
    communities: [
      { code: 'JHY', name: '锦华苑', address: '江苏省南京市鼓楼区中山北路 88 号' },
      { code: 'BLW', name: '碧澜湾', address: '江苏省南京市建邺区江东中路 266 号' },
      { code: 'YSJ', name: '云栖居', address: '江苏省南京市江宁区双龙大道 1208 号' },
    ],
    staff: [
      { username: 'jingli', name: '刘洋', role: 'manager', phone: '13800138010', communities: ['JHY', 'BLW'] },
      { username: 'kefu', name: '赵敏', role: 'service', phone: '13800138011', communities: ['JHY'] },
      { username: 'shoufei', name: '孙丽', role: 'cashier', phone: '13800138012', communities: ['JHY'] },
      { username: 'weixiu', name: '周强', role: 'technician', phone: '13800138013', communities: ['JHY', 'BLW'] },
      { username: 'baoan', name: '吴刚', role: 'security', phone: '13800138014', communities: ['JHY'] },
    ],
  },
  {
    code: 'demo-b',
    name: '宁诚物业管理有限公司',
    admin: { username: 'admin-b', displayName: '郑凯（系统管理员）' },
    contactPhone: '13900139000',
    communities: [{ code: 'HXY', name: '和煦园', address: '江苏省苏州市姑苏区人民路 520 号' }],
    staff: [],
  },
] as const;

/** True when the database has no company yet: a fresh install. */
export async function isEmpty(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('companies').select('id').limit(1).executeTakeFirst();
  return !row;
}

/** Builds the two demo companies with communities, staff in each built-in role and owner logins. Idempotent. */
export async function seedDemo(db: Kysely<DB>, password: string): Promise<{ created: boolean }> {
  const exists = await db.selectFrom('companies').select('id').where('code', '=', 'demo-a').executeTakeFirst();
  if (exists) return { created: false };
  const hash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    if (!(await trx.selectFrom('users').select('id').where('username', '=', 'operator').executeTakeFirst())) {
      await trx.insertInto('users').values({ kind: 'operator', company_id: null, username: 'operator', display_name: '平台运营', password_hash: hash }).execute();
    }
    for (const c of COMPANIES) {
      const { companyId, roleIds } = await provisionCompany(trx, null, {
        name: c.name,
        code: c.code,
        contactPhone: c.contactPhone,
        admin: { username: c.admin.username, displayName: c.admin.displayName, password },
      });
      const communityIds: Record<string, string> = {};
      for (const community of c.communities) {
        const row = await trx.insertInto('communities').values({ company_id: companyId, ...community }).returning('id').executeTakeFirstOrThrow();
        communityIds[community.code] = row.id;
      }
      for (const s of c.staff) {
        const user = await trx
          .insertInto('users')
          .values({ company_id: companyId, kind: 'staff', username: s.username, display_name: s.name, phone: s.phone, password_hash: hash })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx.insertInto('user_roles').values({ user_id: user.id, role_id: roleIds[s.role] }).execute();
        await trx.insertInto('user_communities').values(s.communities.map((code) => ({ user_id: user.id, community_id: communityIds[code] }))).execute();
      }
      for (const o of DEMO_OWNERS.filter((o) => o.company === c.code)) {
        const user = await trx.insertInto('users').values({ company_id: companyId, kind: 'owner', display_name: o.name, phone: o.phone }).returning('id').executeTakeFirstOrThrow();
        await trx.insertInto('user_roles').values({ user_id: user.id, role_id: roleIds.owner }).execute();
      }
    }
  });
  return { created: true };
}
