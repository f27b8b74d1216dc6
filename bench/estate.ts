// Estate benchmarks.
//
//   estate-import   20,000 rooms, then 20,000 residents (owners of those rooms, 30 % with a car), each from an .xlsx
//                   uploaded and applied through the HTTP API. One child process per database so its peak RSS is the
//                   server side's: embedded PGlite in a temporary directory, then PostgreSQL at BENCH_PG_URL
//                   (default postgres://postgres@127.0.0.1:5432/bench_anju, created if missing; skipped if the server
//                   is unreachable). Targets: < 30 s and < 500 MB per database.
//   estate-search   GET /api/residents?q=<last 4 phone digits | plate> over a company of ≥ BENCH_RESIDENTS (100,000)
//                   residents (seeded with seed-demo --scale unless one is there): p95 latency, target ≤ 50 ms.
//   estate-grid     GET /api/buildings/:id/grid of 碧澜湾 1栋 (33 floors × 8 rooms, demo data): p50/p95 latency.
//
// search and grid use DATABASE_URL when set (never a database named "test"), else PGlite in a temporary directory.
// Requests go to 127.0.0.1 only, one at a time, BENCH_REQUESTS (200) per query type after 20 warm-up requests.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { type Database, openDatabase } from '../src/db/index.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { buildApp } from '../src/app.ts';
import { seedDemo } from '../src/seed/demo.ts';
import { seedScale } from '../src/seed/scale.ts';
import { IdNumbers, Plates, personName, phoneNumber, rng } from '../src/seed/people.ts';
import { writeSheet } from '../src/modules/imports/xlsx.ts';
import { envNumber, type Figures, login, machine, request, ROOT, round } from './lib.ts';

export const IMPORT_TARGET_S = 30;
export const IMPORT_TARGET_MB = 500;
export const SEARCH_TARGET_P95_MS = 50;
const WARMUP = 20;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return round(s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))], 1);
}
const stats = (xs: number[]) => ({ n: xs.length, p50: percentile(xs, 0.5), p95: percentile(xs, 0.95), p99: percentile(xs, 0.99), max: percentile(xs, 1) });

function refuseTestDatabase(url: string) {
  if (new URL(url).pathname.replace(/^\//, '') === 'test') throw new Error('benchmarks never run on the "test" database; use bench_anju');
}

/** The two workbooks of the import bench: 20,000 rooms in 33-floor towers, and an owner for each room. */
async function importWorkbooks(dir: string, rooms: number): Promise<{ roomsFile: string; residentsFile: string; bytes: number[] }> {
  const roomRows: Array<Array<string | number | null>> = [];
  const residentRows: Array<Array<string | number | null>> = [];
  const r = rng(42);
  const ids = new IdNumbers(r);
  const plates = new Plates(r, { province: '苏', cities: 'AAAB' });
  for (let i = 0; i < rooms; i++) {
    const tower = Math.floor(i / 264) + 1;
    const unit = Math.floor((i % 264) / 132) + 1;
    const floor = Math.floor((i % 132) / 4) + 1;
    const number = `${floor}${String((i % 4) + 1).padStart(2, '0')}`;
    roomRows.push(['BENCH', `${tower}栋`, `${unit}单元`, floor, number, [128.5, 96.3, 96.3, 128.5][i % 4], null, '住宅', '已入住']);
    const gender = r() < 0.5 ? 'male' : 'female';
    const id = ids.next(gender, 1955, 1995);
    residentRows.push(['BENCH', personName(r, gender), phoneNumber(90_000_000 + i), '身份证', id.id, `${tower}栋`, `${unit}单元`, number, '业主', null, '2020-05-01', null, null, r() < 0.3 ? plates.next().plate : null]);
  }
  const roomsFile = path.join(dir, 'rooms-20000.xlsx');
  const residentsFile = path.join(dir, 'residents-20000.xlsx');
  fs.writeFileSync(roomsFile, await writeSheet('rooms', roomRows));
  fs.writeFileSync(residentsFile, await writeSheet('residents', residentRows));
  return { roomsFile, residentsFile, bytes: [fs.statSync(roomsFile).size, fs.statSync(residentsFile).size] };
}

function runChild(args: string[], env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const childEnv = { ...env };
    delete childEnv.NODE_OPTIONS;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/estate-import-child.ts'), ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line));
      else reject(new Error(`import child exited ${code}: ${err.slice(-2000) || out.slice(-2000)}`));
    });
  });
}

