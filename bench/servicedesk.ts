// Service-desk benchmarks.
//
//   servicedesk-dashboard  PostgreSQL only (DATABASE_URL, else BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/bench_anju,
//                          created if missing; its schema is dropped and migrated again). 1,000,000 tickets (BENCH_TICKETS)
//                          over 24 months in 1 company × 10 communities × 19 categories × 20 technicians, with return
//                          visits; VACUUM ANALYZE; then each dashboard figure function timed for a 12-month and a 30-day
//                          range: median and p95 of BENCH_RUNS (10) after 2 warm-up runs. Target ≤ 300 ms per figure (p95).
//                          BENCH_REUSE=1 keeps a data set of the same size left by an earlier run.
//   servicedesk-sweep      100,000 open tickets (BENCH_OPEN_TICKETS) with running clocks, 10 % past the warning point and
//                          5 % past due; one sweepClocks() call that marks them and notifies staff, then an idle sweep.
//                          On PGlite (temporary directory) and PostgreSQL. Target ≤ 5 s.
//   servicedesk-create     POST /api/tickets through the real app on a listening server, BENCH_CONNECTIONS (10) clients
//                          for BENCH_SECONDS (10) after BENCH_WARMUP_SECONDS (2): tickets/s, p50/p99. PGlite and PostgreSQL.
//
// Never on a database named "test". Requests go to 127.0.0.1 only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import autocannon from 'autocannon';
import type { DB } from '../src/db/schema.ts';
import { loadConfig } from '../src/config.ts';
import { type Database, openDatabase } from '../src/db/index.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { buildApp } from '../src/app.ts';
import type { RequestContext } from '../src/core/context.ts';
import type { Permission } from '../src/core/permissions.ts';
import * as fig from '../src/modules/servicedesk/dashboard.ts';
import { sweepClocks } from '../src/modules/servicedesk/sweep.ts';
import { localDate } from '../src/modules/servicedesk/deadlines.ts';
import { benchDesk, type BenchDesk, loadTickets, withoutTicketIndexes } from './servicedesk-data.ts';
import { envNumber, type Figures, localUrl, login, machine, round } from './lib.ts';

export const FIGURE_TARGET_MS = 300;
export const SWEEP_TARGET_S = 5;
const PASSWORD = 'bench-pass-123';

function refuseTestDatabase(url: string) {
  if (new URL(url).pathname.replace(/^\//, '') === 'test') throw new Error('benchmarks never run on the "test" database; use bench_anju');
}

function pgUrl(): string {
  const url = process.env.DATABASE_URL || process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/bench_anju';
  refuseTestDatabase(url);
  return url;
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

/** An empty, migrated scratch database: PostgreSQL (schema dropped first) or PGlite in `dir`. */
async function freshDatabase(kind: 'postgres' | 'pglite', dir: string): Promise<Database> {
  if (kind === 'pglite') {
    const database = await openDatabase({ dataDir: path.join(dir, 'pg') });
    await migrateToLatest(database.db);
    return database;
  }
  const database = await openDatabase({ databaseUrl: pgUrl(), poolSize: 10 });
  await sql`DROP SCHEMA public CASCADE`.execute(database.db);
  await sql`CREATE SCHEMA public`.execute(database.db);
  await migrateToLatest(database.db);
  return database;
}

/** A staff context for calling service functions directly, as the session hook would build it. */
function staffContext(desk: BenchDesk, adminId: string, permissions: Permission[]): RequestContext {
  return {
    actor: { userId: adminId, sessionId: 'bench', kind: 'staff', companyId: desk.companyId, username: desk.adminUsername, displayName: 'bench', permissions: new Set(permissions), communityIds: 'all' },
    requestId: 'bench',
    ip: '127.0.0.1',
    lang: 'zh-CN',
  };
}

/** The promise's value, or 'hung' when it has not settled after `ms` (the timer also keeps the process alive). */
async function within<T>(p: Promise<T>, ms: number): Promise<T | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), ms)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return round(s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))], 1);
}

