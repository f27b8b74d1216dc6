// Arrears benchmark.
//
//   billing-arrears  A company of BENCH_ARREARS_ROOMS (100,000) rooms — 10 communities × 100 buildings × 100 rooms, 5
//                    zones per community (4 with a collector) — with 24 months of 物业费 bill lines (2.4M lines),
//                    written by INSERT … SELECT generate_series: about 90 % of lines paid, some partly, chronic debtors
//                    (3 % of rooms) unpaid for their last 6–24 months, late payers in the current month. Then through
//                    the HTTP API (app.inject, the whole stack: session, permissions, validation, serialization):
//                    GET /api/arrears/summary company-wide and per community, /api/arrears/rooms, /api/arrears/debtors
//                    and /api/collection-rate?ytd=true, BENCH_RUNS (30) timed calls each after 3 warm-up calls:
//                    p50 / p95 / p99. Aim: p95 ≤ 200 ms per endpoint.
//
// PGlite in a temporary directory, then PostgreSQL at DATABASE_URL or BENCH_PG_URL (default
// postgres://postgres@127.0.0.1:5432/bench_anju, created if missing, its schema dropped and migrated again; skipped
// if the server does not answer; never a database named "test"). BENCH_ARREARS_DB=postgres (or pglite) runs one
// only; BENCH_REUSE=1 keeps a PostgreSQL data set of the same size left by an earlier run. Counted on asOf 2026-11-23.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema.ts';
import { loadConfig } from '../src/config.ts';
import { type Database, openDatabase } from '../src/db/index.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { buildApp } from '../src/app.ts';
import { provisionCompany } from '../src/modules/platform/service.ts';
import { envNumber, type Figures, machine, round } from './lib.ts';

export const ARREARS_TARGET_MS = 200;
const PASSWORD = 'bench-arrears-1';
const CODE = 'arrears-bench';
const AS_OF = '2026-11-23';
/** The 24 billed months end with the asOf month: 2024-12 … 2026-11. */
const MONTHS = Array.from({ length: 24 }, (_, i) => {
  const d = new Date(Date.UTC(2024, 11 + i, 1));
  return d.toISOString().slice(0, 7);
});
const COMMUNITIES = 10;
const ROOMS_PER_BUILDING = 100;

