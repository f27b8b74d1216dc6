import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const entry of fs.readdirSync(p)) {
    if (entry === 'dist' || entry === 'node_modules') continue;
    max = Math.max(max, newestMtime(path.join(p, entry)));
  }
  return max;
}

/**
 * The journeys test the built web app as the server serves it, so build it once when it is missing or older
 * than its sources (the web imports the server's schema files and permission table too).
 */
export default async function setup() {
  buildWeb();
  return seedSnapshot();
}

/**
 * Seeds the demo once into an in-memory PGlite and leaves its data directory as a tarball for every journey's server
 * to start from (each file still gets its own copy), instead of seeding the demo again for each file. With
 * DATABASE_URL the journeys share that database, seeded idempotently by the first.
 */
async function seedSnapshot(): Promise<() => void> {
  if (process.env.DATABASE_URL) return () => {};
  const { openDatabase } = await import('../../src/db/index.ts');
  const { migrateToLatest } = await import('../../src/db/migrate.ts');
  const { seedDemo } = await import('../../src/seed/demo.ts');
  const { DEMO_PASSWORD } = await import('./server.ts');
  const started = Date.now();
  const database = await openDatabase({ dataDir: 'memory://' });
  await migrateToLatest(database.db);
  await seedDemo(database.db, DEMO_PASSWORD);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'anju-e2e-snapshot-')), 'demo.tar');
  fs.writeFileSync(file, Buffer.from(await (await database.dump!()).arrayBuffer()));
  await database.close();
  process.env.ANJU_E2E_SNAPSHOT = file;
  console.log(`e2e: demo data seeded once in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

function buildWeb() {
  const built = path.join(root, 'web/dist/index.html');
  const sources = Math.max(
    newestMtime(path.join(root, 'web')),
    newestMtime(path.join(root, 'vite.config.ts')),
    newestMtime(path.join(root, 'src/core')),
    newestMtime(path.join(root, 'src/modules')),
  );
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) return;
  console.log('e2e: building the web app…');
  const vite = path.join(root, 'node_modules/vite/bin/vite.js');
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build into web/dist.
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status})`);
}
