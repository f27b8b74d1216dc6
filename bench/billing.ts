// Billing benchmark.
//
//   billing-run   A bill run for one community of BENCH_BILL_ROOMS (100,000) rooms × 3 items — 物业费 by built area
//                 (1 % of rooms moved in on the 17th, prorated), 停车费 per space for BENCH_BILL_SPACES (30,000) parking
//                 spaces, a fixed monthly fee — through POST /api/bill-runs, then a bare INSERT … SELECT writing the same
//                 number of rows into bill_lines of the same database, then the same run again (idempotent: no line).
//                 Aims: run ÷ bare ≤ 3, peak RSS ≤ 500 MB (process.memoryUsage().rss sampled every 50 ms).
//
// Each database is set up in one child process and measured in another, so the peak RSS is the run's: embedded
// PGlite in a temporary directory, then PostgreSQL at DATABASE_URL or BENCH_PG_URL (default
// postgres://postgres@127.0.0.1:5432/bench_anju — a scratch database whose schema is dropped and migrated again;
// created if missing, skipped if the server does not answer; never a database named "test").
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { type Database, openDatabase } from '../src/db/index.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { buildApp } from '../src/app.ts';
import { provisionCompany } from '../src/modules/platform/service.ts';
import { envNumber, type Figures, login, machine, request, ROOT, round } from './lib.ts';

export const RATIO_TARGET = 3;
export const RSS_TARGET_MB = 500;
const PASSWORD = 'bench-billing-1';
const PERIOD = '2026-11';

