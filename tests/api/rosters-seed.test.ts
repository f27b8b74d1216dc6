import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/index.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { DB } from '../../src/db/schema.ts';
import type { RequestContext } from '../../src/core/context.ts';
import { ALL_PERMISSIONS } from '../../src/core/permissions.ts';
import { provisionCompany } from '../../src/modules/platform/service.ts';
import { getWeek } from '../../src/modules/rosters/roster.ts';
import { certificateCompliance, listCertificates } from '../../src/modules/rosters/certificates.ts';
import { seedRosters } from '../../src/seed/rosters.ts';
import { mondayOf } from '../../src/modules/rosters/rules.ts';
import { nextDay } from '../../src/modules/rosters/onshift.ts';
import { localDate } from '../../src/modules/servicedesk/deadlines.ts';

/**
 * The rosters demo seed on a database of its own (demo usernames are unique across companies): company demo-a
 * with 锦华园 and 碧澜湾 and the demo staff, then seedRosters for today.
 */
let fresh: { database: Database; drop(): Promise<void> };
let db: Kysely<DB>;
let ctx: RequestContext;
let jhy: string;
const NOW = new Date();
const thisMonday = mondayOf(localDate(NOW, 'Asia/Shanghai'));

async function freshDatabase() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const database = await openDatabase({ dataDir: 'memory://' });
    await migrateToLatest(database.db);
    return { database, drop: () => database.close() };
  }
  const server = await openDatabase({ databaseUrl: url, poolSize: 1 });
  const target = new URL(url);
  const name = `${target.pathname.slice(1) || 'anju'}_rosters_${randomUUID().slice(0, 8)}`;
  await sql`CREATE DATABASE ${sql.id(name)}`.execute(server.db);
  target.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: target.toString(), poolSize: 2 });
  await migrateToLatest(database.db);
  return {
    database,
    drop: async () => {
      await database.close();
      await sql`DROP DATABASE IF EXISTS ${sql.id(name)}`.execute(server.db);
      await server.close();
    },
  };
}

const counts = async () => {
  const tables = ['departments', 'posts', 'shifts', 'roster_entries', 'staff_certificates', 'training_records'] as const;
  return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(t)}`.execute(db)).rows[0].n)])));
};

beforeAll(async () => {
  fresh = await freshDatabase();
  db = fresh.database.db;
  const made = await db.transaction().execute((trx) => provisionCompany(trx, null, { name: '演示物业', code: 'demo-a', admin: { username: 'admin', displayName: '管理员', password: 'anju-demo-123' } }));
  const communities = await db
    .insertInto('communities')
    .values([
      { company_id: made.companyId, name: '锦华园', code: 'JHY' },
      { company_id: made.companyId, name: '碧澜湾', code: 'BLW' },
    ])
    .returning(['id', 'code'])
    .execute();
  jhy = communities.find((c) => c.code === 'JHY')!.id;
  const staff = [
    ['jingli', '刘洋', 'manager'],
    ['weixiu', '周强', 'technician'],
    ['baoan', '吴刚', 'security'],
    ['baoan2', '冯军', 'security'],
    ['baojie', '钱芳', 'cleaner'],
    ['kefu', '赵敏', 'service'],
    ['pinzhi', '郑洁', 'quality'],
  ];
  for (const [username, name, role] of staff) {
    const u = await db.insertInto('users').values({ company_id: made.companyId, kind: 'staff', username, display_name: name }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('user_roles').values({ user_id: u.id, role_id: made.roleIds[role] }).execute();
    await db.insertInto('user_communities').values({ user_id: u.id, community_id: jhy }).execute();
  }
  ctx = {
    actor: { userId: made.adminId, sessionId: 'seed-test', kind: 'staff', companyId: made.companyId, username: 'admin', displayName: '管理员', permissions: new Set(ALL_PERMISSIONS), communityIds: 'all' },
    requestId: 'seed-test',
    ip: '127.0.0.1',
    lang: 'zh-CN',
  };
}, 120_000);
afterAll(() => fresh?.drop());

describe('seedRosters', () => {
  it('seeds fast and only once', async () => {
    const t0 = performance.now();
    await seedRosters(db, ['demo-a', 'demo-b'], NOW);
    // Well under a second on an idle machine; the bound leaves room for a shared 2-core test box.
    expect(performance.now() - t0).toBeLessThan(3000);
    const first = await counts();
    expect(first).toMatchObject({ departments: 5, posts: 6, shifts: 6 });
    expect(first.roster_entries).toBeGreaterThan(200);
    await seedRosters(db, ['demo-a'], NOW);
    expect(await counts()).toEqual(first);
  });

  it('covers 1号岗 and 监控中心 round the clock, except one flagged gap next week', async () => {
    const deps = { db };
    const last = await getWeek(deps, ctx, { communityId: jhy, monday: nextDay(thisMonday, -7) });
    const now = await getWeek(deps, ctx, { communityId: jhy, monday: thisMonday });
    const next = await getWeek(deps, ctx, { communityId: jhy, monday: nextDay(thisMonday, 7) });
    expect(last.coverage.gaps).toEqual([]);
    expect(now.coverage).toMatchObject({ ok: true, gaps: [] });
    expect(next.coverage.gaps).toEqual([expect.objectContaining({ postName: '监控中心', day: nextDay(thisMonday, 10), from: '00:00', to: '08:00', staffed: 0 })]);
    const wu = now.staff.find((s) => s.name === '吴刚')!;
    const mine = now.entries.filter((e) => e.user.id === wu.id);
    expect(mine.map((e) => e.kind)).toEqual(['work', 'work', 'off', 'work', 'work', 'work', 'work']);
  });

  it('shows a guard without 保安员证 and a certificate expiring within 30 days', async () => {
    const compliance = await certificateCompliance({ db }, ctx, { communityId: jhy, asOf: localDate(NOW, 'Asia/Shanghai') });
    expect(compliance.gaps.map((g) => `${g.user.name} ${g.post.name} ${g.kind} ${g.reason}`)).toEqual(['赵刚 1号岗 securityGuard missing']);
    const expiring = await listCertificates({ db }, ctx, { page: 1, pageSize: 50, status: 'expiring' });
    expect(expiring.items.map((c) => c.user.name)).toContain('王海');
  });
});