/** Creates the bench database on the server if missing; false when the server does not answer. */
async function ensureDatabase(url: string): Promise<boolean> {
  refuseTestDatabase(url);
  const target = new URL(url);
  const name = target.pathname.replace(/^\//, '');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  let server: Database | null = null;
  try {
    server = await openDatabase({ databaseUrl: admin.toString(), poolSize: 1 });
    const exists = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_database WHERE datname = ${name}`.execute(server.db);
    if (!exists.rows[0].n) await sql`CREATE DATABASE ${sql.id(name)}`.execute(server.db);
    return true;
  } catch (err) {
    console.log(`PostgreSQL at ${target.host} not usable (${err instanceof Error ? err.message : String(err)}): skipped`);
    return false;
  } finally {
    await server?.close();
  }
}

export async function runEstateImport(): Promise<Figures> {
  const rooms = envNumber('BENCH_IMPORT_ROOMS', 20_000);
  const pgUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/bench_anju';
  const m = machine();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-bench-import-'));
  try {
    console.log(`estate-import bench — ${m.cpus} CPU ${m.cpuModel}, node ${m.node}, load average ${round(os.loadavg()[0], 2)}`);
    const tg = performance.now();
    const files = await importWorkbooks(tmp, rooms);
    console.log(`workbooks: ${rooms} rooms (${round(files.bytes[0] / 2 ** 20, 2)} MB), ${rooms} residents (${round(files.bytes[1] / 2 ** 20, 2)} MB), made in ${round((performance.now() - tg) / 1000, 1)} s (not counted)`);
    const results: Record<string, unknown>[] = [];
    const env = { ...process.env };
    delete env.DATABASE_URL;
    // A database that exists already, as a running server has: set up in one process, measured in another.
    const measure = async (dir: string, childEnv: NodeJS.ProcessEnv) => {
      const { code } = (await runChild(['init', dir], childEnv)) as { code: string };
      return runChild(['import', dir, code, files.roomsFile, files.residentsFile], childEnv);
    };
    results.push(await measure(path.join(tmp, 'lite'), env));
    if (await ensureDatabase(pgUrl)) results.push(await measure(path.join(tmp, 'pg'), { ...env, DATABASE_URL: pgUrl }));
    for (const r of results) {
      const s = r.steps as Record<string, { validateS: number; applyS: number }>;
      console.log(
        `${String(r.database).padEnd(8)} rooms: validate ${s.rooms.validateS} s + apply ${s.rooms.applyS} s; residents: validate ${s.residents.validateS} s + apply ${s.residents.applyS} s; total ${r.totalS} s, peak RSS ${r.peakRssMb} MB (${r.rssDatabaseOpenMb} MB with the database open, before importing; ${r.rooms} rooms, ${r.residents} residents written)`,
      );
    }
    const meets = results.every((r) => Number(r.totalS) < IMPORT_TARGET_S && Number(r.peakRssMb) < IMPORT_TARGET_MB);
    console.log(`targets: < ${IMPORT_TARGET_S} s and < ${IMPORT_TARGET_MB} MB per database — ${meets ? 'met' : 'MISSED'}; load average now ${round(os.loadavg()[0], 2)}`);
    return { bench: 'estate-import', rooms, residents: rooms, runs: results, targetSeconds: IMPORT_TARGET_S, targetMb: IMPORT_TARGET_MB, meetsTarget: meets, machine: m };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The database for search and grid: DATABASE_URL (not "test") or PGlite in a temporary directory; demo data in. */
async function benchDatabase(tmp: string) {
  const url = process.env.DATABASE_URL || undefined;
  if (url) refuseTestDatabase(url);
  const database = await openDatabase({ databaseUrl: url, dataDir: path.join(tmp, 'pg') });
  await migrateToLatest(database.db);
  const config = loadConfig({ ...process.env, ANJU_STORAGE: 'local' }, { dataDir: tmp, filesDir: path.join(tmp, 'files'), logLevel: 'silent', schedulerEnabled: false });
  const t0 = performance.now();
  await seedDemo(database.db, config.demoPassword);
  return { database, config, seedS: round((performance.now() - t0) / 1000, 1) };
}

async function timed(port: number, url: string, cookie: string, check: (body: unknown) => boolean): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const res = await request(port, url, { headers: { cookie }, timeoutMs: 30_000 });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200 || !check(JSON.parse(text))) throw new Error(`GET ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return { ms, bytes: Buffer.byteLength(text) };
}

export async function runEstateSearch(): Promise<Figures> {
  const target = envNumber('BENCH_RESIDENTS', 100_000);
  const n = Math.max(1, Math.floor(envNumber('BENCH_REQUESTS', 200)));
  const m = machine();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-bench-search-'));
  const { database, config, seedS } = await benchDatabase(tmp);
  try {
    const { db } = database;
    // Reuse a benchmark company that is big enough, otherwise add one (about 1.97 residents per room).
    const have = await sql<{ code: string; n: number }>`
      SELECT c.code, count(r.id)::int AS n FROM companies c JOIN residents r ON r.company_id = c.id WHERE c.code LIKE 'scale-%' GROUP BY c.code HAVING count(r.id) >= ${target} ORDER BY 2 LIMIT 1`.execute(db);
    let code = have.rows[0]?.code;
    let seeded = '';
    if (!code) {
      const s = await seedScale(db, { rooms: Math.ceil(target / 1.9), password: config.demoPassword });
      code = s.code;
      seeded = `seeded ${s.counts.rooms} rooms, ${s.counts.residents} residents, ${s.counts.vehicles} vehicles in ${round(s.seconds, 1)} s`;
    }
    const company = await db.selectFrom('companies').select('id').where('code', '=', code).executeTakeFirstOrThrow();
    const residents = Number((await db.selectFrom('residents').select((eb) => eb.fn.countAll().as('n')).where('company_id', '=', company.id).executeTakeFirstOrThrow()).n);
    const phones = (await sql<{ phone: string }>`SELECT phone FROM residents WHERE company_id = ${company.id} AND phone IS NOT NULL ORDER BY md5(id::text) LIMIT ${n + WARMUP}`.execute(db)).rows.map((r) => r.phone);
    const plates = (await sql<{ plate: string }>`SELECT plate FROM vehicles WHERE company_id = ${company.id} ORDER BY md5(id::text) LIMIT ${n + WARMUP}`.execute(db)).rows.map((r) => r.plate);

    const app = await buildApp({ config, database, logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const port = (app.server.address() as { port: number }).port;
      const { cookie } = await login(port, `${code.replace('-', '')}-admin`, config.demoPassword);
      const found = (body: unknown) => (body as { total: number }).total >= 1;
      const run = async (qs: string[]) => {
        const ms: number[] = [];
        for (const [i, q] of qs.entries()) {
          const t = await timed(port, `/api/residents?q=${encodeURIComponent(q)}`, cookie, found);
          if (i >= WARMUP) ms.push(t.ms);
        }
        return stats(ms);
      };
      const suffix = await run(phones.map((p) => p.slice(-4)));
      const plate = await run(plates);
      const fullPhone = await run(phones);
      const meets = suffix.p95 <= SEARCH_TARGET_P95_MS && plate.p95 <= SEARCH_TARGET_P95_MS;
      console.log(`estate-search bench — ${m.cpus} CPU ${m.cpuModel}, node ${m.node}; ${database.kind}; demo data ${seedS} s${seeded ? `; ${seeded}` : ''}`);
      console.log(`company ${code}: ${residents} residents; ${n} sequential requests per kind after ${WARMUP} warm-up; load average ${round(os.loadavg()[0], 2)}`);
      for (const [label, s] of [['phone last 4', suffix], ['plate', plate], ['full phone', fullPhone]] as const) console.log(`  ${label.padEnd(13)} p50 ${s.p50} ms  p95 ${s.p95} ms  p99 ${s.p99} ms  max ${s.max} ms`);
      console.log(`target p95 ≤ ${SEARCH_TARGET_P95_MS} ms (last 4 digits and plate): ${meets ? 'met' : 'MISSED'}`);
      return { bench: 'estate-search', database: database.kind, residents, phoneSuffixMs: suffix, plateMs: plate, fullPhoneMs: fullPhone, targetP95Ms: SEARCH_TARGET_P95_MS, meetsTarget: meets, machine: m };
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export async function runEstateGrid(): Promise<Figures> {
  const n = Math.max(1, Math.floor(envNumber('BENCH_REQUESTS', 200)));
  const m = machine();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-bench-grid-'));
  const { database, config, seedS } = await benchDatabase(tmp);
  try {
    // 碧澜湾 1栋 of the demo data; a database seeded by an older release lacks it, then a benchmark company's tower
    // (33 floors, 2 units × 4 rooms) is used, added if need be.
    const find = (company: string, community: string, building: string) => sql<{ id: string; floors: number; rooms: number }>`
      SELECT b.id, b.floors_above AS floors, (SELECT count(*)::int FROM rooms r WHERE r.building_id = b.id) AS rooms
        FROM buildings b JOIN communities c ON c.id = b.community_id JOIN companies co ON co.id = c.company_id
       WHERE co.code = ${company} AND c.code = ${community} AND b.name = ${building}`.execute(database.db);
    let b = (await find('demo-a', 'BLW', '1栋')).rows[0];
    let username = 'admin';
    let label = '碧澜湾 1栋 (no unit entrances)';
    if (!b) {
      const scale = await database.db.selectFrom('companies').select('code').where('code', 'like', 'scale-%').orderBy('created_at').executeTakeFirst();
      const code = scale?.code ?? (await seedScale(database.db, { rooms: 264, password: config.demoPassword })).code;
      b = (await find(code, 'S1', '1栋')).rows[0];
      username = `${code.replace('-', '')}-admin`;
      label = `${code} S1 1栋 (2 units × 4 rooms)`;
    }
    if (!b || b.floors !== 33 || b.rooms !== 264) throw new Error(`the tower should have 33 floors and 264 rooms: ${JSON.stringify(b)}`);
    const app = await buildApp({ config, database, logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const port = (app.server.address() as { port: number }).port;
      const { cookie } = await login(port, username, config.demoPassword);
      const ms: number[] = [];
      let bytes = 0;
      for (let i = 0; i < n + WARMUP; i++) {
        const t = await timed(port, `/api/buildings/${b.id}/grid`, cookie, (body) => (body as { total: number }).total === 264);
        if (i >= WARMUP) ms.push(t.ms);
        bytes = t.bytes;
      }
      const s = stats(ms);
      console.log(`estate-grid bench — ${m.cpus} CPU ${m.cpuModel}, node ${m.node}; ${database.kind}; demo data ${seedS} s; load average ${round(os.loadavg()[0], 2)}`);
      console.log(`GET /api/buildings/:id/grid, ${label}: 33 floors × 8 rooms, 264 rooms, ${bytes} bytes; ${n} sequential requests after ${WARMUP} warm-up`);
      console.log(`  p50 ${s.p50} ms  p95 ${s.p95} ms  p99 ${s.p99} ms  max ${s.max} ms`);
      return { bench: 'estate-grid', database: database.kind, building: label, floors: 33, roomsPerFloor: 8, rooms: 264, bytes, latencyMs: s, machine: m };
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
