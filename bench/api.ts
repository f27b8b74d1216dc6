// API overhead benchmark: GET /api/staff?page=1&pageSize=20 through the whole stack (helmet, cookie, session
// lookup, Zod validation and serialisation, hooks) against a bare Fastify route running the same SQL on the same
// Kysely database, in one process. Reports requests/s and p99 for both and the ratio full/bare (target ≥ 0.7).
//
//   npm run bench -- api                                   embedded PGlite in a temporary data directory
//   DATABASE_URL=postgres://… npm run bench -- api          a PostgreSQL server (demo data is reused if present)
//
// Environment: BENCH_SECONDS (10) measured seconds per target, BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (10),
// BENCH_WORKERS (1: autocannon runs in a worker thread so the load generator does not share the server's event
// loop; 0 runs it on the main thread), BENCH_STAFF (200 extra staff rows in company A), BENCH_ROUNDS (2: the
// measured seconds are split into full, bare, bare, full slices), BENCH_STRICT=1 exits 2 when the ratio misses
// the target.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import autocannon, { type Result } from 'autocannon';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/index.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { seedDemo } from '../src/seed/demo.ts';
import { buildApp } from '../src/app.ts';
import { countStaff, selectStaff, toStaff } from '../src/modules/staff/repo.ts';
import { envNumber, type Figures, localUrl, login, machine, request, round } from './lib.ts';

export const API_TARGET_RATIO = 0.7;
const STAFF_PATH = '/api/staff?page=1&pageSize=20';
const PAGE_SIZE = 20;
const BENCH_STAFF_PREFIX = 'bench.staff.';

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

/** Adds `count` staff accounts to company A (idempotent: tops up to `count` rows named bench.staff.NNN). */
async function addStaff(database: Database, companyId: string, count: number): Promise<number> {
  const { db } = database;
  const have = await db.selectFrom('users').select('username').where('company_id', '=', companyId).where('username', 'like', `${BENCH_STAFF_PREFIX}%`).execute();
  const taken = new Set(have.map((r) => r.username));
  const wanted = Array.from({ length: count }, (_, i) => `${BENCH_STAFF_PREFIX}${String(i + 1).padStart(3, '0')}`).filter((u) => !taken.has(u));
  if (wanted.length === 0) return 0;
  const roles = await db.selectFrom('roles').select(['id', 'builtin_key']).where('company_id', '=', companyId).where('builtin_key', 'in', ['service', 'technician', 'cashier', 'security']).execute();
  const communities = await db.selectFrom('communities').select('id').where('company_id', '=', companyId).orderBy('code').execute();
  if (roles.length === 0 || communities.length === 0) throw new Error('company A has no built-in roles or communities: was the demo seeded?');
  await db.transaction().execute(async (trx) => {
    const users = await trx
      .insertInto('users')
      .values(
        wanted.map((username, i) => ({
          company_id: companyId,
          kind: 'staff' as const,
          username,
          display_name: `压测员工${username.slice(BENCH_STAFF_PREFIX.length)}`,
          phone: `137${String(10_000_000 + i).padStart(8, '0')}`,
          password_hash: null,
        })),
      )
      .returning('id')
      .execute();
    await trx.insertInto('user_roles').values(users.map((u, i) => ({ user_id: u.id, role_id: roles[i % roles.length].id }))).execute();
    // One or two communities each, like the demo staff.
    const links = users.flatMap((u, i) => {
      const first = communities[i % communities.length].id;
      const second = communities[(i + 1) % communities.length].id;
      return i % 2 === 0 || first === second ? [{ user_id: u.id, community_id: first }] : [{ user_id: u.id, community_id: first }, { user_id: u.id, community_id: second }];
    });
    await trx.insertInto('user_communities').values(links).execute();
  });
  return wanted.length;
}

interface Slice {
  requests: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  avgMs: number;
  cpuMs: number | null;
}

interface Shot {
  /** Successful requests per second over all slices. */
  rps: number;
  p50Ms: number;
  /** The worst slice's p99. */
  p99Ms: number;
  avgMs: number;
  requests: number;
  seconds: number;
  /** CPU time of the server's (main) thread per request: PGlite runs there too, a PostgreSQL server does not. */
  cpuMsPerReq: number | null;
}

/** CPU time (user + system, ms) of this process's main thread, which runs both servers (and PGlite). Linux only. */
function mainThreadCpuMs(): number | null {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11] and fields[12] are utime and stime (fields 14 and 15 of proc(5)), in clock ticks of 1/100 s.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