function refuseTestDatabase(url: string) {
  if (new URL(url).pathname.replace(/^\//, '') === 'test') throw new Error('benchmarks never run on the "test" database; use bench_anju');
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/** Creates the bench database on the server if missing; false when the server does not answer. */
async function ensureDatabase(url: string): Promise<boolean> {
  const name = new URL(url).pathname.replace(/^\//, '');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  let server: Database | null = null;
  try {
    server = await openDatabase({ databaseUrl: admin.toString(), poolSize: 1 });
    const exists = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_database WHERE datname = ${name}`.execute(server.db);
    if (!exists.rows[0].n) await sql`CREATE DATABASE ${sql.id(name)}`.execute(server.db);
    return true;
  } catch (err) {
    console.log(`PostgreSQL at ${new URL(url).host} not usable (${err instanceof Error ? err.message : String(err)}): skipped`);
    return false;
  } finally {
    await server?.close();
  }
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return round(s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))], 1);
}

/** Drops bill_lines' secondary indexes for the load and builds them again after (much faster than row by row). */
async function withoutLineIndexes<T>(db: Kysely<DB>, load: () => Promise<T>): Promise<T> {
  const defs = await sql<{ name: string; def: string }>`
    SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS def
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
     WHERE t.relname = 'bill_lines' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`.execute(db);
  for (const d of defs.rows) await sql`DROP INDEX ${sql.id(d.name)}`.execute(db);
  const out = await load();
  for (const d of defs.rows) await sql.raw(d.def).execute(db);
  return out;
}

/** The company, its estate, owners, collectors and zones, the 物业费 item and one completed bill run per community and month. */
async function seedEstate(db: Kysely<DB>, rooms: number): Promise<{ companyId: string; itemId: string; buildings: number }> {
  const buildings = Math.max(1, Math.round(rooms / COMMUNITIES / ROOMS_PER_BUILDING));
  return db.transaction().execute(async (trx) => {
    const { companyId } = await provisionCompany(trx, null, { name: `欠费压测物业 ${CODE}`, code: CODE, admin: { username: CODE, displayName: '欠费压测', password: PASSWORD } });
    await sql`INSERT INTO communities (company_id, name, code) SELECT ${companyId}::uuid, '欠费压测小区' || g, 'AR' || lpad(g::text, 2, '0') FROM generate_series(1, ${COMMUNITIES}::int) g`.execute(trx);
    await sql`INSERT INTO users (company_id, kind, username, display_name) SELECT ${companyId}::uuid, 'staff', ${CODE} || '-gj' || g, '片区管家' || g FROM generate_series(1, ${COMMUNITIES * 4}::int) g`.execute(trx);
    // Zones 1–4 of each community have a collector (片区管家); zone 5 has none.
    await sql`INSERT INTO zones (company_id, community_id, name, responsible_user_id)
              SELECT c.company_id, c.id, z || '区', u.id
                FROM communities c CROSS JOIN generate_series(1, 5) z
                LEFT JOIN users u ON z <= 4 AND u.company_id = c.company_id AND u.username = ${CODE} || '-gj' || ((substring(c.code FROM 3)::int - 1) * 4 + z)
               WHERE c.company_id = ${companyId}::uuid`.execute(trx);
    await sql`INSERT INTO buildings (company_id, community_id, zone_id, name, kind, floors_above, sort_order)
              SELECT c.company_id, c.id, z.id, b || '栋', 'highRise', 25, b
                FROM communities c CROSS JOIN generate_series(1, ${buildings}::int) b
                JOIN zones z ON z.community_id = c.id AND z.name = ((b - 1) * 5 / ${buildings}::int + 1) || '区'
               WHERE c.company_id = ${companyId}::uuid`.execute(trx);
    await sql`INSERT INTO rooms (company_id, community_id, building_id, floor, number, built_area, status)
              SELECT b.company_id, b.community_id, b.id, n / 4 + 1, (n / 4 + 1)::text || lpad((n % 4 + 1)::text, 2, '0'), 60 + (n * 7) % 80 + 0.5 * (n % 3), 'occupied'
                FROM buildings b CROSS JOIN generate_series(0, ${ROOMS_PER_BUILDING - 1}::int) n
               WHERE b.company_id = ${companyId}::uuid`.execute(trx);
    // One owner per room (the debtor list names them).
    await sql`CREATE TEMP TABLE bench_owner ON COMMIT DROP AS
              SELECT r.id AS room_id, gen_random_uuid() AS resident_id, r.company_id, r.community_id,
                     (ARRAY['王','李','张','刘','陈','杨','赵','黄','周','吴'])[1 + abs(hashtext(r.id::text)) % 10] ||
                     (ARRAY['伟','芳','娜','敏','静','强','磊','洋','艳','军','杰','娟'])[1 + abs(hashtext(r.id::text || 'g')) % 12] AS name
                FROM rooms r WHERE r.company_id = ${companyId}::uuid`.execute(trx);
    await sql`INSERT INTO residents (id, company_id, community_id, name) SELECT resident_id, company_id, community_id, name FROM bench_owner`.execute(trx);
    await sql`INSERT INTO room_residents (company_id, room_id, resident_id, relation, start_date) SELECT company_id, room_id, resident_id, 'owner', DATE '2020-01-01' FROM bench_owner`.execute(trx);
    const item = await trx.insertInto('fee_items').values({ company_id: companyId, name: '物业费', kind: 'property', unit_price: '1.80' }).returning('id').executeTakeFirstOrThrow();
    await sql`INSERT INTO fee_item_communities (item_id, community_id, company_id) SELECT ${item.id}::uuid, id, company_id FROM communities WHERE company_id = ${companyId}::uuid`.execute(trx);
    await sql`INSERT INTO bill_runs (company_id, community_id, period_key, item_ids, status, trigger, finished_at)
              SELECT c.company_id, c.id, m, ARRAY[${item.id}::uuid], 'completed', 'schedule', now()
                FROM communities c CROSS JOIN unnest(${MONTHS}::text[]) m WHERE c.company_id = ${companyId}::uuid`.execute(trx);
    return { companyId, itemId: item.id, buildings };
  });
}

/**
 * One month of 物业费 lines for every room: ¥1.80/㎡, due on the 16th. Who paid is a hash of room and month, so the
 * data set is the same every run: chronic debtors (3 % of rooms) owe their last 6–24 months; other lines older than
 * six months are paid 96.5 % (1 % partly), the five months before the current one 90 % (2 % partly), the current
 * month 55 %.
 */
async function loadMonth(db: Kysely<DB>, companyId: string, itemId: string, index: number): Promise<void> {
  const key = MONTHS[index];
  const [y, m] = key.split('-').map(Number);
  const end = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  const age = MONTHS.length - 1 - index;
  const [paid, partial] = age === 0 ? [550, 550] : age <= 5 ? [900, 920] : [965, 975];
  await sql`
    INSERT INTO bill_lines (company_id, community_id, run_id, item_id, target_kind, target_id, building_id, room_id, period_key, period_start, period_end,
                            amount_fen, paid_fen, status, due_date, basis)
    SELECT x.company_id, x.community_id, x.run_id, ${itemId}::uuid, 'room', x.room_id, x.building_id, x.room_id, ${key}, ${`${key}-01`}::date, ${end}::date,
           x.amount, CASE x.state WHEN 'paid' THEN x.amount WHEN 'partial' THEN x.amount / 2 ELSE 0 END, x.state, ${`${key}-16`}::date,
           '{"kind": "property", "unitPrice": "1.80", "months": "1"}'::jsonb
      FROM (
        SELECT r.company_id, r.community_id, br.id AS run_id, r.id AS room_id, r.building_id, round(r.built_area * 180)::bigint AS amount,
               CASE WHEN abs(hashtext(r.id::text)) % 100 < 3 AND ${age}::int < 6 + abs(hashtext(r.id::text || 'run')) % 19 THEN 'unpaid'
                    WHEN h.u < ${paid}::int THEN 'paid'
                    WHEN h.u < ${partial}::int THEN 'partial'
                    ELSE 'unpaid' END AS state
          FROM rooms r
          JOIN bill_runs br ON br.community_id = r.community_id AND br.period_key = ${key}
          CROSS JOIN LATERAL (SELECT abs(hashtext(r.id::text || ${key})) % 1000 AS u) h
         WHERE r.company_id = ${companyId}::uuid
      ) x`.execute(db);
}

async function generate(db: Kysely<DB>, rooms: number) {
  const t0 = performance.now();
  const { companyId, itemId, buildings } = await seedEstate(db, rooms);
  const seedS = round((performance.now() - t0) / 1000, 1);
  const t1 = performance.now();
  await withoutLineIndexes(db, async () => {
    for (let i = 0; i < MONTHS.length; i++) {
      await loadMonth(db, companyId, itemId, i);
      if (i % 6 === 5) console.log(`    ${MONTHS[i]}: ${i + 1} months written (${round((performance.now() - t1) / 1000, 1)} s)`);
    }
  });
  const linesS = round((performance.now() - t1) / 1000, 1);
  const t2 = performance.now();
  await sql`VACUUM ANALYZE`.execute(db);
  return { buildings, seedS, linesS, vacuumS: round((performance.now() - t2) / 1000, 1) };
}

async function reusable(db: Kysely<DB>, rooms: number): Promise<boolean> {
  try {
    const co = await db.selectFrom('companies').select('id').where('code', '=', CODE).executeTakeFirst();
    if (!co) return false;
    const n = await db.selectFrom('rooms').select((eb) => eb.fn.countAll<number>().as('n')).where('company_id', '=', co.id).executeTakeFirstOrThrow();
    const lines = await db.selectFrom('bill_lines').select((eb) => eb.fn.countAll<number>().as('n')).where('company_id', '=', co.id).executeTakeFirstOrThrow();
    return Number(n.n) === rooms && Number(lines.n) === rooms * MONTHS.length;
  } catch {
    return false; // no schema yet
  }
}

interface Endpoint {
  name: string;
  url: (i: number) => string;
}

async function measure(kind: 'pglite' | 'postgres', dir: string, rooms: number, runs: number): Promise<Record<string, unknown>> {
  const url = kind === 'postgres' ? process.env.DATABASE_URL || process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/bench_anju' : undefined;
  if (url) refuseTestDatabase(url);
  const database = await openDatabase(url ? { databaseUrl: url, poolSize: 10 } : { dataDir: path.join(dir, 'pg') });
  try {
    const db = database.db;
    let setup: Record<string, unknown> = { reused: true };
    if (kind === 'postgres' && process.env.BENCH_REUSE === '1' && (await reusable(db, rooms))) {
      await migrateToLatest(db);
      await sql`VACUUM ANALYZE bill_lines`.execute(db);
      console.log(`  ${kind}: reusing the data set of an earlier run (BENCH_REUSE=1)`);
    } else {
      if (kind === 'postgres') {
        await sql`DROP SCHEMA IF EXISTS public CASCADE`.execute(db);
        await sql`CREATE SCHEMA public`.execute(db);
      }
      await migrateToLatest(db);
      console.log(`  ${kind}: generating ${rooms} rooms × ${MONTHS.length} months …`);
      setup = await generate(db, rooms);
      console.log(`  ${kind}: estate in ${setup.seedS} s, lines (indexes rebuilt) in ${setup.linesS} s, VACUUM ANALYZE ${setup.vacuumS} s (not counted)`);
    }
    const company = await db.selectFrom('companies').select('id').where('code', '=', CODE).executeTakeFirstOrThrow();
    const shape = await sql<{ lines: number; open: number; paid: number; table_mb: number; open_idx_mb: number; period_idx_mb: number }>`
      SELECT count(*) AS lines, count(*) FILTER (WHERE status IN ('unpaid', 'partial')) AS open, count(*) FILTER (WHERE status = 'paid') AS paid,
             round(pg_table_size('bill_lines') / 1048576.0) AS table_mb, round(pg_relation_size('bill_lines_arrears_idx') / 1048576.0) AS open_idx_mb,
             round(pg_relation_size('bill_lines_rate_idx') / 1048576.0) AS period_idx_mb
        FROM bill_lines WHERE company_id = ${company.id}`.execute(db);
    const sh = shape.rows[0];
    console.log(
      `  ${kind}: ${sh.lines} lines (${round((100 * Number(sh.paid)) / Number(sh.lines), 1)} % paid, ${sh.open} open); bill_lines ${sh.table_mb} MB, arrears index ${sh.open_idx_mb} MB, rate index ${sh.period_idx_mb} MB`,
    );
    const communities = (await db.selectFrom('communities').select('id').where('company_id', '=', company.id).orderBy('code').execute()).map((c) => c.id);

    const config = loadConfig({ ...process.env, ANJU_STORAGE: 'local' }, { dataDir: dir, filesDir: path.join(dir, 'files'), logLevel: 'silent', schedulerEnabled: false });
    const app = await buildApp({ config, database, logger: false });
    await app.ready();
    try {
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: CODE, password: PASSWORD } });
      if (login.statusCode !== 200) throw new Error(`login answered ${login.statusCode}: ${login.body}`);
      const session = login.cookies.find((c) => c.name === 'anju_session');
      if (!session) throw new Error('login answered 200 without a session cookie');
      const cookie = `anju_session=${session.value}`;
      const get = async (u: string) => {
        const res = await app.inject({ method: 'GET', url: u, headers: { cookie } });
        if (res.statusCode !== 200) throw new Error(`GET ${u} answered ${res.statusCode}: ${res.body.slice(0, 500)}`);
        return res;
      };
      const c = (i: number) => communities[i % communities.length];
      const endpoints: Endpoint[] = [
        { name: 'summary · company · by community', url: () => `/api/arrears/summary?asOf=${AS_OF}` },
        { name: 'summary · company · by building', url: () => `/api/arrears/summary?asOf=${AS_OF}&groupBy=building` },
        { name: 'summary · community · by building', url: (i) => `/api/arrears/summary?asOf=${AS_OF}&groupBy=building&communityId=${c(i)}` },
        { name: 'summary · company · by zone', url: () => `/api/arrears/summary?asOf=${AS_OF}&groupBy=zone` },
        { name: 'debtors · company · top 20', url: () => `/api/arrears/debtors?asOf=${AS_OF}&limit=20` },
        { name: 'rooms · community · page 1', url: (i) => `/api/arrears/rooms?asOf=${AS_OF}&communityId=${c(i)}&minOverdueDays=90` },
        { name: 'collection-rate · ytd · company · by community', url: () => `/api/collection-rate?asOf=${AS_OF}&ytd=true` },
        { name: 'collection-rate · ytd · company · by collector', url: () => `/api/collection-rate?asOf=${AS_OF}&ytd=true&groupBy=collector` },
        { name: 'collection-rate · ytd · community · by building', url: (i) => `/api/collection-rate?asOf=${AS_OF}&ytd=true&groupBy=building&communityId=${c(i)}` },
      ];
      const summary = (await get(`/api/arrears/summary?asOf=${AS_OF}`)).json() as { totals: { owedFen: number; rooms: number; lines: number; buckets: Record<string, number> } };
      const rate = (await get(`/api/collection-rate?asOf=${AS_OF}&ytd=true`)).json() as { totals: { billedFen: number; paidFen: number; rate: number } };
      console.log(
        `  ${kind}: on ${AS_OF} ¥${round(summary.totals.owedFen / 100, 0)} owed by ${summary.totals.rooms} rooms on ${summary.totals.lines} lines ` +
          `(buckets ${Object.values(summary.totals.buckets).map((f) => round(f / 100, 0)).join(' / ')} yuan); collection rate ytd ${rate.totals.rate} %`,
      );
      const times: Record<string, { min: number; p50: number; p95: number; p99: number; max: number }> = {};
      for (const e of endpoints) {
        for (let i = 0; i < 3; i++) await get(e.url(i));
        const ms: number[] = [];
        for (let i = 0; i < runs; i++) {
          const t0 = performance.now();
          await get(e.url(i));
          ms.push(performance.now() - t0);
        }
        times[e.name] = { min: percentile(ms, 0), p50: percentile(ms, 0.5), p95: percentile(ms, 0.95), p99: percentile(ms, 0.99), max: percentile(ms, 1) };
        const t = times[e.name];
        console.log(`  ${kind.padEnd(8)} ${e.name.padEnd(50)} min ${String(t.min).padStart(7)}  p50 ${String(t.p50).padStart(7)}  p95 ${String(t.p95).padStart(7)}  p99 ${String(t.p99).padStart(7)} ms${t.p95 > ARREARS_TARGET_MS ? '   over aim' : ''}`);
      }
      return { database: kind, ...(url ? { url: redact(url) } : {}), rooms, lines: Number(sh.lines), openLines: Number(sh.open), paidShare: round(Number(sh.paid) / Number(sh.lines), 3), setup, owedFen: summary.totals.owedFen, roomsInArrears: summary.totals.rooms, ytdRate: rate.totals.rate, endpointsMs: times, worstP95Ms: Math.max(...Object.values(times).map((t) => t.p95)) };
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}

export async function runBillingArrears(): Promise<Figures> {
  const rooms = Math.max(COMMUNITIES * ROOMS_PER_BUILDING, Math.round(envNumber('BENCH_ARREARS_ROOMS', 100_000) / (COMMUNITIES * ROOMS_PER_BUILDING)) * COMMUNITIES * ROOMS_PER_BUILDING);
  const runs = Math.max(1, Math.floor(envNumber('BENCH_RUNS', 30)));
  const only = process.env.BENCH_ARREARS_DB;
  const m = machine();
  const load0 = round(os.loadavg()[0], 2);
  console.log(`billing-arrears bench — ${m.cpus} CPU ${m.cpuModel}, node ${m.node}, load average ${load0}; ${rooms} rooms × ${MONTHS.length} months, ${runs} runs per endpoint`);
  const kinds: Array<'pglite' | 'postgres'> = [];
  if (!only || only === 'pglite') kinds.push('pglite');
  if ((!only || only === 'postgres') && (await ensureDatabase(process.env.DATABASE_URL || process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/bench_anju'))) kinds.push('postgres');
  const results: Record<string, unknown>[] = [];
  for (const kind of kinds) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-bench-arrears-'));
    try {
      results.push(await measure(kind, tmp, rooms, runs));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  const worst = Math.max(...results.map((r) => Number(r.worstP95Ms)));
  const meets = results.length > 0 && worst <= ARREARS_TARGET_MS;
  const load1 = round(os.loadavg()[0], 2);
  console.log(`aim: p95 ≤ ${ARREARS_TARGET_MS} ms per endpoint — ${meets ? 'met' : 'MISSED'} (worst ${worst} ms); load average ${load0} before, ${load1} now`);
  return { bench: 'billing-arrears', rooms, months: MONTHS.length, asOf: AS_OF, runs: results, targetMs: ARREARS_TARGET_MS, meetsTarget: meets, loadAvg1m: [load0, load1], machine: m };
}
