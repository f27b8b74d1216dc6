import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { hashPassword } from '../core/password.ts';
import { provisionCompany } from '../modules/platform/service.ts';
import { COMPANY_A_LAYOUTS, COMPANY_B_LAYOUTS, type CommunityLayout } from './layouts.ts';
import { type EstateCounts, fixedKey, linkOwnerAccounts, seedCommunityEstate } from './estate.ts';
import { type FixedHousehold, Population } from './households.ts';
import { seedServiceDesk } from './servicedesk.ts';
import { seedBilling } from './billing.ts';
import { seedRosters } from './rosters.ts';
import { seedPatrols } from './patrols.ts';
import { seedEquipments } from './equipment.ts';
import { seedQualitys } from './quality.ts';
import { seedCleanings } from './cleaning.ts';

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
  { username: 'baoan2', company: 'demo-a', role: '秩序维护员（夜班）' },
  { username: 'baojie', company: 'demo-a', role: '保洁' },
  { username: 'pinzhi', company: 'demo-a', role: '品质专员' },
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
    communities: COMPANY_A_LAYOUTS,
    seed: 20261122,
    phoneBase: 0,
    staff: [
      { username: 'jingli', name: '刘洋', role: 'manager', phone: '13800138010', communities: ['JHY', 'BLW'] },
      { username: 'kefu', name: '赵敏', role: 'service', phone: '13800138011', communities: ['JHY'] },
      { username: 'shoufei', name: '孙丽', role: 'cashier', phone: '13800138012', communities: ['JHY'] },
      { username: 'weixiu', name: '周强', role: 'technician', phone: '13800138013', communities: ['JHY', 'BLW'] },
      { username: 'baoan', name: '吴刚', role: 'security', phone: '13800138014', communities: ['JHY'] },
      { username: 'baoan2', name: '冯军', role: 'security', phone: '13800138021', communities: ['JHY'] },
      { username: 'baojie', name: '钱芳', role: 'cleaner', phone: '13800138022', communities: ['JHY'] },
      { username: 'pinzhi', name: '郑洁', role: 'quality', phone: '13800138023', communities: ['JHY', 'BLW'] },
    ],
  },
  {
    code: 'demo-b',
    name: '宁诚物业管理有限公司',
    admin: { username: 'admin-b', displayName: '郑凯（系统管理员）' },
    contactPhone: '13900139000',
    communities: COMPANY_B_LAYOUTS,
    seed: 20261123,
    phoneBase: 5_000_000,
    staff: [],
  },
] as const satisfies ReadonlyArray<{ communities: CommunityLayout[] } & Record<string, unknown>>;

/**
 * The demo owners' homes, so the owner site has something to show: 张伟 owns and lives in 锦华苑 1栋-1单元-1201
 * with his family, a car on a bought space, and sits on the owners' committee; 王芳 lives in a 碧澜湾 villa and lets
 * a shop on 锦华苑's shopping street; 李娜 lives in 和煦园 3栋-2单元-502.
 */
export const DEMO_HOMES: Record<string, FixedHousehold> = {
  [fixedKey('JHY', '1栋', '1单元', '1201')]: {
    status: 'occupied',
    people: [
      { name: '张伟', gender: 'male', born: 1984, phone: '13800138001', relation: 'owner', moveIn: '2019-10-01', committee: 'deputyDirector' },
      { name: '刘敏', gender: 'female', born: 1986, phone: null, relation: 'family', moveIn: '2019-10-01' },
      { name: '张子涵', gender: 'female', born: 2016, phone: null, relation: 'family', moveIn: '2019-10-01', careFlags: ['child'] },
    ],
    plates: [{ plate: '苏A8Z123', energy: 'fuel', fixedSpace: 'B1-001' }],
  },
  [fixedKey('BLW', '别墅A区', null, 'A-08')]: {
    status: 'occupied',
    people: [
      { name: '王芳', gender: 'female', born: 1978, phone: '13800138002', relation: 'owner', moveIn: '2021-05-20', note: '喜欢园艺，周末常在家' },
      { name: '陈思远', gender: 'male', born: 1976, phone: null, relation: 'family', moveIn: '2021-05-20' },
    ],
    plates: [{ plate: '苏AD66888', energy: 'newEnergy' }],
  },
  [fixedKey('JHY', '商业街', null, 'S-105')]: {
    status: 'rented',
    people: [
      { name: '王芳', gender: 'female', born: 1978, phone: '13800138002', relation: 'owner' },
      { name: '周建华', gender: 'male', born: 1980, phone: null, relation: 'tenant', lease: ['2025-03-01', '2027-02-28'], note: '经营周记面馆' },
    ],
  },
  [fixedKey('HXY', '3栋', '2单元', '502')]: {
    status: 'occupied',
    people: [
      { name: '李娜', gender: 'female', born: 1990, phone: '13900139001', relation: 'owner', moveIn: '2018-09-15' },
      { name: '黄浩然', gender: 'male', born: 1989, phone: null, relation: 'family', moveIn: '2018-09-15' },
    ],
  },
};

