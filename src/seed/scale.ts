import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import { provisionCompany } from '../modules/platform/service.ts';
import { type EstateCounts, seedCommunityEstate } from './estate.ts';
import { Population } from './households.ts';
import { scaleLayout } from './layouts.ts';

/** Rooms per benchmark community: large estates are split so no single community is unrealistically big. */
export const SCALE_COMMUNITY_ROOMS = 10_000;

export interface ScaleResult {
  companyId: string;
  code: string;
  adminUsername: string;
  communities: Array<{ id: string; code: string }>;
  counts: EstateCounts;
  seconds: number;
}

/**
 * Adds a benchmark company `scale-<k>` with `rooms` rooms in 33-floor towers, ~85 % of homes lived in, residents,
 * vehicles and parking, administered by `scale<k>-admin` with the given password. Each community is written in its
 * own transaction with set-based statements.
 */
export async function seedScale(db: Kysely<DB>, opts: { rooms: number; password: string }): Promise<ScaleResult> {
  if (!Number.isInteger(opts.rooms) || opts.rooms < 1 || opts.rooms > 2_000_000) throw new Error('--scale needs a number of rooms between 1 and 2000000');
  const t0 = performance.now();
  const existing = await db.selectFrom('companies').select((eb) => eb.fn.countAll<number>().as('n')).where('code', 'like', 'scale-%').executeTakeFirstOrThrow();
  const k = Number(existing.n) + 1;
  const code = `scale-${k}`;
  const adminUsername = `scale${k}-admin`;
  const sizes = Array.from({ length: Math.ceil(opts.rooms / SCALE_COMMUNITY_ROOMS) }, (_, i) => Math.min(SCALE_COMMUNITY_ROOMS, opts.rooms - i * SCALE_COMMUNITY_ROOMS));
  const { companyId, communities } = await db.transaction().execute(async (trx) => {
    const { companyId } = await provisionCompany(trx, null, { name: `压测物业 ${k}`, code, admin: { username: adminUsername, displayName: `压测管理员 ${k}`, password: opts.password } });
    const communities = await trx
      .insertInto('communities')
      .values(sizes.map((_, i) => ({ company_id: companyId, code: `S${i + 1}`, name: `压测小区 S${i + 1}`, address: '江苏省南京市玄武区' })))
      .returning(['id', 'code'])
      .execute();
    return { companyId, communities };
  });
  // Phone numbers of each benchmark company come from their own range, apart from the demo companies' ones.
  const population = new Population({ seed: 7919 * k, phoneBase: 10_000_000 * k, plates: { province: '苏', cities: 'AAAB' } });
  const counts: EstateCounts = { rooms: 0, residents: 0, links: 0, vehicles: 0, parkingSpaces: 0 };
  // Two communities at a time: a PostgreSQL server writes them on two connections (PGlite takes them in turn).
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < communities.length; i = next++) {
      const community = communities[i];
      const made = await db.transaction().execute((trx) => seedCommunityEstate(trx, { companyId, communityId: community.id, layout: scaleLayout(community.code, sizes[i]), population, staff: new Map() }));
      for (const key of Object.keys(counts) as Array<keyof EstateCounts>) counts[key] += made[key];
    }
  };
  await Promise.all([worker(), worker()]);
  // Fresh statistics, so the planner knows these tables grew (PostgreSQL's autovacuum would catch up later).
  await sql`ANALYZE rooms, residents, room_residents, vehicles, parking_spaces, buildings, building_units`.execute(db);
  return { companyId, code, adminUsername, communities, counts, seconds: (performance.now() - t0) / 1000 };
}
