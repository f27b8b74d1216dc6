import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/index.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { DB } from '../../src/db/schema.ts';
import { CN_MOBILE } from '../../src/core/validation.ts';
import { checkIdNumber, checkPlate, sharesFit } from '../../src/modules/residents/rules.ts';
import { DEMO_OWNERS, seedDemo } from '../../src/seed/demo.ts';
import { seedScale } from '../../src/seed/scale.ts';

/**
 * The demo seed on a database of its own (a fresh in-memory PGlite, or a new database on the PostgreSQL server,
 * dropped afterwards), since the shared test database already holds other tests' companies.
 */
async function freshDatabase(): Promise<{ database: Database; drop(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const database = await openDatabase({ dataDir: 'memory://' });
    await migrateToLatest(database.db);
    return { database, drop: () => database.close() };
  }
  const server = await openDatabase({ databaseUrl: url, poolSize: 1 });
  const target = new URL(url);
  const name = `${target.pathname.slice(1) || 'anju'}_seed_${randomUUID().slice(0, 8)}`;
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

let fresh: Awaited<ReturnType<typeof freshDatabase>>;
let db: Kysely<DB>;
let seconds: number;

beforeAll(async () => {
  fresh = await freshDatabase();
  db = fresh.database.db;
  const t0 = performance.now();
  expect((await seedDemo(db, 'anju-demo')).created).toBe(true);
  seconds = (performance.now() - t0) / 1000;
}, 120_000);
afterAll(() => fresh?.drop());

const count = async (table: keyof DB, companyCode: string) =>
  Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)} t JOIN companies c ON c.id = t.company_id WHERE c.code = ${companyCode}`.execute(db)).rows[0].n);

describe('seedDemo', () => {
  it('builds the documented estates: company A 3 communities and 2,846 rooms, company B 1 community and 250', async () => {
    console.info(`demo seed: ${seconds.toFixed(1)} s on ${fresh.database.kind}`);
    const rooms = await sql<{ company: string; community: string; kind: string; n: number }>`
      SELECT co.code AS company, c.code AS community, r.kind, count(*)::int AS n
        FROM rooms r JOIN communities c ON c.id = r.community_id JOIN companies co ON co.id = r.company_id
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`.execute(db);
    expect(rooms.rows).toEqual([
      { company: 'demo-a', community: 'BLW', kind: 'residence', n: 888 },
      { company: 'demo-a', community: 'BLW', kind: 'shop', n: 30 },
      { company: 'demo-a', community: 'JHY', kind: 'residence', n: 856 },
      { company: 'demo-a', community: 'JHY', kind: 'shop', n: 40 },
      { company: 'demo-a', community: 'YSJ', kind: 'residence', n: 1008 },
      { company: 'demo-a', community: 'YSJ', kind: 'shop', n: 24 },
      { company: 'demo-b', community: 'HXY', kind: 'residence', n: 240 },
      { company: 'demo-b', community: 'HXY', kind: 'shop', n: 10 },
    ]);
    expect(await count('parking_spaces', 'demo-a')).toBe(1460);
    expect(await count('parking_spaces', 'demo-b')).toBe(80);
    expect(await count('residents', 'demo-a')).toBeGreaterThan(5000);
    expect(await count('vehicles', 'demo-a')).toBeGreaterThan(1200);
    expect(await count('room_status_history', 'demo-a')).toBe(2846);
    // Villas, 33-floor towers without unit entrances, shops: the kinds the console has to draw.
    const kinds = await sql<{ kind: string }>`SELECT DISTINCT b.kind FROM buildings b JOIN companies c ON c.id = b.company_id WHERE c.code = 'demo-a' ORDER BY 1`.execute(db);
    expect(kinds.rows.map((k) => k.kind)).toEqual(['commercial', 'highRise', 'midRise', 'multiStorey', 'villa']);
    const tower = await sql<{ floors: number; rooms: number }>`SELECT b.floors_above AS floors, count(r.id)::int AS rooms FROM buildings b JOIN communities c ON c.id = b.community_id JOIN rooms r ON r.building_id = b.id WHERE c.code = 'BLW' AND b.name = '1栋' GROUP BY 1`.execute(db);
    expect(tower.rows).toEqual([{ floors: 33, rooms: 264 }]);
  });

  it('lives in about 85 % of homes: owners in lived-in and owned rooms, tenants with a lease in rented ones, nobody in unsold or vacant ones', async () => {
    const r = await sql<{ status: string; n: number; owners: number; tenants: number; leases: number }>`
      SELECT r.status, count(DISTINCT r.id)::int AS n,
             count(DISTINCT r.id) FILTER (WHERE l.relation = 'owner')::int AS owners,
             count(DISTINCT r.id) FILTER (WHERE l.relation = 'tenant')::int AS tenants,
             count(*) FILTER (WHERE l.relation = 'tenant' AND l.lease_start IS NOT NULL AND l.lease_end > l.lease_start)::int AS leases
        FROM rooms r LEFT JOIN room_residents l ON l.room_id = r.id AND l.end_date IS NULL
       WHERE r.kind = 'residence' GROUP BY r.status`.execute(db);
    const by = Object.fromEntries(r.rows.map((x) => [x.status, x]));
    const total = r.rows.reduce((a, x) => a + x.n, 0);
    const lived = (by.occupied.n + by.rented.n) / total;
    expect(lived).toBeGreaterThan(0.8);
    expect(lived).toBeLessThan(0.9);
    for (const s of ['occupied', 'rented', 'renovating', 'delivered']) expect(by[s].owners, s).toBe(by[s].n);
    expect(by.rented.tenants).toBe(by.rented.n);
    expect(by.occupied.tenants).toBe(0);
    expect(by.rented.leases).toBeGreaterThanOrEqual(by.rented.n);
    for (const s of ['vacant', 'unsold']) expect(by[s].owners + by[s].tenants, s).toBe(0);
  });

  it('has only valid phones, ID numbers and plates (checked with the API’s own rules), mostly 苏 plates', async () => {
    const people = await db.selectFrom('residents').select(['phone', 'id_number', 'birthday', 'gender']).execute();
    for (const p of people) {
      if (p.phone !== null) expect(CN_MOBILE.test(p.phone), p.phone).toBe(true);
      const id = checkIdNumber(p.id_number!);
      expect(id, p.id_number!).toMatchObject({ ok: true, birthday: p.birthday, gender: p.gender });
    }
    expect(people.filter((p) => p.phone === null).length).toBeLessThan(people.length * 0.2);
    const vehicles = await db.selectFrom('vehicles').select(['plate', 'energy']).execute();
    for (const v of vehicles) expect(checkPlate(v.plate), v.plate).toEqual({ ok: true, normalized: v.plate, energy: v.energy });
    const su = vehicles.filter((v) => v.plate.startsWith('苏')).length / vehicles.length;
    expect(su).toBeGreaterThan(0.75);
    expect(new Set(vehicles.map((v) => v.plate.slice(0, 1))).size).toBeGreaterThan(3);
    expect(vehicles.some((v) => v.energy === 'newEnergy')).toBe(true);
  });

  it('repeats no natural key: phone across companies, ID number, plate, room number; owners’ shares fit in 100 %', async () => {
    const dupes = await sql<{ what: string; n: number }>`
      SELECT 'phone' AS what, count(*)::int AS n FROM (SELECT phone FROM residents WHERE phone IS NOT NULL GROUP BY phone HAVING count(*) > 1) d
      UNION ALL SELECT 'id', count(*)::int FROM (SELECT id_number FROM residents GROUP BY id_number HAVING count(*) > 1) d
      UNION ALL SELECT 'plate', count(*)::int FROM (SELECT plate FROM vehicles GROUP BY plate HAVING count(*) > 1) d
      UNION ALL SELECT 'room', count(*)::int FROM (SELECT 1 FROM rooms GROUP BY building_id, unit_id, number HAVING count(*) > 1) d
      UNION ALL SELECT 'space', count(*)::int FROM (SELECT 1 FROM parking_spaces GROUP BY community_id, number HAVING count(*) > 1) d`.execute(db);
    expect(dupes.rows.filter((d) => d.n > 0)).toEqual([]);
    const shares = await db.selectFrom('room_residents').select(['room_id', 'share_percent']).where('relation', '=', 'owner').where('end_date', 'is', null).execute();
    const byRoom = new Map<string, Array<string | null>>();
    for (const s of shares) byRoom.set(s.room_id, [...(byRoom.get(s.room_id) ?? []), s.share_percent]);
    for (const [room, list] of byRoom) expect(sharesFit(list.slice(1), list[0] === null ? null : Number(list[0])), room).toBe(true);
    // A car on a fixed space is on a space its owner holds.
    const parked = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM vehicles v JOIN parking_spaces s ON s.id = v.parking_space_id
       WHERE s.mode <> 'fixed' OR NOT EXISTS (SELECT 1 FROM parking_holdings h WHERE h.parking_space_id = s.id AND h.resident_id = v.resident_id)`.execute(db);
    expect(parked.rows[0].n).toBe(0);
  });

  it('gives the demo owners their homes through users.resident_id, and staff zones and committees', async () => {
    const homes = await sql<{ phone: string; name: string; label: string; relation: string }>`
      SELECT u.phone, p.name, concat_ws('-', c.code, b.name, un.name, r.number) AS label, l.relation
        FROM users u JOIN residents p ON p.id = u.resident_id JOIN room_residents l ON l.resident_id = p.id AND l.end_date IS NULL
        JOIN rooms r ON r.id = l.room_id JOIN buildings b ON b.id = r.building_id JOIN communities c ON c.id = r.community_id
        LEFT JOIN building_units un ON un.id = r.unit_id
       WHERE u.kind = 'owner' ORDER BY 1, 3`.execute(db);
    expect(homes.rows).toEqual([
      { phone: '13800138001', name: '张伟', label: 'JHY-1栋-1单元-1201', relation: 'owner' },
      { phone: '13800138002', name: '王芳', label: 'BLW-别墅A区-A-08', relation: 'owner' },
      { phone: '13800138002', name: '王芳', label: 'JHY-商业街-S-105', relation: 'owner' },
      { phone: '13900139001', name: '李娜', label: 'HXY-3栋-2单元-502', relation: 'owner' },
    ]);
    expect(new Set(homes.rows.map((h) => h.phone))).toEqual(new Set(DEMO_OWNERS.map((o) => o.phone)));
    const household = await sql<{ name: string; relation: string }>`
      SELECT p.name, l.relation FROM room_residents l JOIN residents p ON p.id = l.resident_id
       WHERE l.room_id = (SELECT l2.room_id FROM room_residents l2 JOIN residents p2 ON p2.id = l2.resident_id WHERE p2.phone = '13800138001')
       ORDER BY l.relation DESC, p.name`.execute(db);
    expect(household.rows).toEqual([{ name: '张伟', relation: 'owner' }, { name: '刘敏', relation: 'family' }, { name: '张子涵', relation: 'family' }]);
    const zones = await sql<{ n: number; staffed: number }>`SELECT count(*)::int AS n, count(responsible_user_id)::int AS staffed FROM zones`.execute(db);
    expect(zones.rows[0].n).toBeGreaterThanOrEqual(9);
    expect(zones.rows[0].staffed).toBe(zones.rows[0].n);
    const committee = await sql<{ code: string; n: number; directors: number }>`
      SELECT c.code, count(*)::int AS n, count(*) FILTER (WHERE m.position = 'director')::int AS directors
        FROM committee_members m JOIN communities c ON c.id = m.community_id GROUP BY 1 ORDER BY 1`.execute(db);
    expect(committee.rows).toEqual([
      { code: 'BLW', n: 5, directors: 1 },
      { code: 'HXY', n: 3, directors: 1 },
      { code: 'JHY', n: 5, directors: 1 },
      { code: 'YSJ', n: 3, directors: 1 },
    ]);
  });

  it('adds nothing when run again', async () => {
    const before = await sql<{ n: number }>`SELECT (SELECT count(*) FROM rooms) + (SELECT count(*) FROM residents) + (SELECT count(*) FROM vehicles) + (SELECT count(*) FROM users) AS n`.execute(db);
    expect(await seedDemo(db, 'anju-demo')).toEqual({ created: false });
    const after = await sql<{ n: number }>`SELECT (SELECT count(*) FROM rooms) + (SELECT count(*) FROM residents) + (SELECT count(*) FROM vehicles) + (SELECT count(*) FROM users) AS n`.execute(db);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});

describe('seedScale', () => {
  it('adds a benchmark company with exactly N rooms, residents and vehicles, with unique keys; each run adds another', async () => {
    const first = await seedScale(db, { rooms: 700, password: 'bench-pass-1' });
    expect(first).toMatchObject({ code: 'scale-1', adminUsername: 'scale1-admin', counts: { rooms: 700, parkingSpaces: 280 } });
    expect(first.counts.residents).toBeGreaterThan(700);
    expect(first.counts.vehicles).toBeGreaterThan(100);
    expect(await count('rooms', 'scale-1')).toBe(700);
    const second = await seedScale(db, { rooms: 300, password: 'bench-pass-1' });
    expect(second.code).toBe('scale-2');
    const phones = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT phone FROM residents WHERE phone IS NOT NULL GROUP BY phone HAVING count(*) > 1) d`.execute(db);
    expect(phones.rows[0].n).toBe(0);
    for (const v of await db.selectFrom('vehicles').select('plate').where('company_id', '=', second.companyId).execute()) expect(checkPlate(v.plate).ok).toBe(true);
    await expect(seedScale(db, { rooms: 0, password: 'x' })).rejects.toThrow('--scale');
  });
});