async function cannon(label: string, url: string, headers: Record<string, string>, seconds: number, connections: number, workers: number): Promise<Slice> {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`refusing to load a non-loopback URL: ${url}`);
  const cpu0 = mainThreadCpuMs();
  const r: Result = await autocannon({ url, connections, duration: seconds, headers, timeout: 10, ...(workers > 0 ? { workers } : {}) });
  const cpu1 = mainThreadCpuMs();
  const ok = r['2xx'];
  if (r.non2xx !== 0 || r.errors !== 0 || r.timeouts !== 0 || ok === 0) {
    throw new Error(
      `${label}: not every response was 200 — 2xx=${ok} non2xx=${r.non2xx} errors=${r.errors} timeouts=${r.timeouts} status codes ${JSON.stringify(r.statusCodeStats)}`,
    );
  }
  return { requests: ok, seconds: r.duration, p50Ms: r.latency.p50, p99Ms: r.latency.p99, avgMs: r.latency.average, cpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0 };
}

function combine(slices: Slice[]): Shot {
  const requests = slices.reduce((a, s) => a + s.requests, 0);
  const seconds = slices.reduce((a, s) => a + s.seconds, 0);
  const cpu = slices.every((s) => s.cpuMs !== null) ? slices.reduce((a, s) => a + s.cpuMs!, 0) : null;
  return {
    rps: round(requests / seconds, 1),
    p50Ms: round(slices.reduce((a, s) => a + s.p50Ms * s.requests, 0) / requests, 2),
    p99Ms: round(Math.max(...slices.map((s) => s.p99Ms)), 2),
    avgMs: round(slices.reduce((a, s) => a + s.avgMs * s.requests, 0) / requests, 2),
    requests,
    seconds: round(seconds, 2),
    cpuMsPerReq: cpu === null ? null : round(cpu / requests, 3),
  };
}

function describe(label: string, s: Shot): string {
  const cpu = s.cpuMsPerReq === null ? '' : `   main-thread CPU ${s.cpuMsPerReq} ms/req`;
  return `${label.padEnd(44)} ${String(s.rps).padStart(8)} req/s   p50 ${String(s.p50Ms).padStart(6)} ms   p99 ${String(s.p99Ms).padStart(6)} ms${cpu}   ${s.requests} requests, all 200`;
}