/** True when the database has no company yet: a fresh install. */
export async function isEmpty(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('companies').select('id').limit(1).executeTakeFirst();
  return !row;
}

/**
 * Builds the two demo companies with communities and their estates (buildings, rooms, parking, residents,
 * vehicles, zones, committee), staff in each built-in role and owner logins. Idempotent: a second call adds nothing.
 */
export async function seedDemo(db: Kysely<DB>, password: string): Promise<{ created: boolean; counts?: EstateCounts }> {
  const exists = await db.selectFrom('companies').select('id').where('code', '=', 'demo-a').executeTakeFirst();
  if (exists) return { created: false };
  const hash = await hashPassword(password);
  const counts: EstateCounts = { rooms: 0, residents: 0, links: 0, vehicles: 0, parkingSpaces: 0 };
  await db.transaction().execute(async (trx) => {
    if (!(await trx.selectFrom('users').select('id').where('username', '=', 'operator').executeTakeFirst())) {
      await trx.insertInto('users').values({ kind: 'operator', company_id: null, username: 'operator', display_name: '平台运营', password_hash: hash }).execute();
    }
    for (const c of COMPANIES) {
      const { companyId, roleIds, adminId } = await provisionCompany(trx, null, {
        name: c.name,
        code: c.code,
        contactPhone: c.contactPhone,
        admin: { username: c.admin.username, displayName: c.admin.displayName, password },
      });
      const communityIds: Record<string, string> = {};
      for (const l of c.communities) {
        const row = await trx
          .insertInto('communities')
          .values({
            company_id: companyId,
            code: l.code,
            name: l.name,
            address: l.address,
            province_code: l.division.provinceCode,
            city_code: l.division.cityCode,
            district_code: l.division.districtCode,
            land_area: l.landArea,
            building_area: Math.round(l.landArea * 1.9),
            green_area: l.greenArea,
            service_level: l.serviceLevel,
            management_mode: 'professional',
            community_type: l.communityType,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        communityIds[l.code] = row.id;
      }
      const staff = new Map<string, string>([[c.admin.username, adminId]]);
      for (const s of c.staff) {
        const user = await trx
          .insertInto('users')
          .values({ company_id: companyId, kind: 'staff', username: s.username, display_name: s.name, phone: s.phone, password_hash: hash })
          .returning('id')
          .executeTakeFirstOrThrow();
        staff.set(s.username, user.id);
        await trx.insertInto('user_roles').values({ user_id: user.id, role_id: roleIds[s.role] }).execute();
        await trx.insertInto('user_communities').values(s.communities.map((code) => ({ user_id: user.id, community_id: communityIds[code] }))).execute();
      }
      for (const o of DEMO_OWNERS.filter((o) => o.company === c.code)) {
        const user = await trx.insertInto('users').values({ company_id: companyId, kind: 'owner', display_name: o.name, phone: o.phone }).returning('id').executeTakeFirstOrThrow();
        await trx.insertInto('user_roles').values({ user_id: user.id, role_id: roleIds.owner }).execute();
      }
      const population = new Population({ seed: c.seed, phoneBase: c.phoneBase, plates: c.communities[0].plates, reservedPlates: ['苏A8Z123', '苏AD66888'] });
      const fixed = new Map(Object.entries(DEMO_HOMES));
      for (const layout of c.communities) {
        const made = await seedCommunityEstate(trx, { companyId, communityId: communityIds[layout.code], layout, population, staff, fixed });
        for (const k of Object.keys(counts) as Array<keyof EstateCounts>) counts[k] += made[k];
      }
      await linkOwnerAccounts(trx, companyId);
    }
  });
  await seedServiceDesk(db, COMPANIES);
  await seedBilling(db, COMPANIES.map((c) => c.code));
  // Field operations: the roster first (patrol, cleaning and maintenance tasks go to the staff on a shift).
  const codes = COMPANIES.map((c) => c.code);
  await seedRosters(db, codes);
  await seedPatrols(db, codes);
  await seedEquipments(db, codes);
  await seedQualitys(db, codes);
  await seedCleanings(db, codes);
  return { created: true, counts };
}
