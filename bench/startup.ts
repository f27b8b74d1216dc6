// Start-up benchmark: runs the server the way a user does (`node bin/anju.mjs start`) on a fresh embedded
// PGlite data directory and measures
//   (a) first start: spawn → GET /api/health answers 200 (migrations + demo data included),
//   (b) warm restart on the same directory: SIGTERM, wait for exit, spawn again → health 200 (BENCH_RESTARTS times),
//   (c) RSS of the node server process after ~5 s idle (after the first start and after the last warm start), and
//       after 200 authenticated GET /api/staff; the RSS target is judged on the warm-start figures.
// ANJU_SKIP_WEB_BUILD=true, so building the web app is not counted. DATABASE_URL is ignored (removed from the
// child's environment): a first start needs an empty database. Targets: warm start ≤ 3 s, RSS ≤ 300 MB.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { envNumber, type Figures, freePort, login, machine, median, request, ROOT, round, sleep } from './lib.ts';

export const WARM_START_TARGET_S = 3;
export const RSS_TARGET_MB = 300;
const HEALTH_DEADLINE_MS = 120_000;
const EXIT_DEADLINE_MS = 15_000;
const IDLE_MS = 5_000;
const STAFF_REQUESTS = 200;
const STAFF_CONCURRENCY = 4;

interface Server {
  child: ChildProcess;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning: () => boolean;
}

const live = new Set<ChildProcess>();
// Last resort if the bench itself dies: never leave a server behind.
process.on('exit', () => {
  for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function startServer(dataDir: string, port: number): Server {
  const env: NodeJS.ProcessEnv = { ...process.env, ANJU_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', ANJU_SKIP_WEB_BUILD: 'true', LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  delete env.ANJU_FILES_DIR;
  delete env.NODE_OPTIONS; // `npm run` may pass the bench's own --import tsx; the user's server gets none
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/anju.mjs'), 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running = false;
      live.delete(child);
      resolve({ code, signal });
    }),
  );
  return { child, output, exited, isRunning: () => running };
}