export async function runApi(): Promise<Figures> {
  const seconds = envNumber('BENCH_SECONDS', 10);
  const warmup = envNumber('BENCH_WARMUP_SECONDS', 2);
  const connections = envNumber('BENCH_CONNECTIONS', 10);
  const workers = envNumber('BENCH_WORKERS', 1);
  const extraStaff = envNumber('BENCH_STAFF', 200);
  const rounds = Math.max(1, Math.floor(envNumber('BENCH_ROUNDS', 2)));
  if (seconds <= 0 || connections < 1) throw new Error('BENCH_SECONDS and BENCH_CONNECTIONS must be positive');
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const m = machine();

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-bench-api-'));
  const closers: Array<() => Promise<unknown>> = [];
  try {
    const t0 = performance.now();
    const database = await openDatabase({ databaseUrl, dataDir: path.join(tmp, 'pg') });
    closers.push(() => database.close());
    const tOpen = performance.now();
    await migrateToLatest(database.db);
    const tMigrate = performance.now();
    const config = loadConfig(
      { ...process.env, ANJU_STORAGE: 'local' },
      { dataDir: tmp, filesDir: path.join(tmp, 'files'), logLevel: 'silent', schedulerEnabled: false, host: '127.0.0.1', port: 0 },
    );
    await seedDemo(database.db, config.demoPassword);
    const company = await database.db.selectFrom('companies').select('id').where('code', '=', 'demo-a').executeTakeFirstOrThrow();
    const added = await addStaff(database, company.id, extraStaff);
    const tSeed = performance.now();
    const { n: staffRows } = await countStaff(database.db, company.id).executeTakeFirstOrThrow();

    console.log(`api bench — ${m.cpus} CPU ${m.cpuModel}, node ${m.node}`);
    console.log(`database: ${database.kind === 'pglite' ? `PGlite in ${path.join(tmp, 'pg')}` : `PostgreSQL ${redact(databaseUrl!)}`}`);
    console.log(
      `setup: open ${round((tOpen - t0) / 1000, 2)} s, migrate ${round((tMigrate - tOpen) / 1000, 2)} s, demo data + ${added} extra staff ${round((tSeed - tMigrate) / 1000, 2)} s; company A has ${staffRows} staff`,
    );

    // The real application, as the server builds it (logger silent, scheduler not started).
    const app = await buildApp({ config, database, logger: false });
    closers.push(() => app.close());
    await app.listen({ port: 0, host: '127.0.0.1' });
    const fullPort = (app.server.address() as { port: number }).port;

    const { cookie, me } = await login(fullPort, 'admin', config.demoPassword);
    const showFullPhone = me.abilities.includes('personal.viewFull');

    // The same queries with nothing around them: no plugins, hooks, validation, auth or schema serialiser.
    const bare = Fastify({ logger: false });
    closers.push(() => bare.close());
    const db = database.db;
    const companyId = company.id;
    bare.get('/staff', async () => {
      const [rows, count] = await Promise.all([
        selectStaff(db, companyId).orderBy('u.created_at').orderBy('u.id').limit(PAGE_SIZE).offset(0).execute(),
        countStaff(db, companyId).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map((r) => toStaff(r, showFullPhone)), total: count.n, page: 1, pageSize: PAGE_SIZE };
    });
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const barePort = (bare.server.address() as { port: number }).port;

    // Both must answer the same page, or the comparison means nothing.
    const fullRes = await request(fullPort, STAFF_PATH, { headers: { cookie } });
    const bareRes = await request(barePort, '/staff');
    if (fullRes.status !== 200 || bareRes.status !== 200) throw new Error(`probe answered full=${fullRes.status} bare=${bareRes.status}`);
    const fullBody = await fullRes.text();
    const bareBody = await bareRes.text();
    if (JSON.stringify(JSON.parse(fullBody)) !== JSON.stringify(JSON.parse(bareBody))) {
      throw new Error(`full and bare answers differ:\nfull: ${fullBody.slice(0, 400)}\nbare: ${bareBody.slice(0, 400)}`);
    }
    const items = (JSON.parse(fullBody) as { items: unknown[] }).items.length;
    console.log(
      `payload: ${items} staff rows, ${Buffer.byteLength(fullBody)} bytes (identical for both); ${connections} connections, ${warmup} s warm-up + ${seconds} s each, load generator ${workers > 0 ? `in ${workers} worker thread(s)` : 'on the main thread'}`,
    );

    const fullUrl = localUrl(fullPort, STAFF_PATH);
    const bareUrl = localUrl(barePort, `/staff`);
    const fullHeaders = { cookie };
    if (warmup > 0) {
      await cannon('full warm-up', fullUrl, fullHeaders, warmup, connections, workers);
      await cannon('bare warm-up', bareUrl, {}, warmup, connections, workers);
    }
    // BENCH_SECONDS per target, split into `rounds` slices run full, bare, bare, full, … so that a change in
    // background load during the run weighs on both sides alike.
    const slice = seconds / rounds;
    const fullSlices: Slice[] = [];
    const bareSlices: Slice[] = [];
    const load0 = os.loadavg()[0];
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 === 0 ? (['full', 'bare'] as const) : (['bare', 'full'] as const);
      for (const which of order) {
        if (which === 'full') fullSlices.push(await cannon('full', fullUrl, fullHeaders, slice, connections, workers));
        else bareSlices.push(await cannon('bare', bareUrl, {}, slice, connections, workers));
      }
    }
    const load1 = os.loadavg()[0];
    const full = combine(fullSlices);
    const bareShot = combine(bareSlices);
    const ratio = round(full.rps / bareShot.rps, 3);
    const cpuRatio = full.cpuMsPerReq && bareShot.cpuMsPerReq ? round(bareShot.cpuMsPerReq / full.cpuMsPerReq, 3) : null;
    const meets = ratio >= API_TARGET_RATIO;

    console.log(`${rounds} round(s) of ${round(slice, 2)} s per target; load average (1 min) ${round(load0, 2)} → ${round(load1, 2)} on ${m.cpus} CPUs${load1 > m.cpus ? ' — the machine is busy, figures are noisy' : ''}`);
    console.log(describe(`full  GET ${STAFF_PATH} (cookie)`, full));
    console.log(describe('bare  same SQL, bare Fastify', bareShot));
    console.log(`ratio full/bare (req/s): ${ratio} — target ≥ ${API_TARGET_RATIO}: ${meets ? 'met' : 'MISSED'}`);
    if (cpuRatio !== null) console.log(`main-thread CPU per request bare/full: ${cpuRatio} (less sensitive to other load on the machine${database.kind === 'postgres' ? '; excludes the PostgreSQL server’s own CPU' : '; includes PGlite'})`);

    return {
      bench: 'api',
      database: database.kind,
      endpoint: `GET ${STAFF_PATH}`,
      staffRows,
      connections,
      seconds,
      warmupSeconds: warmup,
      loadWorkers: workers,
      rounds,
      loadAvg1m: [round(load0, 2), round(load1, 2)],
      full,
      bare: bareShot,
      ratio,
      cpuRatio,
      target: API_TARGET_RATIO,
      meetsTarget: meets,
      machine: m,
    };
  } finally {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (err) {
        console.error(`api bench: cleanup failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await runApi();
  console.log(JSON.stringify(figures));
  process.exit(process.env.BENCH_STRICT === '1' && !figures.meetsTarget ? 2 : 0);
}