const FIGURES = {
  totals: fig.figureTotals,
  onTime: fig.figureOnTime,
  byKind: fig.figureByKind,
  byCategory: fig.figureByCategory,
  byCommunity: fig.figureByCommunity,
  byTechnician: fig.figureByTechnician,
  byMonth: fig.figureByMonth,
  returnVisits: fig.figureReturnVisits,
  satisfaction: fig.figureSatisfaction,
  rework: fig.figureRework,
  overdue: fig.figureOverdue,
} as const;

async function timeFigures(db: Kysely<DB>, scope: fig.DashboardScope, runs: number) {
  const out: Record<string, { p50: number; p95: number; max: number }> = {};
  for (const [name, fn] of Object.entries(FIGURES)) {
    for (let i = 0; i < 2; i++) await fn(db, scope);
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await fn(db, scope);
      ms.push(performance.now() - t0);
    }
    out[name] = { p50: percentile(ms, 0.5), p95: percentile(ms, 0.95), max: percentile(ms, 1) };
  }
  return out;
}

export async function runServiceDeskDashboard(): Promise<Figures> {
  const count = envNumber('BENCH_TICKETS', 1_000_000);
  const runs = Math.max(1, Math.floor(envNumber('BENCH_RUNS', 10)));
  const url = pgUrl();
  const m = machine();
  if (!(await ensureDatabase(url))) return { bench: 'servicedesk-dashboard', skipped: 'PostgreSQL not reachable', machine: m };
  const load0 = round(os.loadavg()[0], 2);
  console.log(`servicedesk-dashboard bench — ${m.cpus} CPU ${m.cpuModel}, node ${m.node}, load average ${load0}; PostgreSQL ${redact(url)}`);
  const now = new Date();
  let database = await openDatabase({ databaseUrl: url, poolSize: 4 });
  try {
    let desk: BenchDesk | null = null;
    let loadS: number | null = null;
    if (process.env.BENCH_REUSE === '1') desk = await reusableDesk(database.db, count);
    if (!desk) {
      await database.close();
      database = await freshDatabase('postgres', '');
      const t0 = performance.now();
      desk = await benchDesk(database.db, { code: 'sdbench', communities: 10, technicians: 20, password: PASSWORD });
      await withoutTicketIndexes(database.db, () => loadTickets(database.db, desk!, { count, days: 730, now, mode: 'history' }));
      await sql`VACUUM ANALYZE tickets`.execute(database.db);
      await sql`VACUUM ANALYZE return_visits`.execute(database.db);
      loadS = round((performance.now() - t0) / 1000, 1);
      console.log(`generated ${count} tickets in ${loadS} s (indexes rebuilt, VACUUM ANALYZE)`);
    } else {
      await migrateToLatest(database.db);
      await sql`VACUUM ANALYZE tickets`.execute(database.db);
      await sql`VACUUM ANALYZE return_visits`.execute(database.db);
      console.log(`reusing the ${count} tickets of an earlier run (BENCH_REUSE=1)`);
    }
    const db = database.db;
    const shape = await sql<{ tickets: number; visits: number; open: number; table_mb: number; index_mb: number; covering_mb: number }>`
      SELECT (SELECT count(*) FROM tickets) AS tickets, (SELECT count(*) FROM return_visits) AS visits,
        (SELECT count(*) FROM tickets WHERE status IN ('submitted', 'accepted', 'dispatched', 'arrived', 'inProgress', 'paused')) AS open,
        round(pg_table_size('tickets') / 1048576.0) AS table_mb, round(pg_indexes_size('tickets') / 1048576.0) AS index_mb,
        round(pg_relation_size('tickets_dashboard_idx') / 1048576.0) AS covering_mb`.execute(db);
    const sh = shape.rows[0];
    console.log(`data: ${sh.tickets} tickets (${sh.open} open), ${sh.visits} return visits; tickets table ${sh.table_mb} MB + indexes ${sh.index_mb} MB (the dashboard's covering index ${sh.covering_mb} MB)`);

    const admin = await db.selectFrom('users').select('id').where('username', '=', desk.adminUsername).executeTakeFirstOrThrow();
    const ctx = staffContext(desk, admin.id, ['ticket.read']);
    const to = localDate(now, 'Asia/Shanghai');
    const ranges = {
      '12 months': await fig.dashboardScope(db, ctx, { from: fig.addDays(to, -364), to }),
      '30 days': await fig.dashboardScope(db, ctx, {}),
    };
    const results: Record<string, Record<string, { p50: number; p95: number; max: number }>> = {};
    let worst = 0;
    for (const [label, scope] of Object.entries(ranges)) {
      const inRange = await fig.figureTotals(db, scope);
      const times = await timeFigures(db, scope, runs);
      results[label] = times;
      console.log(`${label} (${scope.from} – ${scope.to}, ${inRange.created} tickets), ms over ${runs} runs:`);
      for (const [name, t] of Object.entries(times)) {
        worst = Math.max(worst, t.p95);
        console.log(`  ${name.padEnd(13)} p50 ${String(t.p50).padStart(7)}   p95 ${String(t.p95).padStart(7)}${t.p95 > FIGURE_TARGET_MS ? '   over target' : ''}`);
      }
      const all = Object.values(times).reduce((a, t) => a + t.p50, 0);
      console.log(`  whole dashboard (sum of medians) ${round(all, 1)} ms`);
    }
    const meets = worst <= FIGURE_TARGET_MS;
    console.log(`target: every figure p95 ≤ ${FIGURE_TARGET_MS} ms — ${meets ? 'met' : 'MISSED'} (worst ${worst} ms); load average now ${round(os.loadavg()[0], 2)}`);
    return { bench: 'servicedesk-dashboard', database: 'postgres', tickets: sh.tickets, returnVisits: sh.visits, tableMb: Number(sh.table_mb), indexMb: Number(sh.index_mb), coveringIndexMb: Number(sh.covering_mb), generateS: loadS, runs, figuresMs: results, worstP95Ms: worst, targetMs: FIGURE_TARGET_MS, meetsTarget: meets, loadAvg1m: [load0, round(os.loadavg()[0], 2)], machine: m };
  } finally {
    await database.close();
  }
}