/** Polls GET /api/health every 25 ms until it answers 200; bounded by HEALTH_DEADLINE_MS. */
async function waitHealthy(server: Server, port: number): Promise<void> {
  const deadline = performance.now() + HEALTH_DEADLINE_MS;
  while (performance.now() < deadline) {
    if (!server.isRunning()) throw new Error(`server exited before answering /api/health:\n${server.output.join('').slice(-3000)}`);
    try {
      const res = await request(port, '/api/health', { timeoutMs: 2000 });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  throw new Error(`no healthy /api/health within ${HEALTH_DEADLINE_MS / 1000} s:\n${server.output.join('').slice(-3000)}`);
}

async function stopServer(server: Server): Promise<{ seconds: number; clean: boolean }> {
  const t = performance.now();
  if (!server.isRunning()) return { seconds: 0, clean: true };
  server.child.kill('SIGTERM');
  const result = await Promise.race([server.exited, sleep(EXIT_DEADLINE_MS).then(() => null)]);
  if (result) return { seconds: (performance.now() - t) / 1000, clean: result.code === 0 };
  server.child.kill('SIGKILL');
  await server.exited;
  return { seconds: (performance.now() - t) / 1000, clean: false };
}

/** Spawn → healthy, in seconds, plus the server's own "ready in" figure from its `listening` log line. */
async function timedStart(dataDir: string, port: number): Promise<{ server: Server; seconds: number; selfReported: number | null }> {
  const t = performance.now();
  const server = startServer(dataDir, port);
  await waitHealthy(server, port);
  const seconds = (performance.now() - t) / 1000;
  let selfReported: number | null = null;
  for (const line of server.output.join('').split('\n')) {
    if (!line.includes('"listening"')) continue;
    try {
      selfReported = (JSON.parse(line) as { startupSeconds?: number }).startupSeconds ?? null;
    } catch {
      // not a JSON log line
    }
  }
  return { server, seconds, selfReported };
}

function memoryOf(pid: number): { rssMb: number; hwmMb: number; cmd: string } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s*(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  return { rssMb: round(kb('VmRSS') / 1024, 1), hwmMb: round(kb('VmHWM') / 1024, 1), cmd };
}

async function staffRequests(port: number, cookie: string): Promise<void> {
  let next = 0;
  const bad: number[] = [];
  const worker = async () => {
    while (next < STAFF_REQUESTS) {
      next += 1;
      const res = await request(port, '/api/staff?page=1&pageSize=20', { headers: { cookie }, timeoutMs: 10_000 });
      await res.arrayBuffer();
      if (res.status !== 200) bad.push(res.status);
    }
  };
  await Promise.all(Array.from({ length: STAFF_CONCURRENCY }, worker));
  if (bad.length) throw new Error(`${bad.length} of ${STAFF_REQUESTS} GET /api/staff answered non-200 (${[...new Set(bad)].join(', ')})`);
}

export async function runStartup(): Promise<Figures> {
  const restarts = Math.max(1, Math.floor(envNumber('BENCH_RESTARTS', 3)));
  const m = machine();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-bench-startup-'));
  const dataDir = path.join(tmp, 'data');
  let server: Server | null = null;
  try {
    const port = await freePort();
    const load0 = os.loadavg()[0];
    console.log(`startup bench — ${m.cpus} CPU ${m.cpuModel}, node ${m.node}`);
    console.log(`command: node bin/anju.mjs start  (ANJU_DATA_DIR=${dataDir}, PORT=${port}, HOST=127.0.0.1, LOG_LEVEL=info, embedded PGlite)`);
    console.log('ANJU_SKIP_WEB_BUILD=true: building the web app is NOT included in these times');
    if (process.env.DATABASE_URL) console.log('DATABASE_URL is ignored here: a first start needs an empty database, so the server runs on PGlite');

    const first = await timedStart(dataDir, port);
    server = first.server;
    console.log(`first start (empty data dir: migrate + demo data): ${round(first.seconds, 2)} s to health 200 (server says ready in ${first.selfReported ?? '?'} s)`);
    await sleep(IDLE_MS);
    const firstIdle = memoryOf(server.child.pid!);
    console.log(`  RSS ${IDLE_MS / 1000} s idle after the first start: ${firstIdle.rssMb} MB (peak ${firstIdle.hwmMb} MB)`);

    const warm: number[] = [];
    const warmSelf: Array<number | null> = [];
    const stops: number[] = [];
    for (let i = 0; i < restarts; i++) {
      const stop = await stopServer(server);
      server = null;
      stops.push(round(stop.seconds, 2));
      if (!stop.clean) console.log(`  warning: the server did not exit cleanly on SIGTERM (took ${round(stop.seconds, 2)} s)`);
      const again = await timedStart(dataDir, port);
      server = again.server;
      warm.push(round(again.seconds, 2));
      warmSelf.push(again.selfReported);
    }
    const warmMedian = round(median(warm), 2);
    console.log(`warm restart (same data dir), ${restarts}×: ${warm.join(' s, ')} s to health 200 — median ${warmMedian} s (server says ${warmSelf.join(', ')} s); SIGTERM → exit ${stops.join(', ')} s`);

    const pid = server.child.pid!;
    await sleep(IDLE_MS);
    const idle = memoryOf(pid);
    if (!idle.cmd.includes('bin/anju.mjs')) throw new Error(`pid ${pid} is not the server: ${idle.cmd}`);
    const { cookie } = await login(port, 'admin', 'anju-demo');
    await staffRequests(port, cookie);
    const busy = memoryOf(pid);
    console.log(`RSS of pid ${pid} (${idle.cmd}): idle ${IDLE_MS / 1000} s after warm start ${idle.rssMb} MB; after login + ${STAFF_REQUESTS} GET /api/staff ${busy.rssMb} MB (peak ${busy.hwmMb} MB)`);

    const load1 = os.loadavg()[0];
    console.log(`load average (1 min) ${round(load0, 2)} → ${round(load1, 2)} on ${m.cpus} CPUs${Math.max(load0, load1) > m.cpus ? ' — the machine is busy, times are inflated' : ''}`);
    const warmOk = warmMedian <= WARM_START_TARGET_S;
    const rssOk = Math.max(idle.rssMb, busy.rssMb) <= RSS_TARGET_MB;
    console.log(`targets: warm start ≤ ${WARM_START_TARGET_S} s ${warmOk ? 'met' : 'MISSED'}; RSS ≤ ${RSS_TARGET_MB} MB (after a warm start) ${rssOk ? 'met' : 'MISSED'}`);
    if (firstIdle.rssMb > RSS_TARGET_MB) console.log(`note: after the FIRST start the server sits at ${firstIdle.rssMb} MB until it is restarted`);

    return {
      bench: 'startup',
      database: 'pglite',
      webBuildIncluded: false,
      firstStartS: round(first.seconds, 2),
      firstStartSelfReportedS: first.selfReported,
      warmStartS: warmMedian,
      warmStartRunsS: warm,
      warmStartSelfReportedS: warmSelf,
      stopS: stops,
      firstStartIdleRssMb: firstIdle.rssMb,
      idleRssMb: idle.rssMb,
      rssAfterRequestsMb: busy.rssMb,
      peakRssMb: busy.hwmMb,
      requests: STAFF_REQUESTS,
      loadAvg1m: [round(load0, 2), round(load1, 2)],
      targets: { warmStartS: WARM_START_TARGET_S, rssMb: RSS_TARGET_MB },
      meetsTarget: warmOk && rssOk,
      machine: m,
    };
  } finally {
    if (server) {
      const stop = await stopServer(server);
      if (!stop.clean) console.error('startup bench: the server had to be killed');
    }
    for (const c of live) c.kill('SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await runStartup();
  console.log(JSON.stringify(figures));
  process.exit(process.env.BENCH_STRICT === '1' && !figures.meetsTarget ? 2 : 0);
}