function refuseTestDatabase(url: string) {
  if (new URL(url).pathname.replace(/^\//, '') === 'test') throw new Error('benchmarks never run on the "test" database; use bench_anju');
}

/** Creates the scratch database if missing and empties its schema; false when the server does not answer. */
async function resetPostgres(url: string): Promise<boolean> {
  refuseTestDatabase(url);
  const target = new URL(url);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  let server: Database | null = null;
  try {
    server = await openDatabase({ databaseUrl: admin.toString(), poolSize: 1 });
    const name = target.pathname.replace(/^\//, '');
    const exists = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_database WHERE datname = ${name}`.execute(server.db);
    if (!exists.rows[0].n) await sql`CREATE DATABASE ${sql.id(name)}`.execute(server.db);
  } catch (err) {
    console.log(`PostgreSQL at ${target.host} not usable (${err instanceof Error ? err.message : String(err)}): skipped`);
    return false;
  } finally {
    await server?.close();
  }
  const db = await openDatabase({ databaseUrl: url, poolSize: 1 });
  try {
    await sql`DROP SCHEMA IF EXISTS public CASCADE`.execute(db.db);
    await sql`CREATE SCHEMA public`.execute(db.db);
  } finally {
    await db.close();
  }
  return true;
}

function runChild(args: string[], env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const childEnv = { ...env };
    delete childEnv.NODE_OPTIONS;
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'child', ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 1_800_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line));
      else reject(new Error(`billing child exited ${code}: ${err.slice(-2000) || out.slice(-2000)}`));
    });
  });
}

export async function runBillingRun(): Promise<Figures> {
  const rooms = envNumber('BENCH_BILL_ROOMS', 100_000);
  const spaces = envNumber('BENCH_BILL_SPACES', Math.round(rooms * 0.3));
  const pgUrl = process.env.DATABASE_URL || process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/bench_anju';
  const m = machine();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-bench-billing-'));
  try {
    console.log(`billing-run bench — ${m.cpus} CPU ${m.cpuModel}, node ${m.node}, load average ${round(os.loadavg()[0], 2)}`);
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const results: Record<string, unknown>[] = [];
    const measure = async (dir: string, childEnv: NodeJS.ProcessEnv) => {
      const setup = (await runChild(['init', dir, String(rooms), String(spaces)], childEnv)) as { code: string; seedS: number };
      console.log(`  ${childEnv.DATABASE_URL ? 'postgres' : 'pglite'}: ${rooms} rooms, ${spaces} spaces and their bindings seeded in ${setup.seedS} s (not counted)`);
      return runChild(['run', dir, setup.code], childEnv);
    };
    results.push(await measure(path.join(tmp, 'lite'), env));
    if (await resetPostgres(pgUrl)) results.push(await measure(path.join(tmp, 'pg'), { ...env, DATABASE_URL: pgUrl }));
    for (const r of results) {
      console.log(
        `${String(r.database).padEnd(8)} run ${r.runS} s (${r.lines} lines, ${r.targets} targets, ${r.batches} batches) vs bare INSERT … SELECT ${r.bareS} s (${r.bareLines} rows): ratio ${r.ratio}; ` +
          `again (idempotent) ${r.againS} s, ${r.againLines} new lines; run peak RSS ${r.peakRssMb} MB sampled, ${r.runMaxRssMb} MB OS high-water mark ` +
          `(${r.rssOpenMb} MB with the database open; ${r.maxRssMb} MB after the bare statement too)`,
      );
    }
    const meets = results.every((r) => Number(r.ratio) <= RATIO_TARGET && Math.max(Number(r.peakRssMb), Number(r.runMaxRssMb)) <= RSS_TARGET_MB);
    console.log(`aims: ratio ≤ ${RATIO_TARGET} and peak RSS ≤ ${RSS_TARGET_MB} MB per database — ${meets ? 'met' : 'MISSED'}; load average now ${round(os.loadavg()[0], 2)}`);
    return { bench: 'billing-run', rooms, spaces, items: 3, runs: results, ratioTarget: RATIO_TARGET, rssTargetMb: RSS_TARGET_MB, meetsTarget: meets, machine: m };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// ── Child processes ─────────────────────────────────────────────────────────────────────────────────────────────

async function open(dir: string) {
  return openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: path.join(dir, 'pg') });
}

/** Migrates and seeds with set-based SQL: a company, a community of `rooms` rooms in towers of 1,000, spaces, items, bindings. */
async function init(dir: string, rooms: number, spaces: number) {
  const t0 = performance.now();
  const database = await open(dir);
  try {
    await migrateToLatest(database.db);
    const code = `bench-billing-${Date.now().toString(36)}`;
    await database.db.transaction().execute(async (trx) => {
      const { companyId } = await provisionCompany(trx, null, { name: `出账压测 ${code}`, code, admin: { username: code, displayName: '出账压测', password: PASSWORD } });
      const community = await trx.insertInto('communities').values({ company_id: companyId, code: 'BILL', name: '出账压测小区' }).returning('id').executeTakeFirstOrThrow();
      const c = community.id;
      const towers = Math.ceil(rooms / 1000);
      await sql`INSERT INTO buildings (company_id, community_id, name, kind, floors_above)
                SELECT ${companyId}::uuid, ${c}::uuid, g || '栋', 'highRise', 50 FROM generate_series(1, ${towers}::int) g`.execute(trx);
      await sql`INSERT INTO rooms (company_id, community_id, building_id, floor, number, built_area, status)
                SELECT ${companyId}::uuid, ${c}::uuid, b.id, n / 20 + 1, (n / 20 + 1)::text || lpad((n % 20 + 1)::text, 2, '0'), 60 + (n % 97) + 0.25 * (n % 4), 'occupied'
                  FROM buildings b CROSS JOIN generate_series(0, 999) n
                 WHERE b.community_id = ${c}::uuid AND (split_part(b.name, '栋', 1)::int - 1) * 1000 + n < ${rooms}::int`.execute(trx);
      await sql`INSERT INTO parking_spaces (company_id, community_id, area, number)
                SELECT ${companyId}::uuid, ${c}::uuid, 'under', 'B' || lpad(g::text, 6, '0') FROM generate_series(1, ${spaces}::int) g`.execute(trx);
      const items = await trx
        .insertInto('fee_items')
        .values([
          { company_id: companyId, name: '物业费', kind: 'property', unit_price: '1.80' },
          { company_id: companyId, name: '车位管理费', kind: 'parking', unit_price: '300' },
          { company_id: companyId, name: '垃圾清运费', kind: 'fixed', unit_price: '15' },
        ])
        .returning(['id', 'kind'])
        .execute();
      await trx.insertInto('fee_item_communities').values(items.map((i) => ({ item_id: i.id, community_id: c, company_id: companyId }))).execute();
      const id = (kind: string) => items.find((i) => i.kind === kind)!.id;
      // 1 % of homes moved in on the 17th of the billed month: their 物业费 is prorated.
      await sql`INSERT INTO fee_bindings (company_id, community_id, item_id, room_id, start_date)
                SELECT ${companyId}::uuid, ${c}::uuid, ${id('property')}::uuid, r.id, CASE WHEN r.floor % 5 = 2 AND r.number LIKE '%05' THEN DATE '2026-11-17' ELSE DATE '2026-01-01' END
                  FROM rooms r WHERE r.community_id = ${c}::uuid`.execute(trx);
      await sql`INSERT INTO fee_bindings (company_id, community_id, item_id, room_id, start_date)
                SELECT ${companyId}::uuid, ${c}::uuid, ${id('fixed')}::uuid, r.id, DATE '2026-01-01' FROM rooms r WHERE r.community_id = ${c}::uuid`.execute(trx);
      await sql`INSERT INTO fee_bindings (company_id, community_id, item_id, parking_space_id, start_date)
                SELECT ${companyId}::uuid, ${c}::uuid, ${id('parking')}::uuid, p.id, DATE '2026-01-01' FROM parking_spaces p WHERE p.community_id = ${c}::uuid`.execute(trx);
    });
    await sql`ANALYZE`.execute(database.db);
    process.stdout.write(`${JSON.stringify({ code, seedS: round((performance.now() - t0) / 1000, 1) })}\n`);
  } finally {
    await database.close();
  }
}

/** The bare comparison: the same number of rows written by one INSERT … SELECT, amounts computed in SQL. */
async function bareInsert(database: Database, communityId: string, runId: string): Promise<number> {
  const result = await sql`
    INSERT INTO bill_lines (company_id, community_id, run_id, item_id, target_kind, target_id, building_id, room_id, parking_space_id,
                            period_key, period_start, period_end, amount_fen, due_date, basis)
    SELECT f.company_id, f.community_id, ${runId}::uuid, f.item_id, CASE WHEN f.room_id IS NULL THEN 'parkingSpace' ELSE 'room' END, f.target_id,
           r.building_id, f.room_id, f.parking_space_id, '2026-12', DATE '2026-12-01', DATE '2026-12-31',
           CASE i.kind WHEN 'property' THEN round(r.built_area * i.unit_price * 100) ELSE round(i.unit_price * 100) END, DATE '2026-12-16',
           jsonb_build_object('kind', i.kind, 'unitPrice', i.unit_price, 'area', r.built_area, 'months', '1', 'rounding', i.rounding, 'bindingId', f.id)
      FROM fee_bindings f JOIN fee_items i ON i.id = f.item_id LEFT JOIN rooms r ON r.id = f.room_id
     WHERE f.community_id = ${communityId}::uuid`.execute(database.db);
  return Number(result.numAffectedRows ?? 0);
}

async function measure(dir: string, code: string) {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const database = await open(dir);
  const rssOpen = process.memoryUsage().rss;
  try {
    const { id: communityId } = await database.db
      .selectFrom('communities')
      .innerJoin('companies', 'companies.id', 'communities.company_id')
      .select('communities.id')
      .where('companies.code', '=', code)
      .executeTakeFirstOrThrow();
    const config = loadConfig({ ...process.env, ANJU_STORAGE: 'local' }, { dataDir: dir, filesDir: path.join(dir, 'files'), logLevel: 'silent', schedulerEnabled: false });
    const app = await buildApp({ config, database, logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const port = (app.server.address() as { port: number }).port;
      const { cookie, me } = await login(port, code, PASSWORD);
      const post = async () => {
        const t0 = performance.now();
        const res = await request(port, '/api/bill-runs', { method: 'POST', headers: { cookie, 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' }, body: JSON.stringify({ communityId, periodKey: PERIOD }), timeoutMs: 1_500_000 });
        const run = (await res.json()) as { id: string; status: string; linesCreated: number; total: number; processed: number };
        if (res.status !== 201 || run.status !== 'completed') throw new Error(`POST /api/bill-runs answered ${res.status}: ${JSON.stringify(run).slice(0, 500)}`);
        return { run, s: (performance.now() - t0) / 1000 };
      };
      const first = await post();
      // PGlite runs each statement synchronously on this thread, so the sampler cannot see inside one: the OS's
      // high-water mark after the run (before the bare statement) is the run's true peak.
      const runMaxRss = process.resourceUsage().maxRSS;
      const runSampled = peak;
      const tb = performance.now();
      const bareLines = await bareInsert(database, communityId, first.run.id);
      const bareS = (performance.now() - tb) / 1000;
      const again = await post();
      const usage = process.resourceUsage();
      clearInterval(sampler);
      process.stdout.write(
        `${JSON.stringify({
          database: database.kind,
          runS: round(first.s, 2),
          lines: first.run.linesCreated,
          targets: first.run.total,
          batches: Math.ceil(first.run.processed / 1000),
          bareS: round(bareS, 2),
          bareLines,
          ratio: round(first.s / bareS, 2),
          againS: round(again.s, 2),
          againLines: again.run.linesCreated,
          peakRssMb: Math.round(runSampled / 2 ** 20),
          runMaxRssMb: Math.round(runMaxRss / 1024),
          peakRssAllMb: Math.round(peak / 2 ** 20),
          maxRssMb: Math.round(usage.maxRSS / 1024),
          rssOpenMb: Math.round(rssOpen / 2 ** 20),
          cpuS: round((usage.userCPUTime + usage.systemCPUTime) / 1e6, 1),
        })}\n`,
      );
    } finally {
      await app.close();
    }
  } finally {
    clearInterval(sampler);
    await database.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === 'child') {
  const [mode, dir, a, b] = process.argv.slice(3);
  (mode === 'init' ? init(dir, Number(a), Number(b)) : measure(dir, a)).catch((err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  });
}