/** The bench company of an earlier run when it holds `count` tickets. */
async function reusableDesk(db: Kysely<DB>, count: number): Promise<BenchDesk | null> {
  try {
    const co = await db.selectFrom('companies').select('id').where('code', '=', 'sdbench').executeTakeFirst();
    if (!co) return null;
    const n = await db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).where('company_id', '=', co.id).executeTakeFirstOrThrow();
    if (Number(n.n) !== count) return null;
    const ids = (username: string) => db.selectFrom('users').select('id').where('company_id', '=', co.id).where('username', 'like', `sdbench-${username}%`).execute();
    const communities = await db.selectFrom('communities').select('id').where('company_id', '=', co.id).orderBy('code').execute();
    return {
      companyId: co.id,
      code: 'sdbench',
      adminUsername: 'sdbench-admin',
      communityIds: communities.map((c) => c.id),
      technicianIds: (await ids('tech')).map((u) => u.id),
      serviceIds: (await ids('kefu')).map((u) => u.id),
      managerIds: (await ids('jingli')).map((u) => u.id),
    };
  } catch {
    return null; // no schema yet
  }
}

export async function runServiceDeskSweep(): Promise<Figures> {
  const count = envNumber('BENCH_OPEN_TICKETS', 100_000);
  const timeoutS = envNumber('BENCH_SWEEP_TIMEOUT_S', 120);
  const abandoned: Database[] = [];
  const m = machine();
  console.log(`servicedesk-sweep bench — ${m.cpus} CPU ${m.cpuModel}, node ${m.node}, load average ${round(os.loadavg()[0], 2)}`);
  const kinds: Array<'pglite' | 'postgres'> = ['pglite'];
  if (await ensureDatabase(pgUrl())) kinds.push('postgres');
  const runs: Record<string, unknown>[] = [];
  for (const kind of kinds) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-bench-sweep-'));
    const database = await freshDatabase(kind, tmp);
    try {
      const db = database.db;
      const now = new Date();
      const t0 = performance.now();
      const desk = await benchDesk(db, { code: 'sdsweep', communities: 10, technicians: 20, password: PASSWORD });
      await withoutTicketIndexes(db, () => loadTickets(db, desk, { count, days: 3, now, mode: 'open', warnShare: 0.1, dueShare: 0.05 }));
      await sql`VACUUM ANALYZE tickets`.execute(db);
      const setupS = round((performance.now() - t0) / 1000, 1);
      const before = await sql<{ running: number; warn: number; due: number }>`
        SELECT count(*) FILTER (WHERE resolve_state = 'running' OR reply_state = 'running') AS running,
          count(*) FILTER (WHERE (resolve_state = 'running' AND resolve_warn_at <= ${now} AND resolve_due_at >= ${now}) OR (reply_state = 'running' AND reply_warn_at <= ${now} AND reply_due_at >= ${now})) AS warn,
          count(*) FILTER (WHERE (resolve_state = 'running' AND resolve_due_at < ${now}) OR (reply_state = 'running' AND reply_due_at < ${now})) AS due
        FROM tickets`.execute(db);
      const b = before.rows[0];
      const t1 = performance.now();
      const result = await within(sweepClocks({ db }, now), timeoutS * 1000);
      const sweepS = round((performance.now() - t1) / 1000, 2);
      if (result === 'hung') {
        // The connection is held by the stuck transaction: nothing more can run on this database.
        console.log(`${kind.padEnd(8)} ${count} open tickets (${b.warn} past warning, ${b.due} past due): the sweep did not finish within ${timeoutS} s — no progress, a deadlock (see the report)`);
        runs.push({ database: kind, openTickets: count, pastWarning: b.warn, pastDue: b.due, sweepS: null, hung: true, timeoutS });
        abandoned.push(database);
        continue;
      }
      const t2 = performance.now();
      const idle = (await sweepClocks({ db }, now)) as { atRisk: number; overdue: number };
      const idleMs = round(performance.now() - t2, 1);
      const notes = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      console.log(
        `${kind.padEnd(8)} ${count} open tickets (${b.running} with a running clock; ${b.warn} past warning, ${b.due} past due), set up in ${setupS} s: sweep ${sweepS} s → ${result.atRisk} at risk, ${result.overdue} overdue, ${notes.n} notifications; idle sweep ${idleMs} ms (${idle.atRisk + idle.overdue} changes)`,
      );
      runs.push({ database: kind, openTickets: count, pastWarning: b.warn, pastDue: b.due, sweepS, atRisk: result.atRisk, overdue: result.overdue, notifications: Number(notes.n), idleSweepMs: idleMs });
    } finally {
      if (!abandoned.includes(database)) await database.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  const meets = runs.every((r) => r.sweepS !== null && Number(r.sweepS) <= SWEEP_TARGET_S);
  console.log(`target: one sweep ≤ ${SWEEP_TARGET_S} s — ${meets ? 'met' : 'MISSED'}; load average now ${round(os.loadavg()[0], 2)}`);
  return { bench: 'servicedesk-sweep', runs, targetS: SWEEP_TARGET_S, meetsTarget: meets, machine: m };
}

export async function runServiceDeskCreate(): Promise<Figures> {
  const seconds = envNumber('BENCH_SECONDS', 10);
  const warmup = envNumber('BENCH_WARMUP_SECONDS', 2);
  const connections = envNumber('BENCH_CONNECTIONS', 10);
  const workers = envNumber('BENCH_WORKERS', 1);
  const history = envNumber('BENCH_HISTORY_TICKETS', 50_000);
  const m = machine();
  console.log(`servicedesk-create bench — ${m.cpus} CPU ${m.cpuModel}, node ${m.node}, load average ${round(os.loadavg()[0], 2)}`);
  const kinds: Array<'pglite' | 'postgres'> = ['pglite'];
  if (await ensureDatabase(pgUrl())) kinds.push('postgres');
  const runs: Record<string, unknown>[] = [];
  for (const kind of kinds) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-bench-create-'));
    const database = await freshDatabase(kind, tmp);
    try {
      const db = database.db;
      const desk = await benchDesk(db, { code: 'sdcreate', communities: 10, technicians: 20, password: PASSWORD });
      await withoutTicketIndexes(db, () => loadTickets(db, desk, { count: history, days: 365, now: new Date(), mode: 'history' }));
      await sql`VACUUM ANALYZE tickets`.execute(db);
      // Public lighting of the first community goes round-robin to a group of five technicians, as a desk would set it up.
      const category = await db.selectFrom('ticket_categories').select('id').where('company_id', '=', desk.companyId).where('code', '=', 'lighting').executeTakeFirstOrThrow();
      const group = await db.insertInto('staff_groups').values({ company_id: desk.companyId, name: '维修组', community_id: desk.communityIds[0] }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('staff_group_members').values(desk.technicianIds.slice(0, 5).map((user_id, position) => ({ group_id: group.id, user_id, company_id: desk.companyId, position }))).execute();
      await db.insertInto('dispatch_rules').values({ company_id: desk.companyId, community_id: desk.communityIds[0], kind: 'publicRepair', category_id: category.id, mode: 'roundRobin', group_id: group.id, priority: 10 }).execute();

      const config = loadConfig({ ...process.env, ANJU_STORAGE: 'local' }, { dataDir: tmp, filesDir: path.join(tmp, 'files'), logLevel: 'silent', schedulerEnabled: false, host: '127.0.0.1', port: 0 });
      const app = await buildApp({ config, database, logger: false });
      await app.listen({ port: 0, host: '127.0.0.1' });
      try {
        const port = (app.server.address() as { port: number }).port;
        const { cookie, me } = await login(port, desk.adminUsername, PASSWORD);
        const body = JSON.stringify({ communityId: desk.communityIds[0], kind: 'publicRepair', categoryId: category.id, location: '3栋大堂', title: '大堂灯不亮', channel: 'hotline', reporterName: '王先生' });
        const headers = { cookie, 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' };
        const target = localUrl(port, '/api/tickets');
        const before = Number((await db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
        const fire = async (duration: number) => {
          const r = await autocannon({ url: target, method: 'POST', headers, body, connections, duration, timeout: 30, ...(workers > 0 ? { workers } : {}) });
          if (r.non2xx !== 0 || r.errors !== 0 || r.timeouts !== 0) throw new Error(`POST /api/tickets: 2xx=${r['2xx']} non2xx=${r.non2xx} errors=${r.errors} timeouts=${r.timeouts} ${JSON.stringify(r.statusCodeStats)}`);
          return r;
        };
        // Requests still in flight when autocannon stops are finished by the server after it returned: wait for them.
        const settled = async () => {
          await new Promise((resolve) => setTimeout(resolve, 3000));
          return Number((await db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
        };
        if (warmup > 0) await fire(warmup);
        const mid = await settled();
        const r = await fire(seconds);
        const after = await settled();
        if (after - mid < r['2xx'] || after - mid > r['2xx'] + connections) throw new Error(`${r['2xx']} answers 201 but ${after - mid} tickets written`);
        // Every ticket the bench registered went to a technician by the round-robin rule.
        const made = await sql<{ n: number; dispatched: number }>`
          SELECT count(*) AS n, count(*) FILTER (WHERE status = 'dispatched' AND assignee_id IS NOT NULL) AS dispatched FROM tickets WHERE company_id = ${desk.companyId} AND created_by IS NOT NULL`.execute(db);
        if (Number(made.rows[0].n) !== Number(made.rows[0].dispatched)) throw new Error(`${made.rows[0].n} tickets registered, ${made.rows[0].dispatched} dispatched`);
        const run = { database: kind, ticketsBefore: before, connections, seconds: r.duration, created: r['2xx'], perSecond: round(r['2xx'] / r.duration, 1), p50Ms: r.latency.p50, p99Ms: r.latency.p99 };
        console.log(`${kind.padEnd(8)} ${connections} clients × ${r.duration} s over ${before} tickets: ${run.perSecond} tickets/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms (${run.created} created, each auto-dispatched round-robin and notified)`);
        runs.push(run);
      } finally {
        await app.close();
      }
    } finally {
      await database.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  return { bench: 'servicedesk-create', runs, machine: m };
}
