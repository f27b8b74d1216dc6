// Benchmark dispatcher: `npm run bench -- api | startup | all`.
// Each bench prints readable lines and then its figures as one JSON object on the last line; `all` prints
// one JSON line per bench at the very end. BENCH_STRICT=1 exits 2 when a figure misses its target.
import type { Figures } from './lib.ts';

const BENCHES: Record<string, () => Promise<Figures>> = {
  api: async () => (await import('./api.ts')).runApi(),
  startup: async () => (await import('./startup.ts')).runStartup(),
  'estate-import': async () => (await import('./estate.ts')).runEstateImport(),
  'estate-search': async () => (await import('./estate.ts')).runEstateSearch(),
  'estate-grid': async () => (await import('./estate.ts')).runEstateGrid(),
  'estate-grid-browser': async () => (await import('./estate-grid-browser.ts')).runEstateGridBrowser(),
  'billing-run': async () => (await import('./billing.ts')).runBillingRun(),
  'billing-arrears': async () => (await import('./billing-arrears.ts')).runBillingArrears(),
  'servicedesk-dashboard': async () => (await import('./servicedesk.ts')).runServiceDeskDashboard(),
  'servicedesk-sweep': async () => (await import('./servicedesk.ts')).runServiceDeskSweep(),
  'servicedesk-create': async () => (await import('./servicedesk.ts')).runServiceDeskCreate(),
  fieldops: async () => (await import('./fieldops.ts')).runFieldOps(),
};

const USAGE = `usage: npm run bench -- <name>

  api       GET /api/staff through the whole stack vs. a bare Fastify route with the same SQL (target ratio ≥ 0.7)
  startup   first start, warm restart and RSS of \`node bin/anju.mjs start\` (targets: warm ≤ 3 s, RSS ≤ 300 MB)
  estate-import  20,000 rooms then 20,000 residents from .xlsx through the API, PGlite and PostgreSQL (bench_anju): time, peak RSS (targets < 30 s, < 500 MB)
  estate-search  GET /api/residents?q= by last 4 phone digits and by plate over 100,000 residents: p95 (target ≤ 50 ms)
  estate-grid    GET /api/buildings/:id/grid of a 33-floor, 8-rooms-a-floor tower: p50/p95
  estate-grid-browser  the same grid rendered in Chromium through the console (needs web/dist): p50/p95
  billing-run    a bill run of 100,000 rooms × 3 items through the API vs a bare INSERT … SELECT of as many rows, PGlite and PostgreSQL
                 (bench_anju, schema reset; BENCH_BILL_ROOMS, BENCH_BILL_SPACES): ratio (aim ≤ 3) and peak RSS (aim ≤ 500 MB)
  billing-arrears  100,000 rooms × 24 months of 物业费 (2.4M lines), PGlite and PostgreSQL (bench_anju, schema reset): arrears summary, rooms,
                 debtors and year-to-date collection rate through the API, p50/p95/p99 (aim p95 ≤ 200 ms; BENCH_ARREARS_ROOMS, BENCH_ARREARS_DB=pglite|postgres, BENCH_RUNS, BENCH_REUSE=1)
  servicedesk-dashboard  each dashboard figure over 1,000,000 tickets on PostgreSQL (bench_anju, schema reset), 12 months and 30 days: p50/p95 (target ≤ 300 ms)
  servicedesk-sweep      one SLA sweep over 100,000 open tickets (10 % past warning, 5 % past due), PGlite and PostgreSQL (target ≤ 5 s)
  servicedesk-create     POST /api/tickets through the app, BENCH_CONNECTIONS clients: tickets/s, p50/p99, PGlite and PostgreSQL
  fieldops       one day's patrol task generation for 50 communities × 20 plans (aim ≤ 5 s; maintenance and cleaning join
                 bench/fieldops.ts GENERATORS) and POST /api/patrol/checkins paced at 50/s for 20 s: p50/p99 (aim p99 ≤ 100 ms), PGlite and PostgreSQL
  all       every bench above, one JSON line each at the end

Environment: BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (10), BENCH_WORKERS (1), BENCH_STAFF (200),
BENCH_RESTARTS (3), BENCH_STRICT=1; DATABASE_URL runs the api bench on a PostgreSQL server; BENCH_PG_URL (bench_anju),
BENCH_TICKETS (1000000), BENCH_RUNS (10), BENCH_REUSE=1, BENCH_OPEN_TICKETS (100000), BENCH_HISTORY_TICKETS (50000) for servicedesk-*.`;

const [name, ...extra] = process.argv.slice(2);
const names = name === 'all' ? Object.keys(BENCHES) : name && name in BENCHES && extra.length === 0 ? [name] : null;
if (!names) {
  console.error(name ? `unknown benchmark: ${[name, ...extra].join(' ')}\n\n${USAGE}` : USAGE);
  process.exit(1);
}

const results: Figures[] = [];
let failed = false;
for (const n of names) {
  try {
    results.push(await BENCHES[n]());
  } catch (err) {
    failed = true;
    console.error(`bench ${n} FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    results.push({ bench: n, error: err instanceof Error ? err.message : String(err) });
  }
  if (names.length > 1) console.log('');
}
for (const r of results) console.log(JSON.stringify(r));
const missed = results.some((r) => r.meetsTarget === false);
process.exit(failed ? 1 : process.env.BENCH_STRICT === '1' && missed ? 2 : 0);
